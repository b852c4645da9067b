package anchor

import "testing"

// The expected ids were read off headings rendered by GitHub.
func TestSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Initial Context", "initial-context"},
		{"Convert gather() to TaskGroup", "convert-gather-to-taskgroup"},
		{"Migrate to Python 3.11+", "migrate-to-python-311"},
		{"Convert requests to httpx", "convert-requests-to-httpx"},
		{"Common LLM Mistakes to Watch For", "common-llm-mistakes-to-watch-for"},
		{"Retry with Backoff", "retry-with-backoff"},
		{"snake_case stays", "snake_case-stays"},
		{"dash-es - and  spaces", "dash-es---and--spaces"},
		{"  leading and trailing  ", "--leading-and-trailing--"},
		{"Café déjà vu", "café-déjà-vu"},
		{"ÜBER Straße", "über-straße"},
		{"日本語の見出し", "日本語の見出し"},
		{"Привет, мир!", "привет-мир"},
		{"हिन्दी शीर्षक", "हिन्दी-शीर्षक"},
		{"emoji 🚀 rocket", "emoji--rocket"},
		{"a/b.c:d?e", "abcde"},
		{"try/except* handling", "tryexcept-handling"},
		{"<script>alert(1)</script>", "scriptalert1script"},
		{"???", ""},
		{"", ""},
		{"١٢٣ arabic digits", "١٢٣-arabic-digits"},
	}
	for _, tt := range tests {
		if got := Slug(tt.in); got != tt.want {
			t.Errorf("Slug(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestSetUnique(t *testing.T) {
	var s Set
	got := []string{
		s.Unique("intro"),
		s.Unique("intro"),
		s.Unique("intro"),
		s.Unique("intro-1"), // taken by the second "intro": GitHub moves on
		s.Unique("other"),
	}
	want := []string{"intro", "intro-1", "intro-2", "intro-1-1", "other"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Unique #%d = %q; want %q", i, got[i], want[i])
		}
	}
}

func TestSetReserve(t *testing.T) {
	var s Set
	if !s.Reserve("custom") {
		t.Fatal("Reserve(custom) on an empty set = false")
	}
	if s.Reserve("custom") {
		t.Error("Reserve(custom) twice = true; want false")
	}
	if got := s.Unique("custom"); got != "custom-1" {
		t.Errorf("Unique(custom) after Reserve = %q; want custom-1", got)
	}
	if !s.Has("custom-1") || s.Has("nope") {
		t.Error("Has does not reflect what was taken")
	}
}
