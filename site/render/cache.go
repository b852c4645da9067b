package render

import (
	"encoding/binary"
	"math"
	"reflect"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/cespare/xxhash/v2"
	promptsite "github.com/promptsite/promptsite"
	"github.com/promptsite/promptsite/site/i18n"
	"github.com/promptsite/promptsite/site/model"
)

// Cache keeps the pages one render made for the next render to reuse: the
// dev server's rebuild after an edit to one prompt renders that prompt's
// pages, not the library's. Each page is kept under a key of everything it
// was rendered from (the theme, the options, the site's title and its list
// of categories, the page's own category and prompts), so that a page is
// reused only when rendering it again would give the same bytes. A Cache
// is for one site at a time: a render that uses it keeps only its own
// pages. It may be used by one render at a time.
//
// The keys are made with a hash that has no seed, so that a key stands
// for the same page in every process of the same executable: a Cache made
// by NewPastCache takes its pages from a build of another process.
type Cache struct {
	mu    sync.Mutex
	pages map[string]cachedPage // by page path
	// ids are the maps of ids of the last render, by idsKey, and
	// markdown the categories' markdown files, by markdownKey (see
	// contentFiles).
	ids      map[uint64]idFile
	markdown map[uint64][]mdFile

	// past, for a Cache of NewPastCache, is where its pages come from;
	// lean is set for such a Cache, which keeps of its pages only made.
	past Past
	lean bool
	made []Made
	// differed are the pages of made, known from the past, that were
	// rendered when their bytes were needed and came out otherwise than
	// the past had them: Made leaves them out. It has a lock of its own:
	// a page is rendered so while a render holds mu, or after.
	diffMu   sync.Mutex
	differed map[string]bool

	// reused and rendered count the pages of the last render.
	reused, rendered int
}

type cachedPage struct {
	key  uint64
	data []byte
}

// NewCache returns an empty Cache.
func NewCache() *Cache { return &Cache{} }

// Past is what a build in another process rendered: the pages that a
// Cache of NewPastCache takes rather than render again.
type Past interface {
	// Page returns, when a build rendered the file name under key, the
	// size and sum (xxhash) of the bytes it made and a function that
	// returns them, or nil when they are not to be had as they were made;
	// else a nil function. The page goes to the tree as known by its size
	// and sum (see output.Tree.AddKnown): the function is called only by
	// whoever needs the bytes, from any goroutine, at the same time as
	// others; the page is rendered again if it returns nil.
	Page(name string, key uint64) (size int, sum uint64, load func() []byte)
}

// Made is a page that a render made or took from its Past, for a later
// build to take in turn.
type Made struct {
	Name string // the page's file in the site, such as "go/index.html"
	Key  uint64
	Sum  uint64 // xxhash of its bytes
	Size int
}

// NewPastCache returns a Cache for a build whose pages are not kept in
// memory for the next, as the command line's are. It takes from past,
// which may be nil, the pages whose keys have not changed, without reading
// them unless the output needs their bytes (see Past). It keeps no page,
// only the list Made returns, for the next build to find them through its
// Past.
func NewPastCache(past Past) *Cache { return &Cache{past: past, lean: true} }

// Made returns the pages that the last render that used c rendered or took
// from its Past and a later build could take, by name; nil for a Cache of
// NewCache.
func (c *Cache) Made() []Made {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.diffMu.Lock()
	defer c.diffMu.Unlock()
	if len(c.differed) == 0 {
		return c.made
	}
	// A page whose key did not tell its bytes is rendered again next
	// time, and recorded as it comes out then.
	return slices.DeleteFunc(slices.Clone(c.made), func(m Made) bool { return c.differed[m.Name] })
}

// differ notes that the page name, known from the past, came out otherwise
// when it was rendered (see Made). It may be called while the render is
// under way, or after.
func (c *Cache) differ(name string) {
	c.diffMu.Lock()
	defer c.diffMu.Unlock()
	if c.differed == nil {
		c.differed = map[string]bool{}
	}
	c.differed[name] = true
}

// Counts returns how many pages the last render that used c took from it,
// and how many it rendered.
func (c *Cache) Counts() (reused, rendered int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reused, c.rendered
}

// kept tells whether the pages of a kind are kept: those that list no
// more than their own category. The home page, the 404 page and the tag
// pages read the whole site, and are few.
func kept(kind string) bool { return kind == "category" || kind == "prompt" || kind == "redirect" }

// pageKeys returns the key of each page that the cache keeps, 0 for the
// others.
func (c *Cache) pageKeys(t *Templates, s *model.Site, pages []*Page) []uint64 {
	return c.newKeyer(t, s).keys(pages)
}

// newKeyer returns a keyer of the pages of s, with the keys of its
// categories and prompts made.
func (c *Cache) newKeyer(t *Templates, s *model.Site) *keyer {
	k := &keyer{heads: map[*model.Category]uint64{}, cats: map[*model.Category]uint64{},
		prompts: map[*model.Prompt]uint64{}, opts: map[optsID]uint64{}}
	// The keys of the categories and prompts, the costly part, are made
	// on every core, a category at a time.
	type catKeys struct {
		head, full uint64
		prompts    []uint64
	}
	k.narrow = t.sum == builtinSum()
	ks := make([]catKeys, len(s.Categories))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(s.Categories)) {
		wg.Go(func() {
			h := xxhash.New()
			for i := int(next.Add(1) - 1); i < len(s.Categories); i = int(next.Add(1) - 1) {
				cat := s.Categories[i]
				ck := catKeys{prompts: make([]uint64, len(cat.Prompts))}
				h.Reset()
				own := ownPrompts
				if k.narrow {
					own = ownNarrow
				}
				k.fields(h, cat, own)
				for j, p := range cat.Prompts {
					ck.prompts[j] = k.promptOf(p)
					writeUint(h, ck.prompts[j])
				}
				ck.full = h.Sum64()
				ck.head = ck.full
				if k.narrow {
					h.Reset()
					k.fields(h, cat, headSkips)
					ck.head = h.Sum64()
				}
				ks[i] = ck
			}
		})
	}
	wg.Wait()
	for i, cat := range s.Categories {
		k.heads[cat], k.cats[cat] = ks[i].head, ks[i].full
		for j, p := range cat.Prompts {
			k.prompts[p] = ks[i].prompts[j]
		}
	}

	// What every page shows: the theme, the site's own fields and the
	// head of each category, for the list of categories and the links
	// to the pages beside. The built-in theme shows of the site only its
	// title and language on the pages kept (see siteSkips).
	h := xxhash.New()
	h.WriteString(t.sum)
	for _, f := range fieldsOf(siteType.Elem()) {
		switch {
		case f.name == "Categories":
			writeUint(h, uint64(len(s.Categories)))
			for _, cat := range s.Categories {
				writeUint(h, k.heads[cat])
			}
		case k.narrow && siteSkips[f.name]:
		default:
			f.hash(k, h, unsafe.Add(unsafe.Pointer(s), f.off))
		}
	}
	k.global = h.Sum64()
	return k
}

// keys returns the key of each page that the cache keeps, 0 for the
// others. The keys are made on every core, a run of pages at a time.
func (k *keyer) keys(pages []*Page) []uint64 {
	keys := make([]uint64, len(pages))
	if !slices.ContainsFunc(pages, func(p *Page) bool { return kept(p.Kind) }) {
		return keys
	}
	const run = 256
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), (len(pages)+run-1)/run) {
		wg.Go(func() {
			h := xxhash.New()
			for lo := int(next.Add(run) - run); lo < len(pages); lo = int(next.Add(run) - run) {
				for i := lo; i < min(lo+run, len(pages)); i++ {
					keys[i] = k.pageKey(h, pages[i])
				}
			}
		})
	}
	wg.Wait()
	if k.failed.Load() {
		return make([]uint64, len(pages)) // no page is kept
	}
	return keys
}

// pageKey returns the key of p, 0 if the cache does not keep it, using h.
func (k *keyer) pageKey(h *xxhash.Digest, p *Page) uint64 {
	if !kept(p.Kind) {
		return 0
	}
	h.Reset()
	writeUint(h, k.global)
	for _, f := range fieldsOf(pageType) {
		switch f.name {
		case "Category":
			// The page's own category, whole; others are known by their
			// heads. A prompt's page and its share page show of it, with
			// the built-in theme, its head; the prompts they show are
			// keyed on their own.
			switch {
			case p.Category == nil:
				writeUint(h, 0)
			case k.narrow && p.Kind != "category":
				writeUint(h, k.heads[p.Category])
			default:
				writeUint(h, k.cats[p.Category])
			}
		case "Site", "Nav":
			// The site is in the global key; Nav is rendered with the
			// page, from what the key has.
		default:
			f.hash(k, h, unsafe.Add(unsafe.Pointer(p), f.off))
		}
	}
	return max(h.Sum64(), 1) // 0 is for no key
}

// keyer hashes the values a page is rendered from. The categories and
// prompts are hashed once each, all their fields but the links back to
// the whole: a prompt's category is known by its head, and so are the
// categories that a page links to but does not show.
type keyer struct {
	global  uint64
	heads   map[*model.Category]uint64 // what other pages read of it (see headSkips)
	cats    map[*model.Category]uint64 // the head and every prompt
	prompts map[*model.Prompt]uint64
	optsMu  sync.RWMutex // guards opts, which pages on every core fill
	opts    map[optsID]uint64
	narrow  bool // the built-in theme's (see headSkips)
	// failed is set when a value could not be keyed: then no page is.
	failed atomic.Bool
}

// optsID tells apart the options of a render: they differ only by the
// language of a page (see inLang).
type optsID struct {
	lang    string
	foreign bool
}

var (
	siteType     = reflect.TypeFor[*model.Site]()
	categoryType = reflect.TypeFor[*model.Category]()
	promptType   = reflect.TypeFor[*model.Prompt]()
	tagType      = reflect.TypeFor[*model.Tag]()
	pageType     = reflect.TypeFor[Page]()
	optionsType  = reflect.TypeFor[Options]()
	stringsType  = reflect.TypeFor[*i18n.Strings]()
)

// headSkips are the fields of a category that the built-in theme shows on
// its own pages only: another category's page, which lists it and may
// link to it, is made without them. Its prompts are counted.
var headSkips = map[string]bool{"Intro": true, "IntroText": true, "Markdown": true, "Description": true,
	"Updated": true, "Source": true, "Prompts": true}

// siteSkips are the fields of the site that the built-in theme shows on
// none of the pages the cache keeps: the home page's introduction, the
// notes and warnings that inspect and serve print, the list of tags,
// whose own pages are rendered each time, and the aliases, which a page
// shows through its own fields (AliasIDs, Aliases, Redirect), keyed with
// it: a heading renamed under anchors.lock has its own pages rendered
// again, not every page.
var siteSkips = map[string]bool{"Intro": true, "Description": true, "Markdown": true, "Warnings": true,
	"Sources": true, "Skipped": true, "Tags": true, "Aliases": true}

// builtinSum is the sum of the built-in theme (see Templates.sum).
var builtinSum = sync.OnceValue(func() string {
	_, sum, err := themeFiles(promptsite.Templates())
	if err != nil {
		panic(err) // the embedded theme is read at every build
	}
	return sum
})

// fields hashes the fields of the category c but those in skip; a slice
// skipped is counted.
func (k *keyer) fields(h *xxhash.Digest, c *model.Category, skip map[string]bool) {
	for _, f := range fieldsOf(categoryType.Elem()) {
		p := unsafe.Add(unsafe.Pointer(c), f.off)
		if skip[f.name] {
			if f.slice {
				writeUint(h, uint64((*sliceHeader)(p).len))
			}
			continue
		}
		f.hash(k, h, p)
	}
}

// ownPrompts leaves a category's prompts out of the hash of its fields,
// which counts them: its key adds each prompt's own.
var ownPrompts = map[string]bool{"Prompts": true}

// ownNarrow is ownPrompts for the built-in theme, which does not show
// where a category stands in its file either: a line added above it
// leaves its pages as they were.
var ownNarrow = map[string]bool{"Prompts": true, "Source": true}

// promptOf hashes every field of p, its category by name only: the
// category's own key covers it. With the built-in theme it leaves out
// where p stands in its file, which that theme does not show.
func (k *keyer) promptOf(p *model.Prompt) uint64 {
	h := xxhash.New()
	for _, f := range fieldsOf(promptType.Elem()) {
		switch f.name {
		case "Category":
			if p.Category != nil {
				h.WriteString(p.Category.Slug)
			}
			continue
		case "Source":
			if k.narrow {
				continue
			}
		}
		f.hash(k, h, unsafe.Add(unsafe.Pointer(p), f.off))
	}
	return h.Sum64()
}

// optionsSum returns the sum of the options o. The options of a render
// differ only by the language of a page (see optsID): each is hashed once.
func (k *keyer) optionsSum(o *Options) uint64 {
	id := optsID{o.Language(), o.foreign}
	k.optsMu.RLock()
	sum, ok := k.opts[id]
	k.optsMu.RUnlock()
	if ok {
		return sum
	}
	oh := xxhash.New()
	v := reflect.ValueOf(o).Elem()
	for i := range v.NumField() {
		if v.Field(i).Type() != stringsType { // made from Lang and Strings
			k.value(oh, v.Field(i))
		}
	}
	sum = oh.Sum64()
	k.optsMu.Lock()
	k.opts[id] = sum
	k.optsMu.Unlock()
	return sum
}

// value hashes v, with its kind and length where they tell values apart.
func (k *keyer) value(h *xxhash.Digest, v reflect.Value) {
	switch v.Type() {
	case siteType:
		return // in the global key
	case categoryType:
		if v.IsNil() {
			writeUint(h, 0)
		} else {
			writeUint(h, k.heads[(*model.Category)(v.UnsafePointer())])
		}
		return
	case promptType:
		if v.IsNil() {
			writeUint(h, 0)
		} else {
			writeUint(h, k.prompts[(*model.Prompt)(v.UnsafePointer())])
		}
		return
	case tagType:
		// A tag is shown by its name and address; its prompts, on its
		// own page, which is not kept.
		if t := (*model.Tag)(v.UnsafePointer()); t != nil {
			writeUint(h, uint64(len(t.Name)))
			h.WriteString(t.Name)
			writeUint(h, uint64(len(t.Slug)))
			h.WriteString(t.Slug)
			writeUint(h, uint64(len(t.Href)))
			h.WriteString(t.Href)
			if !k.narrow {
				writeUint(h, uint64(len(t.Prompts)))
			}
		}
		return
	case optionsType:
		// A page's options, reached through the page, are read in
		// place rather than copied out for every page.
		var o *Options
		if v.CanAddr() {
			o = v.Addr().Interface().(*Options)
		} else {
			c := v.Interface().(Options)
			o = &c
		}
		writeUint(h, k.optionsSum(o))
		return
	}
	switch v.Kind() {
	case reflect.String:
		k.writeString(h, v.String())
	case reflect.Bool:
		if v.Bool() {
			writeByte(h, 1)
		} else {
			writeByte(h, 0)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		writeUint(h, uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		writeUint(h, v.Uint())
	case reflect.Float32, reflect.Float64:
		writeUint(h, math.Float64bits(v.Float()))
	case reflect.Slice, reflect.Array:
		writeUint(h, uint64(v.Len()))
		for i := range v.Len() {
			k.value(h, v.Index(i))
		}
	case reflect.Map:
		// The entries in any order: their hashes are summed.
		writeUint(h, uint64(v.Len()))
		var sum uint64
		eh := xxhash.New()
		for it := v.MapRange(); it.Next(); {
			eh.Reset()
			k.value(eh, it.Key())
			k.value(eh, it.Value())
			sum += eh.Sum64()
		}
		writeUint(h, sum)
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			writeByte(h, 0)
			return
		}
		writeByte(h, 1)
		k.value(h, v.Elem())
	case reflect.Struct:
		for i := range v.NumField() {
			k.value(h, v.Field(i))
		}
	default:
		// A func or a channel says nothing of what a page shows, and no
		// page field holds one; should one come, no key is safe, and
		// every page is rendered.
		k.failed.Store(true)
	}
}

// writeString writes s with its length. A long one, such as a prompt's
// HTML, is hashed on its own, in one go, and its sum written: a Hash
// takes a long string through its buffer, 128 bytes at a time, at a
// fraction of the speed.
func (k *keyer) writeString(h *xxhash.Digest, s string) {
	writeUint(h, uint64(len(s)))
	if len(s) < longString {
		h.WriteString(s)
		return
	}
	writeUint(h, xxhash.Sum64String(s))
}

// longString is the length from which writeString writes a string's sum.
const longString = 128

func writeByte(h *xxhash.Digest, b byte) {
	h.Write([]byte{b})
}

func writeUint(h *xxhash.Digest, n uint64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], n)
	h.Write(b[:])
}
