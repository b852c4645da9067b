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
	// site and found are the sum of the last site's files and ids (see
	// siteSum) and what was found broken on each of its pages.
	site  uint64
	found map[*page]Error
}

type cachedScan struct {
	data []byte
	page *page
}

// NewCache returns an empty Cache.
func NewCache() *Cache { return &Cache{seed: maphash.MakeSeed()} }

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

// siteSum hashes what the links of a site may lead to: its base path, the
// names of its files, and the ids of each page, in any order.
func (c *Cache) siteSum(base string, names map[string]bool, pages map[string]*page) uint64 {
	sum := maphash.String(c.seed, base)
	for n := range names {
		sum += maphash.String(c.seed, n)
	}
	for n, p := range pages {
		ids := maphash.String(c.seed, n)
		for _, id := range p.ids {
			ids += maphash.String(c.seed, id) * 31
		}
		sum += ids * 17
	}
	return sum
}

// checked returns what was found broken on each page of the last site
// checked, when site is its sum; else nil.
func (c *Cache) checked(site uint64) map[*page]Error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.found == nil || c.site != site {
		return nil
	}
	return c.found
}

// keepChecked keeps what was found broken on each page of a site.
func (c *Cache) keepChecked(site uint64, found map[*page]Error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.site, c.found = site, found
}
