package markdown

import (
	"html"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// The attributes that Render sets on nodes before they are rendered, to
// tell nodeRenderer what to write. Their names hold a character that
// markdown's {…} attribute syntax cannot write.
var (
	attrHref    = []byte("ps:href")    // a link's or image's address on the site
	attrText    = []byte("ps:text")    // a link that leads nowhere: its text only
	attrLiteral = []byte("ps:literal") // raw HTML in a prompt's text: shown as written
	attrCopy    = []byte("ps:copy")    // the text of a blockquote that holds a prompt
	attrRaw     = []byte("ps:raw")     // raw HTML with its links led where they lead on the site
	attrDrop    = []byte("ps:drop")    // raw HTML in a heading: left out
)

// nodeRenderer writes the nodes whose HTML depends on the site: links and
// images to their addresses on it, raw HTML (sanitised, or as text in a
// prompt), and blockquotes that hold a prompt, with a Copy button.
type nodeRenderer struct{}

func (r *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindLink, r.renderLink)
	reg.Register(ast.KindImage, r.renderImage)
	reg.Register(ast.KindAutoLink, r.renderAutoLink)
	reg.Register(ast.KindRawHTML, r.renderRawHTML)
	reg.Register(ast.KindHTMLBlock, r.renderHTMLBlock)
	reg.Register(ast.KindBlockquote, r.renderBlockquote)
}

// attr returns the value of one of promptsite's attributes of n, set as a
// string or as bytes.
func attr(n ast.Node, name []byte) (string, bool) {
	v, ok := n.Attribute(name)
	if !ok {
		return "", false
	}
	switch v := v.(type) {
	case string:
		return v, true
	case []byte:
		return string(v), true
	}
	return "", true
}

func (r *nodeRenderer) renderLink(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	href, ok := attr(n, attrHref)
	if _, text := n.Attribute(attrText); text || !ok {
		return ast.WalkContinue, nil // the text, without a link
	}
	if !entering {
		_, _ = w.WriteString("</a>")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<a href="`)
	_, _ = w.WriteString(html.EscapeString(href))
	_ = w.WriteByte('"')
	if n.Title != nil {
		_, _ = w.WriteString(` title="`)
		_, _ = w.WriteString(html.EscapeString(string(n.Title)))
		_ = w.WriteByte('"')
	}
	_ = w.WriteByte('>')
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) renderImage(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.Image)
	alt := html.EscapeString(inlineText(n, src))
	href, ok := attr(n, attrHref)
	if _, text := n.Attribute(attrText); text || !ok {
		// An image that is not there: its description, as text.
		_, _ = w.WriteString(alt)
		return ast.WalkSkipChildren, nil
	}
	_, _ = w.WriteString(`<img src="`)
	_, _ = w.WriteString(html.EscapeString(href))
	_, _ = w.WriteString(`" alt="`)
	_, _ = w.WriteString(alt)
	_ = w.WriteByte('"')
	if n.Title != nil {
		_, _ = w.WriteString(` title="`)
		_, _ = w.WriteString(html.EscapeString(string(n.Title)))
		_ = w.WriteByte('"')
	}
	_, _ = w.WriteString(` loading="lazy">`)
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) renderAutoLink(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.AutoLink)
	label := string(n.Label(src))
	url := string(n.URL(src))
	if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(url), "mailto:") {
		url = "mailto:" + url
	}
	if !SafeURL(url) {
		_, _ = w.WriteString(html.EscapeString(label))
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<a href="`)
	_, _ = w.WriteString(html.EscapeString(string(util.URLEscape([]byte(url), false))))
	_, _ = w.WriteString(`">`)
	_, _ = w.WriteString(html.EscapeString(label))
	_, _ = w.WriteString(`</a>`)
	return ast.WalkContinue, nil
}

// SafeURL reports whether an address may be linked to: one with no scheme,
// or with http, https or mailto.
func SafeURL(u string) bool {
	u = strings.TrimLeft(u, " \t\n\x00")
	i := strings.IndexAny(u, ":/?#")
	if i < 0 || u[i] != ':' {
		return true
	}
	switch strings.ToLower(u[:i]) {
	case "http", "https", "mailto":
		return true
	}
	return false
}

func (r *nodeRenderer) renderRawHTML(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		r.writeHTML(w, node, rawSource(node, src), false)
	}
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) renderHTMLBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		r.writeHTML(w, node, rawSource(node, src), true)
	}
	return ast.WalkSkipChildren, nil
}

// writeHTML writes raw HTML: as text when it is a part of a prompt's text,
// where tags such as <thinking> are words for the model; else as it is,
// for Render to sanitise the part it is in.
func (r *nodeRenderer) writeHTML(w util.BufWriter, n ast.Node, raw []byte, block bool) {
	if _, drop := n.Attribute(attrDrop); drop {
		return
	}
	if v, ok := attr(n, attrRaw); ok {
		raw = []byte(v)
	}
	switch _, literal := n.Attribute(attrLiteral); {
	case literal && block:
		_, _ = w.WriteString(`<pre class="html">`)
		_, _ = w.WriteString(html.EscapeString(strings.TrimRight(string(raw), "\n")))
		_, _ = w.WriteString("</pre>\n")
	case literal:
		_, _ = w.WriteString(html.EscapeString(string(raw)))
	default:
		_, _ = w.Write(raw) // the part is sanitised once rendered
	}
}

func (r *nodeRenderer) renderBlockquote(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	text, holds := attr(n, attrCopy)
	switch {
	case entering && holds:
		_, _ = w.WriteString("<div class=\"code quote\">\n<blockquote>\n")
	case entering:
		_, _ = w.WriteString("<blockquote>\n")
	case holds:
		_, _ = w.WriteString("</blockquote>\n")
		writeSource(w, text)
		_, _ = w.WriteString(`<button type="button" class="copy" hidden>Copy</button></div>` + "\n")
	default:
		_, _ = w.WriteString("</blockquote>\n")
	}
	return ast.WalkContinue, nil
}

// writeSource writes a prompt's text as written, for Copy and Fill in to
// read, in an inert <template>: escaped, its blanks marked.
func writeSource(w util.BufWriter, text string) {
	_, _ = w.WriteString(`<template class="src">`)
	writeMarked(w, text)
	_, _ = w.WriteString("</template>\n")
}
