package site_test

import (
	"testing"
	"time"

	promptsite "github.com/promptsite/promptsite"
	"github.com/promptsite/promptsite/site"
	"github.com/promptsite/promptsite/site/content"
	"github.com/promptsite/promptsite/site/highlight"
	"github.com/promptsite/promptsite/site/internal/libgen"
	"github.com/promptsite/promptsite/site/linkcheck"
	"github.com/promptsite/promptsite/site/markdown"
	"github.com/promptsite/promptsite/site/render"
	"github.com/promptsite/promptsite/site/search"
)

func TestZZPhases(t *testing.T) {
	files := []content.File{{Name: "gen.md", Data: libgen.Library(10000, 1)}}
	for range 4 {
		t0 := time.Now()
		tm, _ := render.Parse(promptsite.Templates())
		s, err := site.Parse(markdown.New(highlight.Highlighter{}), files)
		if err != nil {
			t.Fatal(err)
		}
		t1 := time.Now()
		idx, err := search.Build(s)
		t2 := time.Now()
		pages, err := tm.Pages(s, render.Options{BaseURL: "https://x.example", CSS: "/a.css", JS: "/a.js"})
		if err != nil {
			t.Fatal(err)
		}
		t3 := time.Now()
		pages.Merge(idx)
		_ = linkcheck.Check(pages)
		t4 := time.Now()
		cfg := site.Config{Files: files, Templates: promptsite.Templates(), Assets: promptsite.Assets(), BaseURL: "https://x.example"}
		site.Build(cfg)
		t5 := time.Now()
		t.Logf("parse %v search %v pages %v linkcheck %v | full %v", t1.Sub(t0), t2.Sub(t1), t3.Sub(t2), t4.Sub(t3), t5.Sub(t4))
	}
}
