package site_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/promptsite/promptsite"
	"github.com/promptsite/promptsite/site"
	"github.com/promptsite/promptsite/site/anchorlock"
	"github.com/promptsite/promptsite/site/content"
	"github.com/promptsite/promptsite/site/internal/libgen"
	"github.com/promptsite/promptsite/site/model"
)

// bigCategory builds a generated library whose one category holds n
// prompts, with an empty anchors.lock, and the link check on.
func bigCategory(t *testing.T, n int) (*site.Result, *model.Category) {
	t.Helper()
	f, err := content.Read("lib.md", libgen.LibraryOf(n, n, 1))
	if err != nil {
		t.Fatal(err)
	}
	lock, err := anchorlock.Read(t.TempDir() + "/anchors.lock")
	if err != nil {
		t.Fatal(err)
	}
	res, err := site.Build(site.Config{Files: []content.File{f}, Templates: promptsite.Templates(), Assets: promptsite.Assets(),
		BaseURL: "https://x.example", Lock: lock})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Site.Categories) != 1 {
		t.Fatalf("%d categories; want one", len(res.Site.Categories))
	}
	c := res.Site.Categories[0]
	if got, want := res.Pages(), c.Pages+2; c.Pages > 0 && got != want {
		t.Errorf("Pages() = %d; want %d: the category's %d pages, the home page and the 404 page", got, want, c.Pages)
	}
	return res, c
}

// weigh returns the weight of a page of res gzipped, and of it with the
// files it loads.
func weigh(t *testing.T, res *site.Result, name string) (page, total int) {
	t.Helper()
	b, ok := res.Tree.Get(name)
	if !ok {
		t.Fatalf("no %s", name)
	}
	page = gzipSize(t, b)
	total = page
	for _, m := range assetRef.FindAllSubmatch(b, -1) {
		data, ok := res.Tree.Get(string(m[1]))
		if !ok {
			t.Fatalf("%s loads %s, which is not in the site", name, m[1])
		}
		total += gzipSize(t, data)
	}
	return page, total
}

var assetRef = regexp.MustCompile(`(?:href|src)="/(assets/[^"]+)"`)

// TestLargeCategoryWeight builds a category of 5,000 prompts: it is split
// into pages, each of which weighs, with what it loads, no more than our
// own category pages may; each shows a bounded number of links to the
// others; and each prompt is on one of them.
func TestLargeCategoryWeight(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a category of 5,000 prompts")
	}
	res, c := bigCategory(t, 5000)
	if c.Pages < 2 {
		t.Fatalf("the category has %d pages; want it split", c.Pages)
	}
	heaviest, name, sections := 0, "", 0
	pageLinks := regexp.MustCompile(`(?s)<nav class="pages"[^>]*>.*?</nav>`)
	for n := 1; n <= c.Pages; n++ {
		file := strings.TrimPrefix(c.PageURL(n), "/") + "index.html"
		page, total := weigh(t, res, file)
		if total > heaviest {
			heaviest, name = total, file
		}
		b, _ := res.Tree.Get(file)
		sections += bytes.Count(b, []byte(`<section class="prompt"`))
		nav := pageLinks.Find(b)
		// The first, the last, five around its own, one on each side in
		// place of a gap of one, and the previous and next.
		if links := bytes.Count(nav, []byte("<a ")); links < 3 || links > 11 {
			t.Errorf("%s has %d page links; want the first, the last and a few around its own", file, links)
		}
		if n == 1 {
			t.Logf("page 1 of %d: %d bytes of HTML, %d gzip", c.Pages, len(b), page)
		}
	}
	t.Logf("%d pages; the heaviest, %s, weighs %d bytes (%.1f KiB) gzip with its CSS and JS", c.Pages, name, heaviest, float64(heaviest)/1024)
	if heaviest > pageBudget {
		t.Errorf("%s weighs %d bytes gzip with what it loads; the budget is %d", name, heaviest, pageBudget)
	}
	if sections != 5000 {
		t.Errorf("the pages hold %d prompt sections; want each of the 5,000 once", sections)
	}
	if home, _ := res.Tree.Get("index.html"); len(home) > 20<<10 {
		t.Errorf("the home page has %d bytes of HTML; it grows with the category", len(home))
	}
	// The home page lists the first prompts; its map of GitHub ids leads
	// to the others on the pages that hold them.
	home := idsOf(t, res, "index.html")
	last := c.Prompts[len(c.Prompts)-1]
	if got := home[last.Anchor]; got != last.URL(c) || last.Page != c.Pages {
		t.Errorf("the home page's map leads #%s to %q; want %s", last.Anchor, got, last.URL(c))
	}
}

// idsOf returns the map of ids that the page file names in data-ids.
func idsOf(t *testing.T, res *site.Result, file string) map[string]string {
	t.Helper()
	b, _ := res.Tree.Get(file)
	m := regexp.MustCompile(`<body[^>]* data-ids="([^"]+)"`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("%s names no map of ids", file)
	}
	name := html.UnescapeString(string(m[1]))
	data, ok := res.Tree.Get(name[strings.Index(name, "assets/"):]) // under the base path
	if !ok {
		t.Fatalf("%s names %s, which is not in the site", file, m[1])
	}
	var ids map[string]string
	if err := json.Unmarshal(data, &ids); err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestLargeCategoryAddresses checks that every address of a split
// category lands on its prompt: the address each link of the site uses,
// on the page that holds the section; and the lasting address that
// anchors.lock records, /category/#anchor, and the same anchor on any
// other of its pages, through the map of ids that the pages name.
func TestLargeCategoryAddresses(t *testing.T) {
	res, c := bigCategory(t, 100)
	if c.Pages < 2 {
		t.Fatalf("100 prompts make %d pages; want them split", c.Pages)
	}
	ids := func(file string) map[string]string { return idsOf(t, res, file) }
	holds := func(addr string) bool {
		path, frag, _ := strings.Cut(addr, "#")
		b, ok := res.Tree.Get(strings.TrimPrefix(path, "/") + "index.html")
		return ok && bytes.Contains(b, []byte(` id="`+frag+`"`))
	}
	catIDs := ids(strings.TrimPrefix(c.URL(), "/") + "index.html")
	if last := ids(strings.TrimPrefix(c.PageURL(c.Pages), "/") + "index.html"); fmt.Sprint(last) != fmt.Sprint(catIDs) {
		t.Error("the last page names another map of ids than the first")
	}
	share := regexp.MustCompile(`url=([^"]+)"`)
	for _, p := range c.Prompts {
		if !holds(p.URL(c)) {
			t.Errorf("%s: the page has no section %s", p.URL(c), p.Anchor)
		}
		if p.Page > 1 && p.URL(c) == p.Address(c) {
			t.Errorf("%q is on page %d, but its address is %s", p.Title, p.Page, p.URL(c))
		}
		if got := catIDs[p.Anchor]; got != p.URL(c) {
			t.Errorf("the map of ids leads #%s to %q; want %s", p.Anchor, got, p.URL(c))
		}
		b, _ := res.Tree.Get(strings.TrimPrefix(p.ShareURL(c), "/"))
		if m := share.FindSubmatch(b); m == nil || html.UnescapeString(string(m[1])) != p.URL(c) {
			t.Errorf("%s leads to %q; want %s", p.ShareURL(c), m, p.URL(c))
		}
	}
	// anchors.lock records the lasting addresses: each is on its page, or
	// in the map of ids its page names.
	last := c.Prompts[len(c.Prompts)-1]
	if lock := string(res.Anchors.Bytes()); !strings.Contains(lock, "\n"+c.URL()+"#"+last.Anchor+" ") {
		t.Errorf("anchors.lock does not record %s#%s, the lasting address of a prompt on page %d", c.URL(), last.Anchor, last.Page)
	}
	for addr := range anchorlock.Addresses(res.Site) {
		if holds(addr) || !strings.Contains(addr, "#") {
			continue
		}
		_, frag, _ := strings.Cut(addr, "#")
		if to, ok := catIDs[frag]; !ok || !holds(to) {
			t.Errorf("%s, which anchors.lock records, leads nowhere: the map of ids has %q", addr, to)
		}
	}
}

// category writes a category of n prompts, the last of which has a heading
// of its own inside it, for a txtar of build.
func category(title string, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s\n\nWhat the category is for.\n\n", title)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "### Prompt %d\n\n", i)
		if i == n {
			b.WriteString("#### Variant\n\n")
		}
		fmt.Fprintf(&b, "§§§\nThe text of prompt %d.\n§§§\n\n", i)
	}
	return b.String()
}

// TestSplitThreshold checks that a category that fits on one page is
// rendered whole, with nothing of the pages, and that one more prompt
// splits it: the last prompt on a second page, with its heading, which a
// link of the markdown leads to there; the first page with the
// introduction and the numbered links; each page in the sitemap; and the
// second page's markdown beside it.
func TestSplitThreshold(t *testing.T) {
	res := mustBuild(t, "-- lib.md --\n# Lib\n\n"+category("Whole", 15)+category("Split", 16)+
		"## Links\n\nSee [the variant](#variant-1) and [the last](#prompt-16).\n\n### Linker\n\n§§§\nx\n§§§\n")
	whole, _ := res.Tree.Get("whole/index.html")
	for _, s := range []string{`data-ids`, `class="pages"`, `class="page-of"`} {
		if bytes.Contains(whole, []byte(s)) {
			t.Errorf("whole/index.html, a category of 15 prompts, has %s", s)
		}
	}
	if _, ok := res.Tree.Get("whole/page/2/index.html"); ok {
		t.Error("a category of 15 prompts has a second page")
	}
	assertFile(t, res, "split/index.html",
		`<p class="page-of">Page 1 of 2</p>`, `<p>What the category is for.</p>`,
		`<li><a href="/split/" aria-current="page" aria-label="Page 1">1</a></li>`,
		`<a class="next" rel="next" href="/split/page/2/">Next</a>`,
		`<section class="prompt" id="prompt-15-1">`,
		`<a href="/split/" aria-current="page">Split</a>`)
	assertFile(t, res, "split/page/2/index.html",
		`<title>Split · Page 2 of 2 · Lib</title>`,
		`<link rel="canonical" href="https://prompts.example.com/split/page/2/">`,
		`<section class="prompt" id="prompt-16">`, `<h3 id="variant-1">Variant</h3>`,
		`<li><a href="#prompt-16">Prompt 16</a></li>`,
		`<a class="prev" rel="prev" href="/split/">Previous</a>`,
		`<a href="/split/" aria-current="true">Split</a>`,
		`data-src="/split/page/2/index.md"`)
	if b, _ := res.Tree.Get("split/page/2/index.html"); bytes.Contains(b, []byte("<p>What the category is for.</p>")) ||
		bytes.Contains(b, []byte(`id="prompt-1-1"`)) {
		t.Error("the second page repeats the first's introduction or prompts")
	}
	assertFile(t, res, "links/index.html", `href="/split/page/2/#variant-1"`, `href="/split/page/2/#prompt-16"`)
	assertFile(t, res, "sitemap.xml", "<loc>https://prompts.example.com/split/page/2/</loc>")
	assertFile(t, res, "split/page/2/index.md", "## Split\n\n### Prompt 16\n\n#### Variant\n")
	assertFile(t, res, "p/split/prompt-16.html", `url=/split/page/2/#prompt-16`)
}

// TestSplitListing checks a category of prompt files, listed as cards: a
// card is on the page its number gives, and the map of ids leads its
// anchor there; the prompt's own page stays where it was.
func TestSplitListing(t *testing.T) {
	var files strings.Builder
	for i := 1; i <= 51; i++ {
		fmt.Fprintf(&files, "-- prompts/p%02d.prompt.md --\n---\ntitle: P%d\ndescription: Prompt number %d.\n---\n\nDo %d.\n\n", i, i, i, i)
	}
	res := mustBuild(t, files.String())
	c := res.Site.Categories[0]
	if c.Pages != 2 {
		t.Fatalf("51 prompt files make %d pages; want 2", c.Pages)
	}
	last := c.Prompts[50]
	if last.URL(c) != "/prompts/p51/" || last.Page != 2 {
		t.Errorf("the 51st prompt is at %s on page %d; want its own page, listed on page 2", last.URL(c), last.Page)
	}
	assertFile(t, res, "prompts/page/2/index.html", `<li id="p51">`, `href="/prompts/p51/"`)
	if b, _ := res.Tree.Get("prompts/index.html"); bytes.Contains(b, []byte(`id="p51"`)) || !bytes.Contains(b, []byte(`<li id="p50">`)) {
		t.Error("the first page does not list the first 50 cards alone")
	}
}

// TestSplitAliases checks the old addresses of a split category that
// anchors.lock keeps: an old anchor of a prompt now on a later page leads
// there from the category's page, and a page that is gone leads to the
// category's first page.
func TestSplitAliases(t *testing.T) {
	dir := t.TempDir()
	lockFile := dir + "/anchors.lock"
	if err := os.WriteFile(lockFile, []byte("/split/ page\n/split/page/3/ page\n/split/#old-16 -> /split/#prompt-16\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	lock, err := anchorlock.Read(lockFile)
	if err != nil {
		t.Fatal(err)
	}
	f, err := content.Read("lib.md", []byte("# Lib\n\n"+strings.ReplaceAll(category("Split", 16), "§§§", "```")))
	if err != nil {
		t.Fatal(err)
	}
	res, err := site.Build(site.Config{Files: []content.File{f}, Templates: promptsite.Templates(), Assets: promptsite.Assets(), Lock: lock})
	if err != nil {
		t.Fatal(err)
	}
	assertFile(t, res, "split/index.html", `data-aliases="{&#34;old-16&#34;:&#34;/split/page/2/#prompt-16&#34;}"`)
	assertFile(t, res, "split/page/3/index.html", `<meta http-equiv="refresh" content="0; url=/split/">`)
	assertFile(t, res, "p/split/old-16.html", `url=/p/split/prompt-16.html`)
	if lock := string(res.Anchors.Bytes()); !strings.Contains(lock, "\n/split/page/3/ -> /split/\n") {
		t.Errorf("the lock does not keep the gone page as an alias:\n%s", lock)
	}
}

// TestSplitUnderBasePath checks the links of a split category of a site
// served under a base path: the page links, the map of ids and what it
// leads to, and a prompt file's way back to the page that lists it.
func TestSplitUnderBasePath(t *testing.T) {
	var files strings.Builder
	files.WriteString("-- lib.md --\n# Lib\n\n" + category("Split", 16))
	for i := 1; i <= 51; i++ {
		fmt.Fprintf(&files, "-- files/p%02d.prompt.md --\n---\ntitle: P%d\n---\n\nDo %d.\n\n", i, i, i)
	}
	ar := strings.ReplaceAll(files.String(), "§§§", "```")
	var in []content.File
	for _, part := range strings.Split(ar, "-- ")[1:] {
		name, data, _ := strings.Cut(part, " --\n")
		f, err := content.Read(name, []byte(data))
		if err != nil {
			t.Fatal(err)
		}
		in = append(in, f)
	}
	res, err := site.Build(site.Config{Files: in, Templates: promptsite.Templates(), Assets: promptsite.Assets(), BaseURL: "https://org.github.io/repo/"})
	if err != nil {
		t.Fatal(err)
	}
	assertFile(t, res, "split/index.html", `data-ids="/repo/assets/ids.`, `<a class="next" rel="next" href="/repo/split/page/2/">`)
	assertFile(t, res, "split/page/2/index.html", `<li><a href="/repo/split/" aria-label="Page 1">1</a></li>`,
		`data-src="/repo/split/page/2/index.md"`)
	if got := idsOf(t, res, "split/page/2/index.html")["prompt-16"]; got != "/repo/split/page/2/#prompt-16" {
		t.Errorf("the map of ids leads #prompt-16 to %q", got)
	}
	assertFile(t, res, "files/p51/index.html", `<nav class="crumbs" aria-label="Breadcrumb"><a href="/repo/files/page/2/">Files</a></nav>`)
	assertFile(t, res, "files/p01/index.html", `<nav class="crumbs" aria-label="Breadcrumb"><a href="/repo/files/">Files</a></nav>`)
}
