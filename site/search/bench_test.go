package search_test

import (
	"bytes"
	"compress/gzip"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/promptsite/promptsite/site/minify"
	"github.com/promptsite/promptsite/site/model"
	"github.com/promptsite/promptsite/site/output"
	"github.com/promptsite/promptsite/site/search"
)

func gzSize(b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Len()
}

// searchCode returns the bytes, gzipped, of search.js and search.css as the
// site serves them, minified.
func searchCode(t testing.TB) int {
	t.Helper()
	n := 0
	for _, name := range []string{"search.js", "search.css"} {
		src, err := os.ReadFile("../../assets/" + name)
		if err != nil {
			t.Fatal(err)
		}
		min := minify.JS
		if strings.HasSuffix(name, ".css") {
			min = minify.CSS
		}
		b, err := min(name, src)
		if err != nil {
			t.Fatal(err)
		}
		n += gzSize(b)
	}
	return n
}

// treeSize returns the bytes of t's files, raw and gzipped one by one.
func treeSize(t *output.Tree) (raw, gz int) {
	for _, n := range t.Names() {
		b, _ := t.Get(n)
		raw += len(b)
		gz += gzSize(b)
	}
	return raw, gz
}

func benchBuild(b *testing.B, s *model.Site) {
	var tr *output.Tree
	for b.Loop() {
		var err error
		if tr, err = search.Build(s); err != nil {
			b.Fatal(err)
		}
	}
	raw, gz := treeSize(tr)
	b.ReportMetric(float64(tr.Len()), "files")
	b.ReportMetric(float64(raw)/1024, "KiB")
	b.ReportMetric(float64(gz)/1024, "KiB-gz")
}

// go test ./site/search -run '^$' -bench Build -benchtime 3x
func BenchmarkBuildSeed(b *testing.B) { benchBuild(b, seedSite(b)) }
func BenchmarkBuild10k(b *testing.B)  { benchBuild(b, bigSite(b)) }

// BenchmarkQuery10k measures bleve answering a two-word query in Go (the
// terminal's search) on the 10,000-prompt library.
func BenchmarkQuery10k(b *testing.B) {
	ix, err := search.New(bigSite(b))
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	for b.Loop() {
		if _, err := ix.Query("retry backo", 10); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRebuild10k measures what serve's rebuild costs the search of
// the 10,000-prompt library after an edit to one prompt's title: the
// index made again with the Cache of the last.
func BenchmarkRebuild10k(b *testing.B) {
	s := bigSite(b)
	cache := search.NewCache()
	discard := func(string, []byte) error { return nil }
	if err := search.WriteCached(b.Context(), s, cache, discard); err != nil {
		b.Fatal(err)
	}
	p := s.Categories[3].Prompts[7]
	title := p.Title
	edits := 0
	for b.Loop() {
		edits++
		p.Title = title + " " + strconv.Itoa(edits%2)
		if err := search.WriteCached(b.Context(), s, cache, discard); err != nil {
			b.Fatal(err)
		}
	}
	reused, analysed := cache.Counts()
	b.ReportMetric(float64(reused), "docs-reused")
	b.ReportMetric(float64(analysed), "docs-analysed")
}
