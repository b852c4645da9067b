package site_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/promptsite/promptsite"
	"github.com/promptsite/promptsite/site"
	"github.com/promptsite/promptsite/site/anchorlock"
	"github.com/promptsite/promptsite/site/content"
	"github.com/promptsite/promptsite/site/highlight"
	"github.com/promptsite/promptsite/site/internal/libgen"
	"github.com/promptsite/promptsite/site/markdown"
	"github.com/promptsite/promptsite/site/output"
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
const pageBudget = 12 << 10

// homeBudget is the most the home page of a library of 10,000 prompts may
// weigh with everything it loads, gzipped.
const homeBudget = 30 << 10

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
// and link check included, to show how the cost grows. Besides time and
// allocations it reports the most heap the Go runtime held from the
// system (heap-MiB, close to the peak memory of a build) and the size of
// the built site (site-MiB). The 100,000-prompt library is left out with
// -short.
//
//	go test ./site -run '^$' -bench 'Build$' -benchtime 3x
func BenchmarkBuild(b *testing.B) {
	sizes := []int{1000, 10000, 100000}
	if testing.Short() {
		sizes = sizes[:2]
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("prompts=%d", n), func(b *testing.B) {
			cfg := site.Config{
				Files:     []content.File{{Name: "gen.md", Data: libgen.Library(n, 1)}},
				Templates: promptsite.Templates(), Assets: promptsite.Assets(), BaseURL: "https://x.example",
			}
			var res *site.Result
			peak := heapPeak(b)
			b.ReportAllocs()
			for b.Loop() {
				res = nil // let the last build go before the next
				var err error
				if res, err = site.Build(cfg); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(peak())/(1<<20), "heap-MiB")
			b.ReportMetric(float64(res.Tree.Size())/(1<<20), "site-MiB")
		})
	}
}

// heapPeak starts watching the heap, after a collection, and returns a
// function that stops and tells the most memory the heap held from the
// system meanwhile (runtime/metrics /memory/classes/heap/… minus released).
func heapPeak(b *testing.B) func() uint64 {
	b.Helper()
	runtime.GC()
	debug.FreeOSMemory()
	names := []string{
		"/memory/classes/heap/objects:bytes",
		"/memory/classes/heap/unused:bytes",
		"/memory/classes/heap/free:bytes",
	}
	samples := make([]metrics.Sample, len(names))
	for i, n := range names {
		samples[i].Name = n
	}
	read := func() uint64 {
		metrics.Read(samples)
		var sum uint64
		for _, s := range samples {
			sum += s.Value.Uint64()
		}
		return sum
	}
	var peak atomic.Uint64
	peak.Store(read())
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if v := read(); v > peak.Load() {
					peak.Store(v)
				}
			}
		}
	}()
	return func() uint64 {
		close(stop)
		<-done
		return peak.Load()
	}
}

// TestHomeWeightAtScale weighs the home page of a generated library of
// 10,000 prompts in 400 categories with the stylesheet and script it loads,
// each gzipped, and holds it to homeBudget: it lists each category and its
// first prompt, not every prompt.
func TestHomeWeightAtScale(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a library of 10,000 prompts")
	}
	f, err := content.Read("lib.md", libgen.Library(10000, 1))
	if err != nil {
		t.Fatal(err)
	}
	res, err := site.Build(site.Config{Files: []content.File{f}, Templates: promptsite.Templates(), Assets: promptsite.Assets(), NoCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	html, _ := res.Tree.Get("index.html")
	total := gzipSize(t, html)
	for _, m := range regexp.MustCompile(`(?:href|src)="/(assets/[^"]+)"`).FindAllSubmatch(html, -1) {
		data, ok := res.Tree.Get(string(m[1]))
		if !ok {
			t.Fatalf("the home page loads %s, which is not in the site", m[1])
		}
		total += gzipSize(t, data)
	}
	t.Logf("home page of 10,000 prompts: %d bytes of HTML, %d bytes (%.1f KiB) gzip with its CSS and JS", len(html), total, float64(total)/1024)
	if total > homeBudget {
		t.Errorf("the home page weighs %d bytes gzip with what it loads; the budget is %d", total, homeBudget)
	}
}

// BenchmarkParseFiles reads a library of 10,000 prompts written as 100
// files, as a team's repository of one file a category holds it.
//
//	go test ./site -run '^$' -bench ParseFiles -benchtime 5x
func BenchmarkParseFiles(b *testing.B) { benchParse(b, inFiles(10000, 100)) }

// BenchmarkParseOneFile reads a library of 10,000 prompts written as one
// file, as the bench's library is: on one core.
//
//	go test ./site -run '^$' -bench ParseOneFile -benchtime 10x
func BenchmarkParseOneFile(b *testing.B) {
	benchParse(b, []content.File{{Name: "library.md", Rel: "library.md", Data: libgen.Library(10000, 1)}})
}

// benchParse reads files, a library of at least 100 categories.
func benchParse(b *testing.B, files []content.File) {
	p := markdown.New(highlight.Highlighter{})
	b.ReportAllocs()
	for b.Loop() {
		lib, err := site.Parse(p, files, site.ParseOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if n := len(lib.Site.Categories); n < 100 {
			b.Fatalf("%d categories", n)
		}
	}
}

// inFiles returns a generated library of n prompts written as about
// count files of whole categories.
func inFiles(n, count int) []content.File {
	parts := strings.SplitAfter(string(libgen.Library(n, 1)), "\n## ")
	var files []content.File
	for i := 0; i < len(parts); i += len(parts) / count {
		var text strings.Builder
		if i > 0 {
			text.WriteString("## ")
		}
		for _, p := range parts[i:min(i+len(parts)/count, len(parts))] {
			text.WriteString(strings.TrimSuffix(p, "\n## ") + "\n")
		}
		files = append(files, content.File{Name: fmt.Sprintf("c%03d.md", len(files)), Data: []byte(text.String())})
	}
	return files
}

// BenchmarkServeRebuild rebuilds a library of 10,000 prompts in 100 files
// after an edit to one prompt, a heading renamed, as promptsite serve does:
// with the Cache that serve keeps, and without one; and with the cache and
// the library's anchors.lock, read at each build, which keeps the renamed
// heading's old address. ms-to-pages is the time from the build's start to
// its pages, which serve shows before the rest is made.
//
//	go test ./site -run '^$' -bench ServeRebuild -benchtime 10x
func BenchmarkServeRebuild(b *testing.B) {
	files := inFiles(10000, 100)
	for _, c := range []struct{ cached, locked bool }{{false, false}, {true, false}, {true, true}} {
		name := fmt.Sprintf("cache=%v", c.cached)
		if c.locked {
			name += "/lock"
		}
		b.Run(name, func(b *testing.B) {
			cfg := site.Config{Files: slices.Clone(files), Templates: promptsite.Templates(), Assets: promptsite.Assets(),
				LinkWarnings: true, AcceptRemoved: true}
			if c.cached {
				cfg.Cache = site.NewCache()
			}
			lock := filepath.Join(b.TempDir(), "anchors.lock")
			readLock := func() { // as serve reads it
				if c.locked {
					l, err := anchorlock.ReadAgain(lock, cfg.Lock)
					if err != nil {
						b.Fatal(err)
					}
					cfg.Lock = l
				}
			}
			readLock()
			res, err := site.Build(cfg)
			if err != nil {
				b.Fatal(err)
			}
			if c.locked {
				if err := res.Anchors.Write(lock); err != nil {
					b.Fatal(err)
				}
			}
			// As serve does, the pages are shown before the search index
			// and the link check are made: the time to them is the
			// time an edit takes to show.
			var start time.Time
			var toPages time.Duration
			cfg.OnPages = func(*output.Tree) { toPages += time.Since(start) }
			edits := 0
			for b.Loop() {
				edits++
				cfg.Files[42].Data = bytes.Replace(files[42].Data, []byte("### "), fmt.Appendf(nil, "### Edit %d ", edits), 1)
				start = time.Now()
				readLock()
				if _, err := site.Build(cfg); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(toPages.Microseconds())/1000/float64(edits), "ms-to-pages")
			if c.cached {
				reused, rendered := cfg.Cache.Counts()
				b.ReportMetric(float64(rendered), "pages-rendered")
				b.ReportMetric(float64(reused), "pages-reused")
			}
		})
	}
}
