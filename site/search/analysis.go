package search

import (
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
	analyzerName  = "promptsite_en"
)

func init() {
	if err := registry.RegisterTokenizer(tokenizerName, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return wordTokenizer{}, nil
	}); err != nil {
		panic(err)
	}
}

// addAnalyzer registers the analyzer in m.
func addAnalyzer(m *mapping.IndexMappingImpl) error {
	return m.AddCustomAnalyzer(analyzerName, map[string]any{
		"type":      custom.Name,
		"tokenizer": tokenizerName,
		"token_filters": []string{
			en.PossessiveName,
			lowercase.Name,
			en.StopName,
			porter.Name,
		},
	})
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
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' }

// forEachWord calls fn with the byte offsets of each word of b.
func forEachWord(b []byte, fn func(start, end int)) {
	start := -1
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
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
