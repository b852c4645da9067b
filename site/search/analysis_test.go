package search

import (
	"io/fs"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/mapping"

	promptsite "github.com/promptsite/promptsite"
	"github.com/promptsite/promptsite/site/internal/libgen"
)

// TestTermFilterIsBlevesChain checks that the analyzer, whose termFilter
// runs bleve's English filters once per spelling, gives the tokens that
// the same filters give when bleve runs them on every token: on the
// built-in library, a generated one, and words made to find a difference
// (possessives, stop words in capitals, non-ASCII letters), twice over, on
// two goroutines at once, so that the second pass reads what the first
// learnt.
func TestTermFilterIsBlevesChain(t *testing.T) {
	texts := []string{
		"Tom's TOM’S toms' THE The the and AND running RUNS runner's Über ÜBERS naïve café's",
		"it's IT'S o'clock rock'n'roll 日本語の単語 ＡＢＣ's 123 1st 2nd ß STRASSE İstanbul",
		"asyncio.timeout httpx.AsyncClient __aenter__ retries retry retried backoff",
	}
	lib, err := fs.ReadFile(promptsite.Content(), "python-async-prompts.md")
	if err != nil {
		t.Fatal(err)
	}
	texts = append(texts, string(lib), string(libgen.Library(1000, 7)))

	fast := analyzerOf(t, []string{termsName})
	plain := analyzerOf(t, englishFilters)
	for pass := range 2 {
		var wg sync.WaitGroup
		for half := range 2 {
			wg.Go(func() {
				for i, text := range texts {
					for j, line := range strings.Split(text, "\n") {
						if (i+j)%2 != half {
							continue
						}
						got, want := fast.Analyze([]byte(line)), plain.Analyze([]byte(line))
						if !slices.EqualFunc(got, want, sameToken) {
							t.Errorf("pass %d, text %d, line %d %q:\ngot  %v\nwant %v", pass, i, j, line, got, want)
							return
						}
					}
				}
			})
		}
		wg.Wait()
	}
}

func sameToken(a, b *analysis.Token) bool {
	return string(a.Term) == string(b.Term) && a.Start == b.Start && a.End == b.End &&
		a.Position == b.Position && a.Type == b.Type && a.KeyWord == b.KeyWord
}

// analyzerOf returns an analyzer with the word tokenizer and filters.
func analyzerOf(t *testing.T, filters []string) analysis.Analyzer {
	t.Helper()
	m := mapping.NewIndexMapping()
	if err := m.AddCustomAnalyzer("a", map[string]any{
		"type": custom.Name, "tokenizer": tokenizerName, "token_filters": filters,
	}); err != nil {
		t.Fatal(err)
	}
	a := m.AnalyzerNamed("a")
	if a == nil {
		t.Fatal("no analyzer")
	}
	return a
}

// TestIsWordRuneASCII checks the shortcut for ASCII against the rule that
// search.js follows: letters, numbers and marks.
func TestIsWordRuneASCII(t *testing.T) {
	for r := rune(0); r < utf8.RuneSelf; r++ {
		if want := unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r); isWordRune(r) != want {
			t.Errorf("isWordRune(%q) = %v; want %v", r, !want, want)
		}
	}
}
