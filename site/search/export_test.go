package search

import (
	"fmt"
	"slices"
)

// CheckPostings tells whether the postings New gathered from bleve's
// analysis are those of bleve's index: the same terms in each field, and
// for each the same documents, term frequencies and field norms.
func (ix *Index) CheckPostings() error {
	want, err := ix.blevePostings()
	if err != nil {
		return err
	}
	if len(ix.postings) != len(want) {
		return fmt.Errorf("%d terms; bleve's index has %d", len(ix.postings), len(want))
	}
	for term, w := range want {
		g := ix.postings[term]
		if g == nil {
			return fmt.Errorf("term %q is missing", term)
		}
		for fi := range fields {
			var got []blevePosting
			for _, p := range g[fi] {
				got = append(got, blevePosting{p.doc, p.freq, ix.lengths[p.doc][fi]})
			}
			if !slices.Equal(got, w[fi]) {
				return fmt.Errorf("postings of %s:%q = %v; bleve's index has %v", fields[fi].name, term, got, w[fi])
			}
		}
	}
	return nil
}

// SetChunkTarget sets the size of the static index's chunks, for a test
// that wants many, and returns what restores it.
func SetChunkTarget(n int) (restore func()) {
	old := chunkTarget
	chunkTarget = n
	return func() { chunkTarget = old }
}

// SetPageTarget sets the size of the static index's pages, for a test
// that wants many, and returns what restores it.
func SetPageTarget(n int) (restore func()) {
	old := pageTarget
	pageTarget = n
	return func() { pageTarget = old }
}

// Patched tells whether the last index made with c patched the words of
// the one before (see patchSurface).
func (c *Cache) Patched() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.patched
}
