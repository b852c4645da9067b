package search

import (
	"context"
	"encoding/binary"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/cespare/xxhash/v2"
)

// Cache keeps what one index's analysis made for the next index of the
// same library to reuse: each document's analysis, under a key of its
// analysis and its fields; each record, under a key of what it is made
// from; and the mapping with the terms its analyzers have learnt. The dev server's rebuild after an edit to one prompt then
// analyses that prompt, not the library. An index made with a Cache is the
// same as one made without. A Cache may be used by one index at a time.
type Cache struct {
	mu      sync.Mutex
	langs   string // the analyses of mapping, joined
	mapping *mapping.IndexMappingImpl
	docs    map[uint64]*analysed // by docKey
	// records are the last index's records as written in its files,
	// by recordKey.
	records map[uint64][]byte
	// last is what the last index gathered; nil for none.
	last *gathered
	// keys and entries are the last index's keys and their entries (see
	// plan), for the next to take those that did not change; nil for
	// none, or when they do not go with last.
	keys    []string
	entries []entry
	// terms are the terms of the last index's surface words, by
	// analysis of mapping (see Index.termOf).
	terms []map[string]surfaceTerm
	// surface, words and folded are the last index's, for the next to
	// patch (see Index.patchSurface); nil when they do not go with last.
	surface map[string][]string
	words   []string
	folded  map[string][]string

	// past, for a Cache of NewPastCache, gives what a build in another
	// process analysed; lean is set for such a Cache, which keeps of its
	// index only saved, the encoding of its analyses and of the index
	// they made.
	past  Past
	lean  bool
	saved [][]byte
	// save, when set, makes saved: the encoding is made when it is
	// asked for, once the index is written.
	save func() [][]byte

	// reused and analysed count the documents of the last index;
	// patched tells whether it patched the last one's words.
	reused, analysed int
	patched          bool
}

// NewCache returns an empty Cache.
func NewCache() *Cache { return &Cache{} }

// Counts returns how many documents the last index that used c took from
// it, and how many it analysed.
func (c *Cache) Counts() (reused, analysed int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reused, c.analysed
}

// mappingFor returns the mapping of langs: the one kept when it is theirs,
// else a new one, which it keeps.
func (c *Cache) mappingFor(langs []string) (*mapping.IndexMappingImpl, error) {
	key := strings.Join(langs, "\x00")
	if c.mapping != nil && c.langs == key {
		return c.mapping, nil
	}
	m, err := newMapping(langs)
	if err != nil {
		return nil, err
	}
	c.langs, c.mapping, c.docs, c.terms, c.last = key, m, nil, nil, nil
	return m, nil
}

// docKey hashes what the analysis of d depends on: its analysis and its
// fields.
func (c *Cache) docKey(d *doc, analysis string) uint64 {
	return c.sum(append([]string{analysis}, d.values[:]...)...)
}

// recordKey hashes what a document's record is made from: its title,
// category, address and whole text, of which the record keeps the start.
func (c *Cache) recordKey(r record) uint64 { return c.sum(r[:]...) }

// sum hashes the strings vals, each with its length, with a hash that has
// no seed: a document's key is the same in every process, as a Past
// needs.
func (c *Cache) sum(vals ...string) uint64 {
	h := xxhash.New()
	for _, v := range vals {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(v)))
		h.Write(n[:])
		h.WriteString(v)
	}
	return h.Sum64()
}

// surfaceTerm is what an analysis makes of a surface word: a term, or none
// (ok false), as of a stop word.
type surfaceTerm struct {
	term string
	ok   bool
}

// gathered is what the last index gathered from its documents, for the
// next index of the same documents but a few to patch rather than gather
// again.
type gathered struct {
	keys     []uint64    // each document's key (see docKey)
	docs     []*analysed // each document's analysis
	langs    []int       // each document's analysis's index in Index.langs
	postings map[string]*[4][]posting
	// counts are how many documents have each surface word, by analysis.
	counts map[langWord]int
}

// langWord is a surface word of the documents of one analysis.
type langWord struct {
	word string
	lang int // the index of the analysis in Index.langs
}

// maxPatched is the share of the documents, in one in so many, that may
// have changed for an index to patch the last one's postings rather than
// gather them again.
const maxPatched = 4

// analyzeCached is analyze with a cache: the documents analysed before are
// not analysed again, and when few documents changed, and none came or
// went, the last index's postings are patched where they changed. What it
// gathers is what analyze gathers.
func (ix *Index) analyzeCached(ctx context.Context, ans []analysis.Analyzer) error {
	c := ix.cache
	n := len(ix.docs)
	keys := make([]uint64, n)
	docs := make([]*analysed, n)
	errs := make([]error, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(n/64, 1)) {
		wg.Go(func() {
			w := worker{all: true}
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				if i%64 == 0 && ctx.Err() != nil {
					return
				}
				keys[i] = c.docKey(ix.docs[i], ix.langs[ix.docs[i].lang])
				if a, ok := c.docs[keys[i]]; ok {
					docs[i] = a
					continue
				}
				// Each document's analysis lists all its words, so
				// that it can stand for the document in another index.
				a := &analysed{}
				errs[i] = ix.analyzeDoc(i, ans[ix.docs[i].lang], a, &w)
				// Kept for the next index: without the numbers of a
				// table that is not.
				a.termIDs, a.wordIDs = nil, nil
				docs[i] = a
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	for i, err := range errs {
		if err != nil {
			return fmt.Errorf("search: index %s: %w", ix.docs[i].url(), err)
		}
	}
	c.reused, c.analysed = 0, 0
	kept := make(map[uint64]*analysed, n)
	for i, a := range docs {
		if _, ok := c.docs[keys[i]]; ok {
			c.reused++
		} else {
			c.analysed++
		}
		kept[keys[i]] = a
	}

	// The last index's postings are patched, or gathered again. Until
	// that is done the cache has none: a patch cut short leaves nothing
	// half done for the next index to build on.
	last, lastKeys, lastEntries := c.last, c.keys, c.entries
	lastSurface, lastWords, lastFolded := c.surface, c.words, c.folded
	c.last, c.keys, c.entries = nil, nil, nil
	c.surface, c.words, c.folded = nil, nil, nil
	var changed []int
	if last != nil && len(last.keys) == n {
		for i := range n {
			if last.keys[i] != keys[i] {
				if changed = append(changed, i); len(changed) > n/maxPatched {
					break
				}
			}
		}
	}
	g := &gathered{keys: keys, docs: docs, langs: make([]int, n)}
	for i, d := range ix.docs {
		g.langs[i] = d.lang
	}
	patched := false
	if last != nil && len(last.keys) == n && len(changed) <= n/maxPatched {
		g.postings, g.counts = last.postings, last.counts
		// The entries of the keys that the changed documents have,
		// before or now, are made again; the others', taken.
		dirty := map[string]bool{}
		var words []langWord // the changed documents' words, before and now
		for _, i := range changed {
			ix.unpost(g, i, last.docs[i], last.langs[i])
			ix.post(g, i, docs[i])
			words = ix.markDirty(dirty, words, i, last.docs[i], last.langs[i], docs[i])
		}
		if lastKeys != nil {
			ix.prev = &prevEntries{lastKeys, lastEntries, dirty}
		}
		if lastSurface != nil {
			ix.surface, ix.words, ix.folded, ix.terms = lastSurface, lastWords, lastFolded, c.terms
			ix.patchSurface(g, ans, words, dirty)
			patched = true
		}
	} else {
		g.postings, g.counts = map[string]*[4][]posting{}, map[langWord]int{}
		for i, a := range docs {
			ix.post(g, i, a)
		}
	}
	ix.postings = g.postings
	for i, a := range docs {
		ix.setLengths(i, a)
	}
	if !patched {
		ix.folded = map[string][]string{}
		for lw, k := range g.counts {
			if k <= 0 {
				delete(g.counts, lw)
				continue
			}
			t, ok := ix.termOf(lw.lang, ans[lw.lang], lw.word)
			ix.addSurface(lw.word, t, ok)
			// The word typed without its accents stands for it too.
			if f := fold(lw.word); f != lw.word {
				ix.addSurface(f, t, ok)
				ix.addFolded(f, lw.word)
			}
		}
		ix.sortWords()
	}
	c.docs, c.terms, c.last = kept, ix.terms, g
	c.surface, c.words, c.folded = ix.surface, ix.words, ix.folded
	c.patched = patched
	// The filters, which the cache's mapping keeps, learn each spelling
	// any build had: over a long serve session they would hold every
	// word ever typed. Past twice the library's words they start over.
	forget(ans, 2*len(ix.surface)+256)
	return nil
}

// patchSurface brings the last index's surface words, their terms, the
// words that fold to each and the sorted list of them up to date with g,
// whose counts the changed documents' words have just changed. words are
// those words, each with its analysis; dirty holds them, their folded
// forms and the terms of the changed documents. Only the dirty keys'
// surface words are made again: no other key has a word that changed.
func (ix *Index) patchSurface(g *gathered, ans []analysis.Analyzer, words []langWord, dirty map[string]bool) {
	for len(ix.terms) < len(ix.langs) {
		ix.terms = append(ix.terms, map[string]surfaceTerm{})
	}
	// The terms each word has in each analysis it is in, and the words
	// that fold to another.
	for _, lw := range words {
		if g.counts[lw] > 0 {
			ix.termOf(lw.lang, ans[lw.lang], lw.word)
		} else {
			delete(g.counts, lw)
			delete(ix.terms[lw.lang], lw.word)
		}
		if f := fold(lw.word); f != lw.word {
			if ix.inAnyLang(g, lw.word) {
				ix.addFolded(f, lw.word)
			} else if i := slices.Index(ix.folded[f], lw.word); i >= 0 {
				if ix.folded[f] = slices.Delete(ix.folded[f], i, i+1); len(ix.folded[f]) == 0 {
					delete(ix.folded, f)
				}
			}
		}
	}
	// Each dirty key's surface entry, made again from the words that
	// are it or fold to it.
	for k := range dirty {
		terms, ok := []string(nil), false
		for _, w := range append([]string{k}, ix.folded[k]...) {
			for lang := range ix.langs {
				if g.counts[langWord{w, lang}] <= 0 {
					continue
				}
				ok = true
				if t, has := ix.terms[lang][w]; has && t.ok {
					if i, found := slices.BinarySearch(terms, t.term); !found {
						terms = slices.Insert(terms, i, t.term)
					}
				}
			}
		}
		if ok {
			ix.surface[k] = terms
		} else {
			delete(ix.surface, k)
		}
	}
	ix.words = mergeKeys(ix.words, dirty, func(k string) bool { _, ok := ix.surface[k]; return ok })
}

// markDirty adds to dirty the keys whose entries may change as document i
// changes from the analysis before, of the analysis was, to now: the terms
// and the words of both, and what the words fold to. It returns words with
// the words of both, each with its analysis, appended.
func (ix *Index) markDirty(dirty map[string]bool, words []langWord, i int, before *analysed, was int, now *analysed) []langWord {
	for k, a := range []*analysed{before, now} {
		for fi := range fields {
			for _, tf := range a.terms[fi] {
				dirty[tf.term] = true
			}
		}
		lang := was
		if k == 1 {
			lang = ix.docs[i].lang
		}
		for _, w := range a.words {
			dirty[w], dirty[fold(w)] = true, true
			words = append(words, langWord{w, lang})
		}
	}
	return words
}

// inAnyLang reports whether some document has the surface word w.
func (ix *Index) inAnyLang(g *gathered, w string) bool {
	for lang := range ix.langs {
		if g.counts[langWord{w, lang}] > 0 {
			return true
		}
	}
	return false
}

// addFolded records that the surface word w folds to f.
func (ix *Index) addFolded(f, w string) {
	if !slices.Contains(ix.folded[f], w) {
		ix.folded[f] = append(ix.folded[f], w)
	}
}

// mergeKeys returns the sorted keys of an index patched from the sorted
// keys of the last: those of the last that are not dirty, which are
// still keys, and the dirty ones that are keys now, as is tells.
func mergeKeys(last []string, dirty map[string]bool, is func(string) bool) []string {
	var now []string
	for k := range dirty {
		if is(k) {
			now = append(now, k)
		}
	}
	slices.Sort(now)
	keys := make([]string, 0, len(last)+len(now))
	i := 0
	for _, k := range last {
		if dirty[k] {
			continue
		}
		for i < len(now) && now[i] < k {
			keys = append(keys, now[i])
			i++
		}
		keys = append(keys, k)
	}
	return append(keys, now[i:]...)
}

// post adds document i's analysis a to g: its postings (see addPostings)
// and its words.
func (ix *Index) post(g *gathered, i int, a *analysed) {
	addPostings(g.postings, i, a)
	for _, w := range a.words {
		g.counts[langWord{w, ix.docs[i].lang}]++
	}
}

// unpost takes document i's analysis a, of the analysis lang, out of g.
func (ix *Index) unpost(g *gathered, i int, a *analysed, lang int) {
	for fi := range fields {
		for _, tf := range a.terms[fi] {
			all := g.postings[tf.term]
			if all == nil {
				continue
			}
			list := all[fi]
			if at, found := slices.BinarySearchFunc(list, int32(i), comparePosting); found {
				list = slices.Delete(list, at, at+1)
			}
			if len(list) == 0 {
				list = nil
			}
			all[fi] = list
			if all[0] == nil && all[1] == nil && all[2] == nil && all[3] == nil {
				delete(g.postings, tf.term)
			}
		}
	}
	for _, w := range a.words {
		g.counts[langWord{w, lang}]--
	}
}

// prevEntries are the last index's keys and entries, and the keys whose
// entries changed since (see plan).
type prevEntries struct {
	keys    []string
	entries []entry
	dirty   map[string]bool
}
