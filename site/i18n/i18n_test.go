package i18n

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestMatch(t *testing.T) {
	for tag, want := range map[string]string{
		"en": "en", "en-US": "en", "EN-gb": "en", "": "en", "xx": "en", "ru": "en", "x-klingon": "en",
		"pt": "pt", "pt-BR": "pt", "pt-PT": "pt", "pt_BR": "pt",
		"zh": "zh", "zh-CN": "zh", "zh-Hans": "zh", "zh-Hans-CN": "zh", "zh-SG": "zh", "zh-Hans-HK": "zh",
		"zh-TW": "zh-Hant", "zh-HK": "zh-Hant", "zh-MO": "zh-Hant", "zh-Hant": "zh-Hant", "zh-Hant-TW": "zh-Hant",
		"ja": "ja", "ja-JP": "ja", "ko-KR": "ko", "de-CH": "de", "es-419": "es", "fr-CA": "fr",
		"ar": "ar", "ar-EG": "ar", "he": "he", "he-IL": "he", "iw": "he",
	} {
		if got := Match(tag); got != want {
			t.Errorf("Match(%q) = %q; want %q", tag, got, want)
		}
	}
	for _, lang := range Languages() {
		if got := Match(lang); got != lang {
			t.Errorf("Match(%q) = %q; want the catalog's own language", lang, got)
		}
	}
}

func TestRTL(t *testing.T) {
	for tag, want := range map[string]bool{
		"ar": true, "ar-EG": true, "he": true, "iw": true, "fa-IR": true, "ur": true, "ps": true, "yi": true, "ckb": true,
		"az-Arab": true, "pa-Arab": true, "uz-Arab-AF": true,
		"en": false, "zh-Hans-CN": false, "ja": false, "": false, "ku-Latn": false, "sd-Deva": false, "az": false, "arn": false,
	} {
		if got := RTL(tag); got != want {
			t.Errorf("RTL(%q) = %v; want %v", tag, got, want)
		}
	}
}

// TestPlural checks the plural rules on numbers whose category CLDR gives.
func TestPlural(t *testing.T) {
	for _, tt := range []struct {
		lang string
		want map[int]string
	}{
		{"en", map[int]string{0: "other", 1: "one", 2: "other", 11: "other", 21: "other"}},
		{"de", map[int]string{0: "other", 1: "one", 5: "other"}},
		{"fr", map[int]string{0: "one", 1: "one", 2: "other", 100: "other"}},
		{"pt", map[int]string{0: "one", 1: "one", 2: "other"}},
		{"zh", map[int]string{0: "other", 1: "other", 2: "other"}},
		{"ja", map[int]string{1: "other"}},
		{"ar", map[int]string{0: "zero", 1: "one", 2: "two", 3: "few", 10: "few", 11: "many", 99: "many",
			100: "other", 101: "other", 102: "other", 103: "few", 111: "many", 1000: "other"}},
		{"he", map[int]string{0: "other", 1: "one", 2: "two", 3: "other", 10: "other", 20: "other"}},
	} {
		for n, want := range tt.want {
			if got := Plural(tt.lang, n); got != want {
				t.Errorf("Plural(%q, %d) = %q; want %q", tt.lang, n, got, want)
			}
			if got := categories(tt.lang); !slices.Contains(got, Plural(tt.lang, n)) {
				t.Errorf("%s: Plural gives %q for %d, which is not among its categories %q", tt.lang, Plural(tt.lang, n), n, got)
			}
		}
	}
}

// TestCatalogsComplete checks that every catalog has every string, each
// plural one in every category of its language, and nothing else.
func TestCatalogsComplete(t *testing.T) {
	if len(catalogs) < 10 {
		t.Errorf("%d catalogs; want at least 10", len(catalogs))
	}
	for lang, cat := range catalogs {
		want := map[string]bool{}
		for _, d := range defs {
			if !d.plural {
				want[d.key] = true
				continue
			}
			for _, c := range categories(lang) {
				want[d.key+"_"+c] = true
			}
		}
		for k := range want {
			if strings.TrimSpace(cat[k]) == "" {
				t.Errorf("%s: no string for %s", lang, k)
			}
		}
		for k := range cat {
			if !want[k] {
				t.Errorf("%s: %s is not a string of the interface, or not a plural category of %s", lang, k, lang)
			}
		}
	}
}

// TestPlaceholdersIntact checks that every translation holds the
// placeholders of its English string, and no other. A plural form for a
// single number, such as Arabic's "two", may say the number in words.
func TestPlaceholdersIntact(t *testing.T) {
	for lang, cat := range catalogs {
		for k, v := range cat {
			d, c := lookup(k)
			if d == nil {
				continue // TestCatalogsComplete reports it
			}
			if msg := Check(k, v); msg != "" {
				t.Errorf("%s: %s = %q: %s", lang, k, v, msg)
			}
			got := Placeholders(v)
			for _, p := range d.params {
				if !slices.Contains(got, p) {
					t.Errorf("%s: %s = %q lacks {%s}", lang, k, v, p)
				}
			}
			if d.plural && strings.Contains(en[d.key+"_other"], "{count}") && !exact(lang, c) && !slices.Contains(got, "count") {
				t.Errorf("%s: %s = %q lacks {count}, and the %q form of %s is for more than one number", lang, k, v, c, lang)
			}
			if strings.Count(v, "{") != strings.Count(v, "}") {
				t.Errorf("%s: %s = %q has unbalanced braces", lang, k, v)
			}
		}
	}
}

// TestTranslated checks that each catalog but English's is a translation:
// few of its strings are the English ones, as loanwords such as "prompt".
func TestTranslated(t *testing.T) {
	for lang, cat := range catalogs {
		if lang == "en" {
			continue
		}
		same := 0
		for k, v := range cat {
			if v == en[k] && k != "list_separator" {
				same++
			}
		}
		if same > 6 { // loanwords such as "prompt" and "Tags"
			t.Errorf("%s: %d strings are the English ones", lang, same)
		}
	}
}

func TestT(t *testing.T) {
	en, zh, ar := For("en"), For("zh-CN"), For("ar")
	for _, tt := range []struct{ got, want string }{
		{en.T("copy"), "Copy"},
		{zh.T("copy"), "复制"},
		{en.T("copy_link_to", "title", "Retry"), "Copy link to Retry"},
		{zh.T("copy_link_to", "title", "重试"), "复制链接：重试"},
		{en.T("open_in_title", "title", "T", "service", "Claude"), "Open in Claude: T"},
		// A value is not read for placeholders, nor is a placeholder with
		// no value filled in.
		{en.T("copy_link_to", "title", "{title} and {service}"), "Copy link to {title} and {service}"},
		{en.T("copy_link_to"), "Copy link to {title}"},
		{en.T("no_such_key"), "no_such_key"},
		{en.N("results", 1), "1 result"},
		{en.N("results", 0), "0 results"},
		{en.N("results", 12), "12 results"},
		{For("fr").N("results", 0), "0 résultat"},
		{zh.N("results", 1), "找到 1 个结果"},
		{ar.N("results", 1), "نتيجة واحدة"},
		{ar.N("results", 2), "نتيجتان"},
		{ar.N("results", 5), "5 نتائج"},
		{ar.N("results", 11), "11 نتيجة"},
		{ar.N("results", 100), "100 نتيجة"},
		{en.N("category_description", 2, "titles", "A, B"), "2 prompts: A, B."},
		{en.N("tags_description", 1, "site", "S"), "The 1 tag of S."},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q; want %q", tt.got, tt.want)
		}
	}
	b, a := For("de").Split("not_found_text", "home")
	if !strings.HasSuffix(b, "auf der ") || !strings.HasPrefix(a, " oder") {
		t.Errorf("Split(not_found_text, home) = %q, %q; want the text around {home}", b, a)
	}
	b, a = For("en").Split("updated", "date")
	if b != "Updated " || a != "" {
		t.Errorf("Split(updated, date) = %q, %q; want \"Updated \", \"\"", b, a)
	}
}

// TestFallback checks that a string a catalog lacks is English, as is every
// string of a language promptsite does not speak.
func TestFallback(t *testing.T) {
	if got := For("ru").T("copy"); got != "Copy" {
		t.Errorf("For(ru).T(copy) = %q; want English", got)
	}
	lacking := &Strings{lang: "de", m: map[string]string{"copy": "Kopieren"}}
	for _, tt := range []struct{ got, want string }{
		{lacking.T("copy"), "Kopieren"},
		{lacking.T("copied"), "Copied"},
		{lacking.N("results", 2), "2 results"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q; want %q", tt.got, tt.want)
		}
	}
	// A plural form the catalog lacks is its "other" form.
	other := &Strings{lang: "ar", m: map[string]string{"results_other": "{count} نتيجة"}}
	if got := other.N("results", 3); got != "3 نتيجة" {
		t.Errorf("N(results, 3) with only the other form = %q; want it", got)
	}
}

func TestWith(t *testing.T) {
	base := For("de")
	s := base.With(map[string]string{"copy": "Kopie", "results_one": "ein Treffer", "no_such": "x"})
	if s.T("copy") != "Kopie" || s.N("results", 1) != "ein Treffer" || s.N("results", 2) != "2 Ergebnisse" {
		t.Errorf("With: copy %q, results %q, %q", s.T("copy"), s.N("results", 1), s.N("results", 2))
	}
	if base.T("copy") != "Kopieren" {
		t.Errorf("With changed the catalog: %q", base.T("copy"))
	}
	if _, ok := s.m["no_such"]; ok {
		t.Error("With kept an unknown key")
	}
}

func TestKeys(t *testing.T) {
	keys := Keys()
	for _, k := range []string{"copy", "copy_link_to", "results_one", "results_other", "results_few", "search_prompts"} {
		if !slices.Contains(keys, k) || !Known(k) {
			t.Errorf("%s is not a key", k)
		}
	}
	for _, k := range []string{"results", "results_", "results_dual", "copy_one", "", "_other", "Copy"} {
		if slices.Contains(keys, k) || Known(k) {
			t.Errorf("%q is a key", k)
		}
	}
	if !slices.IsSorted(keys) {
		t.Error("Keys are not sorted")
	}
	if got := Params("results_few"); !slices.Equal(got, []string{"count"}) {
		t.Errorf("Params(results_few) = %q", got)
	}
	if got := Params("tag_description_one"); !slices.Equal(got, []string{"tag", "titles", "count"}) {
		t.Errorf("Params(tag_description_one) = %q", got)
	}
}

func TestCheck(t *testing.T) {
	for _, tt := range []struct{ key, s, want string }{
		{"copy", "Kopieren", ""},
		{"copy", "{x}", "{x} is not a placeholder of copy, which takes none"},
		{"copy_link_to", "Link {title}", ""},
		{"copy_link_to", "Link", ""},
		{"copy_link_to", "Link to {titel}", "{titel} is not a placeholder of copy_link_to; it takes {title}"},
		{"open_in_title", "{service} {title} {site}", "{site} is not a placeholder of open_in_title; it takes {service} and {title}"},
		{"results_other", "{count} hits", ""},
		{"tag_description_one", "{x}", "{x} is not a placeholder of tag_description_one; it takes {tag}, {titles} and {count}"},
		{"copy", "{not a name} {}", ""},
	} {
		if got := Check(tt.key, tt.s); got != tt.want {
			t.Errorf("Check(%q, %q) = %q; want %q", tt.key, tt.s, got, tt.want)
		}
	}
}

// TestScript checks the strings a page gives its scripts: every string
// they use, the plural forms of its language, and the language of the
// plural rules when the page's is not the catalog's.
func TestScript(t *testing.T) {
	for _, tt := range []struct {
		tag      string
		has      []string
		lacks    []string
		pluralIn string
	}{
		{"en", []string{"copied", "results_one", "results_other", "no_results_for", "search_failed"}, []string{"lang", "copy", "results_few"}, ""},
		{"en-GB", nil, []string{"lang"}, ""},
		{"zh-Hans-CN", []string{"results_other"}, []string{"results_one", "lang"}, ""},
		{"zh-TW", []string{"results_other"}, []string{"lang"}, ""},
		{"ar", []string{"results_zero", "results_few", "results_many"}, []string{"lang"}, ""},
		{"ru", []string{"results_one"}, nil, "en"},
	} {
		var m map[string]string
		if err := json.Unmarshal([]byte(For(tt.tag).Script(tt.tag)), &m); err != nil {
			t.Fatalf("%s: %v", tt.tag, err)
		}
		for _, d := range defs {
			if d.script && !d.plural && m[d.key] == "" {
				t.Errorf("%s: no %s for the scripts", tt.tag, d.key)
			}
		}
		for _, k := range tt.has {
			if m[k] == "" {
				t.Errorf("%s: no %s for the scripts", tt.tag, k)
			}
		}
		for _, k := range tt.lacks {
			if _, ok := m[k]; ok {
				t.Errorf("%s: the scripts are given %s", tt.tag, k)
			}
		}
		if m["lang"] != tt.pluralIn {
			t.Errorf("%s: lang %q; want %q", tt.tag, m["lang"], tt.pluralIn)
		}
	}
	if a, b := For("de").Script("de"), For("de").Script("de"); a != b {
		t.Errorf("Script gives different bytes each time:\n%s\n%s", a, b)
	}
}

// TestLabelInName checks that a button's or link's accessible name, which
// names the prompt it acts on, holds the words it shows, as WCAG's "label
// in name" asks and axe-core checks: "Copy link to Retry" holds "Copy link".
func TestLabelInName(t *testing.T) {
	for lang := range catalogs {
		s := For(lang)
		for _, p := range []struct{ shown, name string }{
			{s.T("copy_link"), s.T("copy_link_to", "title", "X")},
			{s.T("edit"), s.T("edit_title", "title", "X")},
			{s.T("fill_in"), s.T("fill_in_title", "title", "X")},
			{s.T("open_in", "service", "ChatGPT"), s.T("open_in_title", "service", "ChatGPT", "title", "X")},
			{"12", s.T("page_number", "number", "12")}, // a page's link shows its number
		} {
			if !strings.Contains(strings.ToLower(p.name), strings.ToLower(p.shown)) {
				t.Errorf("%s: the name %q does not hold the label %q", lang, p.name, p.shown)
			}
		}
	}
}

func TestIsTag(t *testing.T) {
	for s, want := range map[string]bool{
		"en": true, "pt-BR": true, "zh-Hans-CN": true, "de-1996": true, "yue": true,
		"": false, "e": false, "english": false, "en_US": false, "en-": false, "12": false, "zh-Hans-CN-abcdefghi": false,
	} {
		if IsTag(s) != want {
			t.Errorf("IsTag(%q) = %v; want %v", s, !want, want)
		}
	}
}
