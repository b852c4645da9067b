package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"html/template"
	"sync"
)

// A category's page shows its prompts as sections, so that a build of
// 10,000 prompts writes 10,000 of them through the "section" template,
// which costs a fifth of the build: html/template calls its escaping
// functions by reflection for each value. When the theme's "section",
// "tags" and "actions" templates are the built-in ones, writeSection
// writes the section in their place: the same bytes, which
// TestSectionsMatchTemplates checks on libraries made to break the
// escaping. A theme with its own gets them rendered by its templates.

// builtinSectionSum is sectionSum of the built-in templates. When one of
// them changes, TestBuiltinSectionSum fails until writeSection and this
// sum are brought up to date.
const builtinSectionSum = "e5deb147c07ed932a357ce5b6de2cb02e84c65e1e125013e0460bbd44fb1b02c"

// sectionTemplates are the templates that a section is made from.
var sectionTemplates = []string{"section", "tags", "actions"}

// sectionSum returns a hash of the parsed templates that a section is
// made from in t, or "" when it lacks one.
func sectionSum(t *template.Template) string {
	h := sha256.New()
	for _, name := range sectionTemplates {
		st := t.Lookup(name)
		if st == nil || st.Tree == nil || st.Tree.Root == nil {
			return ""
		}
		h.Write([]byte(st.Tree.Root.String()))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// sectionBuffers are the buffers that writeSection writes into.
var sectionBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// writeSection returns the section of it's prompt on its category's page,
// as the built-in "section" template writes it.
func writeSection(it Item) template.HTML {
	b := sectionBuffers.Get().(*bytes.Buffer)
	defer sectionBuffers.Put(b)
	b.Reset()
	p, text := it.P, it.Opts.Text()
	lang := p.Lang
	if lang == "" && it.Category != nil {
		lang = it.Category.Lang
	}
	b.WriteString("\n<section class=\"prompt\" id=\"")
	writeEscaped(b, p.Anchor)
	b.WriteString("\">")
	for _, id := range it.AliasIDs[p.Anchor] {
		b.WriteString("\n<span class=\"alias\" id=\"")
		writeEscaped(b, id)
		b.WriteString("\"></span>")
	}
	b.WriteString("\n<div class=\"prompt-head\">\n<h2")
	if lang != "" {
		b.WriteString(" lang=\"")
		writeEscaped(b, lang)
		b.WriteString("\"")
	}
	b.WriteString(">")
	b.WriteString(string(p.TitleHTML))
	b.WriteString(" <a class=\"hash\" href=\"#")
	writeURLPart(b, p.Anchor)
	b.WriteString("\" aria-label=\"")
	writeEscaped(b, text.T("link_to", "title", p.Title))
	b.WriteString("\">#</a></h2>\n<button type=\"button\" class=\"copy-link\" data-href=\"")
	writeURL(b, p.ShareHref)
	b.WriteString("\" aria-label=\"")
	writeEscaped(b, text.T("copy_link_to", "title", p.Title))
	b.WriteString("\">")
	writeEscaped(b, text.T("copy_link"))
	b.WriteString("</button>")
	if p.Edit != "" {
		b.WriteString("\n<a class=\"edit\" href=\"")
		writeURL(b, p.Edit)
		b.WriteString("\" aria-label=\"")
		writeEscaped(b, text.T("edit_title", "title", p.Title))
		b.WriteString("\">")
		writeEscaped(b, text.T("edit"))
		b.WriteString("</a>")
	}
	b.WriteString("\n</div>")
	if len(p.Tags) > 0 {
		b.WriteString("\n<ul class=\"tags\" aria-label=\"")
		writeEscaped(b, text.T("tags"))
		b.WriteString("\">")
		for _, tag := range p.Tags {
			b.WriteString("\n<li><a href=\"")
			writeURL(b, tag.Href)
			b.WriteString("\">")
			writeEscaped(b, tag.Name)
			b.WriteString("</a></li>")
		}
		b.WriteString("\n</ul>")
	}
	if p.Updated != "" {
		before, after := text.Split("updated", "date")
		b.WriteString("\n<p class=\"updated\">")
		writeEscaped(b, before)
		b.WriteString("<time datetime=\"")
		writeEscaped(b, p.Updated)
		b.WriteString("\">")
		writeEscaped(b, p.Updated)
		b.WriteString("</time>")
		writeEscaped(b, after)
		b.WriteString("</p>")
	}
	if lang != "" {
		b.WriteString("\n<div lang=\"")
		writeEscaped(b, lang)
		b.WriteString("\">")
		b.WriteString(string(p.Body))
		b.WriteString("</div>")
	} else {
		b.WriteString("\n")
		b.WriteString(string(p.Body))
	}
	if p.Form != "" && (len(p.Placeholders) > 0 || len(it.Opts.Chats) > 0) {
		b.WriteString("\n<div class=\"prompt-actions\">")
		if len(p.Placeholders) > 0 {
			b.WriteString("\n<button type=\"button\" class=\"fill\" aria-expanded=\"false\" aria-label=\"")
			writeEscaped(b, text.T("fill_in_title", "title", p.Title))
			b.WriteString("\">")
			writeEscaped(b, text.T("fill_in"))
			b.WriteString("</button>")
		}
		b.WriteString(string(chatLinks(it)))
		b.WriteString("\n</div>")
	}
	b.WriteString("\n</section>")
	return template.HTML(b.String())
}

// writeURLPart writes s as html/template writes a string in the query or
// fragment of a quoted URL attribute: every byte but RFC 3986's
// unreserved ones percent-encoded.
func writeURLPart(b *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte("0123456789abcdef"[c>>4])
		b.WriteByte("0123456789abcdef"[c&15])
	}
}
