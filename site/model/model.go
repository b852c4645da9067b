// Package model holds the prompt library as plain data: the site, its
// categories and their prompts, as read from markdown and before any page is
// rendered.
package model

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Site is a whole prompt library.
type Site struct {
	// Lang is the library's language, a BCP 47 tag such as "en" or
	// "zh-CN": the configuration's, else the one its text is written in.
	Lang  string
	Title string        // the first file's H1, as plain text
	Intro template.HTML // what stands between the H1 and the first H2
	// Description is the introduction as plain text, for meta tags.
	Description string
	// Markdown is the first file's H1 and introduction, as written, up to
	// its first H2.
	Markdown   string
	Categories []*Category
	// Aliases are the old addresses that lead to new ones, sorted by From.
	Aliases []Alias
	// Tags are the tags the prompts carry, sorted by name.
	Tags []*Tag
	// Warnings are mistakes worth fixing that do not stop the build, in
	// the order of the files.
	Warnings []*Error
	// Sources say how each file was read, and Skipped what was left out
	// of the content folders and why, for promptsite inspect.
	Sources []*Source
	Skipped []Note
}

// Source says how one markdown file was read.
type Source struct {
	File  string // as messages name it
	Shape string // what the file was read as, such as "one prompt (front matter)"
	Notes []Note // the parts of it left out or read in a way worth saying
}

// Note is something worth saying about a place in the content.
type Note struct {
	Pos  Pos
	Text string
}

// Tag is a tag that prompts carry; it has a page listing them.
type Tag struct {
	Name    string // as first written
	Slug    string // its anchor form, for its page's path
	Prompts []*Prompt
	Href    string // the address of its page, base path included; render sets it
}

// URL returns the path of the tag's page.
func (t *Tag) URL() string { return "/tags/" + Segment(t.Slug) + "/" }

// Category is a group of prompts, such as an H2 section of a library or a
// folder of prompt files; or a page of text, such as a guide, when it has
// no prompts. It gets a page of its own.
type Category struct {
	Title     string        // plain text
	TitleHTML template.HTML // inline markup of the heading
	Slug      string        // the heading's anchor, and the page's path: /<Slug>/
	// Path is the page's path segment when it is not Segment(Slug), as
	// for a slug that promptsite's own files use.
	Path   string
	Source Pos // where the heading stands, or the file or folder that makes it
	// Lang is the language of the category's text when its front matter
	// says one other than the library's; else empty.
	Lang string
	// Description is what the page says of itself in link previews when
	// the author wrote one (front matter); else it is made from Intro.
	Description string
	// Folder is the folder, from its content root, whose prompt files make
	// the category; empty for a heading's category.
	Folder string
	Weight int // sorts categories: lower first, 0 keeps the file's place
	// Href is the address of its page on the site, base path included,
	// which the pages link to; render sets it.
	Href string
	// Updated is the day its page last changed, as 2006-01-02; empty when
	// unknown.
	Updated string
	Intro   template.HTML // what stands between the H2 and its first H3
	// IntroText is Intro as plain text (for meta descriptions and search).
	IntroText string
	Prompts   []*Prompt
	// Pages is how many pages the category's prompts are split into: 0
	// for a category shown whole on its page, as most are, else 2 or
	// more (see Prompt.Page).
	Pages int
	// Markdown is the category's section of the source, from its H2 to
	// the next, as written.
	Markdown string
}

// Prompt is one entry of a category: a prompt, held in a fenced block, a
// blockquote or a whole file; or a section beside them with no prompt in
// it, such as a tip.
type Prompt struct {
	Title     string        // plain text
	TitleHTML template.HTML // inline markup of the heading
	Anchor    string        // the heading's id on its category's page
	Source    Pos           // where the heading stands, or the file
	Category  *Category     // the category it is in
	// Lang is the language of the prompt when its front matter says one
	// other than its category's; else empty.
	Lang string
	// Own is set when the prompt has a page of its own, as a prompt that
	// is a whole file has; its category's page lists it.
	Own bool
	// Page is the number of the page of its category that shows the
	// prompt's section, or lists it when it has a page of its own: 1 for
	// the category's page, n for /category/page/n/; 0 when its category
	// is shown whole on one page.
	Page int
	// Form is how the prompt's text is held: "fence", "quote" or "file";
	// empty for an entry that holds no prompt.
	Form string
	// Copy is the prompt's text as written, what Copy copies: the fenced
	// block's text, the blockquote's without its markers, or the file's.
	Copy string
	// Description is what the author wrote of the prompt (front matter).
	Description string
	Tags        []*Tag
	Weight      int // sorts prompt files in their category: lower first
	// Edit is the address of the prompt's source, for an "Edit" link;
	// empty when the site has no repository.
	Edit string
	// Updated is the day the prompt last changed, as 2006-01-02; empty
	// when unknown.
	Updated string
	// Href and ShareHref are the addresses of the prompt and of its share
	// page, base path included, which the pages link to; render sets them.
	Href, ShareHref string
	Body            template.HTML // everything below the heading, rendered
	// Intro is the plain text of what stands below the heading before its
	// first code block.
	Intro string
	// Text is the plain text of the whole body, code included.
	Text string
	// Code lists the body's code blocks in order.
	Code []CodeBlock
	// Headings lists the ids of the headings inside the body (H4 to H6).
	Headings []string
	// Markdown is the prompt's section of the source, from its H3 to the
	// next heading of its level or above, as written.
	Markdown string
	// Placeholders are the blanks a person fills in before using the
	// prompt, such as "paste your code here", in the order they first
	// appear in PromptText, each once; empty when it has none.
	Placeholders []string
}

// CodeBlock is a fenced or indented code block.
type CodeBlock struct {
	Lang   string // the fence's info word; empty when it has none
	Source string // the block's text exactly as written, without the final line break
}

// PromptText returns the text a person copies to use the prompt: Copy for
// a prompt, else, for an entry with no prompt, its first code block when
// there is one, or the plain text of its body.
func (p *Prompt) PromptText() string {
	if p.Form != "" {
		return p.Copy
	}
	if len(p.Code) > 0 {
		return p.Code[0].Source
	}
	return p.Text
}

// Pos is a place in a content file.
type Pos struct {
	File string // the path as given by the user, or as embedded
	Line int    // 1-based; 0 for the whole file
	// Path is the file's path from the project's root, for links to its
	// source; empty when unknown.
	Path string
}

// String formats p as file:line, the form editors and terminals link.
func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return p.File + ":" + strconv.Itoa(p.Line)
}

// URL returns the path of a category's page.
func (c *Category) URL() string { return "/" + c.PathSegment() + "/" }

// PathSegment returns the path segment of the category's page.
func (c *Category) PathSegment() string {
	if c.Path != "" {
		return c.Path
	}
	return Segment(c.Slug)
}

// PageURL returns the path of the nth page of a category split into
// pages: its own page for the first, /category/page/n/ for the others.
func (c *Category) PageURL(n int) string {
	if n <= 1 {
		return c.URL()
	}
	return c.URL() + "page/" + strconv.Itoa(n) + "/"
}

// URL returns the path at which the site shows a prompt: its anchored
// section on the page of its category that holds it, or its own page.
// Every link the site makes to the prompt leads there.
func (p *Prompt) URL(c *Category) string {
	if p.Own {
		return c.URL() + Segment(p.Anchor) + "/"
	}
	return c.PageURL(p.Page) + "#" + p.Anchor
}

// Address returns the prompt's lasting address, the one anchors.lock
// records: URL, but for a section on a later page of a category split
// into pages, its anchor on the category's page, /category/#anchor, which
// leads to the page that holds it whatever page that is.
func (p *Prompt) Address(c *Category) string {
	if p.Own {
		return p.URL(c)
	}
	return c.URL() + "#" + p.Anchor
}

// ShareURL returns the path of a prompt's own small page, which previews
// the prompt when its link is pasted in a chat and leads to it.
func (p *Prompt) ShareURL(c *Category) string { return SharePath(c.PathSegment(), p.Anchor) }

// SharePath returns the path of the share page of the prompt with the
// given anchor in the category whose page has the given path segment.
// Share pages are files, not folders, as a library of thousands of prompts
// would otherwise make thousands of folders; they sit under /p/ so that no
// anchor can clash with a category's own files.
func SharePath(category, anchor string) string {
	return "/p/" + category + "/" + Segment(anchor) + ".html"
}

// maxSegment is the longest path segment, in bytes, that an address takes
// from a heading or a name: file systems refuse names over 255 bytes, and
// a segment becomes a folder or a file with ".html" after it.
const maxSegment = 100

// Segment returns id as a path segment: id itself, or, when it is longer
// than maxSegment bytes, its start cut at a character followed by a hash
// of the whole, which is as stable as id.
func Segment(id string) string {
	if len(id) <= maxSegment {
		return id
	}
	cut := 80
	for cut > 0 && !utf8.RuneStart(id[cut]) {
		cut--
	}
	sum := sha256.Sum256([]byte(id))
	return strings.TrimRight(id[:cut], "-_") + "-" + hex.EncodeToString(sum[:4])
}

// Error is a mistake in the content, at a place a person can go and fix.
type Error struct {
	Pos  Pos
	Msg  string // what is wrong
	Hint string // what to do about it; may be empty
}

func (e *Error) Error() string {
	s := e.Pos.String() + ": " + e.Msg
	if e.Hint != "" {
		s += "; " + e.Hint
	}
	return s
}

// Errorf returns an *Error at pos.
func Errorf(pos Pos, hint, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...), Hint: hint}
}

// Alias keeps an address that was published working after its prompt or
// page moved: a link to From leads to To. Both are paths such as
// "/category/" or "/category/#anchor".
type Alias struct {
	From, To string
}
