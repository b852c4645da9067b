package site_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"

	"github.com/promptsite/promptsite"
	"github.com/promptsite/promptsite/site"
	"github.com/promptsite/promptsite/site/anchorlock"
	"github.com/promptsite/promptsite/site/content"
	"github.com/promptsite/promptsite/site/render"
)

// build builds a site from a txtar archive of markdown files, in which
// "§§§" stands for a fence's three backticks.
func build(t *testing.T, files string) (*site.Result, error) {
	t.Helper()
	ar := txtar.Parse([]byte(strings.ReplaceAll(files, "§§§", "```")))
	var in []content.File
	for _, f := range ar.Files {
		cf, err := content.Read(f.Name, f.Data)
		if err != nil {
			return nil, err
		}
		in = append(in, cf)
	}
	return site.Build(site.Config{
		Files:     in,
		Templates: promptsite.Templates(),
		Assets:    promptsite.Assets(),
		BaseURL:   "https://prompts.example.com/",
	})
}

func mustBuild(t *testing.T, files string) *site.Result {
	t.Helper()
	res, err := build(t, files)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// assertFile checks that the built file name contains each of want.
func assertFile(t *testing.T, res *site.Result, name string, want ...string) {
	t.Helper()
	b, ok := res.Tree.Get(name)
	if !ok {
		t.Fatalf("no %s in the site; it has %v", name, res.Tree.Names())
	}
	for _, w := range want {
		if !bytes.Contains(b, []byte(w)) {
			t.Errorf("%s does not contain %q", name, w)
		}
	}
}

func seed(t testing.TB) []content.File {
	t.Helper()
	files, err := content.LoadFS(promptsite.Content(), "content")
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestSeedSite(t *testing.T) {
	res, err := site.Build(site.Config{Files: seed(t), Templates: promptsite.Templates(), Assets: promptsite.Assets(), BaseURL: "https://prompts.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Pages(); got != 14 { // home, 12 categories, 404
		t.Errorf("%d pages; want 14", got)
	}
	if got := res.Prompts(); got != 24 { // and 4 tips, which hold no prompt
		t.Errorf("%d prompts; want 24", got)
	}
	assertFile(t, res, "implementation-prompts/index.html",
		`<title>Implementation Prompts · LLM Prompts for Python Async Development</title>`,
		`<section class="prompt" id="retry-with-backoff">`,
		`aria-label="Copy link to Retry with Backoff"`,
		`<link rel="canonical" href="https://prompts.example.com/implementation-prompts/">`,
		`<meta property="og:description" content="5 prompts: Concurrent HTTP Requests, Paginated API Consumer, Background Task System, Database Connection Pool, Retry with Backoff.">`,
		`<a href="/implementation-prompts/" aria-current="page">`,
		`<a class="prev" rel="prev" href="/conversion-prompts/">`,
		`<a class="next" rel="next" href="/error-handling-prompts/">`,
		`<button type="button" class="copy" hidden>Copy</button>`,
	)
	assertFile(t, res, "migration-prompts/index.html", `<section class="prompt" id="migrate-to-python-311">`)
	assertFile(t, res, "index.html",
		`<h1>LLM Prompts for Python Async Development</h1>`,
		`<li id="convert-gather-to-taskgroup"><a href="/conversion-prompts/#convert-gather-to-taskgroup">Convert gather() to TaskGroup</a></li>`,
		`<meta name="description" content="Effective prompts for LLM-assisted async Python development.`,
	)
	assertFile(t, res, "common-llm-mistakes-to-watch-for/index.html", "<table>", "Swallowing CancelledError")
	assertFile(t, res, "sitemap.xml", "<loc>https://prompts.example.com/testing-prompts/</loc>")
	assertFile(t, res, "robots.txt", "Sitemap: https://prompts.example.com/sitemap.xml")
	assertFile(t, res, "404.html", "Page not found")

	// No inline script or style anywhere: a strict CSP must hold.
	inline := regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]|<style|\sstyle=|\son[a-z]+=`)
	for _, name := range res.Tree.Names() {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		b, _ := res.Tree.Get(name)
		if m := inline.Find(b); m != nil {
			t.Errorf("%s has inline script or style: %q", name, m)
		}
	}
}

// TestAssetsFingerprinted checks that asset names change with their
// content, so that they can be cached for ever.
func TestAssetsFingerprinted(t *testing.T) {
	res := mustBuild(t, "-- a.md --\n# T\n## A\n### P\n§§§\ntext\n§§§\n")
	var css, js string
	for _, n := range res.Tree.Names() {
		switch {
		case strings.HasPrefix(n, "assets/site.") && strings.HasSuffix(n, ".css"):
			css = n
		case strings.HasPrefix(n, "assets/site.") && strings.HasSuffix(n, ".js"):
			js = n
		}
	}
	if !regexp.MustCompile(`^assets/site\.[0-9a-f]{10}\.css$`).MatchString(css) || !regexp.MustCompile(`^assets/site\.[0-9a-f]{10}\.js$`).MatchString(js) {
		t.Fatalf("assets are %q and %q; want content-hashed names", css, js)
	}
	assertFile(t, res, "a/index.html", `href="/`+css+`"`, `src="/`+js+`" defer`)
}

// TestFingerprinted checks site.Fingerprinted against a site's files: it
// holds for each file named after its content, the stylesheet, the
// scripts and the home page's map of ids, whose names hold the start of
// their SHA-256, and for no other.
func TestFingerprinted(t *testing.T) {
	var b strings.Builder
	b.WriteString("-- lib.md --\n# Many\n")
	for i := range 31 {
		fmt.Fprintf(&b, "## Cat %d\n", i)
		for j := range 10 {
			fmt.Fprintf(&b, "### Prompt %d %d\n§§§\nText %d %d.\n§§§\n", i, j, i, j)
		}
	}
	res := mustBuild(t, b.String())
	var named []string
	for _, n := range res.Tree.Names() {
		data, _ := res.Tree.Get(n)
		sum := sha256.Sum256(data)
		ext := path.Ext(n)
		byContent := strings.HasSuffix(n, "."+hex.EncodeToString(sum[:5])+ext)
		if got := site.Fingerprinted(n, data); got != byContent {
			t.Errorf("Fingerprinted(%q) = %v; its name holds its hash: %v", n, got, byContent)
		}
		if byContent {
			named = append(named, n)
		}
	}
	var begin []string
	for _, n := range named {
		begin = append(begin, n[:len("assets/ids")])
	}
	if want := []string{"assets/ids", "assets/sea", "assets/sit", "assets/sit"}; !slices.Equal(begin, want) {
		t.Errorf("the files named after their content are %q; want ones that begin %q", named, want)
	}
	// Names that look like it, with bytes that are not what they name: a
	// static file named after a date, and the stylesheet's name moved.
	asset, _ := res.Tree.Get(named[0])
	for _, n := range []string{"assets/banner.2024061501.png", "assets/logo.png", "assets/0a1b2c3d4e.css", "x/" + named[0]} {
		for _, data := range [][]byte{nil, asset} {
			if site.Fingerprinted(n, data) {
				t.Errorf("Fingerprinted(%q, %d bytes) = true; want false", n, len(data))
			}
		}
	}
}

func TestMultipleFiles(t *testing.T) {
	res := mustBuild(t, `
-- one.md --
# First title

## Alpha

### Shared name

§§§
one
§§§
-- two.md --
# Second title

## Beta

### Shared name

§§§
two
§§§
`)
	if res.Site.Title != "First title" {
		t.Errorf("title = %q; want the first file's", res.Site.Title)
	}
	assertFile(t, res, "alpha/index.html", `id="shared-name"`)
	assertFile(t, res, "beta/index.html", `id="shared-name"`)
	// The home page lists both, but an id only once.
	b, _ := res.Tree.Get("index.html")
	if n := bytes.Count(b, []byte(`id="shared-name"`)); n != 1 {
		t.Errorf("the home page has id=\"shared-name\" %d times; want 1", n)
	}
}

// TestStaticFileTaken builds with a static file where the site makes one
// of its own: a page, a markdown file, robots.txt, the search index. The
// build fails, naming
// the static file and saying what to do.
func TestStaticFileTaken(t *testing.T) {
	for _, name := range []string{"index.html", "robots.txt", "llms.txt", "index.md", "testing-prompts/index.md", "search/index.json"} {
		static := fstest.MapFS{"logo.png": {Data: []byte("png")}, name: {Data: []byte("mine")}}
		_, err := site.Build(site.Config{Files: seed(t), Templates: promptsite.Templates(), Assets: promptsite.Assets(), Static: static})
		want := "static: " + name + ": the site has a file of its own there; rename or move it"
		if err == nil || err.Error() != want {
			t.Errorf("static %s: %v; want %q", name, err, want)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name, files, want string
	}{
		{"same category in two files", "-- a.md --\n# T\n\n## Tips\n### P\n§§§\nx\n§§§\n-- b.md --\n\n\n## Tips\n### Q\n§§§\ny\n§§§\n",
			`b.md:3: category "Tips" has the page /tips/, which category "Tips" at a.md:3 has too`},
		{"every collision at once", "-- a.md --\n## A\n### P\n§§§\nx\n§§§\n-- b.md --\n## A\n### Q\n§§§\ny\n§§§\n" +
			"-- c.md --\n## B\n### R\n§§§\nz\n§§§\n-- d.md --\n## B\n### S\n§§§\nw\n§§§\n",
			"b.md:1: category \"A\" has the page /a/, which category \"A\" at a.md:1 has too; rename one of them, or give one an id of its own: A {#other-id}\n" +
				"d.md:1: category \"B\" has the page /b/, which category \"B\" at c.md:1 has too"},
		{"empty file", "-- empty.md --\n", `empty.md: nothing to publish`},
		{"broken link", "-- a.md --\n# T\n## A\n### P\nSee [B](/b/) and [it](#nowhere).\n§§§\nx\n§§§\n",
			"a.md:4: link to /b/: no such file; put the file there, or fix the link\n" +
				"a.md:4: link to #nowhere: no heading of a.md has that id; link to the id of one of its headings"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := build(t, tt.files)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Build error = %v; want one saying %q", err, tt.want)
			}
		})
	}
}

// TestDeterministic checks that two builds of the same input are the same
// to the byte.
func TestDeterministic(t *testing.T) {
	cfg := site.Config{Files: seed(t), Templates: promptsite.Templates(), Assets: promptsite.Assets(), BaseURL: "https://x.example"}
	a, err := site.Build(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, err := site.Build(cfg)
	if err != nil {
		t.Fatal(err)
	}
	an, bn := a.Tree.Names(), b.Tree.Names()
	if strings.Join(an, "\n") != strings.Join(bn, "\n") {
		t.Fatalf("file lists differ:\n%v\n%v", an, bn)
	}
	for _, n := range an {
		x, _ := a.Tree.Get(n)
		y, _ := b.Tree.Get(n)
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two builds", n)
		}
	}
}

// TestBuildForget checks that a build that gives its files to OnFile and
// forgets them gives the same files, to the byte, as one that keeps them,
// keeps their names, and still finds a broken link.
func TestBuildForget(t *testing.T) {
	cfg := site.Config{Files: seed(t), Templates: promptsite.Templates(), Assets: promptsite.Assets(), BaseURL: "https://x.example"}
	kept, err := site.Build(cfg)
	if err != nil {
		t.Fatal(err)
	}
	given := map[string][]byte{}
	cfg.OnFile = func(name string, data []byte) { given[name] = data }
	cfg.Forget = true
	forgot, err := site.Build(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := kept.Tree.Names(), forgot.Tree.Names(); !slices.Equal(a, b) {
		t.Fatalf("the forgetful build's tree lists %d files; the other %d", len(b), len(a))
	}
	for _, name := range kept.Tree.Names() {
		want, _ := kept.Tree.Get(name)
		if !bytes.Equal(given[name], want) {
			t.Errorf("%s: OnFile was given other bytes than the tree holds", name)
		}
		if b, _ := forgot.Tree.Get(name); b != nil {
			t.Errorf("%s: the forgetful build kept its bytes", name)
		}
	}

	broken := seed(t)
	broken[0].Data = append(slices.Clip(broken[0].Data), "\nSee [the missing part](#no-such-part).\n"...)
	cfg.Files = broken
	if _, err := site.Build(cfg); err == nil || !strings.Contains(err.Error(), "no-such-part") {
		t.Errorf("a forgetful build of a broken link: %v; want the link reported", err)
	}
}

// TestUnicodeHeadings builds a library whose categories and prompts are
// named in other scripts: their pages and anchors keep the letters, and
// every link between them resolves.
func TestUnicodeHeadings(t *testing.T) {
	res := mustBuild(t, `
-- lib.md --
# Bibliothèque

## 日本語のプロンプト

### コードレビュー

§§§
このコードをレビューしてください。
§§§

## Café Prompts

### Résumé — écrire
`)
	assertFile(t, res, "日本語のプロンプト/index.html", `id="コードレビュー"`)
	assertFile(t, res, "café-prompts/index.html", `id="résumé--écrire"`)
	assertFile(t, res, "index.html", `href="/%e6%97%a5%e6%9c%ac%e8%aa%9e%e3%81%ae%e3%83%97%e3%83%ad%e3%83%b3%e3%83%97%e3%83%88/#%e3%82%b3%e3%83%bc%e3%83%89%e3%83%ac%e3%83%93%e3%83%a5%e3%83%bc"`)
}

// TestRawHTMLInert checks that raw HTML in the markdown, headings
// included, reaches no page or search file as markup.
func TestRawHTMLInert(t *testing.T) {
	res := mustBuild(t, `
-- lib.md --
# Lib <script>alert(1)</script>

<script>alert(2)</script>

## Tools <img src=x onerror=alert(3)>

<iframe src="https://example.com"></iframe>

### Run <script>alert(4)</script> it

Text with <b onclick="alert(5)">bold</b> and [a link](javascript:alert(6)).

§§§html
<script>alert(7)</script>
§§§

### Plain

§§§
<script>alert(8)</script>
§§§
`)
	bad := regexp.MustCompile(`(?i)<script>alert|<img src=x|<iframe|onerror=|onclick=|href="javascript:`)
	for _, name := range res.Tree.Names() {
		if path.Ext(name) == ".md" || path.Ext(name) == ".txt" {
			continue // the source as written, sent as text: index.md, llms.txt
		}
		b, _ := res.Tree.Get(name)
		if m := bad.Find(b); m != nil {
			t.Errorf("%s has live markup from the content: %q", name, m)
		}
	}
	// The tags are dropped and their text kept, as in the heading's id.
	assertFile(t, res, "tools/index.html", `id="run-alert4-it"`, `<span class="p">&lt;</span><span class="nt">script</span>`)
}

// TestNavOfLargeLibrary checks that a library with many categories lists
// on each category's page only those around it, with a link to all, while
// a small one lists them all.
func TestNavOfLargeLibrary(t *testing.T) {
	var b strings.Builder
	b.WriteString("-- lib.md --\n# Many\n")
	for i := 1; i <= 60; i++ {
		fmt.Fprintf(&b, "## Cat %d\n### Prompt %d\n§§§\nText %d.\n§§§\n", i, i, i)
	}
	res := mustBuild(t, b.String())
	page, _ := res.Tree.Get("cat-30/index.html")
	nav := string(page[bytes.Index(page, []byte(`<nav class="sidebar"`)):])
	nav = nav[:strings.Index(nav, "</nav>")]
	if n := strings.Count(nav, "<li>"); n != 21 {
		t.Errorf("cat-30 lists %d categories; want its own and 10 on each side", n)
	}
	for _, want := range []string{`href="/cat-20/"`, `href="/cat-40/"`, `<a href="/cat-30/" aria-current="page">`, `<a href="/">All 60 categories</a>`} {
		if !strings.Contains(nav, want) {
			t.Errorf("cat-30's category list lacks %s", want)
		}
	}
	if strings.Contains(nav, `href="/cat-19/"`) || strings.Contains(nav, `href="/cat-41/"`) {
		t.Error("cat-30 lists categories more than 10 away")
	}
	first, _ := res.Tree.Get("cat-1/index.html")
	if n := bytes.Count(first[:bytes.Index(first, []byte("</nav>"))], []byte("<li>")); n != 11 {
		t.Errorf("cat-1 lists %d categories; want 11", n)
	}
	// The home page's sidebar is bounded as well; its content lists every
	// category.
	home, _ := res.Tree.Get("index.html")
	if n := bytes.Count(home, []byte(`<li><a href="/cat-`)); n != 11 || bytes.Contains(home, []byte(`>All 60 categories</a>`)) {
		t.Errorf("the home page's sidebar lists %d categories, and links to itself for all: %v; want the first 11, and no link to itself", n, bytes.Contains(home, []byte(`>All 60 categories</a>`)))
	}
	if n := bytes.Count(home, []byte(`<section class="category">`)); n != 60 {
		t.Errorf("the home page shows %d categories; want all 60", n)
	}
}

// TestHomeOfLargeLibrary checks that the home page of a library of more
// than 300 prompts lists each category's first three prompts with a link
// to all of them, keeps the GitHub ids of those it lists, and maps the
// others' ids to their addresses in a file of its own; and that a smaller
// library's home page lists every prompt.
func TestHomeOfLargeLibrary(t *testing.T) {
	lib := func(cats, per int) string {
		var b strings.Builder
		b.WriteString("-- lib.md --\n# Many\n")
		for i := 1; i <= cats; i++ {
			fmt.Fprintf(&b, "## Cat %d\n", i)
			for j := 1; j <= per; j++ {
				fmt.Fprintf(&b, "### Prompt %d %d\n§§§\nText %d %d.\n§§§\n", i, j, i, j)
			}
		}
		return b.String()
	}
	small := mustBuild(t, lib(30, 10))
	home, _ := small.Tree.Get("index.html")
	if n := bytes.Count(home, []byte(`<li id="prompt-`)); n != 300 || bytes.Contains(home, []byte("data-ids")) {
		t.Errorf("300 prompts: the home page lists %d with their ids (and data-ids: %v); want all 300", n, bytes.Contains(home, []byte("data-ids")))
	}

	large := mustBuild(t, lib(31, 10))
	home, _ = large.Tree.Get("index.html")
	if n := bytes.Count(home, []byte(`<li id="prompt-`)); n != 31*3 {
		t.Errorf("310 prompts: the home page lists %d; want 3 of each of the 31 categories", n)
	}
	for _, want := range []string{`<li id="prompt-7-3"><a href="/cat-7/#prompt-7-3">`, `<p class="more"><a href="/cat-7/">All 10 prompts →</a></p>`} {
		if !bytes.Contains(home, []byte(want)) {
			t.Errorf("the home page lacks %s", want)
		}
	}
	if bytes.Contains(home, []byte(`id="prompt-7-4"`)) {
		t.Error("the home page lists a category's fourth prompt")
	}
	_, rest, ok := bytes.Cut(home, []byte(`data-ids="`))
	if !ok {
		t.Fatal("the home page names no map of the other ids")
	}
	name, _, _ := bytes.Cut(rest, []byte(`"`))
	data, ok := large.Tree.Get(strings.TrimPrefix(string(name), "/"))
	if !ok {
		t.Fatalf("the map %s is not in the site", name)
	}
	var ids map[string]string
	if err := json.Unmarshal(data, &ids); err != nil {
		t.Fatal(err)
	}
	if len(ids) != 31*7 || ids["prompt-7-4"] != "/cat-7/#prompt-7-4" || ids["prompt-7-3"] != "" {
		t.Errorf("the map has %d ids, prompt-7-4 → %q, prompt-7-3 → %q; want the 217 not listed, with their addresses", len(ids), ids["prompt-7-4"], ids["prompt-7-3"])
	}

	// More categories than entries: the categories alone.
	many := mustBuild(t, lib(301, 2))
	home, _ = many.Tree.Get("index.html")
	if bytes.Contains(home, []byte(`<ul class="prompt-list">`)) || bytes.Count(home, []byte(`<section class="category">`)) != 301 ||
		!bytes.Contains(home, []byte(`<p class="more"><a href="/cat-301/">All 2 prompts →</a></p>`)) {
		t.Errorf("301 categories: the home page lists prompts, or not every category with a link to its prompts")
	}
}

// TestBasePath builds the seed for a site served under a path, as GitHub
// Pages serves a project's site, and checks that every address a page
// holds stays under that path: the link check (which knows the base path)
// passes, and no href, src or data attribute leads to the host's root.
func TestBasePath(t *testing.T) {
	res, err := site.Build(site.Config{Files: seed(t), Templates: promptsite.Templates(), Assets: promptsite.Assets(),
		BaseURL: "https://org.github.io/repo/"})
	if err != nil {
		t.Fatal(err)
	}
	attr := regexp.MustCompile(`(?:href|src|data-href|data-src|data-search-index|data-base|url)=["']?(/[^"' >]*)`)
	pages := 0
	for _, name := range res.Tree.Names() {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		pages++
		b, _ := res.Tree.Get(name)
		for _, m := range attr.FindAllSubmatch(b, -1) {
			if !bytes.HasPrefix(m[1], []byte("/repo/")) {
				t.Errorf("%s: %s leads outside /repo/", name, m[0])
			}
		}
	}
	if pages < 40 {
		t.Errorf("checked %d pages; want the seed's pages, share pages included", pages)
	}
	assertFile(t, res, "index.html", `<link rel="canonical" href="https://org.github.io/repo/">`, `data-search-index="/repo/search/"`)
	assertFile(t, res, "p/implementation-prompts/retry-with-backoff.html",
		`url=/repo/implementation-prompts/#retry-with-backoff`, `href="https://org.github.io/repo/p/implementation-prompts/retry-with-backoff.html"`)
	assertFile(t, res, "llms.txt", "(https://org.github.io/repo/implementation-prompts/index.md)")
	assertFile(t, res, "index.md", "(/repo/implementation-prompts/index.md)")
}

// TestSeedLockUnchanged builds the built-in library with its committed
// anchors.lock: every address it records is still published, as it was,
// and the lock needs no change.
func TestSeedLockUnchanged(t *testing.T) {
	lock, err := anchorlock.Read("../content/anchors.lock")
	if err != nil {
		t.Fatal(err)
	}
	res, err := site.Build(site.Config{Files: seed(t), Templates: promptsite.Templates(), Assets: promptsite.Assets(), Lock: lock})
	if err != nil {
		t.Fatal(err)
	}
	if res.Anchors.Changed || len(res.Site.Aliases) != 0 {
		t.Errorf("the seed's lock would change: %v; aliases %v", res.Anchors.Diff(lock), res.Site.Aliases)
	}
	if got := len(anchorlock.Addresses(res.Site)); got != 40 {
		t.Errorf("the seed publishes %d addresses; want its 12 pages and 28 entries", got)
	}
}

// TestBuildStops checks that a build whose context is done stops, with the
// context's error, before it finishes: a signal stops a build between its
// stages and its pages.
func TestBuildStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := site.BuildContext(ctx, site.Config{Files: seed(t), Templates: promptsite.Templates(), Assets: promptsite.Assets()})
	if !errors.Is(err, context.Canceled) || res != nil {
		t.Errorf("BuildContext after cancel = %v, %v; want context.Canceled and no site", res, err)
	}
	var files []string
	_, err = site.BuildContext(ctx, site.Config{Files: seed(t), Templates: promptsite.Templates(), Assets: promptsite.Assets(),
		OnFile: func(name string, _ []byte) { files = append(files, name) }})
	if err == nil || len(files) > 2 {
		t.Errorf("a cancelled build gave %d files (%v); want it to stop before the pages", len(files), err)
	}
}

// TestBuildRenderBudget builds files that each render to 10 MiB of HTML,
// within the bound of a file, but together past the build's: the build
// fails at the line where it passes it, rather than take the memory.
func TestBuildRenderBudget(t *testing.T) {
	var files strings.Builder
	ref := "[x]: https://example.com/" + strings.Repeat("a", 5000)
	for i := range 8 {
		fmt.Fprintf(&files, "-- f%d.md --\n## Category %d\n\n### Prompt\n\n%s\n\n%s\n\n§§§\np\n§§§\n", i, i, ref, strings.Repeat("[x] ", 2000))
	}
	_, err := build(t, files.String())
	if err == nil || !strings.Contains(err.Error(), ".md:5: the library renders to far more HTML than it has markdown (over 64 MiB more than 16 times its size)") {
		t.Fatalf("build = %v; want the build's bound passed, at a file's line", err)
	}
	// Half as many build.
	var half strings.Builder
	for i := range 4 {
		fmt.Fprintf(&half, "-- f%d.md --\n## Category %d\n\n### Prompt\n\n%s\n\n%s\n\n§§§\np\n§§§\n", i, i, ref, strings.Repeat("[x] ", 2000))
	}
	if _, err := build(t, half.String()); err != nil {
		t.Errorf("four files of 10 MiB each: %v", err)
	}
}

// TestSearchScriptLoadedOnUse checks that the site publishes search.js on
// its own, named by its hash, and site.js without it but with its address
// for search-load.js to load it on the first use of the search box: under
// the site's base path, whatever the theme's templates say.
func TestSearchScriptLoadedOnUse(t *testing.T) {
	for _, base := range []string{"", "https://org.github.io/repo/"} {
		res, err := site.Build(site.Config{Files: seed(t), Templates: promptsite.Templates(), Assets: promptsite.Assets(), BaseURL: base})
		if err != nil {
			t.Fatal(err)
		}
		var js, search []string
		for _, n := range res.Tree.Names() {
			switch {
			case strings.HasPrefix(n, "assets/site.") && strings.HasSuffix(n, ".js"):
				js = append(js, n)
			case strings.HasPrefix(n, "assets/search.") && strings.HasSuffix(n, ".js"):
				search = append(search, n)
			}
		}
		if len(js) != 1 || len(search) != 1 {
			t.Fatalf("scripts %q and %q; want one site.js and one search.js", js, search)
		}
		siteJS, _ := res.Tree.Get(js[0])
		if bytes.Contains(siteJS, []byte("ps-hit")) {
			t.Error("site.js holds the search engine")
		}
		if want := `window.psSearch="` + render.BasePath(base) + search[0] + `";`; !bytes.Contains(siteJS, []byte(want)) {
			t.Errorf("base URL %q: site.js does not give %s", base, want)
		}
	}
}

// TestScriptStrings checks that site.js starts with the interface strings
// of the library's language, the configuration's own included, and that
// pages do not repeat them.
func TestScriptStrings(t *testing.T) {
	res, err := site.Build(site.Config{Files: seed(t), Templates: promptsite.Templates(), Assets: promptsite.Assets(),
		Lang: "zh-CN", Strings: map[string]string{"copied": "好了"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range res.Tree.Names() {
		if !strings.HasPrefix(n, "assets/site.") || !strings.HasSuffix(n, ".js") {
			continue
		}
		js, _ := res.Tree.Get(n)
		line, _, _ := bytes.Cut(js, []byte("\n"))
		obj, ok := bytes.CutPrefix(line, []byte("window.psStrings="))
		var strs map[string]string
		if !ok || json.Unmarshal(bytes.TrimSuffix(obj, []byte(";")), &strs) != nil {
			t.Fatalf("site.js starts with %.80q; want window.psStrings={…};", line)
		}
		if strs["copied"] != "好了" || strs["no_results"] != "没有找到结果" {
			t.Errorf("the scripts' strings: copied %q, no_results %q; want the library's own and Chinese", strs["copied"], strs["no_results"])
		}
	}
	assertNot := func(name string) {
		if b, _ := res.Tree.Get(name); bytes.Contains(b, []byte("data-strings")) {
			t.Errorf("%s repeats the strings", name)
		}
	}
	assertNot("index.html")
	assertNot("implementation-prompts/index.html")
}
