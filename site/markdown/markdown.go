// Package markdown reads a prompt library written in markdown into the site
// model: the H1 is the library's title, each H2 a category and each H3 in it
// a prompt.
//
// It is the only package that uses goldmark. Raw HTML in the content is
// never passed through.
package markdown

import (
	"bufio"
	"bytes"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/promptsite/promptsite/site/highlight"
	"github.com/promptsite/promptsite/site/model"
)

// Document is what one markdown file holds.
type Document struct {
	File      string
	Title     string        // the H1's text; empty when the file has none
	Intro     template.HTML // between the H1 and the first H2
	IntroText string
	// Markdown is the H1 and the introduction as written, up to the first
	// H2.
	Markdown   string
	Categories []*model.Category
}

// Parser turns markdown files into documents. It is safe for concurrent use.
type Parser struct {
	md goldmark.Markdown
}

// New returns a Parser that highlights code with h.
func New(h highlight.Highlighter) *Parser {
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithParserOptions(parser.WithAttribute()),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(
			util.Prioritized(&codeRenderer{h: h}, 100),
		)),
	)
	return &Parser{md: md}
}

// Parse reads one file. name is how errors refer to it.
func (p *Parser) Parse(name string, src []byte) (*Document, error) {
	src = normalize(src)
	if err := checkUTF8(name, src); err != nil {
		return nil, err
	}
	if err := checkFences(name, src); err != nil {
		return nil, err
	}
	root := p.md.Parser().Parse(text.NewReader(src))
	lines := newLineIndex(src)
	pos := func(n ast.Node) model.Pos { return model.Pos{File: name, Line: lines.line(n, src)} }

	if err := assignIDs(root, src, pos); err != nil {
		return nil, err
	}

	d := &Document{File: name}
	var (
		intro    blockList // the library's introduction
		cat      *model.Category
		catBody  blockList
		prompt   *model.Prompt
		body     blockList
		sawTitle bool
		err      error
	)
	finishPrompt := func() error {
		if prompt == nil {
			return nil
		}
		if err := p.fillPrompt(prompt, body, src); err != nil {
			return err
		}
		prompt, body = nil, nil
		return nil
	}
	finishCategory := func() error {
		if err := finishPrompt(); err != nil {
			return err
		}
		if cat == nil {
			return nil
		}
		var err error
		if cat.Intro, err = p.render(catBody, src); err != nil {
			return err
		}
		cat.IntroText = plainText(catBody, src)
		cat, catBody = nil, nil
		return nil
	}

	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		h, isHeading := n.(*ast.Heading)
		if isHeading && h.Level > 3 {
			// On a page the category is the h1 and its prompts are h2s,
			// so a heading inside a prompt moves up a level to keep the
			// outline whole.
			h.Level--
			isHeading = false
		}
		switch {
		case isHeading && h.Level == 1:
			if sawTitle || cat != nil || len(intro) > 0 {
				return nil, model.Errorf(pos(n), "use ## for a category and ### for a prompt",
					"a second H1 %q: a library has one H1, its title, at the top", inlineText(h, src))
			}
			sawTitle = true
			d.Title = inlineText(h, src)
		case isHeading && h.Level == 2:
			if err := finishCategory(); err != nil {
				return nil, err
			}
			cat = &model.Category{
				Title:  inlineText(h, src),
				Slug:   headingID(h),
				Source: pos(n),
			}
			if cat.TitleHTML, err = p.renderInline(h, src); err != nil {
				return nil, err
			}
			d.Categories = append(d.Categories, cat)
		case isHeading && h.Level == 3:
			if cat == nil {
				return nil, model.Errorf(pos(n), "add a \"## Category\" heading above it",
					"prompt %q comes before any category", inlineText(h, src))
			}
			if err := finishPrompt(); err != nil {
				return nil, err
			}
			prompt = &model.Prompt{
				Title:  inlineText(h, src),
				Anchor: headingID(h),
				Source: pos(n),
			}
			if prompt.TitleHTML, err = p.renderInline(h, src); err != nil {
				return nil, err
			}
			cat.Prompts = append(cat.Prompts, prompt)
		case n.Kind() == ast.KindThematicBreak && isSeparator(n):
			// A rule before the next section, or at the end, only
			// separates sections in the source; pages separate them.
		case prompt != nil:
			body = append(body, n)
		case cat != nil:
			catBody = append(catBody, n)
		default:
			intro = append(intro, n)
		}
	}
	if err := finishCategory(); err != nil {
		return nil, err
	}
	if d.Intro, err = p.render(intro, src); err != nil {
		return nil, err
	}
	d.IntroText = plainText(intro, src)
	sections(d, src, lines)
	return d, nil
}

// sections cuts the source of each category and prompt out of src: from its
// heading's line to the next heading that ends it, without the blank lines
// and rules that close it.
func sections(d *Document, src []byte, lines lineIndex) {
	at := func(line int) int { // the offset at which a 1-based line starts
		if line <= 0 || line > len(lines) {
			return len(src)
		}
		return lines[line-1]
	}
	cut := func(from, to int) string {
		s := strings.TrimRight(string(src[at(from):to]), " \t\n")
		for {
			i := strings.LastIndexByte(s, '\n')
			last := strings.TrimSpace(s[i+1:])
			if i < 0 || !isRule(last) {
				return s + "\n"
			}
			s = strings.TrimRight(s[:i], " \t\n")
		}
	}
	head := len(src)
	if len(d.Categories) > 0 {
		head = at(d.Categories[0].Source.Line)
	}
	if h := strings.TrimSpace(string(src[:head])); h != "" {
		d.Markdown = cut(1, head)
	}
	for i, c := range d.Categories {
		end := len(src)
		if i+1 < len(d.Categories) {
			end = at(d.Categories[i+1].Source.Line)
		}
		c.Markdown = cut(c.Source.Line, end)
		for j, p := range c.Prompts {
			pend := end
			if j+1 < len(c.Prompts) {
				pend = at(c.Prompts[j+1].Source.Line)
			}
			p.Markdown = cut(p.Source.Line, pend)
		}
	}
}

// isRule reports whether a line is a thematic break, such as "---".
func isRule(line string) bool {
	s := strings.ReplaceAll(line, " ", "")
	if len(s) < 3 {
		return false
	}
	return strings.Count(s, s[:1]) == len(s) && strings.ContainsAny(s[:1], "-*_")
}

func (p *Parser) fillPrompt(pr *model.Prompt, body blockList, src []byte) error {
	var err error
	if pr.Body, err = p.render(body, src); err != nil {
		return err
	}
	pr.Text = plainText(body, src)
	var intro blockList
	for _, n := range body {
		if isCode(n) {
			break
		}
		intro = append(intro, n)
	}
	pr.Intro = plainText(intro, src)
	for _, n := range body {
		_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			if isCode(c) {
				pr.Code = append(pr.Code, model.CodeBlock{Lang: codeLang(c, src), Source: codeSource(c, src)})
				return ast.WalkSkipChildren, nil
			}
			if h, ok := c.(*ast.Heading); ok {
				pr.Headings = append(pr.Headings, headingID(h))
			}
			return ast.WalkContinue, nil
		})
	}
	pr.Placeholders = promptBlanks(pr.Code)
	return nil
}

// blockList is a run of top-level blocks that make up one part of a page.
type blockList []ast.Node

func (p *Parser) render(blocks blockList, src []byte) (template.HTML, error) {
	var b bytes.Buffer
	w := newBufWriter(&b)
	defer putBufWriter(w)
	for _, n := range blocks {
		if err := p.md.Renderer().Render(w, src, n); err != nil {
			return "", fmt.Errorf("markdown: render: %w", err)
		}
	}
	return template.HTML(b.String()), nil
}

// renderInline renders what a heading holds, without the heading itself.
func (p *Parser) renderInline(h *ast.Heading, src []byte) (template.HTML, error) {
	var b bytes.Buffer
	w := newBufWriter(&b)
	defer putBufWriter(w)
	for c := h.FirstChild(); c != nil; c = c.NextSibling() {
		if err := p.md.Renderer().Render(w, src, c); err != nil {
			return "", fmt.Errorf("markdown: render heading: %w", err)
		}
	}
	return template.HTML(strings.TrimSpace(b.String())), nil
}

// bufWriters keeps the buffered writers that goldmark renders into. Given
// a plain writer, goldmark makes a buffered one of 4 KiB for every node it
// renders, which for a library of thousands of prompts is most of what
// parsing allocates. Render flushes the writer when it is done.
var bufWriters = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 4<<10) }}

func newBufWriter(w io.Writer) *bufio.Writer {
	bw := bufWriters.Get().(*bufio.Writer)
	bw.Reset(w)
	return bw
}

func putBufWriter(bw *bufio.Writer) {
	bw.Reset(nil) // let go of what it wrote to
	bufWriters.Put(bw)
}

// isSeparator reports whether a thematic break stands just before a
// heading that starts a section, or at the end of the file.
func isSeparator(n ast.Node) bool {
	next := n.NextSibling()
	if next == nil {
		return true
	}
	h, ok := next.(*ast.Heading)
	return ok && h.Level <= 3
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
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
	s := b.String()
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
	idx := lineIndex{0}
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
	writeInlineText(&b, n, src)
	return strings.TrimSpace(b.String())
}

func writeInlineText(b *strings.Builder, n ast.Node, src []byte) {
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
			// never text
		case *ast.AutoLink:
			b.Write(c.Label(src))
		default:
			writeInlineText(b, c, src)
		}
	}
}

// plainText returns the words of blocks, each block on a line of its own,
// code included, for search and descriptions.
func plainText(blocks blockList, src []byte) string {
	var b strings.Builder
	for _, n := range blocks {
		_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				if c.Type() == ast.TypeBlock && b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
					b.WriteByte('\n')
				}
				return ast.WalkContinue, nil
			}
			switch c := c.(type) {
			case *ast.FencedCodeBlock, *ast.CodeBlock:
				b.WriteString(codeSource(c, src))
				b.WriteByte('\n')
				return ast.WalkSkipChildren, nil
			case *ast.HTMLBlock:
				return ast.WalkSkipChildren, nil
			case *east.TableCell:
				writeInlineText(&b, c, src)
				b.WriteByte(' ')
				return ast.WalkSkipChildren, nil
			case *ast.Paragraph, *ast.TextBlock, *ast.Heading:
				b.WriteString(inlineText(c, src))
				return ast.WalkSkipChildren, nil
			}
			return ast.WalkContinue, nil
		})
	}
	return strings.TrimSpace(b.String())
}
