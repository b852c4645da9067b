package search

import (
	"encoding/binary"
	"hash/maphash"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/mapping"
)

// Cache keeps what one index's analysis made for the next index of the
// same library to reuse: each document's analysis, under a key of its
// analysis and its fields; each record, under a key of what it is made
// from; and the mapping with the terms its analyzers have learnt. The dev server's rebuild after an edit to one prompt then
// analyses that prompt, not the library. An index made with a Cache is the
// same as one made without. A Cache may be used by one index at a time.
type Cache struct {
	mu      sync.Mutex
	seed    maphash.Seed
	langs   string // the analyses of mapping, joined
	mapping *mapping.IndexMappingImpl
	docs    map[uint64]*analysed // by docKey
	// records are the last index's records as written in its files,
	// by recordKey.
	records map[uint64][]byte
	// terms are the terms of the last index's surface words, by
	// analysis of mapping (see Index.termOf).
	terms []map[string]surfaceTerm

	// reused and analysed count the documents of the last index.
	reused, analysed int
}

// NewCache returns an empty Cache.
func NewCache() *Cache { return &Cache{seed: maphash.MakeSeed()} }

// Counts returns how many documents the last index that used c took from
// it, and how many it analysed.
func (c *Cache) Counts() (reused, analysed int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reused, c.analysed
}

// mappingFor returns the mapping of langs: the one kept when it is theirs,
// else a new one, which it keeps.
func (c *Cache) mappingFor(langs []string) (*mapping.IndexMappingImpl, error) {
	key := strings.Join(langs, "\x00")
	if c.mapping != nil && c.langs == key {
		return c.mapping, nil
	}
	m, err := newMapping(langs)
	if err != nil {
		return nil, err
	}
	c.langs, c.mapping, c.docs, c.terms = key, m, nil, nil
	return m, nil
}

// docKey hashes what the analysis of d depends on: its analysis and its
// fields.
func (c *Cache) docKey(d *doc, analysis string) uint64 {
	return c.sum(append([]string{analysis}, d.values[:]...)...)
}

// recordKey hashes what a document's record is made from: its title,
// category, address and whole text, of which the record keeps the start.
func (c *Cache) recordKey(r record) uint64 { return c.sum(r[:]...) }

// sum hashes the strings vals, each with its length.
func (c *Cache) sum(vals ...string) uint64 {
	var h maphash.Hash
	h.SetSeed(c.seed)
	for _, v := range vals {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(v)))
		h.Write(n[:])
		h.WriteString(v)
	}
	return h.Sum64()
}

// surfaceTerm is what an analysis makes of a surface word: a term, or none
// (ok false), as of a stop word.
type surfaceTerm struct {
	term string
	ok   bool
}
