package search

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"

	"github.com/cespare/xxhash/v2"
)

// Past gives what a build in another process analysed: the encoding that
// Cache.Analyses returned then, or nil.
type Past interface {
	Analyses() []byte
}

// NewPastCache returns a Cache for an index whose process ends with it, as
// the command line's does: it takes from past, which may be nil, the
// analyses of the documents that have not changed, and the index they
// made, which it patches where documents changed (see pastIndex); and it
// keeps nothing of the index in memory but the encoding of its analyses
// and of the index, which Analyses returns, for a later build to take in
// turn.
func NewPastCache(past Past) *Cache { return &Cache{past: past, lean: true} }

// Analyses returns the encoding of the analyses of the last index that
// used c, a Cache of NewPastCache; nil for another Cache.
func (c *Cache) Analyses() []byte {
	parts := c.AnalysesParts()
	if len(parts) == 1 {
		return parts[0]
	}
	return bytes.Join(parts, nil)
}

// AnalysesParts is Analyses in parts, which follow one another: a build
// that patched its past's index refers to much of the past's encoding
// rather than copying it (see parts).
func (c *Cache) AnalysesParts() [][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.save != nil {
		c.saved, c.save = c.save(), nil
	}
	return c.saved
}

// parts is an encoding made of pieces in turn, some of them of another
// encoding, referred to rather than copied; the others are its own bytes.
type parts struct {
	list  [][]byte
	buf   []byte // its own bytes; those from start on are not in list yet
	start int
}

// ref adds b, which must not change, to the encoding.
func (p *parts) ref(b []byte) {
	if len(b) < 64 {
		p.buf = append(p.buf, b...)
		return
	}
	p.flush()
	p.list = append(p.list, b)
}

// flush adds the own bytes not added yet to the list.
func (p *parts) flush() {
	if len(p.buf) > p.start {
		p.list = append(p.list, p.buf[p.start:len(p.buf):len(p.buf)])
		p.start = len(p.buf)
	}
}

// done returns the parts of the encoding.
func (p *parts) done() [][]byte {
	p.flush()
	return p.list
}

// The encoding of a build's analyses: its version; the strings, each its
// length and its bytes; the documents, each its key, the length of the
// rest, and for each field its length and its terms, each the index of
// its string and its frequency, then its surface words, each the index of
// its string; and the terms of the surface words, for each analysis its name (its length
// and its bytes) and its words, each the index of its string and the
// index of its term's plus one, or 0 for none (a stop word); then 1 and
// the index the analyses made (see pastIndex), or 0 for none; and last
// the sum (xxhash) of all before it. Numbers are uvarints, and keys and
// the sum eight bytes, little-endian.
const analysesVersion = 3

var errAnalyses = errors.New("search: not an encoding of analyses")

// pastAnalyses is an encoding of analyses read for an index to take them.
type pastAnalyses struct {
	strs  []string
	docs  map[uint64][]byte // each document's encoding after its key
	order []uint64          // the documents' keys, in the index's order
	size  int               // about the bytes of the documents' encodings
	// Document i's encoding, its key first, is raw[at[i]:at[i+1]], in
	// raw, the encoding read.
	at  []int
	raw []byte
	// terms are the terms of the surface words, by analysis and word
	// (see Index.termOf).
	terms map[string]map[string]surfaceTerm
	// index is the index the analyses made, for the next to patch; nil
	// for none.
	index *pastIndex
}

// readAnalyses reads the encoding b.
func readAnalyses(b []byte) (*pastAnalyses, error) {
	if len(b) < 8 || xxhash.Sum64(b[:len(b)-8]) != binary.LittleEndian.Uint64(b[len(b)-8:]) {
		return nil, errAnalyses
	}
	b = b[:len(b)-8]
	r := reader{b: b}
	if r.uvarint() != analysesVersion {
		return nil, errAnalyses
	}
	n := r.uvarint()
	if n > uint64(len(b)) {
		return nil, errAnalyses
	}
	// The strings are cut from one string, allocated once.
	lens := make([]int, n)
	total := 0
	for i := range lens {
		lens[i] = len(r.next())
		total += lens[i]
	}
	if r.err != nil || total > len(b) {
		return nil, errAnalyses
	}
	// Again, for the bytes.
	r = reader{b: b}
	r.uvarint()
	r.uvarint()
	all := make([]byte, 0, total)
	for range lens {
		all = append(all, r.next()...)
	}
	text := string(all)
	p := &pastAnalyses{strs: make([]string, n)}
	at := 0
	for i, l := range lens {
		p.strs[i] = text[at : at+l]
		at += l
	}
	count := r.uvarint()
	if count > uint64(len(r.b)) {
		return nil, errAnalyses
	}
	p.docs = make(map[uint64][]byte, count)
	p.order = make([]uint64, 0, count)
	p.at = make([]int, 0, count+1)
	p.raw = b
	for range count {
		if len(r.b) < 8 {
			return nil, errAnalyses
		}
		p.at = append(p.at, len(b)-len(r.b))
		key := binary.LittleEndian.Uint64(r.b)
		r.b = r.b[8:]
		// A document's analysis is read when it is taken: the sum
		// stands for its check.
		d := r.next()
		if r.err != nil {
			return nil, errAnalyses
		}
		p.docs[key] = d
		p.order = append(p.order, key)
		p.size += 8 + binary.MaxVarintLen32 + len(d)
	}
	p.at = append(p.at, len(b)-len(r.b))
	langs := r.uvarint()
	if langs > uint64(len(r.b)) {
		return nil, errAnalyses
	}
	p.terms = make(map[string]map[string]surfaceTerm, langs)
	for range langs {
		name := string(r.next())
		words := r.uvarint()
		if words > uint64(len(r.b)) {
			return nil, errAnalyses
		}
		m := make(map[string]surfaceTerm, words)
		for range words {
			w, t := r.uvarint(), r.uvarint()
			if w >= uint64(len(p.strs)) || t > uint64(len(p.strs)) {
				return nil, errAnalyses
			}
			if t == 0 {
				m[p.strs[w]] = surfaceTerm{}
			} else {
				m[p.strs[w]] = surfaceTerm{p.strs[t-1], true}
			}
		}
		p.terms[name] = m
	}
	switch r.uvarint() {
	case 0:
	case 1:
		var ok bool
		if p.index, ok = readIndex(&r, len(p.order)); !ok {
			return nil, errAnalyses
		}
	default:
		return nil, errAnalyses
	}
	if r.err != nil || len(r.b) != 0 {
		return nil, errAnalyses
	}
	return p, nil
}

// take fills a with the analysis of the document of key, and reports
// whether there was one; when there was none, or one that does not read,
// a is left empty.
func (p *pastAnalyses) take(key uint64, a *analysed) bool {
	b, ok := p.docs[key]
	if !ok {
		return false
	}
	r := reader{b: b}
	if !p.decode(&r, a) || len(r.b) != 0 {
		a.reset()
		return false
	}
	return true
}

// decode reads one document's analysis from r into a, its strings
// numbered as in p.
func (p *pastAnalyses) decode(r *reader, a *analysed) bool {
	a.termIDs, a.wordIDs = a.termIDs[:0], a.wordIDs[:0]
	ids := &a.termIDs
	str := func() string {
		i := r.uvarint()
		if i >= uint64(len(p.strs)) {
			r.err = errAnalyses
			return ""
		}
		*ids = append(*ids, uint32(i))
		return p.strs[i]
	}
	for fi := range a.terms {
		length := r.uvarint()
		n := r.uvarint()
		if n > uint64(len(r.b)) {
			return false
		}
		a.length[fi] = int(length)
		terms := slices.Grow(a.terms[fi][:0], int(n))[:n]
		for i := range n {
			t, f := str(), r.uvarint()
			terms[i] = termFreq{t, int(f)}
		}
		a.terms[fi] = terms
	}
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		return false
	}
	ids = &a.wordIDs
	a.words = slices.Grow(a.words[:0], int(n))[:n]
	for i := range n {
		a.words[i] = str()
	}
	return r.err == nil
}

// reader reads uvarints; a read past the end, or of a malformed number,
// sets err and reads 0.
type reader struct {
	b   []byte
	err error
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errAnalyses
		return 0
	}
	r.b = r.b[n:]
	return v
}

// next reads a length and that many bytes, which it returns; nil for none.
// Bytes past the end set err, and read nil.
func (r *reader) next() []byte {
	l := r.uvarint()
	if l > uint64(len(r.b)) {
		r.err, r.b = errAnalyses, nil
		return nil
	}
	b := r.b[:l:l]
	r.b = r.b[l:]
	if l == 0 {
		return nil
	}
	return b
}

// analysesWriter encodes the analyses of an index's documents, in order.
// Made from the analyses of a build before, it keeps their strings where
// they were, so that the encoding of a document taken from them is copied
// as it was, not made again.
type analysesWriter struct {
	ids  map[string]uint64
	strs []string
	used []bool // the strings that a document added uses
	docs parts
	n    int
	past *pastAnalyses // the analyses it was made from; may be nil
	// terms are the terms of surface words added, by analysis: the
	// numbers of the word and of its term plus one, 0 for none.
	terms     map[string][][2]uint64
	termLangs []string // the analyses of terms, in the order met
	// index, when set, appends the index the analyses made (see
	// pastIndex) to the encoding.
	index     func(p *parts)
	indexSize func() int // about how many bytes of its own index adds
	scratch   []byte     // the encoding of the analysis being added
	// whole is set once a document is copied without its analysis:
	// which strings are used is not known, and all are kept.
	whole bool
}

// addTerm adds t, what the analysis lang makes of the surface word w.
func (w *analysesWriter) addTerm(lang, word string, t surfaceTerm) {
	if w.terms == nil {
		w.terms = map[string][][2]uint64{}
	}
	if _, ok := w.terms[lang]; !ok {
		w.termLangs = append(w.termLangs, lang)
	}
	pair := [2]uint64{w.id(word), 0}
	if t.ok {
		pair[1] = w.id(t.term) + 1
	}
	w.terms[lang] = append(w.terms[lang], pair)
}

func newAnalysesWriter(past *pastAnalyses) *analysesWriter {
	w := &analysesWriter{past: past}
	if past == nil {
		w.ids = map[string]uint64{}
		return w
	}
	w.ids = make(map[string]uint64, len(past.strs))
	w.strs = slices.Clip(past.strs)
	w.used = make([]bool, len(w.strs))
	for i, s := range past.strs {
		w.ids[s] = uint64(i)
	}
	return w
}

// table returns the strings numbered so far, by number; nil for a nil
// writer.
func (w *analysesWriter) table() []string {
	if w == nil {
		return nil
	}
	return w.strs
}

func (w *analysesWriter) id(s string) uint64 {
	i, ok := w.ids[s]
	if !ok {
		i = uint64(len(w.strs))
		w.ids[s] = i
		w.strs = append(w.strs, s)
		w.used = append(w.used, true)
	} else {
		w.used[i] = true
	}
	return i
}

// add encodes a, the analysis of the document of key, whose strings are
// numbered in a.termIDs and a.wordIDs as in strs, the table of the worker
// that made it. tr maps those numbers to the writer's, plus one, 0 for a
// number not met yet; add grows it as it needs. The writer looks each
// string of a table up once.
func (w *analysesWriter) add(key uint64, a *analysed, strs []string, tr *[]uint64) {
	if len(*tr) < len(strs) {
		*tr = append(*tr, make([]uint64, len(strs)-len(*tr))...)
	}
	mine := func(n uint32) uint64 {
		if g := (*tr)[n]; g != 0 {
			w.used[g-1] = true
			return g - 1
		}
		g := w.id(strs[n])
		(*tr)[n] = g + 1
		return g
	}
	d := w.scratch[:0]
	k := 0
	for fi, terms := range a.terms {
		d = binary.AppendUvarint(d, uint64(a.length[fi]))
		d = binary.AppendUvarint(d, uint64(len(terms)))
		for _, t := range terms {
			d = binary.AppendUvarint(d, mine(a.termIDs[k]))
			d = binary.AppendUvarint(d, uint64(t.freq))
			k++
		}
	}
	d = binary.AppendUvarint(d, uint64(len(a.words)))
	for _, n := range a.wordIDs {
		d = binary.AppendUvarint(d, mine(n))
	}
	w.appendDoc(key, d)
	w.scratch = d
}

// appendDoc adds the encoding d of the analysis of the document of key.
func (w *analysesWriter) appendDoc(key uint64, d []byte) {
	w.n++
	w.docs.buf = binary.LittleEndian.AppendUint64(w.docs.buf, key)
	w.docs.buf = binary.AppendUvarint(w.docs.buf, uint64(len(d)))
	w.docs.buf = append(w.docs.buf, d...)
}

// addPast adds the analysis of the document of key as the analyses the
// writer was made from encode it; a, as they decode it, numbers its
// strings as they do, which the writer's numbers begin with.
func (w *analysesWriter) addPast(key uint64, a *analysed) {
	w.appendDoc(key, w.past.docs[key])
	for _, i := range a.termIDs {
		w.used[i] = true
	}
	for _, i := range a.wordIDs {
		w.used[i] = true
	}
}

// addCopies adds the analyses of the documents from lo to hi in the order
// of those the writer was made from, as they encode them, without reading
// them: the strings they use are not known, and no string is dropped (see
// bytes).
func (w *analysesWriter) addCopies(lo, hi int) {
	if lo == hi {
		return
	}
	w.n += hi - lo
	w.docs.ref(w.past.raw[w.past.at[lo]:w.past.at[hi]])
	w.whole = true
}

// bytes returns the encoding of the analyses added, in parts. When more
// than a quarter of the strings kept from the analyses before are no
// document's any more, the analyses are encoded again with only the
// strings used.
func (w *analysesWriter) bytes() [][]byte {
	unused := 0
	for _, u := range w.used {
		if !u {
			unused++
		}
	}
	if !w.whole && unused > len(w.strs)/4 {
		p, err := readAnalyses(bytes.Join(w.encode(false), nil))
		if err != nil {
			panic("search: analyses just encoded do not read: " + err.Error())
		}
		fresh := newAnalysesWriter(nil)
		var tr []uint64
		var a analysed
		for _, key := range p.order {
			p.take(key, &a)
			fresh.add(key, &a, p.strs, &tr)
		}
		for _, lang := range w.termLangs {
			for _, pair := range w.terms[lang] {
				t := surfaceTerm{}
				if pair[1] > 0 {
					t = surfaceTerm{w.strs[pair[1]-1], true}
				}
				fresh.addTerm(lang, w.strs[pair[0]], t)
			}
		}
		fresh.index, fresh.indexSize = w.index, w.indexSize
		w = fresh
	}
	return w.encode(true)
}

// encode returns the encoding of the strings and the documents added, and
// with index, of the index the analyses made, in parts.
func (w *analysesWriter) encode(index bool) [][]byte {
	size := 2 * binary.MaxVarintLen64
	for _, s := range w.strs {
		size += binary.MaxVarintLen64 + len(s)
	}
	size += 2*binary.MaxVarintLen64 + 16
	for _, pairs := range w.terms {
		size += 2 * binary.MaxVarintLen32 * len(pairs)
	}
	if index && w.indexSize != nil {
		size += w.indexSize()
	}
	p := &parts{buf: make([]byte, 0, size)}
	b := p.buf
	b = binary.AppendUvarint(b, analysesVersion)
	b = binary.AppendUvarint(b, uint64(len(w.strs)))
	for _, s := range w.strs {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendUvarint(b, uint64(w.n))
	p.buf = b
	for _, d := range w.docs.done() {
		p.ref(d)
	}
	b = binary.AppendUvarint(p.buf, uint64(len(w.termLangs)))
	for _, lang := range w.termLangs {
		b = binary.AppendUvarint(b, uint64(len(lang)))
		b = append(b, lang...)
		b = binary.AppendUvarint(b, uint64(len(w.terms[lang])))
		for _, pair := range w.terms[lang] {
			b = binary.AppendUvarint(b, pair[0])
			b = binary.AppendUvarint(b, pair[1])
		}
	}
	if index && w.index != nil {
		p.buf = binary.AppendUvarint(b, 1)
		w.index(p)
	} else {
		p.buf = binary.AppendUvarint(b, 0)
	}
	list := p.done()
	h := xxhash.New()
	for _, part := range list {
		h.Write(part)
	}
	return append(list, binary.LittleEndian.AppendUint64(nil, h.Sum64()))
}
