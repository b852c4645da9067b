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
	count, i := 0, 0
	for count < n {
		i = skipSpace(s, i)
		if i == len(s) {
			break
		}
		if b.Len() == 0 {
			b.Grow(min(len(s)-i, 4*n))
		} else {
			b.WriteByte(' ')
			if count++; count == n {
				break
			}
		}
		// A word is copied a run of bytes at a time, up to a space, a
		// byte that is not UTF-8, or the n-th rune.
		start := i
		for i < len(s) && count < n {
			if c := s[i]; c < utf8.RuneSelf {
				if asciiSpace[c] {
					break
				}
				i++
				count++
				continue
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				break
			}
			if r == utf8.RuneError && size == 1 {
				b.WriteString(s[start:i])
				b.WriteRune(utf8.RuneError) // not UTF-8: as []rune(s) has it
				start = i + 1
			}
			i += size
			count++
		}
		b.WriteString(s[start:i])
	}
	return b.String()
}

// skipSpace returns the index of the first byte of s from i on that does
// not begin white space, len(s) if none.
func skipSpace(s string, i int) int {
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if !asciiSpace[c] {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			return i
		}
		i += size
	}
	return i
}

// asciiSpace tells the ASCII bytes that unicode.IsSpace reports as space.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}
