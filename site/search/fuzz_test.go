package search_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/promptsite/promptsite/site"
	"github.com/promptsite/promptsite/site/content"
	"github.com/promptsite/promptsite/site/highlight"
	"github.com/promptsite/promptsite/site/markdown"
	"github.com/promptsite/promptsite/site/search"
)

// FuzzExport builds the static index of any library the parser accepts:
// it must not fail or panic, every file must be valid JSON, and two
// exports must be identical to the byte.
func FuzzExport(f *testing.F) {
	for _, s := range []string{
		"# T\n## A\n### Retry with Backoff\n```\nretry the request\n```\n",
		"## Ünïcödé\n### 日本語 プロンプト\n見出し\n### Émoji 🚀 rocket\n",
		"## A\n### B\n<script>alert(1)</script>\n### C\n```\n{\"items\": [...]}\n```\n",
		"## Only a table\n| a | b |\n|---|---|\n| 1 | 2 |\n",
		"## A\n### the and of\nstop words only\n",
	} {
		f.Add(s)
	}
	p := markdown.New(highlight.Highlighter{})
	f.Fuzz(func(t *testing.T, src string) {
		f, err := content.Read("f.md", []byte(src))
		if err != nil {
			return
		}
		lib, err := site.Parse(p, []content.File{f}, site.ParseOptions{})
		if err != nil {
			return
		}
		s := lib.Site
		a, err := search.Build(s)
		if err != nil {
			t.Fatalf("Build: %v", err)
		}
		b, err := search.Build(s)
		if err != nil {
			t.Fatalf("Build again: %v", err)
		}
		if strings.Join(a.Names(), " ") != strings.Join(b.Names(), " ") {
			t.Fatalf("two exports list different files")
		}
		for _, name := range a.Names() {
			x, _ := a.Get(name)
			y, _ := b.Get(name)
			if !bytes.Equal(x, y) {
				t.Fatalf("%s differs between two exports", name)
			}
			if strings.HasSuffix(name, ".json") && !json.Valid(x) {
				t.Fatalf("%s is not valid JSON: %.200s", name, x)
			}
		}
	})
}
