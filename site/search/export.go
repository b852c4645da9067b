package search

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/cespare/xxhash/v2"

	"github.com/promptsite/promptsite/site/model"
	"github.com/promptsite/promptsite/site/output"
)

// Dir is the folder of the static index, relative to the site's root.
const Dir = "search"

// chunkTarget is the size, in bytes before compression, at which the static
// index starts a new chunk. A chunk holds a range of keys: surface words and
// analysed terms in sorted order. Chunks are what the query rules count
// (see expand): a word is completed when its completions lie in at most
// maxPrefixChunks of them, and a typo is looked for among the words of its
// chunk.
var chunkTarget = 16 << 10

// pageTarget is the size, in bytes before compression, that a file of the
// static index aims at. Each chunk is cut into pages, so that a query
// fetches the keys near its words rather than a whole chunk: "retry" on
// the seed library fetches a page of 400 bytes, 200 gzipped. Smaller pages
// would make the manifest, which names them all, grow more than they save.
var pageTarget = 256

// maxPages is the most pages the index is cut into, past which pages grow
// beyond pageTarget: the manifest, which search.js fetches first, names
// where each starts. An index of more than maxPages chunks has a page for
// each chunk.
const maxPages = 256

// recordText is how much of a result's text its record keeps for snippets.
const recordText = 1200

// groupTarget and singleRecords say how records are grouped into files. A
// search fetches the record of each result it shows, so in a library of
// up to singleRecords documents each record is a file of its own, and a
// query fetches its results' records and nothing else. Past that, records
// share files of about groupTarget bytes before compression: a file more
// for each record would cost a build more than it saves a search, on file
// systems where creating a file is slow (a library of 10,000 prompts
// writes some 1,500 files of records, not 10,000).
var (
	groupTarget   = 4 << 10
	singleRecords = 200
)

// Build indexes s and returns the static index: the manifest
// search/index.json, the pages of keys and the files of records.
func Build(s *model.Site) (*output.Tree, error) { return BuildContext(context.Background(), s) }

// BuildContext is Build that stops, with ctx's error, soon after ctx is
// done.
func BuildContext(ctx context.Context, s *model.Site) (*output.Tree, error) {
	t := output.NewTree()
	if err := WriteCached(ctx, s, nil, t.Add); err != nil {
		return nil, err
	}
	return t, nil
}

// WriteCached is BuildContext that gives each file to add as it is made
// (see Index.WriteFiles) rather than returning them all; that reuses the
// analyses cache keeps, and keeps this index's there. cache may be nil.
func WriteCached(ctx context.Context, s *model.Site, cache *Cache, add func(name string, data []byte) error) error {
	if cache != nil {
		cache.mu.Lock()
		defer cache.mu.Unlock()
	}
	// A Cache of NewPastCache is no cache to the index: it only lends
	// and takes the analyses.
	var lean *Cache
	if cache != nil && cache.lean {
		lean, cache = cache, nil
	}
	ix, err := newIndex(ctx, s, cache, lean)
	if err != nil {
		return err
	}
	defer ix.Close()
	if cache == nil {
		// The files are made from the entries that newIndex planned; the
		// postings they were planned from are needed no more, unless a
		// cache keeps them to patch. A large library's are its biggest
		// part.
		ix.postings = nil
	}
	return ix.WriteFiles(add)
}

// manifest is search/index.json, the first file search.js fetches. The
// other files of the static index are named after their contents, so that
// they may be cached for ever (see pagePath and recordPath): in a small
// index, all of them lie in one folder named after them all; in a large
// one, each page is named after itself and each group of files of
// records lie in a folder named after them, so that a rebuild after an
// edit to a prompt leaves most of them as they were, names and all.
type manifest struct {
	Version int         `json:"v"`
	Docs    int         `json:"n"`
	Boosts  []float64   `json:"boosts"` // of the fields, in their order
	Query   queryParams `json:"q"`
	Keys    []string    `json:"keys"`   // where each page starts (see Files)
	Chunks  []int       `json:"chunks"` // the number of pages of each chunk
	PerFile int         `json:"per"`    // records per file of records
	// Dir, in a small index, is the folder of all the files.
	Dir string `json:"dir,omitempty"`
	// PageSums and RecordSums, in a large index, are the names of the
	// pages and of the folders of records, sumLen characters each, one
	// after the other; a folder holds RecordGroup files of records.
	PageSums    string `json:"ph,omitempty"`
	RecordSums  string `json:"rh,omitempty"`
	RecordGroup int    `json:"rg,omitempty"`
}

// pagePath returns the path of page i in the folder Dir.
func (m *manifest) pagePath(i int) string {
	if m.Dir != "" {
		return m.Dir + "/k" + strconv.Itoa(i) + ".json"
	}
	return "k" + strconv.Itoa(i) + "." + m.PageSums[i*sumLen:(i+1)*sumLen] + ".json"
}

// recordPath returns the path of file of records f in the folder Dir.
func (m *manifest) recordPath(f int) string {
	dir := m.Dir
	if dir == "" {
		g := f / m.RecordGroup
		dir = m.RecordSums[g*sumLen : (g+1)*sumLen]
	}
	return dir + "/r" + strconv.Itoa(f) + ".json"
}

// oneFolder is the most files an index keeps in one folder named after
// them all: rewriting them all after any edit costs little, and the
// manifest stays as small as can be.
const oneFolder = 256

// recordGroup is how many files of records share a folder in a large
// index: an edit to a prompt rewrites its record's group.
const recordGroup = 32

// sumLen is the length of the names made from a hash (see sumName).
const sumLen = 6

// sumName is the name of files of content data: 30 bits of their hash, in
// lower-case base 32, which case-insensitive file systems keep apart. A
// file that changes keeps its name once in a billion times; a longer name
// would cost every first search of a large library more of the manifest.
func sumName(data ...[]byte) string {
	h := xxhash.New()
	for _, d := range data {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(d)))
		h.Write(n[:])
		h.Write(d)
	}
	var sum [8]byte
	return lowerBase32.EncodeToString(h.Sum(sum[:0])[:4])[:sumLen]
}

var lowerBase32 = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// queryParams are the rules of reading a query (see expand), which the
// manifest lists in this order.
type queryParams struct {
	MinPrefix       int
	MaxPrefixChunks int
	PrefixBoost     float64
	MinTypo         int
	TypoBoost       float64
	MaxSuffix       int
	MaxWords        int
}

func (q queryParams) MarshalJSON() ([]byte, error) {
	return json.Marshal([]any{q.MinPrefix, q.MaxPrefixChunks, q.PrefixBoost, q.MinTypo, q.TypoBoost, q.MaxSuffix, q.MaxWords})
}

// record is what a result shows: its title, its category, its address and
// its text, for the snippet. Document n's record is item n%per of the JSON
// array Dir/r<n/per>.json.
type record [4]string

// allKeys returns every key of the static index, sorted: the surface
// words and the terms, each once.
func (ix *Index) allKeys() []string {
	if p := ix.prev; p != nil {
		// The last index's, patched: only dirty keys can have come or
		// gone.
		return mergeKeys(p.keys, p.dirty, func(k string) bool {
			_, word := ix.surface[k]
			_, term := ix.postings[k]
			return word || term
		})
	}
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

// plan writes every key's entry, on every core, cuts the sorted keys into
// chunks of about chunkTarget bytes, and each chunk into pages.
func (ix *Index) plan() {
	ix.keys = ix.allKeys()
	ix.entries = make([]entry, len(ix.keys))
	// The entries of the last index that did not change are taken as
	// they are: both lists of keys are sorted.
	taken := make([]bool, len(ix.keys))
	if p := ix.prev; p != nil {
		j := 0
		for i, k := range ix.keys {
			for j < len(p.keys) && p.keys[j] < k {
				j++
			}
			if j < len(p.keys) && p.keys[j] == k && !p.dirty[k] {
				ix.entries[i], taken[i] = p.entries[j], true
			}
		}
	}
	workers := min(runtime.GOMAXPROCS(0), max(len(ix.keys)/256, 1))
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*len(ix.keys)/workers, (w+1)*len(ix.keys)/workers
		wg.Go(func() {
			var b bytes.Buffer
			for i := lo; i < hi; i++ {
				if taken[i] {
					continue
				}
				k := ix.keys[i]
				if ts, ok := ix.surface[k]; ok {
					b.Reset()
					writeSurface(&b, k, ts)
					ix.entries[i].surface = bytes.Clone(b.Bytes())
				}
				if ps, ok := ix.postings[k]; ok {
					b.Reset()
					ix.writePostings(&b, k, ps)
					ix.entries[i].postings = bytes.Clone(b.Bytes())
				}
			}
		})
	}
	wg.Wait()
	if ix.cache != nil {
		ix.cache.keys, ix.cache.entries = ix.keys, ix.entries
	}
	sizes := make([]int, len(ix.keys))
	total := 0
	for i, e := range ix.entries {
		sizes[i] = len(e.surface) + len(e.postings) + 1
		total += sizes[i]
	}
	ix.starts = []string{""}
	chunks := []int{0}
	size := 0
	for i, k := range ix.keys {
		if size >= chunkTarget {
			ix.starts = append(ix.starts, k)
			chunks = append(chunks, i)
			size = 0
		}
		size += sizes[i]
	}
	chunks = append(chunks, len(ix.keys))
	target := max(pageTarget, total/maxPages)
	ix.pages = ix.pages[:0]
	ix.pagesOf = ix.pagesOf[:0]
	for c := range len(chunks) - 1 {
		n := len(ix.pages)
		ix.pages = append(ix.pages, chunks[c])
		ix.pages = append(ix.pages, cut(ix.keys, sizes, chunks[c], chunks[c+1], target)...)
		ix.pagesOf = append(ix.pagesOf, len(ix.pages)-n)
	}
}

// cut returns where the keys lo to hi, of the sizes given, are cut into
// pages of about target bytes: the index of the first key of each page but
// the first. A page ends, among the places that leave it between half and
// twice the target, where the keys on either side share the shortest
// beginning, and of those nearest the target: so the keys that begin with
// the same letters, which a word typed letter by letter looks for, tend to
// share a page. The last page takes what is left when that is less than
// twice the target.
func cut(keys []string, sizes []int, lo, hi, target int) []int {
	var out []int
	for i := lo; ; {
		best, bestShared, bestOff := -1, 0, 0
		size, j := 0, i
		for j < hi && size < 2*target {
			size += sizes[j]
			j++
			if j < hi && size >= target/2 {
				shared, off := sharedRunes(keys[j-1], keys[j]), abs(size-target)
				if best < 0 || shared < bestShared || shared == bestShared && off < bestOff {
					best, bestShared, bestOff = j, shared, off
				}
			}
		}
		if j == hi && size < 2*target || best < 0 {
			return out
		}
		out = append(out, best)
		i = best
	}
}

// sharedRunes returns the number of characters a and b begin with alike.
func sharedRunes(a, b string) int {
	n := 0
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			break
		}
		a, b, n = a[na:], b[nb:], n+1
	}
	return n
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// writeSurface writes "word":terms for the word w whose terms are ts,
// where terms is 1 when the word is its own and only term, 0 when it has
// none (a stop word), "term" for one other term and ["term",…] for
// several (a word of documents in more than one language).
func writeSurface(b *bytes.Buffer, w string, ts []string) {
	writeString(b, w)
	b.WriteByte(':')
	switch {
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

// writePostings writes "term":[f0,f1,f2,f3] for the term t whose postings
// are given, one entry per field: 0 when the term is not in the field,
// else a flat array of (document number minus the previous one, term
// frequency, field length) triples. A page adds to a term's entry the
// surface words of the term that lie on other pages (see far).
func (ix *Index) writePostings(b *bytes.Buffer, t string, postings *[4][]posting) {
	writeString(b, t)
	b.WriteString(":[")
	for fi, ps := range postings {
		if fi > 0 {
			b.WriteByte(',')
		}
		if len(ps) == 0 {
			b.WriteByte('0')
			continue
		}
		b.WriteByte('[')
		prev := int32(0)
		for i, p := range ps {
			if i > 0 {
				b.WriteByte(',')
			}
			n := strconv.AppendInt(b.AvailableBuffer(), int64(p.doc-prev), 10)
			n = append(strconv.AppendInt(append(n, ','), int64(p.freq), 10), ',')
			b.Write(strconv.AppendInt(n, int64(ix.lengths[p.doc][fi]), 10))
			prev = p.doc
		}
		b.WriteByte(']')
	}
	b.WriteByte(']')
}

// writeString writes s as a JSON string, as encoding/json writes it.
func writeString(b *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			j, _ := json.Marshal(s) // a string always marshals
			b.Write(j)
			return
		}
	}
	b.WriteByte('"')
	b.WriteString(s)
	b.WriteByte('"')
}

// Files returns the static index.
func (ix *Index) Files() (*output.Tree, error) {
	t := output.NewTree()
	if err := ix.WriteFiles(t.Add); err != nil {
		return nil, err
	}
	return t, nil
}

// WriteFiles gives each file of the static index to add, the manifest
// last. A large index's files are given as they are made, each named after
// itself, so that they need not all be held at once.
func (ix *Index) WriteFiles(add func(name string, data []byte) error) error {
	m := manifest{
		Version: 4,
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
		Chunks: ix.pagesOf,
	}
	for _, f := range fields {
		m.Boosts = append(m.Boosts, f.boost)
	}

	// The records are made first, to be put in files of m.PerFile: how
	// many files they make says how all the files are named.
	recs := make([][]byte, len(ix.docs))
	var kept map[uint64][]byte // the records for the cache, by recordKey
	if ix.cache != nil {
		kept = make(map[uint64][]byte, len(ix.docs))
	}
	size := 0
	for n, d := range ix.docs {
		text := d.cat.IntroText
		if d.prompt != nil {
			text = d.prompt.Text
		}
		r := record{d.title(), d.cat.Title, d.url(), text}
		var key uint64
		switch {
		case kept != nil:
			key = ix.cache.recordKey(r)
			recs[n] = ix.cache.records[key]
		case ix.lean != nil:
			// The past's record of the document in the same place is
			// taken when it is made from the same.
			key = ix.lean.recordKey(r)
			if x := ix.pastIndex; x != nil && n < len(x.recKeys) && x.recKeys[n] == key {
				recs[n] = x.recs[n]
			}
			ix.recKeys = append(ix.recKeys, key)
		}
		if recs[n] == nil {
			r[3] = model.Excerpt(text, recordText)
			data, err := json.Marshal(r)
			if err != nil {
				return fmt.Errorf("search: record %s: %w", r[2], err)
			}
			recs[n] = data
		}
		if kept != nil {
			kept[key] = recs[n]
		}
		size += len(recs[n]) + 1
	}
	if kept != nil {
		ix.cache.records = kept
	}
	if ix.lean != nil {
		ix.records = recs // kept for the next build (see indexWriter)
	}
	// A record a file in a small library, else as many as make
	// groupTarget bytes on average.
	m.PerFile = 1
	if len(recs) > singleRecords {
		m.PerFile = max(1, min(len(recs), (groupTarget*len(recs)+size/2)/max(size, 1)))
	}
	recordFiles := (len(recs) + m.PerFile - 1) / m.PerFile
	// recordFile makes file of records f, and lets its records go
	// unless they are kept.
	recordFile := func(f int) []byte {
		lo, hi := f*m.PerFile, min((f+1)*m.PerFile, len(recs))
		g := slices.Concat([]byte("["), bytes.Join(recs[lo:hi], []byte(",\n")), []byte("]\n"))
		if ix.records == nil {
			clear(recs[lo:hi])
		}
		return g
	}

	// Pages. The manifest names a page by the shortest beginning of its
	// first key that sorts after the key before it, which leads every key
	// to its page as the whole key would; but a chunk by its first key,
	// which the query rules compare words with (see prefixChunks).
	far := ix.far()
	chunk := map[int]bool{}
	for _, start := range ix.starts {
		chunk[sort.SearchStrings(ix.keys, start)] = true
	}
	page := func(p int) []byte {
		lo, hi := ix.pages[p], len(ix.keys)
		if p+1 < len(ix.pages) {
			hi = ix.pages[p+1]
		}
		name := ix.keys[lo]
		if !chunk[lo] {
			for i := range name {
				if i > 0 && name[:i] > ix.keys[lo-1] {
					name = name[:i]
					break
				}
			}
		}
		m.Keys = append(m.Keys, name)
		return ix.page(lo, hi, far)
	}

	if len(ix.pages)+recordFiles <= oneFolder {
		// One folder, named after all the files in it.
		files := make([][]byte, 0, len(ix.pages)+recordFiles)
		for p := range ix.pages {
			files = append(files, page(p))
		}
		for f := range recordFiles {
			files = append(files, recordFile(f))
		}
		all := sha256.New()
		for i, f := range files {
			name := "k" + strconv.Itoa(i)
			if i >= len(ix.pages) {
				name = "r" + strconv.Itoa(i-len(ix.pages))
			}
			fmt.Fprintf(all, "%s %d\n", name, len(f))
			all.Write(f)
		}
		m.Dir = hex.EncodeToString(all.Sum(nil))[:10]
		for i, f := range files {
			name := m.pagePath(i)
			if i >= len(ix.pages) {
				name = m.recordPath(i - len(ix.pages))
			}
			if err := add(path.Join(Dir, name), f); err != nil {
				return err
			}
		}
	} else {
		var ph, rh strings.Builder
		for p := range ix.pages {
			data := page(p)
			ph.WriteString(sumName(data))
			m.PageSums = ph.String()
			if err := add(path.Join(Dir, m.pagePath(p)), data); err != nil {
				return err
			}
		}
		m.RecordGroup = recordGroup
		for lo := 0; lo < recordFiles; lo += recordGroup {
			group := make([][]byte, 0, recordGroup)
			for f := lo; f < min(lo+recordGroup, recordFiles); f++ {
				group = append(group, recordFile(f))
			}
			rh.WriteString(sumName(group...))
			m.RecordSums = rh.String()
			for i, g := range group {
				if err := add(path.Join(Dir, m.recordPath(lo+i)), g); err != nil {
					return err
				}
			}
		}
	}

	data, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("search: manifest: %w", err)
	}
	return add(path.Join(Dir, "index.json"), append(data, '\n'))
}

// far returns, for each term, its surface words that lie on another page
// than its own, written as a JSON array: those that search.js marks in the
// results although the pages it fetched do not hold them, such as
// "änderung", which sorts after "z", for a search of "anderung".
func (ix *Index) far() map[string][]byte {
	// The sorted words are walked along with the pages. A word's page is
	// the last that starts at or before it; a term is on the same page
	// when it sorts from that page's first key to before the next page's.
	words := map[string][]string{}
	p := 0
	for _, w := range ix.words {
		for p+1 < len(ix.pages) && ix.keys[ix.pages[p+1]] <= w {
			p++
		}
		first, next, last := ix.keys[ix.pages[p]], "", p+1 == len(ix.pages)
		if !last {
			next = ix.keys[ix.pages[p+1]]
		}
		for _, t := range ix.surface[w] {
			if t != w && (t < first || !last && t >= next) {
				words[t] = append(words[t], w)
			}
		}
	}
	out := make(map[string][]byte, len(words))
	for t, ws := range words {
		out[t], _ = json.Marshal(ws) // strings always marshal
	}
	return out
}

// page returns the page of the keys lo to hi, {"s":{surface words},
// "t":{postings}}, with the far surface words of its terms (see far).
func (ix *Index) page(lo, hi int, far map[string][]byte) []byte {
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
	for i, e := range ix.entries[lo:hi] {
		if e.postings == nil {
			continue
		}
		if !first {
			data = append(data, ',')
		}
		first = false
		if ws, ok := far[ix.keys[lo+i]]; ok {
			data = append(data, e.postings[:len(e.postings)-1]...)
			data = append(append(append(data, ','), ws...), ']')
		} else {
			data = append(data, e.postings...)
		}
	}
	return append(data, "}}\n"...)
}
