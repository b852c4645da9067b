package search

import (
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
)

// Query reading. search.js implements the same rules with the same
// parameters, which the static index carries in its manifest.
const (
	minPrefix       = 2   // the last word is completed once it has this many letters
	maxPrefixChunks = 2   // … and when its completions span at most this many chunks
	prefixBoost     = 0.5 // the weight of a completion of the last word
	minTypo         = 4   // words this long may have one typo
	typoBoost       = 0.5 // the weight of a word matched with one typo
	maxSuffix       = 3   // … or with another ending of at most this many letters
	maxWords        = 32  // a query's words past this many are not read
)

// alt is one analysed term a query word stands for, with its weight.
type alt struct {
	term  string
	boost float64
}

// word is one word of a query and the terms it stands for, sorted.
type word struct {
	text string
	alts []alt
}

// qword is a word of a query as the analyzer's tokenizer splits it, or one
// term of a run of CJK characters: a pair of them, or a lone one.
type qword struct {
	text string
	cjk  bool
}

// queryWords splits q into lower-case words, as the analyzer's tokenizer
// does, and each run of CJK characters into the terms the analysis makes
// of it, at most maxWords of them in all; and tells whether the last word
// is still being typed (nothing follows it).
func queryWords(q string) (words []qword, open bool) {
	lower := strings.ToLower(q)
	end, n := 0, 0
	forEachWord([]byte(lower), func(s, e int, cjk bool) {
		if !cjk {
			if n++; n <= maxWords {
				words = append(words, qword{text: lower[s:e]})
			}
		} else {
			for _, t := range cjkTerms(lower[s:e]) {
				if n++; n <= maxWords {
					words = append(words, qword{text: t, cjk: true})
				}
			}
		}
		end = e
	})
	return words, len(words) > 0 && n <= maxWords && end == len(lower)
}

// cjkTerms returns the terms of a run of CJK characters, as bleve's CJK
// filters make them: folded to one width, then each pair of neighbours, or
// the one character of a run of one.
func cjkTerms(run string) []string {
	tok := &analysis.Token{Term: []byte(run), Type: analysis.Ideographic}
	cjk.NewCJKWidthFilter().Filter(analysis.TokenStream{tok})
	var out []string
	for _, t := range cjk.NewCJKBigramFilter(false).Filter(analysis.TokenStream{tok}) {
		out = append(out, string(t.Term))
	}
	return out
}

// expand reads a query the way search.js does. Each word stands for the
// terms of the same surface word in the content. A run of CJK characters
// stands for its pairs of characters, each a word; a lone CJK character
// stands for itself and, as a prefix, for the pairs it begins when those
// lie in at most maxPrefixChunks chunks. The last word, while open,
// also stands for the terms of the surface words it begins (when it has at
// least minPrefix letters and those words lie in at most maxPrefixChunks
// chunks). A word that neither is nor begins a surface word, of at least
// minTypo letters, stands for the surface words one edit away from it
// without its accents (a
// transposition counts as one edit), and for those that differ from it only
// in their last maxSuffix letters or fewer ("mocking" for "mock", since the
// browser has no stemmer for words the content lacks), among the surface
// words in the chunks fetched for it. Words that stand for nothing are
// dropped.
func (ix *Index) expand(q string) []word {
	texts, open := queryWords(q)
	var out []word
	for i, qw := range texts {
		w := qw.text
		alts := map[string]float64{}
		add := func(s string, b float64) {
			for _, t := range ix.surface[s] {
				if alts[t] < b {
					alts[t] = b
				}
			}
		}
		if qw.cjk {
			if ix.postings[w] != nil {
				alts[w] = 1
			}
			if utf8.RuneCountInString(w) == 1 {
				if lo, hi := ix.prefixChunks(w); hi-lo < maxPrefixChunks {
					for _, k := range ix.keys[sort.SearchStrings(ix.keys, w):] {
						if !strings.HasPrefix(k, w) {
							break
						}
						if ix.postings[k] != nil && alts[k] < prefixBoost {
							alts[k] = prefixBoost
						}
					}
				}
			}
			if len(alts) > 0 {
				out = append(out, newWord(w, alts))
			}
			continue
		}
		add(w, 1)
		last := open && i == len(texts)-1
		lo, hi := ix.chunkOf(w), ix.chunkOf(w)
		if last && utf8.RuneCountInString(w) >= minPrefix {
			if plo, phi := ix.prefixChunks(w); phi-plo < maxPrefixChunks {
				lo, hi = plo, phi
				for _, s := range ix.words[sort.SearchStrings(ix.words, w):] {
					if !strings.HasPrefix(s, w) {
						break
					}
					add(s, prefixBoost)
				}
			}
		}
		if _, known := ix.surface[w]; len(alts) == 0 && !known && utf8.RuneCountInString(w) >= minTypo {
			// Typed without its accents, the word is compared with
			// the words without theirs (see fold), in their chunks.
			fw := fold(w)
			if fw != w {
				lo, hi = ix.chunkOf(fw), ix.chunkOf(fw)
				if last && utf8.RuneCountInString(fw) >= minPrefix {
					if plo, phi := ix.prefixChunks(fw); phi-plo < maxPrefixChunks {
						lo, hi = plo, phi
					}
				}
			}
			rw := []rune(fw)
			for _, s := range ix.wordsIn(lo, hi) {
				if rs := []rune(s); oneTypo(rw, rs, last) || sameStem(rw, rs) {
					add(s, typoBoost)
				}
			}
		}
		if len(alts) > 0 {
			out = append(out, newWord(w, alts))
		}
	}
	return out
}

// newWord returns the word text standing for the terms alts, with their
// weights.
func newWord(text string, alts map[string]float64) word {
	wd := word{text: text}
	for t, b := range alts {
		wd.alts = append(wd.alts, alt{t, b})
	}
	slices.SortFunc(wd.alts, func(a, b alt) int { return strings.Compare(a.term, b.term) })
	return wd
}

// chunkOf returns the chunk that holds key.
func (ix *Index) chunkOf(key string) int {
	return sort.Search(len(ix.starts), func(i int) bool { return ix.starts[i] > key }) - 1
}

// prefixChunks returns the first and last chunk that hold keys beginning
// with p.
func (ix *Index) prefixChunks(p string) (lo, hi int) {
	hi = sort.Search(len(ix.starts), func(i int) bool {
		return ix.starts[i] > p && !strings.HasPrefix(ix.starts[i], p)
	}) - 1
	return ix.chunkOf(p), hi
}

// wordsIn returns the surface words held by chunks lo to hi.
func (ix *Index) wordsIn(lo, hi int) []string {
	i := sort.SearchStrings(ix.words, ix.starts[lo])
	j := len(ix.words)
	if hi+1 < len(ix.starts) {
		j = sort.SearchStrings(ix.words, ix.starts[hi+1])
	}
	return ix.words[i:j]
}

// oneTypo reports whether s is one edit (insertion, deletion, substitution
// or transposition of neighbours) from w; with prefix, whether some
// beginning of s is at most one edit from w.
func oneTypo(w, s []rune, prefix bool) bool {
	if !prefix {
		return withinOne(w, s)
	}
	for l := len(w) - 1; l <= len(w)+1; l++ {
		if l <= len(s) && withinOne(w, s[:l]) {
			return true
		}
	}
	return false
}

// sameStem reports whether w and s share a beginning of at least minTypo
// letters and differ only in at most maxSuffix letters after it.
func sameStem(w, s []rune) bool {
	i := 0
	for i < len(w) && i < len(s) && w[i] == s[i] {
		i++
	}
	return i >= minTypo && len(w)-i <= maxSuffix && len(s)-i <= maxSuffix
}

// withinOne reports whether the optimal string alignment distance between a
// and b is at most one.
func withinOne(a, b []rune) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	switch len(a) - len(b) {
	case 0:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		if i >= len(a)-1 {
			return true // equal, or differ in the last letter only
		}
		if slices.Equal(a[i+1:], b[i+1:]) {
			return true // substitution
		}
		return a[i] == b[i+1] && a[i+1] == b[i] && slices.Equal(a[i+2:], b[i+2:])
	case 1:
		i := 0
		for i < len(b) && a[i] == b[i] {
			i++
		}
		return slices.Equal(a[i+1:], b[i:])
	}
	return false
}
