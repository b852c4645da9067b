// Package theme finds the templates and assets a site is rendered with:
// the ones built into promptsite, overridden file by file by a templates/
// or assets/ folder of the user's.
package theme

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
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
// name; the built-in theme alone when dir is empty.
func Load(dir string, templates, assets fs.FS) Theme {
	t := Theme{Templates: templates, Assets: assets}
	if dir == "" {
		return t
	}
	tdir, adir := filepath.Join(dir, "templates"), filepath.Join(dir, "assets")
	// Both are watched, so that a folder made later is picked up.
	t.Dirs = []string{tdir, adir}
	if isDir(tdir) {
		t.Templates = Overlay(os.DirFS(tdir), templates)
	}
	if isDir(adir) {
		t.Assets = Overlay(os.DirFS(adir), assets)
	}
	return t
}

// Files lists the files of a theme folder, dir/templates and dir/assets,
// each as "templates/x.html" with whether it replaces a built-in file of
// the same name or adds one.
func Files(dir string, templates, assets fs.FS) ([]File, error) {
	var out []File
	for _, part := range []struct {
		name    string
		builtin fs.FS
	}{{"templates", templates}, {"assets", assets}} {
		entries, err := os.ReadDir(filepath.Join(dir, part.name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("theme: %w", err)
		}
		for _, e := range entries {
			if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			_, err := fs.Stat(part.builtin, e.Name())
			out = append(out, File{Name: part.name + "/" + e.Name(), Replaces: err == nil})
		}
	}
	return out, nil
}

// File is a file of a theme folder.
type File struct {
	Name     string // "templates/layout.html"
	Replaces bool   // whether a built-in file has its name
}

// Export writes the built-in templates and assets into dir/templates and
// dir/assets, to start a theme of one's own from. It writes nothing when
// one of the files is there already.
func Export(dir string, templates, assets fs.FS) ([]string, error) {
	type file struct {
		path string
		data []byte
	}
	var files []file
	var taken []string
	for _, part := range []struct {
		name string
		fsys fs.FS
	}{{"templates", templates}, {"assets", assets}} {
		names, err := fs.Glob(part.fsys, "*")
		if err != nil {
			return nil, fmt.Errorf("theme: %w", err)
		}
		for _, n := range names {
			data, err := fs.ReadFile(part.fsys, n)
			if err != nil {
				return nil, fmt.Errorf("theme: %w", err)
			}
			p := filepath.Join(dir, part.name, n)
			if _, err := os.Lstat(p); err == nil {
				taken = append(taken, p)
			}
			files = append(files, file{p, data})
		}
	}
	if len(taken) > 0 {
		return nil, fmt.Errorf("theme: %s: there already; export into a folder without them", strings.Join(taken, ", "))
	}
	var wrote []string
	for _, f := range files {
		if err := os.MkdirAll(filepath.Dir(f.path), 0o755); err != nil {
			return wrote, fmt.Errorf("theme: %w", err)
		}
		w, err := os.OpenFile(f.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return wrote, fmt.Errorf("theme: %w", err)
		}
		_, err = w.Write(f.data)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return wrote, fmt.Errorf("theme: %w", err)
		}
		wrote = append(wrote, f.path)
	}
	return wrote, nil
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
