package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/promptsite/promptsite"
	"github.com/promptsite/promptsite/site"
	"github.com/promptsite/promptsite/site/anchorlock"
	"github.com/promptsite/promptsite/site/content"
	"github.com/promptsite/promptsite/site/output"
	"github.com/promptsite/promptsite/site/theme"
)

func runBuild(e *env, args []string) int {
	fs := e.newFlags("build", "build [-o DIR] [-base-url URL] [PATH ...]",
		"Build reads the markdown files at PATH (files, or folders of .md files; by default\n"+
			"content/, or the built-in library when there is none) and writes the site to DIR.\n"+
			"The folder is replaced whole, and only when the build succeeds.")
	out := fs.String("o", "public", "the folder to write the site to")
	baseURL := fs.String("base-url", e.getenv("URL"), "the site's address, for link previews and the sitemap (default: $URL, which Netlify sets)")
	noCheck := fs.Bool("no-check", false, "publish even when an internal link or #fragment of the built site is broken")
	lockPath := fs.String("lock", "", "the record of published addresses (default: "+anchorlock.Name+" in the content folder)")
	strict := fs.Bool("strict", false, "fail on warnings, such as an empty category, too")
	acceptRemoved := fs.Bool("accept-removed", false, "drop published addresses that lead nowhere now, instead of failing")
	paths, code, ok := e.parse(fs, args)
	if !ok {
		return code
	}
	start := time.Now()
	in, err := e.input(paths)
	if err != nil {
		return e.fail(err)
	}
	cfg := in.config(*baseURL)
	cfg.NoCheck, cfg.AcceptRemoved = *noCheck, *acceptRemoved
	if cfg.Lock, err = in.lock(e, *lockPath); err != nil {
		return e.fail(err)
	}
	outDir := e.path(*out)
	if err := checkOutput(outDir, in.dirs); err != nil {
		return e.fail(err)
	}
	// The site is written beside the output folder while it is built,
	// and swapped in only when all of it is built and checked.
	stage, err := output.Stage(outDir)
	if err != nil {
		return e.fail(err)
	}
	defer stage.Discard()
	cfg.OnFile = stage.Add
	res, err := site.Build(cfg)
	if err != nil {
		return e.fail(err)
	}
	for _, w := range res.Site.Warnings {
		fmt.Fprintf(e.stderr, "warning: %v\n", w)
	}
	if *strict && len(res.Site.Warnings) > 0 {
		return e.fail(fmt.Errorf("%d warnings, and -strict makes them errors; the site was not published", len(res.Site.Warnings)))
	}
	if err := stage.Commit(e.ctx); err != nil {
		return e.fail(err)
	}
	if a := res.Anchors; a != nil {
		for _, n := range a.Notes {
			fmt.Fprintf(e.stderr, "anchors: %s\n", n)
		}
		if a.Changed {
			if err := a.Write(cfg.Lock.Path); err != nil {
				return e.fail(err)
			}
			fmt.Fprintf(e.stderr, "anchors: wrote %s; commit it with the content\n", e.display(cfg.Lock.Path))
		}
	}
	fmt.Fprintf(e.stdout, "built %d pages, %d prompts in %s → %s\n",
		res.Pages(), res.Prompts(), time.Since(start).Round(time.Millisecond), *out)
	return exitOK
}

// input is what a build reads: the library's files and the theme.
type input struct {
	files []content.File
	theme theme.Theme
	dirs  []string // the content paths given, absolute, for the dev server to watch
}

func (in *input) config(baseURL string) site.Config {
	return site.Config{
		Files:     in.files,
		Templates: in.theme.Templates,
		Assets:    in.theme.Assets,
		BaseURL:   baseURL,
	}
}

// lock reads the record of published addresses: at path when it is given,
// else beside the content, and none for the built-in library.
func (in *input) lock(e *env, path string) (*anchorlock.Lock, error) {
	if path == "" {
		if len(in.dirs) == 0 {
			return nil, nil
		}
		dir := in.dirs[0]
		if info, err := os.Stat(dir); err == nil && !info.IsDir() {
			dir = filepath.Dir(dir)
		}
		path = filepath.Join(dir, anchorlock.Name)
	}
	l, err := anchorlock.Read(e.path(path))
	if l != nil {
		l.Name = e.display(l.Path)
	}
	return l, err
}

// display returns p relative to the working folder when it is inside it.
func (e *env) display(p string) string {
	if r, err := filepath.Rel(e.path("."), p); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return p
}

// input reads the library at paths: by default the content/ folder, or the
// built-in library when there is none.
func (e *env) input(paths []string) (*input, error) {
	in := &input{theme: theme.Load(e.path("."), promptsite.Templates(), promptsite.Assets())}
	if len(paths) == 0 {
		if info, err := os.Stat(e.path("content")); err == nil && info.IsDir() {
			paths = []string{"content"}
		}
	}
	if len(paths) == 0 {
		files, err := content.LoadFS(promptsite.Content(), "(built-in) content")
		if err != nil {
			return nil, err
		}
		in.files = files
		return in, nil
	}
	abs := make([]string, len(paths))
	for i, p := range paths {
		abs[i] = e.path(p)
	}
	files, err := content.Load(e.path("."), paths)
	if err != nil {
		return nil, err
	}
	in.files, in.dirs = files, abs
	return in, nil
}

// path resolves p against the working folder.
func (e *env) path(p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	dir := e.dir
	if dir == "" {
		dir, _ = os.Getwd()
	}
	return filepath.Join(dir, p)
}

// checkOutput refuses an output folder that would replace the content or
// hold it.
func checkOutput(out string, contentPaths []string) error {
	o := resolve(out)
	for _, c := range contentPaths {
		c = resolve(c)
		if o == c || within(c, o) {
			return fmt.Errorf("refusing to write the site to %s: the content at %s is in it, and a build replaces that folder whole; choose another output folder, such as ./public", out, c)
		}
		if info, err := os.Stat(c); err == nil && info.IsDir() && within(o, c) {
			return fmt.Errorf("refusing to write the site to %s: it is inside the content folder %s, whose .md files the next build would read; choose an output folder outside it, such as ./public", out, c)
		}
	}
	for _, marker := range []string{".git", "go.mod"} {
		if _, err := os.Stat(filepath.Join(o, marker)); err == nil {
			return fmt.Errorf("refusing to write the site to %s: it is a repository's root (it has %s); choose an output folder of its own, such as ./public", out, marker)
		}
	}
	return nil
}

// resolve makes p absolute with its symbolic links followed, as far as it
// exists.
func resolve(p string) string {
	p, _ = filepath.Abs(p)
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}

// within reports whether p is inside dir.
func within(p, dir string) bool {
	r, err := filepath.Rel(dir, p)
	return err == nil && r != "." && !strings.HasPrefix(r, "..")
}
