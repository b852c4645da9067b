package search

import (
	"math/bits"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/promptsite/promptsite/site/model"
)

// Language returns the language most of the library's text is written in,
// as a BCP 47 tag; the text of code blocks does not count. Text that is
// mostly CJK characters is Chinese ("zh"), Japanese ("ja", when kana are a
// tenth of them or more) or Korean ("ko", when Hangul outnumbers the rest);
// text mostly in Arabic or Hebrew script is Arabic or Hebrew. Other text of
// minDetect words or more is in the language among those bleve has stop
// words for whose stop words are the most frequent, when they are frequent
// (an eighth of the words or more) and clearly more frequent than English
// ones; else it is English. Prompts and categories whose front matter gives
// their language do not count.
func Language(s *model.Site) string {
	var d detector
	for _, c := range s.Categories {
		if c.Lang != "" {
			continue
		}
		d.add(c.Title)
		d.add(c.IntroText)
		for _, p := range c.Prompts {
			if p.Lang == "" {
				d.add(p.Title)
				d.add(words(p))
			}
			if d.words+d.cjk > maxDetect {
				break
			}
		}
	}
	return d.language()
}

// maxDetect is how many words Language reads at most: enough to tell a
// language, and a small part of a large library.
const maxDetect = 20_000

// minDetect is how many words Language needs to tell a language other than
// English by its stop words: a few words of a short library, such as a
// "todo" or a "de" in a name, say nothing of its language.
const minDetect = 200

// detector counts what tells languages apart.
type detector struct {
	words, cjk, kana, hangul int
	arabic, hebrew           int      // words in those scripts
	lower                    []string // the words, lower-cased
}

func (d *detector) add(text string) {
	if d.words+d.cjk > maxDetect {
		return
	}
	forEachWord([]byte(text), func(start, end int, cjk bool) {
		w := text[start:end]
		if !cjk {
			d.words++
			d.lower = append(d.lower, strings.ToLower(w))
			switch r, _ := utf8.DecodeRuneInString(w); {
			case unicode.Is(unicode.Arabic, r):
				d.arabic++
			case unicode.Is(unicode.Hebrew, r):
				d.hebrew++
			}
			return
		}
		for _, r := range w {
			d.cjk++
			switch {
			case unicode.In(r, unicode.Hiragana, unicode.Katakana) || r == 0x30FC:
				d.kana++
			case unicode.Is(unicode.Hangul, r):
				d.hangul++
			}
		}
	})
}

func (d *detector) language() string {
	// A CJK character says about as much as a word of other scripts.
	if d.cjk > d.words {
		switch {
		case d.hangul*2 > d.cjk:
			return "ko"
		case d.kana*10 >= d.cjk:
			return "ja"
		}
		return "zh"
	}
	switch {
	case d.arabic*2 > d.words:
		return "ar"
	case d.hebrew*2 > d.words:
		return "he"
	case len(d.lower) < minDetect:
		return "en"
	}
	// One look-up a word tells which languages' stop words it is.
	langs := stopLangs()
	var counts [32]int
	for _, w := range d.lower {
		for m := langs[w]; m != 0; m &= m - 1 {
			counts[bits.TrailingZeros32(m)]++
		}
	}
	share := func(i int) float64 { return float64(counts[i]) / float64(len(d.lower)) }
	best, bestShare := "", 0.0
	for i, lang := range stopLanguages {
		if sh := share(i + 1); sh > bestShare {
			best, bestShare = lang, sh
		}
	}
	if bestShare >= 0.125 && bestShare > 1.5*share(0) {
		return best
	}
	return "en"
}

// stopLanguages are the languages, other than English, that Language can
// tell by their stop words.
var stopLanguages = []string{"da", "de", "es", "fi", "fr", "hu", "it", "nl", "no", "pt", "ro", "ru", "sv", "tr"}

// stopWords returns bleve's stop words of English and of stopLanguages,
// read once.
var stopWords = sync.OnceValue(func() map[string]analysis.TokenMap {
	cache := registry.NewCache()
	m := map[string]analysis.TokenMap{}
	for _, lang := range append([]string{"en"}, stopLanguages...) {
		if tm, err := cache.TokenMapNamed("stop_" + lang); err == nil {
			m[lang] = tm
		}
	}
	return m
})

// stopLangs maps each stop word of stopWords to the languages it is a
// stop word of: bit 0 for English, bit i+1 for stopLanguages[i].
var stopLangs = sync.OnceValue(func() map[string]uint32 {
	stops := stopWords()
	m := map[string]uint32{}
	for i, lang := range append([]string{"en"}, stopLanguages...) {
		for w := range stops[lang] {
			m[w] |= 1 << i
		}
	}
	return m
})

// words returns the text of p that is written in a language of people: its
// text without the code blocks in a programming language. A fenced block
// with no language, or marked as text or markdown, holds a prompt.
func words(p *model.Prompt) string {
	return without(p, func(b model.CodeBlock) bool {
		switch strings.ToLower(b.Lang) {
		case "", "text", "txt", "plaintext", "plain", "markdown", "md", "prompt":
			return false
		}
		return true
	})
}
