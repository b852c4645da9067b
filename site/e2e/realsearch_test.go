package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// searchHit is a result of the search box: where it leads and its title.
type searchHit struct{ Href, Title string }

// searchFor types q key by key into the page's search box, as a person
// does, and returns the results it shows for q, in order.
func searchFor(t *testing.T, ctx context.Context, q string) []searchHit {
	t.Helper()
	if err := chromedp.Do(ctx,
		chromedp.Focus(`input[type=search]`),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("input[type=search]").select()`),
		chromedp.SendKeys(`input[type=search]`, kb.Delete+q)); err != nil {
		t.Fatalf("type %q into the search box: %v", q, err)
	}
	hits, err := chromedp.Run(ctx, chromedp.Poll[[]searchHit](fmt.Sprintf(`(() => {
		const i = document.querySelector("input[type=search]"), box = document.getElementById(i.getAttribute("aria-controls"));
		if (box.dataset.q !== %s || box.hidden) return null;
		return [...box.querySelectorAll("a[href]")].map(a => ({href: a.getAttribute("href"), title: a.querySelector(".ps-t").textContent}));
	})()`, jsString(q)), chromedp.WithPollingInterval(10*time.Millisecond), chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		t.Fatalf("%q: no results shown: %v", q, err)
	}
	return hits
}

// realQueries are what a person would type to find a prompt of each real
// library, and the prompt that should come first.
var realQueries = map[string][]struct{ q, want string }{
	"awesome-chatgpt-prompts": {
		{"linux terminal", "/prompts/#act-as-a-linux-terminal"},
		{"travel guide", "/prompts/#act-as-a-travel-guide"},
		{"english translator", "/prompts/#act-as-an-english-translator-and-improver"},
		{"job interview", "/prompts/#act-as-job-interviewer"},
		{"poet", "/prompts/#act-as-a-poet"},
	},
	"awesome-copilot": {
		{"dockerfile", "/prompts/multi-stage-dockerfile/"},
		{"conventional commit", "/prompts/conventional-commit/"},
		{"readme", "/prompts/create-readme/"},
		{"pytest coverage", "/prompts/pytest-coverage/"},
		{"playwright test", "/prompts/playwright-generate-test/"},
	},
	"fabric": {
		{"video chapters", "/patterns/create_video_chapters/"},
		{"summarize lecture", "/patterns/summarize_lecture/"},
		{"threat model", "/patterns/create_stride_threat_model/"},
		{"git diff commit", "/patterns/create_git_diff_commit/"},
		{"mnemonic", "/patterns/create_mnemonic_phrases/"},
	},
}

// TestRealSearch types five natural queries per real library into the
// search box and wants the obvious prompt first.
func TestRealSearch(t *testing.T) {
	t.Parallel() // no clipboard: see TestCopyCodeBlocks
	s := start(t)
	for _, rs := range realSites(t) {
		t.Run(rs.lib.name, func(t *testing.T) {
			t.Parallel()
			ctx := s.tab(t, 60*time.Second)
			if err := chromedp.Do(ctx, desktop.emulate()); err != nil {
				t.Fatal(err)
			}
			navigate(t, ctx, rs.url("/"), 200)
			for _, tt := range realQueries[rs.lib.name] {
				hits := searchFor(t, ctx, tt.q)
				top := hits[:min(3, len(hits))]
				t.Logf("%q: %d results, first %v", tt.q, len(hits), top)
				if want := rs.shown(tt.want); len(hits) == 0 || hits[0].Href != want {
					t.Errorf("%q: results begin %v; want %s first", tt.q, top, want)
				}
			}
		})
	}
}

// TestRealAxe runs axe-core on a page of each real library: the first
// page of awesome-chatgpt-prompts' 228 prompts, at a desktop's size in
// light (TestAxe checks the other sizes and schemes of the same
// templates), and a prompt page of awesome-copilot and one of fabric, at a
// desktop's size in light and a phone's in dark.
func TestRealAxe(t *testing.T) {
	t.Parallel() // no clipboard: see TestCopyCodeBlocks
	src := axeSource(t)
	s := start(t)
	type mode struct {
		vp     viewport
		scheme string
	}
	both := []mode{{desktop, "light"}, {phone, "dark"}}
	pages := map[string]struct {
		path  string
		modes []mode
	}{
		"awesome-chatgpt-prompts": {"/prompts/", both[:1]},
		"awesome-copilot":         {"/prompts/conventional-commit/", both},
		"fabric":                  {"/patterns/create_stride_threat_model/", both},
	}
	for _, rs := range realSites(t) {
		t.Run(rs.lib.name, func(t *testing.T) {
			t.Parallel()
			pg := pages[rs.lib.name]
			ctx := s.tab(t, 90*time.Second)
			if err := chromedp.Do(ctx, desktop.emulate()); err != nil {
				t.Fatal(err)
			}
			navigate(t, ctx, rs.url(pg.path), 200)
			for _, m := range pg.modes {
				if err := chromedp.Do(ctx, m.vp.emulate(), colorScheme(m.scheme)); err != nil {
					t.Fatal(err)
				}
				for _, v := range runAxe(t, ctx, src) {
					t.Errorf("%s, %s, %s: %s", pg.path, m.vp.name, m.scheme, v)
				}
			}
		})
	}
}

// TestRealScreenshots saves screenshots of each real library's home page
// and of a page of its prompts to $PROMPTSITE_SCREENSHOTS, for a person to
// look at.
func TestRealScreenshots(t *testing.T) {
	if screenshotDir() == "" {
		t.Skip("set PROMPTSITE_SCREENSHOTS to a folder to save screenshots")
	}
	t.Parallel() // no clipboard: see TestCopyCodeBlocks
	s := start(t)
	pages := map[string]string{
		"awesome-chatgpt-prompts": "/prompts/#act-as-an-ai-trying-to-escape-the-box",
		"awesome-copilot":         "/prompts/add-educational-comments/",
		"fabric":                  "/patterns/summarize_lecture/",
	}
	for _, rs := range realSites(t) {
		for _, vp := range []viewport{desktop, phone} {
			ctx := s.tab(t, 30*time.Second)
			if err := chromedp.Do(ctx, vp.emulate()); err != nil {
				t.Fatal(err)
			}
			navigate(t, ctx, rs.url("/"), 200)
			saveScreenshot(t, ctx, fmt.Sprintf("real-%s-home-%s", rs.lib.name, vp.name), false)
			navigate(t, ctx, rs.url(pages[rs.lib.name]), 200)
			saveScreenshot(t, ctx, fmt.Sprintf("real-%s-prompt-%s", rs.lib.name, vp.name), false)
		}
	}
}
