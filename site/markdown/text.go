package markdown

import (
	"bytes"
	"html"
	"html/template"
	"slices"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// escaped returns plain text as HTML.
func escaped(s string) template.HTML { return template.HTML(html.EscapeString(s)) }

// quoteSource returns a blockquote's text as written, without the ">"
// markers (and the one space after each) that make it a quote: the lines
// from its first to its last, each with its marker removed.
func quoteSource(n ast.Node, src []byte) string {
	from := startOffset(n)
	if from < 0 {
		return ""
	}
	to := endOffset(n)
	// From the start of the first line to the end of the last.
	for from > 0 && src[from-1] != '\n' {
		from--
	}
	if i := bytes.IndexByte(src[to:], '\n'); i >= 0 {
		to += i
	} else {
		to = len(src)
	}
	lines := strings.Split(string(src[from:to]), "\n")
	for i, l := range lines {
		t := strings.TrimLeft(l, " ")
		if len(l)-len(t) <= 3 && strings.HasPrefix(t, ">") {
			t = t[1:]
			t = strings.TrimPrefix(t, " ")
			lines[i] = t
		}
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n")
}

// endOffset finds the last byte of source that n, or a node inside it,
// covers.
func endOffset(n ast.Node) int {
	end := -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if c.Type() == ast.TypeBlock {
			if l := c.Lines(); l.Len() > 0 {
				end = max(end, l.At(l.Len()-1).Stop)
			}
		}
		if t, ok := c.(*ast.Text); ok {
			end = max(end, t.Segment.Stop)
		}
		return ast.WalkContinue, nil
	})
	if end < 0 {
		return startOffset(n)
	}
	return end
}

func isCode(n ast.Node) bool {
	k := n.Kind()
	return k == ast.KindFencedCodeBlock || k == ast.KindCodeBlock
}

func codeLang(n ast.Node, src []byte) string {
	if f, ok := n.(*ast.FencedCodeBlock); ok {
		return string(f.Language(src))
	}
	return ""
}

// codeSource returns a code block's text as written, without the line break
// that ends its last line.
func codeSource(n ast.Node, src []byte) string {
	var b strings.Builder
	writeCode(&b, n, src)
	return strings.TrimSuffix(b.String(), "\n")
}

// writeCode writes a code block's lines to b as written, the line break
// that ends the last included.
func writeCode(b *strings.Builder, n ast.Node, src []byte) {
	lines := n.Lines()
	size := 0
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		size += seg.Padding + seg.Len() + 1
	}
	b.Grow(size)
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
}

// codeText is codeSource for a block of a file whose source is also text:
// a block whose lines follow one another in the file, as a fenced block's
// do, is a part of text rather than a copy.
func codeText(n ast.Node, src []byte, text string) string {
	lines := n.Lines()
	if lines.Len() == 0 {
		return ""
	}
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		last := i == lines.Len()-1
		if seg.Padding != 0 || (i > 0 && seg.Start != lines.At(i-1).Stop) ||
			(!last && seg.ForceNewline && (seg.Stop == seg.Start || text[seg.Stop-1] != '\n')) {
			return codeSource(n, src)
		}
	}
	s := text[lines.At(0).Start:lines.At(lines.Len()-1).Stop]
	return strings.TrimSuffix(s, "\n")
}

// headingID returns the id that assignIDs gave h.
func headingID(h *ast.Heading) string {
	v, _ := h.AttributeString("id")
	b, _ := v.([]byte)
	return string(b)
}

// normalize turns CRLF and lone CR line ends into LF, as browsers do, so
// that what a page shows and copies is what the source says.
func normalize(src []byte) []byte {
	if !bytes.ContainsRune(src, '\r') {
		return src
	}
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(src, []byte("\r"), []byte("\n"))
}

// lineIndex maps byte offsets to 1-based line numbers.
type lineIndex []int // offsets at which lines start

func newLineIndex(src []byte) lineIndex {
	idx := make(lineIndex, 1, bytes.Count(src, []byte("\n"))+1)
	for i, c := range src {
		if c == '\n' {
			idx = append(idx, i+1)
		}
	}
	return idx
}

// line returns the line on which n starts.
func (idx lineIndex) line(n ast.Node, src []byte) int {
	off := startOffset(n)
	if h, ok := n.(*ast.Heading); ok && off < 0 {
		off = emptyHeading(h, src)
	}
	if off < 0 {
		return 0
	}
	i, found := slices.BinarySearch(idx, off)
	if found {
		return i + 1
	}
	return i
}

// emptyHeading finds a heading with no text, which keeps no position of
// its own: the first line after the block before it that is made of the
// heading's level of '#'.
func emptyHeading(h *ast.Heading, src []byte) int {
	from := 0
	if p := h.PreviousSibling(); p != nil {
		if off := startOffset(p); off >= 0 {
			from = off
		}
	}
	marks := strings.Repeat("#", h.Level)
	for off := from; off < len(src); {
		end := bytes.IndexByte(src[off:], '\n')
		if end < 0 {
			end = len(src) - off
		}
		line := strings.TrimSpace(string(src[off : off+end]))
		if strings.TrimRight(line, "#") == "" && strings.HasPrefix(line, marks) {
			return off
		}
		off += end + 1
	}
	return -1
}

// startOffset finds the first byte of source that n, or a node inside it,
// covers.
func startOffset(n ast.Node) int {
	if n.Type() == ast.TypeBlock {
		if l := n.Lines(); l.Len() > 0 {
			return l.At(0).Start
		}
	}
	if t, ok := n.(*ast.Text); ok {
		return t.Segment.Start
	}
	if r, ok := n.(*ast.RawHTML); ok && r.Segments.Len() > 0 {
		return r.Segments.At(0).Start
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if off := startOffset(c); off >= 0 {
			return off
		}
	}
	return -1
}

// inlineText returns the plain text of an inline container such as a
// heading: its words as a reader sees them, without markup or raw HTML.
func inlineText(n ast.Node, src []byte) string {
	var b strings.Builder
	writeInlineText(&b, n, src, false)
	return strings.TrimSpace(b.String())
}

// writeInlineText writes the words of the inline nodes under n; raw HTML,
// such as <thinking>, only when it is a prompt's words (html).
func writeInlineText(b *strings.Builder, n ast.Node, src []byte, html bool) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.RawHTML:
			if html {
				b.Write(rawSource(c, src))
			}
		case *ast.AutoLink:
			b.Write(c.Label(src))
		default:
			writeInlineText(b, c, src, html)
		}
	}
}

// plainText returns the words of blocks, each block on a line of its own,
// code included, for search and descriptions.
func plainText(blocks []ast.Node, src []byte) string { return promptText(blocks, src, nil, false) }

// promptText returns the words of blocks as plainText does, with the raw
// HTML in a prompt's text, which is words for the model: under holder, or
// anywhere when all is set.
func promptText(blocks []ast.Node, src []byte, holder ast.Node, all bool) string {
	var b strings.Builder
	inside := 0 // how deep in holder the walk is
	for _, n := range blocks {
		_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
			if c == holder {
				if entering {
					inside++
				} else {
					inside--
				}
			}
			if !entering {
				if c.Type() == ast.TypeBlock && b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
					b.WriteByte('\n')
				}
				return ast.WalkContinue, nil
			}
			html := all || inside > 0
			switch c := c.(type) {
			case *ast.FencedCodeBlock, *ast.CodeBlock:
				before := b.Len()
				writeCode(&b, c, src)
				if b.Len() == before || !strings.HasSuffix(b.String(), "\n") {
					b.WriteByte('\n')
				}
				return ast.WalkSkipChildren, nil
			case *ast.HTMLBlock:
				if html {
					b.Write(rawSource(c, src))
				}
				return ast.WalkSkipChildren, nil
			case *east.TableCell:
				writeInlineText(&b, c, src, html)
				b.WriteByte(' ')
				return ast.WalkSkipChildren, nil
			case *ast.Paragraph, *ast.TextBlock, *ast.Heading:
				var t strings.Builder
				writeInlineText(&t, c, src, html)
				b.WriteString(strings.TrimSpace(t.String()))
				return ast.WalkSkipChildren, nil
			}
			return ast.WalkContinue, nil
		})
	}
	s := strings.TrimSpace(b.String())
	if b.Cap() > len(s)+len(s)/8 {
		// The builder doubled its room as it grew: what is kept should
		// not hold on to the room it did not use.
		s = strings.Clone(s)
	}
	return s
}

// FirstH1 returns the text of the first H1 of a markdown file, or "".
func FirstH1(src []byte) string {
	src = normalize(src)
	root := goldmark.DefaultParser().Parse(text.NewReader(src))
	title := ""
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			if h.Level == 1 {
				title = inlineText(h, src)
				return ast.WalkStop, nil
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return title
}
