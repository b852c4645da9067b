package search

import (
	"bytes"
	"fmt"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
)

// The analyzer is bleve's English analyzer ("en": possessive, lower case,
// English stop words, Porter stemmer) with one change: its tokenizer splits
// text into runs of letters, digits and marks, joined across an apostrophe.
// Bleve's unicode tokenizer keeps "asyncio.timeout" or "httpx.AsyncClient"
// whole, which hides code words from a search, and a browser could not
// reproduce its word breaks without shipping the segmenter. This rule is one
// regular expression in search.js: /[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{N}\p{M}]+)*/gu.
const (
	tokenizerName = "promptsite_words"
	termsName     = "promptsite_en_terms"
	analyzerName  = "promptsite_en"
)

// englishFilters are the token filters of bleve's English analyzer, in
// its order.
var englishFilters = []string{en.PossessiveName, lowercase.Name, en.StopName, porter.Name}

func init() {
	if err := registry.RegisterTokenizer(tokenizerName, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return wordTokenizer{}, nil
	}); err != nil {
		panic(err)
	}
	if err := registry.RegisterTokenFilter(termsName, func(_ map[string]any, cache *registry.Cache) (analysis.TokenFilter, error) {
		f := &termFilter{terms: map[string]term{}}
		for _, name := range englishFilters {
			tf, err := cache.TokenFilterNamed(name)
			if err != nil {
				return nil, err
			}
			f.chain = append(f.chain, tf)
		}
		return f, nil
	}); err != nil {
		panic(err)
	}
}

// addAnalyzer registers the analyzer in m.
func addAnalyzer(m *mapping.IndexMappingImpl) error {
	return m.AddCustomAnalyzer(analyzerName, map[string]any{
		"type":          custom.Name,
		"tokenizer":     tokenizerName,
		"token_filters": []string{termsName},
	})
}

// termFilter runs bleve's English token filters over a stream, each
// spelling of a word once: a library of 10,000 prompts has some 2 million
// words but only thousands of spellings, and the Porter stemmer was the
// biggest cost of indexing it. It gives what the filters give, as each of
// them looks at one token alone: the possessive filter, lower-casing and
// stemming change its term, the stop filter drops it
// (TestTermFilterIsBlevesChain checks it).
type termFilter struct {
	chain []analysis.TokenFilter
	mu    sync.RWMutex
	terms map[string]term // by spelling
}

// term is what the filters make of a spelling.
type term struct {
	text []byte
	kept bool // false when the filters drop the word, as a stop word
}

func (f *termFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := input[:0]
	for _, tok := range input {
		if tok.KeyWord {
			// Kept from stemming: not a token like the others. Our
			// tokenizer makes none.
			if rest := f.run(tok); rest != nil {
				out = append(out, rest...)
			}
			continue
		}
		f.mu.RLock()
		t, ok := f.terms[string(tok.Term)]
		f.mu.RUnlock()
		if !ok {
			t = f.learn(tok.Term)
		}
		if t.kept {
			// The term is shared by every token of this spelling;
			// nothing after this filter changes a term in place.
			tok.Term = t.text
			out = append(out, tok)
		}
	}
	return out
}

// learn runs the filters on one spelling and keeps the result.
func (f *termFilter) learn(spelling []byte) term {
	tok := &analysis.Token{Term: bytes.Clone(spelling), Type: analysis.AlphaNumeric}
	var t term
	switch rest := f.run(tok); len(rest) {
	case 0:
	case 1:
		t = term{text: rest[0].Term, kept: true}
	default:
		panic(fmt.Sprintf("search: a token filter made %d tokens of %q", len(rest), spelling))
	}
	f.mu.Lock()
	f.terms[string(spelling)] = t
	f.mu.Unlock()
	return t
}

func (f *termFilter) run(tok *analysis.Token) analysis.TokenStream {
	ts := analysis.TokenStream{tok}
	for _, c := range f.chain {
		ts = c.Filter(ts)
	}
	return ts
}

type wordTokenizer struct{}

func (wordTokenizer) Tokenize(input []byte) analysis.TokenStream {
	var rv analysis.TokenStream
	forEachWord(input, func(start, end int) {
		rv = append(rv, &analysis.Token{
			Term:     input[start:end],
			Start:    start,
			End:      end,
			Position: len(rv) + 1,
			Type:     analysis.AlphaNumeric,
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

func isApostrophe(r rune) bool { return r == '\'' || r == '’' }

// forEachWord calls fn with the byte offsets of each word of b.
func forEachWord(b []byte, fn func(start, end int)) {
	start := -1
	for i := 0; i < len(b); {
		r, n := rune(b[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRune(b[i:])
		}
		switch {
		case isWordRune(r):
			if start < 0 {
				start = i
			}
		case start >= 0 && isApostrophe(r):
			// An apostrophe joins two runs only when a word rune follows.
			if next, _ := utf8.DecodeRune(b[i+n:]); i+n < len(b) && isWordRune(next) {
				break
			}
			fn(start, i)
			start = -1
		case start >= 0:
			fn(start, i)
			start = -1
		}
		i += n
	}
	if start >= 0 {
		fn(start, len(b))
	}
}
