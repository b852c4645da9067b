package search

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/ar"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/lang/da"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/es"
	"github.com/blevesearch/bleve/v2/analysis/lang/fi"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/lang/hu"
	"github.com/blevesearch/bleve/v2/analysis/lang/it"
	"github.com/blevesearch/bleve/v2/analysis/lang/nl"
	"github.com/blevesearch/bleve/v2/analysis/lang/no"
	"github.com/blevesearch/bleve/v2/analysis/lang/pt"
	"github.com/blevesearch/bleve/v2/analysis/lang/ro"
	"github.com/blevesearch/bleve/v2/analysis/lang/ru"
	"github.com/blevesearch/bleve/v2/analysis/lang/sv"
	"github.com/blevesearch/bleve/v2/analysis/lang/tr"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	unorm "golang.org/x/text/unicode/norm"
)

// The analysis of a language is bleve's analyzer for it with one change:
// its tokenizer, which splits text into runs of letters, digits and marks,
// joined across an apostrophe, and makes each run of CJK characters (Han,
// kana, Hangul) a token of its own. Bleve's unicode tokenizer keeps
// "asyncio.timeout" or "httpx.AsyncClient" whole, which hides code words
// from a search, and a browser could not reproduce its word breaks without
// shipping the segmenter. This rule is two regular expressions in
// search.js.
//
// A run of CJK characters is analysed as bleve's CJK analyzer does it in
// every language: folded to one width and case, then cut into overlapping
// pairs of characters (a run of one stays one), so that a word is found
// inside unspaced text, and a Chinese prompt in an English library is
// found too. The other words go through the language's own filters: stop
// words and stemming for the European languages bleve knows, width and
// case for Chinese, Japanese and Korean, case alone for any other.
const (
	tokenizerName = "promptsite_words"
	termsPrefix   = "promptsite_terms_"
	analyzerPref  = "promptsite_"
	simple        = "simple" // the analysis of a language bleve has no analyzer for
)

// analyses maps a language's primary subtag to the bleve analyzer whose
// filters analyse its words.
var analyses = map[string]string{
	"ar": ar.AnalyzerName, "da": da.AnalyzerName, "de": de.AnalyzerName,
	"en": en.AnalyzerName, "es": es.AnalyzerName, "fi": fi.AnalyzerName,
	"fr": fr.AnalyzerName, "hu": hu.AnalyzerName, "it": it.AnalyzerName,
	"nl": nl.AnalyzerName, "no": no.AnalyzerName, "nb": no.AnalyzerName,
	"nn": no.AnalyzerName, "pt": pt.AnalyzerName, "ro": ro.AnalyzerName,
	"ru": ru.AnalyzerName, "sv": sv.AnalyzerName, "tr": tr.AnalyzerName,
	"zh": cjk.AnalyzerName, "ja": cjk.AnalyzerName, "ko": cjk.AnalyzerName,
}

// Analysis returns the name of the analysis that search gives text in the
// language tag (BCP 47, such as "de" or "zh-Hans-CN"): the name of bleve's
// analyzer whose filters it uses, "cjk" for Chinese, Japanese and Korean,
// or "simple" (lower case only) for a language bleve has none for. An empty
// tag is English.
func Analysis(tag string) string {
	if tag == "" {
		return en.AnalyzerName
	}
	base, _, _ := strings.Cut(strings.ToLower(tag), "-")
	base, _, _ = strings.Cut(base, "_")
	if a, ok := analyses[base]; ok {
		return a
	}
	return simple
}

func init() {
	if err := registry.RegisterTokenizer(tokenizerName, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return wordTokenizer{}, nil
	}); err != nil {
		panic(err)
	}
	names := []string{simple}
	for _, a := range analyses {
		if !slices.Contains(names, a) {
			names = append(names, a)
		}
	}
	for _, a := range names {
		if err := registry.RegisterTokenFilter(termsPrefix+a, func(_ map[string]any, cache *registry.Cache) (analysis.TokenFilter, error) {
			return newTermFilter(a, cache)
		}); err != nil {
			panic(err)
		}
	}
}

// filtersOf returns the token filters that analyse the words of analysis a
// one at a time, and those that analyse a run of CJK characters before
// bleve's pairing filter.
func filtersOf(a string, cache *registry.Cache) (words, runs []analysis.TokenFilter, err error) {
	lower, err := cache.TokenFilterNamed(lowercase.Name)
	if err != nil {
		return nil, nil, err
	}
	width, err := cache.TokenFilterNamed(cjk.WidthName)
	if err != nil {
		return nil, nil, err
	}
	runs = []analysis.TokenFilter{width, lower}
	if a == simple {
		return []analysis.TokenFilter{lower}, runs, nil
	}
	an, err := cache.AnalyzerNamed(a)
	if err != nil {
		return nil, nil, err
	}
	da, ok := an.(*analysis.DefaultAnalyzer)
	if !ok {
		return nil, nil, fmt.Errorf("search: bleve's analyzer %q is a %T", a, an)
	}
	for _, f := range da.TokenFilters {
		if _, pairs := f.(*cjk.CJKBigramFilter); !pairs {
			words = append(words, f)
		}
	}
	return words, runs, nil
}

// addAnalyzer registers the analyzer of analysis a in m and returns its
// name.
func addAnalyzer(m *mapping.IndexMappingImpl, a string) (string, error) {
	name := analyzerPref + a
	if m.AnalyzerNamed(name) != nil {
		return name, nil
	}
	return name, m.AddCustomAnalyzer(name, map[string]any{
		"type":          custom.Name,
		"tokenizer":     tokenizerName,
		"token_filters": []string{termsPrefix + a},
	})
}

// termFilter runs a language's token filters over a stream, each spelling
// of a word once: a library of 10,000 prompts has some 2 million words but
// only thousands of spellings, and the stemmer was the biggest cost of
// indexing it. It gives what the filters give, as each of them looks at one
// token alone: the possessive filter, lower-casing and stemming change its
// term, the stop filter drops it (TestTermFilterIsBlevesChain checks it).
// Runs of CJK characters are folded and paired instead, by bleve's CJK
// filters.
type termFilter struct {
	chain []analysis.TokenFilter // the language's filters, a word at a time
	runs  []analysis.TokenFilter // width and case, for a run of CJK characters
	pairs analysis.TokenFilter   // bleve's CJK bigram filter
	mu    sync.RWMutex
	terms map[string]term // by spelling
}

// term is what the filters make of a spelling.
type term struct {
	text []byte // nil when same
	kept bool   // false when the filters drop the word, as a stop word
	// same is set when the term is the spelling itself, as most are: the
	// token keeps its own bytes, and the filter keeps none.
	same bool
}

func newTermFilter(a string, cache *registry.Cache) (*termFilter, error) {
	words, runs, err := filtersOf(a, cache)
	if err != nil {
		return nil, err
	}
	pairs, err := cache.TokenFilterNamed(cjk.BigramName)
	if err != nil {
		return nil, err
	}
	return &termFilter{chain: words, runs: runs, pairs: pairs, terms: map[string]term{}}, nil
}

func (f *termFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := input[:0]
	runs := false
	for _, tok := range input {
		switch {
		case tok.Type == analysis.Ideographic:
			// Each filter changes the one token in place.
			for _, c := range f.runs {
				c.Filter(analysis.TokenStream{tok})
			}
			out = append(out, tok)
			runs = true
			continue
		case tok.KeyWord:
			// Kept from stemming: not a token like the others. Our
			// tokenizer makes none.
			if rest := run(f.chain, tok); rest != nil {
				out = append(out, rest...)
			}
			continue
		}
		if t := f.lookup(tok.Term); t.kept {
			// The term is shared by every token of this spelling;
			// nothing after this filter changes a term in place.
			if !t.same {
				tok.Term = t.text
			}
			out = append(out, tok)
		}
	}
	if !runs {
		return out
	}
	return f.pairs.Filter(out)
}

// lookup returns what the filters make of a spelling, learnt once.
func (f *termFilter) lookup(spelling []byte) term {
	f.mu.RLock()
	t, ok := f.terms[string(spelling)]
	f.mu.RUnlock()
	if !ok {
		t = f.learn(spelling)
	}
	return t
}

// learn runs the filters on one spelling and keeps the result.
func (f *termFilter) learn(spelling []byte) term {
	tok := &analysis.Token{Term: bytes.Clone(spelling), Type: analysis.AlphaNumeric}
	var t term
	switch rest := run(f.chain, tok); len(rest) {
	case 0:
	case 1:
		if bytes.Equal(rest[0].Term, spelling) {
			t = term{kept: true, same: true}
		} else {
			t = term{text: rest[0].Term, kept: true}
		}
	default:
		panic(fmt.Sprintf("search: a token filter made %d tokens of %q", len(rest), spelling))
	}
	f.mu.Lock()
	f.terms[string(spelling)] = t
	f.mu.Unlock()
	return t
}

// size returns how many spellings the filter holds what it made of.
func (f *termFilter) size() int {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return len(f.terms)
}

// forget drops what the filter learnt of each spelling.
func (f *termFilter) forget() {
	f.mu.Lock()
	f.terms = map[string]term{}
	f.mu.Unlock()
}

func run(chain []analysis.TokenFilter, tok *analysis.Token) analysis.TokenStream {
	ts := analysis.TokenStream{tok}
	for _, c := range chain {
		ts = c.Filter(ts)
	}
	return ts
}

// wordTokenizer splits text into words (see forEachWord), lower-cased a
// character at a time as Go lower-cases them, the way the surface words
// and the queries are: bleve's lower-case filter maps a few capitals
// otherwise (a final Σ to ς; İ to bytes that are not UTF-8), which would
// make their words unfindable. Offsets are into the lower-cased text.
type wordTokenizer struct{}

func (wordTokenizer) Tokenize(input []byte) analysis.TokenStream {
	for _, c := range input {
		if c >= utf8.RuneSelf {
			// ASCII is lower-cased alike by both; most text is.
			input = bytes.ToLower(input)
			break
		}
	}
	var rv analysis.TokenStream
	forEachWord(input, func(start, end int, cjk bool) {
		typ := analysis.AlphaNumeric
		if cjk {
			typ = analysis.Ideographic
		}
		rv = append(rv, &analysis.Token{
			Term:     input[start:end],
			Start:    start,
			End:      end,
			Position: len(rv) + 1,
			Type:     typ,
		})
	})
	return rv
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}

// cjkScripts are the scripts whose words are not spaced, or whose words
// take endings that a search should see through: Han, kana and Hangul.
var cjkScripts = []*unicode.RangeTable{unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul}

// isCJK reports whether the word rune r is a CJK character: one of those
// scripts, the marks and signs written inside Japanese words (the sound
// marks, the long-vowel mark and the repeat marks), and the half-width
// forms of those.
func isCJK(r rune) bool {
	if r < 0x1100 {
		return false
	}
	switch {
	case r >= 0x3031 && r <= 0x3035, r == 0x3099, r == 0x309A, r == 0x30FC, r == 0xFF70, r == 0xFF9E, r == 0xFF9F:
		return true
	}
	return unicode.In(r, cjkScripts...)
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' }

// forEachWord calls fn with the byte offsets of each word of b, and whether
// it is a run of CJK characters.
func forEachWord(b []byte, fn func(start, end int, cjk bool)) {
	start, inCJK := -1, false
	for i := 0; i < len(b); {
		r, n := rune(b[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRune(b[i:])
		}
		word := isWordRune(r)
		c := word && isCJK(r)
		switch {
		case word && start >= 0 && (c == inCJK || unicode.IsMark(r)):
			// A mark stays with the run it follows.
		case word:
			if start >= 0 {
				fn(start, i, inCJK)
			}
			start, inCJK = i, c
		case start >= 0 && !inCJK && isApostrophe(r):
			// An apostrophe joins two runs only when a word rune of the
			// same kind follows.
			if next, _ := utf8.DecodeRune(b[i+n:]); i+n < len(b) && isWordRune(next) && !isCJK(next) {
				break
			}
			fn(start, i, inCJK)
			start = -1
		case start >= 0:
			fn(start, i, inCJK)
			start = -1
		}
		i += n
	}
	if start >= 0 {
		fn(start, len(b), inCJK)
	}
}

// fold returns the word w as it is typed without accents: its Latin letters
// without their diacritics, and ß as ss.
func fold(w string) string {
	latin := false
	for _, r := range w {
		if r >= 0xC0 && unicode.Is(unicode.Latin, r) {
			latin = true
			break
		}
	}
	if !latin {
		return w
	}
	d := unorm.NFD.String(w)
	var b strings.Builder
	b.Grow(len(d))
	prevLatin := false
	for _, r := range d {
		switch {
		case unicode.Is(unicode.Mn, r) && prevLatin:
			continue
		case r == 'ß':
			b.WriteString("ss")
		default:
			b.WriteRune(r)
		}
		prevLatin = unicode.Is(unicode.Latin, r)
	}
	return unorm.NFC.String(b.String())
}
