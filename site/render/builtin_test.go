package render

import (
	"fmt"
	"html/template"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	promptsite "github.com/promptsite/promptsite"
	"github.com/promptsite/promptsite/site/model"
)

// TestBuiltinsUsed checks that the builtins are written by Go code with
// the built-in theme, on the pages that have them, and not with a theme
// whose templates of them differ.
func TestBuiltinsUsed(t *testing.T) {
	tm, err := Parse(promptsite.Templates())
	if err != nil {
		t.Fatal(err)
	}
	every := []string{"nav", "meta", "search"}
	for kind, want := range map[string][]string{"category": {"main", "sections", "section", "toc", "nav", "meta", "search"},
		"index": every, "tag": every, "prompt": every, "404": every, "redirect": every} {
		if got := tm.builtins[kind]; !slices.Equal(got, want) {
			t.Errorf("the built-in theme's %s pages have %q written by Go code; want %q", kind, got, want)
		}
	}
	if !tm.fastCategory {
		t.Error("the built-in theme's category pages are not written by writeCategoryPage")
	}
	slow, err := Parse(slowBuiltins(t))
	if err != nil {
		t.Fatal(err)
	}
	if slow.fastCategory {
		t.Error("a theme that is not the built-in one has its category pages written by writeCategoryPage")
	}
	for kind, got := range slow.builtins {
		if len(got) > 0 {
			t.Errorf("a theme whose templates are not the built-in ones has %q of its %s pages written by Go code", got, kind)
		}
	}
}

// slowBuiltins returns the built-in theme with templates that write the
// same bytes as the builtins but are not the built-in ones: rendered by
// their templates.
func slowBuiltins(t testing.TB) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	found := map[string]bool{}
	err := fs.WalkDir(promptsite.Templates(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(promptsite.Templates(), p)
		for _, bt := range builtins {
			// A definition that trims the space after it goes on
			// trimming it.
			for def, slow := range map[string]string{
				`{{define "` + bt.name + `"}}`:   "{{if false}}{{end}}",
				`{{define "` + bt.name + `" -}}`: "{{if false}}{{end -}}",
			} {
				if strings.Contains(string(b), def) {
					b = []byte(strings.Replace(string(b), def, def+slow, 1))
					found[bt.name] = true
				}
			}
		}
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != len(builtins) {
		t.Fatalf("the theme defines %d of the %d builtins", len(found), len(builtins))
	}
	return m
}

// sectionLibrary is trickyLibrary with all a section may show: languages,
// tags, edit links, dates, blanks and old anchors.
func sectionLibrary() *model.Site {
	s := trickyLibrary()
	tricky := []string{`<b>"t"</b>`, "a&b", "日本", "x+y", "nul\x00", "%zz"}
	hrefs := []string{"/tags/a/", "javascript:alert(1)", "/tags/日本/", "/t?x=1&y='2'", "HTTPS://X.EXAMPLE/a b", "mailto:a@b"}
	for ci, c := range s.Categories {
		if ci == 1 {
			c.Lang = `fr"><x`
		}
		for pi, p := range c.Prompts {
			i := pi + ci
			if i%3 == 0 {
				p.Lang = []string{"de", "", `ja'x`}[ci]
			}
			if i%2 == 0 {
				p.Tags = []*model.Tag{{Name: tricky[i%len(tricky)], Href: hrefs[i%len(hrefs)]}, {Name: "two", Href: hrefs[(i+1)%len(hrefs)]}}
				p.Edit = hrefs[(i+2)%len(hrefs)]
			}
			if i%4 == 1 {
				p.Updated = []string{"2026-01-02", `2026"<`}[i%2]
			}
			if i%3 != 2 {
				p.Form = "fence"
			}
			if i%5 < 2 {
				p.Placeholders = []string{"x"}
			}
			p.Body = template.HTML("<p>" + tricky[i%len(tricky)] + "</p>")
		}
	}
	// A category split into pages, and more categories than the list on
	// each page shows.
	big := &model.Category{Title: "Big <one>", Slug: "big", Lang: `f"r`}
	for i := range 6*sectionsPerPage + 3 {
		big.Prompts = append(big.Prompts, &model.Prompt{Title: fmt.Sprint("P", i), TitleHTML: template.HTML(fmt.Sprint("P&amp;", i)),
			Anchor: fmt.Sprint("p-", i), Form: "fence", Body: "<p>x</p>"})
	}
	s.Categories = append(s.Categories, big)
	// A category whose prompts have pages of their own, which lists them.
	own := &model.Category{Title: "Own", Slug: "own"}
	for i := range 3 {
		own.Prompts = append(own.Prompts, &model.Prompt{Title: fmt.Sprint("O", i), TitleHTML: "O", Anchor: fmt.Sprint("o-", i), Own: true, Body: "<p>o</p>"})
	}
	s.Categories = append(s.Categories, own)
	for i := range navAll {
		s.Categories = append(s.Categories, &model.Category{Title: fmt.Sprint("C", i), TitleHTML: template.HTML(fmt.Sprint("<i>C</i>", i)),
			Slug: fmt.Sprint("c-", i), Prompts: []*model.Prompt{{Title: "Q", TitleHTML: "Q", Anchor: fmt.Sprint("q-", i), Body: "<p>y</p>"}}})
	}
	a := s.Categories[0].Prompts
	s.Aliases = []model.Alias{
		{From: "/cat/#old", To: "/cat/#" + a[0].Anchor},
		{From: "/cat/#" + "older\"<", To: "/cat/#" + a[0].Anchor},
		{From: "/cat/#日本-old", To: "/cat/#" + a[3].Anchor},
		{From: "/cat/#gone\"<", To: "/big/#p-1"},
	}
	Paginate(s)
	return s
}

// TestBuiltinsMatchTemplates checks that the builtins write the bytes
// that the built-in templates write, for every page of a library made to
// break the escaping, with the options a build may have.
func TestBuiltinsMatchTemplates(t *testing.T) {
	fast, err := Parse(promptsite.Templates())
	if err != nil {
		t.Fatal(err)
	}
	slow, err := Parse(slowBuiltins(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, opts := range []Options{
		{},
		{BaseURL: "https://prompts.example.com", Base: "/"},
		{BaseURL: "http://x.example/sub dir/ü", Base: "/sub dir/ü/", Lang: "de"},
		{Lang: "pt-BR", Chats: []Chat{Chats["chatgpt"], Chats["claude"]}},
		{Lang: "ar-EG", Strings: map[string]string{"link_to": `<b>{title}</b> & "{title}"`, "updated": "{date} '+'", "tags": "x<y", "fill_in": "&",
			"all_categories_zero": "<{count}>", "all_categories_one": "<{count}>", "all_categories_two": "<{count}>", "all_categories_few": "<{count}>",
			"all_categories_many": "<{count}> & more", "all_categories_other": "<{count}> & more", "on_this_page": `"on" <this>`}},
		{Lang: "he", Strings: map[string]string{"copy_link_to": "{nothing}", "edit_title": "", "updated": "no date"}},
		{BaseURL: "https://x.example/a'b", Base: "/a'b/", NoIndex: true, Favicon: "/f i.png?a=1&b=<\"", Strings: map[string]string{"page_number": `<{number}> "p"`, "copy_page": "&"},
			Notice: `<b>"draft"</b> & more`, Logo: "javascript:alert(1)", Repository: "https://git.example/a b?x=<y>",
			Footer: []Link{{Text: "<Home> & \"more\"", URL: "/a b/"}, {Text: "x", URL: "data:text/html,<b>"}}},
	} {
		s := sectionLibrary()
		want, err := slow.Pages(s, opts)
		if err != nil {
			t.Fatal(err)
		}
		s = sectionLibrary()
		got, err := fast.Pages(s, opts)
		if err != nil {
			t.Fatal(err)
		}
		pages := 0
		var all strings.Builder
		for _, name := range want.Names() {
			w, _ := want.Get(name)
			g, _ := got.Get(name)
			if string(g) != string(w) {
				t.Errorf("%+v: %s differs from the template's:\n%s", opts, name, firstDiff(string(g), string(w)))
			}
			if strings.Contains(string(w), `<section class="prompt"`) {
				pages++
			}
			all.Write(w)
		}
		// Every part of what the builtins write is on some page.
		for _, part := range []string{`class="nav-all"`, `aria-current="true"`, `aria-current="page"`, `class="toc"`,
			`class="alias"`, `class="tags"`, `class="updated"`, `class="fill"`, `class="edit"`, `<div lang="`, `class="prompt-cards"`,
			`class="page-of"`, `<nav class="pages"`, `class="gap"`, `<a class="prev" rel="prev"`, `<a class="next" rel="next"`,
			`"><span>`, `class="copy-md"`, `<h1 id="` + "big" + `" lang="`, `<a class="card-title"`, `lang="`, `class="ps-search"`,
			`og:type" content="article"`, `og:type" content="website"`, ` data-aliases="`, ` data-ids="`, ` data-strings="`} {
			if part == `<h1 id="big" lang="` {
				part = `<h1 id="big" lang="f&#34;r"`
			}
			if !strings.Contains(all.String(), part) {
				t.Errorf("%+v: no page has %s: the test checks too little", opts, part)
			}
		}
		if opts.NoIndex {
			for _, part := range []string{`<meta name="robots" content="noindex">`, `<link rel="icon" href="/f%20i.png?a=1&amp;b=%3c%22">`,
				`<footer class="foot">`, `class="logo"`, `<a class="repo"`, `<p class="notice"`} {
				if !strings.Contains(all.String(), part) {
					t.Errorf("%+v: no page has %s: the test checks too little", opts, part)
				}
			}
		}
		if pages == 0 || len(want.Names()) != len(got.Names()) {
			t.Fatalf("%+v: %d pages with sections; %d pages from the templates, %d written", opts, pages, len(want.Names()), len(got.Names()))
		}
	}
}

// FuzzSection checks that writeSection writes what the built-in templates
// write, whatever the prompt:
//
//	go test ./site/render -run '^$' -fuzz FuzzSection -fuzztime 5m
func FuzzSection(f *testing.F) {
	f.Add("Retry", "retry", "", "tag", "/tags/tag/", "https://x.example/edit", "2026-01-02", "old", true)
	f.Add(`<script>"x"</script>`, "日本語", `fr"<`, "a&b", "javascript:x", "/a b%zz", "\x00\xff", "o'ld", false)
	fast, err := Parse(promptsite.Templates())
	if err != nil {
		f.Fatal(err)
	}
	slow, err := Parse(slowBuiltins(f))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, title, anchor, lang, tag, href, edit, updated, alias string, blank bool) {
		mk := func() *model.Site {
			p := &model.Prompt{Title: title, TitleHTML: template.HTML(title), Anchor: anchor, Lang: lang, Edit: edit,
				Updated: updated, Form: "fence", Body: template.HTML(title), Tags: []*model.Tag{{Name: tag, Href: href}}}
			if blank {
				p.Placeholders = []string{"x"}
			}
			c := &model.Category{Title: "C", Slug: "c", Prompts: []*model.Prompt{p}}
			return &model.Site{Title: "S", Categories: []*model.Category{c},
				Aliases: []model.Alias{{From: "/c/#" + alias, To: "/c/#" + anchor}}}
		}
		want, err := slow.Pages(mk(), Options{Lang: lang})
		if err != nil {
			t.Skip(err) // not a library a build would render
		}
		got, err := fast.Pages(mk(), Options{Lang: lang})
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range want.Names() {
			w, _ := want.Get(name)
			if g, _ := got.Get(name); string(g) != string(w) {
				t.Fatalf("%s differs from the template's:\n%s", name, firstDiff(string(g), string(w)))
			}
		}
	})
}
