package linkcheck

import (
	"slices"
	"sync"

	"github.com/cespare/xxhash/v2"
)

// Cache keeps what a Checker read of each page for the next Checker of the
// same site: a page given again with the very same bytes, as a build that
// reuses the pages it rendered before gives them, is not read again. The
// bytes are known by their address, which the cache keeps alive, so that
// no other bytes can come to have it; in a Cache of NewPastCache, which
// outlives its process, by their size and sum.
type Cache struct {
	mu    sync.Mutex
	lean  bool                  // a Cache of NewPastCache
	pages map[string]cachedScan // by name
	// base, names and checked are the last site's base path, its files
	// and what was found on each of its pages, by name.
	base    string
	names   map[string]bool
	checked map[string]checkedPage
}

// checkedPage is what the check of a page found broken, and what the
// links of the page depend on: a hash for each file whose being there or
// not the check looked at (see Cache.sum), and for each page whose ids
// it looked at (Cache.idsSum). The page is checked again only when one of
// them changes, or the page itself.
type checkedPage struct {
	page  *page
	found Error
	deps  []uint64 // sorted
	// past, for a page taken whole from a past cache, is its encoding
	// there but for its name's index (see Cache.Encode).
	past string
}

// cachedScan is what was read of a page, and the page: its bytes, or in a
// lean Cache their size and sum.
type cachedScan struct {
	data []byte
	size int
	sum  uint64
	page *page
}

// NewCache returns an empty Cache.
func NewCache() *Cache { return &Cache{} }

// scanOf returns the cachedScan of a page's bytes, without what was read
// of them.
func (c *Cache) scanOf(data []byte) cachedScan {
	if c.lean {
		return cachedScan{size: len(data), sum: xxhash.Sum64(data)}
	}
	return cachedScan{data: data}
}

// sizes returns how many files, and how many of them pages, the last site
// checked had.
func (c *Cache) sizes() (names, pages int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.names), len(c.pages)
}

// lookup returns what was read of the page name when it had the bytes of
// scan then (see scanOf), else nil.
func (c *Cache) lookup(name string, scan cachedScan) *page {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.pages[name]
	switch {
	case !ok:
		return nil
	case c.lean:
		if s.size != scan.size || s.sum != scan.sum {
			return nil
		}
	case len(s.data) != len(scan.data) || len(s.data) == 0 || &s.data[0] != &scan.data[0]:
		return nil
	}
	return s.page
}

// keep replaces what c holds with the pages of a site read whole: their
// bytes, by name, and what was read of them.
func (c *Cache) keep(data map[string]cachedScan, pages map[string]*page) {
	kept := make(map[string]cachedScan, len(data))
	for name, s := range data {
		if p := pages[name]; p != nil {
			s.page = p
			kept[name] = s
		}
	}
	c.mu.Lock()
	c.pages = kept
	c.mu.Unlock()
}

// sum hashes a file's name for checkedPage.deps: the dependency on the
// file's being there. The hash has no seed: a lean Cache's deps are read
// by another process.
func (c *Cache) sum(name string) uint64 { return xxhash.Sum64String(name) }

// idsSum is sum for the dependency on the ids of a page: a link with a
// fragment depends on them, one without only on the page's being there.
func (c *Cache) idsSum(name string) uint64 { return c.sum(name) ^ 0x9e3779b97f4a7c15 }

// changes returns what was found on each page of the last site checked,
// and the hashes of the files that changed since: each made or gone, and
// each page read anew with other ids. It returns nil, nil when the last site was
// served under another base path, or none was checked.
func (c *Cache) changes(base string, names map[string]bool, pages map[string]*page) (map[string]checkedPage, map[uint64]bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.checked == nil || c.base != base {
		return nil, nil
	}
	changed := map[uint64]bool{}
	for n := range names {
		if !c.names[n] {
			changed[c.sum(n)] = true
		}
	}
	for n := range c.names {
		if !names[n] {
			changed[c.sum(n)] = true
		}
	}
	for n, p := range pages {
		// A page read anew with the ids it had leaves the links to them
		// as they were.
		if old := c.checked[n].page; old != p && (old == nil || !slices.Equal(old.ids, p.ids)) {
			changed[c.idsSum(n)] = true
		}
	}
	return c.checked, changed
}

// keepChecked keeps what was found on each page of a site.
func (c *Cache) keepChecked(base string, names map[string]bool, checked map[string]checkedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.base, c.names, c.checked = base, names, checked
}

// touches reports whether the page's links depend on a file that changed.
func (p checkedPage) touches(changed map[uint64]bool) bool {
	for _, d := range p.deps {
		if changed[d] {
			return true
		}
	}
	return false
}
