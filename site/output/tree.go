// Package output holds a built site in memory and publishes it to a folder
// without ever leaving a half-written site behind.
package output

import (
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"
)

// Tree is a built site: file contents keyed by slash-separated paths
// relative to the site's root, such as "index.html" or "assets/site.css".
//
// Files may be added from several goroutines at once: each Add, OnAdd's
// function included, runs alone.
type Tree struct {
	mu      sync.Mutex
	files   map[string][]byte
	onAdd   func(name string, data []byte)
	onKnown func(name string, k Known)
	forget  bool // keep names only
}

// Known is a file whose bytes the build knows without holding them, such
// as a page rendered by a build before and left in the site in place: their
// size, their sum (xxhash) and a function that gives them, which may be
// called more than once, from any goroutine, and returns the same bytes
// each time.
type Known struct {
	Size int
	Sum  uint64
	Load func() []byte
}

// NewTree returns an empty tree.
func NewTree() *Tree { return &Tree{files: make(map[string][]byte)} }

// Add stores data at name. Adding the same name twice is an error, since two
// parts of the build would otherwise overwrite each other's output.
func (t *Tree) Add(name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.claim(name, data); err != nil {
		return err
	}
	if t.onAdd != nil {
		t.onAdd(name, data)
	}
	return nil
}

// AddKnown is Add for a file known by k. A tree that forgets the bytes of
// its files gives it to OnKnown's function, when there is one, which may
// do without them; otherwise the bytes are loaded and added.
func (t *Tree) AddKnown(name string, k Known) error {
	if err := checkName(name); err != nil {
		return err
	}
	t.mu.Lock()
	if !t.forget || t.onKnown == nil {
		t.mu.Unlock()
		data := k.Load()
		if data == nil {
			return fmt.Errorf("output: the bytes of %s are not to be had", name)
		}
		return t.Add(name, data)
	}
	defer t.mu.Unlock()
	if err := t.claim(name, nil); err != nil {
		return err
	}
	t.onKnown(name, k)
	return nil
}

// checkName returns an error for a name that no file of a tree may have.
func checkName(name string) error {
	if !fs.ValidPath(name) || name == "." || strings.HasSuffix(name, "/") {
		return fmt.Errorf("output: invalid path %q", name)
	}
	return nil
}

// claim takes name for a file of data, kept unless the tree forgets the
// bytes of its files; a name taken before is an error. t.mu is held.
func (t *Tree) claim(name string, data []byte) error {
	if _, dup := t.files[name]; dup {
		return &TwiceError{Name: name}
	}
	if t.forget {
		data = nil
	}
	t.files[name] = data
	return nil
}

// TwiceError is the error of Add for a file the tree has already.
type TwiceError struct{ Name string }

func (e *TwiceError) Error() string { return "output: " + e.Name + " is written twice" }

// Forget makes the tree keep only the names of the files added from now
// on, not their bytes, which go to OnAdd's function alone: a site written
// out as it is built need not be held in memory whole. Get then returns
// no bytes for them.
func (t *Tree) Forget() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.forget = true
}

// OnAdd makes f be called with each file added from now on, as it is
// added, such as to write it out while the rest is being built.
func (t *Tree) OnAdd(f func(name string, data []byte)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.onAdd = f
}

// OnKnown makes f be called, in place of OnAdd's function, with each file
// added from now on by AddKnown to a tree that forgets their bytes.
func (t *Tree) OnKnown(f func(name string, k Known)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.onKnown = f
}

// Get returns the contents stored at name.
func (t *Tree) Get(name string) ([]byte, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	b, ok := t.files[name]
	return b, ok
}

// Names returns every path in the tree, sorted.
func (t *Tree) Names() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Sorted(maps.Keys(t.files))
}

// Len returns the number of files.
func (t *Tree) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.files)
}

// Size returns the total number of bytes.
func (t *Tree) Size() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	var n int64
	for _, b := range t.files {
		n += int64(len(b))
	}
	return n
}

// Merge adds every file of o to t.
func (t *Tree) Merge(o *Tree) error {
	for _, name := range o.Names() {
		data, _ := o.Get(name)
		if err := t.Add(name, data); err != nil {
			return err
		}
	}
	return nil
}

// Dirs returns the folders that the tree's files need, sorted so that a
// parent comes before its children.
func (t *Tree) Dirs() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	seen := map[string]bool{}
	for name := range t.files {
		for d := path.Dir(name); d != "."; d = path.Dir(d) {
			seen[d] = true
		}
	}
	return slices.Sorted(maps.Keys(seen))
}
