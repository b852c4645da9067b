package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/promptsite/promptsite/site/internal/chromium"
)

// chatPrefixes are the addresses that open a prompt in a chat, the prompt
// following URL-encoded.
var chatPrefixes = map[string]string{
	"ChatGPT": "https://chatgpt.com/?q=",
	"Claude":  "https://claude.ai/new?q=",
}

// blankChats are the addresses of a new chat, for a prompt too long to send.
var blankChats = map[string]string{
	"ChatGPT": "https://chatgpt.com/",
	"Claude":  "https://claude.ai/new",
}

// maxChatURL is the longest chat address a link opens (assets/prompt.js).
const maxChatURL = 8000

// chatLink is an "Open in …" link as the page has it.
type chatLink struct {
	Name, Href, Target, Rel string
	Visible                 bool
}

// chatLinks returns the "Open in …" links of the prompt whose anchor is id.
func chatLinks(t *testing.T, ctx context.Context, id string) map[string]chatLink {
	t.Helper()
	list := mustEval[[]chatLink](t, ctx, fmt.Sprintf(`[...document.getElementById(%s).querySelectorAll("a.chat")].map(a => {
		const r = a.getBoundingClientRect(), s = getComputedStyle(a);
		return {name: a.getAttribute("aria-label"), href: a.getAttribute("href"), target: a.target, rel: a.rel,
			visible: r.width > 0 && r.height > 0 && s.visibility === "visible"};
	})`, jsString(id)))
	m := map[string]chatLink{}
	for _, l := range list {
		for chat := range chatPrefixes {
			if strings.HasPrefix(l.Name, "Open in "+chat+":") {
				m[chat] = l
			}
		}
	}
	if len(m) != len(chatPrefixes) {
		t.Fatalf("#%s: the chat links are %+v; want one for each of ChatGPT and Claude", id, list)
	}
	return m
}

// checkChatLinks checks that the prompt's links open its text, want, in
// each chat, in a new tab that cannot reach back into the page.
func checkChatLinks(t *testing.T, ctx context.Context, id, want string) {
	t.Helper()
	for chat, l := range chatLinks(t, ctx, id) {
		if !l.Visible {
			t.Errorf("#%s: %q is not visible", id, l.Name)
		}
		if l.Target != "_blank" || !slices.Contains(strings.Fields(l.Rel), "noopener") {
			t.Errorf("#%s: %q has target=%q rel=%q; want a new tab, rel=noopener", id, l.Name, l.Target, l.Rel)
		}
		prefix := chatPrefixes[chat]
		if !strings.HasPrefix(l.Href, prefix) {
			t.Errorf("#%s: %q leads to %.80q…; want %s followed by the prompt", id, l.Name, l.Href, prefix)
			continue
		}
		got, err := url.PathUnescape(l.Href[len(prefix):])
		if err != nil {
			t.Errorf("#%s: %q: %v", id, l.Name, err)
		}
		if got != want {
			t.Errorf("#%s: %q sends %q; want the prompt %q\n%s", id, l.Name, got, want, diff(got, want))
		}
		if enc := mustEval[string](t, ctx, "encodeURIComponent("+jsString(want)+")"); l.Href != prefix+enc {
			t.Errorf("#%s: %q is not the prompt URL-encoded: %s", id, l.Name, diff(l.Href, prefix+enc))
		}
	}
}

// interceptChats keeps links to chats from leaving the page (the machine
// running the tests may have no internet) and records where each click
// would have gone, in window.__opened.
const interceptChats = `window.__opened = [];
window.addEventListener("click", e => {
	const a = e.target.closest && e.target.closest("a.chat");
	if (a) { window.__opened.push(a.getAttribute("href")); e.preventDefault(); }
});`

// TestOpenInChat checks the "Open in ChatGPT" and "Open in Claude" links of
// every prompt: each opens the prompt as written, URL-encoded, in a new tab.
func TestOpenInChat(t *testing.T) {
	t.Parallel() // no clipboard: see TestCopyCodeBlocks
	s := start(t)
	ctx := s.tab(t, 60*time.Second)
	n := 0
	for _, c := range s.lib.categories {
		navigate(t, ctx, s.url("/"+c.slug+"/"), 200)
		for _, p := range c.prompts {
			code, ok := c.code[p.anchor]
			if !ok {
				if got := mustEval[int](t, ctx, fmt.Sprintf(`document.getElementById(%s).querySelectorAll("a.chat").length`, jsString(p.anchor))); got != 0 {
					t.Errorf("/%s/#%s has no code, yet %d chat links", c.slug, p.anchor, got)
				}
				continue
			}
			checkChatLinks(t, ctx, p.anchor, code)
			n++
		}
	}
	t.Logf("checked the chat links of %d prompts", n)

	// A click opens what the link says.
	navigate(t, ctx, s.url("/implementation-prompts/"), 200)
	mustEval[chromedp.Void](t, ctx, interceptChats)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#retry-with-backoff a.chat[aria-label^="Open in Claude"]`))); err != nil {
		t.Fatal(err)
	}
	want := chatPrefixes["Claude"] + mustEval[string](t, ctx, "encodeURIComponent("+jsString(s.lib.category("implementation-prompts").code["retry-with-backoff"])+")")
	if got := mustEval[[]string](t, ctx, "window.__opened"); !slices.Equal(got, []string{want}) {
		t.Errorf("clicking Open in Claude opened %q; want %q", got, want)
	}
}

// field is a Fill in form's field.
type field struct {
	Label, Tag, ID, Value string
}

// openFillIn clicks the prompt's "Fill in" button and returns the form's
// fields.
func openFillIn(t *testing.T, ctx context.Context, title, id string) []field {
	t.Helper()
	name := "Fill in " + title
	i := slices.IndexFunc(buttons(t, ctx), func(b axButton) bool { return b.name == name })
	if i < 0 {
		t.Fatalf("no visible button named %q", name)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(buttons(t, ctx)[i].sel))); err != nil {
		t.Fatal(err)
	}
	form := fmt.Sprintf(`document.getElementById(%s).querySelector(".fill-form")`, jsString(id))
	if !poll(t, ctx, form+` && !`+form+`.hidden && document.activeElement === `+form+`.querySelector("input, textarea")`, 3*time.Second) {
		t.Fatalf("clicking %q shows no form with its first field focused", name)
	}
	if got := mustEval[string](t, ctx, fmt.Sprintf(`document.getElementById(%s).querySelector("button.fill").getAttribute("aria-expanded")`, jsString(id))); got != "true" {
		t.Errorf("%q: aria-expanded=%q once open; want true", name, got)
	}
	return mustEval[[]field](t, ctx, form+`.querySelectorAll("label").values().map(l => ({label: l.textContent, tag: l.control.tagName, id: l.control.id, value: l.control.value})).toArray()`)
}

// TestFillIn fills in a prompt's blanks: the form has a field for each, a
// preview that follows what is typed, a button that copies the filled
// prompt, and chat links that send it; the values are kept in the browser
// for the next visit; the code block still copies the prompt as written.
func TestFillIn(t *testing.T) {
	s := start(t)
	c := s.lib.category("debugging-prompts")
	const id, title = "fix-async-bug", "Fix Async Bug"
	src := c.code[id]
	ctx := s.tab(t, 60*time.Second)
	if err := chromedp.Do(ctx, desktop.emulate(), chromium.Focused()); err != nil {
		t.Fatal(err)
	}
	problems := watch(t, ctx)
	navigate(t, ctx, s.url("/"+c.slug+"/"), 200)
	mustEval[chromedp.Void](t, ctx, `localStorage.clear()`)
	navigate(t, ctx, s.url("/"+c.slug+"/"), 200)

	// The blanks are marked, and the block still reads as written.
	code := fmt.Sprintf(`document.getElementById(%s).querySelector(".code pre code")`, jsString(id))
	marks := mustEval[[]string](t, ctx, code+`.querySelectorAll("mark.ph").values().map(m => m.textContent).toArray()`)
	if want := []string{"[describe the symptoms]", "[paste the code]", "[paste any error messages]"}; !slices.Equal(marks, want) {
		t.Errorf("marked blanks %q; want %q", marks, want)
	}
	if got := mustEval[string](t, ctx, code+".textContent"); got != src {
		t.Errorf("the code block reads %q; want %q", got, src)
	}

	fields := openFillIn(t, ctx, title, id)
	want := []field{{"Describe the symptoms", "INPUT", "", ""}, {"Paste the code", "TEXTAREA", "", ""}, {"Paste any error messages", "TEXTAREA", "", ""}}
	if len(fields) != len(want) {
		t.Fatalf("the form's fields are %+v; want %+v", fields, want)
	}
	for i := range want {
		if fields[i].Label != want[i].Label || fields[i].Tag != want[i].Tag || fields[i].Value != "" {
			t.Errorf("field %d is %+v; want an empty %s labelled %q", i+1, fields[i], want[i].Tag, want[i].Label)
		}
	}
	values := []string{"it hangs on exit", "async def main():\n    await go()", "RuntimeError: no running event loop"}
	for i, v := range values {
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.JSPath("document.getElementById("+jsString(fields[i].ID)+")"), v)); err != nil {
			t.Fatal(err)
		}
	}
	filled := strings.NewReplacer("[describe the symptoms]", values[0], "[paste the code]", values[1], "[paste any error messages]", values[2]).Replace(src)

	preview := fmt.Sprintf(`document.getElementById(%s).querySelector(".fill-preview").textContent`, jsString(id))
	if !poll(t, ctx, preview+" === "+jsString(filled), 3*time.Second) {
		got := mustEval[string](t, ctx, preview)
		t.Errorf("the preview reads %q; want %q\n%s", got, filled, diff(got, filled))
	}
	bs := buttons(t, ctx)
	i := slices.IndexFunc(bs, func(b axButton) bool { return b.name == "Copy filled prompt" })
	if i < 0 {
		t.Fatal(`no visible "Copy filled prompt" button`)
	}
	setClipboard(t, ctx, sentinel)
	if clickCopy(t, ctx, bs[i], "Copied", "Copied") {
		if got := readClipboard(t, ctx); got != filled {
			t.Errorf("Copy filled prompt copied %q; want %q\n%s", got, filled, diff(got, filled))
		}
	}
	checkChatLinks(t, ctx, id, filled)

	// The code block is untouched: it reads and copies as written.
	if got := mustEval[string](t, ctx, code+".textContent"); got != src {
		t.Errorf("after filling in, the code block reads %q; want %q", got, src)
	}
	copyBtn := slices.IndexFunc(bs, func(b axButton) bool {
		return b.name == "Copy" && mustEval[bool](t, ctx, fmt.Sprintf(`document.querySelector(%s).closest("section").id === %s`, jsString(b.sel), jsString(id)))
	})
	if copyBtn < 0 {
		t.Fatalf("no Copy button in #%s", id)
	}
	setClipboard(t, ctx, sentinel)
	if clickCopy(t, ctx, bs[copyBtn], "Copied", "Copied") {
		if got := readClipboard(t, ctx); got != src {
			t.Errorf("after filling in, the code block's Copy copied %q; want the prompt as written, %q", got, src)
		}
	}

	// The values stay in this browser, for the next visit.
	for i, k := range []string{"describe the symptoms", "paste the code", "paste any error messages"} {
		if got := mustEval[string](t, ctx, `localStorage.getItem(`+jsString("promptsite:ph:"+k)+`)`); got != values[i] {
			t.Errorf("localStorage keeps %q for %q; want %q", got, k, values[i])
		}
	}
	navigate(t, ctx, s.url("/"+c.slug+"/"), 200)
	// Until its form is opened, a prompt is sent as written.
	checkChatLinks(t, ctx, id, src)
	for i, f := range openFillIn(t, ctx, title, id) {
		if f.Value != values[i] {
			t.Errorf("on the next visit, field %q holds %q; want %q", f.Label, f.Value, values[i])
		}
	}
	if got := mustEval[string](t, ctx, preview); got != filled {
		t.Errorf("on the next visit, the preview reads %q; want %q", got, filled)
	}
	checkChatLinks(t, ctx, id, filled)
	problems.check(t, ctx, "/"+c.slug+"/")
}

// TestChatTooLong fills a prompt in until its chat address passes the
// limit: up to it, the link sends the prompt; past it, it opens a blank chat
// and the click copies the prompt and says so.
func TestChatTooLong(t *testing.T) {
	s := start(t)
	c := s.lib.category("debugging-prompts")
	const id, title = "explain-async-behavior", "Explain Async Behavior"
	src := c.code[id]
	if !strings.Contains(src, "[paste your code here]") {
		t.Fatalf("#%s has no [paste your code here]: %q", id, src)
	}
	ctx := s.tab(t, 30*time.Second)
	if err := chromedp.Do(ctx, desktop.emulate(), chromium.Focused()); err != nil {
		t.Fatal(err)
	}
	navigate(t, ctx, s.url("/"+c.slug+"/"), 200)
	mustEval[chromedp.Void](t, ctx, `localStorage.clear()`)
	fields := openFillIn(t, ctx, title, id)
	if len(fields) != 1 || fields[0].Tag != "TEXTAREA" {
		t.Fatalf("the form's fields are %+v; want one textarea", fields)
	}
	set := func(v string) {
		mustEval[chromedp.Void](t, ctx, fmt.Sprintf(`{ const f = document.getElementById(%s); f.value = %s; f.dispatchEvent(new Event("input", {bubbles: true})); }`,
			jsString(fields[0].ID), jsString(v)))
	}
	filled := func(v string) string { return strings.Replace(src, "[paste your code here]", v, 1) }
	// n letters make the ChatGPT address exactly the limit long; the Claude
	// one is a character longer.
	enc := mustEval[int](t, ctx, "encodeURIComponent("+jsString(filled(""))+").length")
	n := maxChatURL - len(chatPrefixes["ChatGPT"]) - enc
	if len(chatPrefixes["Claude"]) != len(chatPrefixes["ChatGPT"])+1 {
		t.Fatal("the test assumes the Claude prefix is one character longer")
	}
	set(strings.Repeat("x", n))
	links := chatLinks(t, ctx, id)
	if got := len(links["ChatGPT"].Href); got != maxChatURL {
		t.Errorf("at the limit, Open in ChatGPT leads to an address of %d characters; want the prompt, %d", got, maxChatURL)
	}
	if got := links["Claude"].Href; got != blankChats["Claude"] {
		t.Errorf("a character past the limit, Open in Claude leads to %.80q; want a blank chat, %s", got, blankChats["Claude"])
	}

	// A long prompt, with code and accents that encode to several bytes.
	long := strings.Repeat("async def café():\n    await go()  # ünïcode\n", 200)
	set(long)
	links = chatLinks(t, ctx, id)
	for chat, l := range links {
		if l.Href != blankChats[chat] {
			t.Errorf("past the limit, %q leads to %.80q; want a blank chat, %s", l.Name, l.Href, blankChats[chat])
		}
	}
	mustEval[chromedp.Void](t, ctx, interceptChats)
	setClipboard(t, ctx, sentinel)
	mustEval[chromedp.Void](t, ctx, `document.getElementById("ps.announce").textContent = ""`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#%s a.chat[aria-label^="Open in ChatGPT"]`, id)))); err != nil {
		t.Fatal(err)
	}
	if got := mustEval[[]string](t, ctx, "window.__opened"); !slices.Equal(got, []string{blankChats["ChatGPT"]}) {
		t.Errorf("clicking Open in ChatGPT opened %q; want a blank chat", got)
	}
	announce := `document.getElementById("ps.announce").textContent`
	if !poll(t, ctx, announce+`.startsWith("The prompt is too long to send in a link, so it is copied")`, 3*time.Second) {
		t.Errorf("#announce says %q; want it to say the prompt is copied", mustEval[string](t, ctx, announce))
	}
	if got, want := readClipboard(t, ctx), filled(long); got != want {
		t.Errorf("the click copied %.200q; want the filled prompt\n%s", got, diff(got, want))
	}
}

// TestFillNoScript loads a page with blanks with JavaScript off: the blanks
// are marked, the prompts read as written, and neither the form nor the
// chat links are offered.
func TestFillNoScript(t *testing.T) {
	t.Parallel() // no clipboard: see TestCopyCodeBlocks
	s := start(t)
	c := s.lib.category("debugging-prompts")
	ctx := s.tab(t, 20*time.Second)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	navigate(t, ctx, s.url("/"+c.slug+"/"), 200)
	got := mustEval[struct {
		Blocks []string
		Marks  int
		Marked bool
		Shown  []string
	}](t, ctx, `(() => {
		const visible = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility === "visible"; };
		const m = document.querySelector("mark.ph");
		return {blocks: [...document.querySelectorAll("pre")].map(p => p.textContent),
			marks: document.querySelectorAll("mark.ph").length,
			marked: !!m && getComputedStyle(m).backgroundColor !== getComputedStyle(m.closest("pre")).backgroundColor,
			shown: [...document.querySelectorAll("a.chat, button, .fill-form")].filter(visible).map(e => e.outerHTML)};
	})()`)
	if !slices.Equal(got.Blocks, c.blocks) {
		t.Errorf("the code blocks read %q; want %q", got.Blocks, c.blocks)
	}
	if got.Marks != 4 || !got.Marked {
		t.Errorf("%d blanks are marked (visibly: %v); want 4, visibly", got.Marks, got.Marked)
	}
	for _, e := range got.Shown {
		t.Errorf("with JavaScript off, this is offered: %s", e)
	}
}

// TestCopyPageMarkdown clicks "Copy page as Markdown" on every category
// page and compares the clipboard with the category's section of the
// markdown, which /<slug>/index.md serves too.
func TestCopyPageMarkdown(t *testing.T) {
	s := start(t)
	ctx := s.tab(t, 60*time.Second)
	if err := chromedp.Do(ctx, desktop.emulate(), chromium.Focused()); err != nil {
		t.Fatal(err)
	}
	for _, c := range s.lib.categories {
		resp, err := http.Get(s.url("/" + c.slug + "/index.md"))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(body) != c.markdown {
			t.Errorf("/%s/index.md: status %d, %q; want the section as written, %q\n%s", c.slug, resp.StatusCode, body, c.markdown, diff(string(body), c.markdown))
		}

		navigate(t, ctx, s.url("/"+c.slug+"/"), 200)
		bs := buttons(t, ctx)
		i := slices.IndexFunc(bs, func(b axButton) bool { return b.name == "Copy page as Markdown" })
		if i < 0 {
			t.Errorf(`/%s/: no visible "Copy page as Markdown" button`, c.slug)
			continue
		}
		setClipboard(t, ctx, sentinel)
		if !clickCopy(t, ctx, bs[i], "Copied", "Copied") {
			continue
		}
		if got := readClipboard(t, ctx); got != c.markdown {
			t.Errorf("/%s/: Copy page as Markdown copied %q; want %q\n%s", c.slug, got, c.markdown, diff(got, c.markdown))
		}
	}
}

// TestFillInAxe runs axe-core on a page with blanks, with a Fill in form
// open and filled in, light and dark, at a desktop's and a phone's width.
func TestFillInAxe(t *testing.T) {
	t.Parallel() // no clipboard: see TestCopyCodeBlocks
	src := axeSource(t)
	s := start(t)
	ctx := s.tab(t, 30*time.Second)
	if err := chromedp.Do(ctx, desktop.emulate()); err != nil {
		t.Fatal(err)
	}
	navigate(t, ctx, s.url("/debugging-prompts/"), 200)
	fields := openFillIn(t, ctx, "Fix Async Bug", "fix-async-bug")
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.JSPath("document.getElementById("+jsString(fields[0].ID)+")"), "it hangs")); err != nil {
		t.Fatal(err)
	}
	axeEverywhere(t, ctx, src)
	// At a phone's width the open form fits.
	if w := mustEval[int](t, ctx, `document.documentElement.scrollWidth`); w > int(phone.width) {
		t.Errorf("with the Fill in form open, the page is %d px wide at %d px", w, phone.width)
	}
}
