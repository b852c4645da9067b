package site

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/promptsite/promptsite/site/markdown"
	"github.com/promptsite/promptsite/site/model"
)

// maxFile is the largest file beside the markdown that a site publishes.
const maxFile = 64 << 20

// errFolder is the error of a link to a folder that is not a category, and
// errMissing of a link to a file that is not there.
var (
	errFolder  = errors.New("a folder")
	errMissing = errors.New("no such file")
)

// file is a file of the site that rendering the library adds: an image or
// another file its markdown links to.
type file struct {
	name string
	data []byte
}

// Render renders every file of the library, leading each link as it leads
// on GitHub: a link to another markdown file, or to a heading in it, to
// where that file or heading is published; an image or another file beside
// the markdown, or elsewhere in the project, to its published copy; a link
// from "/" to a file of the static folder to it. A link that leads nowhere is an error
// naming the file and line, but in a prompt's text, which is written for a
// model, where it is shown as its text; lenient makes the errors warnings.
// base is the path the site is served under; project and static, when not
// nil, are the project's files and the static folder's. It returns the
// files the markdown links to, to publish with the pages.
func (lib *Library) Render(base string, lenient bool, project, static fs.FS) ([]file, error) {
	r := &resolver{lib: lib, base: base, lenient: lenient, project: project, static: static, docs: map[string]*markdown.Document{},
		folders: map[string]*model.Category{}, published: map[string]string{}}
	for _, d := range lib.docs {
		if lib.left[d] {
			continue
		}
		r.docs[rootOf(d)+d.Rel] = d
	}
	for _, c := range lib.Site.Categories {
		if c.Folder != "" && len(c.Prompts) > 0 {
			if d := r.docOf(c.Prompts[0]); d != nil {
				r.folders[rootOf(d)+c.Folder] = c
			}
		}
	}
	budget := markdown.NewBudget(lib.docs)
	for _, d := range lib.docs {
		if lib.left[d] {
			continue
		}
		r.notes = nil
		if err := lib.p.Render(d, r.resolve, budget); err != nil {
			return nil, err
		}
		if len(r.notes) > 0 {
			for _, src := range lib.Site.Sources {
				if src.File == d.File {
					src.Notes = append(src.Notes, r.notes...)
				}
			}
		}
	}
	if len(r.errs) > 0 {
		return nil, errors.Join(r.errs...)
	}
	if lib.intro != nil {
		lib.Site.Intro = lib.intro.Intro
	}
	lib.Site.Warnings = append(lib.Site.Warnings, r.warnings...)
	slices.SortFunc(r.files, func(a, b file) int { return strings.Compare(a.name, b.name) })
	return r.files, nil
}

// rootOf names the content root of d, to tell files of two roots apart.
func rootOf(d *markdown.Document) string {
	return strings.TrimSuffix(d.File, filepath.FromSlash(d.Rel)) + "\x00"
}

type resolver struct {
	lib       *Library
	project   fs.FS // the project's files, for files beside the content; nil when unknown
	static    fs.FS // the static folder's files; nil for none
	base      string
	lenient   bool
	docs      map[string]*markdown.Document // published files, by root and path
	folders   map[string]*model.Category    // categories of folders of prompt files
	published map[string]string             // files beside the markdown: root and path → address
	files     []file
	errs      []error
	warnings  []*model.Error
	notes     []model.Note // of the document being rendered
}

func (r *resolver) docOf(p *model.Prompt) *markdown.Document {
	for _, d := range r.lib.docs {
		if d.Prompt == p {
			return d
		}
	}
	return nil
}

// link returns the address of p, a path from the site's root, under the
// site's base path.
func (r *resolver) link(p string) string {
	if r.base == "" || r.base == "/" {
		return p
	}
	return r.base + strings.TrimPrefix(p, "/")
}

// missing reports a link that leads nowhere: a note for a link in a
// prompt's text; else an error, or a warning when the build is lenient.
func (r *resolver) missing(inPrompt bool, pos model.Pos, hint, format string, args ...any) {
	switch {
	case inPrompt:
		r.notes = append(r.notes, model.Note{Pos: pos, Text: fmt.Sprintf(format, args...) + ": shown as text in the prompt"})
	case r.lenient:
		r.warnings = append(r.warnings, model.Errorf(pos, hint, format, args...))
	default:
		r.errs = append(r.errs, model.Errorf(pos, hint, format, args...))
	}
}

// unpublished reports a link to a file that is not a part of the site.
func (r *resolver) unpublished(inPrompt bool, pos model.Pos, format string, args ...any) {
	if inPrompt {
		r.notes = append(r.notes, model.Note{Pos: pos, Text: fmt.Sprintf(format, args...) + ": shown as text in the prompt"})
		return
	}
	r.warnings = append(r.warnings, model.Errorf(pos, "the link is shown as its text; add the file to the content, or link to it with a full address",
		format, args...))
}

func (r *resolver) resolve(d *markdown.Document, dest string, image bool, pos model.Pos, inPrompt bool) (string, bool) {
	what := "link"
	if image {
		what = "image"
	}
	u, err := url.Parse(dest)
	if err != nil {
		r.missing(inPrompt, pos, "write the address with its special characters escaped, as %20 for a space",
			"%s %q: not a valid address", what, dest)
		return "", false
	}
	if u.Scheme != "" || u.Host != "" || strings.HasPrefix(dest, "//") {
		return dest, true // another site's
	}
	if u.Path == "" {
		if u.Fragment == "" {
			return dest, true
		}
		href, ok := r.idURL(d, u.Fragment)
		if !ok {
			r.missing(inPrompt, pos, "link to the id of one of its headings",
				"%s to #%s: no heading of %s has that id", what, u.Fragment, d.File)
			return "", false
		}
		return r.link(href), true
	}
	// The link's target, from the content root, as GitHub finds it: from
	// the file's folder, or, for a link from "/", from the repository's
	// root, which is the project's when the file's place in it is known.
	rel := path.Clean(path.Join(path.Dir(d.Rel), u.Path))
	rooted := strings.HasPrefix(u.Path, "/")
	if rooted {
		rel = path.Clean(strings.TrimPrefix(u.Path, "/"))
	}
	var inProject string // the target from the project's root, when known
	if r.project != nil && d.Path != "" {
		top := strings.TrimSuffix(d.Path, d.Rel) // the content root, from the project's
		inProject = path.Clean(path.Join(path.Dir(d.Path), u.Path))
		if rooted {
			inProject = rel
		}
		if fs.ValidPath(inProject) {
			rel = ".." // unless the target is in the content root
			if top == "" {
				rel = inProject
			} else if strings.HasPrefix(inProject, top) {
				rel = strings.TrimPrefix(inProject, top)
			}
		}
	}
	outside := rel == ".." || strings.HasPrefix(rel, "../") || !fs.ValidPath(rel)
	key := rootOf(d) + rel
	if t := r.docs[key]; t != nil && !outside {
		href := docURL(t)
		if u.Fragment != "" {
			var ok bool
			if href, ok = r.idURL(t, u.Fragment); !ok {
				r.missing(inPrompt, pos, "link to the id of one of its headings",
					"%s to %s#%s: no heading of %s has that id", what, u.Path, u.Fragment, t.File)
				return "", false
			}
		}
		return r.link(href), true
	}
	if c := r.folders[strings.TrimSuffix(key, "/")]; c != nil && !outside {
		return r.link(c.URL()), true
	}
	if strings.EqualFold(path.Ext(u.Path), ".md") {
		r.unpublished(inPrompt, pos, "%s to %s: it is not a part of the site", what, u.Path)
		return "", false
	}
	// A file of the repository, such as an image: published, whether it is
	// in the content folder or beside it.
	var href string
	switch {
	case !outside:
		href, err = r.publish(d.Root, rootOf(d), rel)
	case inProject != "" && fs.ValidPath(inProject):
		href, err = r.publish(r.project, "\x00project\x00", inProject)
	default:
		r.unpublished(inPrompt, pos, "%s to %s leads out of the project", what, u.Path)
		return "", false
	}
	if errors.Is(err, errMissing) && rooted && r.static != nil {
		// A file of the static folder, by the address it is published at.
		if info, serr := fs.Stat(r.static, path.Clean(strings.TrimPrefix(u.Path, "/"))); serr == nil && !info.IsDir() {
			href, err = u.Path, nil
		}
	}
	if errors.Is(err, errFolder) {
		r.unpublished(inPrompt, pos, "%s to %s: it is a folder, and no category is made of it", what, u.Path)
		return "", false
	}
	if err != nil {
		r.missing(inPrompt, pos, "put the file there, or fix the link", "%s to %s: %v", what, u.Path, err)
		return "", false
	}
	if u.Fragment != "" {
		href += "#" + u.Fragment
	}
	return r.link(href), true
}

// publish adds rel, a file of fsys, to the site under a name that holds a
// hash of its bytes, so that it can be cached for ever, and returns its
// address. root names fsys, to publish each file once.
func (r *resolver) publish(fsys fs.FS, root, rel string) (string, error) {
	key := root + rel
	if href, ok := r.published[key]; ok {
		return href, nil
	}
	if fsys == nil {
		return "", errMissing
	}
	info, err := fs.Lstat(fsys, rel)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", errMissing
	case err != nil:
		return "", err
	case info.IsDir():
		return "", errFolder
	case !info.Mode().IsRegular():
		return "", errors.New("it is not a regular file (a symbolic link?); promptsite publishes only the files themselves")
	case info.Size() > maxFile:
		return "", fmt.Errorf("it is larger than %d MiB", maxFile>>20)
	}
	data, err := fs.ReadFile(fsys, rel)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	base := path.Base(rel)
	ext := path.Ext(base)
	name := "assets/" + model.Segment(strings.TrimSuffix(base, ext)) + "." + hex.EncodeToString(sum[:5]) + ext
	if !slices.ContainsFunc(r.files, func(f file) bool { return f.name == name }) {
		r.files = append(r.files, file{name: name, data: data})
	}
	href := "/" + (&url.URL{Path: name}).EscapedPath()
	r.published[key] = href
	return href, nil
}

// docURL returns the address of a published markdown file: its prompt's or
// page's, its category's when it has one and no title, else the home
// page's.
func docURL(d *markdown.Document) string {
	switch d.Kind {
	case markdown.Prompt:
		return d.Prompt.URL(d.Prompt.Category)
	case markdown.Page:
		return d.Page.URL()
	}
	if d.Title == "" && len(d.Categories) == 1 {
		return d.Categories[0].URL()
	}
	return "/"
}

// idURL returns the address at which the heading of d with the given id is
// shown.
func (r *resolver) idURL(d *markdown.Document, id string) (string, bool) {
	o, ok := d.IDs[id]
	if !ok {
		// GitHub finds "#Heading" for the id "heading".
		for k, v := range d.IDs {
			if strings.EqualFold(k, id) {
				id, o, ok = k, v, true
				break
			}
		}
	}
	if !ok {
		return "", false
	}
	switch {
	case o.Prompt != nil && o.Prompt.Category != nil:
		p := o.Prompt
		if p.Own {
			if slices.Contains(p.Headings, id) {
				return p.URL(p.Category) + "#" + id, true
			}
			return p.URL(p.Category), true
		}
		return p.Category.PageURL(p.Page) + "#" + id, true
	case o.Prompt != nil:
		return "", false // a draft
	case o.Category != nil:
		if id == o.Category.Slug {
			return o.Category.URL(), true
		}
		return o.Category.URL() + "#" + id, true
	case d == r.lib.intro:
		return "/#" + id, true
	}
	return "", false
}
