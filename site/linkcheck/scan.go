package linkcheck

import "bytes"

// scanFast collects the ids and the links of an HTML document as scan
// does, without building tokens: it reads start tags and their attributes
// and skips comments, end tags, doctypes and the text of raw-text elements
// such as <script>. A build's pages are html/template's output, which it
// reads exactly as the tokenizer does (the tests compare the two on built
// sites); anything it cannot read plainly makes it hand the document to
// scan.
func scanFast(data []byte) *page {
	p := &page{}
	i := 0
	for {
		j := bytes.IndexByte(data[i:], '<')
		if j < 0 {
			return p.done()
		}
		i += j
		rest := data[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			k := bytes.Index(rest[4:], []byte("-->"))
			if k < 0 || bytes.Contains(rest[4:4+k], []byte("--!")) || k == 0 || rest[4] == '>' || bytes.HasPrefix(rest[4:], []byte("->")) {
				return scan(data)
			}
			i += 4 + k + 3
		case len(rest) > 1 && (rest[1] == '!' || rest[1] == '?' || rest[1] == '/'):
			k := bytes.IndexByte(rest, '>')
			if k < 0 {
				return scan(data)
			}
			if rest[1] == '/' && (len(rest) < 3 || !isLetter(rest[2])) {
				return scan(data)
			}
			i += k + 1
		case len(rest) > 1 && isLetter(rest[1]):
			end, raw, ok := p.startTag(rest)
			if !ok {
				return scan(data)
			}
			i += end
			if raw != "" {
				k := indexEndTag(data[i:], raw)
				if k < 0 {
					return p.done() // the raw text runs to the end
				}
				if raw == "script" && bytes.Contains(data[i:i+k], []byte("<!--")) {
					return scan(data) // escaped script text has rules of its own
				}
				i += k
			}
		default:
			i++ // a '<' in text
		}
	}
}

// startTag reads the start tag at the beginning of b, adding its id and
// links to p. It returns the length of the tag, the name of the element
// when its content is raw text, and false when the tag is not plain.
func (p *page) startTag(b []byte) (end int, raw string, ok bool) {
	i := 1
	for i < len(b) && !isSpace(b[i]) && b[i] != '/' && b[i] != '>' {
		if b[i] >= 'A' && b[i] <= 'Z' || b[i] == 0 || b[i] == '<' {
			return 0, "", false
		}
		i++
	}
	name := b[1:i]
	var seen [4]bool // id, href, src, data-ids
	for {
		for i < len(b) && (isSpace(b[i]) || b[i] == '/') {
			i++
		}
		if i >= len(b) {
			return 0, "", false
		}
		if b[i] == '>' {
			i++
			break
		}
		k := i
		for i < len(b) && !isSpace(b[i]) && b[i] != '/' && b[i] != '>' && b[i] != '=' {
			if b[i] >= 'A' && b[i] <= 'Z' || b[i] == '"' || b[i] == '\'' || b[i] == '<' || b[i] == 0 {
				return 0, "", false
			}
			i++
		}
		key := b[k:i]
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		var val []byte
		if i < len(b) && b[i] == '=' {
			i++
			for i < len(b) && isSpace(b[i]) {
				i++
			}
			if i >= len(b) {
				return 0, "", false
			}
			switch q := b[i]; q {
			case '"', '\'':
				e := bytes.IndexByte(b[i+1:], q)
				if e < 0 {
					return 0, "", false
				}
				val = b[i+1 : i+1+e]
				i += e + 2
			default:
				k := i
				for i < len(b) && !isSpace(b[i]) && b[i] != '>' {
					i++
				}
				val = b[k:i]
			}
		}
		switch k := string(key); k {
		case "data-aliases":
			return 0, "", false // JSON in an attribute: the tokenizer reads it
		case "id", "href", "src", "data-ids":
			ki := 0
			switch k {
			case "href":
				ki = 1
			case "src":
				ki = 2
			case "data-ids":
				ki = 3
			}
			if seen[ki] {
				return 0, "", false // the tokenizer keeps the first of the same name
			}
			seen[ki] = true
			if bytes.IndexByte(val, '&') >= 0 || bytes.IndexByte(val, 0) >= 0 || bytes.IndexByte(val, '\r') >= 0 {
				return 0, "", false // entities and the like: the tokenizer knows best
			}
			if string(key) == "id" {
				p.ids = append(p.ids, string(val))
			} else {
				p.buf = append(append(p.buf, val...), 0)
			}
		}
	}
	if string(name) == "plaintext" {
		return 0, "", false
	}
	for _, r := range rawText {
		if string(name) == r {
			raw = r
		}
	}
	return i, raw, true
}

// rawText are the elements whose content is raw text, but plaintext's,
// which runs to the end.
var rawText = [...]string{"iframe", "noembed", "noframes", "noscript", "script", "style", "textarea", "title", "xmp"}

// indexEndTag returns where the end tag of the raw-text element name
// begins in b, or -1.
func indexEndTag(b []byte, name string) int {
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte("</"))
		if j < 0 {
			return -1
		}
		i += j
		t := b[i+2:]
		if len(t) > len(name) && bytes.EqualFold(t[:len(name)], []byte(name)) {
			if c := t[len(name)]; isSpace(c) || c == '>' || c == '/' {
				return i
			}
		}
		i += 2
	}
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\f' || c == '\r' }
