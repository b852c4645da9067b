package render

import (
	"html/template"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	promptsite "github.com/promptsite/promptsite"
	"github.com/promptsite/promptsite/site/model"
)

// TestBuiltinSectionSum checks that writeSection is used with the
// built-in theme, and not with a theme whose section differs.
func TestBuiltinSectionSum(t *testing.T) {
	tm, err := Parse(promptsite.Templates())
	if err != nil {
		t.Fatal(err)
	}
	if !tm.fastSection {
		t.Fatalf("the built-in \"section\", \"tags\" or \"actions\" template changed: make writeSection write what they do, "+
			"until TestSectionsMatchTemplates passes, then set builtinSectionSum to %s", sectionSum(tm.pages["category"]))
	}
	slow, err := Parse(slowSections(t))
	if err != nil {
		t.Fatal(err)
	}
	if slow.fastSection {
		t.Error("a theme whose section is not the built-in one has its sections written by writeSection")
	}
}

// slowSections returns the built-in theme with a section that writes the
// same bytes but is not the built-in one: rendered by its templates.
func slowSections(t testing.TB) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(promptsite.Templates(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(promptsite.Templates(), p)
		if p == "category.html" {
			const def = `{{define "section"}}`
			if !strings.Contains(string(b), def) {
				t.Fatal("category.html defines no section")
			}
			b = []byte(strings.Replace(string(b), def, def+"{{if false}}{{end}}", 1))
		}
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
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
	a := s.Categories[0].Prompts
	s.Aliases = []model.Alias{
		{From: "/cat/#old", To: "/cat/#" + a[0].Anchor},
		{From: "/cat/#" + "older\"<", To: "/cat/#" + a[0].Anchor},
		{From: "/cat/#日本-old", To: "/cat/#" + a[3].Anchor},
	}
	return s
}

// TestSectionsMatchTemplates checks that writeSection writes the bytes
// that the built-in templates write, for every page of a library made to
// break the escaping, with the options a build may have.
func TestSectionsMatchTemplates(t *testing.T) {
	fast, err := Parse(promptsite.Templates())
	if err != nil {
		t.Fatal(err)
	}
	slow, err := Parse(slowSections(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, opts := range []Options{
		{},
		{BaseURL: "https://prompts.example.com", Base: "/"},
		{BaseURL: "http://x.example/sub dir/ü", Base: "/sub dir/ü/", Lang: "de"},
		{Lang: "pt-BR", Chats: []Chat{Chats["chatgpt"], Chats["claude"]}},
		{Lang: "ar-EG", Strings: map[string]string{"link_to": `<b>{title}</b> & "{title}"`, "updated": "{date} '+'", "tags": "x<y", "fill_in": "&"}},
		{Lang: "he", Strings: map[string]string{"copy_link_to": "{nothing}", "edit_title": "", "updated": "no date"}},
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
		for _, name := range want.Names() {
			w, _ := want.Get(name)
			g, _ := got.Get(name)
			if string(g) != string(w) {
				t.Errorf("%+v: %s differs from the template's:\n%s", opts, name, firstDiff(string(g), string(w)))
			}
			if strings.Contains(string(w), `<section class="prompt"`) {
				pages++
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
	slow, err := Parse(slowSections(f))
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
