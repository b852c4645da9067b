package model

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Excerpt returns the start of s with each run of white space made one
// space and none at either end, at most n runes long: what
// strings.Join(strings.Fields(s), " ") begins with, without reading past
// what it needs, which matters for descriptions and snippets cut from
// thousands of long prompts. A byte that is not UTF-8 becomes U+FFFD.
func Excerpt(s string, n int) string {
	var b strings.Builder
	space, count := false, 0
	for i := 0; i < len(s) && count < n; {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if unicode.IsSpace(r) {
			space = b.Len() > 0
		} else {
			if space {
				b.WriteByte(' ')
				count++
				space = false
				if count == n {
					break
				}
			}
			if b.Len() == 0 {
				b.Grow(min(len(s)-i, 4*n))
			}
			if r == utf8.RuneError && size == 1 {
				b.WriteRune(utf8.RuneError) // not UTF-8: as []rune(s) has it
			} else {
				b.WriteString(s[i : i+size])
			}
			count++
		}
		i += size
	}
	return b.String()
}
