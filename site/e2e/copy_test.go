package e2e

import (
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/promptsite/promptsite/site/internal/chromium"
)

const sentinel = "(clipboard before the click)"

// TestCopyCodeBlocks clicks every code block's Copy button on every category
// page and compares the clipboard with the block's markdown source.
//
// The browser has one clipboard for all its tabs, so the tests that use it
// (TestCopy*, TestNoConsoleErrors) run one at a time; every other test runs
// in parallel, which Go starts only after these have finished.
func TestCopyCodeBlocks(t *testing.T) {
	s := start(t)
	ctx := s.tab(t, 60*time.Second)
	if err := chromedp.Do(ctx, desktop.emulate(), chromium.Focused()); err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, c := range s.lib.categories {
		navigate(t, ctx, s.url("/"+c.slug+"/"), 200)
		bs := copyButtons(buttons(t, ctx))
		if len(bs) != len(c.blocks) {
			t.Errorf("/%s/: %d visible Copy buttons; want one for each of its %d code blocks", c.slug, len(bs), len(c.blocks))
			continue
		}
		for i, b := range bs {
			setClipboard(t, ctx, sentinel)
			if !clickCopy(t, ctx, b, "Copied", "Copied") {
				continue
			}
			if got, want := readClipboard(t, ctx), c.blocks[i]; got != want {
				t.Errorf("/%s/: Copy button %d (%q) put on the clipboard:\n%s\nwant the block's source:\n%s\n%s",
					c.slug, i+1, b.name, got, want, diff(got, want))
			}
			total++
		}
	}
	t.Logf("copied %d code blocks", total)
}

// TestCopyLink clicks every prompt's "Copy link" button and compares the
// clipboard with the absolute address of the prompt's share page.
func TestCopyLink(t *testing.T) {
	s := start(t)
	ctx := s.tab(t, 60*time.Second)
	if err := chromedp.Do(ctx, desktop.emulate(), chromium.Focused()); err != nil {
		t.Fatal(err)
	}
	for _, c := range s.lib.categories {
		if len(c.prompts) == 0 {
			continue
		}
		navigate(t, ctx, s.url("/"+c.slug+"/"), 200)
		byName := map[string][]axButton{}
		for _, b := range buttons(t, ctx) {
			byName[b.name] = append(byName[b.name], b)
		}
		for _, p := range c.prompts {
			name := "Copy link to " + p.title
			bs := byName[name]
			if len(bs) != 1 {
				t.Errorf("/%s/: %d visible buttons named %q; want 1", c.slug, len(bs), name)
				continue
			}
			setClipboard(t, ctx, sentinel)
			if !clickCopy(t, ctx, bs[0], "Copied", "Copied") {
				continue
			}
			if got, want := readClipboard(t, ctx), s.url("/p/"+c.slug+"/"+p.anchor+".html"); got != want {
				t.Errorf("/%s/: %q copied %q; want %q", c.slug, name, got, want)
			}
		}
	}
}

// noClipboardAPI removes navigator.clipboard before the page's scripts run,
// as on plain http from a LAN address, and keeps it aside for the test to
// read the clipboard with.
const noClipboardAPI = `(() => {
	const clip = navigator.clipboard;
	Object.defineProperty(window, "__e2eClipboard", {value: clip});
	delete Navigator.prototype.clipboard;
})();`

// TestCopyFallback copies where navigator.clipboard is missing: the script
// must fall back to execCommand("copy") and still confirm, and say so when
// copying fails altogether.
func TestCopyFallback(t *testing.T) {
	s := start(t)
	c := s.lib.category("implementation-prompts")
	if c == nil || len(c.blocks) == 0 || len(c.prompts) == 0 {
		t.Fatal("the library has no implementation-prompts with code")
	}

	t.Run("execCommand", func(t *testing.T) {
		ctx := s.tab(t, 20*time.Second)
		if err := chromedp.Do(ctx, desktop.emulate(), chromium.Focused()); err != nil {
			t.Fatal(err)
		}
		beforeScripts(t, ctx, noClipboardAPI)
		navigate(t, ctx, s.url("/"+c.slug+"/"), 200)
		if mustEval[bool](t, ctx, `"clipboard" in navigator`) {
			t.Fatal("navigator.clipboard is still there; the test cannot take it away")
		}
		read := func() string { return mustEval[string](t, ctx, "window.__e2eClipboard.readText()") }
		write := func(s string) {
			mustEval[chromedp.Void](t, ctx, "window.__e2eClipboard.writeText("+jsString(s)+")")
		}

		all := buttons(t, ctx)
		code := copyButtons(all)
		if len(code) == 0 {
			t.Fatal("no visible Copy button")
		}
		write(sentinel)
		if clickCopy(t, ctx, code[0], "Copied", "Copied") {
			if got, want := read(), c.blocks[0]; got != want {
				t.Errorf("Copy without navigator.clipboard put %q on the clipboard; want %q\n%s", got, want, diff(got, want))
			}
		}

		name := "Copy link to " + c.prompts[0].title
		i := slices.IndexFunc(all, func(b axButton) bool { return b.name == name })
		if i < 0 {
			t.Fatalf("no visible button named %q", name)
		}
		write(sentinel)
		if clickCopy(t, ctx, all[i], "Copied", "Copied") {
			if got, want := read(), s.url("/p/"+c.slug+"/"+c.prompts[0].anchor+".html"); got != want {
				t.Errorf("Copy link without navigator.clipboard copied %q; want %q", got, want)
			}
		}
	})

	t.Run("refused", func(t *testing.T) {
		ctx := s.tab(t, 20*time.Second)
		if err := chromedp.Do(ctx, desktop.emulate(), chromium.Focused()); err != nil {
			t.Fatal(err)
		}
		beforeScripts(t, ctx, noClipboardAPI)
		beforeScripts(t, ctx, `document.execCommand = () => false;`)
		navigate(t, ctx, s.url("/"+c.slug+"/"), 200)
		code := copyButtons(buttons(t, ctx))
		if len(code) == 0 {
			t.Fatal("no visible Copy button")
		}
		clickCopy(t, ctx, code[0], "Copy failed", "Copy failed")
	})
}
