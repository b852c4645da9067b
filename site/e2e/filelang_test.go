package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/promptsite/promptsite/site/internal/chromium"
)

// TestFileInItsLanguage opens the page of a German prompt file in an
// English library: the page is German, its Copy button says so in German
// when it has copied the prompt, and an English prompt's page stays
// English. It uses the clipboard, so it runs alone (see
// TestCopyCodeBlocks).
func TestFileInItsLanguage(t *testing.T) {
	s := start(t)
	lib := buildFiles(t, "mixed", map[string]string{
		"review.md":     "---\ntitle: Review a text\n---\nReview this text for clarity and tone, and list what a reader could misread.\n",
		"lebenslauf.md": "---\ntitle: Lebenslauf prüfen\nlang: de\n---\nPrüfe meinen Lebenslauf auf Rechtschreibung und Lücken, und schlage bessere Sätze vor.\n",
	})
	s.allowClipboard(t, lib.origin)
	ctx := s.tab(t, time.Minute)
	if err := chromedp.Do(ctx, desktop.emulate(), chromium.Focused()); err != nil {
		t.Fatal(err)
	}
	pages := map[string]string{}
	for _, c := range lib.res.Site.Categories {
		for _, p := range c.Prompts {
			pages[p.Title] = p.URL(c)
		}
	}
	navigate(t, ctx, lib.origin+pages["Lebenslauf prüfen"], 200)
	if got := mustEval[string](t, ctx, `document.documentElement.lang + " " + document.querySelector("input[type=search]").placeholder`); got != "de Prompts durchsuchen" {
		t.Errorf("the German prompt's page: lang and search box %q; want de and German", got)
	}
	setClipboard(t, ctx, sentinel)
	b := axButton{name: "Prompt kopieren", sel: "button.copy"}
	if clickCopy(t, ctx, b, "Kopiert", "Kopiert") {
		if got := readClipboard(t, ctx); !strings.HasPrefix(got, "Prüfe meinen Lebenslauf") {
			t.Errorf("Copy copied %q; want the German prompt", got)
		}
	}
	navigate(t, ctx, lib.origin+pages["Review a text"], 200)
	if got := mustEval[string](t, ctx, `document.documentElement.lang + " " + document.querySelector("input[type=search]").placeholder`); got != "en Search prompts" {
		t.Errorf("the English prompt's page: lang and search box %q; want en and English", got)
	}
}
