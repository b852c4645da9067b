package search

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"

	promptsite "github.com/promptsite/promptsite"
	"github.com/promptsite/promptsite/site/internal/libgen"
)

// TestTermFilterIsBlevesChain checks that each analysis, whose termFilter
// runs a language's filters once per spelling, gives the tokens that the
// same filters give when they run on every token: on the built-in library,
// a generated one, words made to find a difference (possessives, stop
// words in capitals, non-ASCII letters, elisions, runs of CJK characters)
// and the test libraries in other languages, twice over, on two goroutines
// at once, so that the second pass reads what the first learnt.
func TestTermFilterIsBlevesChain(t *testing.T) {
	texts := []string{
		"Tom's TOM’S toms' THE The the and AND running RUNS runner's Über ÜBERS naïve café's",
		"it's IT'S o'clock rock'n'roll 日本語の単語 ＡＢＣ's 123 1st 2nd ß STRASSE İstanbul",
		"asyncio.timeout httpx.AsyncClient __aenter__ retries retry retried backoff",
		"l'homme L’ÉCOLE dell'arte Übersetzer Übersetzern Häuser die DER und así niños ação",
		"ｶﾞｲﾄﾞ ﾊﾟｿｺﾝ コーヒー 번역가를 찾기 中文和English混合 ｶ゙ 々 〱",
		"книги КНИГА مكتبة الكتب Kütüphaneler",
	}
	for _, name := range []string{"python-async-prompts.md"} {
		lib, err := fs.ReadFile(promptsite.Content(), name)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(lib))
	}
	texts = append(texts, string(libgen.Library(1000, 7)))
	for _, l := range []string{"zh/README.md", "de/prompts.md", "ja/prompts.md"} {
		lib, err := os.ReadFile(filepath.Join("testdata/lang", l))
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(lib))
	}

	for _, a := range allAnalyses() {
		t.Run(a, func(t *testing.T) {
			m := mapping.NewIndexMapping()
			name, err := addAnalyzer(m, a)
			if err != nil {
				t.Fatal(err)
			}
			fast := m.AnalyzerNamed(name)
			words, runs, err := filtersOf(a, registry.NewCache())
			if err != nil {
				t.Fatal(err)
			}
			plain := &analysis.DefaultAnalyzer{Tokenizer: wordTokenizer{}, TokenFilters: []analysis.TokenFilter{
				eachToken{words, runs, cjk.NewCJKBigramFilter(false)}}}
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
		})
	}
}

// allAnalyses returns the name of every analysis.
func allAnalyses() []string {
	names := []string{simple}
	for _, a := range analyses {
		if !slices.Contains(names, a) {
			names = append(names, a)
		}
	}
	slices.Sort(names)
	return names
}

// eachToken runs words on each token alone, and runs on the runs of CJK
// characters instead; then pairs, when there were runs.
type eachToken struct {
	words, runs []analysis.TokenFilter
	pairs       analysis.TokenFilter
}

func (f eachToken) Filter(input analysis.TokenStream) analysis.TokenStream {
	var out analysis.TokenStream
	runs := false
	for _, tok := range input {
		chain := f.words
		if tok.Type == analysis.Ideographic {
			chain, runs = f.runs, true
		}
		out = append(out, run(chain, tok)...)
	}
	if runs {
		out = f.pairs.Filter(out)
	}
	return out
}

func sameToken(a, b *analysis.Token) bool {
	return string(a.Term) == string(b.Term) && a.Start == b.Start && a.End == b.End &&
		a.Position == b.Position && a.Type == b.Type && a.KeyWord == b.KeyWord
}

// TestEnglishIsBlevesEnglish checks that the English analysis uses the
// filters of bleve's English analyzer, as the index of our own library
// always has.
func TestEnglishIsBlevesEnglish(t *testing.T) {
	words, _, err := filtersOf(Analysis("en-GB"), registry.NewCache())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range words {
		got = append(got, fmt.Sprintf("%T", f))
	}
	want := []string{"*en.PossessiveFilter", "*lowercase.LowerCaseFilter", "*stop.StopTokensFilter", "*porter.PorterStemmer"}
	if !slices.Equal(got, want) {
		t.Errorf("English filters %q; want %q", got, want)
	}
}

// TestCJKIsBlevesCJK checks that text in Chinese and Japanese gets the
// terms that bleve's own CJK analyzer gives it, with its unicode
// tokenizer, wherever the two tokenizers cut text alike: not inside Korean
// words, which ours pairs as it pairs Chinese, nor in words joined by a dot,
// which ours cuts, nor at the iteration mark 々, which ours keeps in its
// word (日々) and bleve's makes a word of its own.
func TestCJKIsBlevesCJK(t *testing.T) {
	m := mapping.NewIndexMapping()
	name, err := addAnalyzer(m, Analysis("zh-Hans"))
	if err != nil {
		t.Fatal(err)
	}
	ours, bleves := m.AnalyzerNamed(name), m.AnalyzerNamed(cjk.AnalyzerName)
	var lines []string
	for _, l := range []string{"zh/README.md", "ja/prompts.md"} {
		lib, err := os.ReadFile(filepath.Join("testdata/lang", l))
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, strings.Split(string(lib), "\n")...)
	}
	lines = append(lines, "ｶﾞｲﾄﾞ ﾊﾟｿｺﾝ コーヒーを飲む", "我想让你充当英语翻译员、拼写纠正员和改进员。", "Linux终端 和 SQL")
	compared := 0
	for _, line := range lines {
		if strings.ContainsAny(line, ".'’_々") {
			continue
		}
		var got, want []string
		for _, tok := range ours.Analyze([]byte(line)) {
			got = append(got, string(tok.Term))
		}
		for _, tok := range bleves.Analyze([]byte(line)) {
			want = append(want, string(tok.Term))
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q:\nours  %q\nbleve %q", line, got, want)
		}
		compared++
	}
	if compared < 50 {
		t.Errorf("compared %d lines; want the test libraries", compared)
	}
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
