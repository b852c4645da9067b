package linkcheck

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cespare/xxhash/v2"

	"github.com/promptsite/promptsite/site/internal/testctx"
	"github.com/promptsite/promptsite/site/output"
)

func tree(t *testing.T, files map[string]string) *output.Tree {
	t.Helper()
	tr := output.NewTree()
	for name, data := range files {
		if err := tr.Add(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	return tr
}

func TestCheckGood(t *testing.T) {
	tr := tree(t, map[string]string{
		"index.html":        `<h1 id="top">x</h1><a href="/a/">a</a><a href="a/#p1">p1</a><a href="#top">top</a><a href="https://elsewhere.example/#nope">out</a><a href="mailto:x@example.com">mail</a>`,
		"a/index.html":      `<section id="p1"></section><a href="../">home</a><a href="/a">a</a><a href="/b.html">b</a><link href="/assets/s.css" rel="stylesheet"><script src="/assets/s.js"></script>`,
		"b.html":            `<a href="/">home</a><a href="/search/shard.json#x">data</a>`,
		"assets/s.css":      `body{}`,
		"assets/s.js":       `1`,
		"search/shard.json": `{}`,
	})
	if err := Check(tr, "/"); err != nil {
		t.Errorf("Check = %v; want nil", err)
	}
}

func TestCheckBroken(t *testing.T) {
	tr := tree(t, map[string]string{
		"index.html":   `<a href="/missing/">m</a><a href="/a/#nope">f</a><a href="#self">s</a><img src="/img.png">`,
		"a/index.html": `<p id="here"></p><a href="#here">ok</a><a href="../a/#gone">g</a>`,
	})
	err := Check(tr, "/")
	e, ok := err.(Error)
	if !ok {
		t.Fatalf("Check = %v; want an Error", err)
	}
	want := []string{
		`a/index.html: link "../a/#gone": a/index.html has no element with the id "gone"`,
		`index.html: link "/missing/": no such page`,
		`index.html: link "/a/#nope": a/index.html has no element with the id "nope"`,
		`index.html: link "#self": index.html has no element with the id "self"`,
		`index.html: link "/img.png": no such page`,
	}
	var got []string
	for _, b := range e {
		got = append(got, b.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("broken links:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(err.Error(), "5 broken links") || !strings.Contains(err.Error(), "-no-check") {
		t.Errorf("message %q does not count them or say how to skip the check", err)
	}
}

func TestCheckBasePath(t *testing.T) {
	tr := tree(t, map[string]string{
		"index.html":   `<h1 id="top">x</h1><a href="/repo/a/">a</a><a href="/repo/">home</a><a href="/repo">home</a><a href="/repo/a/#p1">p1</a><a href="a/">rel</a>`,
		"a/index.html": `<section id="p1"></section><a href="../">up</a><a href="/">host root</a><a href="/a/">no base</a><a href="/repository/">prefix</a>`,
	})
	err := Check(tr, "/repo/")
	e, ok := err.(Error)
	if !ok {
		t.Fatalf("Check = %v; want an Error", err)
	}
	want := []string{
		`a/index.html: link "/": it leaves the site, which is served under /repo/`,
		`a/index.html: link "/a/": it leaves the site, which is served under /repo/`,
		`a/index.html: link "/repository/": it leaves the site, which is served under /repo/`,
	}
	var got []string
	for _, b := range e {
		got = append(got, b.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("broken links:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestCheckAliases checks the addresses that a page's old anchors lead to.
func TestCheckAliases(t *testing.T) {
	tr := tree(t, map[string]string{
		"index.html":   `<body data-aliases="{&#34;old&#34;:&#34;/a/#p1&#34;,&#34;gone&#34;:&#34;/a/#nope&#34;}"><a href="/a/">a</a>`,
		"a/index.html": `<section id="p1"></section>`,
	})
	err := Check(tr, "/")
	e, ok := err.(Error)
	if !ok || len(e) != 1 || e[0].String() != `index.html: link "/a/#nope": a/index.html has no element with the id "nope"` {
		t.Errorf("Check = %v; want the alias that leads nowhere", err)
	}
}

// TestCheckIDMaps checks the maps of ids that pages name in data-ids:
// that the map is there, and that every address in it lands.
func TestCheckIDMaps(t *testing.T) {
	tr := tree(t, map[string]string{
		"a/index.html":        `<body data-ids="/r/assets/ids.1.json"><section id="one"></section>`,
		"a/page/2/index.html": `<body data-ids="/r/assets/ids.1.json"><section id="two"></section>`,
		"b/index.html":        `<body data-ids="/r/assets/ids.2.json"><a href="/r/a/">a</a>`,
		"assets/ids.1.json":   `{"one":"/r/a/#one","two":"/r/a/page/2/#two","three":"/r/a/page/3/#three","four":"/r/a/#four"}`,
	})
	var got []string
	if e, ok := Check(tr, "/r/").(Error); ok {
		for _, b := range e {
			got = append(got, b.String())
		}
	}
	want := []string{
		`assets/ids.1.json: link "/r/a/#four": a/index.html has no element with the id "four"`,
		`assets/ids.1.json: link "/r/a/page/3/#three": no such page`,
		`b/index.html: link "/r/assets/ids.2.json": no such page`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("broken links:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestCheckStops checks 1,000 pages with a context that is done after a
// few questions: the check stops partway, with its error.
func TestCheckStops(t *testing.T) {
	files := map[string]string{}
	for i := range 1000 {
		files[fmt.Sprintf("p%d/index.html", i)] = fmt.Sprintf(`<a href="/p%d/">next</a>`, (i+1)%1000)
	}
	tr := tree(t, files)
	if err := Check(tr, "/"); err != nil {
		t.Fatal(err)
	}
	if err := CheckContext(testctx.After(4), tr, "/"); !errors.Is(err, context.Canceled) {
		t.Errorf("CheckContext with a context done partway = %v; want context.Canceled", err)
	}
}

// TestCachedChecks checks a site three times with one Cache, a page given
// each time with the very same bytes: its links are checked again when a
// page they lead to loses its id, and found whole again when it is back.
func TestCachedChecks(t *testing.T) {
	cache := NewCache()
	home := []byte(`<a href="/a/#p1">p1</a>`)
	check := func(a string) error {
		c := NewCheckerCached(cache)
		c.Add("index.html", home)
		c.Add("a/index.html", []byte(a))
		return c.Check(context.Background(), "/")
	}
	for i, tt := range []struct {
		a      string
		broken bool
	}{
		{`<section id="p1"></section>`, false},
		{`<section id="p2"></section>`, true},
		{`<section id="p2"></section>`, true},
		{`<section id="p1"></section>`, false},
	} {
		err := check(tt.a)
		var broken Error
		if got := errors.As(err, &broken) && len(broken) == 1 && broken[0].Page == "index.html"; got != tt.broken {
			t.Errorf("check %d, a/index.html %s: %v; want the link broken: %v", i+1, tt.a, err, tt.broken)
		}
	}
}

// TestCachedChecksFollowChanges checks a series of sites with one Cache,
// pages of one link each given each time with the very same bytes, and
// holds each check to one without the cache: a link is found broken, and
// whole again, as the pages it leads to come and go and gain and lose
// ids, and as the base path changes.
func TestCachedChecksFollowChanges(t *testing.T) {
	var from [][]byte
	for _, href := range []string{"/a/#p1", "b/", "/c", "d.css", "/b/#q", "b/index.html#q"} {
		from = append(from, []byte(`<a href="`+href+`">link</a>`))
	}
	other := []byte(`<a href="../from0.html">back</a> <section id="q"></section>`)
	// A page whose own links change from one step to the next while the
	// pages they lead to stay as they are.
	own := map[string]string{
		"all there":      `<a href="/a/#p1">a</a>`,
		"the same":       `<a href="/a/#nope">a</a>`,
		"a loses its id": `<a href="/nowhere/">n</a>`,
		"b gone":         `<a href="a/">a</a>`,
	}
	steps := []struct {
		what  string
		base  string
		files map[string]string // but for the pages of links and b/index.html
		b     bool              // b/index.html is there, with other's bytes
	}{
		{"all there", "/", map[string]string{"a/index.html": `<p id="p1">`, "c.html": ``, "d.css": ``}, true},
		{"the same", "/", map[string]string{"a/index.html": `<p id="p1">`, "c.html": ``, "d.css": ``}, true},
		{"a loses its id", "/", map[string]string{"a/index.html": `<p id="p2">`, "c.html": ``, "d.css": ``}, true},
		{"b gone", "/", map[string]string{"a/index.html": `<p id="p2">`, "c.html": ``, "d.css": ``}, false},
		{"c gone", "/", map[string]string{"a/index.html": `<p id="p2">`, "d.css": ``}, false},
		{"c back as a folder", "/", map[string]string{"a/index.html": `<p id="p1">`, "c/index.html": ``, "d.css": ``}, false},
		{"d gone, b back", "/", map[string]string{"a/index.html": `<p id="p1">`, "c/index.html": ``}, true},
		{"b without its id", "/", map[string]string{"a/index.html": `<p id="p1">`, "c/index.html": ``, "b/index.html": `<p>`}, false},
		{"another base path", "/x/", map[string]string{"a/index.html": `<p id="p1">`, "c/index.html": ``}, true},
		{"the base path back", "/", map[string]string{"a/index.html": `<p id="p1">`, "c/index.html": ``, "d.css": ``}, true},
	}
	cache := NewCache()
	var past []byte // the encoding of the last past cache
	for _, st := range steps {
		lean := NewPastCache(past)
		cached, plain, fromPast := NewCheckerCached(cache), NewChecker(), NewCheckerCached(lean)
		for _, c := range []*Checker{cached, plain, fromPast} {
			for i, data := range from {
				c.Add(fmt.Sprintf("from%d.html", i), data)
			}
			if st.b {
				c.Add("b/index.html", other)
			}
			if links, ok := own[st.what]; ok {
				c.Add("own.html", []byte(links))
			}
			for name, data := range st.files {
				c.Add(name, []byte(data))
			}
		}
		got, want := fmt.Sprint(cached.Check(context.Background(), st.base)), fmt.Sprint(plain.Check(context.Background(), st.base))
		if got != want {
			t.Errorf("%s: with the cache, %s\nwithout, %s", st.what, got, want)
		}
		if got := fmt.Sprint(fromPast.Check(context.Background(), st.base)); got != want {
			t.Errorf("%s: with the past of another process, %s\nwithout, %s", st.what, got, want)
		}
		// Of the pages, only own.html has bytes the last check did not.
		if n := fromPast.pagesRead.Load(); st.what == "the same" && n != 1 {
			t.Errorf("%s: with the past of another process, %d pages were read; want own.html alone", st.what, n)
		}
		past = lean.Encode()
		if past == nil {
			t.Fatalf("%s: a past cache that a check filled encodes to nothing", st.what)
		}
	}
}

// TestPastOfManyFiles takes a past of a site with more files than bytes
// after the last page: every page is taken from it.
func TestPastOfManyFiles(t *testing.T) {
	check := func(past []byte) (*Checker, *Cache) {
		cache := NewPastCache(past)
		c := NewCheckerCached(cache)
		for i := range 300 {
			c.Add(fmt.Sprintf("a%03d.css", i), []byte("p {}"))
		}
		c.Add("index.html", []byte(`<a href="/a000.css">`))
		c.Add("z.html", []byte(`<p id="z">`))
		if err := c.Check(context.Background(), "/"); err != nil {
			t.Fatal(err)
		}
		return c, cache
	}
	_, cache := check(nil)
	enc := cache.Encode()
	c, again := check(enc)
	if c.pagesRead.Load() != 0 {
		t.Errorf("with the past of the same site, %d pages were read; want none", c.pagesRead.Load())
	}
	// What it took whole it encodes as it was.
	if !bytes.Equal(again.Encode(), enc) {
		t.Errorf("the same site checked from its past encodes otherwise")
	}
}

// TestPastCutShort decodes every beginning of a past cache's encoding,
// and the encoding with each byte changed: none is taken, and a checker
// given one checks as one without a past.
func TestPastCutShort(t *testing.T) {
	files := map[string]string{"index.html": `<a href="/a/#p1">p1</a><a href="/a/#p2">p2</a>`, "a/index.html": `<p id="p1">`}
	check := func(past []byte) (string, *Cache) {
		cache := NewPastCache(past)
		c := NewCheckerCached(cache)
		for _, name := range slices.Sorted(maps.Keys(files)) {
			c.Add(name, []byte(files[name]))
		}
		return fmt.Sprint(c.Check(context.Background(), "/")), cache
	}
	want, cache := check(nil)
	if !strings.Contains(want, "#p2") {
		t.Fatalf("the check found %s; want the link to #p2 broken", want)
	}
	enc := cache.Encode()
	if got, _ := check(enc); got != want {
		t.Fatalf("with its own past, the check found %s; want %s", got, want)
	}
	for i := range enc {
		bad := [][]byte{enc[:i], slices.Clone(enc)}
		bad[1][i] ^= 0x20
		for _, b := range bad {
			if _, err := decodePast(b); err == nil {
				t.Fatalf("an encoding of %d bytes, cut or changed at byte %d, was read", len(b), i)
			}
		}
	}
	// A page that gained the id is read again, and the page that links
	// to it, as it was, is checked again.
	files["a/index.html"] = `<p id="p1"><p id="p2">`
	if got, _ := check(enc); got != "<nil>" {
		t.Errorf("with the id there, the check from the past found %s; want nothing broken", got)
	}
}

// TestAddKnown checks pages given by their size and sum: one its past
// knows so is not loaded; one it does not is loaded and read; and the
// check finds what a check of the bytes finds.
func TestAddKnown(t *testing.T) {
	files := map[string]string{"index.html": `<a href="/a/#p1">p1</a><a href="/a/#p2">p2</a>`, "a/index.html": `<p id="p1">`}
	check := func(past []byte) (string, []string, *Cache) {
		cache := NewPastCache(past)
		c := NewCheckerCached(cache)
		var (
			mu     sync.Mutex // the readers load side by side
			loaded []string
		)
		for _, name := range slices.Sorted(maps.Keys(files)) {
			data := []byte(files[name])
			c.AddKnown(name, len(data), xxhash.Sum64(data), func() []byte {
				mu.Lock()
				defer mu.Unlock()
				loaded = append(loaded, name)
				return data
			})
		}
		found := fmt.Sprint(c.Check(context.Background(), "/"))
		slices.Sort(loaded)
		return found, loaded, cache
	}
	want, loaded, cache := check(nil)
	if !strings.Contains(want, "#p2") || len(loaded) != 2 {
		t.Fatalf("with no past, the check found %s and loaded %q; want the link to #p2 broken, both pages loaded", want, loaded)
	}
	files["a/index.html"] = `<p id="p1"><p id="p2">`
	got, loaded, _ := check(cache.Encode())
	if got != "<nil>" || !slices.Equal(loaded, []string{"a/index.html"}) {
		t.Errorf("with a/index.html changed, the check found %s and loaded %q; want nothing broken, a/index.html alone loaded", got, loaded)
	}
}
