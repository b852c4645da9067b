package search_test

import (
	"os"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/promptsite/promptsite/site"
	"github.com/promptsite/promptsite/site/content"
	"github.com/promptsite/promptsite/site/i18n"
)

// TestBrowserLanguages types the natural queries of the Chinese, German
// and Japanese test libraries into the search box of their built sites, in
// Chromium, and checks that the wanted prompt is among the first three
// results for at least nine in ten, that the page's language is the one
// detected, and that the results mark what matched.
func TestBrowserLanguages(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	for _, lang := range []string{"zh", "de", "ja"} {
		t.Run(lang, func(t *testing.T) {
			lib, err := content.Load("testdata/lang", []string{lang}, content.Options{})
			if err != nil {
				t.Fatal(err)
			}
			res, err := site.Build(site.Config{Files: lib.Files, Templates: os.DirFS("../../templates"), Assets: os.DirFS("../../assets"), NoCheck: true})
			if err != nil {
				t.Fatal(err)
			}
			s, qs := res.Site, langQueries(t, lang)
			dir := t.TempDir()
			writeTree(t, res.Tree, dir)
			ctx, url := browser(t, dir)
			if err := chromedp.Do(ctx, chromedp.Navigate(url+"/"), ready()); err != nil {
				t.Fatal(err)
			}
			if got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`)); err != nil || got != lang {
				t.Errorf("<html lang=%q> (%v); want %q", got, err, lang)
			}
			top3 := 0
			for _, q := range qs {
				want := urlOf(t, s, q.heading)
				typeQuery(t, ctx, q.q)
				hrefs, text, err := resultsFor(ctx, q.q)
				if err != nil {
					t.Fatalf("%q: %v", q.q, err)
				}
				if slices.Contains(hrefs[:min(3, len(hrefs))], want) {
					top3++
				} else {
					t.Logf("%q: results %q (%q); want %s in the first three", q.q, hrefs, text, want)
				}
				marks, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.ps-results mark').length`))
				if err != nil || len(hrefs) > 0 && marks == 0 {
					t.Errorf("%q: %d words marked in the results (%v); want some", q.q, marks, err)
				}
			}
			// A query that finds nothing says so in the page's language.
			const none = "zzqqxxj"
			typeQuery(t, ctx, none)
			if hrefs, text, err := resultsFor(ctx, none); err != nil || len(hrefs) > 0 || text != i18n.For(lang).T("no_results_for", "query", none) {
				t.Errorf("%q: results %q, %q (%v); want %q", none, hrefs, text, err, i18n.For(lang).T("no_results_for", "query", none))
			}
			t.Logf("%s: %d of %d queries typed in Chromium put the wanted prompt in the first three", lang, top3, len(qs))
			if top3*10 < len(qs)*9 {
				t.Errorf("%d of %d queries put the wanted prompt in the first three; want 9 in 10", top3, len(qs))
			}
		})
	}
}
