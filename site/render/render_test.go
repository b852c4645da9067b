package render

import (
	"fmt"
	"html/template"
	"strings"
	"testing"
	"unicode/utf8"

	promptsite "github.com/promptsite/promptsite"
	"github.com/promptsite/promptsite/site/model"
)

func TestDescribe(t *testing.T) {
	long := strings.Repeat("word ", 60)
	tests := []struct{ text, alt, want string }{
		{"Short  text\nwith lines.", "alt", "Short text with lines."},
		{"", "the title", "the title"},
		{"   ", "the title", "the title"},
	}
	for _, tt := range tests {
		if got := describe(tt.text, tt.alt); got != tt.want {
			t.Errorf("describe(%q, %q) = %q; want %q", tt.text, tt.alt, got, tt.want)
		}
	}
	got := describe(long, "")
	if n := utf8.RuneCountInString(got); n > 160 || !strings.HasSuffix(got, "word…") {
		t.Errorf("describe of %d characters = %q (%d); want at most 160, cut at a word", len(long), got, n)
	}
	if got := describe(strings.Repeat("é", 200), ""); utf8.RuneCountInString(got) != 160 || !utf8.ValidString(got) {
		t.Errorf("describe of 200 é = %q; want 159 of them and an ellipsis", got)
	}
}

func TestFileFor(t *testing.T) {
	for path, want := range map[string]string{
		"/":                 "index.html",
		"/testing-prompts/": "testing-prompts/index.html",
		"/a/b/":             "a/b/index.html",
		"/404.html":         "404.html",
	} {
		if got := fileFor(path); got != want {
			t.Errorf("fileFor(%q) = %q; want %q", path, got, want)
		}
	}
}

// TestBuiltinShareSum checks that writeSharePage is used with the built-in
// theme, and that its sum is that of the built-in templates it copies.
func TestBuiltinShareSum(t *testing.T) {
	if got := shareSum(promptsite.Templates()); got != builtinShareSum {
		t.Fatalf("the built-in redirect.html or meta.html changed (sum %s): make writeSharePage write what they do, "+
			"until TestSharePagesMatchTemplates passes, then set builtinShareSum to that sum", got)
	}
	tm, err := Parse(promptsite.Templates())
	if err != nil {
		t.Fatal(err)
	}
	if !tm.fastShare {
		t.Error("the built-in theme does not get its share pages written by writeSharePage")
	}
}

// trickyLibrary is a library whose titles, anchors and texts hold what
// escaping must get right: markup, quotes, plus signs, entities, NUL,
// bytes that are not UTF-8, non-ASCII letters, and percent signs.
func trickyLibrary() *model.Site {
	texts := []string{
		`<script>alert("x")</script>`, `Tom's "quoted" & <b>bold</b>`, "a+b=c; 1<2>0",
		"&amp; &lt; already escaped", "nul\x00byte", "bad \xff\xfe utf-8", "日本語のプロンプト",
		"Ünïcödé — “curly” ‘quotes’", "%41 %zz 100% done", "\uFDD0 \uFFFE nonchars", "",
	}
	anchors := []string{"plain", "日本語", "with%20space", "a'b\"c", "semi;colon", "x+y", "q?a=1&b=2", "pct%zz", "tab\there", "ok-1", "z"}
	s := &model.Site{Title: texts[1] + " library"}
	for ci := range 3 {
		c := &model.Category{Title: texts[(ci+2)%len(texts)], Slug: []string{"cat", "カテゴリ", "c%41t"}[ci]}
		for pi, a := range anchors {
			txt := texts[(pi+ci)%len(texts)]
			c.Prompts = append(c.Prompts, &model.Prompt{
				Title: txt, TitleHTML: template.HTML("<code>" + txt + "</code>"), Anchor: a,
				Intro: texts[(pi+ci+3)%len(texts)], Text: txt,
			})
		}
		s.Categories = append(s.Categories, c)
	}
	return s
}

// TestSharePagesMatchTemplates checks that writeSharePage writes the bytes
// that the built-in templates write, for every share page of a library made
// to break the escaping, with the base URLs and asset paths a build may
// have, unsafe ones included.
func TestSharePagesMatchTemplates(t *testing.T) {
	tm, err := Parse(promptsite.Templates())
	if err != nil {
		t.Fatal(err)
	}
	site := trickyLibrary()
	for _, opts := range []Options{
		{},
		{BaseURL: "https://prompts.example.com", CSS: "/assets/site.0123456789.css", JS: "/assets/site.abcdef0123.js"},
		{BaseURL: "http://x.example/sub dir/ü", CSS: "/a b.css?x=1&y=2", JS: "/%2e%2e/it's.js"},
		{BaseURL: "javascript:alert(1)//", CSS: "data:text/css,x", JS: "JavaScript:void(0)"},
		{BaseURL: "HTTPS://EXAMPLE.COM", CSS: "mailto:a@b", JS: "//cdn.example/x.js"},
		{Lang: "pt-BR", NoIndex: true, Favicon: "/repo/assets/favicon.0123456789.png", Base: "/repo/"},
		{Lang: `x"><script>alert(1)</script>`, Favicon: "javascript:alert(1)", NoIndex: true},
		{Lang: "zh", Favicon: "/a b/ü.svg?x=1&y=2"},
		{Lang: "ar-EG", Strings: map[string]string{"open_prompt_in": `<b>{category}</b> & "{title}" {title}`}},
		{Lang: "he", Strings: map[string]string{"open_prompt_in": "{nothing}"}},
	} {
		slow, err := renderShare(tm, site, opts, false)
		if err != nil {
			t.Fatal(err)
		}
		fast, err := renderShare(tm, site, opts, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(slow) == 0 || len(slow) != len(fast) {
			t.Fatalf("%+v: %d share pages from the templates, %d written", opts, len(slow), len(fast))
		}
		for name, want := range slow {
			if got := fast[name]; got != want {
				t.Errorf("%+v: %s differs from the template's:\n%s", opts, name, firstDiff(got, want))
			}
		}
	}
}

// renderShare renders s's pages and returns its share pages by name,
// written by writeSharePage or by the templates.
func renderShare(tm *Templates, s *model.Site, opts Options, fast bool) (map[string]string, error) {
	own := *tm // Parse shares what it parsed: change a copy
	own.fastShare = fast
	tree, err := own.Pages(s, opts)
	if err != nil {
		return nil, err
	}
	pages := map[string]string{}
	for _, name := range tree.Names() {
		if strings.HasPrefix(name, "p/") {
			b, _ := tree.Get(name)
			pages[name] = string(b)
		}
	}
	return pages, nil
}

func firstDiff(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(i-60, 0)
	return fmt.Sprintf("written:  %q\ntemplate: %q", got[from:min(i+60, len(got))], want[from:min(i+60, len(want))])
}
