package markdown

import (
	"strings"
	"testing"
	"unsafe"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/promptsite/promptsite/site/highlight"
)

// within reports whether s is held in the memory of whole.
func within(s, whole string) bool {
	if len(s) == 0 {
		return true
	}
	p, w := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(whole)))
	return p >= w && p+uintptr(len(s)) <= w+uintptr(len(whole))
}

// TestCodeText holds codeText to codeSource on every kind of code block,
// and checks that a fenced block's text is cut from the file's, not
// copied.
func TestCodeText(t *testing.T) {
	src := "## A\n\n" +
		"```\nplain\n  indented\n\n```\n\n" +
		"    indented code\n    \tafter a tab\n\n" +
		"- item\n\n  ```go\n  in a list\n    deeper\n  ```\n\n" +
		"> ```\n> quoted\n> ```\n\n" +
		"```\n```\n\n" +
		"```\nno end at EOF"
	b := []byte(src)
	root := New(highlight.Highlighter{}).md.Parser().Parse(text.NewReader(b))
	var n, cut int
	_ = ast.Walk(root, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || !isCode(c) {
			return ast.WalkContinue, nil
		}
		n++
		want, got := codeSource(c, b), codeText(c, b, src)
		if got != want {
			t.Errorf("block %d: codeText = %q, codeSource = %q", n, got, want)
		}
		if within(got, src) && got != "" {
			cut++
		}
		return ast.WalkSkipChildren, nil
	})
	if n != 6 {
		t.Fatalf("found %d code blocks, want 6", n)
	}
	// The fenced blocks at the left margin, the first and the last, are
	// cut from the file; the rest are copies made as goldmark reads them.
	if cut < 2 {
		t.Errorf("%d blocks were cut from the file's text, want at least 2", cut)
	}
}

// TestCutShares checks that cut gives what it always gave, a part of the
// text with one line break at its end, and that it makes no copy when the
// text has that line break.
func TestCutShares(t *testing.T) {
	for _, tc := range []struct {
		text     string
		from, to int
		want     string
		shared   bool
	}{
		{"### A\nbody\n\n\n## B", 0, 13, "### A\nbody\n", true},
		{"### A\nbody\n\n---\n\n## B", 0, 17, "### A\nbody\n", true},
		{"### A\nbody", 0, 10, "### A\nbody\n", false},
		{"### A\nbody  \t", 0, 13, "### A\nbody\n", false},
		{"x### A\n", 1, 0, "\n", false}, // an empty heading found by looking
	} {
		got := cut(tc.text, tc.from, tc.to)
		if got != tc.want {
			t.Errorf("cut(%q, %d, %d) = %q, want %q", tc.text, tc.from, tc.to, got, tc.want)
		}
		if within(got, tc.text) != tc.shared {
			t.Errorf("cut(%q, %d, %d): part of the text = %v, want %v", tc.text, tc.from, tc.to, !tc.shared, tc.shared)
		}
	}
	if s := strings.Repeat("x", 3); within(s+"\n", s) {
		t.Fatal("within is wrong")
	}
}
