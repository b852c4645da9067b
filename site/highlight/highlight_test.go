package highlight

import (
	"html"
	"regexp"
	"strings"
	"testing"
)

var tags = regexp.MustCompile(`<[^>]+>`)

// text returns what a browser shows of the HTML: the tags dropped and the
// entities decoded.
func text(s string) string { return html.UnescapeString(tags.ReplaceAllString(s, "")) }

func TestCodeKeepsText(t *testing.T) {
	for _, tt := range []struct{ code, lang string }{
		{"async def f():\n\tawait g()  # <tab>", "python"},
		{"x = 1\n", "python"},
		{"no newline at end", "go"},
		{"<b>&amp;</b>\n\n", ""},
		{"SELECT 1;", "sql"},
		{"", "python"},
		{"plain [paste your code here]", "unknownlang"},
	} {
		var b strings.Builder
		if err := (Highlighter{}).Code(&b, tt.code, tt.lang); err != nil {
			t.Fatal(err)
		}
		if got := text(b.String()); got != tt.code {
			t.Errorf("Code(%q, %q) shows %q", tt.code, tt.lang, got)
		}
		if strings.Contains(b.String(), "style=") {
			t.Errorf("Code(%q, %q) has inline styles: %s", tt.code, tt.lang, b.String())
		}
	}
}

func TestCodeHighlightsOnlyKnownLanguages(t *testing.T) {
	var py, plain strings.Builder
	(Highlighter{}).Code(&py, "def f(): pass", "python")
	(Highlighter{}).Code(&plain, "def f(): pass", "")
	if !strings.Contains(py.String(), `<span class="k">def</span>`) {
		t.Errorf("python is not highlighted: %s", py.String())
	}
	if plain.String() != "def f(): pass" {
		t.Errorf("a block without a language was changed: %s", plain.String())
	}
}

func TestWriteCSS(t *testing.T) {
	var b strings.Builder
	if err := (Highlighter{}).WriteCSS(&b); err != nil {
		t.Fatal(err)
	}
	css := b.String()
	light, dark, ok := strings.Cut(css, "@media (prefers-color-scheme: dark)")
	if !ok || !strings.Contains(light, ".chroma .k {") || !strings.Contains(dark, ".chroma .k {") {
		t.Errorf("want light rules, then dark ones in a prefers-color-scheme query:\n%s", css)
	}
}
