package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestHomeOfLargeLibrary opens a large library's home page, which lists
// only each category's first prompts, at the GitHub ids that a README's
// links use: an id the page lists lands on its entry, one it does not
// leads to the prompt's section on its category's page, found in the map
// of ids fetched for it; and a page opened without a fragment fetches no
// map.
func TestHomeOfLargeLibrary(t *testing.T) {
	s := start(t)
	var b strings.Builder
	b.WriteString("# Many\n\n")
	for i := 1; i <= 31; i++ {
		fmt.Fprintf(&b, "## Cat %d\n\n", i)
		for j := 1; j <= 10; j++ {
			fmt.Fprintf(&b, "### Prompt %d %d\n\n```text\nText %d %d.\n```\n\n", i, j, i, j)
		}
	}
	lib := buildFiles(t, "many", map[string]string{"README.md": b.String()})
	ctx := s.tab(t, time.Minute)
	mapFetched := `performance.getEntriesByType('resource').some(e => /\/assets\/ids\.[0-9a-f]+\.json$/.test(e.name))`

	navigate(t, ctx, lib.origin+"/", 200)
	if mustEval[bool](t, ctx, mapFetched) {
		t.Error("the home page fetched its map of ids without a fragment to look up")
	}
	blank := func() {
		if _, err := chromedp.Run(ctx, chromedp.Navigate("about:blank")); err != nil {
			t.Fatal(err)
		}
	}
	blank()
	navigate(t, ctx, lib.origin+"/#prompt-7-3", 200)
	if got := mustEval[string](t, ctx, `location.pathname + location.hash + ' ' + (document.querySelector(':target')?.textContent || '')`); got != "/#prompt-7-3 Prompt 7 3" {
		t.Errorf("/#prompt-7-3 is at %q; want the home page's entry Prompt 7 3", got)
	}
	blank()
	navigate(t, ctx, lib.origin+"/#prompt-7-4", 200)
	// The page goes on to another: ask until it is there.
	got := ""
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if got, _ = eval[string](ctx, `location.pathname + location.hash + ' ' + (document.querySelector(':target')?.id || '')`); got == "/cat-7/#prompt-7-4 prompt-7-4" {
			break
		}
	}
	if got != "/cat-7/#prompt-7-4 prompt-7-4" {
		t.Errorf("/#prompt-7-4 led to %q; want /cat-7/#prompt-7-4, its section", got)
	}
}
