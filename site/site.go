// Package site builds a prompt library's website: markdown in, a tree of
// files out, ready to publish.
package site

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/promptsite/promptsite/site/anchorlock"
	"github.com/promptsite/promptsite/site/content"
	"github.com/promptsite/promptsite/site/highlight"
	"github.com/promptsite/promptsite/site/linkcheck"
	"github.com/promptsite/promptsite/site/markdown"
	"github.com/promptsite/promptsite/site/minify"
	"github.com/promptsite/promptsite/site/model"
	"github.com/promptsite/promptsite/site/output"
	"github.com/promptsite/promptsite/site/render"
	"github.com/promptsite/promptsite/site/search"
)

// Config says what to build.
type Config struct {
	Files []content.File // the library's markdown, in order
	// Title names the site, whatever the files say; may be empty.
	Title string
	// Skipped are the files content.Load left out, for inspect.
	Skipped []content.Skip
	// EditLink, when set, gives the address of a file's source at a line,
	// for each prompt's "Edit" link.
	EditLink func(path string, line int) string
	// Updated, when set, tells when the lines from to to of a file last
	// changed, as 2006-01-02, or "" when it cannot tell; for the date each
	// prompt shows. to may be past the file's end.
	Updated   func(path string, from, to int) string
	Templates fs.FS  // the theme's page templates
	Assets    fs.FS  // the theme's *.css and *.js
	BaseURL   string // the site's address; may be empty
	// NoCheck skips the check that every internal link and #fragment of
	// the built site resolves.
	NoCheck bool
	// LinkWarnings makes links that lead nowhere warnings, not errors, as
	// the dev server wants them.
	LinkWarnings bool
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
	// Forget, with OnFile, keeps the bytes of the site's files out of the
	// result's tree, which then lists their names only: a site written
	// out as it is built is not held in memory whole.
	Forget bool
	// OnKnown, with Forget, is given in place of OnFile each file known
	// by its size and sum, whose bytes are loaded only if it needs them:
	// a page that the Cache's past has as it would be rendered (see
	// output.Tree.AddKnown).
	OnKnown func(name string, k output.Known)
	// OnPages, when set, is called once with the site's tree as soon as
	// its pages, and the files they load, are in it: the library's
	// markdown files and the search index are made then, their files
	// join the tree as the build ends, and the build may still fail,
	// such as on a broken link.
	// Reading the tree meanwhile is safe. The dev server shows an edit's
	// pages sooner so.
	OnPages func(*output.Tree)

	// Cache, when set, keeps what this build makes for the next build of
	// the same library to reuse, and gives this build what the last one
	// kept: an edit to one prompt then costs that prompt's pages, not the
	// library's. The dev server keeps one across its rebuilds.
	Cache *Cache

	// Static is a folder copied into the site as it is; nil for none.
	Static fs.FS
	// Project is the project's root folder, from which a file's Path is
	// given: a link from the markdown to a file beside the content, such
	// as an image, publishes it. Empty when there is none.
	Project string
	// Logo and Favicon are image files, for the header and the site's
	// icon; nil for none.
	Logo, Favicon *Asset
	// Lang is the library's language; empty for the one most of its text
	// is written in.
	Lang string
	// NoIndex asks search engines not to index the pages.
	NoIndex bool
	// Notice is a line that every page shows above its content.
	Notice string
	// Repository is the address of the content's repository, linked from
	// every page; may be empty.
	Repository string
	// Footer lists the links of the page footer.
	Footer []render.Link
	// Chat names the chat services a prompt has an "Open in" link for
	// (see render.Chats); nil for all of them.
	Chat []string
	// Strings are the library's own interface strings, by the keys of
	// package i18n, in place of promptsite's for Lang; nil for none.
	Strings map[string]string
}

// Asset is a file of the project that the site publishes under a name of
// its own, such as its logo.
type Asset struct {
	Name string // as messages name it, with where it was set
	Data []byte
	Ext  string // such as ".svg"
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
// per category (its pages, when it is split into pages), a page per prompt
// that has one, the pages of the tags and the 404 page. Each prompt's
// share page, and the pages that keep old addresses working, are not
// counted.
func (r *Result) Pages() int {
	n := len(r.Site.Categories) + 2
	for _, c := range r.Site.Categories {
		n += max(c.Pages-1, 0)
		for _, p := range c.Prompts {
			if p.Own {
				n++
			}
		}
	}
	if len(r.Site.Tags) > 0 {
		n += len(r.Site.Tags) + 1
	}
	return n
}

// Prompts returns the number of prompts in the library: the entries that
// hold a prompt, not the notes beside them.
func (r *Result) Prompts() int {
	n := 0
	for _, c := range r.Site.Categories {
		for _, p := range c.Prompts {
			if p.Form != "" {
				n++
			}
		}
	}
	return n
}

// Build reads the library and renders its site. It writes nothing to disk.
func Build(cfg Config) (*Result, error) { return BuildContext(context.Background(), cfg) }

// BuildContext is Build that stops, with ctx's error, soon after ctx is
// done.
func BuildContext(ctx context.Context, cfg Config) (*Result, error) {
	if len(cfg.Files) == 0 {
		return nil, fmt.Errorf("nothing to publish: no markdown files were given")
	}
	// The theme and the assets are read on another core while the library
	// is parsed, which a library in one file does on one. A mistake in
	// the theme is still told before one in the library.
	hl := highlight.Highlighter{}
	type prepared struct {
		tmpl           *render.Templates
		css, js, lazy  []byte
		tmplErr, asErr error
	}
	ready := make(chan prepared, 1)
	go func() {
		var p prepared
		if p.tmpl, p.tmplErr = render.Parse(cfg.Templates); p.tmplErr == nil {
			p.css, p.js, p.lazy, p.asErr = bundle(cfg.Assets, hl)
		}
		ready <- p
	}()
	lib, err := Parse(markdown.New(hl), cfg.Files, ParseOptions{Title: cfg.Title, Skipped: cfg.Skipped, Context: ctx, Lang: cfg.Lang,
		files: cfg.Cache.files()})
	prep := <-ready
	if prep.tmplErr != nil {
		return nil, prep.tmplErr
	}
	if err != nil {
		return nil, err
	}
	tmpl := prep.tmpl
	s := lib.Site
	s.Aliases = lib.aliases

	// The links are checked as the files are added, so that a site that
	// goes to OnFile need not be kept whole for it.
	tree := output.NewTree()
	var checker *linkcheck.Checker
	if !cfg.NoCheck {
		checker = linkcheck.NewCheckerCached(cfg.Cache.scans())
		defer func() {
			if checker != nil { // a return before the check
				checker.Stop()
			}
		}()
	}
	if cfg.OnFile != nil && cfg.Forget {
		tree.Forget()
		if cfg.OnKnown != nil {
			tree.OnKnown(func(name string, k output.Known) {
				if checker != nil {
					checker.AddKnown(name, k.Size, k.Sum, k.Load)
				}
				cfg.OnKnown(name, k)
			})
		}
	}
	tree.OnAdd(func(name string, data []byte) {
		if checker != nil {
			checker.Add(name, data)
		}
		if cfg.OnFile != nil {
			cfg.OnFile(name, data)
		}
	})

	// The search index needs only the library as it is parsed: it is
	// built on one side from now on, while the addresses are reconciled
	// and the pages rendered on the other, and both fill the cores. It
	// reads none of what those set (aliases, edit links, dates, the pages'
	// HTML and links). Its files join the site as they are made. With
	// OnPages, whoever waits for the pages has them first, on every core,
	// and the index is made after.
	indexed := make(chan error, 1)
	indexing := false
	indexCtx, stopIndex := context.WithCancel(ctx)
	index := func() {
		indexing = true
		go func() {
			indexed <- search.WriteCached(indexCtx, s, cfg.Cache.index(), tree.Add)
		}()
	}
	if cfg.OnPages == nil {
		index()
	}
	// Every return below waits for the index, so that no build outlives
	// the call, nor adds a file after it; one that fails stops it first.
	// The checker stops after.
	wait := sync.OnceValue(func() error {
		if !indexing {
			return nil
		}
		return <-indexed
	})
	defer wait()
	defer stopIndex()

	var anchors *anchorlock.Result
	if cfg.Lock != nil {
		if anchors, err = cfg.Lock.Reconcile(s, anchorlock.Options{AcceptRemoved: cfg.AcceptRemoved, Prints: cfg.Cache.anchorPrints()}); err != nil {
			return nil, err
		}
		s.Aliases = anchors.Aliases
	}
	if cfg.EditLink != nil {
		for _, c := range s.Categories {
			for _, p := range c.Prompts {
				if p.Source.Path != "" {
					p.Edit = cfg.EditLink(p.Source.Path, p.Source.Line)
				}
			}
		}
	}
	if cfg.Updated != nil {
		dates(s, cfg.Updated)
	}

	css, js, lazy := prep.css, prep.js, prep.lazy
	if prep.asErr != nil {
		return nil, prep.asErr
	}
	// What the scripts need to know of the site goes with them: one file
	// for every page, cached, rather than in each page. The interface
	// strings in the library's language; and the address of searchScript,
	// for search-load.js to load it when the search box is used.
	head := "window.psStrings=" + render.Options{Lang: lib.Site.Lang, Strings: cfg.Strings}.ScriptStrings() + ";\n"
	if lazy != nil {
		p, err := addFingerprinted(tree, "assets/"+searchScript, lazy)
		if err != nil {
			return nil, err
		}
		src, _ := json.Marshal(render.Options{Base: render.BasePath(cfg.BaseURL)}.Link(p)) // a string always marshals
		head += "window.psSearch=" + string(src) + ";\n"
	}
	js = slices.Concat([]byte(head), js)
	opts, err := cfg.options(tree, css, js)
	if err != nil {
		return nil, err
	}
	opts.Lang = lib.Site.Lang
	var project fs.FS
	if cfg.Project != "" {
		project = os.DirFS(cfg.Project)
	}
	files, err := lib.Render(opts.Base, cfg.NoCheck || cfg.LinkWarnings, project, cfg.Static)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, f := range files {
		if err := tree.Add(f.name, f.data); err != nil {
			return nil, err
		}
	}
	// The static files join the pages, which may show them, before the
	// library's markdown files.
	var static map[string]bool
	pagesDone := func() (err error) {
		if static, err = addStatic(tree, cfg.Static); err != nil {
			return err
		}
		if cfg.OnPages != nil {
			cfg.OnPages(tree)
			index()
		}
		return nil
	}
	// A file of the site's own made after a static file of the same name
	// fails to join the tree: the static file is the one to move.
	clash := func(err error) error {
		if twice, ok := errors.AsType[*output.TwiceError](err); ok && static[twice.Name] {
			return staticTaken(twice.Name)
		}
		return err
	}
	if err := tmpl.RenderCached(ctx, tree, s, opts, cfg.Cache.pages(), pagesDone); err != nil {
		return nil, clash(err)
	}
	if err := wait(); err != nil {
		return nil, clash(err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if checker != nil {
		err := checker.Check(ctx, opts.Base)
		checker = nil
		if err != nil {
			var broken linkcheck.Error
			if !cfg.LinkWarnings || !errors.As(err, &broken) {
				return nil, err
			}
			for _, b := range broken {
				s.Warnings = append(s.Warnings, &model.Error{Pos: model.Pos{File: "(built site) " + b.Page}, Msg: fmt.Sprintf("link %q: %s", b.Href, b.Why)})
			}
		}
	}
	return &Result{Tree: tree, Site: s, Anchors: anchors}, nil
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

// searchScript is the theme's script that pages load on the first use of
// the search box, not with the others: the search engine, which most
// visits of a page never need.
const searchScript = "search.js"

// bundle joins the theme's stylesheets, chroma's first and then site.css
// before the others by name, and its scripts by name, each minified, but
// searchScript, which it returns on its own as search (nil when the theme
// has none).
func bundle(assets fs.FS, hl highlight.Highlighter) (css, js, search []byte, err error) {
	names, err := fs.Glob(assets, "*")
	if err != nil {
		return nil, nil, nil, fmt.Errorf("assets: %w", err)
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
		return nil, nil, nil, err
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
			return nil, nil, nil, fmt.Errorf("assets: %w", err)
		}
		if dst == &c {
			b, err = minify.CSS("assets/"+n, b)
		} else {
			b, err = minify.JS("assets/"+n, b)
		}
		if err != nil {
			return nil, nil, nil, err
		}
		if n == searchScript {
			search = bytes.Clone(b) // b is the cache's
			continue
		}
		dst.Write(b)
		if dst == &j && len(b) > 0 && b[len(b)-1] != ';' {
			// A minified script may end without one, and the next may
			// start with a parenthesis.
			dst.WriteByte(';')
		}
		if len(b) > 0 && b[len(b)-1] != '\n' {
			dst.WriteByte('\n')
		}
	}
	return c.Bytes(), j.Bytes(), search, nil
}

// Fingerprinted reports whether the file name of a built site, holding
// data, is named after its content, as the stylesheet, the scripts and the
// maps of ids are ("assets/site.0a1b2c3d4e.css", the start of data's
// SHA-256): its bytes never change under that name, so a browser may keep
// it for ever. A file of the static folder that only looks like one, such
// as assets/banner.2024061501.png, is not.
func Fingerprinted(name string, data []byte) bool {
	dir, file := path.Split(name)
	if dir != "assets/" {
		return false
	}
	parts := strings.Split(file, ".")
	if len(parts) < 3 || len(parts[len(parts)-2]) != fingerprintLen {
		return false
	}
	sum := sha256.Sum256(data)
	return parts[len(parts)-2] == hex.EncodeToString(sum[:fingerprintLen/2])
}

// fingerprintLen is the length of the hash in a fingerprinted name: five
// bytes of its SHA-256, in hex.
const fingerprintLen = 10

// addFingerprinted stores data under name with a hash of its content in the
// name, so that it can be cached for ever, and returns its path.
func addFingerprinted(t *output.Tree, name string, data []byte) (string, error) {
	sum := sha256.Sum256(data)
	ext := path.Ext(name)
	name = strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:fingerprintLen/2]) + ext
	if err := t.Add(name, data); err != nil {
		return "", err
	}
	return "/" + name, nil
}

// options are the settings the pages are rendered with; it adds the files
// they load to tree.
func (cfg *Config) options(tree *output.Tree, css, js []byte) (render.Options, error) {
	opts := render.Options{BaseURL: cfg.BaseURL, Base: render.BasePath(cfg.BaseURL), Lang: cfg.Lang, NoIndex: cfg.NoIndex,
		Notice: cfg.Notice, Repository: cfg.Repository, Footer: cfg.Footer, Strings: cfg.Strings}
	var err error
	if opts.CSS, err = addFingerprinted(tree, "assets/site.css", css); err != nil {
		return opts, err
	}
	if opts.JS, err = addFingerprinted(tree, "assets/site.js", js); err != nil {
		return opts, err
	}
	opts.CSS, opts.JS = opts.Link(opts.CSS), opts.Link(opts.JS)
	for _, a := range []struct {
		asset *Asset
		name  string
		dst   *string
	}{{cfg.Logo, "logo", &opts.Logo}, {cfg.Favicon, "favicon", &opts.Favicon}} {
		if a.asset == nil {
			continue
		}
		p, err := addFingerprinted(tree, "assets/"+a.name+a.asset.Ext, a.asset.Data)
		if err != nil {
			return opts, fmt.Errorf("%s: %w", a.asset.Name, err)
		}
		*a.dst = opts.Link(p)
	}
	footer := make([]render.Link, len(cfg.Footer))
	for i, f := range cfg.Footer {
		footer[i] = f
		if strings.HasPrefix(f.URL, "/") && !strings.HasPrefix(f.URL, "//") {
			footer[i].URL = opts.Link(f.URL)
		}
	}
	opts.Footer = footer
	names := cfg.Chat
	if names == nil {
		names = []string{"chatgpt", "claude"}
	}
	for _, n := range names {
		c, ok := render.Chats[n]
		if !ok {
			return opts, fmt.Errorf("no chat service %q; the services are chatgpt and claude", n)
		}
		opts.Chats = append(opts.Chats, c)
	}
	return opts, nil
}

// addStatic copies the files of static into tree as they are, and returns
// their names. A file that the site has already is an error: the site's
// own would be lost.
func addStatic(tree *output.Tree, static fs.FS) (map[string]bool, error) {
	if static == nil {
		return nil, nil
	}
	added := map[string]bool{}
	return added, fs.WalkDir(static, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("static: %w", err)
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return fs.SkipDir
			}
			return nil
		}
		if d.Name() == ".DS_Store" || d.Name() == "Thumbs.db" {
			return nil
		}
		if _, taken := tree.Get(name); taken {
			return staticTaken(name)
		}
		data, err := fs.ReadFile(static, name)
		if err != nil {
			return fmt.Errorf("static: %w", err)
		}
		added[name] = true
		return tree.Add(name, data)
	})
}

// staticTaken is the error for a static file where the site has one of
// its own.
func staticTaken(name string) error {
	return fmt.Errorf("static: %s: the site has a file of its own there; rename or move it", name)
}

// dates gives each prompt and category the day it last changed: a prompt,
// the lines of its section, or its whole file; a category, the newest of
// its prompts, or its own lines when it has none.
func dates(s *model.Site, updated func(path string, from, to int) string) {
	lines := func(md string) int { return strings.Count(md, "\n") + 1 }
	for _, c := range s.Categories {
		for _, p := range c.Prompts {
			if p.Source.Path == "" {
				continue
			}
			from, to := p.Source.Line, p.Source.Line+lines(p.Markdown)
			if p.Own {
				from, to = 1, math.MaxInt
			}
			p.Updated = updated(p.Source.Path, from, to)
			c.Updated = max(c.Updated, p.Updated)
		}
		if len(c.Prompts) == 0 && c.Source.Path != "" {
			c.Updated = updated(c.Source.Path, max(c.Source.Line, 1), max(c.Source.Line, 1)+lines(c.Markdown))
		}
	}
}
