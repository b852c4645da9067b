package site_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"regexp"
	"testing"

	"github.com/promptsite/promptsite"
	"github.com/promptsite/promptsite/site"
	"github.com/promptsite/promptsite/site/content"
	"github.com/promptsite/promptsite/site/internal/libgen"
)

// BenchmarkBuildSeed builds the built-in library's site in memory, from
// markdown to every page, asset and index.
func BenchmarkBuildSeed(b *testing.B) {
	cfg := site.Config{Files: seed(b), Templates: promptsite.Templates(), Assets: promptsite.Assets(), BaseURL: "https://x.example"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := site.Build(cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// pageBudget is the most a category page may weigh with everything it
// loads, gzipped.
const pageBudget = 20 << 10

// TestPageWeight weighs each category page with the stylesheet and script
// it loads, each gzipped as a server sends them, and holds it to the
// budget.
func TestPageWeight(t *testing.T) {
	res, err := site.Build(site.Config{Files: seed(t), Templates: promptsite.Templates(), Assets: promptsite.Assets(), BaseURL: "https://x.example"})
	if err != nil {
		t.Fatal(err)
	}
	ref := regexp.MustCompile(`(?:href|src)="/(assets/[^"]+)"`)
	heaviest, name := 0, ""
	for _, c := range res.Site.Categories {
		page := c.Slug + "/index.html"
		html, _ := res.Tree.Get(page)
		total := gzipSize(t, html)
		for _, m := range ref.FindAllSubmatch(html, -1) {
			data, ok := res.Tree.Get(string(m[1]))
			if !ok {
				t.Fatalf("%s loads %s, which is not in the site", page, m[1])
			}
			total += gzipSize(t, data)
		}
		if total > heaviest {
			heaviest, name = total, page
		}
	}
	t.Logf("heaviest category page: %s, %d bytes (%.1f KiB) gzip with its CSS and JS", name, heaviest, float64(heaviest)/1024)
	if heaviest > pageBudget {
		t.Errorf("%s weighs %d bytes gzip with what it loads; the budget is %d", name, heaviest, pageBudget)
	}
}

func gzipSize(t testing.TB, data []byte) int {
	var b bytes.Buffer
	w, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	w.Close()
	return b.Len()
}

// BenchmarkBuild builds generated libraries of growing size, search index
// included, to show how the cost grows.
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("prompts=%d", n), func(b *testing.B) {
			cfg := site.Config{
				Files:     []content.File{{Name: "gen.md", Data: libgen.Library(n, 1)}},
				Templates: promptsite.Templates(), Assets: promptsite.Assets(), BaseURL: "https://x.example",
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := site.Build(cfg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
