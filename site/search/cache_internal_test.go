package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/promptsite/promptsite/site/model"
)

// TestCacheHoldsNoMore patches an index over and over, as a long serve
// session does, with words that come and go in three languages, and checks
// that the Cache then holds what a fresh one holds of the same library:
// the words, terms, counts and folded forms of words no document has any
// more are gone.
func TestCacheHoldsNoMore(t *testing.T) {
	words := strings.Fields("retry retries café cafe naïve naive Änderung anderung über uber the and die der élève eleve zèbre zebre")
	r := rand.New(rand.NewPCG(3, 5))
	text := func(n int) string {
		var b strings.Builder
		for range n {
			w := words[r.IntN(len(words))]
			if r.IntN(3) == 0 {
				w += fmt.Sprint(r.IntN(1000)) // a word that soon goes
			}
			b.WriteString(w + " ")
		}
		return b.String()
	}
	langs := []string{"", "de", "fr"}
	s := &model.Site{Title: "Long session", Lang: "en"}
	for c := range 3 {
		cat := &model.Category{Title: fmt.Sprint("Category ", c), Slug: fmt.Sprint("c", c)}
		for i := range 20 {
			cat.Prompts = append(cat.Prompts, &model.Prompt{Title: text(2), Anchor: fmt.Sprint("p", c, i), Text: text(8), Lang: langs[i%3]})
		}
		s.Categories = append(s.Categories, cat)
	}
	discard := func(string, []byte) error { return nil }
	cache, patched := NewCache(), 0
	for range 300 {
		// The first prompts keep every language in the library, so that
		// its analyses stay the same and the index is patched.
		p := s.Categories[r.IntN(3)].Prompts[3+r.IntN(17)]
		switch r.IntN(3) {
		case 0:
			p.Text = text(8)
		case 1:
			p.Lang = langs[r.IntN(3)]
		default:
			p.Title = text(2)
		}
		if err := WriteCached(context.Background(), s, cache, discard); err != nil {
			t.Fatal(err)
		}
		if cache.patched {
			patched++
		}
	}
	fresh := NewCache()
	if err := WriteCached(context.Background(), s, fresh, discard); err != nil {
		t.Fatal(err)
	}
	if got, want := cacheSize(cache), cacheSize(fresh); got != want {
		t.Errorf("after %d patches the cache holds %s; a fresh one %s", patched, got, want)
	}
	if patched < 250 {
		t.Errorf("%d of 300 rebuilds patched the index; want most", patched)
	}
}

// cacheSize counts what c holds of the library's words.
func cacheSize(c *Cache) string {
	terms, folded := 0, 0
	for _, m := range c.terms {
		terms += len(m)
	}
	for _, ws := range c.folded {
		folded += len(ws)
	}
	return fmt.Sprintf("%d terms, %d counts, %d postings, %d surface words, %d words, %d folded (%d words), %d documents, %d records",
		terms, len(c.last.counts), len(c.last.postings), len(c.surface), len(c.words), len(c.folded), folded, len(c.docs), len(c.records))
}

// TestFiltersForget edits a small library for long, each edit with words
// the library never had, which the term filters stem and learn: the
// filters, which the Cache's mapping keeps across builds, must not hold
// every spelling the session had.
func TestFiltersForget(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 13))
	fresh := func() string {
		var b strings.Builder
		for range 4 {
			fmt.Fprintf(&b, "%c%c%c%cing ", 'a'+r.IntN(26), 'a'+r.IntN(26), 'a'+r.IntN(26), 'a'+r.IntN(26))
		}
		return b.String()
	}
	cat := &model.Category{Title: "Small", Slug: "small"}
	for i := range 4 {
		cat.Prompts = append(cat.Prompts, &model.Prompt{Title: fmt.Sprint("Prompt ", i), Anchor: fmt.Sprint("p", i), Text: fresh()})
	}
	s := &model.Site{Title: "Small", Lang: "en", Categories: []*model.Category{cat}}
	cache := NewCache()
	discard := func(string, []byte) error { return nil }
	for i := range 1000 {
		cat.Prompts[i%4].Text = fresh()
		if err := WriteCached(context.Background(), s, cache, discard); err != nil {
			t.Fatal(err)
		}
	}
	d, ok := cache.mapping.AnalyzerNamed(analyzerPref + cache.langs).(*analysis.DefaultAnalyzer)
	if !ok {
		t.Fatalf("no analyzer for %q", cache.langs)
	}
	found := false
	for _, f := range d.TokenFilters {
		if tf, ok := f.(*termFilter); ok {
			found = true
			if most := 2*len(cache.surface) + 256; tf.size() > most {
				t.Errorf("after 1,000 edits the filter holds %d spellings; want at most %d", tf.size(), most)
			}
		}
	}
	if !found {
		t.Fatal("the analyzer has no term filter")
	}
}
