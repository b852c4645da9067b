package site

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"html"
	"html/template"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/promptsite/promptsite/site/anchor"
	"github.com/promptsite/promptsite/site/content"
	"github.com/promptsite/promptsite/site/markdown"
	"github.com/promptsite/promptsite/site/model"
	"github.com/promptsite/promptsite/site/render"
	"github.com/promptsite/promptsite/site/search"
)

// Library is a prompt library read from its files, before it is rendered.
type Library struct {
	Site *model.Site
	docs []*markdown.Document
	p    *markdown.Parser
	// intro is the document whose introduction is the home page's.
	intro *markdown.Document
	// aliases are the old addresses that front matter keeps.
	aliases []model.Alias
	// left are the files left out of the site: drafts, and a front page
	// with no prompt.
	left map[*markdown.Document]bool
}

// ParseOptions say what, besides its files, a library is read with.
type ParseOptions struct {
	// Title names the site, whatever the files say; empty to take the
	// first file's title.
	Title string
	// Skipped are the files of the content folders that were left out.
	Skipped []content.Skip
	// Context, when set, stops the reading soon after it is done.
	Context context.Context
	// Lang is the library's language, a BCP 47 tag; empty for the one
	// most of its text is written in.
	Lang string

	// files, when set, gives the documents of files parsed before, and
	// keeps this parse's (see Cache).
	files *fileCache
}

// reserved are the first path segments of promptsite's own files, which a
// category's page cannot have.
var reserved = []string{"p", "tags", "assets", "search"}

// Parse reads every file into one library. The first file with a title
// names it. Two categories may not share a page: every such collision is
// reported at once.
func Parse(p *markdown.Parser, files []content.File, opts ParseOptions) (*Library, error) {
	s := &model.Site{}
	lib := &Library{Site: s, p: p, left: map[*markdown.Document]bool{}}
	ctx := cmp.Or(opts.Context, context.Background())
	// Each file is read on its own, so the files are shared among the
	// cores; their documents and errors keep the files' order.
	docs := make([]*markdown.Document, len(files))
	errs := make([]error, len(files))
	keys := make([]uint64, len(files)) // for opts.files
	var claimed sync.Map               // the keys whose document a file took
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(files); i = int(next.Add(1) - 1) {
				if errs[i] = ctx.Err(); errs[i] != nil {
					continue
				}
				if opts.files != nil {
					if keys[i], docs[i] = opts.files.take(ctx, &files[i], &claimed); docs[i] != nil {
						continue
					}
				}
				if docs[i], errs[i] = p.ParseContext(ctx, &files[i]); errs[i] == nil && opts.files != nil {
					docs[i].Keep()
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if opts.files != nil {
		opts.files.keep(keys, docs)
	}
	lib.docs = docs
	for _, sk := range opts.Skipped {
		s.Skipped = append(s.Skipped, model.Note{Pos: model.Pos{File: sk.Name}, Text: sk.Why})
	}

	fileCats := map[string]*model.Category{} // categories of prompt files, by slug
	frontTitle := ""                         // the title of a front page left out
	pages := map[*model.Category]bool{}      // the pages that are whole files
	for i, d := range lib.docs {
		f := &files[i]
		// The build adds its own notes: not to the document's, which
		// another build may reuse.
		src := &model.Source{File: d.File, Shape: d.Shape, Notes: slices.Clip(d.Notes)}
		s.Sources = append(s.Sources, src)
		if f.FrontPage && d.Kind != markdown.Library {
			// The repository's front page holds no prompt: it is about
			// the repository, and its title may name the site.
			src.Shape = "left out: README.md at the root of a folder with other markdown files is the repository's front page, and it holds no prompt"
			s.Skipped = append(s.Skipped, model.Note{Pos: model.Pos{File: d.File}, Text: "the repository's front page, with no prompt in it"})
			if frontTitle == "" {
				frontTitle = markdown.FirstH1(f.Data)
			}
			lib.left[d] = true
			continue
		}
		s.Warnings = append(s.Warnings, d.Warnings...)
		lang := "" // the file's own language
		if d.Meta != nil {
			lang = d.Meta.Lang
		}
		switch d.Kind {
		case markdown.Library:
			// The first file with a title or an introduction gives the
			// home page its own.
			switch {
			case lib.intro == nil && (d.Title != "" || d.IntroText != ""):
				s.Title, s.Markdown, s.Description = d.Title, d.Markdown, d.IntroText
				lib.intro = d
			case lib.intro != nil && s.Title == "" && d.Title != "":
				s.Title = d.Title
			case d.Title != "" || d.IntroText != "":
				src.Notes = append(src.Notes, model.Note{Pos: model.Pos{File: d.File},
					Text: "its title and introduction are not shown: the home page's come from " + lib.intro.File})
			}
			if len(d.Categories) == 0 && len(files) > 1 {
				s.Warnings = append(s.Warnings, model.Errorf(model.Pos{File: d.File}, "add \"## Category\" headings, or leave the file out",
					"nothing from this file is published: it has no category"))
			}
			for _, c := range d.Categories {
				c.Lang = lang
			}
			s.Categories = append(s.Categories, d.Categories...)
		case markdown.Page:
			if d.Page == nil {
				s.Warnings = append(s.Warnings, model.Errorf(model.Pos{File: d.File}, "write in it, or leave the file out",
					"nothing from this file is published: it is empty"))
				continue
			}
			d.Page.Lang = lang
			s.Categories = append(s.Categories, d.Page)
			pages[d.Page] = true
		case markdown.Prompt:
			if d.Meta != nil && d.Meta.Draft {
				s.Skipped = append(s.Skipped, model.Note{Pos: model.Pos{File: d.File}, Text: "a draft (draft: true): not published"})
				src.Shape += ", a draft: not published"
				lib.left[d] = true
				continue
			}
			c := lib.fileCategory(d, f, fileCats)
			d.Prompt.Lang = lang
			d.Prompt.Category = c
			c.Prompts = append(c.Prompts, d.Prompt)
		}
	}
	// Prompt files are sorted in their category by weight, the files'
	// order breaking ties; each has an anchor of its own in it.
	for _, c := range fileCats {
		slices.SortStableFunc(c.Prompts, func(a, b *model.Prompt) int { return a.Weight - b.Weight })
		var ids anchor.Set
		for _, p := range c.Prompts {
			if id := ids.Unique(p.Anchor); id != p.Anchor {
				s.Warnings = append(s.Warnings, model.Errorf(p.Source, "rename one of the files",
					"prompt %q has the address of another prompt of %q, #%s: it gets #%s", p.Title, c.Title, p.Anchor, id))
				p.Anchor = id
			}
		}
		c.Markdown = categoryMarkdown(c)
	}
	if err := checkPages(s, pages); err != nil {
		return nil, err
	}
	for _, c := range s.Categories {
		for _, p := range c.Prompts {
			p.Category = c
		}
		s.Warnings = append(s.Warnings, lint(c)...)
	}
	if err := lib.readMeta(); err != nil {
		return nil, err
	}
	if len(s.Categories) == 0 {
		names := make([]string, len(files))
		for i, f := range files {
			names[i] = f.Name
		}
		return nil, fmt.Errorf("%s: nothing to publish: no prompt or page in them; a prompt is a section with a fenced block or a blockquote, or a file of its own",
			strings.Join(names, ", "))
	}
	switch {
	case opts.Title != "":
		s.Title = opts.Title
	case s.Title != "":
	case frontTitle != "":
		s.Title = frontTitle
	case len(files) > 0 && files[0].RootName != "" && files[0].RootName != ".":
		s.Title = markdown.Humanize(files[0].RootName)
	default:
		s.Title = "Prompts"
	}
	if s.Lang = opts.Lang; s.Lang == "" {
		s.Lang = search.Language(s)
	}
	settleLangs(s)
	// A large category is split into pages before anything takes the
	// addresses of its prompts.
	render.Paginate(s)
	return lib, nil
}

// settleLangs gives a category the language of its prompts when they all
// have the same, and keeps a language on a prompt or category only where
// it is not the one around it.
func settleLangs(s *model.Site) {
	same := func(a, b string) bool { return strings.EqualFold(a, b) }
	for _, c := range s.Categories {
		own := cmp.Or(c.Lang, s.Lang)
		if len(c.Prompts) > 0 {
			first := cmp.Or(c.Prompts[0].Lang, own)
			if !slices.ContainsFunc(c.Prompts, func(p *model.Prompt) bool { return !same(cmp.Or(p.Lang, own), first) }) {
				own = first
			}
		}
		c.Lang = own
		if same(c.Lang, s.Lang) {
			c.Lang = ""
		}
		for _, p := range c.Prompts {
			if same(p.Lang, own) {
				p.Lang = ""
			}
		}
	}
}

// fileCategory returns the category of the prompt file d: the one its
// front matter names, else its folder's, else its content root's.
func (lib *Library) fileCategory(d *markdown.Document, f *content.File, cats map[string]*model.Category) *model.Category {
	var title, folder string
	switch {
	case d.Meta != nil && d.Meta.Category != "":
		title = d.Meta.Category
	case d.Folder != "":
		folder = d.Folder
		title = markdown.Humanize(path.Base(d.Folder))
	case f.RootName != "" && f.RootName != ".":
		title = markdown.Humanize(f.RootName)
	default:
		title = "Prompts"
	}
	slug := anchor.Slug(title)
	if folder != "" {
		slug = anchor.Slug(strings.ReplaceAll(folder, "/", "-"))
	}
	if slug == "" {
		slug = "prompts"
	}
	if c, ok := cats[slug]; ok {
		return c
	}
	where := strings.TrimSuffix(f.Name, filepath.FromSlash(f.Rel))
	c := &model.Category{Title: title, TitleHTML: template.HTML(html.EscapeString(title)), Slug: slug, Folder: folder,
		Source: model.Pos{File: filepath.Join(where, filepath.FromSlash(folder))}}
	if d.Meta != nil && d.Meta.Category != "" {
		c.Source = model.Pos{File: d.File, Line: d.Meta.Line}
	}
	cats[slug] = c
	lib.Site.Categories = append(lib.Site.Categories, c)
	return c
}

// checkPages gives each category its page, and reports at once every two
// categories that would share one. A category whose page would take a
// path of promptsite's own files gets another; so does a page that is a
// whole file, such as a guide, whose title another page has: its author
// has no heading to give an id to, and the same title in two folders is no
// mistake.
func checkPages(s *model.Site, pages map[*model.Category]bool) error {
	where := map[string]*model.Category{}
	var errs []error
	for _, c := range s.Categories {
		if seg := model.Segment(c.Slug); slices.Contains(reserved, seg) {
			c.Path = seg + "-1"
		}
		key := c.PathSegment()
		if prev, dup := where[key]; dup && pages[c] {
			for i := 1; ; i++ {
				if _, taken := where[key+"-"+strconv.Itoa(i)]; !taken {
					c.Path = key + "-" + strconv.Itoa(i)
					break
				}
			}
			s.Warnings = append(s.Warnings, model.Errorf(c.Source, "give one of them another title",
				"page %q has the title of the page at %s: it is published at /%s/", c.Title, prev.Source, c.Path))
			key = c.Path
		} else if dup {
			errs = append(errs, model.Errorf(c.Source, "rename one of them, or give one an id of its own: "+c.Title+" {#other-id}",
				"category %q has the page /%s/, which category %q at %s has too", c.Title, key, prev.Title, prev.Source))
			continue
		}
		where[key] = c
	}
	return errors.Join(errs...)
}

// readMeta applies what the front matter of prompt files says beyond
// their own prompt: their tags, and the old addresses that lead to them.
func (lib *Library) readMeta() error {
	s := lib.Site
	tags := map[string]*model.Tag{}
	var errs []error
	for _, d := range lib.docs {
		p := d.Prompt
		if d.Kind != markdown.Prompt || d.Meta == nil || lib.left[d] {
			continue
		}
		for _, name := range d.Meta.Tags {
			slug := anchor.Slug(name)
			if slug == "" {
				s.Warnings = append(s.Warnings, model.Errorf(model.Pos{File: d.File, Line: d.Meta.Line},
					"put a letter or digit in it", "tag %q has no letter or digit to make its page's address from: it is left out", name))
				continue
			}
			t := tags[slug]
			if t == nil {
				t = &model.Tag{Name: name, Slug: slug}
				tags[slug] = t
				s.Tags = append(s.Tags, t)
			}
			if !slices.Contains(t.Prompts, p) {
				t.Prompts = append(t.Prompts, p)
				p.Tags = append(p.Tags, t)
			}
		}
		for _, a := range d.Meta.Aliases {
			from, ok := aliasPath(a)
			if !ok {
				errs = append(errs, model.Errorf(model.Pos{File: d.File, Line: d.Meta.Line},
					"write an address of the site, such as /old-category/ or /old-category/#old-prompt",
					"alias %q is not an address of the site", a))
				continue
			}
			lib.aliases = append(lib.aliases, model.Alias{From: from, To: p.URL(p.Category)})
		}
	}
	slices.SortFunc(s.Tags, func(a, b *model.Tag) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return errors.Join(errs...)
}

// aliasPath reads an old address from front matter: a path of the site,
// such as /old/ or /old/#anchor; one with no trailing slash gets one.
func aliasPath(a string) (string, bool) {
	a = strings.TrimSpace(a)
	if a == "" || strings.ContainsAny(a, " \t") || strings.Contains(a, "://") || strings.HasPrefix(a, "//") {
		return "", false
	}
	p, frag, hasFrag := strings.Cut(a, "#")
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	if hasFrag {
		if frag == "" || strings.Contains(frag, "#") {
			return "", false
		}
		return p + "#" + frag, true
	}
	return p, true
}

// categoryMarkdown is the markdown of a category of prompt files: its
// title, and each prompt under its own title.
func categoryMarkdown(c *model.Category) string {
	var b strings.Builder
	b.WriteString("# " + c.Title + "\n")
	for _, p := range c.Prompts {
		_, body, _ := strings.Cut(p.Markdown, "\n")
		b.WriteString("\n## " + p.Title + "\n" + body)
	}
	return b.String()
}
