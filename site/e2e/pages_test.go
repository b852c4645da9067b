package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/promptsite/promptsite/site/internal/chromium"
)

// bigCategory is a library whose one category, /big/, holds 100 prompts:
// more than a page shows, so it is split into 7 pages of 15. "Quokka
// Habitat Survey", the 73rd, is on page 5; the 80th, on page 6, has a
// heading of its own, "Field Notes".
func bigCategory() string {
	var b strings.Builder
	b.WriteString("# Many Prompts\n\n## Big\n\nThe category that outgrew its page.\n\n")
	for i := 1; i <= 100; i++ {
		title := fmt.Sprintf("Prompt %d", i)
		if i == 73 {
			title = "Quokka Habitat Survey"
		}
		fmt.Fprintf(&b, "### %s\n\n```text\nWrite note %d for the survey team.\n```\n\n", title, i)
		if i == 80 {
			b.WriteString("#### Field Notes\n\nWhat to write down.\n\n")
		}
	}
	return b.String()
}

// TestLargeCategoryPages opens the pages of a category split into pages
// as a reader does: an old address of the category's page, /big/#anchor,
// lands on its prompt on a later page, as do a GitHub id of a heading in a
// prompt, an anchor that moved to an earlier page, an address on a page
// that is gone (anchors.lock recorded a ninth page) and a prompt's share
// page; the numbered page links lead from page to page; a search result
// leads straight to the page that holds its prompt, with no map of ids
// fetched; and axe finds nothing wrong with a page of them.
func TestLargeCategoryPages(t *testing.T) {
	s := start(t)
	lib := buildFiles(t, "pages", map[string]string{
		"README.md":    bigCategory(),
		"anchors.lock": "/big/ page\n/big/page/9/ page\n",
	})
	ctx := s.tab(t, 3*time.Minute)
	mapFetched := `performance.getEntriesByType('resource').some(e => /\/assets\/ids\.[0-9a-f]+\.json$/.test(e.name))`
	blank := func() {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Navigate("about:blank")); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("old addresses", func(t *testing.T) {
		for _, tt := range []struct{ from, path, id, sel string }{
			{"/big/#quokka-habitat-survey", "/big/page/5/", "quokka-habitat-survey", ":target"},
			{"/big/#field-notes", "/big/page/6/", "field-notes", ":has(:target)"},
			{"/big/page/2/#prompt-3", "/big/", "prompt-3", ":target"},
			{"/big/page/9/#prompt-90", "/big/page/6/", "prompt-90", ":target"},
			{"/p/big/quokka-habitat-survey.html", "/big/page/5/", "quokka-habitat-survey", ":target"},
		} {
			blank()
			navigate(t, ctx, lib.url(tt.from), 200)
			landsOn(t, ctx, tt.path, tt.id, tt.sel)
		}
		// An address the page holds needs no map.
		blank()
		navigate(t, ctx, lib.url("/big/page/5/#quokka-habitat-survey"), 200)
		landsOn(t, ctx, "/big/page/5/", "quokka-habitat-survey", ":target")
		if mustEval[bool](t, ctx, mapFetched) {
			t.Error("/big/page/5/#quokka-habitat-survey fetched the map of ids, though the page holds the prompt")
		}
	})

	t.Run("page links", func(t *testing.T) {
		blank()
		navigate(t, ctx, lib.url("/big/"), 200)
		state := `[location.pathname, document.querySelector(".pages [aria-current=page]")?.textContent,
			document.querySelector(".sidebar [aria-current]")?.getAttribute("aria-current"),
			document.querySelectorAll("main section.prompt").length,
			document.querySelector(".page-of")?.textContent, document.title].join(" | ")`
		for _, step := range []struct{ link, want string }{
			{"2", "/big/page/2/ | 2 | true | 15 | Page 2 of 7 | Big · Page 2 of 7 · Many Prompts"},
			{"Next", "/big/page/3/ | 3 | true | 15 | Page 3 of 7 | Big · Page 3 of 7 · Many Prompts"},
			{"7", "/big/page/7/ | 7 | true | 10 | Page 7 of 7 | Big · Page 7 of 7 · Many Prompts"},
			{"Previous", "/big/page/6/ | 6 | true | 15 | Page 6 of 7 | Big · Page 6 of 7 · Many Prompts"},
			{"1", "/big/ | 1 | page | 15 | Page 1 of 7 | Big · Many Prompts"},
		} {
			followLink(t, ctx, step.link)
			if got := mustEval[string](t, ctx, state); got != step.want {
				t.Errorf("after the link %q: %s; want %s", step.link, got, step.want)
			}
		}
		if mustEval[bool](t, ctx, mapFetched) {
			t.Error("a page opened by a page link fetched the map of ids")
		}
	})

	t.Run("search", func(t *testing.T) {
		blank()
		navigate(t, ctx, lib.url("/big/page/7/"), 200)
		hits := searchFor(t, ctx, "quokka")
		if len(hits) == 0 || hits[0].Href != "/big/page/5/#quokka-habitat-survey" {
			t.Fatalf("quokka: %v; want /big/page/5/#quokka-habitat-survey first", hits)
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[id="ps.r0"]`))); err != nil {
			t.Fatal(err)
		}
		landsOn(t, ctx, "/big/page/5/", "quokka-habitat-survey", ":target")
		if mustEval[bool](t, ctx, mapFetched) {
			t.Error("the search result's page fetched the map of ids: the result did not lead to the page that holds it")
		}
	})

	t.Run("copy page", func(t *testing.T) {
		s.allowClipboard(t, lib.origin)
		blank()
		navigate(t, ctx, lib.url("/big/page/6/"), 200)
		if err := chromedp.Do(ctx, desktop.emulate(), chromium.Focused()); err != nil {
			t.Fatal(err)
		}
		bs := buttons(t, ctx)
		i := slices.IndexFunc(bs, func(b axButton) bool { return b.name == "Copy page as Markdown" })
		if i < 0 {
			t.Fatal(`/big/page/6/: no visible "Copy page as Markdown" button`)
		}
		setClipboard(t, ctx, sentinel)
		if clickCopy(t, ctx, bs[i], "Copied", "Copied") {
			want := "## Big\n\n### Prompt 76\n\n```text\nWrite note 76 for the survey team.\n```\n"
			got := readClipboard(t, ctx)
			if !strings.HasPrefix(got, want) || !strings.Contains(got, "#### Field Notes") || strings.Contains(got, "Prompt 75\n") || strings.Contains(got, "Prompt 91\n") {
				t.Errorf("Copy page as Markdown on page 6 copied %.300q…; want the category's heading and prompts 76 to 90", got)
			}
		}
	})

	t.Run("axe", func(t *testing.T) {
		blank()
		navigate(t, ctx, lib.url("/big/page/2/"), 200)
		axeEverywhere(t, ctx, axeSource(t))
		for _, vp := range []viewport{desktop, phone} {
			if err := chromedp.Do(ctx, vp.emulate(), colorScheme("light")); err != nil {
				t.Fatal(err)
			}
			mustEval[chromedp.Void](t, ctx, `scrollTo(0, 0)`)
			saveScreenshot(t, ctx, "pages-top-"+vp.name, false)
			mustEval[chromedp.Void](t, ctx, `document.querySelector(".pages").scrollIntoView({block: "center"})`)
			saveScreenshot(t, ctx, "pages-links-"+vp.name, false)
			if w := mustEval[float64](t, ctx, `document.querySelector(".pages").scrollWidth - document.querySelector(".pages").clientWidth`); w > 0 {
				t.Errorf("%s: the page links overflow their line by %.0f px", vp.name, w)
			}
		}
	})
}

// shown returns the address at which the built site shows the prompt
// whose lasting address is addr, /category/#anchor: on a later page when
// its category is split into pages. Any other address is returned as it
// is.
func (b *builtSite) shown(addr string) string {
	for _, c := range b.res.Site.Categories {
		for _, p := range c.Prompts {
			if p.Address(c) == addr {
				return p.URL(c)
			}
		}
	}
	return addr
}
