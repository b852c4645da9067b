// Package i18n holds the text of promptsite's interface, the words its
// pages and scripts show around a library's own, in each language it
// speaks, and picks the catalog for a page's language tag.
//
// A string is found by its key, such as "copy_link". A string may hold
// placeholders, a name in braces such as {title}, which the caller fills
// in. A string that counts something has a form for each plural category
// of its language (see Plural): the key "results" is "results_one" and
// "results_other" in English, and six keys in Arabic, and {count} holds
// the number.
package i18n

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// A def describes one string of the interface.
type def struct {
	key    string
	params []string // the placeholders it may hold
	plural bool     // it has a form for each plural category; {count} is the number
	script bool     // the page's scripts need it
}

// defs are the strings of the interface, in the order of the pages.
var defs = []def{
	{key: "skip"},
	{key: "repository"},
	{key: "categories"},
	{key: "search_prompts"},
	{key: "search_results"},
	{key: "on_this_page"},
	{key: "copy"},
	{key: "copy_prompt"},
	{key: "copy_page"},
	{key: "copy_link"},
	{key: "copy_link_to", params: []string{"title"}},
	{key: "link_to", params: []string{"title"}},
	{key: "edit"},
	{key: "edit_title", params: []string{"title"}},
	{key: "updated", params: []string{"date"}},
	{key: "previous"},
	{key: "next"},
	{key: "other_categories"},
	{key: "other_prompts"},
	{key: "pages"},
	{key: "page_number", params: []string{"number"}},
	{key: "page_of", params: []string{"page", "pages"}},
	{key: "breadcrumb"},
	{key: "tags"},
	{key: "fill_in"},
	{key: "fill_in_title", params: []string{"title"}},
	{key: "open_in", params: []string{"service"}},
	{key: "open_in_title", params: []string{"service", "title"}},
	{key: "not_found"},
	{key: "not_found_text", params: []string{"home"}},
	{key: "home_page"},
	{key: "moved_title"},
	{key: "moved"},
	{key: "moved_text"},
	{key: "go_to_new_place"},
	{key: "open_prompt_in", params: []string{"title", "category"}},
	{key: "list_separator"},
	{key: "prompts", plural: true},
	{key: "all_categories", plural: true},
	{key: "all_prompts", plural: true},
	{key: "tags_description", params: []string{"site"}, plural: true},
	{key: "tag_description", params: []string{"tag", "titles"}, plural: true},
	{key: "category_description", params: []string{"titles"}, plural: true},

	// The scripts': copy.js, prompt.js and search.js.
	{key: "copied", script: true},
	{key: "copy_failed", script: true},
	{key: "copy_failed_note", script: true},
	{key: "copied_page", script: true},
	{key: "copied_link", script: true},
	{key: "preview", script: true},
	{key: "copy_filled", script: true},
	{key: "copied_filled", script: true},
	{key: "fill_note", script: true},
	{key: "too_long_copied", script: true},
	{key: "too_long_not_copied", script: true},
	{key: "no_results", script: true},
	{key: "no_results_for", params: []string{"query"}, script: true},
	{key: "results", plural: true, script: true},
	{key: "search_failed", script: true},
}

var defByKey = map[string]*def{}

func init() {
	for i := range defs {
		defByKey[defs[i].key] = &defs[i]
	}
}

// Categories are the plural categories of CLDR, in its order.
var Categories = []string{"zero", "one", "two", "few", "many", "other"}

// catalogs are the strings of each language, by the tag of the language
// (see Match). A plural string's forms are under its key, "_" and the
// category.
var catalogs = map[string]map[string]string{
	"en": en, "zh": zh, "zh-Hant": zhHant, "ja": ja, "ko": ko,
	"de": de, "es": es, "fr": fr, "pt": pt, "ar": ar, "he": he,
}

// Languages returns the tags of the languages promptsite has a catalog
// for, sorted.
func Languages() []string { return slices.Sorted(maps.Keys(catalogs)) }

// Match returns the language of the catalog for tag, a BCP 47 language tag
// such as "pt-BR" or "zh-Hans-CN": the catalog of its language ("pt",
// "zh"), Traditional Chinese for "zh-Hant", "zh-TW", "zh-HK" and "zh-MO",
// and "en" for a language promptsite does not speak.
func Match(tag string) string {
	parts := strings.Split(strings.ToLower(strings.ReplaceAll(tag, "_", "-")), "-")
	lang := parts[0]
	switch lang {
	case "iw":
		lang = "he" // the code Hebrew had before 1989, which Java still gives
	case "zh":
		for _, p := range parts[1:] {
			switch p {
			case "hant", "tw", "hk", "mo":
				return "zh-Hant"
			case "hans":
				return "zh"
			}
		}
	}
	if _, ok := catalogs[lang]; ok {
		return lang
	}
	return "en"
}

// primary returns the language subtag of tag, in lower case.
func primary(tag string) string {
	p, _, _ := strings.Cut(strings.ToLower(strings.ReplaceAll(tag, "_", "-")), "-")
	if p == "iw" {
		return "he"
	}
	return p
}

// rtlLanguages are the languages written right to left when no script is
// named; rtlScripts the scripts written so.
var (
	rtlLanguages = []string{"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ps", "sd", "syr", "ug", "ur", "yi"}
	rtlScripts   = []string{"adlm", "arab", "hebr", "mand", "nkoo", "rohg", "samr", "syrc", "thaa"}
)

// RTL reports whether the language of tag is written right to left: by its
// script subtag when it has one ("az-Arab" is, "ku-Latn" is not), else by
// its language ("ar", "he", "fa", "ur", …).
func RTL(tag string) bool {
	parts := strings.Split(strings.ToLower(strings.ReplaceAll(tag, "_", "-")), "-")
	for _, p := range parts[1:] {
		if len(p) == 4 && p[0] >= 'a' && p[0] <= 'z' {
			return slices.Contains(rtlScripts, p)
		}
	}
	return slices.Contains(rtlLanguages, parts[0])
}

// Plural returns the CLDR plural category of the whole number n in lang, a
// language of Match: "one", "two", "few", "many", "zero" or "other". It
// follows CLDR's rules for whole numbers, as the browser's
// Intl.PluralRules does.
func Plural(lang string, n int) string {
	if n < 0 {
		n = -n
	}
	switch lang {
	case "zh", "zh-Hant", "ja", "ko":
		return "other"
	case "fr", "pt":
		if n <= 1 {
			return "one"
		}
	case "ar":
		switch m := n % 100; {
		case n == 0:
			return "zero"
		case n == 1:
			return "one"
		case n == 2:
			return "two"
		case m >= 3 && m <= 10:
			return "few"
		case m >= 11:
			return "many"
		}
	case "he":
		switch n {
		case 1:
			return "one"
		case 2:
			return "two"
		}
	default:
		if n == 1 {
			return "one"
		}
	}
	return "other"
}

// categories returns the plural categories lang uses.
func categories(lang string) []string {
	switch lang {
	case "zh", "zh-Hant", "ja", "ko":
		return []string{"other"}
	case "ar":
		return Categories
	case "he":
		return []string{"one", "two", "other"}
	}
	return []string{"one", "other"}
}

// exact reports whether the plural category cat of lang holds one number
// only, so that its form may say the number in words rather than hold
// {count}: English "one" is 1, but French "one" is 0 and 1.
func exact(lang, cat string) bool {
	switch {
	case cat == "zero" || cat == "two":
		return true
	case cat == "one":
		return lang != "fr" && lang != "pt"
	}
	return false
}

// Keys returns every key a library may set, sorted: each string's key, and
// for a plural string its key with each plural category, such as
// "results_one".
func Keys() []string {
	var keys []string
	for _, d := range defs {
		if !d.plural {
			keys = append(keys, d.key)
			continue
		}
		for _, c := range Categories {
			keys = append(keys, d.key+"_"+c)
		}
	}
	slices.Sort(keys)
	return keys
}

// Names returns the names of the strings in the order of the pages: the
// keys of Keys, but a plural string's bare key, such as "results", in place
// of its forms.
func Names() []string {
	names := make([]string, len(defs))
	for i, d := range defs {
		names[i] = d.key
	}
	return names
}

// IsPlural reports whether name, a name of Names, is a plural string, set
// by its forms: name, "_" and a plural category.
func IsPlural(name string) bool {
	d, ok := defByKey[name]
	return ok && d.plural
}

// lookup returns the def of key, a key of Keys, and the plural category it
// names, if any.
func lookup(key string) (*def, string) {
	if d, ok := defByKey[key]; ok && !d.plural {
		return d, ""
	}
	if i := strings.LastIndexByte(key, '_'); i > 0 {
		if d, ok := defByKey[key[:i]]; ok && d.plural && slices.Contains(Categories, key[i+1:]) {
			return d, key[i+1:]
		}
	}
	return nil, ""
}

// Known reports whether a library may set key.
func Known(key string) bool {
	d, _ := lookup(key)
	return d != nil
}

// Params returns the placeholders that the string of key may hold, such
// as ["title"]; a plural string's include "count".
func Params(key string) []string {
	d, _ := lookup(key)
	if d == nil {
		return nil
	}
	p := slices.Clone(d.params)
	if d.plural {
		p = append(p, "count")
	}
	return p
}

// Placeholders returns the placeholders s holds, in order, each once: the
// names in braces that can be placeholder names (letters, digits and _).
func Placeholders(s string) []string {
	var names []string
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			return names
		}
		s = s[i+1:]
		j := strings.IndexByte(s, '}')
		if j < 0 {
			return names
		}
		if name := s[:j]; isName(name) {
			if !slices.Contains(names, name) {
				names = append(names, name)
			}
			s = s[j+1:]
		}
	}
}

func isName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// Check checks s, a library's own string for key: it may hold only the
// placeholders of key. It returns a message saying what is wrong, or "".
func Check(key, s string) string {
	allowed := Params(key)
	for _, p := range Placeholders(s) {
		if slices.Contains(allowed, p) {
			continue
		}
		if len(allowed) == 0 {
			return "{" + p + "} is not a placeholder of " + key + ", which takes none"
		}
		return "{" + p + "} is not a placeholder of " + key + "; it takes " + braced(allowed)
	}
	return ""
}

func braced(names []string) string {
	b := make([]string, len(names))
	for i, n := range names {
		b[i] = "{" + n + "}"
	}
	if len(b) == 1 {
		return b[0]
	}
	return strings.Join(b[:len(b)-1], ", ") + " and " + b[len(b)-1]
}

// Strings are the interface strings of a page: a catalog, and a library's
// own strings over it.
type Strings struct {
	lang string            // the catalog's language, as Match gives it
	m    map[string]string // the library's strings, then the catalog's
}

// For returns the strings for tag, a BCP 47 language tag: the catalog Match
// picks, with English for any string it lacks.
func For(tag string) *Strings {
	lang := Match(tag)
	return &Strings{lang: lang, m: catalogs[lang]}
}

// With returns s with own, a library's strings by key, in place of the
// catalog's. Keys that Known rejects are left out.
func (s *Strings) With(own map[string]string) *Strings {
	if len(own) == 0 {
		return s
	}
	m := maps.Clone(s.m)
	for k, v := range own {
		if Known(k) {
			m[k] = v
		}
	}
	return &Strings{lang: s.lang, m: m}
}

// Lang returns the language of the catalog, as Match gives it.
func (s *Strings) Lang() string { return s.lang }

// get returns the string of key: the library's, the catalog's, or else
// English.
func (s *Strings) get(key string) string {
	if v, ok := s.m[key]; ok {
		return v
	}
	return en[key]
}

// T returns the string of key, with its placeholders filled in from args,
// pairs of a name and a value: T("copy_link_to", "title", "Retry") is
// "Copy link to Retry". A placeholder with no value is left as it is. An
// unknown key gives the key itself.
func (s *Strings) T(key string, args ...string) string {
	v, ok := s.m[key]
	if !ok {
		if v, ok = en[key]; !ok {
			return key
		}
	}
	return fill(v, args)
}

// N returns the form of the plural string key for the number n, with
// {count} filled in with n and the other placeholders from args, as T does.
func (s *Strings) N(key string, n int, args ...string) string {
	v, ok := s.m[key+"_"+Plural(s.lang, n)]
	if !ok {
		if v, ok = s.m[key+"_other"]; !ok {
			v = en[key+"_"+Plural("en", n)]
		}
	}
	return fill(v, append(args, "count", strconv.Itoa(n)))
}

// Split returns the string of key cut at its placeholder name, which the
// caller writes itself, such as a link: the text before it and the text
// after it, each with the other placeholders filled in from args. When the
// string lacks the placeholder, all of it is before.
func (s *Strings) Split(key, name string, args ...string) (before, after string) {
	v := s.get(key)
	if v == "" {
		v = key
	}
	b, a, _ := strings.Cut(v, "{"+name+"}")
	return fill(b, args), fill(a, args)
}

// fill replaces each placeholder of v that args, pairs of a name and a
// value, give a value for. Values are not read for placeholders.
func fill(v string, args []string) string {
	if len(args) < 2 || strings.IndexByte(v, '{') < 0 {
		return v
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(v, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(v[i:], '}')
		if j < 0 {
			break
		}
		name, val, ok := v[i+1:i+j], "", false
		for k := 0; k+1 < len(args); k += 2 {
			if args[k] == name {
				val, ok = args[k+1], true
				break
			}
		}
		if !ok {
			b.WriteString(v[:i+1])
			v = v[i+1:]
			continue
		}
		b.WriteString(v[:i])
		b.WriteString(val)
		v = v[i+j+1:]
	}
	b.WriteString(v)
	return b.String()
}

// Script returns the strings the page's scripts need, as a JSON object by
// key, plural strings by key and category for the categories of the
// catalog's language. When the catalog's language is not the page's, tag,
// the object's "lang" names it, so that the scripts choose plural forms by
// the rules of the language the strings are in.
func (s *Strings) Script(tag string) string {
	m := map[string]string{}
	for _, d := range defs {
		if !d.script {
			continue
		}
		if !d.plural {
			m[d.key] = s.get(d.key)
			continue
		}
		for _, c := range categories(s.lang) {
			k := d.key + "_" + c
			if v, ok := s.m[k]; ok {
				m[k] = v
			} else if v, ok := en[k]; ok {
				m[k] = v
			}
		}
	}
	if primary(tag) != primary(s.lang) {
		m["lang"] = s.lang
	}
	b, err := json.Marshal(m) // sorted keys: the same bytes on every page
	if err != nil {
		panic("i18n: " + err.Error()) // a map of strings always marshals
	}
	return string(b)
}

// IsTag reports whether s looks like a BCP 47 language tag: a language of
// two or three letters, then subtags of one to eight letters and digits,
// each after a hyphen ("de", "pt-BR", "zh-Hans-CN").
func IsTag(s string) bool {
	for i, p := range strings.Split(s, "-") {
		lo, hi := 1, 8
		if i == 0 {
			lo, hi = 2, 3
		}
		if len(p) < lo || len(p) > hi || strings.IndexFunc(p, func(r rune) bool {
			return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || i > 0 && '0' <= r && r <= '9')
		}) >= 0 {
			return false
		}
	}
	return true
}
