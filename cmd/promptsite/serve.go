package main

import (
	"context"
	"fmt"

	"github.com/promptsite/promptsite/site"
	"github.com/promptsite/promptsite/site/anchorlock"
	"github.com/promptsite/promptsite/site/devserver"
	"github.com/promptsite/promptsite/site/output"
	"github.com/promptsite/promptsite/site/render"
)

func runServe(e *env, args []string) int {
	fs := e.newFlags("serve", "serve [-addr 127.0.0.1:8080] [PATH ...]",
		"Serve builds the site from the markdown at PATH (as build does) and serves it from memory,\n"+
			"rebuilding it and bringing open pages up to date, in place where it can, whenever a file\n"+
			"of the content, the theme, the static folder or promptsite.toml changes. A failed\n"+
			"rebuild prints the error and keeps serving the last good site; links that lead nowhere\n"+
			"are warnings. With no content, it serves promptsite's example library.")
	addr := fs.String("addr", devserver.DefaultAddr, "the address to listen on; the loopback interface unless a host is given")
	fs.String("base-url", "", "the site's address, whose path the site is served under (default: base_url in promptsite.toml)")
	addLangFlag(fs)
	fs.Bool("no-check", false, "accepted for build's sake: serve never fails on links, it warns")
	file := addConfigFlag(fs)
	paths, code, ok := e.parse(fs, args)
	if !ok {
		return code
	}
	p, code, err := e.open(fs, *file, paths, true)
	if err != nil {
		return e.failWith(code, err)
	}
	if p.Demo {
		fmt.Fprintf(e.stderr, "no content folder: serving promptsite's example library; run promptsite init, or give a PATH, to see your own\n")
	}
	// What a build makes is kept for the next: an edit to one prompt
	// renders and analyses that prompt again, not the library.
	cache := site.NewCache()
	var lock *anchorlock.Lock // the last read, kept while its file is unchanged
	srv := &devserver.Server{
		// The pages show as soon as they are built; the search index
		// and the link check's warnings follow.
		BuildEarly: func(ctx context.Context, ready func(*output.Tree)) (*output.Tree, error) {
			// Read everything again: any file may have changed, the
			// configuration too.
			p, _, err := e.open(fs, *file, paths, true)
			if err != nil {
				return nil, err
			}
			cfg, err := p.Site()
			if err != nil {
				return nil, err
			}
			// The record of addresses is read, never written: a heading
			// half typed is no address to keep. What the next build would
			// drop is said instead of failing.
			if cfg.Lock, err = p.LockAgain("", lock); err != nil {
				return nil, err
			}
			lock = cfg.Lock
			cfg.AcceptRemoved, cfg.LinkWarnings, cfg.Cache, cfg.OnPages = true, true, cache, ready
			res, err := site.BuildContext(ctx, cfg)
			if err != nil {
				return nil, err
			}
			var warn devserver.Warnings
			for _, w := range res.Site.Warnings {
				fmt.Fprintf(e.stderr, "warning: %v\n", w)
				warn = append(warn, w.Error())
			}
			if res.Anchors != nil {
				for _, n := range res.Anchors.Notes {
					fmt.Fprintf(e.stderr, "anchors: %s\n", n)
				}
			}
			if len(warn) > 0 {
				return res.Tree, warn // served, and shown on the pages
			}
			return res.Tree, nil
		},
		Watch: p.Watch(),
		Base:  render.BasePath(p.Config.BaseURL),
		Log:   e.stderr,
	}
	if err := srv.ListenAndServe(e.ctx, *addr); err != nil {
		return e.fail(err)
	}
	return exitOK
}
