package search

import (
	"strings"
	"sync"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/promptsite/promptsite/site/model"
)

// Language returns the language most of the library's text is written in,
// as a BCP 47 tag. Text that is mostly CJK characters is Chinese ("zh"),
// Japanese ("ja", when kana are a tenth of them or more) or Korean ("ko",
// when Hangul outnumbers the rest). Other text is in the language among
// those bleve has stop words for whose stop words are the most frequent,
// when they are frequent (an eighth of the words or more) and clearly more
// frequent than English ones; else it is English. Prompts and categories
// whose front matter gives their language do not count.
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
				d.add(p.Text)
			}
			if d.words+d.cjk > maxDetect {
				break
			}
		}
	}
	return d.language()
}

// maxDetect is how many words Language reads at most.
const maxDetect = 100_000

// detector counts what tells languages apart.
type detector struct {
	words, cjk, kana, hangul int
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
	if len(d.lower) == 0 {
		return "en"
	}
	stops := stopWords()
	share := func(lang string) float64 { return stopShare(d.lower, stops[lang]) }
	best, bestShare := "", 0.0
	for _, lang := range stopLanguages {
		if sh := share(lang); sh > bestShare {
			best, bestShare = lang, sh
		}
	}
	if bestShare >= 0.125 && bestShare > 1.5*share("en") {
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

func stopShare(words []string, stop analysis.TokenMap) float64 {
	n := 0
	for _, w := range words {
		if stop[w] {
			n++
		}
	}
	return float64(n) / float64(len(words))
}
