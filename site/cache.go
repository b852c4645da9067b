package site

import (
	"github.com/promptsite/promptsite/site/linkcheck"
	"github.com/promptsite/promptsite/site/render"
	"github.com/promptsite/promptsite/site/search"
)

// Cache keeps what one build made for the next build of the same library
// to reuse: the pages, each under a key of everything it was rendered
// from; the search's analysis of each prompt, under a key of its text;
// and what the link check read of each page. A build that reuses them
// makes the same site as one that does not, only sooner (see
// TestCacheMatchesFullBuild). A Cache may be used by one build at a time.
type Cache struct {
	render *render.Cache
	search *search.Cache
	links  *linkcheck.Cache
}

// NewCache returns an empty Cache.
func NewCache() *Cache {
	return &Cache{render: render.NewCache(), search: search.NewCache(), links: linkcheck.NewCache()}
}

// pages returns the cache of rendered pages; nil for no cache.
func (c *Cache) pages() *render.Cache {
	if c == nil {
		return nil
	}
	return c.render
}

// Counts returns how many pages the last build took from c, and how many
// it rendered.
func (c *Cache) Counts() (reused, rendered int) {
	if c == nil {
		return 0, 0
	}
	return c.render.Counts()
}

// index returns the cache of the search's analyses; nil for no cache.
func (c *Cache) index() *search.Cache {
	if c == nil {
		return nil
	}
	return c.search
}

// scans returns the cache of what the link check read of the pages; nil
// for no cache.
func (c *Cache) scans() *linkcheck.Cache {
	if c == nil {
		return nil
	}
	return c.links
}
