package render

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/cespare/xxhash/v2"
	"github.com/promptsite/promptsite/site/model"
	"github.com/promptsite/promptsite/site/output"
)

// A category of thousands of prompts would make a page of megabytes, so a
// category with more prompts than one page holds is split into pages of
// that many: its own page, /category/, shows the first, and
// /category/page/2/, /category/page/3/, … the others, each prompt keeping
// its anchored section on the page it is on. A category that fits on one
// page is rendered as it always was.
//
// How many fit is set by weight: a page of a split category, with the
// stylesheet and script it loads, weighs no more gzipped than our own
// category pages may, 12 KiB (see TestPageWeight). The stylesheet and
// script weigh 6.9 KiB gzipped, and a page's header, sidebar, contents
// and links some 1.6 KiB, which leaves 3.5 KiB for its prompts. A prompt
// shaped like ours (the generated ones of package libgen) is about 1.4 KB
// of HTML, 180 to 200 bytes gzipped. Split into pages of 15, a category of
// 5,000 such prompts makes 334 pages, the heaviest 11.4 KiB with all it
// loads (TestLargeCategoryWeight weighs them all); pages of 20 would weigh
// up to 12.4 KiB, over the budget. A category of prompt files lists them as cards, a title, a
// line and tags each, some 65 bytes gzipped: 50 of them make a page of
// about the same weight as 15 prompts.
const (
	sectionsPerPage = 15
	cardsPerPage    = 50
)

// Paginate numbers the page each prompt of s is on, in each category with
// more prompts than fit on one page (see sectionsPerPage), and leaves the
// others whole. It runs before anything takes a prompt's address
// (model.Prompt.URL), the search index's included, so that every link the
// site makes leads to the page a prompt is on.
func Paginate(s *model.Site) {
	for _, c := range s.Categories {
		n := sectionsPerPage
		if listing(c) {
			n = cardsPerPage
		}
		c.Pages = 0
		if len(c.Prompts) <= n {
			for _, p := range c.Prompts {
				p.Page = 0
			}
			continue
		}
		c.Pages = (len(c.Prompts) + n - 1) / n
		for i, p := range c.Prompts {
			p.Page = i/n + 1
		}
	}
}

// listing reports whether c's page lists its prompts as cards, each
// leading to the prompt's own page, rather than showing them.
func listing(c *model.Category) bool { return len(c.Prompts) > 0 && c.Prompts[0].Own }

// Paging is what a page of a category split into pages knows of the
// others.
type Paging struct {
	Number, Count int    // the page's number, from 1, and how many there are
	Prev, Next    string // the addresses of the pages before and after it; "" at the ends
	// Links are the numbered links the page shows: the first and last
	// pages, and those around its own, with gaps between, so that a
	// category of hundreds of pages has a handful of links.
	Links []PageLink
}

// PageLink is one of the numbered links to the pages of a category; Gap
// stands for the pages left out between two of them.
type PageLink struct {
	Number  int
	Href    string
	Current bool
	Gap     bool
}

// Text is the link's number, as the page shows it.
func (l PageLink) Text() string { return strconv.Itoa(l.Number) }

// pageSpan is how many pages on each side of its own a page links to by
// number, besides the first and the last.
const pageSpan = 2

// newPaging returns what page n of c's pages links to.
func newPaging(c *model.Category, n int, opts Options) *Paging {
	sp := &Paging{Number: n, Count: c.Pages}
	if n > 1 {
		sp.Prev = opts.Link(c.PageURL(n - 1))
	}
	if n < c.Pages {
		sp.Next = opts.Link(c.PageURL(n + 1))
	}
	last := 0
	for i := 1; i <= c.Pages; i++ {
		if i != 1 && i != c.Pages && (i < n-pageSpan || i > n+pageSpan) {
			continue
		}
		switch {
		case i == last+2:
			// A gap of one page is shown as its link, which takes no
			// more room.
			sp.Links = append(sp.Links, PageLink{Number: last + 1, Href: opts.Link(c.PageURL(last + 1))})
		case i > last+2:
			sp.Links = append(sp.Links, PageLink{Gap: true})
		}
		sp.Links = append(sp.Links, PageLink{Number: i, Href: opts.Link(c.PageURL(i)), Current: i == n})
		last = i
	}
	return sp
}

// PageOf says which page of its category the page is, as "Page 3 of 12";
// "" on a page that is not one of several.
func (p *Page) PageOf() string {
	if p.Paging == nil {
		return ""
	}
	return p.T("page_of", "page", strconv.Itoa(p.Paging.Number), "pages", strconv.Itoa(p.Paging.Count))
}

// categoryPages returns the pages of c, whose options are opts: one, or
// one per page when c is split, each with its part of the prompts. The
// pages of a split category share a map, added to tree, from every id
// that the category's pages hold to its address, which assets/aliases.js
// fetches when an address's fragment is not on the page it opened: an
// address published when the category fit on one page, or before its
// prompts moved from page to page, still lands on its prompt.
func categoryPages(tree *output.Tree, made *contentFiles, s *model.Site, c *model.Category, opts Options, abs func(string) string) ([]*Page, error) {
	// The description is the category's, on each of its pages.
	description := describe(categorySummary(c, opts.Text()), c.Title)
	page := func(path string, prompts []*model.Prompt) *Page {
		p := &Page{
			Site: s, Kind: "category", Path: path, Category: c,
			Title:       c.Title + " · " + s.Title,
			Description: description,
			URL:         abs(path), Opts: opts,
			Listing: listing(c),
		}
		if p.Listing {
			p.Cards = prompts
		}
		for _, pr := range prompts {
			if !pr.Own {
				p.Sections = append(p.Sections, pr)
			}
		}
		return p
	}
	if c.Pages == 0 {
		return []*Page{page(c.URL(), c.Prompts)}, nil
	}
	ids, err := categoryIDs(tree, made, c, opts)
	if err != nil {
		return nil, err
	}
	pages := make([]*Page, c.Pages)
	lo := 0
	for n := 1; n <= c.Pages; n++ {
		hi := lo
		for hi < len(c.Prompts) && c.Prompts[hi].Page == n {
			hi++
		}
		p := page(c.PageURL(n), c.Prompts[lo:hi])
		p.Paging, p.IDs = newPaging(c, n, opts), ids
		if n > 1 {
			p.Title = c.Title + " · " + p.PageOf() + " · " + s.Title
		}
		pages[n-1] = p
		lo = hi
	}
	return pages, nil
}

// categoryIDs adds the map of a split category's ids to tree and returns
// its address: each prompt's anchor, and the ids of the headings in its
// text, by the address of the page that holds them, base path included.
func categoryIDs(tree *output.Tree, made *contentFiles, c *model.Category, opts Options) (string, error) {
	var ids []idEntry
	taken := map[string]bool{}
	add := func(id, to string) {
		if !taken[id] {
			taken[id] = true
			ids = append(ids, idEntry{id, opts.Link(to)})
		}
	}
	for _, p := range c.Prompts {
		at := c.PageURL(p.Page)
		add(p.Anchor, at+"#"+p.Anchor)
		if !p.Own {
			for _, h := range p.Headings {
				add(h, at+"#"+h)
			}
		}
	}
	at, err := made.idMap(tree, ids)
	if err != nil {
		return "", fmt.Errorf("render: the ids of %s: %w", c.URL(), err)
	}
	return opts.Link(at), nil
}

// idEntry is one id of a map of ids, and the address it leads to.
type idEntry struct{ id, to string }

// contentFiles makes the files of a site that its content alone makes:
// the maps of ids (see idMap) and the categories' markdown (see
// categoryMarkdown). A file made of the same content as one of the last
// render that used the Cache is that file: its bytes are taken from there
// rather than made again, and, for a map of ids, they are the very bytes
// the link check read of it then (see linkcheck.Cache). A large library's
// home page has a map of thousands. A nil *contentFiles keeps nothing.
type contentFiles struct {
	lastIDs, keptIDs           map[uint64]idFile   // by idsKey
	lastMarkdown, keptMarkdown map[uint64][]mdFile // by markdownKey
}

type idFile struct {
	name string // as addIDs named it
	data []byte
}

// idMap adds the map of ids to tree, ids being distinct, and returns its
// address from the site's root.
func (m *contentFiles) idMap(tree *output.Tree, ids []idEntry) (string, error) {
	var key uint64
	if m != nil {
		key = m.idsKey(ids)
		if f, ok := m.lastIDs[key]; ok {
			m.keptIDs[key] = f
			return "/" + f.name, tree.Add(f.name, f.data)
		}
	}
	data := encodeIDs(ids)
	at, err := addIDs(tree, data)
	if err == nil && m != nil {
		m.keptIDs[key] = idFile{strings.TrimPrefix(at, "/"), data}
	}
	return at, err
}

// encodeIDs returns the JSON object of ids, which are distinct, as
// encoding/json writes a map: its keys sorted, each string escaped for
// HTML. A library's ids and addresses are mostly plain ASCII, written as
// they are; encoding/json escapes any other. The home page of a large
// library has a map of thousands, made again on each rebuild that renames
// a prompt.
func encodeIDs(ids []idEntry) []byte {
	ids = slices.Clone(ids)
	slices.SortFunc(ids, func(a, b idEntry) int { return strings.Compare(a.id, b.id) })
	n := 2
	for _, e := range ids {
		n += len(e.id) + len(e.to) + 6
	}
	data := append(make([]byte, 0, n), '{')
	for i, e := range ids {
		if i > 0 {
			data = append(data, ',')
		}
		data = append(appendJSONString(data, e.id), ':')
		data = appendJSONString(data, e.to)
	}
	return append(data, '}')
}

// appendJSONString appends s to dst as encoding/json writes a string.
func appendJSONString(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			b, _ := json.Marshal(s) // a string always marshals
			return append(dst, b...)
		}
	}
	return append(append(append(dst, '"'), s...), '"')
}

// addIDs adds a map of ids to tree, named by a hash of its bytes, and
// returns its address from the site's root.
func addIDs(tree *output.Tree, data []byte) (string, error) {
	sum := sha256.Sum256(data)
	name := "assets/ids." + hex.EncodeToString(sum[:5]) + ".json"
	if err := tree.Add(name, data); err != nil {
		return "", err
	}
	return "/" + name, nil
}

// idsKey hashes ids, in order.
func (m *contentFiles) idsKey(ids []idEntry) uint64 {
	h := xxhash.New()
	writeUint(h, uint64(len(ids)))
	for _, e := range ids {
		writeUint(h, uint64(len(e.id)))
		h.WriteString(e.id)
		writeUint(h, uint64(len(e.to)))
		h.WriteString(e.to)
	}
	return h.Sum64()
}

// categoryMarkdown returns the markdown files of c: its source at
// /<slug>/index.md, as written, and, for a split category, the markdown
// of each page beyond the first beside the page: /<slug>/page/n/index.md.
// A category whose markdown is as it was at the last render that used the
// Cache has the same files, taken from there.
func (m *contentFiles) categoryMarkdown(c *model.Category) []mdFile {
	var key uint64
	if m != nil {
		key = m.markdownKey(c)
		if files, ok := m.lastMarkdown[key]; ok {
			m.keptMarkdown[key] = files
			return files
		}
	}
	files := []mdFile{{fileFor(c.URL() + "index.md"), []byte(c.Markdown)}}
	if c.Pages > 0 {
		heading, _, _ := strings.Cut(c.Markdown, "\n")
		if headingLevel(heading) == 0 {
			heading = "# " + c.Title
		}
		lo := 0
		for lo < len(c.Prompts) && c.Prompts[lo].Page == 1 {
			lo++
		}
		for n := 2; n <= c.Pages; n++ {
			hi := lo
			for hi < len(c.Prompts) && c.Prompts[hi].Page == n {
				hi++
			}
			files = append(files, mdFile{fileFor(c.PageURL(n) + "index.md"), []byte(pageMarkdown(c.Prompts[lo:hi], heading))})
			lo = hi
		}
	}
	if m != nil {
		m.keptMarkdown[key] = files
	}
	return files
}

// mdFile is a markdown file of the site.
type mdFile struct {
	name string
	data []byte
}

// markdownKey hashes what categoryMarkdown makes c's files of.
func (m *contentFiles) markdownKey(c *model.Category) uint64 {
	h := xxhash.New()
	str := func(s string) {
		writeUint(h, uint64(len(s)))
		h.WriteString(s)
	}
	str(c.URL())
	str(c.Title)
	str(c.Markdown)
	writeUint(h, uint64(c.Pages))
	if c.Pages > 0 {
		for _, p := range c.Prompts {
			writeUint(h, uint64(p.Page))
			if p.Own {
				writeByte(h, 1)
				str(p.Title)
			} else {
				writeByte(h, 0)
			}
			str(p.Markdown)
		}
	}
	return h.Sum64()
}

// pageMarkdown is the markdown of page n of a split category beyond the
// first, for its Copy page button: the category's heading and the
// prompts the page shows. The first page's is the whole category's.
func pageMarkdown(prompts []*model.Prompt, heading string) string {
	var b strings.Builder
	b.WriteString(heading + "\n")
	for _, p := range prompts {
		md := p.Markdown
		if p.Own {
			// A prompt file's title is its own H1: it goes under the
			// category's heading, as in categoryMarkdown.
			_, body, _ := strings.Cut(md, "\n")
			md = strings.Repeat("#", headingLevel(heading)+1) + " " + p.Title + "\n" + body
		}
		b.WriteString("\n" + strings.TrimRight(md, "\n") + "\n")
	}
	return b.String()
}

// headingLevel returns the level of a markdown heading line, 1 to 6; 0
// when the line is not one.
func headingLevel(line string) int {
	n := len(line) - len(strings.TrimLeft(line, "#"))
	if n < 1 || n > 6 || !strings.HasPrefix(line[n:], " ") {
		return 0
	}
	return n
}
