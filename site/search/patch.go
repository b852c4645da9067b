package search

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
)

// pastIndex is what an index made from its analyses, kept with them (see
// analysesVersion) for the next build in another process to patch where
// its documents changed, as a Cache does in one process, rather than
// gather every document's analysis again. Its encoding: how many strings
// the builds that patched it added to the table (see maxGrown); the
// analyses of the index, each its length and its name; for each document,
// the number of its analysis, its fields' lengths, the key of its record
// (eight bytes, see recordKey) and the record, its length and its bytes;
// and the keys of the static index, sorted, each
//
//   - its length and its bytes;
//   - what it is as a surface word: 0 for none, 1 for a word without a
//     term (a stop word), 2 for a word that is its own term, else 2 plus
//     the number of its terms, then each term's length and bytes;
//   - the number of analyses whose documents have it as a word, then for
//     each the analysis and how many documents have it;
//   - its entry (see entry), the surface and then the postings, each its
//     length and its bytes.
type pastIndex struct {
	grown   int
	langs   []string
	docLang []int
	lengths [][4]int32
	recKeys []uint64
	recs    [][]byte
	keys    []string
	entries []entry
	// Key i's encoding is section[at[i]:at[i+1]], in section, the
	// encoding read from the keys on.
	at      []int
	section []byte
	// surface holds the surface words and their terms, words the words
	// sorted, as Index.surface and Index.words do.
	surface map[string][]string
	words   []string
	// counts holds, from countAt[i] to countAt[i+1], how many documents
	// of each analysis have key i as a word.
	counts  []langCount
	countAt []int32
}

// langCount is how many documents of one analysis have a word.
type langCount struct{ lang, n int32 }

// maxGrown is the share of the table of strings, one in so many, that
// builds patching an index may add before one gathers it again: a patch
// keeps every string, even those no document has any more, and only a
// build that gathers drops them.
const maxGrown = 8

// readIndex reads the encoding of a pastIndex of docs documents from r.
func readIndex(r *reader, docs int) (*pastIndex, bool) {
	x := &pastIndex{grown: int(r.uvarint())}
	n := r.uvarint()
	if n > 64 {
		return nil, false
	}
	for range n {
		x.langs = append(x.langs, string(r.next()))
	}
	x.docLang = make([]int, docs)
	x.lengths = make([][4]int32, docs)
	x.recKeys = make([]uint64, docs)
	x.recs = make([][]byte, docs)
	for i := range docs {
		lang := r.uvarint()
		if lang >= uint64(len(x.langs)) {
			return nil, false
		}
		x.docLang[i] = int(lang)
		for fi := range fields {
			x.lengths[i][fi] = int32(r.uvarint())
		}
		if len(r.b) < 8 {
			return nil, false
		}
		x.recKeys[i] = binary.LittleEndian.Uint64(r.b)
		r.b = r.b[8:]
		x.recs[i] = r.next()
	}
	n = r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) {
		return nil, false
	}
	x.section = r.b
	x.keys = make([]string, n)
	x.entries = make([]entry, n)
	x.at = make([]int, n+1)
	x.countAt = make([]int32, n+1)
	x.surface = make(map[string][]string, n)
	var terms []string
	type termsAt struct{ key, at, n int }
	var listed []termsAt
	for i := range x.keys {
		x.at[i] = len(x.section) - len(r.b)
		k := string(r.next())
		if r.err != nil || i > 0 && k <= x.keys[i-1] {
			return nil, false
		}
		x.keys[i] = k
		kind := r.uvarint()
		if kind > 0 {
			x.words = append(x.words, k)
		}
		switch {
		case kind == 0:
		case kind == 1:
			x.surface[k] = nil
		case kind == 2:
			x.surface[k] = x.keys[i : i+1 : i+1]
		default:
			if kind-2 > uint64(len(r.b)) {
				return nil, false
			}
			listed = append(listed, termsAt{i, len(terms), int(kind - 2)})
			for range kind - 2 {
				terms = append(terms, string(r.next()))
			}
		}
		c := r.uvarint()
		if c > 64 {
			return nil, false
		}
		for range c {
			lang, k := r.uvarint(), r.uvarint()
			if lang >= uint64(len(x.langs)) {
				return nil, false
			}
			x.counts = append(x.counts, langCount{int32(lang), int32(k)})
		}
		x.countAt[i+1] = int32(len(x.counts))
		x.entries[i] = entry{surface: r.next(), postings: r.next()}
		if r.err != nil {
			return nil, false
		}
	}
	x.at[n] = len(x.section) - len(r.b)
	for _, l := range listed {
		x.surface[x.keys[l.key]] = terms[l.at : l.at+l.n : l.at+l.n]
	}
	return x, r.err == nil
}

// indexWriter appends the encoding of an index's pastIndex (see
// pastIndex) to an encoding of analyses.
type indexWriter struct {
	ix    *Index
	grown int
	// count tells how many documents of the analysis lang have the
	// key k as a word.
	count func(k string, lang int) int
	// past, when set, is the index ix patched, and dirty the keys
	// whose encoding may have changed since: the others' are copied.
	past  *pastIndex
	dirty map[string]bool
}

// write adds the encoding to p: its own bytes, and the records and the
// encodings of the keys that did not change referred to.
func (w *indexWriter) write(p *parts) {
	ix := w.ix
	b := binary.AppendUvarint(p.buf, uint64(w.grown))
	b = binary.AppendUvarint(b, uint64(len(ix.langs)))
	for _, l := range ix.langs {
		b = appendString(b, l)
	}
	for n, d := range ix.docs {
		b = binary.AppendUvarint(b, uint64(d.lang))
		for _, l := range ix.lengths[n] {
			b = binary.AppendUvarint(b, uint64(l))
		}
		b = binary.LittleEndian.AppendUint64(b, ix.recKeys[n])
		b = binary.AppendUvarint(b, uint64(len(ix.records[n])))
		p.buf = b
		p.ref(ix.records[n])
		b = p.buf
	}
	b = binary.AppendUvarint(b, uint64(len(ix.keys)))
	// A key that is not dirty was a key, and is as it was: the past's
	// keys are walked along with the index's, and the encodings of those
	// that follow one another there referred to at once.
	j := 0
	lo, hi := 0, 0 // the past's keys whose encodings are to be referred to
	flush := func() {
		if lo < hi {
			p.buf = b
			p.ref(w.past.section[w.past.at[lo]:w.past.at[hi]])
			b = p.buf
		}
		lo, hi = 0, 0
	}
	for i, k := range ix.keys {
		if x := w.past; x != nil && !w.dirty[k] {
			for j < len(x.keys) && x.keys[j] < k {
				j++
			}
			if j != hi || lo == hi {
				flush()
				lo = j
			}
			hi = j + 1
			continue
		}
		flush()
		b = appendString(b, k)
		switch ts, word := ix.surface[k]; {
		case !word:
			b = append(b, 0)
		case len(ts) == 0:
			b = append(b, 1)
		case len(ts) == 1 && ts[0] == k:
			b = append(b, 2)
		default:
			b = binary.AppendUvarint(b, uint64(2+len(ts)))
			for _, t := range ts {
				b = appendString(b, t)
			}
		}
		at := len(b)
		b = append(b, 0)
		c := 0
		for lang := range ix.langs {
			if n := w.count(k, lang); n > 0 {
				b = binary.AppendUvarint(binary.AppendUvarint(b, uint64(lang)), uint64(n))
				c++
			}
		}
		b[at] = byte(c) // at most 64, one byte as a uvarint
		b = appendBytes(b, ix.entries[i].surface)
		b = appendBytes(b, ix.entries[i].postings)
	}
	flush()
	p.buf = b
}

// size returns about how many bytes of its own write adds.
func (w *indexWriter) size() int {
	n := 32 * len(w.ix.docs)
	for i, k := range w.ix.keys {
		if w.past == nil || w.dirty[k] {
			n += 32 + 2*len(k) + len(w.ix.entries[i].surface) + len(w.ix.entries[i].postings)
		}
	}
	return n
}

// appendString appends s, its length and its bytes, to b.
func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// appendBytes is appendString for bytes.
func appendBytes(b, p []byte) []byte {
	return append(binary.AppendUvarint(b, uint64(len(p))), p...)
}

// readPostings reads the postings of the term t from e, its entry as
// writePostings wrote it for an index of docs documents; it reports false
// for anything else, such as a document out of order or past the last.
func readPostings(e []byte, t string, docs int) (*[4][]posting, bool) {
	var head bytes.Buffer
	writeString(&head, t)
	head.WriteString(":[")
	if !bytes.HasPrefix(e, head.Bytes()) {
		return nil, false
	}
	p := e[head.Len():]
	ok := true
	next := func(c byte) {
		if len(p) == 0 || p[0] != c {
			ok = false
			return
		}
		p = p[1:]
	}
	num := func() int32 {
		n, digits := int32(0), 0
		for len(p) > 0 && p[0] >= '0' && p[0] <= '9' && digits < 9 {
			n = n*10 + int32(p[0]-'0')
			p, digits = p[1:], digits+1
		}
		if digits == 0 {
			ok = false
		}
		return n
	}
	out := new([4][]posting)
	for fi := range out {
		if fi > 0 {
			next(',')
		}
		if len(p) > 0 && p[0] == '0' {
			p = p[1:]
			continue
		}
		next('[')
		doc := int32(0)
		for ok {
			step := num()
			if doc += step; step == 0 && len(out[fi]) > 0 || int(doc) >= docs {
				return nil, false
			}
			next(',')
			freq := num()
			next(',')
			num() // the field's length, which Index.lengths holds
			out[fi] = append(out[fi], posting{doc: doc, freq: freq})
			if len(p) > 0 && p[0] == ']' {
				p = p[1:]
				break
			}
			next(',')
		}
	}
	next(']')
	return out, ok && len(p) == 0
}

// patch makes the index by patching past's, when its analyses and its
// documents but a few are the index's: it analyses the documents that
// changed, takes them out of the postings and the surface words the past
// index had and adds them again as they are now, and leaves the entries
// of the other keys as they were (see plan). save is the writer of the
// analyses, made from past, which nothing was added to yet. It reports
// false, having changed nothing, when the past index will not do.
func (ix *Index) patch(ctx context.Context, ans []analysis.Analyzer, past *pastAnalyses, save *analysesWriter) (bool, error) {
	x := past.index
	n := len(ix.docs)
	if x == nil || !slices.Equal(x.langs, ix.langs) || len(past.order) != n || x.grown > len(past.strs)/maxGrown {
		return false, nil
	}
	keys := make([]uint64, n)
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), max(n/256, 1))
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				keys[i] = ix.lean.docKey(ix.docs[i], ix.langs[ix.docs[i].lang])
			}
		})
	}
	wg.Wait()
	var changed []int
	for i, k := range keys {
		if k != past.order[i] {
			if changed = append(changed, i); len(changed) > n/maxPatched {
				return false, nil
			}
		}
	}
	// The analyses of the changed documents, before and now: now, taken
	// from the past when a document has come back as it was.
	before := make([]analysed, len(changed))
	now := make([]analysed, len(changed))
	taken := make([]bool, len(changed))
	var w worker
	w.all = true
	for j, i := range changed {
		if err := ctx.Err(); err != nil {
			return false, err
		}
		if !past.take(past.order[i], &before[j]) {
			return false, nil
		}
		if taken[j] = past.take(keys[i], &now[j]); !taken[j] {
			if err := ix.analyzeDoc(i, ans[ix.docs[i].lang], &now[j], &w); err != nil {
				return false, fmt.Errorf("search: index %s: %w", ix.docs[i].url(), err)
			}
		}
	}
	// The keys whose entries may change: the terms and the words of the
	// changed documents, before and now, and what the words fold to.
	dirty := map[string]bool{}
	var words []langWord
	for j, i := range changed {
		words = ix.markDirty(dirty, words, i, &before[j], x.docLang[i], &now[j])
	}
	// What the past index had of the dirty keys: their postings, and
	// the counts of their words and of the words that fold to them.
	folded := map[string][]string{}
	for i, k := range x.keys {
		if x.countAt[i] < x.countAt[i+1] {
			if f := fold(k); f != k {
				folded[f] = append(folded[f], k)
			}
		}
	}
	g := &gathered{postings: make(map[string]*[4][]posting, len(dirty)), counts: map[langWord]int{}}
	count := func(k string) {
		i, ok := slices.BinarySearch(x.keys, k)
		if !ok {
			return
		}
		for _, c := range x.counts[x.countAt[i]:x.countAt[i+1]] {
			g.counts[langWord{k, int(c.lang)}] = int(c.n)
		}
	}
	for k := range dirty {
		i, ok := slices.BinarySearch(x.keys, k)
		if !ok {
			continue
		}
		if e := x.entries[i].postings; e != nil {
			ps, ok := readPostings(e, k, n)
			if !ok {
				return false, nil
			}
			g.postings[k] = ps
		}
		count(k)
		for _, w := range folded[k] {
			count(w)
		}
	}

	// Nothing above changed the index or save: from here on, the past
	// index is patched.
	ix.lengths = x.lengths // read for this index alone
	for j, i := range changed {
		ix.unpost(g, i, &before[j], x.docLang[i])
		ix.post(g, i, &now[j])
		ix.setLengths(i, &now[j])
	}
	ix.postings = g.postings
	ix.prev = &prevEntries{x.keys, x.entries, dirty}
	ix.surface, ix.words, ix.folded = x.surface, x.words, folded
	ix.terms = make([]map[string]surfaceTerm, len(ix.langs))
	for lang, name := range ix.langs {
		if ix.terms[lang] = past.terms[name]; ix.terms[lang] == nil {
			ix.terms[lang] = map[string]surfaceTerm{}
		}
	}
	// The terms of the surface words are saved from ix.terms, which the
	// patch keeps up to date, not as termOf meets them.
	ix.savedTerms, ix.keepTerms = nil, true
	ix.patchSurface(g, ans, words, dirty)

	// The analyses: the changed documents', and the others' as they
	// were, in runs. Every string of the past's is kept.
	save.whole = true
	var tr []uint64
	lo := 0 // the first document not added
	for j, i := range changed {
		save.addCopies(lo, i)
		if taken[j] {
			save.appendDoc(keys[i], past.docs[keys[i]])
		} else {
			save.add(keys[i], &now[j], w.strs.strs, &tr)
		}
		lo = i + 1
	}
	save.addCopies(lo, n)
	ix.lean.reused = n
	for _, t := range taken {
		if !t {
			ix.lean.reused--
		}
	}
	ix.lean.analysed = n - ix.lean.reused
	ix.lean.patched = true
	grown := x.grown + len(save.strs) - len(past.strs)
	ix.saveIndex(save, &indexWriter{ix: ix, grown: grown, past: x, dirty: dirty,
		count: func(k string, lang int) int { return g.counts[langWord{k, lang}] }})
	forget(ans, 0)
	return true, nil
}

// saveIndex has the lean cache keep, when it is asked for them, the
// analyses that save encodes and the index that iw writes, once the index
// is planned; the terms of its surface words too, when the index keeps
// them itself.
func (ix *Index) saveIndex(save *analysesWriter, iw *indexWriter) {
	save.index, save.indexSize = iw.write, iw.size
	ix.lean.saved = nil
	ix.lean.save = func() [][]byte {
		if len(ix.records) != len(ix.docs) {
			// The files were not all written: the index is not kept.
			save.index = nil
		}
		if ix.keepTerms {
			for lang, name := range ix.langs {
				for _, w := range ix.words {
					if t, ok := ix.terms[lang][w]; ok {
						save.addTerm(name, w, t)
					}
				}
			}
		}
		return save.bytes()
	}
}
