package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/promptsite/promptsite/site/internal/chromium"
)

// linkFixture is a small library written for these tests, with the links,
// images and HTML that real libraries hold: a README-like contents list of
// links to headings that the site puts on other pages, links to another
// file and to a heading in it, an image beside the markdown, HTML to render
// and HTML to remove, and a blockquote prompt with tags in its text.
const linkFixture = "testdata/linklib"

var (
	linkOnce sync.Once
	linkSite *builtSite
	linkErr  error
)

// linkLib builds the fixture once for the test binary and serves it.
func linkLib(t *testing.T) *builtSite {
	t.Helper()
	linkOnce.Do(func() {
		tmp, err := os.MkdirTemp("", "promptsite-e2e-links-")
		if err != nil {
			linkErr = err
			return
		}
		atExit(func() { os.RemoveAll(tmp) })
		linkSite, linkErr = buildLibrary(linkFixture, filepath.Join(tmp, "linklib"))
	})
	if linkErr != nil {
		t.Fatal(linkErr)
	}
	return linkSite
}

// dialogs records the JavaScript dialogs that the tab opens, and dismisses
// them so that the page goes on.
type dialogs struct {
	mu   sync.Mutex
	list []string
}

func watchDialogs(t *testing.T, ctx context.Context) *dialogs {
	t.Helper()
	d := &dialogs{}
	err := chromedp.Listen(ctx, func(ev any) {
		if ev, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			d.mu.Lock()
			d.list = append(d.list, fmt.Sprintf("%s(%q)", ev.Type, ev.Message))
			d.mu.Unlock()
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	})
	if err != nil {
		t.Fatalf("listen to the tab: %v", err)
	}
	return d
}

func (d *dialogs) take() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	l := d.list
	d.list = nil
	return l
}

// followLink clicks the link of main whose text is text, waits for the page
// it leads to and returns where the browser is: its path and fragment, the
// text of the element the fragment targets (its heading, when it is a
// section) and whether that element is in view.
func followLink(t *testing.T, ctx context.Context, text string) (where, target string, inView bool) {
	t.Helper()
	before := mustEval[string](t, ctx, fmt.Sprintf(`(() => {
		const a = [...document.querySelectorAll("main a")].find(a => a.textContent.trim() === %s);
		if (!a) return "";
		a.setAttribute("data-e2e-link", "");
		return location.href;
	})()`, jsString(text)))
	if before == "" {
		t.Fatalf("%s: no link %q in main", mustEval[string](t, ctx, "location.pathname"), text)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("[data-e2e-link]"))); err != nil {
		t.Fatalf("click %q: %v", text, err)
	}
	if !arrived(ctx, fmt.Sprintf(`location.href !== %s && document.readyState === "complete" && !document.querySelector("[data-e2e-link]")`,
		jsString(before)), 10*time.Second) {
		t.Fatalf("clicking %q on %s led nowhere", text, before)
	}
	got := mustEval[struct {
		Where, Target string
		InView        bool
	}](t, ctx, `(() => {
		const e = document.querySelector(":target");
		const h = e && (e.matches("h1, h2, h3, h4, h5, h6") ? e : e.querySelector("h1, h2, h3, h4, h5, h6"));
		const r = e && e.getBoundingClientRect();
		return {where: location.pathname + location.hash,
			target: h ? [...h.childNodes].filter(n => !(n.classList && n.classList.contains("hash"))).map(n => n.textContent).join("").trim() : "",
			inView: !!r && r.top >= -1 && r.top < innerHeight};
	})()`)
	return got.Where, got.Target, got.InView
}

// arrived waits until the expression is true in the page that the tab
// goes to, for at most d: unlike poll, it reads a page that is being
// replaced as not there yet.
func arrived(ctx context.Context, expr string, d time.Duration) bool {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	for {
		if ok, err := eval[bool](ctx, expr); err == nil && ok {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// TestFixtureLinks follows the fixture's links as a reader does, by
// clicking them, and checks that each lands on its target: a heading that
// the site moved to another page, another file, a heading in another
// file. It checks that the image beside the markdown shows, that HTML is
// rendered, and that its scripts and handlers are gone.
func TestFixtureLinks(t *testing.T) {
	t.Parallel() // no clipboard: see TestCopyCodeBlocks
	s := start(t)
	lib := linkLib(t)
	for _, w := range lib.res.Site.Warnings {
		t.Errorf("the fixture builds with a warning: %v", w)
	}
	ctx := s.tab(t, 60*time.Second)
	if err := chromedp.Do(ctx, desktop.emulate()); err != nil {
		t.Fatal(err)
	}
	p := watch(t, ctx)
	dl := watchDialogs(t, ctx)

	// The contents on the home page, as a README lists them: links to
	// headings of the same file, which the site put on a category page,
	// and to another file and a heading in it.
	var guide string
	for _, tt := range []struct {
		from, link string
		target     string // the heading the link leads to
		page       string // the page's H1, for a link to a file
	}{
		{"/", "Review the code", "Review the code", ""},
		{"/", "Think it through", "Think it through", ""},
		{"/", "The guide", "", "The Guide"},
		{"/", "Flows in the guide", "Flows and diagrams", ""},
		{"guide", "the reviewer", "Review the code", ""},
	} {
		from := tt.from
		if from == "guide" {
			from = guide
		}
		navigate(t, ctx, lib.url(from), 200)
		where, target, inView := followLink(t, ctx, tt.link)
		if tt.page != "" {
			h1 := mustEval[string](t, ctx, `(document.querySelector("main h1") || {textContent: ""}).textContent.trim()`)
			if h1 != tt.page || strings.Contains(where, "#") {
				t.Errorf("%s: %q led to %s, whose H1 is %q; want the page %q", from, tt.link, where, h1, tt.page)
			}
			guide = where
			continue
		}
		if target != tt.target || !inView {
			t.Errorf("%s: %q led to %s, which targets %q (in view: %v); want the heading %q, in view", from, tt.link, where, target, inView, tt.target)
		}
	}
	if guide == "" {
		t.Fatal("no link led to the guide")
	}
	// A link to the file whose introduction is the home page.
	navigate(t, ctx, lib.url(guide), 200)
	if where, _, _ := followLink(t, ctx, "the contents"); where != "/" {
		t.Errorf("%s: %q led to %s; want the home page, which shows library.md's contents", guide, "the contents", where)
	}

	// The guide's image, its HTML, and what must not run.
	navigate(t, ctx, lib.url(guide), 200)
	img := `document.querySelector('main img[alt="Flow of a review"]')`
	if !mustEval[bool](t, ctx, img+` !== null`) {
		t.Fatal(`the guide has no image "Flow of a review"`)
	}
	mustEval[chromedp.Void](t, ctx, img+`.scrollIntoView({block: "center"})`)
	if !poll(t, ctx, img+`.complete`, 5*time.Second) {
		t.Error("the image beside the markdown never loaded")
	}
	got := mustEval[struct {
		Width, Shown float64
		Src          string
	}](t, ctx, `(() => { const i = `+img+`; return {width: i.naturalWidth, shown: i.getBoundingClientRect().width, src: i.src}; })()`)
	if got.Width != 96 || got.Shown == 0 {
		t.Errorf("the image beside the markdown (%s) has natural width %v and is shown %v px wide; want 96, shown", got.Src, got.Width, got.Shown)
	}
	html := mustEval[struct {
		Table                 []string
		Summary               string
		Open, HiddenShown     bool
		Scripts, Handlers, JS int
		Ran                   bool
	}](t, ctx, `(() => {
		const m = document.querySelector("main"), d = m.querySelector("details");
		return {
			table: [...m.querySelectorAll("table th, table td")].map(c => c.textContent.trim()),
			summary: d ? d.querySelector("summary").textContent.trim() : "",
			open: d ? d.open : false,
			hiddenShown: d ? [...d.querySelectorAll("p")].some(p => p.checkVisibility()) : true,
			scripts: m.querySelectorAll("script").length,
			handlers: [...m.querySelectorAll("*")].filter(e => [...e.attributes].some(a => a.name.startsWith("on"))).length,
			js: [...m.querySelectorAll("a[href]")].filter(a => a.protocol === "javascript:").length,
			ran: window.fixtureScriptRan === true,
		};
	})()`)
	if want := "Step Who Review The model"; strings.Join(html.Table, " ") != want {
		t.Errorf("the HTML table's cells are %q; want %q", html.Table, want)
	}
	if html.Summary != "Show the details" || html.Open || html.HiddenShown {
		t.Errorf("details: summary %q, open %v, its text shown %v; want a closed details with summary %q", html.Summary, html.Open, html.HiddenShown, "Show the details")
	}
	if html.Scripts != 0 || html.Handlers != 0 || html.JS != 0 || html.Ran {
		t.Errorf("the guide keeps %d scripts, %d elements with an on… handler and %d javascript: links (a script ran: %v); want none",
			html.Scripts, html.Handlers, html.JS, html.Ran)
	}
	// Open the details as a reader does; click where the handlers were;
	// let the broken image fail, which an onerror would have answered.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("main details summary"))); err != nil {
		t.Fatal(err)
	}
	if !poll(t, ctx, `document.querySelector("main details").open && [...document.querySelectorAll("main details p")].some(p => p.checkVisibility())`, 3*time.Second) {
		t.Error("clicking the summary did not show the details")
	}
	for _, text := range []string{"Click this paragraph.", "A javascript: link"} {
		mustEval[chromedp.Void](t, ctx, fmt.Sprintf(`[...document.querySelectorAll("main p")].find(p => p.textContent.trim() === %s).setAttribute("data-e2e-click", %[1]s)`, jsString(text)))
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf("[data-e2e-click=%q]", text)))); err != nil {
			t.Fatalf("click %q: %v", text, err)
		}
	}
	broken := `document.querySelector('main img[alt="An image that fails"]')`
	mustEval[chromedp.Void](t, ctx, broken+`.scrollIntoView()`)
	if !poll(t, ctx, broken+`.complete`, 5*time.Second) {
		t.Error("the broken image never finished loading")
	}
	for _, d := range dl.take() {
		t.Errorf("the guide opened a dialog: %s", d)
	}
	p.check(t, ctx, guide)
}

// thinkingPrompt is the text of the fixture's prompt "Think it through", as
// library.md writes it in its blockquote.
const thinkingPrompt = `<thinking>
Work through the problem step by step, in a <document> of your own.
</thinking>
Then answer in one line: "yes" & why, or "no" & why.`

// TestFixtureTags checks that tags in a blockquote prompt are its text:
// shown as written, not made elements, copied as written, and searched as
// the words of any other prompt are.
func TestFixtureTags(t *testing.T) {
	s := start(t)
	lib := linkLib(t)
	s.allowClipboard(t, lib.origin)
	ctx := s.tab(t, 30*time.Second)
	if err := chromedp.Do(ctx, desktop.emulate(), chromium.Focused()); err != nil {
		t.Fatal(err)
	}
	p := watch(t, ctx)
	navigate(t, ctx, lib.url("/"), 200)
	where, _, _ := followLink(t, ctx, "Think it through")
	id := where[strings.Index(where, "#")+1:]
	got := mustEval[struct {
		Text     string
		Elements int
	}](t, ctx, fmt.Sprintf(`(() => {
		const sec = document.getElementById(%s), q = sec && sec.querySelector("blockquote");
		return {text: q ? q.innerText.trim() : "", elements: sec ? sec.querySelectorAll("thinking, document").length : -1};
	})()`, jsString(id)))
	if got.Text != thinkingPrompt || got.Elements != 0 {
		t.Errorf("%s: the blockquote shows\n%s\nand has %d thinking or document elements; want it to show\n%s\nand have none", where, got.Text, got.Elements, thinkingPrompt)
	}
	if copied := copyPrompt(t, ctx, id, false); copied != thinkingPrompt {
		t.Errorf("%s: Copy copied\n%s\nwant\n%s\n%s", where, copied, thinkingPrompt, diff(copied, thinkingPrompt))
	}
	for _, tt := range []struct{ q, want string }{
		{"severity", "/reviews/#review-the-code"}, // words of a blockquote prompt
		{"problem step by step", where},           // of one with tags in it
		{"answer in one line", where},
	} {
		if hits := searchFor(t, ctx, tt.q); len(hits) == 0 || hits[0].Href != tt.want {
			t.Errorf("search %q: results %v; want %s first", tt.q, hits, tt.want)
		}
	}
	p.check(t, ctx, where)
}
