package search

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"sync"

	"github.com/promptsite/promptsite/site/model"
	"github.com/promptsite/promptsite/site/output"
)

// Dir is the folder of the static index, relative to the site's root.
const Dir = "search"

// chunkTarget is the size, in bytes before compression, at which the static
// index starts a new chunk. A chunk holds a range of keys: surface words and
// analysed terms in sorted order.
var chunkTarget = 16 << 10

// recordText is how much of a result's text its record keeps for snippets.
const recordText = 1200

// groupTarget is the size, in bytes before compression, that a file of
// records aims at. The records of consecutive documents share a file, as
// many as make about groupTarget bytes on average, so that a library of
// 10,000 prompts writes some 2,000 small files rather than 10,000, and a
// result's snippet still costs a small download.
var groupTarget = 4 << 10

// Build indexes s and returns the static index: the manifest
// search/index.json, the chunks it lists and the files of records.
func Build(s *model.Site) (*output.Tree, error) { return BuildContext(context.Background(), s) }

// BuildContext is Build that stops, with ctx's error, soon after ctx is
// done.
func BuildContext(ctx context.Context, s *model.Site) (*output.Tree, error) {
	ix, err := NewContext(ctx, s)
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	return ix.Files()
}

// manifest is search/index.json, the first file search.js fetches.
type manifest struct {
	Version int          `json:"v"`
	Docs    int          `json:"n"`
	Fields  []fieldBoost `json:"fields"`
	Query   queryParams  `json:"q"`
	Keys    []string     `json:"keys"`   // the first key of each chunk
	Chunks  []string     `json:"chunks"` // the chunk files, relative to the manifest
	Records string       `json:"docs"`   // the folder of the records
	PerFile int          `json:"per"`    // records per file of records
}

type fieldBoost struct {
	Name  string
	Boost float64
}

func (f fieldBoost) MarshalJSON() ([]byte, error) {
	return json.Marshal([]any{f.Name, f.Boost})
}

type queryParams struct {
	MinPrefix       int     `json:"minPrefix"`
	MaxPrefixChunks int     `json:"maxPrefixChunks"`
	PrefixBoost     float64 `json:"prefixBoost"`
	MinTypo         int     `json:"minTypo"`
	TypoBoost       float64 `json:"typoBoost"`
	MaxSuffix       int     `json:"maxSuffix"`
	MaxWords        int     `json:"maxWords"`
}

// record is what a result shows. Document n's record is item n%per of
// the JSON array search/d-…/<n/per>.json.
type record struct {
	Title    string `json:"t"`
	Category string `json:"c"`
	URL      string `json:"u"`
	Text     string `json:"x"`
}

// allKeys returns every key of the static index, sorted: the surface
// words and the terms, each once.
func (ix *Index) allKeys() []string {
	keys := make([]string, 0, len(ix.words)+len(ix.postings))
	keys = append(keys, ix.words...)
	for t := range ix.postings {
		if _, ok := ix.surface[t]; !ok {
			keys = append(keys, t)
		}
	}
	slices.Sort(keys)
	return keys
}

// entry is one key's part of its chunk: its surface word and its postings,
// each written out, or empty when the key is not one.
type entry struct {
	surface, postings []byte
}

// plan writes every key's entry, on every core, and cuts the sorted keys
// into chunks of about chunkTarget bytes.
func (ix *Index) plan() {
	ix.keys = ix.allKeys()
	ix.entries = make([]entry, len(ix.keys))
	workers := min(runtime.GOMAXPROCS(0), max(len(ix.keys)/256, 1))
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*len(ix.keys)/workers, (w+1)*len(ix.keys)/workers
		wg.Go(func() {
			var b bytes.Buffer
			for i := lo; i < hi; i++ {
				k := ix.keys[i]
				if _, ok := ix.surface[k]; ok {
					b.Reset()
					ix.writeSurface(&b, k)
					ix.entries[i].surface = bytes.Clone(b.Bytes())
				}
				if _, ok := ix.postings[k]; ok {
					b.Reset()
					ix.writePostings(&b, k)
					ix.entries[i].postings = bytes.Clone(b.Bytes())
				}
			}
		})
	}
	wg.Wait()
	ix.starts = []string{""}
	size := 0
	for i, k := range ix.keys {
		if size >= chunkTarget {
			ix.starts = append(ix.starts, k)
			size = 0
		}
		size += len(ix.entries[i].surface) + len(ix.entries[i].postings) + 1
	}
}

// writeSurface writes "word":terms, where terms is 1 when the word is its
// own and only term, 0 when it has none (a stop word), "term" for one
// other term and ["term",…] for several (a word of documents in more than
// one language).
func (ix *Index) writeSurface(b *bytes.Buffer, w string) {
	writeString(b, w)
	b.WriteByte(':')
	switch ts := ix.surface[w]; {
	case len(ts) == 0:
		b.WriteByte('0')
	case len(ts) == 1 && ts[0] == w:
		b.WriteByte('1')
	case len(ts) == 1:
		writeString(b, ts[0])
	default:
		b.WriteByte('[')
		for i, t := range ts {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, t)
		}
		b.WriteByte(']')
	}
}

// writePostings writes "term":[f0,f1,f2,f3], one entry per field: 0 when
// the term is not in the field, else a flat array of (document number
// minus the previous one, term frequency, field length) triples.
func (ix *Index) writePostings(b *bytes.Buffer, t string) {
	writeString(b, t)
	b.WriteString(":[")
	for fi, ps := range ix.postings[t] {
		if fi > 0 {
			b.WriteByte(',')
		}
		if len(ps) == 0 {
			b.WriteByte('0')
			continue
		}
		b.WriteByte('[')
		prev := 0
		for i, p := range ps {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(p.doc - prev))
			b.WriteByte(',')
			b.WriteString(strconv.Itoa(p.freq))
			b.WriteByte(',')
			b.WriteString(strconv.Itoa(p.length))
			prev = p.doc
		}
		b.WriteByte(']')
	}
	b.WriteByte(']')
}

func writeString(b *bytes.Buffer, s string) {
	j, _ := json.Marshal(s) // a string always marshals
	b.Write(j)
}

// Files returns the static index.
func (ix *Index) Files() (*output.Tree, error) {
	t := output.NewTree()
	m := manifest{
		Version: 2,
		Docs:    len(ix.docs),
		Query: queryParams{
			MinPrefix:       minPrefix,
			MaxPrefixChunks: maxPrefixChunks,
			PrefixBoost:     prefixBoost,
			MinTypo:         minTypo,
			TypoBoost:       typoBoost,
			MaxSuffix:       maxSuffix,
			MaxWords:        maxWords,
		},
		Keys: ix.starts,
	}
	for _, f := range fields {
		m.Fields = append(m.Fields, fieldBoost{f.name, f.boost})
	}

	// Chunks.
	for c := range ix.starts {
		lo, hi := sort.SearchStrings(ix.keys, ix.starts[c]), len(ix.keys)
		if c+1 < len(ix.starts) {
			hi = sort.SearchStrings(ix.keys, ix.starts[c+1])
		}
		n := len(`{"s":{},"t":{}}`) + 1
		for _, e := range ix.entries[lo:hi] {
			n += len(e.surface) + len(e.postings) + 2
		}
		data := make([]byte, 0, n)
		data = append(data, `{"s":{`...)
		first := true
		for _, e := range ix.entries[lo:hi] {
			if e.surface != nil {
				if !first {
					data = append(data, ',')
				}
				data, first = append(data, e.surface...), false
			}
		}
		data = append(data, `},"t":{`...)
		first = true
		for _, e := range ix.entries[lo:hi] {
			if e.postings != nil {
				if !first {
					data = append(data, ',')
				}
				data, first = append(data, e.postings...), false
			}
		}
		data = append(data, "}}\n"...)
		name := "c-" + hash(data) + ".json"
		m.Chunks = append(m.Chunks, name)
		if err := t.Add(path.Join(Dir, name), data); err != nil {
			return nil, err
		}
	}

	// Records, in files of m.PerFile, in a folder named after all of
	// them, so that every file of the static index may be cached for
	// ever but the manifest.
	recs := make([][]byte, len(ix.docs))
	size := 0
	for n, d := range ix.docs {
		r := record{Title: d.title(), Category: d.cat.Title, URL: d.url()}
		if d.prompt != nil {
			r.Text = model.Excerpt(d.prompt.Text, recordText)
		} else {
			r.Text = model.Excerpt(d.cat.IntroText, recordText)
		}
		data, err := json.Marshal(r)
		if err != nil {
			return nil, fmt.Errorf("search: record %s: %w", r.URL, err)
		}
		recs[n] = data
		size += len(data) + 1
	}
	// As many records a file as make groupTarget bytes on average.
	m.PerFile = max(1, (groupTarget*len(recs)+size/2)/max(size, 1))
	var groups [][]byte
	all := sha256.New()
	for lo := 0; lo < len(recs); lo += m.PerFile {
		g := slices.Concat([]byte("["), bytes.Join(recs[lo:min(lo+m.PerFile, len(recs))], []byte(",\n")), []byte("]\n"))
		groups = append(groups, g)
		all.Write(g)
	}
	m.Records = "d-" + hex.EncodeToString(all.Sum(nil))[:10]
	for i, g := range groups {
		if err := t.Add(path.Join(Dir, m.Records, strconv.Itoa(i)+".json"), g); err != nil {
			return nil, err
		}
	}

	data, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("search: manifest: %w", err)
	}
	if err := t.Add(path.Join(Dir, "index.json"), append(data, '\n')); err != nil {
		return nil, err
	}
	return t, nil
}

func hash(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])[:10]
}
