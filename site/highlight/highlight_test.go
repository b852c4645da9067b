package highlight

import (
	"flag"
	"html"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2/styles"
)

var update = flag.Bool("update", false, "write chroma.css anew from chroma's styles")

// TestCSSUpToDate checks that chroma.css is what chroma writes for the
// themes, and with -update writes it.
func TestCSSUpToDate(t *testing.T) {
	var b strings.Builder
	for _, theme := range []struct{ name, media string }{{"github", ""}, {"github-dark", "(prefers-color-scheme: dark)"}} {
		style := styles.Get(theme.name)
		if style == nil || style.Name != theme.name {
			t.Fatalf("chroma has no style %q", theme.name)
		}
		if theme.media != "" {
			b.WriteString("@media " + theme.media + " {\n")
		}
		if err := formatter.WriteCSS(&b, style); err != nil {
			t.Fatal(err)
		}
		if theme.media != "" {
			b.WriteString("}\n")
		}
	}
	if *update {
		if err := os.WriteFile("chroma.css", []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if css != b.String() {
		t.Error("chroma.css is not what chroma writes for the themes: run go test ./site/highlight -update")
	}
}

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
