package model

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// excerptOf is what Excerpt returns, the long way.
func excerptOf(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	return string(r[:min(n, len(r))])
}

func TestExcerpt(t *testing.T) {
	texts := []string{
		"", "   ", "one", "  two  words ", "a\tb\nc\r\nd\u00a0e\u2003f", "line one\n\nline two",
		"ünïcödé  日本語 テキスト", "bad \xff utf-8  here", strings.Repeat("word ", 100), " x ",
		"\xff\xfe", "a\u0085b\v\fc", "x\xe6\x97",
	}
	for _, s := range texts {
		for n := range utf8.RuneCountInString(excerptOf(s, len(s))) + 3 {
			if got, want := Excerpt(s, n), excerptOf(s, n); got != want {
				t.Errorf("Excerpt(%q, %d) = %q; want %q", s, n, got, want)
			}
		}
	}
}

func FuzzExcerpt(f *testing.F) {
	for _, s := range []string{"", " a  b ", "x\xffy \u0085z\u00a0w", "日本 語\t\n", "\xe6\x97 \xff\xfe"} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		n = max(0, n%300)
		if got, want := Excerpt(s, n), excerptOf(s, n); got != want {
			t.Errorf("Excerpt(%q, %d) = %q; want %q", s, n, got, want)
		}
	})
}
