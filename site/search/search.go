// Package search indexes a prompt library with bleve, answers queries from
// that index, and exports it as static files that assets/search.js reads to
// rank results in the browser exactly as bleve does.
package search

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
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
	doc, freq, length int // length: the number of terms in the field
}

// Index is a prompt library indexed by bleve, with the statistics the
// browser needs to rank as bleve ranks.
type Index struct {
	bleve    bleve.Index
	docs     []*doc
	idWidth  int
	surface  map[string]string // surface word → analysed term; "" for a stop word
	words    []string          // the surface words, sorted
	postings map[string]*[4][]posting
	starts   []string // the first key of each chunk of the static index, sorted
}

// Result is one answer to a query.
type Result struct {
	Category *model.Category
	Prompt   *model.Prompt // nil when the result is a category without prompts
	Score    float64       // bleve's score
	URL      string        // the page path and anchor, e.g. /testing-prompts/#write-async-tests
}

// New indexes s in memory. The index holds one document per prompt and one
// per category without prompts.
func New(s *model.Site) (*Index, error) {
	ix := &Index{surface: map[string]string{}, postings: map[string]*[4][]posting{}}
	for _, c := range s.Categories {
		if len(c.Prompts) == 0 {
			ix.docs = append(ix.docs, &doc{cat: c, values: [4]string{c.Title, c.Title, c.IntroText, ""}})
			continue
		}
		for _, p := range c.Prompts {
			var code []string
			for _, b := range p.Code {
				code = append(code, b.Source)
			}
			ix.docs = append(ix.docs, &doc{cat: c, prompt: p,
				values: [4]string{p.Title, c.Title, prose(p), strings.Join(code, "\n")}})
		}
	}
	ix.idWidth = len(strconv.Itoa(max(len(ix.docs)-1, 0)))

	m, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("search: mapping: %w", err)
	}
	ix.bleve, err = bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("search: new index: %w", err)
	}
	if err := ix.index(); err != nil {
		ix.bleve.Close()
		return nil, err
	}
	if err := ix.readSurface(m); err != nil {
		ix.bleve.Close()
		return nil, err
	}
	if err := ix.readPostings(); err != nil {
		ix.bleve.Close()
		return nil, err
	}
	ix.plan()
	return ix, nil
}

// Close releases the bleve index.
func (ix *Index) Close() error { return ix.bleve.Close() }

// prose returns the plain text of p's body without its code blocks.
func prose(p *model.Prompt) string {
	t := p.Text
	for _, b := range p.Code {
		if i := strings.Index(t, b.Source); i >= 0 && b.Source != "" {
			t = t[:i] + "\n" + t[i+len(b.Source):]
		}
	}
	return strings.TrimSpace(t)
}

// newMapping returns a lean mapping: four analysed text fields, nothing
// stored, no term vectors, no _all field and no dynamic fields.
func newMapping() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	if err := addAnalyzer(m); err != nil {
		return nil, err
	}
	m.DefaultAnalyzer = analyzerName
	m.IndexDynamic = false
	m.StoreDynamic = false
	m.DocValuesDynamic = false
	dm := bleve.NewDocumentStaticMapping()
	for _, f := range fields {
		fm := bleve.NewTextFieldMapping()
		fm.Analyzer = analyzerName
		fm.Store = false
		fm.IncludeTermVectors = false
		fm.IncludeInAll = false
		fm.DocValues = false
		dm.AddFieldMappingsAt(f.name, fm)
	}
	m.DefaultMapping = dm
	return m, nil
}

func (ix *Index) docID(n int) string { return fmt.Sprintf("%0*d", ix.idWidth, n) }

// index adds every document in one batch.
func (ix *Index) index() error {
	b := ix.bleve.NewBatch()
	for n, d := range ix.docs {
		v := map[string]any{}
		for i, f := range fields {
			if d.values[i] != "" {
				v[f.name] = d.values[i]
			}
		}
		if err := b.Index(ix.docID(n), v); err != nil {
			return fmt.Errorf("search: index %s: %w", d.url(), err)
		}
	}
	if err := ix.bleve.Batch(b); err != nil {
		return fmt.Errorf("search: index: %w", err)
	}
	return nil
}

// readSurface builds the table of surface words: every word of the content,
// lower-cased, mapped to the term bleve's analyzer makes of it.
func (ix *Index) readSurface(m *mapping.IndexMappingImpl) error {
	an := m.AnalyzerNamed(analyzerName)
	if an == nil {
		return fmt.Errorf("search: no analyzer %s", analyzerName)
	}
	for _, d := range ix.docs {
		for _, v := range d.values {
			lower := strings.ToLower(v)
			forEachWord([]byte(lower), func(start, end int) {
				w := lower[start:end]
				if _, ok := ix.surface[w]; ok {
					return
				}
				ts := an.Analyze([]byte(w))
				switch len(ts) {
				case 0:
					ix.surface[w] = ""
				default: // a single word yields at most one term
					ix.surface[w] = string(ts[0].Term)
				}
			})
		}
	}
	ix.words = make([]string, 0, len(ix.surface))
	for w := range ix.surface {
		ix.words = append(ix.words, w)
	}
	slices.Sort(ix.words)
	return nil
}

// readPostings copies bleve's term dictionary and postings: for each field
// and term, the documents with their term frequency and field length.
func (ix *Index) readPostings() error {
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return fmt.Errorf("search: reader: %w", err)
	}
	defer r.Close()
	if n, err := r.DocCount(); err != nil || int(n) != len(ix.docs) {
		return fmt.Errorf("search: index holds %d documents, want %d (%v)", n, len(ix.docs), err)
	}
	docOf := map[string]int{}
	for fi, f := range fields {
		dict, err := r.FieldDict(f.name)
		if err != nil {
			return fmt.Errorf("search: dictionary of %s: %w", f.name, err)
		}
		for {
			e, err := dict.Next()
			if err != nil {
				dict.Close()
				return fmt.Errorf("search: dictionary of %s: %w", f.name, err)
			}
			if e == nil {
				break
			}
			ps, err := readTerm(r, e.Term, f.name, docOf)
			if err != nil {
				dict.Close()
				return err
			}
			if uint64(len(ps)) != e.Count {
				dict.Close()
				return fmt.Errorf("search: %s:%s has %d postings, dictionary says %d", f.name, e.Term, len(ps), e.Count)
			}
			all := ix.postings[e.Term]
			if all == nil {
				all = new([4][]posting)
				ix.postings[e.Term] = all
			}
			all[fi] = ps
		}
		dict.Close()
	}
	return nil
}

func readTerm(r index.IndexReader, term, fieldName string, docOf map[string]int) ([]posting, error) {
	tfr, err := r.TermFieldReader(context.Background(), []byte(term), fieldName, true, true, false)
	if err != nil {
		return nil, fmt.Errorf("search: postings of %s:%s: %w", fieldName, term, err)
	}
	defer tfr.Close()
	var ps []posting
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
		ps = append(ps, posting{doc: n, freq: int(tfd.Freq), length: length})
	}
	slices.SortFunc(ps, func(a, b posting) int { return a.doc - b.doc })
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
	req := bleve.NewSearchRequestOptions(ix.query(words), n, 0, false)
	req.SortBy([]string{"-_score", "_id"})
	res, err := ix.bleve.Search(req)
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
