package site

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"reflect"
	"sync"

	"github.com/promptsite/promptsite/site/anchorlock"
	"github.com/promptsite/promptsite/site/content"
	"github.com/promptsite/promptsite/site/linkcheck"
	"github.com/promptsite/promptsite/site/markdown"
	"github.com/promptsite/promptsite/site/render"
	"github.com/promptsite/promptsite/site/search"
)

// Cache keeps what one build made for the next build of the same library
// to reuse: the documents parsed from each file, under a key of the file;
// the pages, each under a key of everything they were rendered from; the
// search's analysis of each prompt, under a key of its text; what the
// link check read of each page; and the prompts' fingerprints for
// anchors.lock, by their markdown. A build that reuses them
// makes the same site as one that does not, only sooner (see
// TestCacheMatchesFullBuild). A Cache may be used by one build at a time.
type Cache struct {
	parsed *fileCache
	render *render.Cache
	search *search.Cache
	links  *linkcheck.Cache
	prints *anchorlock.Prints
}

// NewCache returns an empty Cache.
func NewCache() *Cache {
	return &Cache{parsed: &fileCache{seed: maphash.MakeSeed()}, render: render.NewCache(),
		search: search.NewCache(), links: linkcheck.NewCache(), prints: anchorlock.NewPrints()}
}

// Past is what a build in another process left for the next: the pages
// it rendered, its search's analyses and what its link check read and
// found (see buildcache.Record).
type Past interface {
	render.Past
	search.Past
	// Scans returns an encoding of linkcheck.Cache.Encode, or nil.
	Scans() []byte
}

// NewPastCache returns a Cache for a build whose process ends with it, as
// the command line's does: it takes from past, which may be nil, the pages
// that a build in another process rendered from the same values, the
// analyses of the documents that did not change and what the link check
// found on the pages that did not (see render.NewPastCache,
// search.NewPastCache and linkcheck.NewPastCache), and keeps for the next
// build only what Made, Analyses and Scans return. A fresh build, one with
// no site before it, as on a fresh checkout (Netlify, CI), keeps no
// analyses nor scans: saving them costs it about 0.1 s for 10,000
// prompts, and no build would take them but one over its output, which
// keeps them in turn.
func NewPastCache(past Past, fresh bool) *Cache {
	var pages render.Past
	var analyses search.Past
	scans := func() []byte { return nil }
	if past != nil {
		pages, analyses, scans = past, past, past.Scans
	}
	if fresh {
		// With no site in place, no page of the past is to be had.
		pages = nil
	}
	c := &Cache{render: render.NewPastCache(pages)}
	if !fresh {
		c.search = search.NewPastCache(analyses)
		c.links = linkcheck.NewPastCacheOf(scans)
	}
	return c
}

// Made returns the pages that the last build that used c rendered, or
// took from its past, for a later build to take (see render.Cache.Made).
func (c *Cache) Made() []render.Made {
	if c == nil {
		return nil
	}
	return c.render.Made()
}

// Analyses returns the encoding of the search's analyses of the last
// build that used c, in parts that follow one another, for a later build
// to take (see search.Cache.AnalysesParts).
func (c *Cache) Analyses() [][]byte {
	if c == nil || c.search == nil {
		return nil
	}
	return c.search.AnalysesParts()
}

// Scans returns the encoding of what the link check of the last build
// that used c read and found, for a later build to take (see
// linkcheck.Cache.Encode); nil for none.
func (c *Cache) Scans() []byte {
	if c == nil || c.links == nil {
		return nil
	}
	return c.links.Encode()
}

// anchorPrints returns the prompts' fingerprints of the last reconcile of
// anchors.lock; nil for no cache.
func (c *Cache) anchorPrints() *anchorlock.Prints {
	if c == nil {
		return nil
	}
	return c.prints
}

// fileCache keeps the documents of the files the last build parsed, under
// a key of everything a parse reads of a file, for the next build to reuse
// (see markdown.Document.Reuse).
type fileCache struct {
	seed maphash.Seed
	docs map[uint64]*markdown.Document
}

// key hashes what parsing f reads of it: its names, where it stands, its
// front matter and its markdown. It returns 0, which no document is kept
// under, for a file whose content root it cannot tell apart from others.
func (c *fileCache) key(f *content.File) uint64 {
	var h maphash.Hash
	h.SetSeed(c.seed)
	root := ""
	if f.Root != nil {
		// A folder's files (os.DirFS) are named by the folder; another
		// kind of root is not told apart by its value.
		v := reflect.ValueOf(f.Root)
		if v.Kind() != reflect.String {
			return 0
		}
		root = v.Type().String() + ":" + v.String()
	}
	vals := []string{f.Name, f.Path, f.Rel, f.RootName, root, fmt.Sprint(f.Line, f.Alone, f.FrontPage)}
	if m := f.Meta; m != nil {
		vals = append(vals, "meta", m.Title, m.Description, m.Category, fmt.Sprint(m.Weight, m.Draft, m.Line),
			m.Name, m.Lang, fmt.Sprint(len(m.Tags)), fmt.Sprint(len(m.Aliases)))
		vals = append(vals, m.Tags...)
		vals = append(vals, m.Aliases...)
	}
	for _, v := range vals {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(v)))
		h.Write(n[:])
		h.WriteString(v)
	}
	h.Write(f.Data)
	return max(h.Sum64(), 1)
}

// take returns the key of f and, when c holds its document and no other
// file of the build has taken it (claimed holds the keys taken), that
// document readied for the build; else nil, for f to be parsed. A file
// given twice is parsed twice: a document stands for one file of a build.
func (c *fileCache) take(ctx context.Context, f *content.File, claimed *sync.Map) (uint64, *markdown.Document) {
	key := c.key(f)
	d := c.docs[key]
	if d == nil || key == 0 {
		return key, nil
	}
	if _, taken := claimed.LoadOrStore(key, true); taken || !d.Reuse(ctx) {
		return key, nil
	}
	return key, d
}

// keep replaces the documents c holds with those of a parse, whose files
// have the keys given.
func (c *fileCache) keep(keys []uint64, docs []*markdown.Document) {
	c.docs = make(map[uint64]*markdown.Document, len(docs))
	for i, d := range docs {
		if keys[i] != 0 {
			c.docs[keys[i]] = d
		}
	}
}

// files returns the cache of parsed files; nil for no cache.
func (c *Cache) files() *fileCache {
	if c == nil {
		return nil
	}
	return c.parsed
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
