// Package content finds and reads the markdown files of a prompt library.
package content

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// File is one markdown file, read whole.
type File struct {
	Name string // the path as the user gave it, for messages
	Data []byte
}

// Load reads the markdown files at paths, relative to the folder dir: each
// path is a .md file, or a folder whose .md files, at any depth, are read in
// name order. Files are named as the paths name them. Symbolic links to
// files are followed; links to folders are not, so a link that loops back
// cannot trap the walk.
func Load(dir string, paths []string) ([]File, error) {
	var files []File
	seen := map[string]bool{}
	for _, p := range paths {
		full := p
		if !filepath.IsAbs(p) {
			full = filepath.Join(dir, p)
		}
		info, err := os.Stat(full)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("%s: no such file or folder; give the path of a .md file or of a folder of them", p)
			}
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		if !info.IsDir() {
			if seen[p] {
				continue
			}
			seen[p] = true
			f, err := readFile(os.DirFS(filepath.Dir(full)), filepath.Base(full), p)
			if err != nil {
				return nil, err
			}
			files = append(files, f)
			continue
		}
		found, err := LoadFS(os.DirFS(full), p)
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s: the folder has no .md file; add one, or give the path of a .md file", p)
		}
		for _, f := range found {
			if !seen[f.Name] {
				seen[f.Name] = true
				files = append(files, f)
			}
		}
	}
	return files, nil
}

// LoadFS reads every .md file in fsys, at any depth, in name order. Names in
// the result are joined to prefix.
func LoadFS(fsys fs.FS, prefix string) ([]File, error) {
	var names []string
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("%s: %w", filepath.Join(prefix, filepath.FromSlash(name)), err)
		}
		if d.IsDir() {
			if name != "." && (strings.HasPrefix(d.Name(), ".") || strings.HasPrefix(d.Name(), "_")) {
				return fs.SkipDir
			}
			return nil
		}
		if strings.EqualFold(path.Ext(name), ".md") && !strings.HasPrefix(d.Name(), ".") {
			names = append(names, name)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	files := make([]File, 0, len(names))
	for _, n := range names {
		f, err := readFile(fsys, n, filepath.Join(prefix, filepath.FromSlash(n)))
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

func readFile(fsys fs.FS, name, label string) (File, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return File{}, fmt.Errorf("%s: %w", label, err)
	}
	return File{Name: label, Data: data}, nil
}
