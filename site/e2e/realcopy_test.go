package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/promptsite/promptsite/site/internal/chromium"
)

// promptButtonJS finds a prompt's Copy button: in the section with the
// given id, the button beside its text as written; or, on a prompt's own
// page (id ""), the button that copies the whole prompt, or its first code
// block's when block is set. It returns the button, or null, and what is
// wrong with where it stands.
const promptButtonJS = `((id, block) => {
	const sec = id ? document.getElementById(id) : document.querySelector("section.prompt.own");
	if (!sec) return [null, "no " + (id ? "element #" + id : "section.prompt.own")];
	const sel = id ? "template.src + button.copy" : block ? "div.code > button.copy" : "div.prompt-src > button.copy";
	const b = sec.querySelector(sel);
	if (!b) return [null, "no " + sel + " in " + sec.tagName.toLowerCase() + (id ? "#" + id : ".own")];
	const box = b.parentElement;
	if (box.querySelector(":scope > blockquote") && !box.matches("div.code.quote"))
		return [b, "the blockquote and its Copy button stand in " + box.outerHTML.slice(0, box.outerHTML.indexOf(">") + 1) + ", not in div.code.quote"];
	return [b, ""];
})`

// copyPrompt clicks a prompt's Copy button with the mouse, where a person
// would click it, and returns what it put on the clipboard; "" and a
// failure on t when it could not be clicked or did not confirm.
func copyPrompt(t *testing.T, ctx context.Context, id string, block bool) string {
	t.Helper()
	at := mustEval[struct {
		X, Y       float64
		Err, Place string
	}](t, ctx, fmt.Sprintf(`(async () => {
		const [b, place] = %s(%s, %v);
		if (!b) return {err: place};
		if (b.hidden) return {err: "the Copy button is hidden"};
		await navigator.clipboard.writeText(%s);
		b.scrollIntoView({block: "center"});
		const r = b.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
		const hit = document.elementFromPoint(x, y);
		if (!hit || !b.contains(hit)) return {err: "the Copy button is covered by " + (hit ? hit.outerHTML.slice(0, 100) : "nothing")};
		b.setAttribute("data-e2e-copy", "");
		return {x, y, err: "", place};
	})()`, promptButtonJS, jsString(id), block, jsString(sentinel)))
	if at.Err != "" {
		t.Errorf("%s: %s", promptName(id), at.Err)
		return ""
	}
	if at.Place != "" {
		t.Errorf("%s: %s", promptName(id), at.Place)
	}
	for _, typ := range []input.DispatchMouseEventType{input.DispatchMouseEventTypeMousePressed, input.DispatchMouseEventTypeMouseReleased} {
		if _, err := chromedp.Call(ctx, input.DispatchMouseEvent, input.DispatchMouseEventParams{
			Type: typ, X: at.X, Y: at.Y, Button: input.MouseButtonLeft, ClickCount: 1,
		}); err != nil {
			t.Fatalf("click the Copy button of %s: %v", promptName(id), err)
		}
	}
	got := mustEval[struct{ Label, Text string }](t, ctx, `(async () => {
		const b = document.querySelector("[data-e2e-copy]");
		b.removeAttribute("data-e2e-copy");
		for (let i = 0; i < 300 && b.textContent.trim() !== "Copied"; i++) await new Promise(r => setTimeout(r, 10));
		return {label: b.textContent.trim(), text: await navigator.clipboard.readText()};
	})()`)
	if got.Label != "Copied" {
		t.Errorf("%s: after a click its Copy button says %q; want Copied", promptName(id), got.Label)
		return ""
	}
	return got.Text
}

func promptName(id string) string {
	if id == "" {
		return "the page's prompt"
	}
	return "prompt #" + id
}

// pagePrompt is what checkPromptLinks expects of one prompt of a page.
type pagePrompt struct {
	ID    string `json:"id"` // "" on the prompt's own page
	Title string `json:"title"`
	Text  string `json:"text"`
	URL   string `json:"url"`   // the prompt's address, which its share page leads to
	Share string `json:"share"` // its share page's address
}

// checkPromptLinks checks, for every prompt of the page, its heading, its
// Copy link button (which copies the address of its share page) and its
// Open in ChatGPT and Claude links (which carry its text as written, unless
// it is too long for an address). It returns what is wrong.
func checkPromptLinks(t *testing.T, ctx context.Context, ps []pagePrompt) []string {
	t.Helper()
	return mustEval[[]string](t, ctx, fmt.Sprintf(`((ps) => {
		const out = [];
		const visible = e => e && !e.hidden && e.getClientRects().length > 0;
		for (const p of ps) {
			const where = p.id ? "#" + p.id : p.title;
			const sec = p.id ? document.getElementById(p.id) : document.querySelector("section.prompt.own");
			if (!sec) {
				out.push(where + ": no section");
				continue;
			}
			const h = sec.querySelector("h1, h2, h3");
			const title = h ? [...h.childNodes].filter(n => !(n.classList && n.classList.contains("hash"))).map(n => n.textContent).join("").trim() : "";
			if (title !== p.title) out.push(where + ": heading " + JSON.stringify(title) + ", want " + JSON.stringify(p.title));
			const cl = sec.querySelector("button.copy-link");
			if (!visible(cl)) out.push(where + ": no visible Copy link button");
			else if (cl.dataset.href !== p.share) out.push(where + ": Copy link copies " + cl.dataset.href + ", want " + p.share);
			const chats = [...sec.querySelectorAll("a.chat")];
			if (chats.length !== 2 || !chats.every(visible)) out.push(where + ": " + chats.length + " Open in … links, want 2 visible");
			for (const a of chats) {
				const u = a.dataset.q + encodeURIComponent(p.text), href = a.getAttribute("href");
				const ok = u.length <= 8000 ? href === u : !href.includes("?q=");
				if (!ok) out.push(where + ": " + a.textContent + " leads to " + href.slice(0, 200) + "…, want " + u.slice(0, 200) + "…");
			}
		}
		return out;
	})(%s)`, mustJSON(t, ps)))
}

// checkSharePages fetches every prompt's share page and checks that it
// leads to the prompt. It returns what is wrong.
func checkSharePages(t *testing.T, ctx context.Context, ps []pagePrompt) []string {
	t.Helper()
	return mustEval[[]string](t, ctx, fmt.Sprintf(`(async (ps) => {
		const out = [];
		await Promise.all(ps.map(async p => {
			const r = await fetch(p.share);
			const page = new DOMParser().parseFromString(await r.text(), "text/html");
			const refresh = page.querySelector('meta[http-equiv="refresh"]');
			const to = refresh ? refresh.content.replace(/^\d+;\s*url=/i, "") : "";
			if (!r.ok || to !== p.url) out.push("share page " + p.share + " answers " + r.status + " and leads to " + JSON.stringify(to) + ", want " + p.url);
		}));
		return out;
	})(%s)`, mustJSON(t, ps)))
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRealCopy clicks the Copy button of every prompt of the three real
// libraries and compares the clipboard with the prompt's text as the tests
// read it from the markdown; it checks every prompt's Copy link, share page
// and Open in … links on the way. See TestCopyCodeBlocks on why it does not
// run in parallel.
func TestRealCopy(t *testing.T) {
	s := start(t)
	for _, rs := range realSites(t) {
		t.Run(rs.lib.name, func(t *testing.T) {
			s.allowClipboard(t, rs.origin)
			ctx := s.tab(t, 5*time.Minute)
			if err := chromedp.Do(ctx, desktop.emulate(), chromium.Focused()); err != nil {
				t.Fatal(err)
			}
			// The prompts by the page that shows them, in the order of
			// the markdown.
			var pages []string
			byPage := map[string][]realPrompt{}
			for _, p := range rs.lib.prompts {
				pg := p.page
				if p.id != "" {
					pg, _, _ = strings.Cut(rs.shown(p.page+"#"+p.id), "#")
				}
				if byPage[pg] == nil {
					pages = append(pages, pg)
				}
				byPage[pg] = append(byPage[pg], p)
			}
			var all []pagePrompt
			for _, pg := range pages {
				all = append(all, copyPage(t, ctx, rs, pg, byPage[pg])...)
			}

			// Every share page leads to its prompt; Copy link, once,
			// copies the share page's absolute address.
			first := all[0]
			navigate(t, ctx, rs.url(pages[0]), 200)
			for _, e := range checkSharePages(t, ctx, all) {
				t.Error(e)
			}
			b := axButton{name: "Copy link", sel: "section.prompt.own button.copy-link"}
			if first.ID != "" {
				b.sel = "#" + first.ID + " button.copy-link"
			}
			setClipboard(t, ctx, sentinel)
			if clickCopy(t, ctx, b, "Copied", "Copied link") {
				if got, want := readClipboard(t, ctx), rs.url(first.Share); got != want {
					t.Errorf("%s: Copy link copied %q; want %q", pages[0], got, want)
				}
			}
			t.Logf("copied %d prompts on %d pages", len(all), len(pages))
		})
	}
}

// copyPage loads the page pg and checks its prompts, ps: it clicks each
// one's Copy button and checks its links. It returns what checkSharePages
// is to check of them. A prompt's share page is named by its lasting
// address, whichever page of its category shows it.
func copyPage(t *testing.T, ctx context.Context, rs *realSite, pg string, ps []realPrompt) []pagePrompt {
	t.Helper()
	navigate(t, ctx, rs.url(pg), 200)
	// A page of prompts has a Copy button beside each prompt's text and
	// nowhere else; a prompt's page has one.
	sel := "section.prompt.own div.prompt-src > template.src + button.copy"
	if ps[0].id != "" {
		sel = "section.prompt template.src + button.copy"
	}
	if n := mustEval[int](t, ctx, fmt.Sprintf(`document.querySelectorAll(%s).length`, jsString(sel))); n != len(ps) {
		t.Errorf("%s: %d of %s; want one for each of its %d prompts", pg, n, sel, len(ps))
	}
	var want []pagePrompt
	for _, p := range ps {
		url, share := pg, "/p/"+strings.Trim(p.page, "/")+".html"
		if p.id != "" {
			url, share = pg+"#"+p.id, "/p/"+strings.Trim(p.page, "/")+"/"+p.id+".html"
		}
		want = append(want, pagePrompt{ID: p.id, Title: p.title, Text: p.text, URL: url, Share: share})
	}
	for _, e := range checkPromptLinks(t, ctx, want) {
		t.Errorf("%s: %s", pg, e)
	}
	for _, p := range ps {
		got := copyPrompt(t, ctx, p.id, p.block)
		if got != p.text && got != "" {
			t.Errorf("%s: %q copied:\n%s\nwant its text as written:\n%s\n%s", pg+"#"+p.id, p.title, got, p.text, diff(got, p.text))
		}
	}
	return want
}
