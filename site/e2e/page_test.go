package e2e

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/promptsite/promptsite/site/internal/chromium"
)

// problems collects what a page reports as wrong: uncaught exceptions,
// console errors, error entries of the browser's log (CSP violations, failed
// loads) and securitypolicyviolation events.
type problems struct {
	mu   sync.Mutex
	list []string
}

func (p *problems) add(s string) {
	p.mu.Lock()
	p.list = append(p.list, s)
	p.mu.Unlock()
}

func (p *problems) take() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.list
	p.list = nil
	return l
}

// cspRecorder keeps the page's CSP violations, as the page itself sees them.
const cspRecorder = `(() => {
	const seen = [];
	Object.defineProperty(window, "__e2eCSP", {value: seen});
	document.addEventListener("securitypolicyviolation", e =>
		seen.push(e.effectiveDirective + " blocked " + (e.blockedURI || "?") + " at " + e.sourceFile + ":" + e.lineNumber), true);
})();`

// watch starts collecting the tab's problems. Call it before navigating.
func watch(t *testing.T, ctx context.Context) *problems {
	t.Helper()
	p := &problems{}
	if _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("enable the log domain: %v", err)
	}
	err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			p.add(fmt.Sprintf("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, msg))
		case *runtime.EventConsoleAPICalled:
			if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
				return
			}
			var args []string
			for _, a := range ev.Args {
				if len(a.Value) > 0 {
					args = append(args, string(a.Value))
				} else {
					args = append(args, a.Description)
				}
			}
			p.add(fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " ")))
		case *log.EventEntryAdded:
			e := ev.Entry
			if e.Level != log.EntryLevelError {
				return
			}
			// The browser asks for /favicon.ico once per browser, not per
			// page, so TestFavicon checks it and not this listener.
			if e.Source == log.EntrySourceNetwork && strings.HasSuffix(e.URL, "/favicon.ico") {
				return
			}
			p.add(fmt.Sprintf("log (%s) %s: %s", e.Source, e.URL, e.Text))
		}
	})
	if err != nil {
		t.Fatalf("listen to the tab: %v", err)
	}
	beforeScripts(t, ctx, cspRecorder)
	return p
}

// check fails t with each problem the page reported, in the log or to its
// own securitypolicyviolation listener. Any entry that contains one of the
// ignore strings is expected.
func (p *problems) check(t *testing.T, ctx context.Context, where string, ignore ...string) {
	t.Helper()
	list := slices.DeleteFunc(p.take(), func(s string) bool {
		return slices.ContainsFunc(ignore, func(i string) bool { return strings.Contains(s, i) })
	})
	for _, v := range mustEval[[]string](t, ctx, `window.__e2eCSP || ["(the CSP recorder did not run)"]`) {
		list = append(list, "securitypolicyviolation: "+v)
	}
	for _, s := range list {
		t.Errorf("%s: %s", where, s)
	}
}

// TestNoConsoleErrors loads the home page, a category page (and uses its
// copy buttons) and the 404 page, and fails on any error they report,
// including CSP violations.
func TestNoConsoleErrors(t *testing.T) {
	s := start(t)
	for _, tt := range []struct {
		path   string
		status int64
	}{
		{"/", 200},
		{"/implementation-prompts/", 200},
		{"/no-such-page/", 404},
	} {
		t.Run(tt.path, func(t *testing.T) {
			ctx := s.tab(t, 20*time.Second)
			if err := chromedp.Do(ctx, desktop.emulate(), chromium.Focused()); err != nil {
				t.Fatal(err)
			}
			p := watch(t, ctx)
			navigate(t, ctx, s.url(tt.path), tt.status)
			// Exercise the page's script: every button once. The copy
			// buttons confirm; the others (Fill in) just act.
			for _, b := range buttons(t, ctx) {
				if !strings.HasPrefix(b.name, "Copy") {
					if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(b.sel))); err != nil {
						t.Fatalf("click %q: %v", b.name, err)
					}
					continue
				}
				clickCopy(t, ctx, b, "Copied", "Copied")
			}
			var expected []string
			if tt.status == 404 {
				// The page itself answers 404, as it should.
				expected = append(expected, "log (network) "+s.url(tt.path)+": Failed to load resource: the server responded with a status of 404")
			}
			p.check(t, ctx, tt.path, expected...)
		})
	}

	// The checks above must be able to fail: a page that breaks the CSP
	// is caught.
	t.Run("an inline script is caught", func(t *testing.T) {
		t.Parallel()
		ctx := s.tab(t, 20*time.Second)
		p := watch(t, ctx)
		navigate(t, ctx, s.url("/"), 200)
		mustEval[chromedp.Void](t, ctx, `document.head.appendChild(Object.assign(document.createElement("script"), {textContent: "window.__inlineRan = true"}))`)
		if !poll(t, ctx, `window.__e2eCSP.length > 0`, 3*time.Second) {
			t.Error("an inline script raised no securitypolicyviolation: is the Content-Security-Policy sent?")
		}
		if mustEval[bool](t, ctx, `window.__inlineRan === true`) {
			t.Error("an inline script ran: the Content-Security-Policy does not hold")
		}
		// The browser's log reports it too.
		logged := false
		for range 100 {
			for _, e := range p.take() {
				logged = logged || strings.Contains(e, "Content Security Policy")
			}
			if logged {
				break
			}
			mustEval[chromedp.Void](t, ctx, `0`) // a round trip, so that pending events arrive
		}
		if !logged {
			t.Error("the log reported no CSP violation for an inline script")
		}
	})
}

// TestNoScript loads a category page with JavaScript off: the prompts are
// there to read and copy by hand, and no button is offered that could not
// work.
func TestNoScript(t *testing.T) {
	t.Parallel() // no clipboard: see TestCopyCodeBlocks
	s := start(t)
	c := s.lib.category("implementation-prompts")
	if c == nil {
		t.Fatal("no category implementation-prompts")
	}
	ctx := s.tab(t, 20*time.Second)
	if err := chromedp.Do(ctx, desktop.emulate()); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	navigate(t, ctx, s.url("/"+c.slug+"/"), 200)

	blocks := mustEval[[]struct {
		Text    string
		Visible bool
	}](t, ctx, `[...document.querySelectorAll("pre")].map(e => {
		const r = e.getBoundingClientRect(), s = getComputedStyle(e);
		return {text: e.textContent, visible: r.width > 0 && r.height > 0 && s.visibility === "visible" && s.display !== "none"};
	})`)
	if len(blocks) != len(c.blocks) {
		t.Errorf("%d <pre> blocks; want %d", len(blocks), len(c.blocks))
	}
	for i, b := range blocks[:min(len(blocks), len(c.blocks))] {
		if !b.Visible {
			t.Errorf("code block %d is not visible", i+1)
		}
		if b.Text != c.blocks[i] {
			t.Errorf("code block %d reads %q; want %q\n%s", i+1, b.Text, c.blocks[i], diff(b.Text, c.blocks[i]))
		}
	}
	for _, b := range buttons(t, ctx) {
		t.Errorf("with JavaScript off, the button %q is offered", b.name)
	}
	shown := mustEval[[]string](t, ctx, `[...document.querySelectorAll("button")].filter(b => {
		const r = b.getBoundingClientRect(), s = getComputedStyle(b);
		return r.width > 0 && r.height > 0 && s.visibility === "visible";
	}).map(b => b.outerHTML)`)
	for _, b := range shown {
		t.Errorf("with JavaScript off, a button is visible: %s", b)
	}
	if mustEval[int](t, ctx, `document.querySelectorAll("button").length`) == 0 {
		t.Log("the page has no <button> at all with JavaScript off")
	}
}

// TestNoHorizontalOverflow checks at a phone's width that no page is wider
// than the screen.
func TestNoHorizontalOverflow(t *testing.T) {
	t.Parallel() // no clipboard: see TestCopyCodeBlocks
	s := start(t)
	ctx := s.tab(t, 30*time.Second)
	if err := chromedp.Do(ctx, phone.emulate()); err != nil {
		t.Fatal(err)
	}
	pages := []struct {
		path   string
		status int64
	}{{"/", 200}, {"/no-such-page/", 404}}
	for _, c := range s.lib.categories {
		pages = append(pages, struct {
			path   string
			status int64
		}{"/" + c.slug + "/", 200})
	}
	for _, p := range pages {
		navigate(t, ctx, s.url(p.path), p.status)
		got := mustEval[struct {
			ScrollWidth, InnerWidth int64
			Wide                    []string
		}](t, ctx, `(() => {
			const w = innerWidth;
			// The outermost elements that reach past the right edge, outside
			// any box that scrolls or clips them.
			const clipped = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
				if (getComputedStyle(a).overflowX !== "visible") return true; } return false; };
			const wide = [...document.body.querySelectorAll("*")].filter(e => {
				const r = e.getBoundingClientRect();
				return r.right > w + 0.5 && !clipped(e) && !(e.parentElement && e.parentElement.getBoundingClientRect().right > w + 0.5);
			}).slice(0, 5).map(e => e.outerHTML.slice(0, 120) + " (right edge " + Math.round(e.getBoundingClientRect().right) + ")");
			return {scrollWidth: document.documentElement.scrollWidth, innerWidth: w, wide};
		})()`)
		if got.ScrollWidth > got.InnerWidth || got.InnerWidth > phone.width {
			t.Errorf("%s at %d px: the page is %d px wide, the window %d px; too wide: %s",
				p.path, phone.width, got.ScrollWidth, got.InnerWidth, strings.Join(got.Wide, "; "))
		}
	}
}

// TestScreenshots saves screenshots of the home and a category page, at a
// desktop's and a phone's size, light and dark, to $PROMPTSITE_SCREENSHOTS
// for a person to look at.
func TestScreenshots(t *testing.T) {
	if screenshotDir() == "" {
		t.Skip("set PROMPTSITE_SCREENSHOTS to a folder to save screenshots")
	}
	t.Parallel() // no clipboard: see TestCopyCodeBlocks
	s := start(t)
	for _, vp := range []viewport{desktop, phone} {
		for _, scheme := range []string{"light", "dark"} {
			ctx := s.tab(t, 20*time.Second)
			if err := chromedp.Do(ctx, vp.emulate(), colorScheme(scheme)); err != nil {
				t.Fatal(err)
			}
			for _, p := range []struct{ name, path string }{{"home", "/"}, {"category", "/implementation-prompts/"}} {
				navigate(t, ctx, s.url(p.path), 200)
				saveScreenshot(t, ctx, fmt.Sprintf("%s-%s-%s", p.name, vp.name, scheme), true)
			}
		}
	}
}

// TestFavicon checks that a browser's request for the site's icon succeeds:
// browsers ask for /favicon.ico unless a page names its icon, and a 404 is an
// error in the console of every first visit.
func TestFavicon(t *testing.T) {
	t.Parallel() // no clipboard: see TestCopyCodeBlocks
	s := start(t)
	ctx := s.tab(t, 20*time.Second)
	for _, pg := range []struct {
		path   string
		status int64
	}{{"/", 200}, {"/implementation-prompts/", 200}, {"/no-such-page/", 404}} {
		path := pg.path
		navigate(t, ctx, s.url(path), pg.status)
		icons := mustEval[[]string](t, ctx, `[...document.querySelectorAll("link[rel~=icon]")].map(l => l.href)`)
		if len(icons) == 0 {
			icons = []string{s.url("/favicon.ico")}
		}
		for _, icon := range icons {
			if strings.HasPrefix(icon, "data:") {
				continue
			}
			resp, err := http.Get(icon)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s names no icon (link rel=icon), so browsers ask for %s, which answers %d: an error in the console of every first visit",
					path, icon, resp.StatusCode)
			}
		}
	}
}

// TestButtonsCoverNoCode checks that no button is drawn over the text of a
// code block, at a desktop's and at a phone's width, where the blocks are
// narrower than their lines.
func TestButtonsCoverNoCode(t *testing.T) {
	t.Parallel() // no clipboard: see TestCopyCodeBlocks
	s := start(t)
	for _, vp := range []viewport{desktop, phone} {
		t.Run(vp.name, func(t *testing.T) {
			t.Parallel()
			ctx := s.tab(t, 30*time.Second)
			if err := chromedp.Do(ctx, vp.emulate()); err != nil {
				t.Fatal(err)
			}
			for _, c := range s.lib.categories {
				if len(c.blocks) == 0 {
					continue
				}
				navigate(t, ctx, s.url("/"+c.slug+"/"), 200)
				covered := mustEval[[]string](t, ctx, `(() => {
					const meet = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 &&
						Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
					const buttons = [...document.querySelectorAll("button")].map(b => [b, b.getBoundingClientRect()])
						.filter(([b, r]) => r.width > 0 && r.height > 0 && getComputedStyle(b).visibility === "visible");
					const out = [];
					document.querySelectorAll("pre").forEach((pre, i) => {
						const box = pre.getBoundingClientRect(), range = document.createRange();
						range.selectNodeContents(pre);
						// Each line's text, as far as the block shows it.
						const lines = [...range.getClientRects()].filter(r => r.width > 0 && meet(r, box));
						for (const [b, br] of buttons) {
							const hit = lines.find(r => meet(r, br));
							if (hit) out.push("the button " + JSON.stringify(b.textContent.trim()) + " covers the text of code block " + (i + 1) +
								" (button x " + Math.round(br.left) + "–" + Math.round(br.right) + ", y " + Math.round(br.top) + "–" + Math.round(br.bottom) +
								"; text x " + Math.round(hit.left) + "–" + Math.round(Math.min(hit.right, box.right)) + ", y " + Math.round(hit.top) + "–" + Math.round(hit.bottom) + ")");
						}
					});
					return out;
				})()`)
				for _, c2 := range covered {
					t.Errorf("/%s/ at %d px: %s", c.slug, vp.width, c2)
				}
			}
		})
	}
}
