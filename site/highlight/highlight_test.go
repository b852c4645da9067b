package highlight

import (
	"flag"
	"html"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
)

var update = flag.Bool("update", false, "write chroma.css anew from chroma's styles")

// TestCSSUpToDate checks that chroma.css is what chroma writes for the
// themes, compacted (see compact), and with -update writes it.
func TestCSSUpToDate(t *testing.T) {
	var b strings.Builder
	for _, theme := range []struct{ name, media string }{{"github", ""}, {"github-dark", "(prefers-color-scheme: dark)"}} {
		style := styles.Get(theme.name)
		if style == nil || style.Name != theme.name {
			t.Fatalf("chroma has no style %q", theme.name)
		}
		var rules strings.Builder
		if err := formatter.WriteCSS(&rules, style); err != nil {
			t.Fatal(err)
		}
		if theme.media != "" {
			b.WriteString("@media " + theme.media + "{" + compact(t, rules.String()) + "}")
		} else {
			b.WriteString(compact(t, rules.String()))
		}
	}
	b.WriteString("\n")
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

// unwritten are the classes of chroma's stylesheets that Code never
// writes: those of line numbers, highlighted lines and line wrappers,
// which its formatter is not asked for, and of a standalone background.
var unwritten = []string{"bg", "hl", "line", "ln", "lnlinks", "lnt", "lntable", "lntd"}

var rule = regexp.MustCompile(`\s*([^{}]+?)\s*\{([^{}]*)\}`)

// compact returns chroma's rules css without those of the unwritten
// classes, each list of declarations once, for all the selectors that
// have it, and without spaces: the same colours in 650 bytes gzipped
// instead of 930, in the stylesheet of every page. A token's span has one
// class, so that no two of the rules joined apply to one element.
func compact(t *testing.T, css string) string {
	t.Helper()
	var decls []string
	selectors := map[string][]string{}
	rest := rule.ReplaceAllStringFunc(css, func(r string) string {
		m := rule.FindStringSubmatch(r)
		sel := m[1]
		if slices.ContainsFunc(unwritten, func(c string) bool { return sel == ".chroma ."+c || sel == "."+c }) {
			return ""
		}
		var ds []string
		for d := range strings.SplitSeq(m[2], ";") {
			if name, value, ok := strings.Cut(d, ":"); ok {
				ds = append(ds, strings.TrimSpace(name)+":"+strings.TrimSpace(value))
			}
		}
		d := strings.Join(ds, ";")
		if selectors[d] == nil {
			decls = append(decls, d)
		}
		selectors[d] = append(selectors[d], sel)
		return ""
	})
	if strings.TrimSpace(rest) != "" {
		t.Fatalf("chroma's stylesheet holds more than rules: %q", rest)
	}
	var b strings.Builder
	for _, d := range decls {
		b.WriteString(strings.Join(selectors[d], ",") + "{" + d + "}")
	}
	return b.String()
}

// TestUnwrittenClasses checks that Code writes none of the classes whose
// rules compact leaves out, in code of several languages.
func TestUnwrittenClasses(t *testing.T) {
	for _, tt := range []struct{ code, lang string }{
		{"async def f(x):\n    # retry\n    return await g(x, 'a', 1.5)\n", "python"},
		{"package main\n\nfunc main() {\n\tprintln(\"hi\", 0x1f)\n}\n", "go"},
		{"const f = async (x) => { await g(`a${x}`); };\n", "javascript"},
		{"<a href=\"/x\">&amp;</a>\n", "html"},
		{"SELECT a FROM t WHERE b = 'c';\n", "sql"},
		{"for f in *.md; do echo \"$f\"; done\n", "bash"},
		{"--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n", "diff"},
		{"key: [1, 2]\n", "yaml"},
	} {
		var b strings.Builder
		if err := (Highlighter{}).Code(&b, tt.code, tt.lang); err != nil {
			t.Fatal(err)
		}
		for _, c := range unwritten {
			if strings.Contains(b.String(), `class="`+c+`"`) {
				t.Errorf("Code writes the class %q for %s: %s", c, tt.lang, b.String())
			}
		}
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
	k := regexp.MustCompile(`\.chroma \.k[,{]`)
	if !ok || !k.MatchString(light) || !k.MatchString(dark) {
		t.Errorf("want light rules, then dark ones in a prefers-color-scheme query:\n%s", css)
	}
}

// TestLexerForIsChromas checks that the lexers lexerFor keeps by name are
// the ones chroma gives, the first time and after, for aliases, names in
// any case, file names and names of no lexer.
func TestLexerForIsChromas(t *testing.T) {
	for _, lang := range []string{"go", "Go", "golang", "py", "markdown", "md", "json", "Dockerfile",
		"main.go", "text", "prompt", "no-such-language", "c++", ""} {
		var want chroma.Lexer
		if lang != "" {
			want = lexers.Get(lang)
		}
		for try := range 2 {
			if got := lexerFor(lang); got != want {
				t.Errorf("lexerFor(%q), try %d = %v; want chroma's %v", lang, try+1, got, want)
			}
		}
	}
}

// BenchmarkKnown looks up a language that no lexer is named, as a code
// block's info string may give, through chroma and through lexerFor.
//
//	go test ./site/highlight -run '^$' -bench Known
func BenchmarkKnown(b *testing.B) {
	b.Run("chroma", func(b *testing.B) {
		for b.Loop() {
			lexers.Get("prompt")
		}
	})
	b.Run("kept", func(b *testing.B) {
		for b.Loop() {
			Known("prompt")
		}
	})
}
