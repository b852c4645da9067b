package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"strings"
)

// A library has a share page for every prompt, so that a build of 10,000
// prompts renders 10,000 of them, which through html/template costs about
// as much as all the category pages together: the template calls its
// escaping functions by reflection for each value it writes. When the
// theme's redirect.html and meta.html are the built-in ones, share pages
// are written by writeSharePage instead, which writes the same bytes the
// templates would (TestSharePagesMatchTemplates checks it, on libraries
// made to break the escaping); a theme with templates of its own for them
// gets them rendered by its templates.

// builtinShareSum is shareSum of the built-in templates. When either
// changes, TestBuiltinShareSum fails until writeSharePage and this sum are
// brought up to date.
const builtinShareSum = "06fe1ba0eb67264fedbecd6e5b086e15ea1f8ea4c2c1bfa333b0e93821c64723"

// shareSum returns a hash of the templates that a share page is made from,
// or "" when the theme lacks one.
func shareSum(fsys fs.FS) string {
	h := sha256.New()
	for _, name := range []string{"redirect.html", "meta.html"} {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return ""
		}
		h.Write(b)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// writeSharePage writes p, a prompt's share page, as the built-in
// redirect.html and meta.html templates would: their text, with each value
// escaped as html/template escapes it where it stands, and the head's
// "meta" as its builtin writes it.
func writeSharePage(b *bytes.Buffer, p *Page) {
	type part struct {
		text  string // written as it is
		value string // then written escaped
		url   bool   // as a URL attribute, or else as text or attribute
	}
	parts := []part{{text: "<!doctype html>\n<html lang=\"", value: p.Opts.Language()}}
	if dir := p.Opts.Dir(); dir != "" {
		parts = append(parts, part{text: "\" dir=\"", value: dir})
	}
	parts = append(parts,
		part{text: "\">\n<head>\n<meta charset=\"utf-8\">\n" +
			"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n" +
			"<meta http-equiv=\"refresh\" content=\"0; url=", value: p.Redirect})
	write := func(parts []part) {
		for _, pt := range parts {
			b.WriteString(pt.text)
			if pt.url {
				writeURL(b, pt.value)
			} else {
				writeEscaped(b, pt.value)
			}
		}
	}
	write(parts)
	b.WriteString("\">\n")
	writeMetaTo(b, p)
	parts = []part{
		{text: "\n<link rel=\"stylesheet\" href=\"", value: p.Opts.CSS, url: true},
		{text: "\">\n<script src=\"", value: p.Opts.JS, url: true},
		{text: "\" defer></script>\n</head>\n<body"},
	}
	if p.Aliases != "" {
		parts = append(parts, part{text: " data-aliases=\"", value: p.Aliases}, part{text: "\""})
	}
	parts = append(parts,
		// The title's markup is the parser's, as html/template takes it.
		part{text: ">\n<main id=\"main\" class=\"redirect\">\n<h1>" + string(p.Prompt.TitleHTML) + "</h1>\n<p>", value: p.Description},
		part{text: "</p>\n<p><a href=\"", value: p.Redirect, url: true},
		part{text: "\">", value: p.Opts.Text().T("open_prompt_in", "title", p.Prompt.Title, "category", p.Category.Title)},
		part{text: "</a></p>\n</main>\n</body>\n</html>\n"})
	write(parts)
}

// htmlEscapes is how html/template escapes a string in text, in RCDATA such
// as <title>, and in a quoted attribute: the same bytes in each.
var htmlEscapes = [...]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// writeEscaped writes s escaped as html/template escapes a string in text
// or in a quoted attribute. Every byte it escapes is ASCII, so it works on
// bytes, and leaves bytes that are not UTF-8 as they are, as html/template
// does.
func writeEscaped(b *bytes.Buffer, s string) {
	done := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; int(c) < len(htmlEscapes) && htmlEscapes[c] != "" {
			b.WriteString(s[done:i])
			b.WriteString(htmlEscapes[c])
			done = i + 1
		}
	}
	b.WriteString(s[done:])
}

// writeURL writes s as html/template writes a string in a quoted URL
// attribute: a URL with a scheme other than http, https or mailto is
// replaced by "#ZgotmplZ"; what may not stand in a URL is percent-encoded,
// escapes already there kept; and the result is escaped for the attribute.
func writeURL(b *bytes.Buffer, s string) {
	if scheme, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(scheme, "/") &&
		!strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") && !strings.EqualFold(scheme, "mailto") {
		s = "#ZgotmplZ"
	}
	var norm strings.Builder
	done := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if urlKeeps(c) || c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			continue
		}
		norm.WriteString(s[done:i])
		norm.WriteByte('%')
		norm.WriteByte("0123456789abcdef"[c>>4])
		norm.WriteByte("0123456789abcdef"[c&15])
		done = i + 1
	}
	if done > 0 {
		norm.WriteString(s[done:])
		s = norm.String()
	}
	writeEscaped(b, s)
}

// urlKeeps tells whether a normalised URL keeps c as it is: RFC 3986's
// unreserved characters and its reserved ones but for the single quote
// and the parentheses.
func urlKeeps(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!#$&*+,/:;=?@[]", c) >= 0
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
