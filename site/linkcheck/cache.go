package linkcheck

import (
	"hash/maphash"
	"sync"
)

// Cache keeps what a Checker read of each page for the next Checker of the
// same site: a page given again with the very same bytes, as a build that
// reuses the pages it rendered before gives them, is not read again. The
// bytes are known by their address, which the cache keeps alive, so that
// no other bytes can come to have it.
type Cache struct {
	mu    sync.Mutex
	seed  maphash.Seed
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
}

type cachedScan struct {
	data []byte
	page *page
}

// NewCache returns an empty Cache.
func NewCache() *Cache { return &Cache{seed: maphash.MakeSeed()} }

// sizes returns how many files, and how many of them pages, the last site
// checked had.
func (c *Cache) sizes() (names, pages int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.names), len(c.pages)
}

// lookup returns what was read of the page name when data are the bytes it
// had then, else nil.
func (c *Cache) lookup(name string, data []byte) *page {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.pages[name]
	if !ok || len(s.data) != len(data) || len(data) == 0 || &s.data[0] != &data[0] {
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
			kept[name] = cachedScan{s.data, p}
		}
	}
	c.mu.Lock()
	c.pages = kept
	c.mu.Unlock()
}

// sum hashes a file's name for checkedPage.deps: the dependency on the
// file's being there.
func (c *Cache) sum(name string) uint64 { return maphash.String(c.seed, name) }

// idsSum is sum for the dependency on the ids of a page: a link with a
// fragment depends on them, one without only on the page's being there.
func (c *Cache) idsSum(name string) uint64 { return c.sum(name) ^ 0x9e3779b97f4a7c15 }

// changes returns what was found on each page of the last site checked,
// and the hashes of the files that changed since: each made or gone, and
// each page read anew. It returns nil, nil when the last site was
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
		if c.checked[n].page != p {
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
