package linkcheck

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"
	"unsafe"

	"github.com/cespare/xxhash/v2"
)

// NewPastCache returns a Cache for a checker whose process ends with it,
// as the command line's does: it knows the pages of a site checked in
// another process by their size and sum, and takes from past, an encoding
// of Encode, what was read of them and found on them; past must not change
// after, as the Cache keeps its strings in it. A past cut short,
// changed or of another version is no past: the checker reads every page.
// A site checked with a past cache is checked as one without, only
// sooner: what was found on a page is taken while the page and every file
// its links depend on are as they were.
//
// The past is read on a goroutine of its own, while the build goes on; the
// Cache's lock is held until it is read.
func NewPastCache(past []byte) *Cache {
	return NewPastCacheOf(func() []byte { return past })
}

// NewPastCacheOf is NewPastCache with a past that past returns, which it
// calls on its goroutine, as it reads the past: a past that is itself
// being read does not hold up the build.
func NewPastCacheOf(past func() []byte) *Cache {
	c := &Cache{lean: true}
	c.mu.Lock()
	go func() {
		defer c.mu.Unlock()
		if d, err := decodePast(past()); err == nil {
			c.base, c.names, c.pages, c.checked = d.base, d.names, d.pages, d.checked
		}
	}()
	return c
}

// pastMagic begins an encoding of a past cache, with its format's version.
const pastMagic = "promptsite link check 1\n"

// Encode returns what the last check that used c read of each page and
// found on it, for NewPastCache in another process; nil for a Cache not of
// NewPastCache, or one no check has filled. It writes pastMagic; the base
// path; the count of files and their names, sorted; the count of pages,
// and for each its file (the name's index), size, sum, ids, links, broken
// links (href and why) and deps; and last the sum of all before it. A
// string is its length, then its bytes.
func (c *Cache) Encode() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.lean || c.checked == nil {
		return nil
	}
	names := make([]string, 0, len(c.names))
	for n := range c.names {
		names = append(names, n)
	}
	slices.Sort(names)
	index := make(map[string]int, len(names))
	size := len(pastMagic) + len(c.base) + 16
	for i, n := range names {
		index[n] = i
		size += len(n) + 2
	}
	// A page goes only with what its own check found: a check cut short
	// may have read pages it did not check.
	type kept struct {
		name string
		scan cachedScan
		chk  checkedPage
	}
	var pages []kept
	for _, n := range names {
		s, ok := c.pages[n]
		chk, checked := c.checked[n]
		if !ok || !checked || s.page == nil || s.page != chk.page {
			continue
		}
		pages = append(pages, kept{n, s, chk})
		if chk.past != "" {
			size += 4 + len(chk.past)
			continue
		}
		size += 24 + len(s.page.links) + 10*len(chk.deps)
		for _, id := range s.page.ids {
			size += len(id) + 2
		}
		for _, f := range chk.found {
			size += len(f.Href) + len(f.Why) + 4
		}
	}
	b := make([]byte, 0, size)
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	num := func(n int) { b = binary.AppendUvarint(b, uint64(n)) }
	b = append(b, pastMagic...)
	str(c.base)
	num(len(names))
	for _, n := range names {
		str(n)
	}
	num(len(pages))
	for _, k := range pages {
		num(index[k.name])
		if k.chk.past != "" {
			b = append(b, k.chk.past...)
			continue
		}
		num(k.scan.size)
		b = binary.LittleEndian.AppendUint64(b, k.scan.sum)
		num(len(k.scan.page.ids))
		for _, id := range k.scan.page.ids {
			str(id)
		}
		str(k.scan.page.links)
		num(len(k.chk.found))
		for _, f := range k.chk.found {
			str(f.Href)
			str(f.Why)
		}
		num(len(k.chk.deps))
		for _, d := range k.chk.deps {
			b = binary.LittleEndian.AppendUint64(b, d)
		}
	}
	return binary.LittleEndian.AppendUint64(b, xxhash.Sum64(b))
}

// decodedPast is what decodePast reads.
type decodedPast struct {
	base    string
	names   map[string]bool
	pages   map[string]cachedScan
	checked map[string]checkedPage
}

var errBadPast = errors.New("not a whole link check record")

// decodePast reads what Encode wrote. The strings it returns share b's
// bytes.
func decodePast(b []byte) (decodedPast, error) {
	if len(b) < len(pastMagic)+8 || !bytes.HasPrefix(b, []byte(pastMagic)) {
		return decodedPast{}, errBadPast
	}
	body := b[:len(b)-8]
	if xxhash.Sum64(body) != binary.LittleEndian.Uint64(b[len(b)-8:]) {
		return decodedPast{}, errBadPast
	}
	// The strings share b's bytes, which NewPastCache's caller leaves as
	// they are: a large site's past is megabytes.
	rest := body[len(pastMagic):]
	all := unsafe.String(unsafe.SliceData(rest), len(rest))
	r := pastReader{s: all}
	d := decodedPast{base: r.str()}
	names := make([]string, r.count(1))
	d.names = make(map[string]bool, len(names))
	for i := range names {
		names[i] = r.str()
		d.names[names[i]] = true
	}
	n := r.count(11)
	d.pages = make(map[string]cachedScan, n)
	d.checked = make(map[string]checkedPage, n)
	for range n {
		i := r.uvarint()
		if r.err != nil || i >= uint64(len(names)) {
			return decodedPast{}, errBadPast
		}
		name := names[i]
		start := len(r.s)
		size := r.uvarint()
		if size > 1<<40 {
			return decodedPast{}, errBadPast
		}
		s := cachedScan{size: int(size), sum: r.uint64(), page: &page{}}
		s.page.ids = make([]string, r.count(1))
		for j := range s.page.ids {
			s.page.ids[j] = r.str()
		}
		s.page.links = r.str()
		chk := checkedPage{page: s.page}
		if f := r.count(2); f > 0 {
			chk.found = make(Error, f)
			for j := range chk.found {
				chk.found[j] = Broken{Page: name, Href: r.str(), Why: r.str()}
			}
		}
		chk.deps = make([]uint64, r.count(8))
		for j := range chk.deps {
			chk.deps[j] = r.uint64()
		}
		if r.err == nil {
			chk.past = all[len(all)-start : len(all)-len(r.s)]
		}
		d.pages[name], d.checked[name] = s, chk
	}
	if r.err != nil || r.s != "" {
		return decodedPast{}, errBadPast
	}
	return d, nil
}

// pastReader reads the parts of an encoding; after the first that is not
// whole, it reads zeros and keeps the error.
type pastReader struct {
	s   string
	err error
}

func (r *pastReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	var v uint64
	for i := 0; i < len(r.s) && i < binary.MaxVarintLen64; i++ {
		c := r.s[i]
		v |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			r.s = r.s[i+1:]
			return v
		}
	}
	r.err = errBadPast
	return 0
}

// count reads a count of things that take at least least bytes each, no
// more than what is left can hold.
func (r *pastReader) count(least int) int {
	v := r.uvarint()
	if v > uint64(len(r.s)) || least > 0 && v > uint64(len(r.s)/least) {
		r.err = errBadPast
		return 0
	}
	return int(v)
}

func (r *pastReader) str() string {
	n := r.count(1)
	if r.err != nil {
		return ""
	}
	s := r.s[:n]
	r.s = r.s[n:]
	return s
}

func (r *pastReader) uint64() uint64 {
	if r.err != nil || len(r.s) < 8 {
		r.err = errBadPast
		return 0
	}
	var v uint64
	for i := range 8 {
		v |= uint64(r.s[i]) << (8 * i)
	}
	r.s = r.s[8:]
	return v
}
