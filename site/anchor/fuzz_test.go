package anchor

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func FuzzSlug(f *testing.F) {
	for _, s := range []string{"Retry with Backoff", "Migrate to Python 3.11+", "日本語 見出し", "???", "a  b", "İstanbul", "ǅ", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, title string) {
		s := Slug(title)
		if !utf8.ValidString(title) {
			return
		}
		for _, r := range s {
			if !(r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r)) {
				t.Fatalf("Slug(%q) = %q has %q", title, s, r)
			}
		}
		if strings.ContainsAny(s, " \t\n#?/") {
			t.Fatalf("Slug(%q) = %q is not fit for a URL fragment", title, s)
		}
		if again := Slug(s); again != s {
			t.Fatalf("Slug(Slug(%q)) = %q; want %q", title, again, s)
		}
		var set Set
		a, b := set.Unique(s), set.Unique(s)
		if a == b {
			t.Fatalf("Unique(%q) twice gave %q both times", s, a)
		}
	})
}
