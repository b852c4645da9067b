package markdown

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/promptsite/promptsite/site/highlight"
	"github.com/promptsite/promptsite/site/internal/libgen"
)

// dumpTree writes the tree of root, each node's kind, its lines, its blank
// line before it and its attributes, and renders it: two trees of the same
// source that dump alike are the same to every reader of them.
func dumpTree(p *Parser, src []byte, root ast.Node) string {
	var b strings.Builder
	ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		fmt.Fprintf(&b, "%s", n.Kind())
		if n.Type() == ast.TypeBlock {
			fmt.Fprintf(&b, " blank=%v", n.HasBlankPreviousLines())
			for i := range n.Lines().Len() {
				s := n.Lines().At(i)
				fmt.Fprintf(&b, " %d-%d", s.Start, s.Stop)
			}
		}
		if l, ok := n.(*ast.List); ok {
			fmt.Fprintf(&b, " tight=%v", l.IsTight)
		}
		if t, ok := n.(*ast.Text); ok {
			fmt.Fprintf(&b, " %d-%d", t.Segment.Start, t.Segment.Stop)
		}
		for _, a := range n.Attributes() {
			fmt.Fprintf(&b, " %s=%v", a.Name, a.Value)
		}
		b.WriteByte('\n')
		return ast.WalkContinue, nil
	})
	if err := p.md.Renderer().Render(&b, src, root); err != nil {
		b.WriteString(err.Error())
	}
	return b.String()
}

// checkParts parses src whole and in parts cut where cuts allows, for n
// parts, and fails if the trees differ. It returns the number of cuts.
func checkParts(t *testing.T, p *Parser, name string, src []byte, n int) int {
	t.Helper()
	at := cuts(src, n, 0)
	if len(at) == 0 {
		return 0
	}
	whole := dumpTree(p, src, p.md.Parser().Parse(text.NewReader(src)))
	parts := dumpTree(p, src, p.parseAt(src, at))
	if whole != parts {
		w, q := strings.Split(whole, "\n"), strings.Split(parts, "\n")
		for i := range min(len(w), len(q)) {
			if w[i] != q[i] {
				t.Fatalf("%s cut at %v parses otherwise than whole: at line %d of the dump,\n%s\nwant\n%s", name, at, i+1, q[i], w[i])
			}
		}
		t.Fatalf("%s cut at %v parses otherwise than whole: %d lines of dump, want %d", name, at, len(q), len(w))
	}
	return len(at)
}

// TestPartsParseAsWhole checks that libraries parsed in parts give the
// same tree as parsed whole: ours, a generated one, and every file of
// the testdata; and that a large library is cut.
func TestPartsParseAsWhole(t *testing.T) {
	p := New(highlight.Highlighter{})
	files := map[string][]byte{"generated": libgen.Library(2000, 1)}
	for _, pattern := range []string{"../../content/*.md", "testdata/*.md"} {
		names, _ := filepath.Glob(pattern)
		for _, name := range names {
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			files[name] = normalize(b)
		}
	}
	for name, src := range files {
		for n := 2; n <= 5; n++ {
			got := checkParts(t, p, name, src, n)
			if name == "generated" && got != n-1 {
				t.Errorf("the generated library was cut %d times for %d parts; want %d", got, n, n-1)
			}
		}
	}
	if at := cuts(files["generated"], 2, minSplit); len(at) != 1 || len(files["generated"]) < minSplit {
		t.Errorf("a library of %d bytes was cut at %v for two cores", len(files["generated"]), at)
	}
	if at := cuts(files["generated"][:minSplit-1], 2, minSplit); len(at) != 0 {
		t.Errorf("a library smaller than %d bytes was cut at %v", minSplit, at)
	}
}

// blocks are pieces of markdown that open or close blocks that run on, to
// put before and after a heading where a cut may fall.
var blocks = []string{
	"text\n", "\n", "\n\n", "- item\n", "- item\n\n  more\n", "1. one\n2. two\n", "> quote\n", "> ```\n",
	"```\n", "````\n", "~~~\n", "```go\n", "``` a`b\n", "    indented\n", "  ```\n", "    ```\n",
	"| a | b |\n|---|---|\n| 1 | 2 |\n", "***\n", "Setext\n---\n", "## heading\n", "## heading {#id}\n",
	"### prompt\n", "<div>\n", "<!--\n", "-->\n", "[ref]: /url\n", "see [ref]\n", "[^1]: note\n",
	"*open\n", "close*\n", "`code\n", "span`\n", "- [ ] task\n", "https://example.com\n", "\t```\n", "-\n\n  foo\n", "\f\n", " \n",
	"```\u00a0\n", "```\u0085\n", "~~~\u2003\n", "``` \v\n", "\u00a0\n",
}

// TestPartsParseAsWholeRandom checks random sequences of blocks, with
// level-two headings among them.
func TestPartsParseAsWholeRandom(t *testing.T) {
	p := New(highlight.Highlighter{})
	r := rand.New(rand.NewPCG(1, 2))
	cut := 0
	for i := range 3000 {
		var b bytes.Buffer
		for range 4 + r.IntN(40) {
			if r.IntN(4) == 0 {
				b.WriteString("\n## H\n")
			}
			b.WriteString(blocks[r.IntN(len(blocks))])
		}
		cut += checkParts(t, p, fmt.Sprintf("random %d:\n%s\n", i, b.String()), b.Bytes(), 2+r.IntN(3))
	}
	if cut < 300 {
		t.Errorf("only %d cuts in 3,000 random sources; the test checks too little", cut)
	}
}

// FuzzPartsParseAsWhole feeds any text to the parts' parse.
func FuzzPartsParseAsWhole(f *testing.F) {
	for _, s := range blocks {
		f.Add(s + "\n## H\n" + s)
	}
	p := New(highlight.Highlighter{})
	f.Fuzz(func(t *testing.T, src string) {
		checkParts(t, p, "fuzz", normalize([]byte(src)), 3)
	})
}
