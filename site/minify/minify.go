// Package minify makes the theme's scripts and style sheets smaller before
// they are published: comments and spaces go, names inside functions get
// shorter; what they do stays the same.
package minify

import (
	"crypto/sha256"
	"fmt"
	"sync"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/js"
)

var m = func() *minify.M {
	m := minify.New()
	m.Add("text/javascript", &js.Minifier{})
	m.Add("text/css", &css.Minifier{})
	return m
}()

// JS returns the script src, minified; name is the file it comes from,
// for the error.
func JS(name string, src []byte) ([]byte, error) { return run(name, "text/javascript", src) }

// CSS returns the style sheet src, minified; name is the file it comes
// from, for the error.
func CSS(name string, src []byte) ([]byte, error) { return run(name, "text/css", src) }

// cache keeps what the last files gave, by their type and bytes: a theme's
// files rarely change between the builds of one process, as serve makes
// them. The minified bytes it returns are shared: callers copy them.
var cache struct {
	sync.Mutex
	m map[[sha256.Size]byte][]byte
}

// maxCached is the most files the cache holds; a theme has a handful.
const maxCached = 64

func run(name, typ string, src []byte) ([]byte, error) {
	h := sha256.New()
	h.Write([]byte(typ))
	h.Write([]byte{0})
	h.Write(src)
	var key [sha256.Size]byte
	h.Sum(key[:0])
	cache.Lock()
	out, ok := cache.m[key]
	cache.Unlock()
	if ok {
		return out, nil
	}
	out, err := m.Bytes(typ, src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w; fix the file, or check it with a linter", name, err)
	}
	cache.Lock()
	if cache.m == nil || len(cache.m) >= maxCached {
		cache.m = map[[sha256.Size]byte][]byte{}
	}
	cache.m[key] = out
	cache.Unlock()
	return out, nil
}
