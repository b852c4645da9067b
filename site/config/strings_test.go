package config

import (
	"errors"
	"maps"
	"strings"
	"testing"
)

// TestStrings checks the [strings] table: each way of writing it gives
// the library's own interface strings, and where each was set.
func TestStrings(t *testing.T) {
	tests := []struct {
		name, file string
		want       map[string]string
		src        map[string]string // key → Source(key)
	}{
		{"table", "title = \"T\"\n\n[strings]\ncopy = \"Kopie\"\nresults_other = \"{count} hits\"\n",
			map[string]string{"copy": "Kopie", "results_other": "{count} hits"},
			map[string]string{"strings": "promptsite.toml:3", "strings.copy": "promptsite.toml:4", "strings.results_other": "promptsite.toml:5"}},
		{"inline", `strings = {copy = "Kopie", copy_link_to = "Link: {title}"}`,
			map[string]string{"copy": "Kopie", "copy_link_to": "Link: {title}"},
			map[string]string{"strings": "promptsite.toml:1", "strings.copy_link_to": "promptsite.toml:1"}},
		{"dotted", "strings.copy = \"Kopie\"\nstrings.preview = \"Vorschau\"\n",
			map[string]string{"copy": "Kopie", "preview": "Vorschau"},
			map[string]string{"strings": "promptsite.toml:1", "strings.preview": "promptsite.toml:2"}},
		{"after the footer", "[[footer]]\ntext = \"a\"\nurl = \"/\"\n\n[strings]\ncopy = \"Kopie\"\n",
			map[string]string{"copy": "Kopie"}, map[string]string{"strings.copy": "promptsite.toml:6", "footer": "promptsite.toml:1"}},
		{"before the footer", "[strings]\ncopy = \"Kopie\"\n[[footer]]\ntext = \"a\"\nurl = \"/\"\n",
			map[string]string{"copy": "Kopie"}, map[string]string{"strings.copy": "promptsite.toml:2", "footer": "promptsite.toml:3"}},
		{"quoted keys, no placeholder kept", "[strings]\n\"no_results_for\" = \"Nothing found\"\n",
			map[string]string{"no_results_for": "Nothing found"}, nil},
		{"an Arabic plural form", "language = \"ar\"\n[strings]\nresults_few = \"{count} نتائج\"\n",
			map[string]string{"results_few": "{count} نتائج"}, nil},
		{"none", `title = "T"`, nil, map[string]string{"strings": "default", "strings.copy": ""}},
		{"an empty table", "[strings]\n", map[string]string{}, map[string]string{"strings": "promptsite.toml:1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := loadFile(t, tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(c.Strings, tt.want) || (c.Strings == nil) != (tt.want == nil) {
				t.Errorf("Strings = %q; want %q", c.Strings, tt.want)
			}
			for k, want := range tt.src {
				if got := c.Source(k); got != want {
					t.Errorf("Source(%q) = %q; want %q", k, got, want)
				}
			}
		})
	}
}

// TestStringsErrors checks that a string promptsite does not have, or one
// that cannot be used, fails with the file's line and what to write.
func TestStringsErrors(t *testing.T) {
	tests := []struct{ file, err string }{
		{"title = \"T\"\n[strings]\ncopy = \"Kopie\"\ncopi = \"Kopie\"\n",
			`promptsite.toml:4: strings: unknown string "copi" (did you mean "copy"?); the strings are skip, repository, categories,`},
		{"[strings]\nreslts_one = \"x\"", `promptsite.toml:2: strings: unknown string "reslts_one" (did you mean "results_one"?)`},
		{"[strings]\nresults.one = \"x\"", `promptsite.toml:2: strings: unknown string "results.one" (did you mean "results_one"?)`},
		{"[strings]\nresults_dual = \"x\"", `promptsite.toml:2: strings: unknown string "results_dual": "dual" is not a plural category; write results_zero, results_one, results_two, results_few, results_many or results_other`},
		{"[strings]\nheader = \"x\"", `promptsite.toml:2: strings: unknown string "header"; the strings are skip,`},
		{"[strings]\nresults = \"x\"", `promptsite.toml:2: strings: "results" has a form for each number: set results_one, results_other and, in languages that have them, results_zero, results_two, results_few or results_many`},
		{"[strings]\ncopy = 1", `promptsite.toml:2: strings: copy: want a string, got an integer`},
		{"[strings]\ncopy_link_to = \"Link to {titel}\"", `promptsite.toml:2: strings: copy_link_to: {titel} is not a placeholder of copy_link_to; it takes {title}`},
		{"[strings]\ncopy = \"{title}\"", `promptsite.toml:2: strings: copy: {title} is not a placeholder of copy, which takes none`},
		{`strings = "x"`, `promptsite.toml:1: strings: want a [strings] table, got a string`},
		{"[strings.copy]\nx = 1", `promptsite.toml:1: strings: write one [strings] table, with a key for each string`},
		{"[[strings]]\ncopy = \"x\"", `promptsite.toml:1: strings: write one [strings] table, with a key for each string`},
		{"strings = {copy = \"x\", copyy = \"y\"}", `promptsite.toml:1: strings: unknown string "copyy" (did you mean "copy"?)`},
		{"stirngs.copy = \"x\"", `promptsite.toml:1: unknown key "stirngs" (did you mean "strings"?)`},
	}
	for _, tt := range tests {
		_, err := loadFile(t, tt.file)
		if err == nil || !strings.HasPrefix(err.Error(), tt.err) {
			t.Errorf("%s\ngave error %v\nwant one starting %s", tt.file, err, tt.err)
		}
	}

	// Every string's problem is reported, in the order of the file.
	_, err := loadFile(t, "[strings]\ncopi = \"a\"\ncopy = \"b\"\npreview = 2\n")
	var lines []string
	for _, l := range strings.Split(err.Error(), "\n") {
		lines = append(lines, strings.SplitN(l, ": ", 2)[0])
	}
	if want := "promptsite.toml:2 promptsite.toml:4"; strings.Join(lines, " ") != want {
		t.Errorf("errors at %q, want %s:\n%v", lines, want, err)
	}

	// No flag sets the strings.
	_, err = Load(Options{WorkDir: t.TempDir(), Flags: []Flag{{Key: "strings", Name: "-strings", Value: "x"}}})
	if err == nil || errors.Is(err, ErrUsage) {
		t.Errorf("a flag for strings gave %v; want an error that no flag can set it", err)
	}
}
