// Package theme finds the templates and assets a site is rendered with:
// the ones built into promptsite, overridden file by file by a templates/
// or assets/ folder of the user's.
package theme

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// Theme is a set of page templates and assets.
type Theme struct {
	Templates fs.FS
	Assets    fs.FS
	// Dirs are the user's folders in use, for the dev server to watch.
	Dirs []string
}

// Load returns the built-in theme with the files of dir/templates and
// dir/assets, where they exist, in place of the built-in ones of the same
// name.
func Load(dir string, templates, assets fs.FS) Theme {
	t := Theme{Templates: templates, Assets: assets}
	if d := filepath.Join(dir, "templates"); isDir(d) {
		t.Templates = Overlay(os.DirFS(d), templates)
		t.Dirs = append(t.Dirs, d)
	}
	if d := filepath.Join(dir, "assets"); isDir(d) {
		t.Assets = Overlay(os.DirFS(d), assets)
		t.Dirs = append(t.Dirs, d)
	}
	return t
}

func isDir(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.IsDir()
}

// Overlay returns a file system whose files are those of upper and lower,
// upper's where both have a file of the same name.
func Overlay(upper, lower fs.FS) fs.FS { return overlay{upper, lower} }

type overlay struct{ upper, lower fs.FS }

func (o overlay) Open(name string) (fs.File, error) {
	f, err := o.upper.Open(name)
	if err == nil {
		return f, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return o.lower.Open(name)
}

// ReadDir lists the files of both layers, each name once, sorted.
func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	up, uerr := fs.ReadDir(o.upper, name)
	low, lerr := fs.ReadDir(o.lower, name)
	if uerr != nil && lerr != nil {
		return nil, lerr
	}
	seen := map[string]bool{}
	var all []fs.DirEntry
	for _, e := range append(up, low...) {
		if !seen[e.Name()] {
			seen[e.Name()] = true
			all = append(all, e)
		}
	}
	slices.SortFunc(all, func(a, b fs.DirEntry) int {
		if a.Name() < b.Name() {
			return -1
		}
		if a.Name() > b.Name() {
			return 1
		}
		return 0
	})
	return all, nil
}
