// Package scaffold writes the starter repository of a new prompt library,
// as promptsite init does.
package scaffold

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"text/template"

	"github.com/promptsite/promptsite/site"
	"github.com/promptsite/promptsite/site/config"
	"github.com/promptsite/promptsite/site/version"
)

// files holds the starter files, some of them templates.
//
//go:embed files
var files embed.FS

// templates are parsed once, when the program starts, so that a broken one
// fails every test rather than a user's init.
var templates = template.Must(template.New("").Option("missingkey=error").Funcs(template.FuncMap{
	"tomlKey":    tomlKey,
	"tomlString": tomlString,
	"expr":       func(s string) string { return "${{ " + s + " }}" },
}).ParseFS(files, "files/*.tmpl"))

// layout lists the files Write writes, in order: where each goes, and the
// file of files/ it comes from. A name ending in .tmpl is a template; any
// other file is copied as it is (the example library has blanks written
// {{name}}, which a template would take for its own).
var layout = []struct{ path, from string }{
	{"promptsite.toml", "promptsite.toml"},
	{"content/prompts.md", "prompts.md"},
	{".gitignore", "gitignore"},
	{"netlify.toml", "netlify.toml.tmpl"},
	{".github/workflows/promptsite.yml", "promptsite.yml.tmpl"},
	{"README.md", "README.md.tmpl"},
}

// data is what the templates are given.
type data struct {
	version.Info
	// Pin is the version the generated files install: Info.Version, or
	// "latest" when that is not a released version.
	Pin string
	// Devel reports that Pin is "latest" for want of a released version.
	Devel bool
	// Headers are site.Headers in name order.
	Headers []header
}

type header struct{ Name, Value string }

// Patterns for the values that go into the files unquoted: a module path,
// a version and a Go release such as 1.26.8 or 1.27rc1.
var (
	modulePath = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._~/-]*$`)
	release    = regexp.MustCompile(`^v[0-9A-Za-z.+-]+$`)
	goRelease  = regexp.MustCompile(`^[1-9][0-9]*\.[0-9]+(\.[0-9]+)?((rc|beta)[0-9]+)?$`)
)

// Write writes a starter repository into dir, creating dir if it is
// missing, and returns the paths it wrote, relative to dir:
// promptsite.toml, an example library in content/prompts.md, .gitignore,
// netlify.toml, a GitHub Actions workflow and a README. The files install
// promptsite at v's version, or at the latest release when v is not a
// release, and use v's Go version.
//
// Write overwrites nothing: when any of the files exists, it writes none
// and returns an error that names them all and for which
// errors.Is(err, fs.ErrExist) holds. If writing fails part way, the files
// and folders it created are removed.
func Write(dir string, v version.Info) ([]string, error) {
	rendered, err := render(v)
	if err != nil {
		return nil, err
	}
	existing, err := conflicts(dir)
	if err != nil {
		return nil, err
	}
	if len(existing) > 0 {
		return nil, &existError{dir: dir, names: existing}
	}

	var created []string // files and folders, to remove should a write fail
	undo := func(err error) ([]string, error) {
		for _, p := range slices.Backward(created) {
			os.Remove(p)
		}
		return nil, err
	}
	var wrote []string
	for i, f := range layout {
		full := filepath.Join(dir, filepath.FromSlash(f.path))
		dirs, err := mkdirs(filepath.Dir(full))
		created = append(created, dirs...)
		if err != nil {
			return undo(fmt.Errorf("init: %w", err))
		}
		if err := create(full, rendered[i]); err != nil {
			if errors.Is(err, fs.ErrExist) {
				// Made since the check above.
				return undo(&existError{dir: dir, names: []string{f.path}})
			}
			return undo(fmt.Errorf("init: %w", err))
		}
		created = append(created, full)
		wrote = append(wrote, filepath.FromSlash(f.path))
	}
	return wrote, nil
}

// render returns the contents of the files of layout, in its order.
func render(v version.Info) ([][]byte, error) {
	d := data{Info: v, Pin: v.Version}
	if !released(v.Version) {
		d.Pin, d.Devel = "latest", true
	}
	if !modulePath.MatchString(v.Module) {
		return nil, fmt.Errorf("init: module path %q: not one that go install accepts", v.Module)
	}
	if !goRelease.MatchString(v.Go) {
		return nil, fmt.Errorf("init: promptsite was built with Go %q, which Netlify and GitHub Actions cannot install; "+
			"build promptsite with a released Go", v.Go)
	}
	for name, value := range site.Headers {
		d.Headers = append(d.Headers, header{name, value})
	}
	slices.SortFunc(d.Headers, func(a, b header) int { return strings.Compare(a.Name, b.Name) })

	out := make([][]byte, len(layout))
	for i, f := range layout {
		if !strings.HasSuffix(f.from, ".tmpl") {
			b, err := files.ReadFile(path.Join("files", f.from))
			if err != nil {
				return nil, fmt.Errorf("init: %w", err) // a file missing from layout's embed
			}
			out[i] = b
			continue
		}
		var b bytes.Buffer
		if err := templates.ExecuteTemplate(&b, f.from, d); err != nil {
			return nil, fmt.Errorf("init: %w", err)
		}
		out[i] = b.Bytes()
	}
	return out, nil
}

// released reports whether v is a version go install can fetch: not
// "(devel)", and with no build metadata such as "+dirty", which marks a
// build from a checkout with changes.
func released(v string) bool {
	return release.MatchString(v) && !strings.Contains(v, "+")
}

// mkdirs creates dir and any missing parents, and returns the folders it
// created, outermost first.
func mkdirs(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil || !errors.Is(err, fs.ErrNotExist) {
			break
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	slices.Reverse(missing)
	var created []string
	for _, d := range missing {
		if err := os.Mkdir(d, 0o777); err != nil {
			return created, err
		}
		created = append(created, d)
	}
	return created, nil
}

// create writes a new file, failing if one exists at name. A file it
// could not write whole is removed.
func create(name string, b []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if err = errors.Join(err, f.Close()); err != nil {
		os.Remove(name)
	}
	return err
}

// conflicts returns the files of layout that exist in dir, and the
// folders they go in, such as content, that exist as files.
func conflicts(dir string) ([]string, error) {
	if info, err := os.Stat(dir); err == nil && !info.IsDir() {
		return nil, fmt.Errorf("init: %s is a file; give the path of a folder, or of one to create", dir)
	}
	var names []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			names = append(names, p)
		}
	}
	for _, f := range layout {
		// Walk down from the outermost folder. Folders are followed if
		// they are links; the file itself is not, as a link there is in
		// the way all the same.
		parts := strings.Split(f.path, "/")
		for i := range parts {
			p := strings.Join(parts[:i+1], "/")
			full := filepath.Join(dir, filepath.FromSlash(p))
			last := i == len(parts)-1
			var info fs.FileInfo
			var err error
			if last {
				info, err = os.Lstat(full)
			} else {
				info, err = os.Stat(full)
			}
			if errors.Is(err, fs.ErrNotExist) {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("init: %w", err)
			}
			if last || !info.IsDir() {
				add(p)
				break
			}
		}
	}
	return names, nil
}

// existError says which of the starter files exist already.
type existError struct {
	dir   string
	names []string // slash-separated, relative to dir
}

func (e *existError) Error() string {
	verb, them := "exists", "it"
	if len(e.names) > 1 {
		verb, them = "exist", "them"
	}
	return fmt.Sprintf("init: %s: %s %s already, so nothing was written; "+
		"run promptsite init in an empty folder, or move or remove %s first",
		e.dir, strings.Join(e.names, ", "), verb, them)
}

func (e *existError) Unwrap() error { return fs.ErrExist }

// tomlKey returns k as a TOML key: bare when it can be, quoted otherwise.
func tomlKey(k string) string {
	bare := k != "" && strings.IndexFunc(k, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	}) < 0
	if bare {
		return k
	}
	return tomlString(k)
}

// tomlString returns s as a TOML basic string.
func tomlString(s string) string { return config.Quote(s) }
