package linkcheck

import "sync"

// Cache keeps what a Checker read of each page for the next Checker of the
// same site: a page given again with the very same bytes, as a build that
// reuses the pages it rendered before gives them, is not read again. The
// bytes are known by their address, which the cache keeps alive, so that
// no other bytes can come to have it.
type Cache struct {
	mu    sync.Mutex
	pages map[string]cachedScan // by name
}

type cachedScan struct {
	data []byte
	page *page
}

// NewCache returns an empty Cache.
func NewCache() *Cache { return &Cache{} }

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
