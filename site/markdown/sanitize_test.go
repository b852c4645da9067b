package markdown

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	gmtext "github.com/yuin/goldmark/text"
	"golang.org/x/tools/txtar"

	"github.com/promptsite/promptsite/site/highlight"
	"github.com/promptsite/promptsite/site/sanitize"
)

// TestSanitizeKeepsOwnMarkup renders markdown as promptsite does, and asserts that every
// chunk of HTML it makes comes out of sanitize.HTML unchanged, to the byte: the
// built-in library, the markdown package's test cases and a file that
// uses every feature promptsite renders.
func TestSanitizeKeepsOwnMarkup(t *testing.T) {
	files := map[string][]byte{}
	for _, name := range []string{"../../content/python-async-prompts.md", "testdata/markup.md"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = b
	}
	cases, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no markdown test cases: %v", err)
	}
	names := map[string]string{} // a case's file name, which can make it one prompt
	alone := map[string]bool{}
	for _, name := range cases {
		ar, err := txtar.ParseFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ar.Files {
			if f.Name == "alone" {
				alone[name] = true
			}
			if _, done := files[name]; strings.HasSuffix(f.Name, ".md") && !done {
				files[name], names[name] = f.Data, f.Name
			}
		}
	}

	p := New(highlight.Highlighter{})
	var all strings.Builder // every chunk checked
	for name, src := range files {
		t.Run(filepath.Base(name), func(t *testing.T) {
			if hasRawHTML(src) {
				t.Skip("it holds raw HTML, which is the author's, not promptsite's")
			}
			file := filepath.Base(name)
			if n, ok := names[name]; ok {
				file = n
			}
			d, err := parse(p, file, src, alone[name])
			if err != nil {
				t.Fatal(err)
			}
			chunks := map[string]string{"introduction": string(d.Intro)}
			cats := d.Categories
			if d.Page != nil {
				cats = append(cats, d.Page)
			}
			if p := d.Prompt; p != nil {
				chunks[p.Anchor+" title"] = string(p.TitleHTML)
				chunks[p.Anchor+" body"] = string(p.Body)
			}
			for _, c := range cats {
				chunks[c.Slug+" title"] = string(c.TitleHTML)
				chunks[c.Slug+" introduction"] = string(c.Intro)
				for _, pr := range c.Prompts {
					chunks[pr.Anchor+" title"] = string(pr.TitleHTML)
					chunks[pr.Anchor+" body"] = string(pr.Body)
				}
			}
			for what, chunk := range chunks {
				all.WriteString(chunk)
				if got := string(sanitize.HTML([]byte(chunk))); got != chunk {
					t.Errorf("%s: sanitising changed the %s\n%s", name, what, firstDiff(got, chunk))
				}
			}
		})
	}
	// The files hold every kind of markup promptsite writes.
	for _, s := range []string{`<div class="code"><pre class="chroma" tabindex="0"><code class="language-`,
		`<div class="code quote">`, `<div class="prompt-src"><template class="src">`, `<button type="button" class="copy" hidden>Copy prompt</button>`,
		`<button type="button" class="copy" hidden>Copy</button></div>`, `<span class="`, `<mark class="ph">`,
		`<mark class="ph ml">`, `<th style="text-align:center">`, `<td style="text-align:right">`, `<input checked="" disabled="" type="checkbox">`,
		`<ol start="3">`, `<h4 id="überschrift-mit-umlauten">`, `<h5 id="日本語の見出し">`, `<img src="flow.png" alt="Flow: a → b" title="The flow" loading="lazy">`,
		`<a href="other.md#a-heading" title="Title: with a colon?">`, `<a href="mailto:team@example.com">`, `&quot;`, `it's`, `&#39;`, `&#34;`} {
		if !strings.Contains(all.String(), s) {
			t.Errorf("no chunk holds %s: the round trip does not cover it", s)
		}
	}
}

// hasRawHTML reports whether the markdown src holds raw HTML, inline or
// as a block.
func hasRawHTML(src []byte) bool {
	found := false
	root := goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser().Parse(gmtext.NewReader(src))
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if k := n.Kind(); entering && (k == ast.KindHTMLBlock || k == ast.KindRawHTML) {
			found = true
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	return found
}

// firstDiff shows where got and want part, with some context.
func firstDiff(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-60)
	return fmt.Sprintf("got  …%q\nwant …%q", got[from:min(len(got), i+60)], want[from:min(len(want), i+60)])
}
