package e2e

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestSearchAxe runs axe-core with the search box's results open, and with
// its "No results" message, in both colour schemes at both widths.
func TestSearchAxe(t *testing.T) {
	t.Parallel() // no clipboard: see TestCopyCodeBlocks
	src := axeSource(t)
	s := start(t)
	ctx := s.tab(t, 60*time.Second)
	for _, q := range []string{"retry backoff", "zzzqqq"} {
		for _, vp := range []viewport{desktop, phone} {
			if err := chromedp.Do(ctx, vp.emulate()); err != nil {
				t.Fatal(err)
			}
			navigate(t, ctx, s.url("/testing-prompts/"), 200)
			if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`input[type=search]`), q)); err != nil {
				t.Fatal(err)
			}
			shown := `!document.getElementById("ps.results").hidden && document.getElementById("ps.results").dataset.q === ` + jsString(q)
			if !poll(t, ctx, shown, 10*time.Second) {
				t.Fatalf("%q at %s: the results did not show", q, vp.name)
			}
			for _, scheme := range []string{"light", "dark"} {
				if err := chromedp.Do(ctx, colorScheme(scheme)); err != nil {
					t.Fatal(err)
				}
				for _, v := range runAxe(t, ctx, src) {
					t.Errorf("search %q open, %s, %s: %s", q, vp.name, scheme, v)
				}
			}
		}
	}
}
