// Package site builds a prompt library's website: markdown in, a tree of
// files out, ready to publish.
package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/promptsite/promptsite/site/anchorlock"
	"github.com/promptsite/promptsite/site/content"
	"github.com/promptsite/promptsite/site/highlight"
	"github.com/promptsite/promptsite/site/linkcheck"
	"github.com/promptsite/promptsite/site/markdown"
	"github.com/promptsite/promptsite/site/model"
	"github.com/promptsite/promptsite/site/output"
	"github.com/promptsite/promptsite/site/render"
	"github.com/promptsite/promptsite/site/search"
)

// Config says what to build.
type Config struct {
	Files     []content.File // the library's markdown, in order
	Templates fs.FS          // the theme's page templates
	Assets    fs.FS          // the theme's *.css and *.js
	BaseURL   string         // the site's address; may be empty
	// NoCheck skips the check that every internal link and #fragment of
	// the built site resolves.
	NoCheck bool
	// Lock is the record of the addresses published before; nil for none.
	// Addresses that went away become aliases of their new places.
	Lock *anchorlock.Lock
	// AcceptRemoved lets addresses in Lock that lead nowhere now be
	// dropped, instead of failing the build.
	AcceptRemoved bool
	// OnFile, when set, is given each file of the site as soon as it is
	// built, so that it can be written while the rest is being built. A
	// build that fails may have given some files already.
	OnFile func(name string, data []byte)
}

// Result is a built site.
type Result struct {
	Tree *output.Tree
	Site *model.Site
	// Anchors is the lock to write after the site is published; nil when
	// the build had no lock.
	Anchors *anchorlock.Result
}

// Pages returns the number of pages people read: the home page, a page
// per category and the 404 page. Each prompt's share page, and the pages
// that keep old addresses working, are not counted.
func (r *Result) Pages() int { return len(r.Site.Categories) + 2 }

// Prompts returns the number of prompts in the library.
func (r *Result) Prompts() int {
	n := 0
	for _, c := range r.Site.Categories {
		n += len(c.Prompts)
	}
	return n
}

// Build reads the library and renders its site. It writes nothing to disk.
func Build(cfg Config) (*Result, error) {
	if len(cfg.Files) == 0 {
		return nil, fmt.Errorf("nothing to publish: no markdown files were given")
	}
	tmpl, err := render.Parse(cfg.Templates)
	if err != nil {
		return nil, err
	}
	hl := highlight.Highlighter{}
	s, err := Parse(markdown.New(hl), cfg.Files)
	if err != nil {
		return nil, err
	}
	var anchors *anchorlock.Result
	if cfg.Lock != nil {
		if anchors, err = cfg.Lock.Reconcile(s, anchorlock.Options{AcceptRemoved: cfg.AcceptRemoved}); err != nil {
			return nil, err
		}
		s.Aliases = anchors.Aliases
	}

	// The search index needs only the library: it is built on one side
	// while the pages are rendered on the other, and both fill the cores.
	type built struct {
		tree *output.Tree
		err  error
	}
	indexed := make(chan built, 1)
	go func() {
		t, err := search.Build(s)
		indexed <- built{t, err}
	}()
	// Every return below waits for the index, so that no build outlives
	// the call.
	wait := sync.OnceValue(func() built { return <-indexed })
	defer wait()

	tree := output.NewTree()
	if cfg.OnFile != nil {
		tree.OnAdd(cfg.OnFile)
	}
	css, js, err := bundle(cfg.Assets, hl)
	if err != nil {
		return nil, err
	}
	opts := render.Options{BaseURL: cfg.BaseURL, Base: render.BasePath(cfg.BaseURL)}
	if opts.CSS, err = addFingerprinted(tree, "assets/site.css", css); err != nil {
		return nil, err
	}
	if opts.JS, err = addFingerprinted(tree, "assets/site.js", js); err != nil {
		return nil, err
	}
	opts.CSS, opts.JS = opts.Link(opts.CSS), opts.Link(opts.JS)
	pages, err := tmpl.Pages(s, opts)
	if err != nil {
		return nil, err
	}
	if err := tree.Merge(pages); err != nil {
		return nil, err
	}
	index := wait()
	if index.err != nil {
		return nil, index.err
	}
	if err := tree.Merge(index.tree); err != nil {
		return nil, err
	}
	if !cfg.NoCheck {
		if err := linkcheck.Check(tree, opts.Base); err != nil {
			return nil, err
		}
	}
	return &Result{Tree: tree, Site: s, Anchors: anchors}, nil
}

// Parse reads every file into one library. The first file's H1 names the
// library. Two categories may not share a slug, as they would share a page.
func Parse(p *markdown.Parser, files []content.File) (*model.Site, error) {
	s := &model.Site{}
	where := map[string]*model.Category{}
	for _, f := range files {
		doc, err := p.Parse(f.Name, f.Data)
		if err != nil {
			return nil, err
		}
		if s.Title == "" && doc.Title != "" {
			s.Title, s.Intro, s.Description, s.Markdown = doc.Title, doc.Intro, doc.IntroText, doc.Markdown
		}
		if len(doc.Categories) == 0 && len(files) > 1 {
			s.Warnings = append(s.Warnings, model.Errorf(model.Pos{File: f.Name}, "add \"## Category\" headings, or leave the file out",
				"nothing from this file is published: it has no category"))
		}
		for _, c := range doc.Categories {
			s.Warnings = append(s.Warnings, lint(c)...)
			if prev, dup := where[c.Slug]; dup {
				return nil, model.Errorf(c.Source, "rename one of them, or give one an id of its own: ## "+c.Title+" {#other-id}",
					"category %q has the page /%s/, which category %q at %s has too", c.Title, c.Slug, prev.Title, prev.Source)
			}
			where[c.Slug] = c
			s.Categories = append(s.Categories, c)
		}
	}
	if len(s.Categories) == 0 {
		names := make([]string, len(files))
		for i, f := range files {
			names[i] = f.Name
		}
		return nil, fmt.Errorf("%s: nothing to publish: no \"## Category\" heading; each H2 becomes a page and each H3 under it a prompt",
			strings.Join(names, ", "))
	}
	if s.Title == "" {
		s.Title = "Prompts"
	}
	return s, nil
}

// lint finds what is worth a warning in a category.
func lint(c *model.Category) []*model.Error {
	var w []*model.Error
	if len(c.Prompts) == 0 && strings.TrimSpace(c.IntroText) == "" {
		w = append(w, model.Errorf(c.Source, "add prompts under it as \"### Title\" headings, or remove it",
			"category %q is empty: its page will have nothing on it", c.Title))
	}
	for _, p := range c.Prompts {
		if strings.TrimSpace(p.Text) == "" {
			w = append(w, model.Errorf(p.Source, "write the prompt under its heading, in a fenced code block",
				"prompt %q has no text", p.Title))
		}
	}
	return w
}

// bundle joins the theme's stylesheets, chroma's first and then site.css
// before the others by name, and its scripts by name.
func bundle(assets fs.FS, hl highlight.Highlighter) (css, js []byte, err error) {
	names, err := fs.Glob(assets, "*")
	if err != nil {
		return nil, nil, fmt.Errorf("assets: %w", err)
	}
	slices.SortStableFunc(names, func(a, b string) int {
		// site.css sets the base that others refine.
		if (a == "site.css") != (b == "site.css") {
			if a == "site.css" {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	var c, j bytes.Buffer
	if err := hl.WriteCSS(&c); err != nil {
		return nil, nil, err
	}
	for _, n := range names {
		var dst *bytes.Buffer
		switch path.Ext(n) {
		case ".css":
			dst = &c
		case ".js":
			dst = &j
		default:
			continue
		}
		b, err := fs.ReadFile(assets, n)
		if err != nil {
			return nil, nil, fmt.Errorf("assets: %w", err)
		}
		dst.Write(b)
		if len(b) > 0 && b[len(b)-1] != '\n' {
			dst.WriteByte('\n')
		}
	}
	return c.Bytes(), j.Bytes(), nil
}

// addFingerprinted stores data under name with a hash of its content in the
// name, so that it can be cached for ever, and returns its path.
func addFingerprinted(t *output.Tree, name string, data []byte) (string, error) {
	sum := sha256.Sum256(data)
	ext := path.Ext(name)
	name = strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
	if err := t.Add(name, data); err != nil {
		return "", err
	}
	return "/" + name, nil
}
