package site_test

import (
	"strings"
	"testing"

	"github.com/promptsite/promptsite"
	"github.com/promptsite/promptsite/site"
)

// TestMarkdownOut checks the library's markdown as the site serves it: each
// category's section as written at /<slug>/index.md, the home page's at
// /index.md, /llms.txt listing the pages and /llms-full.txt holding them
// all.
func TestMarkdownOut(t *testing.T) {
	res := mustBuild(t, `
-- lib.md --
# Lib

The *library* intro.

---

## First [Cat]

Intro of the first.

### One

§§§
Fill [describe purpose].
§§§

---

## Second

### Two

Text.
`)
	first := "## First [Cat]\n\nIntro of the first.\n\n### One\n\n```\nFill [describe purpose].\n```\n"
	second := "## Second\n\n### Two\n\nText.\n"
	head := "# Lib\n\nThe *library* intro.\n"
	for name, want := range map[string]string{
		"first-cat/index.md": first,
		"second/index.md":    second,
		"index.md": head + "\n## Categories\n\n" +
			"- [First \\[Cat\\]](/first-cat/index.md): Intro of the first.\n" +
			"- [Second](/second/index.md): 1 prompt: Two.\n",
		"llms.txt": "# Lib\n\n> The library intro.\n\n## Categories\n\n" +
			"- [First \\[Cat\\]](https://prompts.example.com/first-cat/index.md): Intro of the first.\n" +
			"- [Second](https://prompts.example.com/second/index.md): 1 prompt: Two.\n",
		"llms-full.txt": head + "\n" + first + "\n" + second,
	} {
		got, ok := res.Tree.Get(name)
		if !ok {
			t.Errorf("no %s", name)
			continue
		}
		if string(got) != want {
			t.Errorf("%s =\n%s\nwant\n%s", name, got, want)
		}
	}
	// Pages name their markdown, and category pages offer to copy it.
	assertFile(t, res, "index.html", `<link rel="alternate" type="text/markdown" href="/index.md">`)
	assertFile(t, res, "first-cat/index.html", `<link rel="alternate" type="text/markdown" href="/first-cat/index.md">`,
		`<button type="button" class="copy-md" data-src="/first-cat/index.md">Copy page as Markdown</button>`)
}

// TestMarkdownOutSeed checks that the seed library's markdown, put together
// again from llms-full.txt, is the source file without its rules.
func TestMarkdownOutSeed(t *testing.T) {
	res, err := site.Build(site.Config{Files: seed(t), Templates: promptsite.Templates(), Assets: promptsite.Assets()})
	if err != nil {
		t.Fatal(err)
	}
	src := string(seed(t)[0].Data)
	full, _ := res.Tree.Get("llms-full.txt")
	strip := func(s string) string { return strings.ReplaceAll(s, "\n\n---\n\n", "\n\n") }
	if got, want := string(full), strip(src); got != want {
		t.Errorf("llms-full.txt differs from the source without its rules:\n%s", firstDiff(got, want))
	}
	llms, _ := res.Tree.Get("llms.txt")
	if n := strings.Count(string(llms), "\n- ["); n != len(res.Site.Categories) {
		t.Errorf("llms.txt lists %d pages; want %d", n, len(res.Site.Categories))
	}
	for _, c := range res.Site.Categories {
		if !strings.Contains(string(llms), "](/"+c.Slug+"/index.md)") {
			t.Errorf("llms.txt does not list /%s/index.md", c.Slug)
		}
	}
}

func firstDiff(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	return "got …" + got[max(0, i-40):min(len(got), i+40)] + "…\nwant …" + want[max(0, i-40):min(len(want), i+40)] + "…"
}

// TestFillInMarkup checks the markup of a prompt with blanks: they are
// marked in its code block, and it offers Fill in and the chat links,
// which pages without scripts do not show; a prompt without code offers
// neither.
func TestFillInMarkup(t *testing.T) {
	res := mustBuild(t, `
-- lib.md --
# Lib

## Cat

### Blanks

§§§
Review [paste your code here] for {{language}}.
§§§

### No Blanks

§§§
Review this.
§§§

### Tip

Just text.
`)
	page, _ := res.Tree.Get("cat/index.html")
	assertFile(t, res, "cat/index.html",
		`<code>Review <mark class="ph ml">[paste your code here]</mark> for <mark class="ph">{{language}}</mark>.</code>`,
		`<div class="prompt-actions">
<button type="button" class="fill" aria-expanded="false" aria-label="Fill in Blanks">Fill in</button>
<a class="chat" href="https://chatgpt.com/" data-q="https://chatgpt.com/?q=" target="_blank" rel="noopener" aria-label="Open in ChatGPT: Blanks">Open in ChatGPT</a>
<a class="chat" href="https://claude.ai/new" data-q="https://claude.ai/new?q=" target="_blank" rel="noopener" aria-label="Open in Claude: Blanks">Open in Claude</a>
</div>`)
	if n := strings.Count(string(page), `class="fill"`); n != 1 {
		t.Errorf("%d Fill in buttons; want 1, for the prompt with blanks", n)
	}
	if n := strings.Count(string(page), `class="prompt-actions"`); n != 2 {
		t.Errorf("%d prompts offer chat links; want 2, those with code", n)
	}
}
