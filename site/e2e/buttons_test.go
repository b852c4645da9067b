package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// axButton is a button as assistive technology sees it: a real button that
// is not hidden, with its accessible name.
type axButton struct {
	name string
	sel  string // a CSS selector that finds it
}

// buttons returns the page's buttons that the accessibility tree exposes, in
// document order. Hidden buttons are not among them. Each is tagged with a
// data-e2e attribute so that a selector can find it to click.
func buttons(t *testing.T, ctx context.Context) []axButton {
	t.Helper()
	doc, err := chromedp.Run(ctx, chromedp.Evaluate[*runtime.RemoteObject]("document"))
	if err != nil {
		t.Fatalf("find the document: %v", err)
	}
	res, err := chromedp.Call(ctx, accessibility.QueryAXTree, accessibility.QueryAXTreeParams{ObjectID: doc.ObjectID, Role: "button"})
	if err != nil {
		t.Fatalf("query the accessibility tree for buttons: %v", err)
	}
	names := map[string]string{} // tag → name
	for i, n := range res.Nodes {
		if n.Ignored || n.BackendDOMNodeID == 0 {
			continue
		}
		tag := fmt.Sprintf("button-%d", i)
		obj, err := chromedp.Call(ctx, dom.ResolveNode, dom.ResolveNodeParams{BackendNodeID: n.BackendDOMNodeID})
		if err != nil {
			t.Fatalf("resolve a button: %v", err)
		}
		if _, err := chromedp.Call(ctx, runtime.CallFunctionOn, runtime.CallFunctionOnParams{
			FunctionDeclaration: fmt.Sprintf("function () { this.setAttribute('data-e2e', %s); }", jsString(tag)),
			ObjectID:            obj.Object.ObjectID,
		}); err != nil {
			t.Fatalf("tag a button: %v", err)
		}
		names[tag] = axString(n.Name)
	}
	order := mustEval[[]string](t, ctx, `[...document.querySelectorAll("[data-e2e]")].map(e => e.dataset.e2e)`)
	var bs []axButton
	for _, tag := range order {
		if name, ok := names[tag]; ok {
			bs = append(bs, axButton{name: name, sel: fmt.Sprintf("[data-e2e=%q]", tag)})
		}
	}
	return bs
}

// copyButtons returns the buttons that copy a code block: those whose
// accessible name says "Copy" and that copy nothing else (a link, the page's
// markdown, a filled-in prompt).
func copyButtons(bs []axButton) []axButton {
	return slices.DeleteFunc(slices.Clone(bs), func(b axButton) bool {
		return !strings.Contains(b.name, "Copy") || isOtherCopy(b)
	})
}

func isOtherCopy(b axButton) bool {
	return strings.HasPrefix(b.name, "Copy link") || b.name == "Copy page as Markdown" || b.name == "Copy filled prompt"
}

func axString(v *accessibility.Value) string {
	if v == nil {
		return ""
	}
	var s string
	if err := json.Unmarshal(v.Value, &s); err != nil {
		return string(v.Value)
	}
	return s
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err) // a string always marshals
	}
	return string(b)
}

// beforeScripts runs src in every document the tab loads, before the page's
// own scripts.
func beforeScripts(t *testing.T, ctx context.Context, src string) {
	t.Helper()
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: src}); err != nil {
		t.Fatalf("add a script to new documents: %v", err)
	}
}

// clickCopy clicks the button and waits until the button says wantButton
// and the page's live region (#announce, role=status) says something that
// starts with wantAnnounce. It reports a failure on t and returns false if
// they do not.
func clickCopy(t *testing.T, ctx context.Context, b axButton, wantButton, wantAnnounce string) bool {
	t.Helper()
	// Start from an empty live region, so that an old message cannot pass.
	mustEval[chromedp.Void](t, ctx, `{ const a = document.getElementById("ps.announce"); if (a) a.textContent = ""; }`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(b.sel))); err != nil {
		t.Fatalf("click %q: %v", b.name, err)
	}
	state := fmt.Sprintf(`(() => {
		const b = document.querySelector(%s), a = document.getElementById("ps.announce");
		return {button: b ? b.textContent.trim() : "(gone)", announce: a ? a.textContent : "(no #announce)",
			role: a ? a.getAttribute("role") : ""};
	})()`, jsString(b.sel))
	ok := poll(t, ctx, fmt.Sprintf(`(() => { const s = %s; return s.button === %s && s.announce.startsWith(%s) && s.role === "status"; })()`,
		state, jsString(wantButton), jsString(wantAnnounce)), 3*time.Second)
	if !ok {
		got := mustEval[struct{ Button, Announce, Role string }](t, ctx, state)
		t.Errorf("after clicking %q: button says %q, #announce (role=%q) says %q; want %q and %q (role=status)",
			b.name, got.Button, got.Role, got.Announce, wantButton, wantAnnounce)
	}
	return ok
}

// setClipboard puts a sentinel on the clipboard, so that a copy that does
// nothing cannot pass for one that copied the same text as the last.
func setClipboard(t *testing.T, ctx context.Context, s string) {
	t.Helper()
	mustEval[chromedp.Void](t, ctx, "navigator.clipboard.writeText("+jsString(s)+")")
}

func readClipboard(t *testing.T, ctx context.Context) string {
	t.Helper()
	return mustEval[string](t, ctx, "navigator.clipboard.readText()")
}

// diff describes where got first differs from want.
func diff(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	lo := max(0, i-20)
	return fmt.Sprintf("first difference at byte %d: got …%q…, want …%q… (lengths %d and %d)",
		i, got[lo:min(len(got), i+20)], want[lo:min(len(want), i+20)], len(got), len(want))
}
