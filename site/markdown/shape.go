package markdown

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"

	"github.com/promptsite/promptsite/site/anchor"
	"github.com/promptsite/promptsite/site/content"
	"github.com/promptsite/promptsite/site/model"
)

// The shape of a file is found by one rule, from its headings:
//
//   - a section holds a prompt when one of its own blocks (before any
//     heading under it) is a fenced block of prose (no language, or text,
//     markdown or prompt) or, in a file with no such fenced block, a
//     blockquote;
//   - a prompt is a section that holds a prompt and has no such section
//     under it; the shallowest level that has one is the file's prompt
//     level, and every section of that level is an entry: a prompt, or,
//     when it holds none, a note beside the prompts, such as a tip;
//   - the sections one level up are the categories; a lone heading above
//     them is the library's title, and what comes before the first
//     category is its introduction.
//
// Some files are one prompt whatever their headings: a file with front
// matter, a file named *.prompt.md, a file whose only prompt is its lone
// H1, and the only file of a folder when it is named system.md, prompt.md
// or user.md, or has no title of its own and no prompt. A file with no
// prompt at all is a page of text.

// section is a heading and the blocks under it, up to the next heading of
// its level or above. Blocks are the document's top-level nodes, by index.
type section struct {
	h          *ast.Heading
	level      int
	start, end int // the heading's index, and the index after the last block
	parent     *section
	children   []*section
	holder     ast.Node // the block that holds its prompt
	below      bool     // whether a section under it holds a prompt
}

// direct returns the end of the section's own blocks: where its first
// sub-section starts.
func (s *section) direct() int {
	if len(s.children) > 0 {
		return s.children[0].start
	}
	return s.end
}

// outline is a document's top-level blocks and its sections.
type outline struct {
	nodes    []ast.Node
	sections []*section // in document order
}

func newOutline(root ast.Node) *outline {
	o := &outline{nodes: make([]ast.Node, 0, root.ChildCount())}
	var open []*section
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		i := len(o.nodes)
		o.nodes = append(o.nodes, n)
		h, ok := n.(*ast.Heading)
		if !ok {
			continue
		}
		for len(open) > 0 && open[len(open)-1].level >= h.Level {
			open[len(open)-1].end = i
			open = open[:len(open)-1]
		}
		s := &section{h: h, level: h.Level, start: i}
		if len(open) > 0 {
			s.parent = open[len(open)-1]
			s.parent.children = append(s.parent.children, s)
		}
		o.sections = append(o.sections, s)
		open = append(open, s)
	}
	for _, s := range open {
		s.end = len(o.nodes)
	}
	return o
}

// proseLangs are the languages of fenced blocks that hold prose: a prompt
// rather than code to run.
var proseLangs = map[string]bool{"": true, "text": true, "txt": true, "plain": true, "plaintext": true,
	"markdown": true, "md": true, "prompt": true}

func isPromptFence(n ast.Node, src []byte) bool {
	switch n := n.(type) {
	case *ast.FencedCodeBlock:
		return proseLangs[strings.ToLower(string(n.Language(src)))]
	case *ast.CodeBlock:
		return true
	}
	return false
}

// findHolders marks the sections that hold a prompt, and returns the form
// prompts take in the file: "fence", or "quote" when no section holds a
// fenced block of prose.
func (o *outline) findHolders(src []byte) string {
	form := "quote"
	for _, s := range o.sections {
		if slices.ContainsFunc(o.nodes[s.start+1:s.direct()], func(n ast.Node) bool { return isPromptFence(n, src) }) {
			form = "fence"
			break
		}
	}
	for _, s := range o.sections {
		for _, n := range o.nodes[s.start+1 : s.direct()] {
			if form == "fence" && isPromptFence(n, src) || form == "quote" && n.Kind() == ast.KindBlockquote {
				s.holder = n
				break
			}
		}
	}
	for i := len(o.sections) - 1; i >= 0; i-- {
		s := o.sections[i]
		if s.parent != nil && (s.holder != nil || s.below) {
			s.parent.below = true
		}
	}
	return form
}

// promptLevel returns the shallowest level of a section that holds a
// prompt with none under it; 0 when no section does.
func (o *outline) promptLevel() int {
	level := 0
	for _, s := range o.sections {
		if s.holder != nil && !s.below && (level == 0 || s.level < level) {
			level = s.level
		}
	}
	return level
}

// h1s returns the sections at level 1.
func (o *outline) h1s() []*section {
	var out []*section
	for _, s := range o.sections {
		if s.level == 1 {
			out = append(out, s)
		}
	}
	return out
}

// folderFiles are the names of a folder's only file that make the folder
// one prompt whatever the file holds.
var folderFiles = []string{"system.md", "prompt.md", "user.md"}

// read finds the document's shape and builds its model.
func (d *Document) read(root ast.Node, f *content.File) error {
	o := newOutline(root)
	form := o.findHolders(d.src)
	level := o.promptLevel()
	h1s := o.h1s()
	base := path.Base(f.Rel)
	lone := len(h1s) == 1 && o.sections[0] == h1s[0]
	switch {
	case f.Meta != nil:
		return d.readPrompt(o, f, "one prompt (it has front matter)")
	case f.Alone && slices.Contains(folderFiles, strings.ToLower(base)):
		return d.readFolderPrompt(o, f, "one prompt: the only file of its folder, named "+base)
	case f.Alone && level == 0 && !lone:
		return d.readFolderPrompt(o, f, "one prompt: the only file of its folder, with no title of its own")
	case strings.HasSuffix(strings.ToLower(base), ".prompt.md"):
		return d.readPrompt(o, f, "one prompt (a .prompt.md file)")
	case level == 1 && lone:
		return d.readPrompt(o, f, "one prompt: its H1 holds it")
	case level == 0:
		return d.readPage(o, f)
	}
	return d.readLibrary(o, form, level)
}

// readLibrary reads a file of categories and prompts at the given prompt
// level.
func (d *Document) readLibrary(o *outline, form string, level int) error {
	d.Kind = Library
	// A part for each heading and one for the text below it, most often.
	d.parts = slices.Grow(d.parts, 2*len(o.sections)+2)
	catLevel := level - 1
	var cats []*section
	for _, s := range o.sections {
		if s.level == catLevel {
			cats = append(cats, s)
		}
	}
	// The title: the first heading above the categories; or, in a file
	// whose first heading is a category with no entries, that heading
	// when a later category has some.
	var title *section
	for _, s := range o.sections {
		if s.level < catLevel {
			title = s
			break
		}
	}
	if title == nil && len(cats) > 1 && cats[0] == o.sections[0] && !hasLevel(cats[0].children, level) &&
		slices.ContainsFunc(cats[1:], func(c *section) bool { return hasLevel(c.children, level) }) {
		title, cats = cats[0], cats[1:]
	}
	firstCat := len(o.nodes)
	if len(cats) > 0 {
		firstCat = cats[0].start
	}
	formName := map[string]string{"fence": "fenced blocks", "quote": "blockquotes"}[form]
	hashes := strings.Repeat("#", level)

	// What comes before the first category is the introduction. In a file
	// with no category heading, the entries make a category of the file's
	// own.
	var implicit *model.Category
	var intro []ast.Node
	skip := -1
	for i := 0; i < firstCat; i++ {
		if i < skip {
			continue
		}
		n := o.nodes[i]
		if title != nil && n == ast.Node(title.h) {
			continue
		}
		if s := o.sectionAt(i); s != nil && s.level == level && s.holder != nil && len(cats) == 0 {
			if implicit == nil {
				implicit = d.fileCategory(o, s)
				d.Categories = append(d.Categories, implicit)
			}
			d.addEntry(o, implicit, s, form, level)
			skip = s.end
			continue
		}
		intro = append(intro, n)
	}
	intro = trimRules(intro)
	if title != nil {
		d.Title = inlineText(title.h, d.src)
		d.IDs[headingID(title.h)] = Owner{}
	}
	d.shiftHeadings(intro, 2)
	d.addPart(&d.Intro, intro)
	d.IntroText = plainText(intro, d.src)
	d.ownIDs(intro, Owner{})
	if title != nil || len(intro) > 0 {
		end := len(d.src)
		if firstCat < len(o.nodes) {
			end = d.offset(o.nodes[firstCat])
		}
		if strings.TrimSpace(string(d.src[:end])) != "" {
			d.Markdown = cut(d.text, 0, end)
		}
	}

	for ci, cs := range cats {
		if err := d.ctx.Err(); err != nil {
			return err
		}
		c := &model.Category{
			Title:  inlineText(cs.h, d.src),
			Slug:   headingID(cs.h),
			Source: d.pos(cs.h),
		}
		d.IDs[c.Slug] = Owner{Category: c}
		d.inline(&c.TitleHTML, cs.h)
		d.Categories = append(d.Categories, c)
		end := cs.end
		if ci+1 < len(cats) && cats[ci+1].start < end {
			end = cats[ci+1].start
		}
		introEnd := end
		for _, ch := range cs.children {
			if ch.level == level {
				introEnd = ch.start
				break
			}
		}
		cintro := trimRules(o.nodes[cs.start+1 : introEnd])
		d.shiftHeadings(cintro, 2)
		d.addPart(&c.Intro, cintro)
		c.IntroText = plainText(cintro, d.src)
		d.ownIDs(cintro, Owner{Category: c})
		for i, es := range cs.children {
			if i%64 == 63 && d.ctx.Err() != nil {
				return d.ctx.Err()
			}
			if es.level == level {
				d.addEntry(o, c, es, form, level)
			}
		}
		c.Markdown = cut(d.text, d.offset(cs.h), d.offsetAt(o, end))
	}

	// What stands outside the categories: sections above them that are
	// not the title, and entries with no category above them.
	for _, s := range o.sections {
		switch {
		case s == title || s.start < firstCat:
		case s.level < catLevel:
			body := trimRules(o.nodes[s.start+1 : s.direct()])
			if len(body) == 0 {
				d.note(s.h, fmt.Sprintf("heading %q only groups the categories under it: it is not shown", inlineText(s.h, d.src)))
				continue
			}
			d.Categories = append(d.Categories, d.page(s, body, cut(d.text, d.offset(s.h), d.offsetAt(o, s.direct()))))
		case s.level == level && s.parentAt(catLevel) == nil:
			if implicit == nil {
				implicit = d.fileCategory(o, s)
				d.Categories = append(d.Categories, implicit)
			}
			d.addEntry(o, implicit, s, form, level)
		}
	}
	prompts := 0
	for _, c := range d.Categories {
		for _, p := range c.Prompts {
			if p.Form != "" {
				prompts++
			}
		}
	}
	noun := "prompts"
	if prompts == 1 {
		noun = "prompt"
	}
	d.Shape = fmt.Sprintf("a library: %d %s in %s under %s headings", prompts, noun, formName, hashes)
	// An H1 needs no anchor as the title; as a category or a prompt, it
	// does.
	for _, c := range d.Categories {
		if err := needsID(c.Slug, c.Title, c.Source); err != nil {
			return err
		}
		for _, p := range c.Prompts {
			if err := needsID(p.Anchor, p.Title, p.Source); err != nil {
				return err
			}
		}
	}
	if title != nil {
		d.Shape += fmt.Sprintf(", titled by line %d", d.pos(title.h).Line)
	}
	return nil
}

func hasLevel(ss []*section, level int) bool {
	return slices.ContainsFunc(ss, func(s *section) bool { return s.level == level })
}

// sectionAt returns the section whose heading is node i, or nil.
func (o *outline) sectionAt(i int) *section {
	j, found := slices.BinarySearchFunc(o.sections, i, func(s *section, i int) int { return s.start - i })
	if !found {
		return nil
	}
	return o.sections[j]
}

// parentAt returns the section above s at the given level, or nil.
func (s *section) parentAt(level int) *section {
	for p := s.parent; p != nil; p = p.parent {
		if p.level == level {
			return p
		}
	}
	return nil
}

// fileCategory makes the category of a file's prompts that have no
// category heading above them: named by the file.
func (d *Document) fileCategory(o *outline, first *section) *model.Category {
	stem := strings.TrimSuffix(path.Base(d.Rel), path.Ext(d.Rel))
	title := Humanize(stem)
	if strings.EqualFold(stem, "readme") || strings.EqualFold(stem, "index") {
		title = "Prompts" // a name for what is in it, not for the file
	}
	c := &model.Category{Title: title, Slug: anchor.Slug(title), Source: model.Pos{File: d.File, Path: d.Path}}
	if c.Slug == "" {
		c.Slug = "prompts"
	}
	c.Slug = d.ids.Unique(c.Slug) // its page shows the file's headings too
	c.TitleHTML = escaped(title)
	c.Markdown = cut(d.text, d.offset(first.h), len(d.src))
	return c
}

// addEntry adds the section s, at the prompt level, to c.
func (d *Document) addEntry(o *outline, c *model.Category, s *section, form string, level int) {
	p := &model.Prompt{
		Title:    inlineText(s.h, d.src),
		Anchor:   headingID(s.h),
		Source:   d.pos(s.h),
		Category: c,
	}
	d.IDs[p.Anchor] = Owner{Category: c, Prompt: p}
	d.inline(&p.TitleHTML, s.h)
	body := trimRules(o.nodes[s.start+1 : s.end])
	d.shiftHeadings(body, 3)
	d.ownIDs(body, Owner{Category: c, Prompt: p})
	holder := s.holder
	if holder == nil && form == "fence" {
		// An entry whose only code is in a language is still a prompt:
		// its first code block is its text.
		for _, n := range o.nodes[s.start+1 : s.direct()] {
			if isCode(n) {
				holder = n
				break
			}
		}
	}
	if holder != nil {
		p.Form = form
		p.Copy = d.holderText(holder)
	} else {
		d.note(s.h, fmt.Sprintf("%q holds no prompt (no %s in it): it is shown as a note, with no Copy button",
			p.Title, map[string]string{"fence": "fenced block of prose", "quote": "blockquote"}[form]))
	}
	d.fillEntry(p, body, holder)
	d.later = append(d.later, func() { d.fillText(p, body, holder) })
	p.Markdown = cut(d.text, d.offset(s.h), d.offsetAt(o, s.end))
	c.Prompts = append(c.Prompts, p)
}

// page makes a category with no prompts from the section s: its heading,
// and body as its text.
func (d *Document) page(s *section, body []ast.Node, md string) *model.Category {
	c := &model.Category{Title: inlineText(s.h, d.src), Slug: headingID(s.h), Source: d.pos(s.h)}
	if c.Slug == "" {
		s := anchor.Slug(strings.TrimSuffix(path.Base(d.Rel), path.Ext(d.Rel)))
		if s == "" {
			s = "page"
		}
		c.Slug = d.ids.Unique(s)
	}
	d.IDs[c.Slug] = Owner{Category: c}
	d.inline(&c.TitleHTML, s.h)
	d.pageBody(c, body)
	c.Markdown = md
	return c
}

func (d *Document) pageBody(c *model.Category, body []ast.Node) {
	body = trimRules(body)
	d.shiftHeadings(body, 2)
	d.addPart(&c.Intro, body)
	c.IntroText = plainText(body, d.src)
	d.ownIDs(body, Owner{Category: c})
}

// readPage reads a file with no prompt in it as one page: titled by its
// first heading when that is its lone H1, else by its name.
func (d *Document) readPage(o *outline, f *content.File) error {
	d.Kind = Page
	if len(trimRules(o.nodes)) == 0 {
		d.Shape = "empty: nothing from it is published"
		return nil
	}
	md := cut(d.text, 0, len(d.src))
	h1s := o.h1s()
	if len(h1s) == 1 && o.sections[0] == h1s[0] {
		title := h1s[0]
		body := slices.DeleteFunc(slices.Clone(o.nodes), func(n ast.Node) bool { return n == ast.Node(title.h) })
		d.Page = d.page(title, body, md)
		d.Shape = "a page (no fenced block or blockquote in it holds a prompt)"
		return nil
	}
	stem := strings.TrimSuffix(path.Base(f.Rel), path.Ext(f.Rel))
	if (strings.EqualFold(stem, "readme") || strings.EqualFold(stem, "index")) && f.Dir() != "" {
		stem = path.Base(f.Dir()) // a folder's README is about the folder
	}
	title := Humanize(stem)
	c := &model.Category{Title: title, Slug: anchor.Slug(title), Source: model.Pos{File: d.File, Path: d.Path}, TitleHTML: escaped(title)}
	if c.Slug == "" {
		c.Slug = "page"
	}
	c.Slug = d.ids.Unique(c.Slug) // its page shows the file's headings too
	d.pageBody(c, o.nodes)
	c.Markdown = md
	d.Page = c
	d.Shape = "a page titled by its file's name (no fenced block or blockquote in it holds a prompt, and it has no lone H1)"
	return nil
}

// readPrompt reads a file that is one prompt. Its title is the front
// matter's, else its first heading when that is its lone H1, else the
// front matter's name, else the file's name; the prompt is what follows
// the title.
func (d *Document) readPrompt(o *outline, f *content.File, shape string) error {
	d.Kind = Prompt
	d.Shape = shape
	d.Folder = f.Dir()
	stem := strings.TrimSuffix(path.Base(f.Rel), path.Ext(f.Rel))
	stem = strings.TrimSuffix(stem, ".prompt")
	p := &model.Prompt{Source: model.Pos{File: d.File, Line: d.line0 + 1, Path: d.Path}, Own: true}
	d.Prompt = p
	body := o.nodes
	h1s := o.h1s()
	var titleHeading *ast.Heading
	if len(h1s) == 1 && len(o.nodes) > 0 && o.nodes[0] == ast.Node(h1s[0].h) {
		titleHeading = h1s[0].h
		body = o.nodes[1:]
	}
	m := f.Meta
	switch {
	case m != nil && m.Title != "":
		p.Title = m.Title
		p.TitleHTML = escaped(m.Title)
		body = o.nodes
	case titleHeading != nil:
		p.Title = inlineText(titleHeading, d.src)
		d.inline(&p.TitleHTML, titleHeading)
		p.Source = d.pos(titleHeading)
		d.IDs[headingID(titleHeading)] = Owner{Prompt: p}
	case m != nil && m.Name != "":
		p.Title = m.Name
		p.TitleHTML = escaped(m.Name)
	default:
		p.Title = Humanize(stem)
		p.TitleHTML = escaped(p.Title)
	}
	p.Anchor = anchor.Slug(stem)
	if p.Anchor == "" {
		p.Anchor = anchor.Slug(p.Title)
	}
	if p.Anchor == "" {
		return model.Errorf(model.Pos{File: d.File, Path: d.Path}, "give the file a name with a letter or digit in it",
			"the file's name has no letter or digit to make the prompt's address from")
	}
	if m != nil {
		p.Description = m.Description
		p.Weight = m.Weight
	}
	d.filePrompt(o, p, body)
	return nil
}

// readFolderPrompt reads the only file of a folder as one prompt named by
// the folder: the whole file is its text.
func (d *Document) readFolderPrompt(o *outline, f *content.File, shape string) error {
	d.Kind = Prompt
	d.Shape = shape
	folder := path.Base(f.Dir())
	if d.Folder = path.Dir(f.Dir()); d.Folder == "." {
		d.Folder = ""
	}
	p := &model.Prompt{Title: folder, TitleHTML: escaped(folder), Anchor: anchor.Slug(folder),
		Source: model.Pos{File: d.File, Line: d.line0 + 1, Path: d.Path}, Own: true}
	if p.Anchor == "" {
		return model.Errorf(model.Pos{File: d.File, Path: d.Path}, "give the folder a name with a letter or digit in it",
			"the folder %q has no letter or digit to make the prompt's address from", folder)
	}
	d.Prompt = p
	d.filePrompt(o, p, o.nodes)
	return nil
}

// filePrompt fills p, a prompt that is a whole file, from body: its text
// is the body as written, or its fenced block alone when the body is
// nothing but an introduction and that block.
func (d *Document) filePrompt(o *outline, p *model.Prompt, body []ast.Node) {
	body = trimRules(body)
	d.shiftHeadings(body, 2)
	owner := Owner{Prompt: p}
	d.ownIDs(body, owner)
	if len(body) == 0 {
		d.fillEntry(p, body, nil)
		d.fillText(p, body, nil)
		p.Markdown = "# " + p.Title + "\n"
		return
	}
	last := body[len(body)-1]
	onlyBlock := isPromptFence(last, d.src) && !slices.ContainsFunc(body[:len(body)-1], func(n ast.Node) bool {
		k := n.Kind()
		return k != ast.KindParagraph
	})
	from, to := d.offset(body[0]), len(d.src)
	if onlyBlock {
		p.Form = "fence"
		p.Copy = codeText(last, d.src, d.text)
		d.fillEntry(p, body, last)
		d.fillText(p, body, last)
	} else {
		p.Form = "file"
		p.Copy = trimLines(d.text[from:to])
		d.fillEntry(p, body, nil)
		d.fillText(p, body, nil)
		// What a page says of a prompt that is a whole file is its
		// first paragraph.
		p.Intro = ""
		for _, n := range body {
			if n.Kind() == ast.KindParagraph {
				p.Intro = plainText([]ast.Node{n}, d.src)
				break
			}
		}
	}
	p.Markdown = "# " + p.Title + "\n\n" + trimLines(d.text[from:to]) + "\n"
}

// holderText returns the text of the block that holds a prompt, as
// written: a code block's text, or a blockquote's without its markers.
func (d *Document) holderText(n ast.Node) string {
	if n.Kind() == ast.KindBlockquote {
		return quoteSource(n, d.src)
	}
	return codeText(n, d.src, d.text)
}

// note records something worth saying about the heading h.
func (d *Document) note(h ast.Node, text string) {
	d.Notes = append(d.Notes, model.Note{Pos: d.pos(h), Text: text})
}

// ownIDs records that the headings in blocks stand in owner.
func (d *Document) ownIDs(blocks []ast.Node, owner Owner) {
	for _, n := range blocks {
		_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
			if h, ok := c.(*ast.Heading); ok && entering {
				if _, taken := d.IDs[headingID(h)]; !taken {
					d.IDs[headingID(h)] = owner
				}
				return ast.WalkSkipChildren, nil
			}
			return ast.WalkContinue, nil
		})
	}
}

// shiftHeadings moves the headings in blocks to the levels they take on
// their page: the shallowest becomes top, and the rest keep their depth
// below it, down to h6.
func (d *Document) shiftHeadings(blocks []ast.Node, top int) {
	var hs []*ast.Heading
	for _, n := range blocks {
		_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
			if h, ok := c.(*ast.Heading); ok && entering {
				hs = append(hs, h)
				return ast.WalkSkipChildren, nil
			}
			return ast.WalkContinue, nil
		})
	}
	least := 7
	for _, h := range hs {
		least = min(least, h.Level)
	}
	for _, h := range hs {
		h.Level = min(h.Level-least+top, 6)
	}
}

// trimRules drops the thematic breaks that end blocks: they separate
// sections in the source, and pages separate them on the site.
func trimRules(blocks []ast.Node) []ast.Node {
	for len(blocks) > 0 && blocks[len(blocks)-1].Kind() == ast.KindThematicBreak {
		blocks = blocks[:len(blocks)-1]
	}
	return blocks
}

// offset returns the offset in src of the line on which n starts.
func (d *Document) offset(n ast.Node) int {
	l := d.lines.line(n, d.src)
	if l <= 0 || l > len(d.lines) {
		return len(d.src)
	}
	return d.lines[l-1]
}

// offsetAt returns the offset of the line on which node i starts, or the
// end of the source.
func (d *Document) offsetAt(o *outline, i int) int {
	if i >= len(o.nodes) {
		return len(d.src)
	}
	return d.offset(o.nodes[i])
}

// cut returns text[from:to] as written, without the blank lines and rules
// that end it, with one line break at its end.
func cut(text string, from, to int) string {
	// An empty heading has no place of its own, and is found by looking;
	// never let what is found run backwards.
	to = max(to, from)
	s := strings.TrimRight(text[from:to], " \t\n")
	for {
		i := strings.LastIndexByte(s, '\n')
		last := strings.TrimSpace(s[i+1:])
		if i < 0 || !isRule(last) {
			// s is text from from on: when a line break follows it there,
			// the answer is a part of text, not a copy.
			if end := from + len(s); end < len(text) && text[end] == '\n' {
				return text[from : end+1]
			}
			return s + "\n"
		}
		s = strings.TrimRight(s[:i], " \t\n")
	}
}

// isRule reports whether a line is a thematic break, such as "---".
func isRule(line string) bool {
	s := strings.ReplaceAll(line, " ", "")
	if len(s) < 3 {
		return false
	}
	return strings.Count(s, s[:1]) == len(s) && strings.ContainsAny(s[:1], "-*_")
}

// Humanize makes a title of a file or folder name: "code-review" and
// "code_review" become "Code review".
func Humanize(name string) string {
	s := strings.Join(strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '_' || unicode.IsSpace(r) }), " ")
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return name
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// needsID reports a category or prompt whose heading has no anchor.
func needsID(id, title string, pos model.Pos) error {
	if id != "" {
		return nil
	}
	return model.Errorf(pos, "put a letter or digit in it, or give it an id: # "+title+" {#my-id}",
		"heading %q has no letter or digit to make its anchor from", title)
}

// trimLines drops the blank lines that start s and the white space that
// ends it, keeping the first line's indentation.
func trimLines(s string) string {
	for {
		line, rest, ok := strings.Cut(s, "\n")
		if !ok || strings.TrimSpace(line) != "" {
			break
		}
		s = rest
	}
	return strings.TrimRight(s, " \t\n")
}
