// Package linkcheck finds broken internal links in a built site: a link to
// a page that is not there, or to a #fragment that its page does not have.
package linkcheck

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"maps"
	"net/url"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/promptsite/promptsite/site/output"
)

// Broken is one broken link.
type Broken struct {
	Page string // the file that has the link, such as "testing-prompts/index.html"
	Href string // the link as written
	Why  string
}

func (b Broken) String() string { return fmt.Sprintf("%s: link %q: %s", b.Page, b.Href, b.Why) }

// Error lists every broken link of a site.
type Error []Broken

func (e Error) Error() string {
	var s strings.Builder
	fmt.Fprintf(&s, "%d broken link", len(e))
	if len(e) > 1 {
		s.WriteString("s")
	}
	s.WriteString(" in the built site (build with -no-check to publish anyway):")
	for _, b := range e {
		s.WriteString("\n  " + b.String())
	}
	return s.String()
}

// page is what the checker knows of one HTML file. A site's pages are
// all held until it is checked, so they are held compactly: a large
// library has hundreds of thousands of links.
type page struct {
	ids   []string // sorted once read (see done)
	links string   // each link followed by a NUL, which no attribute holds
	buf   []byte   // links being read
}

// addLink records a link of the page. A NUL in it is read as U+FFFD, as
// the tokenizer reads it in an attribute.
func (p *page) addLink(href string) {
	href = strings.ReplaceAll(href, "\x00", "\uFFFD")
	p.buf = append(append(p.buf, href...), 0)
}

// done ends the reading of a page.
func (p *page) done() *page {
	p.links, p.buf = string(p.buf), nil
	slices.Sort(p.ids)
	p.ids = slices.Clip(slices.Compact(p.ids))
	return p
}

// hasID reports whether the page has an element with the id id.
func (p *page) hasID(id string) bool {
	_, ok := slices.BinarySearch(p.ids, id)
	return ok
}

// eachLink returns the page's links, in order.
func (p *page) eachLink() iter.Seq[string] {
	return func(yield func(string) bool) {
		for rest := p.links; rest != ""; {
			href, after, _ := strings.Cut(rest, "\x00")
			if !yield(href) {
				return
			}
			rest = after
		}
	}
}

// Check checks every href and src of every HTML file in t that points into
// the site, and returns an Error listing the broken ones, or nil. base is
// the path the site is served under, such as "/" or "/repo/": a link from
// the host's root must stay under it.
func Check(t *output.Tree, base string) error { return CheckContext(context.Background(), t, base) }

// CheckContext is Check that stops, with ctx's error, soon after ctx is
// done.
func CheckContext(ctx context.Context, t *output.Tree, base string) error {
	c := NewChecker()
	for _, name := range t.Names() {
		data, _ := t.Get(name)
		c.Add(name, data)
	}
	return c.Check(ctx, base)
}

// Checker checks the links of a site given to it a file at a time, as it
// is built: it reads each HTML page as it is added, on goroutines of its
// own, and keeps of it only its ids and links, so that the pages' bytes
// need not be kept until the whole site is built. A checker with a cache
// of NewCache holds the files until Check instead: most are as they were,
// and the dev server shows a build's pages before it checks them. One with
// a cache of NewPastCache reads, as they are added, only the pages whose
// size and sum it does not know.
type Checker struct {
	names   map[string]bool  // every file's
	pages   map[string]*page // the HTML files'
	queue   chan scanned
	mu      sync.Mutex // guards pages
	wg      sync.WaitGroup
	stopped atomic.Bool
	cache   *Cache                // nil for none
	kept    map[string]cachedScan // the pages for cache, by name
	added   []scanned             // with a cache, the files not taken yet
	// pagesRead counts the pages and maps of ids read, not taken from
	// the cache.
	pagesRead atomic.Int64
}

type scanned struct {
	name string
	data []byte
	load func() []byte // for a page known by its size and sum, read by the reader
}

// NewChecker returns a Checker with its readers started. Check stops them.
func NewChecker() *Checker { return NewCheckerCached(nil) }

// NewCheckerCached is NewChecker that takes from cache what it read of the
// pages given before with the very same bytes, and keeps there what it
// reads of this site's; cache may be nil.
func NewCheckerCached(cache *Cache) *Checker {
	c := &Checker{names: map[string]bool{}, pages: map[string]*page{}, queue: make(chan scanned, 256), cache: cache}
	if cache != nil {
		// The site is most likely the size of the last: its maps are
		// made at that size rather than grown a file at a time.
		names, pages := cache.sizes()
		c.names, c.pages = make(map[string]bool, names), make(map[string]*page, pages)
		c.kept = make(map[string]cachedScan, pages)
		if !cache.lean {
			c.added = make([]scanned, 0, names)
		}
	}
	for range runtime.GOMAXPROCS(0) {
		c.wg.Go(func() {
			for f := range c.queue {
				if c.stopped.Load() {
					continue
				}
				if f.load != nil {
					f.data = f.load()
				}
				var p *page
				if isIDMap(f.name) {
					// Read as the pages are, on the readers, not by the
					// build that adds it: the home page's has thousands
					// of ids.
					if p = readIDMap(f.data); p == nil {
						continue
					}
				} else {
					p = scanFast(f.data)
				}
				c.pagesRead.Add(1)
				c.mu.Lock()
				c.pages[f.name] = p
				c.mu.Unlock()
			}
		})
	}
	return c
}

// Add gives the checker a file of the site, whose bytes must not change
// after: they are read later, on another goroutine. Add must not be called
// from two goroutines at once, nor after Check.
func (c *Checker) Add(name string, data []byte) {
	if c.cache != nil && !c.cache.lean {
		// Most pages are as they were: what to do with each is left to
		// Check, not done on the way of a build that shows its pages
		// before it checks them.
		c.added = append(c.added, scanned{name: name, data: data})
		return
	}
	c.add(name, data)
}

// AddKnown is Add for a file whose bytes have the size and sum (xxhash)
// given, which load returns: a checker with a cache of NewPastCache that
// knows the page by them does not load it.
//
// A page to read is loaded by the checker's readers, on every core, not by
// the build that adds it.
func (c *Checker) AddKnown(name string, size int, sum uint64, load func() []byte) {
	if c.cache != nil && !c.cache.lean {
		c.Add(name, load())
		return
	}
	c.names[name] = true
	if !isPage(name) {
		return
	}
	if c.cache != nil {
		s := cachedScan{size: size, sum: sum}
		c.kept[name] = s
		if c.took(name, s) {
			return
		}
	}
	c.queue <- scanned{name: name, load: load}
}

// add takes a file of the site: the name for links to find, and an HTML
// page or map of ids from the cache or, if it is not there, to read.
func (c *Checker) add(name string, data []byte) {
	c.names[name] = true
	if !isPage(name) {
		return
	}
	if c.cache != nil {
		s := c.cache.scanOf(data)
		c.kept[name] = s
		if c.took(name, s) {
			return
		}
	}
	c.queue <- scanned{name: name, data: data}
}

// isPage tells whether the file name is read for its ids and links: an
// HTML page, or a map of ids, which leads each to the address of its
// prompt, which must be there as any link's.
func isPage(name string) bool { return strings.HasSuffix(name, ".html") || isIDMap(name) }

// took takes from the cache what was read of the page name when it had
// the bytes of s, and reports whether there was that.
func (c *Checker) took(name string, s cachedScan) bool {
	p := c.cache.lookup(name, s)
	if p == nil {
		return false
	}
	c.mu.Lock()
	c.pages[name] = p
	c.mu.Unlock()
	return true
}

// readIDMap reads the links of a map of ids, or returns nil for a file
// that is not one.
func readIDMap(data []byte) *page {
	if p, ok := readPlainIDMap(data); ok {
		return p
	}
	return readAnyIDMap(data)
}

// readPlainIDMap reads a map of ids as the build writes it, one JSON object
// of strings without escapes or space, its keys sorted as encoding/json
// sorts a map's, as readAnyIDMap does but some ten times sooner: the home
// page of a large library has a map of thousands. It returns false for
// anything else, which readAnyIDMap reads.
func readPlainIDMap(data []byte) (*page, bool) {
	b := bytes.TrimRight(data, " \t\r\n")
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return nil, false
	}
	p := &page{}
	if len(b) == 2 {
		return p.done(), true
	}
	var prev []byte
	for i := 1; ; {
		k, ok := plainString(b[i:])
		if !ok || prev != nil && bytes.Compare(k, prev) <= 0 {
			return nil, false
		}
		i += len(k) + 2
		if i >= len(b) || b[i] != ':' {
			return nil, false
		}
		i++
		v, ok := plainString(b[i:])
		if !ok {
			return nil, false
		}
		i += len(v) + 2
		p.addLink(string(v))
		prev = k
		switch {
		case i == len(b)-1:
			return p.done(), true
		case b[i] != ',':
			return nil, false
		}
		i++
	}
}

// plainString returns the text of the JSON string at the start of b when
// it has no escape, no control character and is UTF-8; else false.
func plainString(b []byte) ([]byte, bool) {
	if len(b) < 2 || b[0] != '"' {
		return nil, false
	}
	end := bytes.IndexByte(b[1:], '"')
	if end < 0 {
		return nil, false
	}
	s := b[1 : 1+end]
	for _, c := range s {
		if c < 0x20 || c == '\\' {
			return nil, false
		}
	}
	return s, utf8.Valid(s)
}

// readAnyIDMap is readIDMap for any JSON object of strings.
func readAnyIDMap(data []byte) *page {
	var m map[string]string
	if json.Unmarshal(data, &m) != nil {
		return nil
	}
	p := &page{}
	for _, id := range slices.Sorted(maps.Keys(m)) {
		p.addLink(m[id])
	}
	return p.done()
}

// isIDMap reports whether name is a map of ids, which a page names in its
// data-ids attribute: assets/ids.HASH.json.
func isIDMap(name string) bool {
	return path.Dir(name) == "assets" && strings.HasPrefix(path.Base(name), "ids.") && strings.HasSuffix(name, ".json")
}

// Stop stops the readers of a checker whose site will not be checked,
// without reading the pages still queued. Neither Add nor Check may be
// called after it.
func (c *Checker) Stop() {
	c.stopped.Store(true)
	c.wait()
}

// wait closes the queue and waits for the readers to end.
func (c *Checker) wait() {
	close(c.queue)
	c.wg.Wait()
}

// Check waits for the pages added to be read, and checks their links: it
// returns an Error listing the broken ones, or nil. base is as Check's.
func (c *Checker) Check(ctx context.Context, base string) error {
	stop := context.AfterFunc(ctx, func() { c.stopped.Store(true) })
	defer stop()
	for _, f := range c.added {
		c.add(f.name, f.data)
	}
	c.added = nil
	c.wait()
	if c.cache != nil && !c.stopped.Load() {
		c.cache.keep(c.kept, c.pages)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if base == "" {
		base = "/"
	}
	names := slices.Sorted(maps.Keys(c.pages))
	// Checking the links is shared among the cores. A link from the
	// site's root, such as the list of categories that every page has,
	// means the same on every page, so each worker checks it once.
	found := make([]Error, len(names))
	// With a cache, a page read before is not checked again while every
	// file its links depend on is as it was (see checkedPage).
	var last map[string]checkedPage
	var changed map[uint64]bool
	var deps [][]uint64
	var pasts []string
	if c.cache != nil {
		last, changed = c.cache.changes(base, c.names, c.pages)
		deps, pasts = make([][]uint64, len(names)), make([]string, len(names))
	}
	type rootedLink struct {
		why  string
		deps []uint64
	}
	workers := runtime.GOMAXPROCS(0)
	caches := make([]map[string]rootedLink, workers)
	for w := range caches {
		caches[w] = map[string]rootedLink{}
	}
	eachWorker(ctx, len(names), workers, func(w, i int) {
		name := names[i]
		p := c.pages[name]
		if l, ok := last[name]; ok && l.page == p && !l.touches(changed) {
			found[i], deps[i], pasts[i] = l.found, l.deps, l.past
			return
		}
		var on *[]uint64 // the page's dependencies, with a cache
		if deps != nil {
			on = &deps[i]
		}
		for href := range p.eachLink() {
			var why string
			if strings.HasPrefix(href, "/") && !strings.HasPrefix(href, "//") {
				r, ok := caches[w][href]
				if !ok {
					var rd *[]uint64
					if on != nil {
						rd = &r.deps
					}
					r.why = c.check(base, name, href, rd)
					caches[w][href] = r
				}
				why = r.why
				if on != nil {
					*on = append(*on, r.deps...)
				}
			} else {
				why = c.check(base, name, href, on)
			}
			if why != "" {
				found[i] = append(found[i], Broken{Page: name, Href: href, Why: why})
			}
		}
		if on != nil {
			slices.Sort(*on)
			*on = slices.Clip(slices.Compact(*on))
		}
	})
	if err := ctx.Err(); err != nil {
		return err
	}
	if c.cache != nil {
		checked := make(map[string]checkedPage, len(names))
		for i, name := range names {
			checked[name] = checkedPage{c.pages[name], found[i], deps[i], pasts[i]}
		}
		c.cache.keepChecked(base, c.names, checked)
	}
	var broken Error
	for _, f := range found { // names are sorted, and so are the pages
		broken = append(broken, f...)
	}
	if len(broken) == 0 {
		return nil
	}
	return broken
}

// eachWorker calls fn(w, i) for i from 0 to n-1 on workers goroutines,
// where w numbers the goroutine. The goroutines stop early once ctx is
// done.
func eachWorker(ctx context.Context, n, workers int, fn func(w, i int)) {
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for k, i := 0, w; i < n; k, i = k+1, i+workers {
				if k%32 == 31 && ctx.Err() != nil {
					return
				}
				fn(w, i)
			}
		})
	}
	wg.Wait()
}

// check returns what is wrong with href on the page name, or "". With
// deps not nil, it adds to it the hash of each file it looked for, or
// whose ids it looked at (see checkedPage).
func (c *Checker) check(base, name, href string, deps *[]uint64) string {
	u, err := url.Parse(href)
	if err != nil {
		return "not a valid URL"
	}
	if u.Scheme != "" || u.Host != "" {
		return "" // another site's: not ours to check
	}
	from := "/" + name
	target := name
	if u.Path != "" {
		p := u.Path
		if strings.HasPrefix(p, "/") {
			switch {
			case p+"/" == base:
				p = "/"
			case strings.HasPrefix(p, base):
				p = "/" + strings.TrimPrefix(p, base)
			default:
				return fmt.Sprintf("it leaves the site, which is served under %s", base)
			}
		} else {
			p = path.Join(path.Dir(from), p)
			if strings.HasSuffix(u.Path, "/") {
				p += "/"
			}
		}
		var ok bool
		if target, ok = c.resolve(p, deps); !ok {
			return "no such page"
		}
	}
	if u.Fragment == "" {
		return ""
	}
	if deps != nil {
		*deps = append(*deps, c.cache.idsSum(target))
	}
	tp, ok := c.pages[target]
	if !ok {
		return "" // a fragment of a file that is not HTML
	}
	if !tp.hasID(u.Fragment) {
		return fmt.Sprintf("%s has no element with the id %q", target, u.Fragment)
	}
	return ""
}

// resolve maps a URL path to the file a static host serves for it. With
// deps not nil, it adds to it the hash of each name it looked for.
func (c *Checker) resolve(p string, deps *[]uint64) (string, bool) {
	dir := strings.HasSuffix(p, "/")
	p = strings.TrimPrefix(path.Clean(p), "/")
	var candidates []string
	switch {
	case p == "":
		candidates = []string{"index.html"}
	case dir:
		candidates = []string{p + "/index.html"}
	default:
		candidates = []string{p, p + "/index.html", p + ".html"}
	}
	for _, n := range candidates {
		if deps != nil {
			*deps = append(*deps, c.cache.sum(n))
		}
		if c.names[n] {
			return n, true
		}
	}
	return "", false
}

// scan collects the ids and the links of an HTML document.
func scan(data []byte) *page {
	p := &page{}
	z := html.NewTokenizer(bytes.NewReader(data))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return p.done()
		case html.StartTagToken, html.SelfClosingTagToken:
			_, hasAttr := z.TagName()
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch string(k) {
				case "id":
					p.ids = append(p.ids, string(v))
				case "href", "src", "data-ids":
					// data-ids names the map of ids that assets/aliases.js
					// fetches for a fragment not on the page. The
					// tokenizer turns a NUL into U+FFFD.
					p.addLink(string(v))
				case "data-aliases":
					// Old anchors, and the addresses assets/aliases.js
					// leads them to.
					var m map[string]string
					if json.Unmarshal(v, &m) == nil {
						for _, to := range m {
							p.addLink(to)
						}
					}
				}
			}
		}
	}
}
