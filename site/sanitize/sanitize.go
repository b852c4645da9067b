// Package sanitize cleans the HTML rendered from a library's markdown of
// everything that could run script, keeping what authors write and what
// promptsite itself renders.
//
// It is the only package that uses bluemonday. The policy is an allowlist:
// bluemonday's policy for user content (UGCPolicy), restated here so that
// its loose patterns for id and lang do not apply, plus what GitHub READMEs
// use (align, kbd, picture, center) and the markup of promptsite's own
// renderer (code blocks, blanks, a prompt's source, aligned table cells).
package sanitize

import (
	"bytes"
	"net/url"
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// HTML returns b without what the policy forbids: script and style elements
// with their content; iframe, object and embed (with their content), forms
// and their controls, svg, math, meta, base, link and comments; event
// handler, target and style attributes (but for a table cell's text-align);
// and URLs other than http, https, mailto and relative ones. b is a part of
// a page, such as a prompt's body, not a whole document.
//
// When nothing had to go, HTML returns b itself, byte for byte, even where
// bluemonday writes the same HTML with other spellings (&#34; for &quot;,
// hidden="" for hidden); else it returns a new slice. It is safe for
// concurrent use.
func HTML(b []byte) []byte {
	out := policy().SanitizeBytes(b)
	if same(b, out) {
		return b
	}
	return out
}

// policy is built once, on first use, and shared: a bluemonday policy is safe
// for concurrent use once built.
var policy = sync.OnceValue(newPolicy)

// patterns are the patterns for attribute values, each matching the whole
// value, compiled with the policy, on first use: compiling them when the
// program starts would make every command slower, for a sanitiser that
// many builds never call.
type patterns struct {
	// id is what promptsite's anchors are made of (see site/anchor):
	// letters, marks and digits of any script, '-' and '_'.
	id *regexp.Regexp
	// lang is a BCP 47 language tag such as "en" or "pt-BR".
	lang, dir *regexp.Regexp
	// blockAlign is the align of p, div, headings and tables, as READMEs
	// centre a logo or a row of badges with <p align="center">.
	blockAlign *regexp.Regexp
	// textAlign is the style goldmark gives the cells of a column aligned
	// with colons, as in |:-:|. It is the only style allowed anywhere.
	textAlign *regexp.Regexp
	// srcset is a list of image candidates, each a URL that is http(s) or
	// relative (no other scheme: nothing before a ':' but "http" or
	// "https") and an optional width or density descriptor.
	srcset *regexp.Regexp
	// mediaQuery is the media of a <source>, such as
	// (prefers-color-scheme: dark).
	mediaQuery, imageType *regexp.Regexp
	// classes are the class attributes promptsite's renderer writes, by
	// element. No other element takes a class: as in UGCPolicy, authors
	// do not style their content, and they cannot borrow the site's own
	// classes beyond these.
	classes map[string]*regexp.Regexp
}

var pats = sync.OnceValue(func() *patterns {
	return &patterns{
		id:         regexp.MustCompile(`^[\p{L}\p{M}\p{N}_-]+$`),
		lang:       regexp.MustCompile(`^[a-zA-Z]{2,8}(-[a-zA-Z0-9]{1,8})*$`),
		dir:        regexp.MustCompile(`(?i)^(ltr|rtl|auto)$`),
		blockAlign: regexp.MustCompile(`(?i)^(left|center|right|justify)$`),
		textAlign:  regexp.MustCompile(`^text-align:(left|center|right)$`),
		srcset:     regexp.MustCompile(`^\s*` + candidate + `(\s*,\s*` + candidate + `)*\s*$`),
		mediaQuery: regexp.MustCompile(`^[a-zA-Z0-9 (),:.-]+$`),
		imageType:  regexp.MustCompile(`^image/[a-z0-9.+-]+$`),
		classes: map[string]*regexp.Regexp{
			// a code block and its copy button; a blockquote that holds a
			// prompt; a prompt's source for copying
			"div":  regexp.MustCompile(`^(code|code quote|prompt-src)$`),
			"pre":  regexp.MustCompile(`^(chroma|html)$`), // a code block; raw HTML in a prompt, shown as text
			"code": regexp.MustCompile(`^language-[\p{L}\p{N}_+#.-]+$`),
			// chroma's token classes, such as kn, nf, s2, line and cl: one
			// to four lower-case letters or digits.
			"span":     regexp.MustCompile(`^[a-z][a-z0-9]{0,3}$`),
			"mark":     regexp.MustCompile(`^ph( ml)?$`), // a blank to fill in
			"button":   regexp.MustCompile(`^copy$`),
			"template": regexp.MustCompile(`^src$`), // a prompt's source, for copying
		},
	}
})

// boolean matches the value of a boolean attribute: none, or its own name.
func boolean(name string) *regexp.Regexp { return regexp.MustCompile(`(?i)^(|` + name + `)$`) }

const candidate = `((?i:https?)://[^\s,]+|/[^\s,]*|[^\s,:/]+(/[^\s,]*)?)(\s+[0-9]+(\.[0-9]+)?[wx])?`

func newPolicy() *bluemonday.Policy {
	pt := pats()
	p := bluemonday.NewPolicy()

	// URLs in href, src and cite must parse and be relative or use one of
	// these schemes: never javascript:, vbscript: or data:.
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(true)
	p.AllowURLSchemes("http", "https", "mailto")

	// Attributes every allowed element may carry. title and alt are any
	// text: bluemonday escapes attribute values, and markdown titles hold
	// ':' and '?', which UGCPolicy's pattern for them drops.
	p.AllowAttrs("id").Matching(pt.id).Globally()
	p.AllowAttrs("title").Globally()
	p.AllowAttrs("lang").Matching(pt.lang).Globally()
	p.AllowAttrs("dir").Matching(pt.dir).Globally()

	// Elements with no attributes of their own.
	p.AllowElements(
		// sections and headings
		"article", "aside", "section", "hgroup", "summary", "figure", "figcaption",
		"h1", "h2", "h3", "h4", "h5", "h6",
		// grouping
		"p", "div", "span", "br", "wbr", "hr", "pre", "center",
		// phrasing
		"abbr", "acronym", "b", "cite", "code", "dfn", "em", "i", "kbd", "mark",
		"s", "samp", "small", "strike", "strong", "sub", "sup", "tt", "u", "var",
		"rp", "rt", "ruby",
		// lists
		"dl", "dt", "dd",
		// images
		"picture",
	)
	p.AllowAttrs("align").Matching(pt.blockAlign).OnElements("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "table")
	p.AllowAttrs("open").Matching(boolean("open")).OnElements("details")
	p.AllowAttrs("cite").OnElements("blockquote", "q", "del", "ins") // a URL, checked as href is
	p.AllowAttrs("datetime").Matching(bluemonday.ISO8601).OnElements("del", "ins", "time")
	p.AllowAttrs("dir").Matching(pt.dir).OnElements("bdi", "bdo")

	// Links and image maps.
	p.AllowAttrs("href").OnElements("a", "area")
	p.AllowAttrs("alt").OnElements("area")
	p.AllowAttrs("coords").Matching(regexp.MustCompile(`^([0-9]+,)+[0-9]+$`)).OnElements("area")
	p.AllowAttrs("shape").Matching(regexp.MustCompile(`(?i)^(default|circle|rect|poly)$`)).OnElements("area")
	p.AllowAttrs("name").Matching(regexp.MustCompile(`^[\p{L}\p{N}_-]+$`)).OnElements("map")
	p.AllowAttrs("usemap").Matching(regexp.MustCompile(`^#[\p{L}\p{N}_-]+$`)).OnElements("img")

	// Lists and tables, as bluemonday allows them, with what goldmark adds:
	// the start of an ordered list, and the alignment of a column.
	p.AllowLists()
	p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
	p.AllowAttrs("reversed").Matching(boolean("reversed")).OnElements("ol")
	p.AllowTables()
	p.AllowAttrs("style").Matching(pt.textAlign).OnElements("th", "td")
	// A task list item's box, as goldmark renders "- [x] done": the only
	// form control allowed. bluemonday cannot insist on its type, so an
	// author's <input checked> stays, as an empty text box; with no name,
	// no value and no form, it sends nothing anywhere.
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked").Matching(boolean("checked")).OnElements("input")
	p.AllowAttrs("disabled").Matching(boolean("disabled")).OnElements("input")

	// Images: src is checked as href is, so data: images go.
	p.AllowImages()
	p.AllowAttrs("alt").OnElements("img")
	p.AllowAttrs("align").Matching(bluemonday.ImageAlign).OnElements("img")
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^(lazy|eager)$`)).OnElements("img")
	p.AllowAttrs("srcset").Matching(pt.srcset).OnElements("img", "source")
	p.AllowAttrs("media").Matching(pt.mediaQuery).OnElements("source")
	p.AllowAttrs("type").Matching(pt.imageType).OnElements("source")
	p.AllowAttrs("width", "height").Matching(bluemonday.NumberOrPercent).OnElements("source")

	// Values shown as data.
	p.AllowAttrs("value", "min", "max", "low", "high", "optimum").Matching(bluemonday.Number).OnElements("meter")
	p.AllowAttrs("value", "max").Matching(bluemonday.Number).OnElements("progress")

	// promptsite's own markup. A code block is
	//   <div class="code"><pre class="chroma" tabindex="0"><code class="language-go">…</code></pre>
	//   <button type="button" class="copy" hidden>Copy</button></div>
	// and a prompt's source for copying is <template class="src">.
	for el, re := range pt.classes {
		p.AllowAttrs("class").Matching(re).OnElements(el)
	}
	p.AllowAttrs("tabindex").Matching(regexp.MustCompile(`^0$`)).OnElements("pre")
	// bluemonday cannot allow hidden only on a button whose class is copy,
	// so any button may be hidden. An author's own <button> can do nothing:
	// no form or form attribute is allowed, no handler attribute, and the
	// site's Content-Security-Policy runs no inline script. What the site's
	// script gives a button.copy is copying the code block beside it.
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^button$`)).OnElements("button")
	p.AllowAttrs("hidden").Matching(boolean("hidden")).OnElements("button")
	p.AllowNoAttrs().OnElements("template")

	// The authors are the site's own team: their links are not marked
	// nofollow, as AllowImages asked for.
	p.RequireNoFollowOnLinks(false)
	return p
}

// same reports whether in is out written with other spellings that HTML
// reads alike. bluemonday writes every tag and text it keeps anew, and
// spells a few things differently from goldmark and from hand-written HTML:
// &#34; for &quot;, &#39; for ', attr="" for a bare attr, and <br/> for
// <br />. When those are the only differences, in is as safe as out: out
// holds a quote or a '>' only in a tag, around attribute values and at its
// end, and escapes them everywhere else, so ="" is always an empty value
// and /> the end of a tag; and out's character references stand in text or
// in double-quoted values, where either spelling means the same character.
func same(in, out []byte) bool {
	i := 0
	for j := 0; j < len(out); {
		switch rest := out[j:]; {
		case i < len(in) && in[i] == out[j] && out[j] != '&':
			i, j = i+1, j+1
		case bytes.HasPrefix(rest, quot) && bytes.HasPrefix(in[i:], quotName):
			i, j = i+len(quotName), j+len(quot)
		case bytes.HasPrefix(rest, apos) && i < len(in) && in[i] == '\'':
			i, j = i+1, j+len(apos)
		case i < len(in) && in[i] == out[j]: // an '&' spelled alike
			i, j = i+1, j+1
		case bytes.HasPrefix(rest, emptyValue):
			j += len(emptyValue)
		case bytes.HasPrefix(rest, selfClosing) && bytes.HasPrefix(in[i:], spaceSelfClosing):
			i++
		default:
			return false
		}
	}
	return i == len(in)
}

var (
	quot, quotName   = []byte("&#34;"), []byte("&quot;")
	apos             = []byte("&#39;")
	emptyValue       = []byte(`=""`)
	selfClosing      = []byte("/>")
	spaceSelfClosing = []byte(" />")
)

// Fragment returns b sanitised as HTML does, and balanced: an element left
// open is closed at its end, and an end tag with no element open is
// dropped, so that an author's stray </div> cannot close the page's own
// elements around it. It is for the HTML of a page's part that holds an
// author's raw HTML.
func Fragment(b []byte) []byte {
	clean := HTML(b)
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(bytes.NewReader(clean), ctx)
	if err != nil {
		return nil // a reader of bytes does not fail
	}
	var out bytes.Buffer
	for _, n := range nodes {
		describeImages(n)
		if err := html.Render(&out, n); err != nil {
			return nil
		}
	}
	return out.Bytes()
}

// describeImages gives each image under n that has no alt text one made
// from its file's name, so that a reader who cannot see it, and a link
// that is nothing but the image, still have a name: READMEs are full of
// logos and badges written without one.
func describeImages(n *html.Node) {
	if n.Type == html.ElementNode && n.DataAtom == atom.Img {
		src, hasAlt := "", false
		for _, a := range n.Attr {
			switch a.Key {
			case "alt":
				hasAlt = true
			case "src":
				src = a.Val
			}
		}
		if !hasAlt {
			n.Attr = append(n.Attr, html.Attribute{Key: "alt", Val: imageName(src)})
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		describeImages(c)
	}
}

// imageName makes a name for an image from its address: its file's name
// without extension, or "image".
func imageName(src string) string {
	if u, err := url.Parse(src); err == nil {
		src = u.Path
	}
	name := path.Base(src)
	name = strings.TrimSuffix(name, path.Ext(name))
	name = strings.Join(strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '_' || r == '.' }), " ")
	if name == "" || name == "/" {
		return "image"
	}
	return name
}
