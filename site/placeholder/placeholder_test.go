package placeholder

import (
	"slices"
	"strings"
	"testing"
)

func TestFind(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string // the blanks, as written in the text
	}{
		// The seed library's blanks.
		{"Convert this code:\n\n[paste your code here]", []string{"[paste your code here]"}},
		{"Design an async service class for [describe purpose]:", []string{"[describe purpose]"}},
		{"Requirements:\n[list requirements]", []string{"[list requirements]"}},
		{"- [describe the symptoms]\n- [paste the code]\n- [paste any error messages]",
			[]string{"[describe the symptoms]", "[paste the code]", "[paste any error messages]"}},
		{"Write tests for this function: [paste your function here]", []string{"[paste your function here]"}},
		// Double braces, with or without spaces, one word is enough.
		{"Translate to {{language}} for {{ audience }}.", []string{"{{language}}", "{{ audience }}"}},
		{"Hello {{user_name}}", []string{"{{user_name}}"}},
		{"(see [first name, last name])", []string{"[first name, last name]"}},
		{"Don't [step-by-step do this], \"[quoted text here]\"", []string{"[step-by-step do this]", "[quoted text here]"}},
		{"Ünïcödé [beschreibe den Zweck]", []string{"[beschreibe den Zweck]"}},

		// Code and other brackets that are not blanks.
		{"[...]", nil},
		{`- API returns: {"items": [...], "next_page": "..."}`, nil},
		{"def f(xs: list[str]) -> dict[str, int]:", nil},
		{"a[0] + b[i] + m[some key]", nil},
		{"[name]", nil}, // one word: could be anything
		{"[foo, bar]", nil},
		{"[1, 2, 3] and [0 or 1]", nil},
		{"[x for x in items]", nil},
		{"[user_id here]", nil},
		{"see [the docs](https://example.com) and [the guide][ref]", nil},
		{"[[wiki link here]]", nil},
		{"[unclosed bracket here", nil},
		{"{{{triple braces}}} {{}} {{ }} {{1abc}} {{a.b}}", nil},
		{"[a very long instruction that goes on and on and on and on and on and on and on and on and on]", nil},
		{"[ spaced inside ]", nil},
		{"[trailing comma,]", nil},
	} {
		var got []string
		for _, s := range Find(tt.in) {
			got = append(got, tt.in[s.Start:s.End])
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Find(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestNames(t *testing.T) {
	in := "[Paste your code  here]\n{{lang}}\n[paste your code here] [describe purpose]"
	got := Names(in)
	want := []string{"paste your code here", "lang", "describe purpose"}
	if !slices.Equal(got, want) {
		t.Errorf("Names(%q) = %q; want %q", in, got, want)
	}
	if got := Find(in)[0].Name; got != "Paste your code  here" {
		t.Errorf("Find(%q)[0].Name = %q; want the words as written", in, got)
	}
}

func TestMultiline(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"paste your code here", true},
		{"paste any error messages", true},
		{"list requirements", true},
		{"Paste the traceback", true},
		{"describe the symptoms", false},
		{"describe purpose", false},
		{"language", false},
		{"function name", false},
		{"paste your function here", true},
	} {
		if got := Multiline(tt.in); got != tt.want {
			t.Errorf("Multiline(%q) = %v; want %v", tt.in, got, tt.want)
		}
	}
}

// FuzzFind checks that Find, which skips to the next brace or bracket,
// finds what trying every byte finds:
//
//	go test ./site/placeholder -run '^$' -fuzz FuzzFind -fuzztime 1m
func FuzzFind(f *testing.F) {
	for _, s := range []string{"Review [describe the code] and {{language}}", "a[0] [[x]] {{ }} {x} [", "{{{a}}} [b]]", "日本[語] {{名前}}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		// Every byte, as a start.
		var want []Span
		for i := 0; i < len(text); {
			var s Span
			var ok bool
			switch {
			case strings.HasPrefix(text[i:], "{{"):
				s, ok = braces(text, i)
			case text[i] == '[':
				s, ok = brackets(text, i)
			}
			if ok {
				want = append(want, s)
				i = s.End
				continue
			}
			i++
		}
		if got := Find(text); !slices.Equal(got, want) {
			t.Fatalf("Find(%q) = %v; trying every byte finds %v", text, got, want)
		}
	})
}
