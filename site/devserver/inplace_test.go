package devserver

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/promptsite/promptsite/site/internal/chromium"
	"github.com/promptsite/promptsite/site/output"
)

// inPlaceSite is a site of one page for the tests of pages updated in
// place: head.txt is what its head holds after its title, page.txt its
// body. Its scripts note in the page how often they ran and what they
// were told:
//
//	/count.js  counts its runs in window.runs and its body's data-ran,
//	           sets data-loaded on the body at DOMContentLoaded, which
//	           it hears on window, and counts the "ping" events on
//	           window in window.pings
//	/late.js   nothing
//	/once.js   declares a const, which fails when it runs again
//
// and a.css and b.css are stylesheets.
func inPlaceSite(t *testing.T) (dir string, build func() (*output.Tree, error)) {
	t.Helper()
	dir = t.TempDir()
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("head.txt", `<link rel="stylesheet" href="/a.css"><script src="/count.js" defer></script>`)
	write("page.txt", "first version")
	return dir, func() (*output.Tree, error) {
		head, err := os.ReadFile(filepath.Join(dir, "head.txt"))
		if err != nil {
			return nil, err
		}
		body, err := os.ReadFile(filepath.Join(dir, "page.txt"))
		if err != nil {
			return nil, err
		}
		title, _, _ := strings.Cut(string(body), " ")
		tree := output.NewTree()
		for name, data := range map[string]string{
			"index.html": "<!doctype html>\n<html lang=\"en\"><head><title>" + title + "</title>" + string(head) +
				"</head>\n<body><p id=\"text\">" + string(body) + "</p></body></html>\n",
			"count.js": `window.runs = (window.runs || 0) + 1;
if (document.body) document.body.setAttribute("data-ran", String(window.runs));
window.addEventListener("DOMContentLoaded", function () { document.body.setAttribute("data-loaded", "yes"); });
addEventListener("ping", function () { window.pings = (window.pings || 0) + 1; });
`,
			"late.js": "window.late = true;\n",
			"once.js": "const once = 1;\n",
			"a.css":   "p { color: black }\n",
			"b.css":   "p { color: navy }\n",
		} {
			if err := tree.Add(name, []byte(data)); err != nil {
				return nil, err
			}
		}
		return tree, nil
	}
}

// A pageMark is a mark on a tab's window, which a reload takes away and an
// update in place keeps.
type pageMark struct{ ctx context.Context }

// set marks the page, once it has loaded whole.
func (m pageMark) set(t *testing.T) {
	t.Helper()
	waitForText(t, m.ctx, 10*time.Second, "the page loaded whole", `document.readyState`, "complete")
	if got := evalText(m.ctx, `window.marked = "yes"`); got != "yes" {
		t.Fatalf("marking the page: %q", got)
	}
}

// kept tells whether the page still has its mark: it did not reload.
func (m pageMark) kept() bool { return evalText(m.ctx, `window.marked || "reloaded"`) == "yes" }

// waitGone waits for the page to reload, which takes its mark away.
func (m pageMark) waitGone(t *testing.T, what string) {
	t.Helper()
	waitForText(t, m.ctx, 10*time.Second, what, `window.marked || "reloaded"`, "reloaded")
}

// TestBrowserUpdatesInPlace checks, in chromium, that an edit comes to an
// open page in place when its scripts can run again as at a load: the
// page is not reloaded, its body and title are the new ones, its scripts
// ran again over the new body, told of DOMContentLoaded, and the
// listeners of their last run are gone. A page that cannot be brought up
// to date so reloads: when the new page has another stylesheet, when a
// script was added since the load, when one runs as the page is parsed,
// or when one fails as it runs again.
func TestBrowserUpdatesInPlace(t *testing.T) {
	browser := newBrowser(t)
	dir, build := inPlaceSite(t)
	r := start(t, &Server{Build: build, Watch: []string{dir}})
	ctx, cancel := context.WithTimeout(browser, 60*time.Second)
	defer cancel()
	problems := watchProblems(t, ctx)
	edit := func(name, data string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const text = `document.getElementById("text").textContent`
	mark := pageMark{ctx}

	if err := chromedp.Do(ctx, chromedp.Navigate(r.base+"/")); err != nil {
		t.Fatal(err)
	}
	waitForText(t, ctx, 10*time.Second, "the first page", text, "first version")
	mark.set(t)

	// An edit to the body: in place.
	edit("page.txt", "second version")
	waitForText(t, ctx, 10*time.Second, "the page after an edit", text, "second version")
	waitForText(t, ctx, 10*time.Second, "the scripts run again", `document.body.dataset.loaded || "not told"`, "yes")
	if !mark.kept() {
		t.Fatal("the page reloaded for an edit to its body; want it updated in place")
	}
	for js, want := range map[string]string{
		`document.title`:            "second",
		`String(window.runs)`:       "2",
		`document.body.dataset.ran`: "2",
		`window.pings = 0; dispatchEvent(new Event("ping")); String(window.pings)`: "1",
		`String(document.querySelectorAll("script:not([data-build])").length)`:     "1",
	} {
		if got := evalText(ctx, js); got != want {
			t.Errorf("after the update in place, %s = %q; want %q", js, got, want)
		}
	}

	// Another stylesheet: a reload.
	edit("head.txt", `<link rel="stylesheet" href="/b.css"><script src="/count.js" defer></script>`)
	edit("page.txt", "third version")
	waitForText(t, ctx, 10*time.Second, "the page with another stylesheet", text, "third version")
	mark.waitGone(t, "the reload")
	if got := evalText(ctx, `getComputedStyle(document.getElementById("text")).color`); got != "rgb(0, 0, 128)" {
		t.Errorf("after the reload, the text's color is %q; want the new stylesheet's", got)
	}

	// A script added since the load: a reload, which runs it no more.
	mark.set(t)
	evalText(ctx, `document.head.appendChild(Object.assign(document.createElement("script"), {src: "/late.js"})), ""`)
	waitForText(t, ctx, 10*time.Second, "the added script", `String(window.late)`, "true")
	edit("page.txt", "fourth version")
	waitForText(t, ctx, 10*time.Second, "the page after a script was added", text, "fourth version")
	mark.waitGone(t, "the reload")
	if got := evalText(ctx, `String(window.late)`); got != "undefined" {
		t.Errorf("after the reload, late.js ran: window.late = %s", got)
	}

	// A script that runs as the page is parsed: a reload.
	mark.set(t)
	edit("head.txt", `<link rel="stylesheet" href="/b.css"><script src="/count.js"></script>`)
	edit("page.txt", "fifth version")
	waitForText(t, ctx, 10*time.Second, "the page with a script run as it is parsed", text, "fifth version")
	mark.waitGone(t, "the reload")
	mark.set(t)
	edit("page.txt", "sixth version")
	waitForText(t, ctx, 10*time.Second, "the page after an edit", text, "sixth version")
	mark.waitGone(t, "the reload")
	problems.check(t)

	// A script that fails as it runs again: a reload, which runs it once.
	edit("head.txt", `<script src="/count.js" defer></script><script src="/once.js" defer></script>`)
	edit("page.txt", "seventh version")
	waitForText(t, ctx, 10*time.Second, "the page with once.js", text, "seventh version")
	waitForText(t, ctx, 10*time.Second, "the page with once.js", `String(typeof once)`, "number")
	mark.set(t)
	edit("page.txt", "eighth version")
	waitForText(t, ctx, 10*time.Second, "the page after an edit", text, "eighth version")
	mark.waitGone(t, "the reload")
	waitForText(t, ctx, 10*time.Second, "the scripts after the reload", `document.body.dataset.ran`, "1")
}

// TestBrowserRealSiteUpdates edits a prompt of the embedded library while
// its category page is open in chromium, scrolled to the prompt: the page
// shows the edit in place, where the reader was, and its buttons work on
// the new page as on a loaded one: Copy copies the edited text, Fill in
// opens its form once. Once the search has been used, the page holds the
// old index: the next edit reloads it, and the search finds the edit.
func TestBrowserRealSiteUpdates(t *testing.T) {
	browser := newBrowser(t)
	dir, build := realSite(t)
	r := start(t, &Server{BuildEarly: build, Watch: []string{dir}})
	ctx, cancel := context.WithTimeout(browser, 60*time.Second)
	defer cancel()
	if err := chromium.AllowClipboard(ctx, r.base); err != nil {
		t.Fatal(err)
	}
	// A window tall enough that the prompt, the page's last, cannot come
	// to its top: the page is scrolled as far as it goes, which a body
	// shorter for a moment would cut short.
	if err := chromedp.Do(ctx, chromium.Focused(), chromedp.EmulateViewport(1200, 900)); err != nil {
		t.Fatal(err)
	}
	problems := watchProblems(t, ctx)
	md := filepath.Join(dir, "python-async-prompts.md")
	edit := func(old, new string) {
		t.Helper()
		src, err := os.ReadFile(md)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(src), old) {
			t.Fatalf("the library has no %q to edit", old)
		}
		if err := os.WriteFile(md, []byte(strings.Replace(string(src), old, new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// block returns the prompt's text, as its markdown has it.
	block := func() string {
		t.Helper()
		src, err := os.ReadFile(md)
		if err != nil {
			t.Fatal(err)
		}
		_, rest, ok := strings.Cut(string(src), "### Convert gather() to TaskGroup\n\n```\n")
		text, _, ok2 := strings.Cut(rest, "\n```\n")
		if !ok || !ok2 {
			t.Fatal("the library has no prompt \"Convert gather() to TaskGroup\" in a fenced block")
		}
		return text
	}
	const sec = "#convert-gather-to-taskgroup"
	const body = `document.body.textContent`
	mark := pageMark{ctx}

	if err := chromedp.Do(ctx, chromedp.Navigate(r.base+"/conversion-prompts/"+sec)); err != nil {
		t.Fatal(err)
	}
	mark.set(t)
	scrolled := evalText(ctx, `String(Math.round(scrollY))`)
	if scrolled == "0" {
		t.Fatalf("the page did not scroll to %s", sec)
	}

	edit("Store task references to get results", "Store task references to read results")
	waitForText(t, ctx, 10*time.Second, "the page after the edit", body, "to read results")
	if !mark.kept() {
		t.Fatal("the page reloaded for an edit; want it updated in place")
	}
	if got := evalText(ctx, `String(Math.round(scrollY))`); got != scrolled {
		t.Errorf("after the update, the page is scrolled to %s; want %s, where the reader was", got, scrolled)
	}
	if got := evalText(ctx, `(document.querySelector(":target") || {id: "none"}).id`); got != sec[1:] {
		t.Errorf("after the update, the page's :target is %q; want %q, as the address names", got, sec[1:])
	}

	// Copy, on the new page.
	evalText(ctx, `navigator.clipboard.writeText("(before the click)").then(() => "")`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sec+" button.copy"))); err != nil {
		t.Fatal(err)
	}
	const clip = `navigator.clipboard.readText()`
	waitForText(t, ctx, 5*time.Second, "the clipboard after Copy", clip, "Convert this")
	if got, want := evalText(ctx, clip), block(); got != want {
		t.Errorf("Copy on the updated page copied:\n%s\nwant the edited prompt:\n%s", got, want)
	}

	// Fill in opens its form, once: a listener left from the page's
	// first load would open it and close it again.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sec+" button.fill"))); err != nil {
		t.Fatal(err)
	}
	waitForText(t, ctx, 5*time.Second, "the Fill in form", `(document.querySelector("`+sec+` .fill-form:not([hidden])") || {id: "no form"}).id`, "convert-gather-to-taskgroup.fill")

	// The search, used: the next edit reloads, and the search finds it.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`input[type=search]`)), chromedp.SendKeys(chromedp.CSS(`input[type=search]`), "taskgroup")); err != nil {
		t.Fatal(err)
	}
	const results = `document.getElementById("ps.results").textContent`
	waitForText(t, ctx, 10*time.Second, "the search's results", results, "Convert gather() to TaskGroup")
	waitForText(t, ctx, 10*time.Second, "the query in the address", `location.search`, "q=taskgroup")
	mark.set(t)
	edit("### Convert gather() to TaskGroup", "### Convert gather() to a TaskGroup")
	waitForText(t, ctx, 10*time.Second, "the page after the edit", body, "Convert gather() to a TaskGroup")
	mark.waitGone(t, "the reload")
	// The address holds the query, which the search put there: the
	// reloaded page's search fills the box with it once it has loaded.
	// The search starts over from an empty box.
	const box = `document.querySelector("input[type=search]")`
	waitForText(t, ctx, 10*time.Second, "the box filled in from the address", box+`.value`, "taskgroup")
	evalText(ctx, box+`.value = ""`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`input[type=search]`)), chromedp.SendKeys(chromedp.CSS(`input[type=search]`), "taskgroup")); err != nil {
		t.Fatal(err)
	}
	waitForText(t, ctx, 10*time.Second, "the search's results after the edit", results, "Convert gather() to a TaskGroup")
	problems.check(t)
}
