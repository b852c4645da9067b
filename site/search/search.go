// Package search indexes a prompt library with bleve, answers queries from
// that index, and exports bleve's analysis of it as static files that
// assets/search.js reads to rank results in the browser exactly as bleve
// does. The export needs bleve's analysis and term statistics only, which
// it gathers on every core; bleve's index is made when a query needs it.
package search

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/promptsite/promptsite/site/model"
)

// field is one indexed field of a document and its query boost.
type field struct {
	name  string
	boost float64
}

// fields are the document fields, in the order the static index lists them.
// A title match outweighs a category match, which outweighs a body match.
var fields = []field{
	{"title", 4},
	{"category", 1.5},
	{"text", 1},
	{"code", 1},
}

// doc is one searchable unit: a prompt, or a category that has no prompts.
type doc struct {
	cat    *model.Category
	prompt *model.Prompt // nil for a category without prompts
	values [4]string     // the values of fields, in the same order
	lang   int           // the index of its analysis in Index.langs
}

func (d *doc) url() string {
	if d.prompt == nil {
		return d.cat.URL()
	}
	return d.prompt.URL(d.cat)
}

func (d *doc) title() string {
	if d.prompt == nil {
		return d.cat.Title
	}
	return d.prompt.Title
}

// posting is one document's entry in a term's postings for one field.
type posting struct {
	// Two int32s, not three ints: a large library's postings, its index's
	// biggest part while it is built, are a third of what they were. The
	// field's length is the document's (see Index.lengths), not each
	// posting's.
	doc, freq int32
}

// Index is a prompt library analysed by bleve, with the statistics the
// browser needs to rank as bleve ranks.
type Index struct {
	mapping  *mapping.IndexMappingImpl
	langs    []string // the analyses of the documents (see Analysis), the library's first
	docs     []*doc
	idWidth  int
	surface  map[string][]string // surface word → its analysed terms, sorted; none for a stop word
	words    []string            // the surface words, sorted
	postings map[string]*[4][]posting
	lengths  [][4]int32 // each document's fields' lengths, in terms
	keys     []string   // the keys of the static index, sorted (see allKeys)
	entries  []entry    // the static index's entry of each key
	starts   []string   // the first key of each chunk of the static index, sorted
	pages    []int      // the index in keys of the first key of each page
	pagesOf  []int      // the number of pages of each chunk

	// bleve is the index that answers Query, made on its first use: the
	// static export needs only bleve's analysis, not its index.
	// cache, when set, gives the analyses of documents seen before, and
	// keeps those of this index (see Cache); terms are the terms of this
	// index's surface words, by analysis, for it to keep.
	cache *Cache
	// lean, when set, is a Cache of NewPastCache: the index takes the
	// analyses of the documents that did not change from its past, and
	// leaves it the encoding of its own.
	lean  *Cache
	terms []map[string]surfaceTerm
	// pastTerms and savedTerms, with lean, are the terms of the surface
	// words that its past gives, by analysis and word, and the writer of
	// the analyses that keeps this index's (see Index.termOf).
	pastTerms  map[string]map[string]surfaceTerm
	savedTerms *analysesWriter
	// keepTerms, with lean, has terms keep the terms of the surface
	// words, as a cache has them kept: a patched index saves them from
	// there (see patch).
	keepTerms bool
	// folded are, with a cache, the surface words that fold to each
	// other word, for the next index to patch (see patchSurface).
	folded map[string][]string
	// prev, when set, has the entries of keys that did not change.
	prev *prevEntries
	// pastIndex, with lean, is the index its past made, if any; the
	// index keeps its records, and their keys (see recordKey), in
	// records and recKeys, for the next build to take.
	pastIndex *pastIndex
	records   [][]byte
	recKeys   []uint64

	bleveOnce sync.Once
	bleve     bleve.Index
	bleveErr  error
}

// Result is one answer to a query.
type Result struct {
	Category *model.Category
	Prompt   *model.Prompt // nil when the result is a category without prompts
	Score    float64       // bleve's score
	URL      string        // the page path and anchor, e.g. /testing-prompts/#write-async-tests
}

// New analyses s with bleve. Each prompt is a document, and so is each
// category without prompts. A document is analysed in its language: its
// own, its category's, else the library's (see Analysis).
func New(s *model.Site) (*Index, error) { return NewContext(context.Background(), s) }

// NewContext is New that stops, with ctx's error, soon after ctx is done.
func NewContext(ctx context.Context, s *model.Site) (*Index, error) {
	return newIndex(ctx, s, nil, nil)
}

// newIndex is NewContext with a cache, or with a Cache of NewPastCache,
// lean; either may be nil. The caller holds the cache's lock.
func newIndex(ctx context.Context, s *model.Site, cache, lean *Cache) (*Index, error) {
	ix := &Index{surface: map[string][]string{}, postings: map[string]*[4][]posting{}, cache: cache, lean: lean}
	ix.langs = []string{Analysis(s.Lang)}
	langOf := func(tags ...string) int {
		tag := s.Lang
		for _, t := range tags {
			if t != "" {
				tag = t
				break
			}
		}
		a := Analysis(tag)
		i := slices.Index(ix.langs, a)
		if i < 0 {
			i = len(ix.langs)
			ix.langs = append(ix.langs, a)
		}
		return i
	}
	for _, c := range s.Categories {
		if len(c.Prompts) == 0 {
			ix.docs = append(ix.docs, &doc{cat: c, values: [4]string{c.Title, c.Title, c.IntroText, ""}, lang: langOf(c.Lang)})
			continue
		}
		for _, p := range c.Prompts {
			var code []string
			for _, b := range p.Code {
				code = append(code, b.Source)
			}
			// A prompt's tags are searched as its category is: they
			// group it with others.
			group := c.Title
			for _, t := range p.Tags {
				group += "\n" + t.Name
			}
			ix.docs = append(ix.docs, &doc{cat: c, prompt: p,
				values: [4]string{p.Title, group, prose(p), strings.Join(code, "\n")}, lang: langOf(p.Lang, c.Lang)})
		}
	}
	ix.idWidth = len(strconv.Itoa(max(len(ix.docs)-1, 0)))
	ix.lengths = make([][4]int32, len(ix.docs))

	var err error
	if cache != nil {
		ix.mapping, err = cache.mappingFor(ix.langs)
	} else {
		ix.mapping, err = newMapping(ix.langs)
	}
	if err != nil {
		return nil, fmt.Errorf("search: mapping: %w", err)
	}
	if err := ix.analyze(ctx); err != nil {
		return nil, err
	}
	ix.plan()
	return ix, nil
}

// Close releases the bleve index, if a query made one.
func (ix *Index) Close() error {
	if ix.bleve != nil {
		return ix.bleve.Close()
	}
	return nil
}

// prose returns the plain text of p's body without its code blocks.
func prose(p *model.Prompt) string {
	return strings.TrimSpace(without(p, func(model.CodeBlock) bool { return true }))
}

// without returns the plain text of p's body without the code blocks that
// drop says to leave out.
func without(p *model.Prompt, drop func(model.CodeBlock) bool) string {
	t := p.Text
	for _, b := range p.Code {
		if !drop(b) || b.Source == "" {
			continue
		}
		if i := strings.Index(t, b.Source); i >= 0 {
			t = t[:i] + "\n" + t[i+len(b.Source):]
		}
	}
	return t
}

// newMapping returns a lean mapping: four analysed text fields, nothing
// stored, no term vectors, no doc values, no _all field and no dynamic
// fields. Documents are of the type of their analysis, each type's fields
// analysed by it; the first analysis is the default.
func newMapping(langs []string) (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	m.IndexDynamic = false
	m.StoreDynamic = false
	m.DocValuesDynamic = false
	for i, a := range langs {
		name, err := addAnalyzer(m, a)
		if err != nil {
			return nil, err
		}
		dm := bleve.NewDocumentStaticMapping()
		dm.DefaultAnalyzer = name
		for _, f := range fields {
			fm := bleve.NewTextFieldMapping()
			fm.Analyzer = name
			fm.Store = false
			fm.IncludeTermVectors = false
			fm.IncludeInAll = false
			fm.DocValues = false
			dm.AddFieldMappingsAt(f.name, fm)
		}
		all := bleve.NewDocumentDisabledMapping()
		dm.AddSubDocumentMapping("_all", all)
		if i == 0 {
			m.DefaultAnalyzer = name
			m.DefaultMapping = dm
		} else {
			m.AddDocumentMapping(a, dm)
		}
	}
	return m, nil
}

// analyzer returns the analyzer of the documents of analysis i.
func (ix *Index) analyzer(i int) analysis.Analyzer {
	return ix.mapping.AnalyzerNamed(analyzerPref + ix.langs[i])
}

func (ix *Index) docID(n int) string { return fmt.Sprintf("%0*d", ix.idWidth, n) }

// value returns document n as bleve's mapping reads it: its non-empty
// fields by name, and its type when it is not in the library's language.
func (ix *Index) value(n int) map[string]any {
	v := map[string]any{}
	if l := ix.docs[n].lang; l > 0 {
		v[ix.mapping.TypeField] = ix.langs[l]
	}
	for i, f := range fields {
		if ix.docs[n].values[i] != "" {
			v[f.name] = ix.docs[n].values[i]
		}
	}
	return v
}

// analysed is what bleve's analysis makes of one document: for each field,
// its terms with their frequencies and its length in terms; and the
// surface words of its text, lower-cased.
type analysed struct {
	terms  [4][]termFreq
	length [4]int
	words  []string
	// termIDs and wordIDs number the terms, field by field, and the
	// words, in the table of strings of the worker that made the analysis
	// (see strTable), or in that of the analyses it was taken from.
	termIDs, wordIDs []uint32
}

// reset empties a, keeping its room.
func (a *analysed) reset() {
	*a = analysed{terms: [4][]termFreq{a.terms[0][:0], a.terms[1][:0], a.terms[2][:0], a.terms[3][:0]},
		words: a.words[:0], termIDs: a.termIDs[:0], wordIDs: a.wordIDs[:0]}
}

// termFreq is a term of a field and how often the field has it. A list of
// them holds a document's analysis in a quarter of the memory of bleve's
// map of them, which matters to a Cache that keeps every document's.
type termFreq struct {
	term string
	freq int
}

// analyze runs bleve's analysis over every document, as bleve's index
// does when it adds them (the mapping makes the fields, each field
// analyses itself), on every core, a block of documents at a time; and
// gathers the postings and the surface words in document order. It stops
// between blocks once ctx is done.
func (ix *Index) analyze(ctx context.Context) error {
	ans := make([]analysis.Analyzer, len(ix.langs))
	for i := range ans {
		if ans[i] = ix.analyzer(i); ans[i] == nil {
			return fmt.Errorf("search: no analyzer for %s", ix.langs[i])
		}
	}
	if len(ix.langs) > 64 {
		return fmt.Errorf("search: %d analyses; at most 64", len(ix.langs))
	}
	if ix.cache != nil {
		return ix.analyzeCached(ctx, ans)
	}
	const block = 512 // documents analysed before they are gathered
	workers := min(runtime.GOMAXPROCS(0), max(len(ix.docs)/64, 1))
	states := make([]worker, workers)
	// The analyses are gathered by the numbers of their strings in one
	// table (see gatherer): with lean, the table of the analyses saved;
	// else one of the gatherer's own.
	var g gatherer
	var own *numbering
	var nums []uint32
	// Two blocks are in hand: one being analysed on every core while the
	// one before is gathered, which only one goroutine may do.
	type batch struct {
		lo    int
		out   []analysed
		keys  []uint64 // with lean, each document's key (see docKey)
		taken []bool   // and whether its analysis was taken from the past
		errs  []error
		wg    sync.WaitGroup
		// strs are the workers' tables of strings once the batch is
		// analysed: the workers add to them as they analyse the next.
		strs [][]string
	}
	var batches [2]batch
	for i := range batches {
		batches[i].out = make([]analysed, min(block, len(ix.docs)))
		batches[i].keys = make([]uint64, len(batches[i].out))
		batches[i].taken = make([]bool, len(batches[i].out))
		batches[i].errs = make([]error, len(batches[i].out))
		batches[i].strs = make([][]string, workers)
	}
	// With lean, the analyses of the documents that did not change are
	// taken from its past, and every analysis is saved.
	var past *pastAnalyses
	var save *analysesWriter
	var reused atomic.Int64
	if ix.lean != nil {
		if ix.lean.past != nil {
			if b := ix.lean.past.Analyses(); b != nil {
				past, _ = readAnalyses(b) // one that cannot be read is none
			}
		}
		save = newAnalysesWriter(past)
		// The terms of the surface words are kept too: each is an
		// analysis of its own.
		ix.savedTerms = save
		if past != nil {
			ix.pastTerms, ix.pastIndex = past.terms, past.index
			// Most builds change a few documents: the index the past's
			// made is patched where they changed.
			if done, err := ix.patch(ctx, ans, past, save); done || err != nil {
				return err
			}
			// The analyses are encoded again, most of them as they
			// were.
			save.docs.buf = make([]byte, 0, past.size)
		}
		// An analysis saved lists all the document's words, to stand for
		// it in another index.
		for w := range states {
			states[w].all = true
		}
	}
	tr := make([][]uint64, workers) // the workers' numbers in save's, plus one
	if save == nil {
		own = &numbering{ids: map[string]uint32{}, tr: make([][]uint32, workers)}
		// A library has some eight words and terms of its own to a
		// document.
		g.postings = make([][4][]posting, 0, 8*len(ix.docs))
		g.learnt = make([]uint64, 0, cap(g.postings))
	} else {
		// Most of the strings are the past's, which save's table begins
		// with: the gatherer is made at their number, not grown to it.
		g.postings = make([][4][]posting, 0, len(save.table())+len(save.table())/8)
		g.learnt = make([]uint64, 0, cap(g.postings))
		g.counts = [][]int32{make([]int32, 0, cap(g.postings))}
	}
	start := func(b *batch, lo int) {
		b.lo = lo
		hi := min(lo+block, len(ix.docs))
		for w := range workers {
			b.wg.Go(func() {
				for n := lo + w; n < hi; n += workers {
					if save != nil {
						key := ix.lean.docKey(ix.docs[n], ix.langs[ix.docs[n].lang])
						b.keys[n-lo] = key
						b.taken[n-lo] = past != nil && past.take(key, &b.out[n-lo])
						if b.taken[n-lo] {
							b.errs[n-lo] = nil
							reused.Add(1)
							continue
						}
					}
					b.errs[n-lo] = ix.analyzeDoc(n, ans[ix.docs[n].lang], &b.out[n-lo], &states[w])
				}
			})
		}
	}
	start(&batches[0], 0)
	for k, lo := 0, 0; lo < len(ix.docs); k, lo = k+1, lo+block {
		b := &batches[k%2]
		b.wg.Wait()
		for w := range states {
			b.strs[w] = states[w].strs.strs
		}
		if lo+block < len(ix.docs) {
			start(&batches[(k+1)%2], lo+block)
		}
		err := ctx.Err()
		for n := lo; err == nil && n < min(lo+block, len(ix.docs)); n++ {
			if err = b.errs[n-lo]; err != nil {
				err = fmt.Errorf("search: index %s: %w", ix.docs[n].url(), err)
				break
			}
			a := &b.out[n-lo]
			w := (n - lo) % workers // the worker that analysed it, unless taken
			switch {
			case save == nil:
				nums = own.number(nums[:0], a, w, b.strs[w])
			case b.taken[n-lo]:
				// Numbered as in the past, as save's table begins.
				save.addPast(b.keys[n-lo], a)
				nums = append(append(nums[:0], a.termIDs...), a.wordIDs...)
			default:
				save.add(b.keys[n-lo], a, b.strs[w], &tr[w])
				nums = nums[:0]
				for _, ids := range [][]uint32{a.termIDs, a.wordIDs} {
					for _, id := range ids {
						nums = append(nums, uint32(tr[w][id]-1))
					}
				}
			}
			ix.gather(n, a, ans[ix.docs[n].lang], &g, nums)
			// Its room is the next document's: nothing above keeps it.
			a.reset()
		}
		if err != nil {
			batches[(k+1)%2].wg.Wait() // no goroutine outlives the call
			return err
		}
	}
	strs := save.table()
	if own != nil {
		strs = own.strs
	}
	ix.postings = g.byTerm(strs)
	ix.sortWords()
	if save != nil {
		ix.lean.reused = int(reused.Load())
		ix.lean.analysed = len(ix.docs) - ix.lean.reused
		ix.lean.patched = false
		// The index the analyses make is saved with them: the counts
		// of its words are by their numbers in save's table, as
		// gathered.
		ids, counts := save.ids, g.counts
		ix.saveIndex(save, &indexWriter{ix: ix, count: func(k string, lang int) int {
			if id, ok := ids[k]; ok && lang < len(counts) && id < uint64(len(counts[lang])) {
				return int(counts[lang][id])
			}
			return 0
		}})
	}
	// What the filters made of each spelling is kept only to analyse
	// faster; without a cache to keep it for the next build, it goes
	// before the index is written, which needs it no more.
	forget(ans, 0)
	return nil
}

// forget has the term filters of ans drop what they made of each spelling
// once they hold more than most spellings.
func forget(ans []analysis.Analyzer, most int) {
	for _, an := range ans {
		if d, ok := an.(*analysis.DefaultAnalyzer); ok {
			for _, f := range d.TokenFilters {
				if tf, ok := f.(*termFilter); ok && tf.size() > most {
					tf.forget()
				}
			}
		}
	}
}

// sortWords lists the surface words, sorted.
func (ix *Index) sortWords() {
	ix.words = make([]string, 0, len(ix.surface))
	for w := range ix.surface {
		ix.words = append(ix.words, w)
	}
	slices.Sort(ix.words)
}

// gather adds document n's analysis, the latest, to g's postings, and to
// the surface words each surface word new to the document's analysis an,
// with the term an makes of it. nums are the numbers of a's terms, field
// by field, then of its words, in g's table.
func (ix *Index) gather(n int, a *analysed, an analysis.Analyzer, g *gatherer, nums []uint32) {
	k := 0
	for fi := range fields {
		for _, tf := range a.terms[fi] {
			g.post(nums[k], fi, posting{doc: int32(n), freq: int32(tf.freq)})
			k++
		}
	}
	ix.setLengths(n, a)
	lang := ix.docs[n].lang
	bit := uint64(1) << lang
	for i, w := range a.words {
		if g.counts != nil {
			g.count(nums[k+i], lang)
		}
		if !g.learn(nums[k+i], bit) {
			continue
		}
		t, ok := ix.termOf(lang, an, w)
		ix.addSurface(w, t, ok)
		// The word typed without its accents stands for it too.
		if f := fold(w); f != w {
			ix.addSurface(f, t, ok)
		}
	}
}

// gatherer holds the postings of the documents gathered, and the
// analyses that met each surface word, by the number of the term or word
// in one table of strings: a string is looked up once for each table it
// is numbered in, not once for each document that has it.
type gatherer struct {
	postings [][4][]posting // by the term's number
	learnt   []uint64       // by the word's number: a bit for each analysis
	// counts, when set, count the documents that have each word, by
	// analysis and the word's number.
	counts [][]int32
}

// count counts the word numbered w once more in the analysis lang.
func (g *gatherer) count(w uint32, lang int) {
	for len(g.counts) <= lang {
		g.counts = append(g.counts, nil)
	}
	c := g.counts[lang]
	if int(w) >= len(c) {
		c = slices.Grow(c, int(w)+1-len(c))[:int(w)+1]
		g.counts[lang] = c
	}
	c[w]++
}

// post adds p, a posting of the latest document, to field fi of the term
// numbered t.
func (g *gatherer) post(t uint32, fi int, p posting) {
	if int(t) >= len(g.postings) {
		g.postings = slices.Grow(g.postings, int(t)+1-len(g.postings))[:int(t)+1]
	}
	g.postings[t][fi] = append(g.postings[t][fi], p)
}

// learn marks the word numbered w as met by the analysis of bit, and
// reports whether that analysis had not met it yet.
func (g *gatherer) learn(w uint32, bit uint64) bool {
	if int(w) >= len(g.learnt) {
		g.learnt = slices.Grow(g.learnt, int(w)+1-len(g.learnt))[:int(w)+1]
	}
	if g.learnt[w]&bit != 0 {
		return false
	}
	g.learnt[w] |= bit
	return true
}

// byTerm returns the postings by term, strs being the table of strings
// the terms are numbered in.
func (g *gatherer) byTerm(strs []string) map[string]*[4][]posting {
	some := func(p *[4][]posting) bool { return len(p[0])+len(p[1])+len(p[2])+len(p[3]) > 0 }
	n := 0
	for i := range g.postings {
		if some(&g.postings[i]) {
			n++
		}
	}
	m := make(map[string]*[4][]posting, n)
	for i := range g.postings {
		if some(&g.postings[i]) {
			m[strs[i]] = &g.postings[i]
		}
	}
	return m
}

// numbering numbers the strings of the workers' tables in one table of its
// own, looking each up once.
type numbering struct {
	ids  map[string]uint32
	strs []string
	tr   [][]uint32 // for each worker, its numbers in ours, plus one
}

// number appends to dst the numbers, in n's table, of the terms and then
// the words of a, which worker w numbered in strs.
func (n *numbering) number(dst []uint32, a *analysed, w int, strs []string) []uint32 {
	tr := n.tr[w]
	if len(tr) < len(strs) {
		tr = append(tr, make([]uint32, len(strs)-len(tr))...)
		n.tr[w] = tr
	}
	for _, ids := range [][]uint32{a.termIDs, a.wordIDs} {
		for _, id := range ids {
			if tr[id] == 0 {
				s := strs[id]
				i, ok := n.ids[s]
				if !ok {
					i = uint32(len(n.strs))
					n.ids[s] = i
					n.strs = append(n.strs, s)
				}
				tr[id] = i + 1
			}
			dst = append(dst, tr[id]-1)
		}
	}
	return dst
}

// setLengths records the lengths of document n's fields, from its
// analysis a.
func (ix *Index) setLengths(n int, a *analysed) {
	for fi, l := range a.length {
		ix.lengths[n][fi] = int32(l)
	}
}

// comparePosting orders a posting against a document, for a binary search
// of a term's list.
func comparePosting(p posting, doc int32) int { return cmp.Compare(p.doc, doc) }

// addPostings adds document n's analysis a to postings, each posting
// where it belongs in its term's list, which is in document order.
func addPostings(postings map[string]*[4][]posting, n int, a *analysed) {
	for fi := range fields {
		for _, tf := range a.terms[fi] {
			all := postings[tf.term]
			if all == nil {
				all = new([4][]posting)
				postings[tf.term] = all
			}
			p := posting{doc: int32(n), freq: int32(tf.freq)}
			if list := all[fi]; len(list) == 0 || list[len(list)-1].doc < p.doc {
				all[fi] = append(list, p)
			} else {
				at, _ := slices.BinarySearchFunc(list, p.doc, comparePosting)
				all[fi] = slices.Insert(list, at, p)
			}
		}
	}
}

// addSurface records the surface word w, with the term t an analysis makes
// of it when ok; a stop word is a surface word with no term.
func (ix *Index) addSurface(w, t string, ok bool) {
	terms := ix.surface[w]
	if ok {
		if i, found := slices.BinarySearch(terms, t); !found {
			terms = slices.Insert(terms, i, t)
		}
	}
	ix.surface[w] = terms
}

// termOf returns the term that the analysis an, the index's analysis
// lang, makes of the word w, and false when it makes none, as of a stop
// word: a single word yields at most one term. The cache, when there is
// one, keeps it.
func (ix *Index) termOf(lang int, an analysis.Analyzer, w string) (string, bool) {
	var t surfaceTerm
	found := false
	if ix.cache != nil && lang < len(ix.cache.terms) {
		t, found = ix.cache.terms[lang][w]
	}
	if !found && ix.pastTerms != nil {
		t, found = ix.pastTerms[ix.langs[lang]][w]
	}
	if !found {
		t = analyzeWord(an, w)
	}
	if ix.cache != nil || ix.keepTerms {
		// The index's own words are what the cache keeps of them, so
		// that words no document has any more go.
		for len(ix.terms) <= lang {
			ix.terms = append(ix.terms, map[string]surfaceTerm{})
		}
		ix.terms[lang][w] = t
	}
	if ix.savedTerms != nil {
		ix.savedTerms.addTerm(ix.langs[lang], w, t)
	}
	return t.term, t.ok
}

// analyzeWord returns what the analysis an makes of the word w alone. With
// our tokenizer and term filter, and a word the tokenizer takes whole as
// it is, that is what the filter made of its spelling, which analyzeDoc
// had it learn: no tokens are made for it.
func analyzeWord(an analysis.Analyzer, w string) surfaceTerm {
	if da, ok := an.(*analysis.DefaultAnalyzer); ok && len(da.CharFilters) == 0 {
		if tf := oursOf(da); tf != nil && wholeWord(w) {
			switch t := tf.lookup([]byte(w)); {
			case !t.kept:
				return surfaceTerm{}
			case t.same:
				return surfaceTerm{w, true}
			default:
				return surfaceTerm{string(t.text), true}
			}
		}
	}
	if ts := an.Analyze([]byte(w)); len(ts) > 0 {
		return surfaceTerm{string(ts[0].Term), true}
	}
	return surfaceTerm{}
}

// oursOf returns the term filter of da when da is an analysis of ours: our
// tokenizer and our term filter alone, as every analysis an index makes
// is; else nil.
func oursOf(da *analysis.DefaultAnalyzer) *termFilter {
	if _, ours := da.Tokenizer.(wordTokenizer); !ours || len(da.TokenFilters) != 1 {
		return nil
	}
	tf, _ := da.TokenFilters[0].(*termFilter)
	return tf
}

// wholeWord reports whether our tokenizer makes of w one token, w itself:
// one word, not a run of CJK characters, lower-cased already.
func wholeWord(w string) bool {
	b := []byte(w)
	if !isASCII(w) && !bytes.Equal(bytes.ToLower(b), b) {
		return false
	}
	n, whole := 0, false
	forEachWord(b, func(start, end int, cjk bool) {
		n++
		whole = start == 0 && end == len(b) && !cjk
	})
	return n == 1 && whole
}

// analyzeDoc analyses document n into a with an, the analyzer of its
// language, as bleve's text fields analyse themselves (no field is stored,
// nor has term vectors): each field's value is split into tokens and
// filtered, its length is the number of tokens left, its terms are
// counted. The surface words are the words the tokenizer finds, lower-cased,
// before the filters. The runs of CJK characters are not surface words:
// search.js pairs their characters as the analysis does. w is the state of
// the worker that analyses the document (see worker).
func (ix *Index) analyzeDoc(n int, an analysis.Analyzer, a *analysed, w *worker) error {
	da, ok := an.(*analysis.DefaultAnalyzer)
	if !ok || len(da.CharFilters) > 0 {
		return fmt.Errorf("analyzer %T is not a tokenizer and token filters", an)
	}
	lang := ix.docs[n].lang
	bit := uint64(1) << lang
	w.doc++
	a.termIDs, a.wordIDs = a.termIDs[:0], a.wordIDs[:0]
	tf := oursOf(da)
	if tf != nil {
		for len(w.terms) <= lang {
			w.terms = append(w.terms, filtered{})
		}
	}
	var lower []byte
	for fi, v := range ix.docs[n].values {
		if v == "" {
			continue // no field, as bleve maps no empty value
		}
		ascii := isASCII(v) // else the tokenizer lower-cases the text
		// With our tokenizer and term filter, the words are taken as
		// spans of the text, lower-cased as the tokenizer does, with no
		// token made for each, and a word's term is looked up by the
		// word's number (see worker.terms). Runs of CJK characters, which
		// bleve's filters pair side by side, and other analyses go
		// through the tokenizer and the filters.
		var (
			tokens analysis.TokenStream
			input  []byte
		)
		fast := tf != nil
		if fast {
			input = []byte(v)
			if !ascii {
				input = bytes.ToLower(input)
			}
			w.spans = w.spans[:0]
			forEachWord(input, func(start, end int, cjk bool) {
				fast = fast && !cjk
				w.spans = append(w.spans, [2]int32{int32(start), int32(end)})
			})
		}
		words := len(w.spans)
		if !fast {
			tokens = da.Tokenizer.Tokenize([]byte(v))
			words = len(tokens)
		}
		w.spelt = w.spelt[:0]
		for i := range words {
			var b []byte
			if fast {
				b = input[w.spans[i][0]:w.spans[i][1]]
			} else if t := tokens[i]; t.Type == analysis.Ideographic {
				continue
			} else {
				b = t.Term
			}
			upper := false
			if ascii {
				lower = append(lower[:0], b...)
				for i, c := range lower {
					if 'A' <= c && c <= 'Z' {
						lower[i] = c + 'a' - 'A'
						upper = true
					}
				}
				b = lower
			}
			id := w.strs.id(b)
			// The token is spelt as its word unless it has capitals.
			if fast && upper {
				w.spelt = append(w.spelt, -1)
			} else if fast {
				w.spelt = append(w.spelt, int32(id))
			}
			if w.all {
				if w.mark(id) == w.doc {
					continue
				}
				w.marks[id] = w.doc
			} else {
				if w.mark(id)&bit != 0 {
					continue
				}
				w.marks[id] |= bit
			}
			a.words = append(a.words, w.strs.strs[id])
			a.wordIDs = append(a.wordIDs, id)
		}
		// The terms are counted by their numbers, in the order they come.
		first := len(w.touched)
		count := func(id uint32) {
			for int(id) >= len(w.counts) {
				w.counts = append(w.counts, 0)
			}
			if w.counts[id] == 0 {
				w.touched = append(w.touched, id)
			}
			w.counts[id]++
		}
		length := 0
		if fast {
			// Each word alone, as the filter would: its term as the
			// worker met it, else from the filter.
			k := &w.terms[lang]
			for i, sp := range w.spelt {
				spelling := input[w.spans[i][0]:w.spans[i][1]]
				var id int32
				switch {
				case sp < 0:
					id = k.byCase[string(spelling)]
				case int(sp) < len(k.byWord):
					id = k.byWord[sp]
				}
				if id == 0 {
					id = -1 // dropped
					if tm := tf.lookup(spelling); tm.kept {
						text := spelling
						if !tm.same {
							text = tm.text
						}
						id = int32(w.strs.id(text)) + 1
					}
					if sp < 0 {
						if k.byCase == nil {
							k.byCase = map[string]int32{}
						}
						k.byCase[string(spelling)] = id
					} else {
						for int(sp) >= len(k.byWord) {
							k.byWord = append(k.byWord, 0)
						}
						k.byWord[sp] = id
					}
				}
				if id > 0 {
					count(uint32(id - 1))
					length++
				}
			}
		} else {
			for _, f := range da.TokenFilters {
				tokens = f.Filter(tokens)
			}
			for _, t := range tokens {
				count(w.strs.id(t.Term))
			}
			length = len(tokens)
		}
		ids := w.touched[first:]
		a.terms[fi] = slices.Grow(a.terms[fi][:0], len(ids))[:len(ids)]
		for i, id := range ids {
			a.terms[fi][i] = termFreq{w.strs.strs[id], int(w.counts[id])}
			w.counts[id] = 0
		}
		a.termIDs = append(a.termIDs, ids...)
		w.touched = w.touched[:first]
		a.length[fi] = length
	}
	return nil
}

// worker is what one worker keeps while it analyses documents: its table
// of the strings of their words and terms, each made once and shared by
// the analyses; and, for each word, either the analyses it has met it in,
// which an analysis need not list again, or, with all, the last document
// that listed it: the analysis of a document that stands for it in another
// index lists every word it has, each once.
type worker struct {
	strs    strTable
	all     bool
	marks   []uint64 // by the word's number
	doc     uint64   // the document being analysed, from 1
	counts  []int32  // by the term's number, for the field being counted
	touched []uint32 // the terms counted
	// terms holds, by language, what its term filter made of each
	// spelling met: a library has some 2 million words and a few thousand
	// spellings.
	terms []filtered
	spans [][2]int32 // the words of the field being analysed, as offsets
	spelt []int32    // by word of the field, its number; -1 if spelt with capitals
}

// filtered is what a term filter made of the spellings a worker met: the
// number of the term plus one, -1 for a word it drops, 0 for one not met.
// A spelling without capitals is the word's, and known by its number.
type filtered struct {
	byWord []int32          // by the word's number
	byCase map[string]int32 // spellings with capitals
}

// mark returns the mark of the word numbered id, 0 for none yet.
func (w *worker) mark(id uint32) uint64 {
	for int(id) >= len(w.marks) {
		w.marks = append(w.marks, 0)
	}
	return w.marks[id]
}

// strTable numbers strings, and makes each once.
type strTable struct {
	ids  map[string]uint32
	strs []string
}

// id returns the number of the string b, which it adds if it is new.
func (t *strTable) id(b []byte) uint32 {
	if i, ok := t.ids[string(b)]; ok {
		return i
	}
	if t.ids == nil {
		t.ids = map[string]uint32{}
	}
	s := string(b)
	i := uint32(len(t.strs))
	t.ids[s] = i
	t.strs = append(t.strs, s)
	return i
}

// isASCII reports whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// index returns the bleve index of the documents, made on first use.
func (ix *Index) index() (bleve.Index, error) {
	ix.bleveOnce.Do(func() { ix.bleve, ix.bleveErr = ix.newBleve() })
	return ix.bleve, ix.bleveErr
}

// newBleve indexes every document in memory, in one batch.
func (ix *Index) newBleve() (bleve.Index, error) {
	bi, err := bleve.NewUsing("", ix.mapping, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("search: new index: %w", err)
	}
	b := bi.NewBatch()
	for n, d := range ix.docs {
		if err := b.Index(ix.docID(n), ix.value(n)); err != nil {
			bi.Close()
			return nil, fmt.Errorf("search: index %s: %w", d.url(), err)
		}
	}
	if err := bi.Batch(b); err != nil {
		bi.Close()
		return nil, fmt.Errorf("search: index: %w", err)
	}
	if n, err := bi.DocCount(); err != nil || int(n) != len(ix.docs) {
		bi.Close()
		return nil, fmt.Errorf("search: index holds %d documents, want %d (%v)", n, len(ix.docs), err)
	}
	return bi, nil
}

// blevePosting is a posting as bleve's index holds it, with the length of
// its document's field.
type blevePosting struct {
	doc, freq, length int32
}

// blevePostings reads bleve's term dictionary and postings back from its
// index: for each term and field, the documents with their term frequency
// and field length. The tests check that they are the postings New
// gathered from bleve's analysis.
func (ix *Index) blevePostings() (map[string]*[4][]blevePosting, error) {
	bi, err := ix.index()
	if err != nil {
		return nil, err
	}
	adv, err := bi.Advanced()
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("search: reader: %w", err)
	}
	defer r.Close()
	postings := map[string]*[4][]blevePosting{}
	docOf := map[string]int{}
	for fi, f := range fields {
		dict, err := r.FieldDict(f.name)
		if err != nil {
			return nil, fmt.Errorf("search: dictionary of %s: %w", f.name, err)
		}
		for {
			e, err := dict.Next()
			if err != nil {
				dict.Close()
				return nil, fmt.Errorf("search: dictionary of %s: %w", f.name, err)
			}
			if e == nil {
				break
			}
			ps, err := readTerm(r, e.Term, f.name, docOf)
			if err != nil {
				dict.Close()
				return nil, err
			}
			if uint64(len(ps)) != e.Count {
				dict.Close()
				return nil, fmt.Errorf("search: %s:%s has %d postings, dictionary says %d", f.name, e.Term, len(ps), e.Count)
			}
			all := postings[e.Term]
			if all == nil {
				all = new([4][]blevePosting)
				postings[e.Term] = all
			}
			all[fi] = ps
		}
		dict.Close()
	}
	return postings, nil
}

func readTerm(r index.IndexReader, term, fieldName string, docOf map[string]int) ([]blevePosting, error) {
	tfr, err := r.TermFieldReader(context.Background(), []byte(term), fieldName, true, true, false)
	if err != nil {
		return nil, fmt.Errorf("search: postings of %s:%s: %w", fieldName, term, err)
	}
	defer tfr.Close()
	var ps []blevePosting
	for {
		tfd, err := tfr.Next(nil)
		if err != nil {
			return nil, fmt.Errorf("search: postings of %s:%s: %w", fieldName, term, err)
		}
		if tfd == nil {
			break
		}
		n, ok := docOf[string(tfd.ID)]
		if !ok {
			ext, err := r.ExternalID(tfd.ID)
			if err != nil {
				return nil, fmt.Errorf("search: document of %s:%s: %w", fieldName, term, err)
			}
			if n, err = strconv.Atoi(ext); err != nil {
				return nil, fmt.Errorf("search: document id %q: %w", ext, err)
			}
			docOf[string(tfd.ID)] = n
		}
		// Bleve stores the norm as float32(1/sqrt(length)); keep the length,
		// which is smaller to ship, and check that it gives the norm back.
		length := int(math.Round(1 / (tfd.Norm * tfd.Norm)))
		if norm(length) != tfd.Norm {
			return nil, fmt.Errorf("search: norm %v of %s:%s is not float32(1/sqrt(%d))", tfd.Norm, fieldName, term, length)
		}
		ps = append(ps, blevePosting{doc: int32(n), freq: int32(tfd.Freq), length: int32(length)})
	}
	slices.SortFunc(ps, func(a, b blevePosting) int { return cmp.Compare(a.doc, b.doc) })
	return ps, nil
}

// norm is bleve's field-length norm.
func norm(length int) float64 { return float64(float32(1 / math.Sqrt(float64(length)))) }

// Query answers q from bleve and returns at most n results, best first.
// The query is read as search.js reads it (see expand), so the browser and
// the terminal give the same answers.
func (ix *Index) Query(q string, n int) ([]Result, error) {
	words := ix.expand(q)
	if len(words) == 0 || n <= 0 {
		return nil, nil
	}
	bi, err := ix.index()
	if err != nil {
		return nil, err
	}
	req := bleve.NewSearchRequestOptions(ix.query(words), n, 0, false)
	req.SortBy([]string{"-_score", "_id"})
	res, err := bi.Search(req)
	if err != nil {
		return nil, fmt.Errorf("search: query %q: %w", q, err)
	}
	out := make([]Result, 0, len(res.Hits))
	for _, h := range res.Hits {
		k, err := strconv.Atoi(h.ID)
		if err != nil || k < 0 || k >= len(ix.docs) {
			return nil, fmt.Errorf("search: unknown document %q", h.ID)
		}
		d := ix.docs[k]
		out = append(out, Result{Category: d.cat, Prompt: d.prompt, Score: h.Score, URL: d.url()})
	}
	return out, nil
}

// query builds the bleve query that search.js scores: a disjunction of the
// words, each a disjunction of its terms in every field. Bleve multiplies a
// disjunction's score by the share of its clauses that match, so documents
// that match more of the words, and in more fields, rank first.
func (ix *Index) query(words []word) query.Query {
	var ws []query.Query
	for _, w := range words {
		var leaves []query.Query
		for _, a := range w.alts {
			for _, f := range fields {
				tq := bleve.NewTermQuery(a.term)
				tq.SetField(f.name)
				tq.SetBoost(f.boost * a.boost)
				leaves = append(leaves, tq)
			}
		}
		ws = append(ws, bleve.NewDisjunctionQuery(leaves...))
	}
	return bleve.NewDisjunctionQuery(ws...)
}
