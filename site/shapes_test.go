package site_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/promptsite/promptsite"
	"github.com/promptsite/promptsite/site"
	"github.com/promptsite/promptsite/site/content"
	"github.com/promptsite/promptsite/site/model"
	"github.com/promptsite/promptsite/site/search"
)

// buildDir writes a txtar archive of files into a folder, in which "§§§"
// stands for a fence's three backticks, reads the folder as promptsite
// reads a content folder, and builds it.
func buildDir(t *testing.T, files string) (*site.Result, error) {
	t.Helper()
	dir := t.TempDir()
	ar := txtar.Parse([]byte(strings.ReplaceAll(files, "§§§", "```")))
	for _, f := range ar.Files {
		p := filepath.Join(dir, "content", filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	lib, err := content.Load(dir, []string{"content"}, content.Options{Project: dir})
	if err != nil {
		return nil, err
	}
	return site.Build(site.Config{Files: lib.Files, Skipped: lib.Skipped,
		Templates: promptsite.Templates(), Assets: promptsite.Assets(), BaseURL: "https://prompts.example.com/"})
}

func mustBuildDir(t *testing.T, files string) *site.Result {
	t.Helper()
	res, err := buildDir(t, files)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// summary lists a built library: each category's page, and each prompt's
// address with how its text is held.
func summary(s *model.Site) string {
	var b strings.Builder
	b.WriteString(s.Title + "\n")
	for _, c := range s.Categories {
		b.WriteString(c.URL() + " " + c.Title + "\n")
		for _, p := range c.Prompts {
			b.WriteString("  " + p.URL(c) + " " + p.Title + " [" + p.Form + "]\n")
		}
	}
	return b.String()
}

func checkSummary(t *testing.T, res *site.Result, want string) {
	t.Helper()
	want = strings.TrimLeft(want, "\n")
	if got := summary(res.Site); got != want {
		t.Errorf("the library reads as\n%s\nwant\n%s", got, want)
	}
}

// TestShapes builds each shape a prompt library comes in, as a content
// folder, and checks what it is read as.
func TestShapes(t *testing.T) {
	tests := []struct{ name, files, want string }{
		{"ours", `
-- lib.md --
# Team Prompts

## Review

### Code review

§§§
Review this.
§§§

### Tip

Keep it short.
`, `
Team Prompts
/review/ Review
  /review/#code-review Code review [fence]
  /review/#tip Tip []
`},
		{"a list of prompts in blockquotes", `
-- README.md --
<p align="center">logo</p>

# Prompts

## Act as a Poet

Contributed by: someone

> Write a poem about [the topic].

## Act as a Critic

> Review [the film].

## Contributing

Send a pull request.
`, `
Content
/prompts/ Prompts
  /prompts/#act-as-a-poet Act as a Poet [quote]
  /prompts/#act-as-a-critic Act as a Critic [quote]
  /prompts/#contributing Contributing []
`},
		{"a title, then H1s that group prompts", `
-- lib.md --
# Team

Intro.

# Writing

## Summarise

§§§
Summarise it.
§§§

# Code

## Review

§§§
Review it.
§§§
`, `
Team
/writing/ Writing
  /writing/#summarise Summarise [fence]
/code/ Code
  /code/#review Review [fence]
`},
		{"one prompt per file, grouped by folder", `
-- coding/review.prompt.md --
---
description: Review a diff.
---
# Review a Diff

You review diffs.

## Steps

1. Read it.
-- coding/tests.md --
---
title: Write Tests
---
Write tests for [the code].
-- writing/summary.md --
# Summarise

Use it on long documents.

§§§
Summarise [the document].
§§§
`, `
Content
/coding/ Coding
  /coding/review/ Review a Diff [file]
  /coding/tests/ Write Tests [file]
/writing/ Writing
  /writing/summary/ Summarise [fence]
`},
		{"one prompt per folder", `
-- patterns/extract_wisdom/system.md --
# IDENTITY and PURPOSE

You extract wisdom.

# STEPS

- Read.
-- patterns/summarize/system.md --
# IDENTITY

You summarise.
`, `
Content
/patterns/ Patterns
  /patterns/extract_wisdom/ extract_wisdom [file]
  /patterns/summarize/ summarize [file]
`},
		{"a folder of guides", `
-- guides/async.md --
# Async

## References

- one

## Python Notebooks

§§§python
await x()
§§§
-- guides/testing.md --
# Testing

## References

- two

## Python Notebooks

- three
`, `
Content
/async/ Async
/testing/ Testing
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkSummary(t, mustBuildDir(t, tt.files), tt.want)
		})
	}
}

// TestGuidesKeepTheirIDs checks that two guides with the same sections have
// the same ids, each on its own page, and that no id repeats on a page.
func TestGuidesKeepTheirIDs(t *testing.T) {
	res := mustBuildDir(t, `
-- a.md --
# A

## References

## References
-- b.md --
# B

## References
`)
	assertFile(t, res, "a/index.html", `id="references"`, `id="references-1"`)
	assertFile(t, res, "b/index.html", `id="references"`)
	uniqueIDs(t, res)
}

// TestFrontMatter checks each front matter key of a prompt file.
func TestFrontMatter(t *testing.T) {
	res := mustBuildDir(t, `
-- prompts/b-second.md --
---
title: The Second
description: It comes second, by weight.
tags: [Review, go]
weight: 2
aliases: [/old-prompts/#second, /prompts/older-second]
unknown_key: is ignored
---
Review [the Go code].
-- prompts/a-third.md --
---
title: The Third
order: 3
tags: review
---
Third.
-- prompts/c-first.md --
---
title: The First
weight: 1
category: Starters
---
First.
-- prompts/d-draft.md --
---
title: Not Yet
draft: true
---
Draft.
`)
	checkSummary(t, res, `
Content
/prompts/ Prompts
  /prompts/b-second/ The Second [file]
  /prompts/a-third/ The Third [file]
/starters/ Starters
  /starters/c-first/ The First [file]
`)
	assertFile(t, res, "prompts/b-second/index.html",
		`<meta name="description" content="It comes second, by weight.">`, `<p class="lead">It comes second, by weight.</p>`,
		`<a href="/tags/review/">review</a>`, `<a href="/tags/go/">go</a>`) // a tag is named as first written
	assertFile(t, res, "tags/review/index.html", `href="/prompts/b-second/"`, `href="/prompts/a-third/"`)
	assertFile(t, res, "tags/index.html", `href="/tags/go/"`, `href="/tags/review/"`)
	// Front matter is never text.
	b, _ := res.Tree.Get("prompts/b-second/index.html")
	if bytes.Contains(b, []byte("unknown_key")) || bytes.Contains(b, []byte("weight: 2")) {
		t.Error("the front matter shows on the page")
	}
	// A draft is not published, anywhere.
	for _, name := range res.Tree.Names() {
		if b, _ := res.Tree.Get(name); bytes.Contains(b, []byte("Not Yet")) {
			t.Errorf("%s has the draft", name)
		}
	}
	// Old addresses lead to the prompt: a page of its own, and an anchor
	// answered by the old page.
	assertFile(t, res, "prompts/older-second/index.html", `url=/prompts/b-second/`)
	assertFile(t, res, "old-prompts/index.html", `data-aliases="{&#34;second&#34;:&#34;/prompts/b-second/&#34;}"`)
	// Tags are searched with the category: The Third says "review" in
	// its tags alone.
	ix, err := search.New(res.Site)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	rs, err := ix.Query("review", 10)
	if err != nil || !slices.ContainsFunc(rs, func(r search.Result) bool { return r.URL == "/prompts/a-third/" }) {
		t.Errorf("a search of review found %v (%v); want /prompts/a-third/ among them", rs, err)
	}
}

// TestLinksAndFiles checks that links between the files lead where they
// lead on GitHub, that a file beside the markdown is published, and that a
// link that leads nowhere is an error naming its file and line.
func TestLinksAndFiles(t *testing.T) {
	files := `
-- README.md --
# Library

- [Linux terminal](#act-as-a-linux-terminal)
- [Writing](guides/writing.md)
- [Its steps](guides/writing.md#steps)
- [Review](more/review.prompt.md)

# Prompts

## Act as a Linux Terminal

> Reply as a terminal would.

![The flow](img/flow.png)
-- guides/writing.md --
# Writing

See [the terminal](../README.md#act-as-a-linux-terminal) and ![flow](../img/flow.png).

## Steps

Write.
-- more/review.prompt.md --
---
title: Review
---
Review it. See [Writing](../guides/writing.md) and [nowhere](../missing.md).
-- img/flow.png --
PNG bytes
`
	res := mustBuildDir(t, files)
	var png string
	for _, n := range res.Tree.Names() {
		if strings.HasPrefix(n, "assets/flow.") && strings.HasSuffix(n, ".png") {
			png = n
		}
	}
	if b, _ := res.Tree.Get(png); string(b) != "PNG bytes\n" {
		t.Fatalf("img/flow.png is not published as it is: %q in %v", png, res.Tree.Names())
	}
	assertFile(t, res, "index.html", `<a href="/prompts/#act-as-a-linux-terminal">Linux terminal</a>`,
		`<a href="/writing/">Writing</a>`, `<a href="/writing/#steps">Its steps</a>`, `<a href="/more/review/">Review</a>`)
	assertFile(t, res, "prompts/index.html", `<img src="/`+png+`" alt="The flow"`)
	assertFile(t, res, "writing/index.html", `<a href="/prompts/#act-as-a-linux-terminal">the terminal</a>`, `<img src="/`+png+`" alt="flow"`)
	// In a prompt's text, a link to a file that is not there is text.
	assertFile(t, res, "more/review/index.html", `<a href="/writing/">Writing</a> and nowhere.`)

	broken := strings.Replace(files, "Write.\n", "Write, then see [the end](#the-end) and ![missing](missing.png).\n", 1)
	_, err := buildDir(t, broken)
	for _, want := range []string{
		filepath.Join("content", "guides", "writing.md") + ":7: link to #the-end: no heading of",
		filepath.Join("content", "guides", "writing.md") + ":7: image to missing.png: no such file",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("a broken link: error %v; want it to say %q", err, want)
		}
	}
}

// TestLongNames checks that a heading too long to be a file name gives a
// page with a shortened, stable name, while its anchor stays GitHub's.
func TestLongNames(t *testing.T) {
	long := strings.Repeat("Very long category name ", 20)
	res := mustBuildDir(t, "-- lib.md --\n# L\n\n## "+long+"\n\n### "+long+"\n\n§§§\nx\n§§§\n")
	c := res.Site.Categories[0]
	if len(c.URL()) > 110 || !strings.HasPrefix(c.URL(), "/very-long-category-name-") {
		t.Errorf("category page %s; want a shortened name", c.URL())
	}
	if len(c.Slug) < 400 {
		t.Errorf("category id %q was shortened too; want GitHub's", c.Slug)
	}
	assertFile(t, res, strings.TrimPrefix(c.URL(), "/")+"index.html", `id="`+c.Slug+`"`)
	if _, ok := res.Tree.Get(strings.TrimPrefix(c.Prompts[0].ShareURL(c), "/")); !ok {
		t.Errorf("no share page at %s", c.Prompts[0].ShareURL(c))
	}
}

// TestLinksToTheRepository checks links from the content to files beside
// it in the repository, as GitHub follows them: from the file's folder, or
// from the repository's root with a leading "/"; and to a file of the
// static folder by the address it is published at.
func TestLinksToTheRepository(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"content/lib.md":     "# L\n\n## A\n\n### P\n\n![b](/img/b.png) ![c](../img/b.png) [d](/diagram.svg) [e](/docs/guide.md)\n\n```\nx\n```\n",
		"img/b.png":          "B",
		"static/diagram.svg": "<svg/>",
		"docs/guide.md":      "# Guide\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	lib, err := content.Load(dir, []string{"content"}, content.Options{Project: dir})
	if err != nil {
		t.Fatal(err)
	}
	res, err := site.Build(site.Config{Files: lib.Files, Templates: promptsite.Templates(), Assets: promptsite.Assets(),
		BaseURL: "https://org.github.io/repo/", Project: dir, Static: os.DirFS(filepath.Join(dir, "static"))})
	if err != nil {
		t.Fatal(err)
	}
	var png string
	for _, n := range res.Tree.Names() {
		if strings.HasPrefix(n, "assets/b.") {
			png = n
		}
	}
	if b, _ := res.Tree.Get(png); string(b) != "B" {
		t.Fatalf("img/b.png, beside the content, is not published: %v", res.Tree.Names())
	}
	assertFile(t, res, "a/index.html", `<img src="/repo/`+png+`" alt="b"`, `<img src="/repo/`+png+`" alt="c"`,
		`<a href="/repo/diagram.svg">d</a> e</p>`)
	assertFile(t, res, "diagram.svg", "<svg/>")
	// A markdown file that is not a part of the site is a warning.
	if len(res.Site.Warnings) != 1 || !strings.Contains(res.Site.Warnings[0].Error(), "link to /docs/guide.md: it is not a part of the site") {
		t.Errorf("warnings = %v; want one about /docs/guide.md", res.Site.Warnings)
	}
}

// TestReservedPaths checks that a category whose page would take a path of
// promptsite's own files, such as /assets/, gets another, while its id
// stays the one GitHub gives.
func TestReservedPaths(t *testing.T) {
	res := mustBuildDir(t, "-- lib.md --\n# L\n\n## Assets\n\n### P\n\n§§§\nx\n§§§\n\n## Search\n\n### Q\n\n§§§\ny\n§§§\n")
	checkSummary(t, res, `
L
/assets-1/ Assets
  /assets-1/#p P [fence]
/search-1/ Search
  /search-1/#q Q [fence]
`)
	assertFile(t, res, "index.html", `<h2 id="assets"><a href="/assets-1/">`)
	assertFile(t, res, "assets-1/index.md", "## Assets")
}

// TestSameTitledGuides checks that two guides with the same title, in two
// folders, are both published, the second under a numbered address, with
// a warning; while two categories of headings that collide are an error.
func TestSameTitledGuides(t *testing.T) {
	res := mustBuildDir(t, "-- a/intro.md --\n# Introduction\n\nOne.\n-- b/intro.md --\n# Introduction\n\nTwo.\n")
	checkSummary(t, res, `
Content
/introduction/ Introduction
/introduction-1/ Introduction
`)
	if len(res.Site.Warnings) != 1 || !strings.Contains(res.Site.Warnings[0].Error(), "it is published at /introduction-1/") {
		t.Errorf("warnings %v; want one saying where the second is published", res.Site.Warnings)
	}
	assertFile(t, res, "introduction-1/index.html", "Two.")
}

// TestThemeIDsApart checks that no heading can take an id the theme's own
// elements have: prompts named Main, Announce or Categories get their ids,
// and every id on every page is there once.
func TestThemeIDsApart(t *testing.T) {
	res := mustBuildDir(t, "-- lib.md --\n# L\n\n## Cat\n\n### Main\n\n§§§\nm\n§§§\n\n### Announce\n\n§§§\na\n§§§\n\n"+
		"### Categories\n\n§§§\nc\n§§§\n\n### ps-q\n\n§§§\nq\n§§§\n")
	assertFile(t, res, "cat/index.html", `<section class="prompt" id="main">`, `<section class="prompt" id="announce">`,
		`<main id="ps.main">`, `id="ps.announce"`, `id="ps.categories"`, `<input id="ps.q"`)
	uniqueIDs(t, res)
}

// uniqueIDs checks that no page of the site has an id twice.
func uniqueIDs(t *testing.T, res *site.Result) {
	t.Helper()
	ids := regexp.MustCompile(` id="([^"]+)"`)
	for _, name := range res.Tree.Names() {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		b, _ := res.Tree.Get(name)
		seen := map[string]bool{}
		for _, m := range ids.FindAllSubmatch(b, -1) {
			if seen[string(m[1])] {
				t.Errorf("%s has the id %q twice", name, m[1])
			}
			seen[string(m[1])] = true
		}
	}
}
