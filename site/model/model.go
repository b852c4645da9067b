// Package model holds the prompt library as plain data: the site, its
// categories and their prompts, as read from markdown and before any page is
// rendered.
package model

import (
	"fmt"
	"html/template"
	"strconv"
)

// Site is a whole prompt library.
type Site struct {
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
	// Warnings are mistakes worth fixing that do not stop the build, in
	// the order of the files.
	Warnings []*Error
}

// Category is one H2 section of a library; it gets a page of its own.
type Category struct {
	Title     string        // plain text
	TitleHTML template.HTML // inline markup of the heading
	Slug      string        // the heading's anchor, and the page's path: /<Slug>/
	Source    Pos           // where the H2 stands
	Intro     template.HTML // what stands between the H2 and its first H3
	// IntroText is Intro as plain text (for meta descriptions and search).
	IntroText string
	Prompts   []*Prompt
	// Markdown is the category's section of the source, from its H2 to
	// the next, as written.
	Markdown string
}

// Prompt is one H3 section of a category: a prompt, or a tip in a section
// that has no prompts.
type Prompt struct {
	Title     string        // plain text
	TitleHTML template.HTML // inline markup of the heading
	Anchor    string        // the heading's id on its category's page
	Source    Pos           // where the H3 stands
	Body      template.HTML // everything below the heading, rendered
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

// PromptText returns the text a person copies to use the prompt: the first
// code block when there is one, else the plain text of the body.
func (p *Prompt) PromptText() string {
	if len(p.Code) > 0 {
		return p.Code[0].Source
	}
	return p.Text
}

// Pos is a place in a content file.
type Pos struct {
	File string // the path as given by the user, or as embedded
	Line int    // 1-based
}

// String formats p as file:line, the form editors and terminals link.
func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return p.File + ":" + strconv.Itoa(p.Line)
}

// URL returns the path of a category's page.
func (c *Category) URL() string { return "/" + c.Slug + "/" }

// URL returns the path of a prompt's anchored section on its category's page.
func (p *Prompt) URL(c *Category) string { return c.URL() + "#" + p.Anchor }

// ShareURL returns the path of a prompt's own small page, which previews
// the prompt when its link is pasted in a chat and leads to its section.
func (p *Prompt) ShareURL(c *Category) string { return SharePath(c.Slug, p.Anchor) }

// SharePath returns the path of the share page of the prompt with the
// given anchor in the category with the given slug. Share pages are files,
// not folders, as a library of thousands of prompts would otherwise make
// thousands of folders; they sit under /p/ so that no anchor can clash with
// a category's own files.
func SharePath(slug, anchor string) string { return "/p/" + slug + "/" + anchor + ".html" }

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
