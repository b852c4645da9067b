package render

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"html/template"
	"maps"
	"slices"
	"strings"
	"sync"

	promptsite "github.com/promptsite/promptsite"
	"github.com/promptsite/promptsite/site/i18n"
	"github.com/promptsite/promptsite/site/model"
)

// A category's page shows its prompts as sections, so that a build of
// 10,000 prompts writes 10,000 of them through the "section" template,
// which costs a fifth of the build: html/template calls its escaping
// functions by reflection for each value. The list of categories on every
// page, and a category page's "On this page" box, cost less but add up;
// so did the rest of a category's page, the head's "meta" and the search
// box: a tenth of a first build's CPU for 10,000 prompts in 800 pages.
// When the theme's templates of them are the built-in ones, Go code
// writes them in their place: the same bytes, which
// TestBuiltinsMatchTemplates checks on libraries made to break the
// escaping, and FuzzSection on any prompt. A theme with templates of its
// own gets them rendered by its templates.

// builtin is a template of the built-in theme, and the function that
// writes what it does.
type builtin struct {
	name  string   // the template
	uses  []string // the templates it calls
	write any      // a function of the template's data to template.HTML
}

// builtins are the templates written by Go code when they are the
// built-in ones. When one of them changes, TestBuiltinsMatchTemplates
// fails until its function writes what it does.
var builtins = []builtin{
	{"main", []string{"sections", "section", "tags", "actions"}, writeCategoryMain},
	{"sections", []string{"section", "tags", "actions"}, writeSections},
	{"section", []string{"tags", "actions"}, writeSection},
	{"toc", nil, writeTOC},
	{"nav", nil, writeNav},
	{"meta", nil, writeMeta},
	{"search", nil, writeSearch},
}

// builtinSums are the templateSum of each builtin in the built-in theme's
// templates of a category's page, which has them all.
var builtinSums = sync.OnceValue(func() map[string]string {
	files, _, err := themeFiles(promptsite.Templates())
	if err != nil {
		panic(err) // the embedded theme is read at every build
	}
	set := template.New("theme").Funcs(funcs)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if !slices.Contains(pageKinds, strings.TrimSuffix(name, ".html")) {
			if _, err := set.New(name).Parse(files[name]); err != nil {
				panic(err)
			}
		}
	}
	if _, err := set.New("category.html").Parse(files["category.html"]); err != nil {
		panic(err)
	}
	sums := map[string]string{}
	for _, b := range builtins {
		sums[b.name] = templateSum(set, b)
	}
	return sums
})

// builtinFuncs are the functions that stand for builtins, by name.
var builtinFuncs = func() template.FuncMap {
	m := template.FuncMap{}
	for _, b := range builtins {
		m["builtin_"+b.name] = b.write
	}
	return m
}()

// useBuiltins puts, in the template set of a page kind, a call of its
// function in place of each builtin template that is the built-in one,
// and returns the names of those.
func useBuiltins(t *template.Template) ([]string, error) {
	var used []string
	for _, b := range builtins {
		if sum := templateSum(t, b); sum == "" || sum != builtinSums()[b.name] {
			continue
		}
		if _, err := t.Funcs(builtinFuncs).New(b.name).Parse("{{builtin_" + b.name + " .}}"); err != nil {
			return nil, err
		}
		used = append(used, b.name)
	}
	return used, nil
}

// templateSum returns a hash of the parsed templates of b in t, or "" when
// t lacks one.
func templateSum(t *template.Template, b builtin) string {
	h := sha256.New()
	for _, name := range append([]string{b.name}, b.uses...) {
		st := t.Lookup(name)
		if st == nil || st.Tree == nil || st.Tree.Root == nil {
			return ""
		}
		h.Write([]byte(st.Tree.Root.String()))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// builtinBuffers are the buffers that the builtins write into.
var builtinBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// written returns what write writes, into a buffer of builtinBuffers.
func written(write func(b *bytes.Buffer)) template.HTML {
	b := builtinBuffers.Get().(*bytes.Buffer)
	defer builtinBuffers.Put(b)
	b.Reset()
	write(b)
	return template.HTML(b.String())
}

// writeTOC returns the "On this page" box of p, as the built-in "toc"
// template writes it.
func writeTOC(p *Page) template.HTML {
	return written(func(b *bytes.Buffer) { writeTOCTo(b, p) })
}

// writeTOCTo writes the box, or a line break for a page with no sections
// to list.
func writeTOCTo(b *bytes.Buffer, p *Page) {
	if len(p.Sections) == 0 || p.Listing {
		b.WriteString("\n")
		return
	}
	label := p.T("on_this_page")
	b.WriteString("\n<nav class=\"toc\" aria-label=\"")
	writeEscaped(b, label)
	b.WriteString("\">\n<p class=\"toc-title\">")
	writeEscaped(b, label)
	b.WriteString("</p>\n<ul>")
	for _, s := range p.Sections {
		b.WriteString("\n<li><a href=\"#")
		writeURLPart(b, s.Anchor)
		b.WriteString("\">")
		b.WriteString(string(s.TitleHTML))
		b.WriteString("</a></li>")
	}
	b.WriteString("\n</ul>\n</nav>\n")
}

// writeNav returns the list of categories l, as the built-in "nav"
// template writes it.
func writeNav(l NavList) template.HTML {
	return written(func(b *bytes.Buffer) { writeNavTo(b, l) })
}

func writeNavTo(b *bytes.Buffer, l NavList) {
	b.WriteString("<ul>")
	for _, c := range l.Categories {
		b.WriteString("\n<li><a href=\"")
		writeURL(b, c.Href)
		b.WriteString("\"")
		if c == l.Current {
			if l.Later {
				b.WriteString(" aria-current=\"true\"")
			} else {
				b.WriteString(" aria-current=\"page\"")
			}
		}
		b.WriteString(">")
		b.WriteString(string(c.TitleHTML))
		b.WriteString("</a></li>")
	}
	b.WriteString("\n</ul>")
	if l.Partial && !l.Home {
		b.WriteString("\n<p class=\"nav-all\"><a href=\"")
		writeURL(b, l.Link("/"))
		b.WriteString("\">")
		writeEscaped(b, l.N("all_categories", l.Total))
		b.WriteString("</a></p>")
	}
}

// writeSection returns the section of it.P on its category's page, as
// the built-in "section" template writes it.
// writeSections returns the prompts of p as sections, as the built-in
// "sections" template writes them: each as "section" does, in one buffer
// rather than through html/template once each.
func writeSections(p *Page) template.HTML {
	if len(p.Sections) == 0 {
		return ""
	}
	return written(func(b *bytes.Buffer) {
		for _, s := range p.Sections {
			writeSectionTo(b, Item{p, s})
		}
	})
}

func writeSection(it Item) template.HTML {
	return written(func(b *bytes.Buffer) { writeSectionTo(b, it) })
}

func writeSectionTo(b *bytes.Buffer, it Item) {
	p, text := it.P, it.Opts.Text()
	lang := p.Lang
	if lang == "" && it.Category != nil {
		lang = it.Category.Lang
	}
	b.WriteString("\n<section class=\"prompt\" id=\"")
	writeEscaped(b, p.Anchor)
	b.WriteString("\">")
	for _, id := range it.AliasIDs[p.Anchor] {
		b.WriteString("\n<span class=\"alias\" id=\"")
		writeEscaped(b, id)
		b.WriteString("\"></span>")
	}
	b.WriteString("\n<div class=\"prompt-head\">\n<h2")
	if lang != "" {
		b.WriteString(" lang=\"")
		writeEscaped(b, lang)
		b.WriteString("\"")
	}
	b.WriteString(">")
	b.WriteString(string(p.TitleHTML))
	b.WriteString(" <a class=\"hash\" href=\"#")
	writeURLPart(b, p.Anchor)
	b.WriteString("\" aria-label=\"")
	writeEscaped(b, text.T("link_to", "title", p.Title))
	b.WriteString("\">#</a></h2>\n<button type=\"button\" class=\"copy-link\" data-href=\"")
	writeURL(b, p.ShareHref)
	b.WriteString("\" aria-label=\"")
	writeEscaped(b, text.T("copy_link_to", "title", p.Title))
	b.WriteString("\">")
	writeEscaped(b, text.T("copy_link"))
	b.WriteString("</button>")
	if p.Edit != "" {
		b.WriteString("\n<a class=\"edit\" href=\"")
		writeURL(b, p.Edit)
		b.WriteString("\" aria-label=\"")
		writeEscaped(b, text.T("edit_title", "title", p.Title))
		b.WriteString("\">")
		writeEscaped(b, text.T("edit"))
		b.WriteString("</a>")
	}
	b.WriteString("\n</div>")
	writeTagsTo(b, text, p.Tags)
	if p.Updated != "" {
		before, after := text.Split("updated", "date")
		b.WriteString("\n<p class=\"updated\">")
		writeEscaped(b, before)
		b.WriteString("<time datetime=\"")
		writeEscaped(b, p.Updated)
		b.WriteString("\">")
		writeEscaped(b, p.Updated)
		b.WriteString("</time>")
		writeEscaped(b, after)
		b.WriteString("</p>")
	}
	if lang != "" {
		b.WriteString("\n<div lang=\"")
		writeEscaped(b, lang)
		b.WriteString("\">")
		b.WriteString(string(p.Body))
		b.WriteString("</div>")
	} else {
		b.WriteString("\n")
		b.WriteString(string(p.Body))
	}
	if p.Form != "" && (len(p.Placeholders) > 0 || len(it.Opts.Chats) > 0) {
		b.WriteString("\n<div class=\"prompt-actions\">")
		if len(p.Placeholders) > 0 {
			b.WriteString("\n<button type=\"button\" class=\"fill\" aria-expanded=\"false\" aria-label=\"")
			writeEscaped(b, text.T("fill_in_title", "title", p.Title))
			b.WriteString("\">")
			writeEscaped(b, text.T("fill_in"))
			b.WriteString("</button>")
		}
		writeChatLinks(b, it)
		b.WriteString("\n</div>")
	}
	b.WriteString("\n</section>")
}

// writeTagsTo writes a prompt's tags as the built-in "tags" template does;
// nothing when it has none.
func writeTagsTo(b *bytes.Buffer, text *i18n.Strings, tags []*model.Tag) {
	if len(tags) == 0 {
		return
	}
	b.WriteString("\n<ul class=\"tags\" aria-label=\"")
	writeEscaped(b, text.T("tags"))
	b.WriteString("\">")
	for _, tag := range tags {
		writeLinkItem(b, tag.Href, tag.Name)
	}
	b.WriteString("\n</ul>")
}

// writeLinkItem writes an item of a list of links, on a line of its own,
// as the built-in templates write <li><a href="{{.Href}}">{{.Name}}</a></li>.
func writeLinkItem(b *bytes.Buffer, href, text string) {
	b.WriteString("\n<li><a href=\"")
	writeURL(b, href)
	b.WriteString("\">")
	writeEscaped(b, text)
	b.WriteString("</a></li>")
}

// writeMeta returns the "meta" part of p's head, as the built-in "meta"
// template writes it.
func writeMeta(p *Page) template.HTML {
	return written(func(b *bytes.Buffer) { writeMetaTo(b, p) })
}

func writeMetaTo(b *bytes.Buffer, p *Page) {
	b.WriteString("<title>")
	writeEscaped(b, p.Title)
	b.WriteString("</title>\n<meta name=\"description\" content=\"")
	writeEscaped(b, p.Description)
	b.WriteString("\">")
	if p.URL != "" {
		b.WriteString("\n<link rel=\"canonical\" href=\"")
		writeURL(b, p.URL)
		b.WriteString("\">\n<meta property=\"og:url\" content=\"")
		writeEscaped(b, p.URL)
		b.WriteString("\">")
	}
	if p.Prompt != nil {
		b.WriteString("\n<meta property=\"og:type\" content=\"article\">")
	} else {
		b.WriteString("\n<meta property=\"og:type\" content=\"website\">")
	}
	for _, m := range [...]struct{ attr, value string }{
		{`property="og:site_name"`, p.Site.Title},
		{`property="og:title"`, p.PreviewTitle},
		{`property="og:description"`, p.Description},
		{`name="twitter:card"`, "summary"},
		{`name="twitter:title"`, p.PreviewTitle},
		{`name="twitter:description"`, p.Description},
	} {
		b.WriteString("\n<meta ")
		b.WriteString(m.attr)
		b.WriteString(" content=\"")
		writeEscaped(b, m.value)
		b.WriteString("\">")
	}
	if p.Opts.NoIndex {
		b.WriteString("\n<meta name=\"robots\" content=\"noindex\">")
	}
	b.WriteString("\n<link rel=\"icon\" href=\"")
	if p.Opts.Favicon != "" {
		writeURL(b, p.Opts.Favicon)
	} else {
		b.WriteString("data:,")
	}
	b.WriteString("\">")
}

// writeSearch returns the search box of p, as the built-in "search"
// template writes it.
func writeSearch(p *Page) template.HTML {
	return written(func(b *bytes.Buffer) { writeSearchTo(b, p) })
}

func writeSearchTo(b *bytes.Buffer, p *Page) {
	text := p.Opts.Text()
	b.WriteString("<div class=\"ps-search\" role=\"search\" data-search-index=\"")
	writeEscaped(b, p.Link("/search/"))
	b.WriteString("\" data-base=\"")
	writeEscaped(b, p.Link("/"))
	b.WriteString("\">\n<label class=\"ps-label\" for=\"ps.q\">")
	label := text.T("search_prompts")
	writeEscaped(b, label)
	b.WriteString("</label>\n<input id=\"ps.q\" type=\"search\" name=\"q\" maxlength=\"256\" placeholder=\"")
	writeEscaped(b, label)
	b.WriteString("\" autocomplete=\"off\" spellcheck=\"false\" role=\"combobox\" aria-autocomplete=\"list\" aria-expanded=\"false\" aria-controls=\"ps.results\" aria-keyshortcuts=\"/ Control+K Meta+K\">\n" +
		"<div id=\"ps.results\" class=\"ps-results\" role=\"listbox\" aria-label=\"")
	writeEscaped(b, text.T("search_results"))
	b.WriteString("\" hidden></div>\n<p class=\"ps-label\" role=\"status\"></p>\n</div>")
}

// writeCategoryMain returns what a category's page shows, as the built-in
// category.html's "main" template writes it.
func writeCategoryMain(p *Page) template.HTML {
	return written(func(b *bytes.Buffer) { writeCategoryMainTo(b, p) })
}

func writeCategoryMainTo(b *bytes.Buffer, p *Page) {
	c, text := p.Category, p.Opts.Text()
	b.WriteString("\n<div class=\"page-head\">\n<h1 id=\"")
	writeEscaped(b, c.Slug)
	b.WriteString("\"")
	writeLang(b, c.Lang)
	b.WriteString(">")
	b.WriteString(string(c.TitleHTML))
	b.WriteString("</h1>\n<button type=\"button\" class=\"copy-md\" data-src=\"")
	writeURL(b, p.Link(p.Path))
	b.WriteString("index.md\">")
	writeEscaped(b, text.T("copy_page"))
	b.WriteString("</button>\n</div>")
	if of := p.PageOf(); of != "" {
		b.WriteString("\n<p class=\"page-of\">")
		writeEscaped(b, of)
		b.WriteString("</p>")
	}
	b.WriteString("\n")
	if p.FirstPage() {
		b.WriteString(string(c.Intro))
	}
	if p.Listing {
		b.WriteString("\n<ul class=\"prompt-cards\">")
		for _, pr := range p.Cards {
			b.WriteString("\n<li id=\"")
			writeEscaped(b, pr.Anchor)
			b.WriteString("\">\n<a class=\"card-title\" href=\"")
			writeURL(b, pr.Href)
			b.WriteString("\"")
			writeLang(b, cmp.Or(pr.Lang, c.Lang))
			b.WriteString(">")
			b.WriteString(string(pr.TitleHTML))
			b.WriteString("</a>")
			if about := describe(promptSummary(pr), ""); about != "" {
				b.WriteString("\n<p>")
				writeEscaped(b, about)
				b.WriteString("</p>")
			}
			writeTagsTo(b, text, pr.Tags)
			b.WriteString("\n</li>")
		}
		b.WriteString("\n</ul>")
	}
	for _, s := range p.Sections {
		writeSectionTo(b, Item{p, s})
	}
	if pg := p.Paging; pg != nil {
		b.WriteString("\n<nav class=\"pages\" aria-label=\"")
		writeEscaped(b, text.T("pages"))
		b.WriteString("\">")
		// The link to the page before or after, if any.
		step := func(rel, href, label string) {
			if href == "" {
				return
			}
			b.WriteString("\n<a class=\"" + rel + "\" rel=\"" + rel + "\" href=\"")
			writeURL(b, href)
			b.WriteString("\">")
			writeEscaped(b, text.T(label))
			b.WriteString("</a>")
		}
		step("prev", pg.Prev, "previous")
		b.WriteString("\n<ol>")
		for _, l := range pg.Links {
			if l.Gap {
				b.WriteString("\n<li class=\"gap\" aria-hidden=\"true\">…</li>")
				continue
			}
			b.WriteString("\n<li><a href=\"")
			writeURL(b, l.Href)
			b.WriteString("\"")
			if l.Current {
				b.WriteString(" aria-current=\"page\"")
			}
			b.WriteString(" aria-label=\"")
			writeEscaped(b, text.T("page_number", "number", l.Text()))
			b.WriteString("\">")
			writeEscaped(b, l.Text())
			b.WriteString("</a></li>")
		}
		b.WriteString("\n</ol>")
		step("next", pg.Next, "next")
		b.WriteString("\n</nav>")
	}
	b.WriteString("\n<nav class=\"pager\" aria-label=\"")
	writeEscaped(b, text.T("other_categories"))
	b.WriteString("\">")
	for _, n := range [...]struct {
		class, label string
		c            *model.Category
	}{{"prev", "previous", p.Prev}, {"next", "next", p.Next}} {
		if n.c == nil {
			continue
		}
		b.WriteString("\n<a class=\"" + n.class + "\" rel=\"" + n.class + "\" href=\"")
		writeURL(b, n.c.Href)
		b.WriteString("\"><span>")
		writeEscaped(b, text.T(n.label))
		b.WriteString("</span> ")
		b.WriteString(string(n.c.TitleHTML))
		b.WriteString("</a>")
	}
	b.WriteString("\n</nav>\n")
}

// writeCategoryPage writes a category's page p, whose list of categories
// is nav, as the built-in theme's layout.html and category.html write it
// (with the builtins above): in a built-in theme, a page of 25 prompts had
// a third of its time go to html/template's calls of the layout's values.
func writeCategoryPage(b *bytes.Buffer, p *Page, nav []byte) {
	text := p.Opts.Text()
	b.WriteString("<!doctype html>\n<html lang=\"")
	writeEscaped(b, p.Opts.Language())
	b.WriteString("\"")
	if dir := p.Opts.Dir(); dir != "" {
		b.WriteString(" dir=\"")
		writeEscaped(b, dir)
		b.WriteString("\"")
	}
	b.WriteString(">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n" +
		"<meta name=\"color-scheme\" content=\"light dark\">\n")
	writeMetaTo(b, p)
	b.WriteString("\n<link rel=\"alternate\" type=\"text/markdown\" href=\"")
	writeURL(b, p.Link(p.Path))
	b.WriteString("index.md\">\n<link rel=\"stylesheet\" href=\"")
	writeURL(b, p.Opts.CSS)
	b.WriteString("\">\n<script src=\"")
	writeURL(b, p.Opts.JS)
	b.WriteString("\" defer></script>\n</head>\n<body")
	for _, a := range [...]struct{ name, value string }{{"aliases", p.Aliases}, {"ids", p.IDs}, {"strings", p.ForeignStrings()}} {
		if a.value != "" {
			b.WriteString(" data-" + a.name + "=\"")
			writeEscaped(b, a.value)
			b.WriteString("\"")
		}
	}
	b.WriteString(">\n<a class=\"skip\" href=\"#ps.main\">")
	writeEscaped(b, text.T("skip"))
	b.WriteString("</a>\n<header class=\"top\">\n<a class=\"brand\" href=\"")
	writeURL(b, p.Link("/"))
	b.WriteString("\">")
	if logo := p.Opts.Logo; logo != "" {
		b.WriteString("<img src=\"")
		writeURL(b, logo)
		b.WriteString("\" alt=\"\" class=\"logo\">")
	}
	writeEscaped(b, p.Site.Title)
	b.WriteString("</a>\n")
	writeSearchTo(b, p)
	if repo := p.Opts.Repository; repo != "" {
		b.WriteString("\n<a class=\"repo\" href=\"")
		writeURL(b, repo)
		b.WriteString("\">")
		writeEscaped(b, text.T("repository"))
		b.WriteString("</a>")
	}
	categories := text.T("categories")
	b.WriteString("\n<a class=\"menu\" href=\"#ps.categories\">")
	writeEscaped(b, categories)
	b.WriteString("</a>\n</header>\n<div class=\"layout")
	if p.HasTOC() {
		b.WriteString(" with-toc")
	}
	b.WriteString("\">\n<nav class=\"sidebar\" id=\"ps.categories\" aria-label=\"")
	writeEscaped(b, categories)
	b.WriteString("\">\n")
	b.Write(nav)
	b.WriteString("\n</nav>\n")
	writeTOCTo(b, p)
	b.WriteString("\n<main id=\"ps.main\">")
	if notice := p.Opts.Notice; notice != "" {
		b.WriteString("\n<p class=\"notice\" role=\"note\">")
		writeEscaped(b, notice)
		b.WriteString("</p>")
	}
	b.WriteString("\n")
	writeCategoryMainTo(b, p)
	b.WriteString("\n</main>\n</div>")
	if len(p.Opts.Footer) > 0 {
		b.WriteString("\n<footer class=\"foot\">\n<ul>")
		for _, f := range p.Opts.Footer {
			writeLinkItem(b, f.URL, f.Text)
		}
		b.WriteString("\n</ul>\n</footer>")
	}
	b.WriteString("\n<div class=\"sr-only\" id=\"ps.announce\" role=\"status\" aria-live=\"polite\"></div>\n</body>\n</html>\n")
}

// writeLang writes a lang attribute, with a space before it, as the
// built-in templates write {{with .Lang}} lang="{{.}}"{{end}}: nothing for
// no language.
func writeLang(b *bytes.Buffer, lang string) {
	if lang != "" {
		b.WriteString(" lang=\"")
		writeEscaped(b, lang)
		b.WriteString("\"")
	}
}

// writeURLPart writes s as html/template writes a string in the query or
// fragment of a quoted URL attribute: every byte but RFC 3986's
// unreserved ones percent-encoded.
func writeURLPart(b *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte("0123456789abcdef"[c>>4])
		b.WriteByte("0123456789abcdef"[c&15])
	}
}
