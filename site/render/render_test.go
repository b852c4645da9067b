package render

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDescribe(t *testing.T) {
	long := strings.Repeat("word ", 60)
	tests := []struct{ text, alt, want string }{
		{"Short  text\nwith lines.", "alt", "Short text with lines."},
		{"", "the title", "the title"},
		{"   ", "the title", "the title"},
	}
	for _, tt := range tests {
		if got := describe(tt.text, tt.alt); got != tt.want {
			t.Errorf("describe(%q, %q) = %q; want %q", tt.text, tt.alt, got, tt.want)
		}
	}
	got := describe(long, "")
	if n := utf8.RuneCountInString(got); n > 160 || !strings.HasSuffix(got, "word…") {
		t.Errorf("describe of %d characters = %q (%d); want at most 160, cut at a word", len(long), got, n)
	}
	if got := describe(strings.Repeat("é", 200), ""); utf8.RuneCountInString(got) != 160 || !utf8.ValidString(got) {
		t.Errorf("describe of 200 é = %q; want 159 of them and an ellipsis", got)
	}
}

func TestFileFor(t *testing.T) {
	for path, want := range map[string]string{
		"/":                 "index.html",
		"/testing-prompts/": "testing-prompts/index.html",
		"/a/b/":             "a/b/index.html",
		"/404.html":         "404.html",
	} {
		if got := fileFor(path); got != want {
			t.Errorf("fileFor(%q) = %q; want %q", path, got, want)
		}
	}
}
