// Package render writes the pages of a site from its model with the
// html/template files of a theme.
package render

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"net/url"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/cespare/xxhash/v2"
	"github.com/promptsite/promptsite/site/i18n"
	"github.com/promptsite/promptsite/site/model"
	"github.com/promptsite/promptsite/site/output"
)

// Templates are a theme's page templates, parsed once.
type Templates struct {
	pages map[string]*template.Template // keyed by page kind
	// fastShare is set when the theme's share page templates are the
	// built-in ones, which writeSharePage writes without them.
	fastShare bool
	// fastCategory is set when the whole theme is the built-in one, whose
	// category pages writeCategoryPage writes without its templates.
	fastCategory bool
	// builtins are, by page kind, the templates that are the built-in
	// ones, which Go code writes (see builtins).
	builtins map[string][]string
	// sum is a hash of the theme's files, for the keys of Cache.
	sum string
}

// pageKinds are the page templates a theme has; each fills in the blocks
// of layout.html.
var pageKinds = []string{"index", "category", "prompt", "tag", "404", "redirect"}

// last is the theme Parse parsed last, by a hash of its files: the dev
// server's rebuilds, and a test's or a benchmark's, reuse it while its
// files stay the same.
var last struct {
	sync.Mutex
	sum string
	t   *Templates
}

// Parse reads a theme: layout.html, the page templates index.html,
// category.html and 404.html, and any partials (other *.html files). It
// fails on the first template that does not parse, so that a broken theme
// is found before any page is written.
func Parse(fsys fs.FS) (*Templates, error) {
	files, sum, err := themeFiles(fsys)
	if err != nil {
		return nil, err
	}
	names := slices.Sorted(maps.Keys(files))
	last.Lock()
	defer last.Unlock()
	if last.t != nil && last.sum == sum {
		return last.t, nil
	}
	isPage := map[string]bool{}
	for _, k := range pageKinds {
		isPage[k+".html"] = true
	}
	base := template.New("theme").Funcs(funcs)
	for _, n := range names {
		if isPage[n] {
			continue
		}
		if _, err := base.New(n).Parse(files[n]); err != nil {
			return nil, fmt.Errorf("render: %w", err)
		}
	}
	if base.Lookup("layout.html") == nil {
		return nil, fmt.Errorf("render: the theme has no layout.html")
	}
	t := &Templates{pages: map[string]*template.Template{}, fastShare: shareSum(fsys) == builtinShareSum, sum: sum,
		fastCategory: sum == builtinSum(), builtins: map[string][]string{}}
	for _, k := range pageKinds {
		clone, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("render: %w", err)
		}
		src, ok := files[k+".html"]
		if !ok {
			return nil, fmt.Errorf("render: the theme has no %s.html", k)
		}
		if t.pages[k], err = clone.New(k + ".html").Parse(src); err != nil {
			return nil, fmt.Errorf("render: %w", err)
		}
		// The built-in theme's templates that Go code writes (see
		// builtins).
		if t.builtins[k], err = useBuiltins(t.pages[k]); err != nil {
			return nil, fmt.Errorf("render: %w", err)
		}
	}
	last.sum, last.t = sum, t
	return t, nil
}

// themeFiles reads the templates of a theme, by name, and a hash of them.
func themeFiles(fsys fs.FS) (files map[string]string, sum string, err error) {
	names, err := fs.Glob(fsys, "*.html")
	if err != nil {
		return nil, "", fmt.Errorf("render: list templates: %w", err)
	}
	files = make(map[string]string, len(names))
	h := sha256.New()
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, "", fmt.Errorf("render: %w", err)
		}
		files[n] = string(b)
		fmt.Fprintf(h, "%s\x00%d\x00%s", n, len(b), b)
	}
	return files, hex.EncodeToString(h.Sum(nil)), nil
}

var funcs = template.FuncMap{
	// item pairs a page with one of its prompts, for a partial.
	"item": func(p *Page, x *model.Prompt) Item { return Item{p, x} },
	// about is what a list says of a prompt: its description, or the
	// start of its introduction or text, cut to a line's length.
	"about": func(p *model.Prompt) string { return describe(promptSummary(p), "") },
	// chats are the "Open in" links of an item's prompt.
	"chats": chatLinks,
	// summary is the first paragraph of a text, cut to a line's length.
	"summary": func(s string) string {
		first, _, _ := strings.Cut(s, "\n")
		return describe(first, "")
	},
}

// Options are the settings that pages depend on beyond the model.
type Options struct {
	// BaseURL is the site's address, such as "https://prompts.example.com",
	// for canonical links, link previews and the sitemap. When it is empty
	// those are left out, as an address cannot be guessed.
	BaseURL string
	// Base is the path the site is served under: "/" at a domain's root,
	// or the path of BaseURL, such as "/repo/" for a project's pages on
	// GitHub. Every link a page has starts with it (see BasePath).
	Base string
	CSS  string // address of the stylesheet, Base included
	JS   string // address of the script, Base included

	// Lang is the pages' language, a BCP 47 tag for <html lang>: "en"
	// when empty. It picks the interface strings (see package i18n) and
	// whether pages are written right to left.
	Lang string
	// Strings are the library's own interface strings, by i18n key, in
	// place of promptsite's for Lang; nil for none.
	Strings map[string]string
	// NoIndex asks search engines not to index the pages, as for a deploy
	// preview.
	NoIndex bool
	// Notice is a line every page shows above its content, such as that
	// the site is promptsite's example library; empty for none.
	Notice string
	// Logo and Favicon are the addresses of the site's logo, shown in the
	// header, and of its icon, Base included; empty for none.
	Logo, Favicon string
	// Repository is the address of the repository the content lives in,
	// linked from the header; empty for none.
	Repository string
	// Footer lists the links of the page footer.
	Footer []Link
	// Chats are the chat services a prompt has an "Open in" link for.
	Chats []Chat

	// text and script are the interface strings, and those the scripts
	// need as JSON, worked out once per build by PagesContext.
	text   *i18n.Strings
	script string
	// foreign is set on the options of a page in another language than
	// the library's (see inLang).
	foreign bool
}

// withText returns o with its interface strings worked out.
func (o Options) withText() Options {
	o.text = i18n.For(o.Language()).With(o.Strings)
	o.script = o.text.Script(o.Language())
	return o
}

// inLang returns the options of a page whose text is in the language tag
// when the library's is another: the page's lang, direction and interface
// strings are those of tag (promptsite's own: the library's [strings] are
// in its language).
func (o Options) inLang(tag string) Options {
	if tag == "" || strings.EqualFold(tag, o.Language()) {
		return o
	}
	o.Lang, o.Strings, o.foreign = tag, nil, true
	return o.withText()
}

// Text returns the pages' interface strings.
func (o Options) Text() *i18n.Strings {
	if o.text == nil {
		return i18n.For(o.Language()).With(o.Strings)
	}
	return o.text
}

// ScriptStrings returns the interface strings the site's scripts use, as a
// JSON object by key, which the site's script sets as window.psStrings.
func (o Options) ScriptStrings() string {
	if o.text == nil {
		return o.withText().script
	}
	return o.script
}

// Dir returns "rtl" when the pages' language is written right to left,
// for <html dir>, and "" otherwise.
func (o Options) Dir() string {
	if i18n.RTL(o.Language()) {
		return "rtl"
	}
	return ""
}

// Link is a link in the page footer.
type Link struct{ Text, URL string }

// Chat is a chat service a prompt can be opened in: Home opens a new chat,
// and Query followed by the prompt opens one that starts with it.
type Chat struct{ Label, Home, Query string }

// Chats are the chat services promptsite knows, by the names the
// configuration gives them.
var Chats = map[string]Chat{
	"chatgpt": {Label: "ChatGPT", Home: "https://chatgpt.com/", Query: "https://chatgpt.com/?q="},
	"claude":  {Label: "Claude", Home: "https://claude.ai/new", Query: "https://claude.ai/new?q="},
}

// chatLinks writes the "Open in" link of each chat of the page's options
// for its prompt. They are written here rather than in the theme, as a
// template escaping their five values costs a twentieth of the build of a
// large library; the HTML is the same as html/template's.
func chatLinks(it Item) template.HTML {
	var b bytes.Buffer
	writeChatLinks(&b, it)
	return template.HTML(b.String())
}

// writeChatLinks writes into b what chatLinks returns.
func writeChatLinks(b *bytes.Buffer, it Item) {
	text := it.Opts.Text()
	for _, c := range it.Opts.Chats {
		b.WriteString("\n<a class=\"chat\" href=\"")
		writeURL(b, c.Home)
		b.WriteString(`" data-q="`)
		writeEscaped(b, c.Query)
		b.WriteString(`" target="_blank" rel="noopener" aria-label="`)
		writeEscaped(b, text.T("open_in_title", "service", c.Label, "title", it.P.Title))
		b.WriteString(`">`)
		writeEscaped(b, text.T("open_in", "service", c.Label))
		b.WriteString("</a>")
	}
}

// Language returns the pages' language.
func (o Options) Language() string {
	if o.Lang == "" {
		return "en"
	}
	return o.Lang
}

// BasePath returns the path a site at baseURL is served under, ending in
// "/": "/" when baseURL is empty or has no path.
func BasePath(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil || u.Path == "" {
		return "/"
	}
	p := path.Clean("/" + u.Path)
	if p == "/" {
		return p
	}
	return p + "/"
}

// Link returns the address of p, a path from the site's root such as
// "/testing-prompts/#write-async-tests", under the site's base path.
func (o Options) Link(p string) string {
	if o.Base == "" || o.Base == "/" {
		return p
	}
	return o.Base + strings.TrimPrefix(p, "/")
}

// Page is what a page template is given.
type Page struct {
	Site        *model.Site
	Kind        string // "index", "category" or "404"
	Path        string // the page's path, such as "/" or "/testing-prompts/"
	Title       string // for <title>
	Description string // for the meta description and link previews
	URL         string // absolute address, or empty without a base URL
	Category    *model.Category
	Prev, Next  *model.Category
	Opts        Options
	// Nav is the list of categories, with the page's own marked as
	// current, rendered from the "nav" template while the page is.
	Nav template.HTML
	// HomeIDs maps prompt anchors to the id their entry has on the home
	// page, which lists every prompt under the ids GitHub would give it;
	// an anchor that two files share is listed without an id the second
	// time.
	HomeIDs map[*model.Prompt]string
	// HomeFirst is how many prompts of each category the home page of a
	// large library lists, when IDs is set: it lists each category's first
	// prompts, or none, and links to the rest (see homeAll).
	HomeFirst int
	// IDs is the address of a JSON map from ids to the addresses that
	// show them, which assets/aliases.js reads when the address's
	// fragment is not on the page: on a large library's home page, the
	// GitHub ids of the prompts it does not list; on the pages of a
	// category split into pages, the ids of all of them. Empty on other
	// pages.
	IDs string

	// PreviewTitle is the title a link preview shows: the prompt's, the
	// category's, or the page's.
	PreviewTitle string
	// Prompt is the prompt a share page is for.
	Prompt *model.Prompt
	// Redirect is where a redirect page leads.
	Redirect string
	// Aliases maps the old anchors that a page answers for to where they
	// lead now, as JSON for assets/aliases.js; empty when there are none.
	Aliases string
	// AliasIDs maps a prompt's anchor to the old anchors of the same page
	// that are kept on its section.
	AliasIDs map[string][]string
	// Listing is set on the page of a category whose prompts have pages of
	// their own: it lists them.
	Listing bool
	// Cards are the prompts a listing page lists: its category's, or its
	// part of them on a page of a category split into pages.
	Cards []*model.Prompt
	// Sections are the prompts of a category's page shown as sections of
	// it: those with no page of their own.
	Sections []*model.Prompt
	// Paging is set on the pages of a category split into pages: which
	// one the page is, and its links to the others.
	Paging *Paging
	// PrevPrompt and NextPrompt are the prompts beside a prompt's own page
	// in its category.
	PrevPrompt, NextPrompt *model.Prompt
	// Tag is the tag a tag page lists; nil on the page that lists the tags.
	Tag *model.Tag
	// summarize, when set, is the prompt that Description is made from
	// as the page is rendered: not for a page that a Cache gives back,
	// whose key has the prompt already. A large library has thousands.
	summarize *model.Prompt
}

// Updated is the day the page last changed, as 2006-01-02, or "": a
// prompt's, a category's, or the newest of those the page lists.
func (p *Page) Updated() string {
	switch {
	case p.Prompt != nil:
		return p.Prompt.Updated
	case p.Category != nil:
		return p.Category.Updated
	case p.Tag != nil:
		last := ""
		for _, x := range p.Tag.Prompts {
			last = max(last, x.Updated)
		}
		return last
	}
	last := ""
	for _, c := range p.Site.Categories {
		last = max(last, c.Updated)
	}
	return last
}

// Item is what the partials for one prompt are given: the page, and the
// prompt.
type Item struct {
	*Page
	P *model.Prompt
}

// HasTOC reports whether the page lists its prompts in an "On this page"
// box: a category's page whose prompts are sections of it.
func (p *Page) HasTOC() bool {
	return p.Kind == "category" && !p.Listing && len(p.Sections) > 0
}

// FirstPage reports whether the page is a category's own: its only page,
// or the first of several, which shows the category's introduction.
func (p *Page) FirstPage() bool { return p.Paging == nil || p.Paging.Number == 1 }

// Link returns the address of p, a path from the site's root, under the
// site's base path; templates write every link through it.
func (p *Page) Link(path string) string { return p.Opts.Link(path) }

// ForeignStrings returns the interface strings of the page's scripts, as
// JSON for <body data-strings>, when the page is in another language than
// the library's, whose strings site.js holds; else "".
func (p *Page) ForeignStrings() string {
	if !p.Opts.foreign {
		return ""
	}
	return p.Opts.ScriptStrings()
}

// T returns the interface string of key in the page's language, its
// placeholders filled in from args, pairs of a name and a value:
// {{.T "copy_link_to" "title" .Title}}.
func (p *Page) T(key string, args ...string) string { return p.Opts.Text().T(key, args...) }

// N returns the form of the plural interface string key for the number n:
// {{.N "prompts" 3}}.
func (p *Page) N(key string, n int, args ...string) string { return p.Opts.Text().N(key, n, args...) }

// Split returns the interface string of key as the text before its
// placeholder name and the text after it, for the template to write
// markup of its own in between:
// {{$s := .Split "updated" "date"}}{{index $s 0}}<time>…</time>{{index $s 1}}.
func (p *Page) Split(key, name string) []string {
	before, after := p.Opts.Text().Split(key, name)
	return []string{before, after}
}

// Pages renders every page of s: the home page, a page per category, the
// 404 page, sitemap.xml and robots.txt.
func (t *Templates) Pages(s *model.Site, opts Options) (*output.Tree, error) {
	return t.PagesContext(context.Background(), s, opts)
}

// PagesContext is Pages that stops, with ctx's error, soon after ctx is
// done.
func (t *Templates) PagesContext(ctx context.Context, s *model.Site, opts Options) (*output.Tree, error) {
	tree := output.NewTree()
	if err := t.RenderInto(ctx, tree, s, opts); err != nil {
		return nil, err
	}
	return tree, nil
}

// RenderInto is PagesContext that adds the pages to tree as they are
// rendered, in order, rather than all at the end: a tree that writes its
// files out and forgets them then never holds every page at once.
func (t *Templates) RenderInto(ctx context.Context, tree *output.Tree, s *model.Site, opts Options) error {
	return t.RenderCached(ctx, tree, s, opts, nil, nil)
}

// RenderCached is RenderInto that takes from cache the pages it rendered
// before from the same values, and keeps there those it renders; cache may
// be nil. pagesDone, when not nil, is called once the pages are in tree,
// before the library's markdown files join them: the dev server shows the
// pages then. An error it returns ends the render.
func (t *Templates) RenderCached(ctx context.Context, tree *output.Tree, s *model.Site, opts Options, cache *Cache, pagesDone func() error) error {
	// The addresses pages link to, base path included, are worked out once
	// here rather than in the templates on every page.
	for _, c := range s.Categories {
		c.Href = opts.Link(c.URL())
		for _, p := range c.Prompts {
			p.Href, p.ShareHref = opts.Link(p.URL(c)), opts.Link(p.ShareURL(c))
		}
	}
	for _, tg := range s.Tags {
		tg.Href = opts.Link(tg.URL())
	}
	opts.BaseURL = strings.TrimRight(opts.BaseURL, "/")
	opts = opts.withText()
	text := opts.Text()
	abs := func(p string) string {
		if opts.BaseURL == "" {
			return ""
		}
		return opts.BaseURL + p
	}

	var made *contentFiles
	if cache != nil {
		cache.mu.Lock()
		defer cache.mu.Unlock()
	}
	if cache != nil && cache.lean {
		cache.diffMu.Lock()
		cache.differed = nil
		cache.diffMu.Unlock()
	}
	if cache != nil && !cache.lean {
		made = &contentFiles{lastIDs: cache.ids, keptIDs: map[uint64]idFile{},
			lastMarkdown: cache.markdown, keptMarkdown: map[uint64][]mdFile{}}
	}
	home := &Page{
		Site: s, Kind: "index", Path: "/", Title: s.Title,
		Description: describe(s.Description, s.Title),
		URL:         abs("/"), Opts: opts,
		HomeIDs: homeIDs(s),
	}
	if err := home.shorten(tree, made); err != nil {
		return err
	}
	pages := []*Page{home}
	// A page whose text is in another language than the library's is in
	// that language, interface included; options are worked out once per
	// language.
	langOpts := map[string]Options{}
	optsIn := func(tags ...string) Options {
		tag := ""
		for _, t := range tags {
			if t != "" {
				tag = t
				break
			}
		}
		o, ok := langOpts[tag]
		if !ok {
			o = opts.inLang(tag)
			langOpts[tag] = o
		}
		return o
	}
	for i, c := range s.Categories {
		cps, err := categoryPages(tree, made, s, c, optsIn(c.Lang), abs)
		if err != nil {
			return err
		}
		for _, p := range cps {
			if i > 0 {
				p.Prev = s.Categories[i-1]
			}
			if i+1 < len(s.Categories) {
				p.Next = s.Categories[i+1]
			}
		}
		pages = append(pages, cps...)
	}
	for _, c := range s.Categories {
		for i, pr := range c.Prompts {
			if !pr.Own {
				continue
			}
			p := &Page{
				Site: s, Kind: "prompt", Path: pr.URL(c), Category: c, Prompt: pr,
				Title:     pr.Title + " · " + c.Title + " · " + s.Title,
				summarize: pr,
				URL:       abs(pr.URL(c)), Opts: optsIn(pr.Lang, c.Lang),
			}
			if i > 0 {
				p.PrevPrompt = c.Prompts[i-1]
			}
			if i+1 < len(c.Prompts) {
				p.NextPrompt = c.Prompts[i+1]
			}
			pages = append(pages, p)
		}
	}
	if len(s.Tags) > 0 {
		pages = append(pages, &Page{Site: s, Kind: "tag", Path: "/tags/", Title: text.T("tags") + " · " + s.Title,
			Description: describe(text.N("tags_description", len(s.Tags), "site", s.Title), ""), URL: abs("/tags/"), Opts: opts})
		for _, t := range s.Tags {
			pages = append(pages, &Page{Site: s, Kind: "tag", Path: t.URL(), Tag: t, Title: t.Name + " · " + s.Title,
				Description: describe(tagSummary(t, text), t.Name), URL: abs(t.URL()), Opts: opts})
		}
	}
	pages = append(pages, &Page{
		Site: s, Kind: "404", Path: "/404.html", Title: text.T("not_found") + " · " + s.Title,
		Description: describe(s.Description, s.Title), Opts: opts,
	})
	// A prompt's share page is made as it is rendered: a large library
	// has thousands, which need not all be held at once.
	type shared struct {
		c *model.Category
		p *model.Prompt
	}
	var shares []shared
	for _, c := range s.Categories {
		for _, p := range c.Prompts {
			shares = append(shares, shared{c, p})
		}
	}
	// What aliases adds to a share page (see aliases), by path.
	var shareAliases map[string]string
	sharePage := func(sh shared) *Page {
		c, p := sh.c, sh.p
		share := p.ShareURL(c)
		return &Page{
			Site: s, Kind: "redirect", Path: share, Category: c, Prompt: p,
			Title:     p.Title + " · " + s.Title,
			summarize: p,
			URL:       abs(share), Redirect: p.Href, Opts: optsIn(p.Lang, c.Lang),
			PreviewTitle: p.Title, Aliases: shareAliases[share],
		}
	}
	var sharePaths map[string]bool
	if len(s.Aliases) > 0 {
		sharePaths = make(map[string]bool, len(shares))
		for _, sh := range shares {
			sharePaths[sh.p.ShareURL(sh.c)] = true
		}
	}
	aliasPages, shareAliases, err := aliases(s, pages, sharePaths, opts)
	if err != nil {
		return err
	}
	sharePaths = nil
	for _, p := range aliasPages {
		p.Site, p.Opts, p.Kind = s, opts, "redirect"
		p.Title = text.T("moved_title") + " · " + s.Title
		p.Description = text.T("moved_text")
	}

	for _, p := range slices.Concat(pages, aliasPages) {
		switch {
		case p.Prompt != nil:
			p.PreviewTitle = p.Prompt.Title
		case p.Category != nil:
			p.PreviewTitle = p.Category.Title
		default:
			p.PreviewTitle = p.Title
		}
	}

	// Pages are rendered on every core, and added in order: the pages,
	// the share pages, then the pages that lead from old addresses.
	labels := map[string]*strings.Replacer{opts.Language(): copyLabels(text)}
	for _, o := range langOpts {
		labels[o.Language()] = copyLabels(o.Text())
	}
	var kept map[string]cachedPage
	var keptMade []Made
	reused, rendered := 0, 0
	var keyer *keyer // made at the first list of pages with one kept
	if cache != nil && !cache.lean {
		kept = make(map[string]cachedPage, len(cache.pages))
	}
	renderList := func(list []*Page) error {
		var reuse func(i int) ([]byte, func() []byte)
		var keys []uint64
		// known are, with a Cache of NewPastCache, the pages its past
		// has as they would be rendered: they go to the tree known by
		// their size and sum (see Past).
		var known []*output.Known
		if cache != nil {
			if keyer == nil {
				keyer = cache.newKeyer(t, s)
			}
			keys = keyer.keys(list)
			// With the built-in theme only, whose kept pages show nothing
			// that changes once the pages are rendered: a known page may
			// be rendered when its bytes are needed, after the render.
			if cache.lean && keyer.narrow {
				known = make([]*output.Known, len(list))
			}
			reuse = func(i int) ([]byte, func() []byte) {
				if keys[i] == 0 {
					return nil, nil
				}
				if cache.lean {
					if cache.past == nil {
						return nil, nil
					}
					size, sum, load := cache.past.Page(fileFor(list[i].Path), keys[i])
					if load == nil || known == nil {
						return nil, load
					}
					k := &output.Known{Size: size, Sum: sum}
					k.Load = t.loadOrRender(load, s, list[i], labels, func(b []byte) {
						if len(b) != size || xxhash.Sum64(b) != sum {
							cache.differ(fileFor(list[i].Path))
						}
					})
					known[i] = k
					return knownPage, nil
				}
				if c, ok := cache.pages[list[i].Path]; ok && c.key == keys[i] {
					return c.data, nil
				}
				return nil, nil
			}
		}
		var took []bool
		err := t.renderAll(ctx, s, list, labels, reuse, func(i int, b []byte, reused bool) error {
			if known != nil && known[i] != nil {
				// The output holds it now, as long as it needs it.
				k := known[i]
				known[i] = nil
				keptMade = append(keptMade, Made{Name: fileFor(list[i].Path), Key: keys[i], Sum: k.Sum, Size: k.Size})
				if took == nil {
					took = make([]bool, len(list))
				}
				took[i] = true
				return tree.AddKnown(fileFor(list[i].Path), *k)
			}
			if keys != nil && keys[i] != 0 {
				if cache.lean {
					keptMade = append(keptMade, Made{Name: fileFor(list[i].Path), Key: keys[i], Sum: xxhash.Sum64(b), Size: len(b)})
				} else {
					kept[list[i].Path] = cachedPage{keys[i], b}
				}
				if took == nil {
					took = make([]bool, len(list))
				}
				took[i] = reused
			}
			return tree.Add(fileFor(list[i].Path), b)
		})
		if err != nil || cache == nil {
			return err
		}
		for i := range list {
			if keys[i] != 0 && took[i] {
				reused++
			} else {
				rendered++
			}
		}
		return nil
	}
	if cache != nil && !cache.lean {
		// The keys of one list are made together (see pageKeys): serve's
		// pages go as one.
		all := slices.Clone(pages)
		for _, sh := range shares {
			all = append(all, sharePage(sh))
		}
		if err := renderList(append(all, aliasPages...)); err != nil {
			return err
		}
		cache.reused, cache.rendered = reused, rendered
		cache.pages, cache.ids = kept, made.keptIDs
	} else {
		if err := renderList(pages); err != nil {
			return err
		}
		const chunk = 512 // share pages made at a time
		list := make([]*Page, 0, min(chunk, len(shares)))
		for lo := 0; lo < len(shares); lo += chunk {
			list = list[:0]
			for _, sh := range shares[lo:min(lo+chunk, len(shares))] {
				list = append(list, sharePage(sh))
			}
			if err := renderList(list); err != nil {
				return err
			}
		}
		if err := renderList(aliasPages); err != nil {
			return err
		}
		if cache != nil {
			cache.reused, cache.rendered, cache.made = reused, rendered, keptMade
		}
	}

	robots := "User-agent: *\nAllow: /\n"
	if opts.BaseURL != "" {
		var listed []*Page
		for _, p := range pages {
			switch p.Kind {
			case "index", "category", "prompt", "tag":
				listed = append(listed, p)
			}
		}
		sm, err := sitemap(listed)
		if err != nil {
			return err
		}
		if err := tree.Add("sitemap.xml", sm); err != nil {
			return err
		}
		robots += "\nSitemap: " + opts.BaseURL + "/sitemap.xml\n"
	}
	if err := tree.Add("robots.txt", []byte(robots)); err != nil {
		return err
	}
	if pagesDone != nil {
		if err := pagesDone(); err != nil {
			return err
		}
	}
	if err := addMarkdown(tree, made, s, opts); err != nil {
		return err
	}
	if cache != nil && !cache.lean {
		cache.markdown = made.keptMarkdown
	}
	return nil
}

// addMarkdown adds the library as markdown, for people and programs that
// read markdown better than pages: each category's source at
// /<slug>/index.md, as written; the home page's at /index.md; and, by the
// llms.txt convention, /llms.txt, which lists the pages, and
// /llms-full.txt, which holds the whole library in one file.
func addMarkdown(tree *output.Tree, made *contentFiles, s *model.Site, opts Options) error {
	text := opts.Text()
	head := s.Markdown
	if head == "" {
		head = "# " + s.Title + "\n"
	}
	var home, llms strings.Builder
	// The whole library is the biggest file of a site: it is made at its
	// size, in the bytes that go out.
	size := len(head)
	for _, c := range s.Categories {
		size += 1 + len(c.Markdown)
	}
	full := append(make([]byte, 0, size), head...)
	home.WriteString(head + "\n## " + text.T("categories") + "\n\n")
	llms.WriteString("# " + s.Title + "\n\n")
	if d := describe(s.Description, ""); d != "" {
		llms.WriteString("> " + d + "\n\n")
	}
	llms.WriteString("## " + text.T("categories") + "\n\n")
	for _, c := range s.Categories {
		md := c.URL() + "index.md"
		for _, f := range made.categoryMarkdown(c) {
			if err := tree.Add(f.name, f.data); err != nil {
				return err
			}
		}
		item := "- [" + linkText(c.Title) + "](" + opts.Link(md) + ")"
		if d := describe(categorySummary(c, text), ""); d != "" {
			item += ": " + d
		}
		home.WriteString(item + "\n")
		if opts.BaseURL != "" {
			item = strings.Replace(item, "("+opts.Link(md)+")", "("+opts.BaseURL+md+")", 1)
		}
		llms.WriteString(item + "\n")
		full = append(append(full, '\n'), c.Markdown...)
	}
	for name, b := range map[string]*strings.Builder{"index.md": &home, "llms.txt": &llms} {
		if err := tree.Add(name, []byte(b.String())); err != nil {
			return err
		}
	}
	return tree.Add("llms-full.txt", full)
}

// linkText escapes what would end a markdown link's text early.
func linkText(s string) string {
	return strings.NewReplacer(`\`, `\\`, "[", `\[`, "]", `\]`).Replace(s)
}

// labelled returns a copy of b, the rendered page p, with the labels of
// its language's copy buttons, if any (see copyLabels).
func (t *Templates) labelled(b *bytes.Buffer, p *Page, labels map[string]*strings.Replacer) []byte {
	if l := labels[p.Opts.Language()]; l != nil && bytes.Contains(b.Bytes(), copyButton) {
		return []byte(l.Replace(b.String()))
	}
	return bytes.Clone(b.Bytes())
}

// renderAll renders pages on every core and gives each to add, in the
// pages' order, as soon as it and the pages before it are rendered. reuse,
// when set, may give a page's bytes, which go to add in the page's turn,
// or a function that reads them, which a worker calls in place of
// rendering the page; one that returns nil has the worker render it. add
// is told which pages were not rendered. Each worker keeps its buffers for
// the whole run; a page is copied out of them at its own size. The
// replacer labels gives for a page's language, when not nil, is applied to
// the page (see copyLabels). renderAll stops at the first error, and
// returns the earliest failing page's.
func (t *Templates) renderAll(ctx context.Context, s *model.Site, pages []*Page, labels map[string]*strings.Replacer, reuse func(i int) ([]byte, func() []byte), add func(i int, b []byte, reused bool) error) error {
	// The pages whose bytes are at hand go to add in their turn; the
	// workers read or render the others.
	var kept [][]byte
	var loads []func() []byte
	todo := make([]int, 0, len(pages))
	if reuse != nil {
		kept, loads = make([][]byte, len(pages)), make([]func() []byte, len(pages))
		for i := range pages {
			if kept[i], loads[i] = reuse(i); kept[i] == nil {
				todo = append(todo, i)
			}
		}
	} else {
		for i := range pages {
			todo = append(todo, i)
		}
	}
	type rendered struct {
		i      int
		data   []byte
		reused bool
		err    error
	}
	results := make(chan rendered, 64)
	var (
		next    atomic.Int64
		stopped atomic.Bool
		wg      sync.WaitGroup
		quit    = make(chan struct{})
		once    sync.Once
	)
	stop := func() {
		stopped.Store(true)
		once.Do(func() { close(quit) })
	}
	// window holds a place for each page a worker has taken and add has
	// not: a worker that reads pages far faster than another renders one
	// does not read the whole list ahead of its turn.
	window := make(chan struct{}, 4*runtime.GOMAXPROCS(0))
	for range min(runtime.GOMAXPROCS(0), len(todo)) {
		wg.Go(func() {
			var b, nav bytes.Buffer
			for {
				select {
				case window <- struct{}{}:
				case <-quit:
					return
				}
				n := int(next.Add(1) - 1)
				if n >= len(todo) || stopped.Load() {
					<-window
					return
				}
				i := todo[n]
				if err := ctx.Err(); err != nil {
					results <- rendered{i: i, err: err}
					return
				}
				if loads != nil && loads[i] != nil {
					if data := loads[i](); data != nil {
						results <- rendered{i: i, data: data, reused: true}
						continue
					}
				}
				b.Reset()
				if err := t.renderPage(&b, &nav, s, pages[i]); err != nil {
					results <- rendered{i: i, err: err}
					continue
				}
				results <- rendered{i: i, data: t.labelled(&b, pages[i], labels)}
			}
		})
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	// Pages that come before their turn wait here; the workers are
	// never far ahead of one another.
	waiting := map[int]rendered{}
	turn, failed, first := 0, -1, error(nil)
	// flush adds the pages whose turn has come, reused or rendered.
	flush := func() {
		for turn < len(pages) && failed < 0 {
			var r rendered
			if kept != nil && kept[turn] != nil {
				r = rendered{data: kept[turn], reused: true}
			} else {
				var ok bool
				if r, ok = waiting[turn]; !ok {
					return
				}
				delete(waiting, turn)
			}
			if kept == nil || kept[turn] == nil {
				<-window // a worker's page
			}
			if err := add(turn, r.data, r.reused); err != nil {
				failed, first = turn, err
				stop()
				return
			}
			turn++
		}
	}
	flush()
	for r := range results {
		if r.err != nil {
			if failed < 0 || r.i < failed {
				failed, first = r.i, r.err
			}
			stop()
		}
		if failed >= 0 {
			continue // drain
		}
		waiting[r.i] = r
		flush()
	}
	return first
}

// renderPage renders p into b, using nav for its list of categories.
func (t *Templates) renderPage(b, nav *bytes.Buffer, s *model.Site, p *Page) error {
	if pr := p.summarize; pr != nil {
		p.Description, p.summarize = describe(promptSummary(pr), pr.Title), nil
	}
	// A redirect page is a small document of its own, without the layout
	// and its list of every category.
	if p.Kind == "redirect" {
		if t.fastShare && p.Prompt != nil {
			writeSharePage(b, p)
			return nil
		}
		if err := t.pages[p.Kind].ExecuteTemplate(b, "redirect.html", p); err != nil {
			return fmt.Errorf("render %s: %w", p.Path, err)
		}
		return nil
	}
	nav.Reset()
	l := newNavList(s.Categories, p.Category, p.Opts)
	l.Home = p.Kind == "index"
	l.Later = !p.FirstPage()
	if t.fastCategory && p.Kind == "category" {
		writeNavTo(nav, l)
		writeCategoryPage(b, p, nav.Bytes())
		return nil
	}
	if err := t.pages[p.Kind].ExecuteTemplate(nav, "nav", l); err != nil {
		return fmt.Errorf("render %s: the category list: %w", p.Path, err)
	}
	p.Nav = template.HTML(nav.String())
	defer func() { p.Nav = "" }()
	if err := t.pages[p.Kind].ExecuteTemplate(b, "layout.html", p); err != nil {
		return fmt.Errorf("render %s: %w", p.Path, err)
	}
	return nil
}

// knownPage is what renderAll is given for a page known to the tree by its
// size and sum: at hand, but without its bytes.
var knownPage = []byte{}

// loadOrRender returns a function that returns the bytes of page p that
// load, from a Past, returns, or if it returns nil, renders p as renderAll
// would, and gives them to rendered; nil if p cannot be rendered. The
// function does its work once, whoever calls it first.
func (t *Templates) loadOrRender(load func() []byte, s *model.Site, p *Page, labels map[string]*strings.Replacer, rendered func([]byte)) func() []byte {
	return sync.OnceValue(func() []byte {
		if b := load(); b != nil {
			return b
		}
		var b, nav bytes.Buffer
		if t.renderPage(&b, &nav, s, p) != nil {
			return nil
		}
		data := t.labelled(&b, p, labels)
		rendered(data)
		return data
	})
}

// fileFor maps a page's path to the file that serves it.
func fileFor(p string) string {
	if strings.HasSuffix(p, "/") {
		return strings.TrimPrefix(p, "/") + "index.html"
	}
	return strings.TrimPrefix(p, "/")
}

// homeAll is the most prompts a library can have and still list them all
// on its home page. An entry costs some 150 bytes of HTML, 30 to 40
// gzipped: 300 make a home page of about 12 KiB gzip, which a phone shows
// at once, where one that listed 10,000 (1.5 MB of HTML) takes seconds. A
// larger library's home page lists each category with its count and its
// first prompts, as many as keep the list within homeAll entries, up to
// homeFirst; a library of more than homeAll categories, its categories
// alone.
const homeAll = 300

// homeFirst is the most prompts of each category a large library's home
// page lists.
const homeFirst = 3

// shorten makes the home page of a library of more than homeAll prompts
// list each category's first homeFirst prompts; the GitHub ids of the
// others go to a JSON map in tree, which assets/aliases.js fetches only
// when an address's fragment is not on the page.
func (p *Page) shorten(tree *output.Tree, made *contentFiles) error {
	n := 0
	for _, c := range p.Site.Categories {
		n += len(c.Prompts)
	}
	if n <= homeAll {
		return nil
	}
	p.HomeFirst = min(homeFirst, homeAll/len(p.Site.Categories))
	var rest []idEntry
	for _, c := range p.Site.Categories {
		for _, pr := range c.Prompts[min(p.HomeFirst, len(c.Prompts)):] {
			if id, ok := p.HomeIDs[pr]; ok {
				rest = append(rest, idEntry{id, p.Opts.Link(pr.URL(c))})
				delete(p.HomeIDs, pr)
			}
		}
	}
	at, err := made.idMap(tree, rest)
	if err != nil {
		return fmt.Errorf("render: the home page's ids: %w", err)
	}
	p.IDs = p.Opts.Link(at)
	return nil
}

// HomePrompts returns the prompts of c that the home page lists.
func (p *Page) HomePrompts(c *model.Category) []*model.Prompt {
	if p.IDs != "" {
		return c.Prompts[:min(p.HomeFirst, len(c.Prompts))]
	}
	return c.Prompts
}

// HomeMore reports whether the home page leaves some prompts of c out.
func (p *Page) HomeMore(c *model.Category) bool { return len(p.HomePrompts(c)) < len(c.Prompts) }

func homeIDs(s *model.Site) map[*model.Prompt]string {
	ids := map[*model.Prompt]string{}
	used := map[string]bool{}
	for _, c := range s.Categories {
		used[c.Slug] = true
	}
	for _, c := range s.Categories {
		for _, p := range c.Prompts {
			if !used[p.Anchor] {
				used[p.Anchor] = true
				ids[p] = p.Anchor
			}
		}
	}
	return ids
}

// navAll is the most categories a library can have and still list them all
// on every category's page. A larger library lists the categories around
// the page's own and links to the home page for the rest: a list of
// thousands on each of thousands of pages would make the site grow with
// the square of its size, and would help no reader.
const navAll = 40

// navSpan is how many categories on each side of its own a page lists when
// the library has more than navAll.
const navSpan = 10

// NavList is what the "nav" template is given.
type NavList struct {
	Categories []*model.Category // the ones to list
	Current    *model.Category   // the page's own; nil on other pages
	Total      int               // how many the library has
	Partial    bool              // whether some are left out
	Home       bool              // the home page's own, which lists them all itself
	// Later is set on a later page of Current split into pages, whose
	// link in the list leads to Current's first page, not to it.
	Later bool
	Opts  Options
}

// Link returns the address of p under the site's base path.
func (l NavList) Link(p string) string { return l.Opts.Link(p) }

// N returns the form of the plural interface string key for the number n.
func (l NavList) N(key string, n int) string { return l.Opts.Text().N(key, n) }

func newNavList(all []*model.Category, current *model.Category, opts Options) NavList {
	l := NavList{Categories: all, Current: current, Total: len(all), Opts: opts}
	if len(all) <= navAll {
		return l
	}
	i := max(slices.Index(all, current), 0) // a page of no category lists the first
	lo, hi := max(0, i-navSpan), min(len(all), i+navSpan+1)
	l.Categories, l.Partial = all[lo:hi], true
	return l
}

// promptSummary is what a prompt's share page says of it in a link
// preview: its description, or its introduction, or else the start of its
// text.
func promptSummary(p *model.Prompt) string {
	if p.Description != "" {
		return p.Description
	}
	if p.Intro != "" {
		return p.Intro
	}
	return p.PromptText()
}

// aliases makes old addresses lead to new ones. An old anchor on a page
// that is still there is kept on the prompt's section when the prompt is on
// the same page, and otherwise answered by assets/aliases.js from the map
// the page carries. An old page that is gone gets a page of its own that
// leads on. The pages it returns are the old pages and old share pages to
// add; it sets Aliases and AliasIDs on the live ones. The share pages,
// which are made later, are given by path in shares; what it would set on
// one of them it returns, by path.
func aliases(s *model.Site, pages []*Page, shares map[string]bool, opts Options) ([]*Page, map[string]string, error) {
	if len(s.Aliases) == 0 {
		return nil, nil, nil
	}
	live := make(map[string]*Page, len(pages))
	for _, p := range pages {
		live[p.Path] = p
	}
	// A share page stands in live once an alias names it.
	var stand []*Page
	lookup := func(path string) (*Page, bool) {
		if p, ok := live[path]; ok {
			return p, true
		}
		if !shares[path] {
			return nil, false
		}
		p := &Page{Kind: "redirect", Path: path}
		live[path] = p
		stand = append(stand, p)
		return p, true
	}
	maps := map[string]map[string]string{} // page path → old anchor → new address
	var added []*Page
	addRedirect := func(path, to string) *Page {
		if p, ok := lookup(path); ok {
			return p
		}
		p := &Page{Path: path, Redirect: opts.Link(to)}
		live[path] = p
		added = append(added, p)
		return p
	}
	// An alias leads to a prompt's lasting address, which for a prompt on
	// a later page of a category split into pages is not the page that
	// shows it: it leads to that page instead.
	shown := map[string]string{}
	for _, c := range s.Categories {
		for _, p := range c.Prompts {
			if p.Page > 1 && !p.Own {
				shown[p.Address(c)] = p.URL(c)
			}
		}
	}
	for _, a := range s.Aliases {
		fromPath, fromFrag, _ := strings.Cut(a.From, "#")
		toPath, toFrag, _ := strings.Cut(a.To, "#")
		to := a.To
		if at, ok := shown[to]; ok {
			to = at
		}
		if fromFrag == "" {
			addRedirect(fromPath, to)
			continue
		}
		if p, ok := lookup(fromPath); ok && p.Kind == "category" && fromPath == toPath && to == a.To {
			if p.AliasIDs == nil {
				p.AliasIDs = map[string][]string{}
			}
			p.AliasIDs[toFrag] = append(p.AliasIDs[toFrag], fromFrag)
		} else {
			if maps[fromPath] == nil {
				maps[fromPath] = map[string]string{}
			}
			maps[fromPath][fromFrag] = to
		}
		// The prompt's old share page leads to its new one.
		if toFrag != "" {
			addRedirect(model.SharePath(strings.Trim(fromPath, "/"), fromFrag), model.SharePath(strings.Trim(toPath, "/"), toFrag))
		}
	}
	for path, m := range maps {
		p, ok := lookup(path)
		if !ok {
			// The old page is gone and no page alias names it: lead to
			// where the first of its prompts went.
			first := ""
			for _, to := range m {
				if first == "" || to < first {
					first = to
				}
			}
			to, _, _ := strings.Cut(first, "#")
			p = addRedirect(path, to)
		}
		linked := make(map[string]string, len(m))
		for k, v := range m {
			linked[k] = opts.Link(v)
		}
		b, err := json.Marshal(linked) // sorted keys
		if err != nil {
			return nil, nil, fmt.Errorf("render aliases: %w", err)
		}
		p.Aliases = string(b)
	}
	slices.SortFunc(added, func(x, y *Page) int { return strings.Compare(x.Path, y.Path) })
	var set map[string]string
	for _, p := range stand {
		if p.Aliases != "" {
			if set == nil {
				set = map[string]string{}
			}
			set[p.Path] = p.Aliases
		}
	}
	return added, set, nil
}

// tagSummary is what a tag's page says of itself in a link preview.
func tagSummary(t *model.Tag, text *i18n.Strings) string {
	titles := make([]string, len(t.Prompts))
	for i, p := range t.Prompts {
		titles[i] = p.Title
	}
	return text.N("tag_description", len(titles), "tag", t.Name, "titles", strings.Join(titles, text.T("list_separator")))
}

// categorySummary is what a category's page says of itself in a link
// preview: its description, or its introduction, or else the prompts it
// has.
func categorySummary(c *model.Category, text *i18n.Strings) string {
	if c.Description != "" {
		return c.Description
	}
	if c.IntroText != "" {
		return c.IntroText
	}
	if len(c.Prompts) == 0 {
		return ""
	}
	titles := make([]string, len(c.Prompts))
	for i, p := range c.Prompts {
		titles[i] = p.Title
	}
	return text.N("category_description", len(titles), "titles", strings.Join(titles, text.T("list_separator")))
}

// copyButton is how the markdown's code blocks and prompts start the
// button that copies them (see site/markdown), whose label it writes in
// English.
var copyButton = []byte(`<button type="button" class="copy" hidden>`)

// copyLabels returns what puts the labels of text on the markdown's copy
// buttons, or nil when they are its own.
func copyLabels(text *i18n.Strings) *strings.Replacer {
	var pairs []string
	for _, l := range []struct{ key, markdown string }{{"copy", "Copy"}, {"copy_prompt", "Copy prompt"}} {
		if own := text.T(l.key); own != l.markdown {
			var b bytes.Buffer
			writeEscaped(&b, own)
			pairs = append(pairs, string(copyButton)+l.markdown+"</button>", string(copyButton)+b.String()+"</button>")
		}
	}
	if pairs == nil {
		return nil
	}
	return strings.NewReplacer(pairs...)
}

// describe makes a one-line description of at most 160 characters, cut at
// a word, falling back to alt when text is empty.
func describe(text, alt string) string {
	const max = 160
	s := model.Excerpt(text, max+1)
	if s == "" {
		s = alt
	}
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	var cut string
	if utf8.ValidString(s) {
		end, n := 0, 0
		for end = range s {
			if n == max-1 {
				break
			}
			n++
		}
		cut = s[:end]
	} else {
		cut = string([]rune(s)[:max-1]) // with U+FFFD for each byte that is not UTF-8
	}
	if i := strings.LastIndexByte(cut, ' '); i > max/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}

func sitemap(pages []*Page) ([]byte, error) {
	type url struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod,omitempty"`
	}
	var set struct {
		XMLName xml.Name `xml:"urlset"`
		NS      string   `xml:"xmlns,attr"`
		URLs    []url    `xml:"url"`
	}
	set.NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
	for _, p := range pages {
		set.URLs = append(set.URLs, url{Loc: p.URL, LastMod: p.Updated()})
	}
	b, err := xml.MarshalIndent(set, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("render sitemap: %w", err)
	}
	return append([]byte(xml.Header), append(b, '\n')...), nil
}
