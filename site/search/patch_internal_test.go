package search

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestReadPostings writes the postings of terms as the static index does
// and reads them back as a patch does; and refuses entries that are not
// of the term, not whole, or of documents out of order or past the last.
func TestReadPostings(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	const docs = 500
	ix := &Index{lengths: make([][4]int32, docs)}
	for n := range ix.lengths {
		for fi := range fields {
			ix.lengths[n][fi] = int32(r.IntN(300))
		}
	}
	for _, term := range []string{"retry", "café", `quote"d`, "<b>", "x"} {
		want := new([4][]posting)
		for fi := range want {
			for doc := int32(r.IntN(3)); doc < docs; doc += 1 + int32(r.IntN(90)) {
				if r.IntN(3) > 0 {
					want[fi] = append(want[fi], posting{doc: doc, freq: 1 + int32(r.IntN(20))})
				}
			}
		}
		var b bytes.Buffer
		ix.writePostings(&b, term, want)
		e := b.Bytes()
		got, ok := readPostings(e, term, docs)
		if !ok || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: read back %v (%v) from %s; want %v", term, got, ok, e, want)
		}
		for _, bad := range []struct {
			why  string
			e    []byte
			term string
			docs int
		}{
			{"another term's", e, term + "s", docs},
			{"cut short", e[:len(e)-1], term, docs},
			{"with more after it", append(bytes.Clone(e), ','), term, docs},
			{"of fewer documents", e, term, int(lastDoc(want))},
			{"of a document twice", bytes.Replace(e, []byte("],["), []byte(",0,1,1],["), 1), term, docs},
		} {
			if got, ok := readPostings(bad.e, bad.term, bad.docs); ok {
				t.Errorf("%s: an entry %s was read: %v", term, bad.why, got)
			}
		}
	}
}

// lastDoc returns the last document that postings have.
func lastDoc(postings *[4][]posting) int32 {
	last := int32(0)
	for _, ps := range postings {
		if len(ps) > 0 {
			last = max(last, ps[len(ps)-1].doc)
		}
	}
	return last
}
