// Package placeholder finds the blanks in a prompt that a person fills in
// before using it, such as [paste your code here] or {{language}}.
//
// A blank is a bracketed phrase of at least two words, [describe purpose],
// that does not follow a word or a closing bracket (which would make it an
// index, as in a[0] or list[str]) and is not a markdown link, or a name in
// double braces, {{name}}. Brackets that hold no words, such as [...] in
// {"items": [...]}, are code, not blanks.
package placeholder

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Span is one blank in a text.
type Span struct {
	Start, End int    // byte offsets of the blank, brackets included
	Name       string // the words inside, as written, trimmed
}

// Key returns the name that identifies a blank across prompts: its words in
// lower case, single-spaced. Blanks with the same key take the same value.
func Key(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// maxLen is the longest blank, in bytes, brackets included: a blank is a
// short instruction, not a paragraph.
const maxLen = 80

// Find returns the blanks of text in order.
func Find(text string) []Span {
	var spans []Span
	for i := 0; i < len(text); {
		// A blank begins at a brace or a bracket.
		j := strings.IndexAny(text[i:], "{[")
		if j < 0 {
			break
		}
		i += j
		var s Span
		var ok bool
		switch {
		case strings.HasPrefix(text[i:], "{{"):
			s, ok = braces(text, i)
		case text[i] == '[':
			s, ok = brackets(text, i)
		}
		if ok {
			spans = append(spans, s)
			i = s.End
			continue
		}
		i++
	}
	return spans
}

// Names returns the keys of the distinct blanks of text, in the order they
// first appear.
func Names(text string) []string {
	var names []string
	seen := map[string]bool{}
	for _, s := range Find(text) {
		k := Key(s.Name)
		if !seen[k] {
			seen[k] = true
			names = append(names, k)
		}
	}
	return names
}

// brackets reads a blank such as [describe purpose] at text[i] == '['.
func brackets(text string, i int) (Span, bool) {
	if i > 0 {
		r, _ := utf8.DecodeLastRuneInString(text[:i])
		if isWordRune(r) || r == ']' || r == ')' || r == '[' {
			return Span{}, false // an index, a[0] or list[str], or [[nested]]
		}
	}
	end := strings.IndexByte(text[i+1:], ']')
	if end < 0 {
		return Span{}, false
	}
	end += i + 1 // the closing bracket
	if end+1-i > maxLen {
		return Span{}, false
	}
	if end+1 < len(text) && (text[end+1] == '(' || text[end+1] == '[') {
		return Span{}, false // a markdown link
	}
	inner := text[i+1 : end]
	words, spaced, ok := phrase(inner, false)
	// Two words, two of them apart by a plain space: [foo, bar] is a list.
	if !ok || len(words) < 2 || !spaced {
		return Span{}, false
	}
	// [x for x in items] is a comprehension, not a blank.
	if len(words) >= 4 && words[1] == "for" && slices.Contains(words[3:], "in") {
		return Span{}, false
	}
	return Span{Start: i, End: end + 1, Name: inner}, true
}

// braces reads a blank such as {{name}} at text[i:] starting with "{{".
func braces(text string, i int) (Span, bool) {
	if i > 0 && text[i-1] == '{' {
		return Span{}, false
	}
	end := strings.Index(text[i+2:], "}}")
	if end < 0 {
		return Span{}, false
	}
	end += i + 2
	if end+2-i > maxLen || (end+2 < len(text) && text[end+2] == '}') {
		return Span{}, false
	}
	inner := strings.TrimSpace(text[i+2 : end])
	if _, _, ok := phrase(inner, true); !ok {
		return Span{}, false
	}
	return Span{Start: i, End: end + 2, Name: inner}, true
}

// phrase splits s into words of letters and digits (with ' and - inside a
// word, and _ too when underscore is set), apart by spaces, commas or
// slashes. It reports whether some two words are apart by a single space
// only, and whether s is such a phrase at all: it starts with a letter and
// holds nothing else.
func phrase(s string, underscore bool) (words []string, spaced, ok bool) {
	first, _ := utf8.DecodeRuneInString(s)
	if !unicode.IsLetter(first) {
		return nil, false, false
	}
	start, gap := 0, ""
	for j, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || (underscore && r == '_'):
			if start < 0 {
				start = j
				spaced = spaced || gap == " "
			}
		case start >= 0 && (r == '\'' || r == '’' || r == '-'):
			// inside a word: don't, step-by-step
		case r == ' ' || r == ',' || r == '/':
			if start >= 0 {
				words = append(words, strings.ToLower(s[start:j]))
				start, gap = -1, ""
			}
			gap += string(r)
		default:
			return nil, false, false
		}
	}
	if start < 0 {
		return nil, false, false // ends with a separator
	}
	words = append(words, strings.ToLower(s[start:]))
	return words, spaced, true
}

func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// Multiline reports whether a blank asks for text of several lines, such as
// code, an error message or a list, and so wants a larger field.
func Multiline(name string) bool {
	k := Key(name)
	if strings.HasPrefix(k, "paste ") || strings.HasPrefix(k, "list ") {
		return true
	}
	for _, w := range strings.FieldsFunc(k, func(r rune) bool { return !unicode.IsLetter(r) }) {
		switch w {
		case "code", "error", "errors", "traceback", "log", "logs", "output", "message", "messages",
			"requirements", "snippet":
			return true
		}
	}
	return false
}
