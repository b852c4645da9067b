// Package project opens a prompt library's project as its configuration
// describes it: its content, its theme, its record of addresses and the
// files it publishes besides its pages, ready for a build.
package project

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/promptsite/promptsite"
	"github.com/promptsite/promptsite/site"
	"github.com/promptsite/promptsite/site/anchorlock"
	"github.com/promptsite/promptsite/site/config"
	"github.com/promptsite/promptsite/site/content"
	"github.com/promptsite/promptsite/site/gitdates"
	"github.com/promptsite/promptsite/site/render"
	"github.com/promptsite/promptsite/site/theme"
)

// DemoNotice is what every page of the built-in example library says.
const DemoNotice = "This is promptsite's example library: no content folder was found. " +
	"Run promptsite init to start your own, or give the path of your markdown."

// ErrNoContent is matched, with errors.Is, by the error of a project that
// has no content.
var ErrNoContent = errors.New("no content")

// Project is a library's project, opened.
type Project struct {
	Config  *config.Config
	Library *content.Library
	Theme   theme.Theme
	// Demo is set when the project has no content and the built-in example
	// library stands in for it.
	Demo bool
	// Dirs are the content paths, absolute, for the dev server to watch.
	Dirs []string
	wd   string
}

// Options say how to open a project.
type Options struct {
	// Demo lets a project with no content show the built-in example
	// library instead of failing.
	Demo bool
	// WorkDir is the working folder, from which messages name files; the
	// process's own when empty.
	WorkDir string
}

// Open reads the project that cfg describes.
func Open(cfg *config.Config, opts Options) (*Project, error) {
	p := &Project{Config: cfg, Theme: theme.Load(cfg.Theme, promptsite.Templates(), promptsite.Assets()), wd: opts.WorkDir}
	if cfg.Theme != "" && !isDir(cfg.Theme) {
		return nil, fmt.Errorf("%s: theme: %s: no such folder; make it, with templates/ and assets/ in it, or remove the key (promptsite theme export %s starts one)",
			cfg.Source("theme"), cfg.Theme, cfg.Theme)
	}
	if cfg.Source("content") == "default" && !exists(cfg.Content[0]) {
		if !opts.Demo {
			where := "in " + cfg.Dir + " (no " + config.FileName + " was found)"
			if cfg.File != "" {
				where = "beside " + cfg.File
			}
			return nil, fmt.Errorf("%w: there is no content folder %s; run promptsite init to start a library there, "+
				"set content in %s, or give the path of your markdown files", ErrNoContent, where, config.FileName)
		}
		files, err := content.LoadFS(promptsite.Content(), "(built-in) content")
		if err != nil {
			return nil, err
		}
		p.Library, p.Demo = &content.Library{Files: files}, true
		p.Dirs = []string{cfg.Content[0]} // watched, so that a content folder made later is picked up
		return p, nil
	}
	// Files are named from the working folder, as a person would name them.
	names := make([]string, len(cfg.Content))
	for i, c := range cfg.Content {
		names[i] = p.Display(c)
	}
	wd := p.wd
	if wd == "" {
		wd, _ = os.Getwd()
	}
	lib, err := content.Load(wd, names, content.Options{Exclude: cfg.Excluded, Project: cfg.Dir})
	if err != nil {
		if src := cfg.Source("content"); src != "default" && src != "arguments" {
			return nil, fmt.Errorf("%s: content: %w", src, err)
		}
		return nil, err
	}
	p.Library, p.Dirs = lib, cfg.Content
	return p, nil
}

// Lock reads the record of the addresses the site has published: at path
// when it is given, else beside the content; nil for the example library.
func (p *Project) Lock(path string) (*anchorlock.Lock, error) { return p.LockAgain(path, nil) }

// LockAgain is Lock that returns last, a record Lock read before, when its
// file is as it was then (see anchorlock.ReadAgain).
func (p *Project) LockAgain(path string, last *anchorlock.Lock) (*anchorlock.Lock, error) {
	if path == "" {
		if p.Demo || len(p.Dirs) == 0 {
			return nil, nil
		}
		dir := p.Dirs[0]
		if info, err := os.Stat(dir); err == nil && !info.IsDir() {
			dir = filepath.Dir(dir)
		}
		path = filepath.Join(dir, anchorlock.Name)
	}
	l, err := anchorlock.ReadAgain(path, last)
	if l != nil && l != last {
		l.Name = p.Display(l.Path)
	}
	return l, err
}

// Display returns p relative to the working folder when it is inside it.
func (p *Project) Display(path string) string {
	wd := p.wd
	if wd == "" {
		wd, _ = os.Getwd()
	}
	if r, err := filepath.Rel(wd, path); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return path
}

// Watch lists what the dev server watches: the content, the theme, the
// static folder, the logo, the favicon and the configuration file, made
// or not.
func (p *Project) Watch() []string {
	c := p.Config
	w := append([]string{}, p.Dirs...)
	w = append(w, p.Theme.Dirs...)
	for _, f := range []string{c.Static, c.Logo, c.Favicon, c.File} {
		if f != "" {
			w = append(w, f)
		}
	}
	return w
}

// Site returns what a build of the project needs, the files and settings
// that its configuration gives.
func (p *Project) Site() (site.Config, error) {
	c := p.Config
	sc := site.Config{
		Files:      p.Library.Files,
		Skipped:    p.Library.Skipped,
		Title:      c.Title,
		Templates:  p.Theme.Templates,
		Assets:     p.Theme.Assets,
		BaseURL:    c.BaseURL,
		Lang:       c.Language,
		NoIndex:    c.Preview,
		Repository: c.Repository,
		Chat:       c.Chat,
		Strings:    c.Strings,
		Project:    c.Dir,
	}
	if p.Demo {
		sc.Notice = DemoNotice
	} else if c.EditURL != "" {
		sc.EditLink = func(path string, line int) string {
			return c.EditLink(path, line)
		}
	}
	for _, f := range c.Footer {
		sc.Footer = append(sc.Footer, render.Link{Text: f.Text, URL: f.URL})
	}
	if c.LastUpdated == "git" && !p.Demo {
		h, err := gitdates.Open(c.Dir)
		if err != nil {
			return sc, fmt.Errorf("%s: %w; set last_updated = \"\" for no dates", c.Source("last_updated"), err)
		}
		sc.Updated = func(path string, from, to int) string {
			t, err := h.Updated(filepath.Join(c.Dir, filepath.FromSlash(path)), from, to)
			if err != nil || t.IsZero() {
				return ""
			}
			return t.Format(time.DateOnly)
		}
	}
	var err error
	if sc.Logo, err = p.asset("logo", c.Logo); err != nil {
		return sc, err
	}
	if sc.Favicon, err = p.asset("favicon", c.Favicon); err != nil {
		return sc, err
	}
	if c.Static != "" {
		if !isDir(c.Static) {
			return sc, fmt.Errorf("%s: static: %s: no such folder; make it, or remove the key", c.Source("static"), c.Static)
		}
		sc.Static = os.DirFS(c.Static)
	}
	return sc, nil
}

// asset reads the file at path, which the key names.
func (p *Project) asset(key, path string) (*site.Asset, error) {
	if path == "" {
		return nil, nil
	}
	src := p.Config.Source(key)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %s: %s: no such file; put the image there, or fix the path", src, key, path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", src, key, err)
	}
	return &site.Asset{Name: src + ": " + key, Data: data, Ext: strings.ToLower(filepath.Ext(path))}, nil
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func isDir(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.IsDir()
}
