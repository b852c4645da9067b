package markdown

import (
	"bytes"
	"runtime"
	"sync"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// A library in one large file is parsed in parts, one for each core, cut
// at level-two headings where markdown gives the same tree in parts as in
// the whole: a line "## " at the start of a line that follows a blank line
// and is in no fenced code block ends every block that is open, as no
// block that continues past a blank line holds such a line, except a
// fenced code block or an HTML block that ends on a given closer (a
// comment, <pre>, <script> and the like). The code blocks followed are
// those whose fence starts a line; one indented may be within a list
// item, which a line at the margin ends, and its file is parsed whole.
// The parts are parsed side by side, each to the end of its part of the
// same source, so that their nodes point into that source as the whole's
// do, and their nodes are moved into one document in order.
//
// A link reference definition, or a footnote's, holds for the whole file
// and cannot be cut from where it is used: a file with "]:" outside its
// fenced code is parsed whole, as is one with a line there that may open
// an HTML block.

// minSplit is the smallest source parsed in parts: below it, the
// goroutines cost more than they save.
const minSplit = 256 << 10

// parse parses src: in parts, on as many cores as there are, when it is
// large and can be cut (see cuts), else whole.
func (p *Parser) parse(src []byte) ast.Node {
	return p.parseAt(src, cuts(src, runtime.GOMAXPROCS(0), minSplit))
}

// parseAt parses src in parts cut at the offsets at, side by side.
func (p *Parser) parseAt(src []byte, at []int) ast.Node {
	if len(at) == 0 {
		return p.md.Parser().Parse(text.NewReader(src))
	}
	bounds := append(append([]int{0}, at...), len(src))
	parts := make([]ast.Node, len(bounds)-1)
	var wg sync.WaitGroup
	for i := range parts {
		wg.Go(func() {
			r := text.NewReader(src[:bounds[i+1]])
			for _, seg := r.Position(); seg.Start < bounds[i]; _, seg = r.Position() {
				r.AdvanceLine()
			}
			parts[i] = p.md.Parser().Parse(r)
		})
	}
	wg.Wait()
	root := parts[0]
	for _, part := range parts[1:] {
		first := true
		for c := part.FirstChild(); c != nil; {
			next := c.NextSibling()
			if first {
				// A cut follows a blank line, which its part did not see.
				c.SetBlankPreviousLines(true)
				first = false
			}
			root.AppendChild(root, c)
			c = next
		}
	}
	return root
}

// cuts returns where src may be cut into about n parts of like sizes
// that parse as in the whole (see parse): the offsets of lines that open
// a level-two heading after a blank line, outside fenced code. It returns
// none for a src smaller than least, or one that may have a definition or
// an HTML block.
func cuts(src []byte, n, least int) []int {
	if n < 2 || len(src) < least {
		return nil
	}
	var (
		at    []int
		open  []byte // the fence of the code block open, or nil
		blank = true // the line before was blank
		next  = len(src) / n
	)
	for off := 0; off < len(src); {
		end := bytes.IndexByte(src[off:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += off + 1
		}
		line := bytes.TrimSuffix(src[off:end], []byte("\n"))
		fence, rest := fenceOf(line)
		if open == nil && fence != nil && fence[0] == '`' && bytes.IndexByte(rest, '`') >= 0 {
			fence = nil // not a fence: an info string may not hold a backtick
		}
		if open == nil && fence == nil && (mayOpenHTML(line) || bytes.Contains(line, []byte("]:"))) {
			return nil
		}
		switch {
		case open == nil && fence != nil && line[0] == ' ':
			// Indented, it may be a fence within a list item, which a
			// line at the margin ends with the item; what looks like its
			// closing fence may open one at the margin.
			return nil
		case open == nil && fence != nil:
			open = fence
		case open != nil && fence != nil && fence[0] == open[0] && len(fence) >= len(open) && util.IsBlank(rest):
			open = nil
		case open == nil && blank && off >= next && len(at) < n-1 && bytes.HasPrefix(line, []byte("## ")):
			at = append(at, off)
			next = off + len(src)/n
		}
		blank = util.IsBlank(line) // as goldmark has it: spaces and tabs, no other white space
		off = end
	}
	return at
}

// mayOpenHTML tells whether line may open an HTML block: after spaces and
// the marks of block quotes and lists, it begins with '<'.
func mayOpenHTML(line []byte) bool {
	t := bytes.TrimLeft(line, " \t>-*+0123456789.)")
	return len(t) > 0 && t[0] == '<'
}
