// Package content finds and reads the markdown files of a prompt library:
// which files of a folder are content, their front matter, and where each
// file stands among its neighbours.
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

// File is one markdown file, read whole, its front matter split off.
type File struct {
	Name string // the path as the user gave it, for messages
	// Path is the file's path from the project's root, slash-separated,
	// for links to its source; empty when the file is not on disk.
	Path string
	// Rel is the file's path from its content root, slash-separated: the
	// folder given, or the folder of a file given by itself. Links between
	// files are resolved against it.
	Rel string
	// Root is the content root's files, for the files the markdown links
	// to, such as images; nil when there is none to read.
	Root fs.FS
	// RootName is the name of the content root's folder, which names the
	// category of prompt files that stand in it.
	RootName string
	// Data is the markdown, without its front matter.
	Data []byte
	// Line is the line of the file on which Data starts: 1, or the line
	// after the front matter.
	Line int
	// Meta is the front matter; nil when the file has none.
	Meta *Meta
	// Alone is set when the file is the only markdown file of a folder
	// below its content root, which may make the folder one prompt.
	Alone bool
	// FrontPage is set on the README.md at the root of a content folder
	// that has other markdown files: the repository's front page, which
	// is a part of the library only when it holds prompts.
	FrontPage bool
}

// Dir returns the folder of the file's content root path: "" at the root.
func (f *File) Dir() string {
	if d := path.Dir(f.Rel); d != "." {
		return d
	}
	return ""
}

// Skip is a file of the content folders that is not published, and why.
type Skip struct {
	Name string
	Why  string
}

// Library is what Load finds.
type Library struct {
	Files   []File // the content, in order
	Skipped []Skip // files left out by design or by Options.Exclude
}

// Options change what Load reads.
type Options struct {
	// Exclude, when set, tells whether to leave out a file or folder,
	// given its path from its content root.
	Exclude func(rel string) bool
	// Project is the project's root, from which File.Path is given; the
	// folder passed to Load when empty.
	Project string
}

// Load reads the markdown files at paths, relative to the folder dir: each
// path is a .md file, or a folder whose .md files, at any depth, are read in
// name order. A file named by itself is always read; in a folder, some files
// are left out by design (see LoadFS). Symbolic links to files are followed;
// links to folders are not, so a link that loops back cannot trap the walk.
func Load(dir string, paths []string, opts Options) (*Library, error) {
	lib := &Library{}
	seen := map[string]bool{}
	project := opts.Project
	if project == "" {
		project = dir
	}
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
			if seen[full] {
				continue
			}
			seen[full] = true
			root := os.DirFS(filepath.Dir(full))
			f, err := readFile(root, filepath.Base(full), p)
			if err != nil {
				return nil, err
			}
			f.RootName = filepath.Base(filepath.Dir(full))
			f.Path = projectPath(project, full)
			lib.Files = append(lib.Files, f)
			continue
		}
		found, err := scan(os.DirFS(full), p, opts.Exclude)
		if err != nil {
			return nil, err
		}
		for i := range found.Files {
			found.Files[i].RootName = filepath.Base(full)
		}
		if len(found.Files) == 0 {
			why := "the folder has no .md file; add one, or give the path of a .md file"
			if len(found.Skipped) > 0 {
				why = "the folder has no .md file to publish (" + found.Skipped[0].Name + ": " + found.Skipped[0].Why + "); add one, or give the path of a .md file"
			}
			return nil, fmt.Errorf("%s: %s", p, why)
		}
		for _, f := range found.Files {
			abs := filepath.Join(full, filepath.FromSlash(f.Rel))
			if seen[abs] {
				continue
			}
			seen[abs] = true
			f.Path = projectPath(project, abs)
			lib.Files = append(lib.Files, f)
		}
		lib.Skipped = append(lib.Skipped, found.Skipped...)
	}
	return lib, nil
}

// projectPath returns p from the project's root, slash-separated, or ""
// when p is outside it.
func projectPath(project, p string) string {
	r, err := filepath.Rel(project, p)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return ""
	}
	return filepath.ToSlash(r)
}

// LoadFS reads the content of the folder fsys as Load reads a folder, and
// returns its files. Names in the result are joined to prefix.
func LoadFS(fsys fs.FS, prefix string) ([]File, error) {
	lib, err := scan(fsys, prefix, nil)
	if err != nil {
		return nil, err
	}
	for i := range lib.Files {
		lib.Files[i].RootName = filepath.Base(prefix)
	}
	return lib.Files, nil
}

// scan reads every .md file in fsys, at any depth, in name order, but for
// those left out by design:
//   - files and folders whose names start with "." or "_", and
//     node_modules folders;
//   - the files a repository keeps about itself, such as LICENSE.md,
//     CONTRIBUTING.md or CHANGELOG.md;
//   - README.md at the root when the folder has other markdown files is
//     marked as the repository's front page (File.FrontPage), which the
//     library takes only when it holds prompts;
//   - files matched by one of the exclude globs.
func scan(fsys fs.FS, prefix string, exclude func(string) bool) (*Library, error) {
	lib := &Library{}
	label := func(name string) string { return filepath.Join(prefix, filepath.FromSlash(name)) }
	var names []string
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("%s: %w", label(name), err)
		}
		if name == "." {
			return nil
		}
		base := d.Name()
		if d.IsDir() {
			if strings.HasPrefix(base, ".") || strings.HasPrefix(base, "_") || base == "node_modules" {
				return fs.SkipDir
			}
			if exclude != nil && exclude(name) {
				lib.Skipped = append(lib.Skipped, Skip{Name: label(name), Why: "excluded by the configuration's exclude"})
				return fs.SkipDir
			}
			return nil
		}
		if !strings.EqualFold(path.Ext(name), ".md") || strings.HasPrefix(base, ".") {
			return nil
		}
		switch {
		case strings.HasPrefix(base, "_"):
			lib.Skipped = append(lib.Skipped, Skip{Name: label(name), Why: "its name starts with _"})
		case isRepositoryFile(base):
			lib.Skipped = append(lib.Skipped, Skip{Name: label(name), Why: "it is about the repository, not a part of the library"})
		case exclude != nil && exclude(name):
			lib.Skipped = append(lib.Skipped, Skip{Name: label(name), Why: "excluded by the configuration's exclude"})
		default:
			names = append(names, name)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	front := ""
	if i := slices.IndexFunc(names, func(n string) bool { return strings.EqualFold(n, "README.md") }); i >= 0 && len(names) > 1 {
		front = names[i]
	}
	// A folder below the root with a system.md is one prompt, whose text
	// that file is; the folder's other markdown files, such as its
	// user.md or README.md, go with it.
	system := map[string]string{} // folder → its system.md
	for _, n := range names {
		if d := path.Dir(n); d != "." && strings.EqualFold(path.Base(n), "system.md") {
			system[d] = n
		}
	}
	perDir := map[string]int{}
	for _, n := range names {
		perDir[path.Dir(n)]++
	}
	for _, n := range names {
		d := path.Dir(n)
		if s, ok := system[d]; ok && s != n {
			lib.Skipped = append(lib.Skipped, Skip{Name: label(n),
				Why: "its folder is one prompt, whose text is " + path.Base(s)})
			continue
		}
		f, err := readFile(fsys, n, label(n))
		if err != nil {
			return nil, err
		}
		f.Alone = d != "." && (perDir[d] == 1 || system[d] == n)
		f.FrontPage = n == front
		lib.Files = append(lib.Files, f)
	}
	return lib, nil
}

// repositoryFiles are the names, without extension and in upper case, of
// the files a repository keeps about itself.
var repositoryFiles = []string{
	"LICENSE", "LICENCE", "COPYING", "CONTRIBUTING", "CHANGELOG", "CHANGES", "HISTORY",
	"CODE_OF_CONDUCT", "SECURITY", "SUPPORT", "AUTHORS", "CONTRIBUTORS", "NOTICE", "GOVERNANCE", "CODEOWNERS",
}

func isRepositoryFile(name string) bool {
	stem := strings.ToUpper(strings.TrimSuffix(name, path.Ext(name)))
	return slices.Contains(repositoryFiles, stem)
}

func readFile(fsys fs.FS, name, label string) (File, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return File{}, fmt.Errorf("%s: %w", label, err)
	}
	f := File{Name: label, Rel: name, Root: fsys, Line: 1}
	if err := f.split(data); err != nil {
		return File{}, err
	}
	return f, nil
}

// Read reads one file from its bytes, as Load reads the files it finds:
// name is how messages name it, and its path from its content root.
func Read(name string, data []byte) (File, error) {
	f := File{Name: name, Rel: filepath.ToSlash(name), Line: 1}
	if err := f.split(data); err != nil {
		return File{}, err
	}
	return f, nil
}
