package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"strings"

	"github.com/yuin/goldmark/ast"
	"golang.org/x/net/html"

	"github.com/promptsite/promptsite/site/highlight"
	"github.com/promptsite/promptsite/site/model"
	"github.com/promptsite/promptsite/site/placeholder"
	"github.com/promptsite/promptsite/site/sanitize"
)

// part is a piece of a document that Render renders: blocks, or the inline
// content of a heading.
type part struct {
	dst     *template.HTML
	blocks  []ast.Node
	heading *ast.Heading
	// holder is the blockquote that holds the part's prompt; all marks a
	// part whose every block is the prompt's text.
	holder ast.Node
	all    bool
	// source, when set, is a prompt whose text is written before the
	// blocks in a <template>, for Copy and Fill in to read; with a Copy
	// button when button is set.
	source *model.Prompt
	button bool
	// done is what the part rendered to, when it holds no link, image or
	// raw HTML to lead: it renders the same each time, and a document
	// reused for another build (see Reuse) takes it rather than
	// rendering the part again.
	done *template.HTML
}

// addPart adds a part that renders blocks into dst.
func (d *Document) addPart(dst *template.HTML, blocks []ast.Node) {
	d.parts = append(d.parts, part{dst: dst, blocks: blocks})
}

// inline adds a part that renders what the heading h holds into dst.
func (d *Document) inline(dst *template.HTML, h *ast.Heading) {
	d.parts = append(d.parts, part{dst: dst, heading: h})
}

// fillEntry fills what p takes from body, the blocks below its heading,
// of which holder, when not nil, holds its prompt; and adds the part that
// renders its body.
func (d *Document) fillEntry(p *model.Prompt, body []ast.Node, holder ast.Node) {
	pt := part{dst: &p.Body, blocks: body}
	switch p.Form {
	case "quote":
		pt.holder = holder
		holder.SetAttribute(attrCopy, []byte(p.Copy))
	case "file":
		pt.all, pt.source, pt.button = true, p, true
	case "fence":
		if first := firstCode(body); first != nil && first != holder {
			pt.source = p // the page's scripts read the first block otherwise
		}
	}
	d.parts = append(d.parts, pt)
}

// fillText fills in the text of p, read from body and holder as fillEntry
// was: its text, introduction, code blocks, headings and placeholders. It
// reads the document and writes p only, so that the prompts of a library
// are filled in side by side (see Document.later).
func (d *Document) fillText(p *model.Prompt, body []ast.Node, holder ast.Node) {
	p.Text = promptText(body, d.src, holder, p.Form == "file")
	if p.Text == p.Copy {
		p.Text = p.Copy // a prompt that is only its text: held once
	}
	var intro []ast.Node
	for _, n := range body {
		if isCode(n) || n == holder {
			break
		}
		intro = append(intro, n)
	}
	p.Intro = plainText(intro, d.src)
	for _, n := range body {
		_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			if isCode(c) {
				p.Code = append(p.Code, model.CodeBlock{Lang: codeLang(c, d.src), Source: codeText(c, d.src, d.text)})
				return ast.WalkSkipChildren, nil
			}
			if h, ok := c.(*ast.Heading); ok {
				p.Headings = append(p.Headings, headingID(h))
			}
			return ast.WalkContinue, nil
		})
	}
	switch {
	case p.Form == "fence" && !highlight.Known(codeLang(holder, d.src)):
		p.Placeholders = placeholder.Names(p.Copy)
	case p.Form == "quote" || p.Form == "file":
		p.Placeholders = placeholder.Names(p.Copy)
	}
}

func firstCode(blocks []ast.Node) ast.Node {
	var found ast.Node
	for _, n := range blocks {
		_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
			if entering && isCode(c) && found == nil {
				found = c
				return ast.WalkStop, nil
			}
			return ast.WalkContinue, nil
		})
		if found != nil {
			break
		}
	}
	return found
}

// A Resolver tells where a link's destination leads on the site. It
// returns the address to link to, or ok false when the link leads nowhere
// and is to be shown as its text only. inPrompt is set for a link in a
// prompt's text, which is written for a model rather than for a reader.
type Resolver func(d *Document, dest string, image bool, pos model.Pos, inPrompt bool) (href string, ok bool)

// A Budget bounds the HTML that the documents of one build render to, all
// together: maxRendered four times over, and maxGrowth times their
// markdown. Each part of a page and each document has its own bound too;
// this one keeps many small files, each within its own, from adding up to
// more than a build can hold.
type Budget struct {
	left int
}

// NewBudget returns the budget of a build of docs.
func NewBudget(docs []*Document) *Budget {
	b := &Budget{left: 4 * maxRendered}
	for _, d := range docs {
		b.left += maxGrowth * len(d.src)
	}
	return b
}

// Render renders the document's HTML, with each link and image led where
// resolve says. The HTML is taken from budget, when not nil.
func (p *Parser) Render(d *Document, resolve Resolver, budget *Budget) error {
	var b bytes.Buffer
	cw := &capped{b: &b, limit: maxRendered}
	docLeft := maxRendered + maxGrowth*len(d.src)
	w := newBufWriter(cw)
	defer putBufWriter(w)
	for i := range d.parts {
		pt := &d.parts[i]
		if pt.dst == nil {
			continue
		}
		b.Reset()
		if pt.heading != nil {
			if pt.done != nil {
				*pt.dst = *pt.done
				continue
			}
			dropRaw(pt.heading)
			resolves := d.resolves
			raw := d.mark(pt.heading, false, resolve)
			for c := pt.heading.FirstChild(); c != nil; c = c.NextSibling() {
				if err := p.md.Renderer().Render(w, d.src, c); err != nil {
					return fmt.Errorf("%s: render heading: %w", d.pos(pt.heading), err)
				}
			}
			*pt.dst = template.HTML(strings.TrimSpace(b.String()))
			if !raw && d.resolves == resolves {
				pt.done = new(*pt.dst)
			}
			continue
		}
		if pt.done != nil {
			// Rendered before, with nothing to lead: the same bytes,
			// within the same limits.
			limit := min(d.allowance(pt.blocks), docLeft)
			if budget != nil {
				limit = min(limit, budget.left)
			}
			if n := len(*pt.done); n <= limit {
				*pt.dst = *pt.done
				docLeft -= n
				if budget != nil {
					budget.left -= n
				}
				continue
			}
		}
		raw := false
		resolves := d.resolves
		d.budget = d.allowance(pt.blocks)
		for _, n := range pt.blocks {
			inPrompt := pt.all || n == pt.holder
			if d.mark(n, inPrompt, resolve) {
				raw = true
			}
		}
		if d.budget < 0 {
			return tooLarge(d.pos(pt.blocks[0]))
		}
		cw.limit = min(d.allowance(pt.blocks), docLeft)
		if budget != nil {
			cw.limit = min(cw.limit, budget.left)
		}
		if pt.source != nil {
			_, _ = w.WriteString(`<div class="prompt-src">`)
			writeSource(w, pt.source.Copy)
			if pt.button {
				_, _ = w.WriteString(`<button type="button" class="copy" hidden>Copy prompt</button>`)
			}
			_, _ = w.WriteString("</div>\n")
			_ = w.Flush()
		}
		for _, n := range pt.blocks {
			if err := p.md.Renderer().Render(w, d.src, n); errors.Is(err, errTooLarge) {
				return d.tooLarge(pt.blocks, docLeft, budget)
			} else if err != nil {
				return fmt.Errorf("%s: render: %w", d.pos(n), err)
			}
		}
		out := b.Bytes()
		if raw {
			// The author's HTML is rendered, and the whole part is then
			// sanitised: what a page may hold stays, what could run or
			// leave the part goes.
			out = sanitize.Fragment(out)
		}
		*pt.dst = template.HTML(string(out))
		if !raw && d.resolves == resolves {
			pt.done = new(*pt.dst)
		}
		docLeft -= len(out)
		if budget != nil {
			budget.left -= len(out)
		}
	}
	return nil
}

// mark prepares n and what it holds for rendering: it leads each link and
// image where resolve says, and marks raw HTML in a prompt's text to be
// shown as written. It reports whether raw HTML outside a prompt's text
// is left to render.
func (d *Document) mark(n ast.Node, inPrompt bool, resolve Resolver) (raw bool) {
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if c.Kind() == ast.KindBlockquote && !inPrompt {
			if _, holds := c.Attribute(attrCopy); holds {
				return ast.WalkSkipChildren, nil // marked as the prompt's text
			}
		}
		switch c := c.(type) {
		case *ast.Link:
			d.resolve(c, string(c.Destination), false, inPrompt, resolve)
		case *ast.Image:
			d.resolve(c, string(c.Destination), true, inPrompt, resolve)
		case *ast.RawHTML, *ast.HTMLBlock:
			if _, drop := c.Attribute(attrDrop); drop {
				return ast.WalkContinue, nil
			}
			if inPrompt {
				c.SetAttribute(attrLiteral, []byte{1})
			} else {
				raw = true
				if out, changed := d.rawLinks(c, resolve); changed {
					c.SetAttribute(attrRaw, out)
				}
			}
		}
		return ast.WalkContinue, nil
	})
	return raw
}

func (d *Document) resolve(n ast.Node, dest string, image, inPrompt bool, resolve Resolver) {
	d.resolves++
	// The addresses a part holds count against what it may render to, so
	// that a long link used many times fails before it takes the memory.
	if d.budget -= len(dest); d.budget < 0 {
		n.SetAttribute(attrText, []byte{1})
		return
	}
	if resolve == nil {
		if SafeURL(dest) {
			n.SetAttribute(attrHref, dest)
		} else {
			n.SetAttribute(attrText, []byte{1})
		}
		return
	}
	href, ok := resolve(d, dest, image, d.pos(n), inPrompt)
	if !ok || !SafeURL(href) {
		n.SetAttribute(attrText, []byte{1})
		return
	}
	n.SetAttribute(attrHref, href)
}

// allowance returns how many bytes of HTML blocks may render to: in
// proportion to their markdown.
func (d *Document) allowance(blocks []ast.Node) int {
	if len(blocks) == 0 {
		return maxRendered
	}
	from, to := startOffset(blocks[0]), endOffset(blocks[len(blocks)-1])
	return maxRendered + maxGrowth*max(to-from, 0)
}

func tooLarge(pos model.Pos) error {
	return model.Errorf(pos, "shorten it, or split it into several pages; a reference link used thousands of times can do this",
		"this part of the page renders to far more HTML than it has markdown (over %d MiB)", maxRendered>>20)
}

// tooLarge tells which bound the part of blocks passed: its own, its
// document's (docLeft bytes were left) or the build's.
func (d *Document) tooLarge(blocks []ast.Node, docLeft int, budget *Budget) error {
	pos := d.pos(blocks[0])
	switch part := d.allowance(blocks); {
	case budget != nil && budget.left < min(part, docLeft):
		return model.Errorf(pos, "look for what renders to far more than it is, such as a long reference link used thousands of times, here and in the files before it",
			"the library renders to far more HTML than it has markdown (over %d MiB more than %d times its size); the build stopped here",
			4*maxRendered>>20, maxGrowth)
	case docLeft < part:
		return model.Errorf(pos, "shorten the file, or split it into several; a reference link used thousands of times can do this",
			"this file renders to far more HTML than it has markdown (over %d MiB more than %d times its size)",
			maxRendered>>20, maxGrowth)
	}
	return tooLarge(pos)
}

// errTooLarge is the error of a write past maxRendered.
var errTooLarge = errors.New("too large")

// capped is a buffer that refuses to grow past maxRendered bytes, so that
// markdown that renders to far more than it is, such as a long reference
// link used thousands of times, fails before it takes the memory.
type capped struct {
	b     *bytes.Buffer
	limit int
}

func (c *capped) Write(p []byte) (int, error) {
	if c.b.Len()+len(p) > c.limit {
		return 0, errTooLarge
	}
	return c.b.Write(p)
}

// dropRaw marks the raw HTML in a heading to be left out: a title is shown
// in lists and link previews, where only its words belong.
func dropRaw(h *ast.Heading) {
	_ = ast.Walk(h, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && c.Kind() == ast.KindRawHTML {
			c.SetAttribute(attrDrop, []byte{1})
		}
		return ast.WalkContinue, nil
	})
}

// rawSource returns the raw HTML that n, a RawHTML or HTMLBlock node, holds.
func rawSource(n ast.Node, src []byte) []byte {
	var b bytes.Buffer
	switch n := n.(type) {
	case *ast.RawHTML:
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			b.Write(seg.Value(src))
		}
	case *ast.HTMLBlock:
		for i := 0; i < n.Lines().Len(); i++ {
			seg := n.Lines().At(i)
			b.Write(seg.Value(src))
		}
		if n.HasClosure() {
			b.Write(n.ClosureLine.Value(src))
		}
	}
	return b.Bytes()
}

// rawLinks leads the links and images of an author's raw HTML, such as
// <img src="docs/flow.png">, where resolve says, as it does for markdown's
// own. It returns the HTML with the addresses changed, and whether any was.
func (d *Document) rawLinks(n ast.Node, resolve Resolver) ([]byte, bool) {
	raw := rawSource(n, d.src)
	if resolve == nil || !bytes.ContainsAny(raw, "=") {
		return raw, false
	}
	var out bytes.Buffer
	changed := false
	z := html.NewTokenizer(bytes.NewReader(raw))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			out.Write(z.Raw())
			continue
		}
		raw := bytes.Clone(z.Raw())
		tok := z.Token()
		edited := false
		for i := 0; i < len(tok.Attr); i++ {
			a := &tok.Attr[i]
			image := a.Key == "src" && tok.Data == "img"
			if a.Key != "href" && !image {
				continue
			}
			href, ok := resolve(d, a.Val, image, d.pos(n), false)
			if ok && SafeURL(href) {
				edited = edited || href != a.Val
				a.Val = href
				continue
			}
			tok.Attr = append(tok.Attr[:i], tok.Attr[i+1:]...)
			i--
			edited = true
		}
		if edited {
			out.WriteString(tok.String())
			changed = true
		} else {
			out.Write(raw)
		}
	}
	return out.Bytes(), changed
}
