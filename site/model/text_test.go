package model

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestExcerpt(t *testing.T) {
	texts := []string{
		"", "   ", "one", "  two  words ", "a\tb\nc\r\nd\u00a0e\u2003f", "line one\n\nline two",
		"ünïcödé  日本語 テキスト", "bad \xff utf-8  here", strings.Repeat("word ", 100), " x ",
	}
	for _, s := range texts {
		whole := strings.Join(strings.Fields(s), " ")
		for n := range utf8.RuneCountInString(whole) + 3 {
			r := []rune(whole)
			want := string(r[:min(n, len(r))])
			if got := Excerpt(s, n); got != want {
				t.Errorf("Excerpt(%q, %d) = %q; want %q", s, n, got, want)
			}
		}
	}
}
