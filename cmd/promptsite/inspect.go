package main

import (
	"fmt"
	"io"
	"os"

	"github.com/promptsite/promptsite/site"
	"github.com/promptsite/promptsite/site/config"
	"github.com/promptsite/promptsite/site/highlight"
	"github.com/promptsite/promptsite/site/markdown"
	"github.com/promptsite/promptsite/site/model"
)

// runInspect prints the library as promptsite reads it, so that an author
// sees what the site will be made of before publishing it.
func runInspect(e *env, args []string) int {
	fs := e.newFlags("inspect", "inspect [PATH ...]",
		"Inspect prints the library as promptsite reads it: how it read each file, the categories,\n"+
			"each prompt with its source file:line and its address, and what was left out and why.")
	addLangFlag(fs)
	file := addConfigFlag(fs)
	paths, code, ok := e.parse(fs, args)
	if !ok {
		return code
	}
	p, code, err := e.open(fs, *file, paths, false)
	if err != nil {
		return e.failWith(code, err)
	}
	cfg, err := p.Site()
	if err != nil {
		return e.fail(err)
	}
	lib, err := site.Parse(markdown.New(highlight.Highlighter{}), cfg.Files,
		site.ParseOptions{Title: cfg.Title, Skipped: cfg.Skipped, Lang: cfg.Lang})
	if err != nil {
		return e.fail(err)
	}
	// Rendering finds where links lead, and which of them lead nowhere.
	if _, err := lib.Render("/", true, os.DirFS(cfg.Project), cfg.Static); err != nil {
		return e.fail(err)
	}
	how := "detected from the content; set language in " + config.FileName + " to change it"
	if cfg.Lang != "" {
		how = "configured"
	}
	writeInspect(e.stdout, lib.Site, how)
	return exitOK
}

// writeInspect writes the library s as inspect shows it; how says where
// its language comes from.
func writeInspect(w io.Writer, s *model.Site, how string) {
	fmt.Fprintf(w, "%s\n", s.Title)
	fmt.Fprintf(w, "language: %s (%s)\n", s.Lang, how)
	fmt.Fprintln(w, "\nfiles:")
	for _, src := range s.Sources {
		fmt.Fprintf(w, "  %s: %s\n", src.File, src.Shape)
		for _, n := range src.Notes {
			fmt.Fprintf(w, "    %s: %s\n", n.Pos, n.Text)
		}
	}
	if len(s.Skipped) > 0 {
		fmt.Fprintln(w, "\nleft out:")
		for _, n := range s.Skipped {
			fmt.Fprintf(w, "  %s: %s\n", n.Pos, n.Text)
		}
	}
	fmt.Fprintln(w, "\ncategories:")
	for _, c := range s.Categories {
		kind := "category"
		if len(c.Prompts) == 0 {
			kind = "page"
		}
		fmt.Fprintf(w, "  %s %q %s (%s)", kind, c.Title, c.URL(), c.Source)
		if c.Lang != "" {
			fmt.Fprintf(w, " language: %s", c.Lang)
		}
		fmt.Fprintln(w)
		for _, p := range c.Prompts {
			form := map[string]string{"fence": "in a fenced block", "quote": "in a blockquote", "file": "the whole file", "": "a note, no prompt"}[p.Form]
			fmt.Fprintf(w, "    %q %s (%s; %s)", p.Title, p.URL(c), p.Source, form)
			if p.Lang != "" {
				fmt.Fprintf(w, " language: %s", p.Lang)
			}
			if len(p.Tags) > 0 {
				fmt.Fprint(w, " tags:")
				for _, t := range p.Tags {
					fmt.Fprintf(w, " %s", t.Name)
				}
			}
			fmt.Fprintln(w)
		}
	}
	n := 0
	for _, c := range s.Categories {
		for _, p := range c.Prompts {
			if p.Form != "" {
				n++
			}
		}
	}
	fmt.Fprintf(w, "\n%d prompts in %d categories and pages", n, len(s.Categories))
	if len(s.Tags) > 0 {
		fmt.Fprintf(w, ", %d tags", len(s.Tags))
	}
	fmt.Fprintln(w)
	for _, warn := range s.Warnings {
		fmt.Fprintf(w, "warning: %v\n", warn)
	}
}
