package main

import (
	"fmt"

	"github.com/promptsite/promptsite/site"
	"github.com/promptsite/promptsite/site/devserver"
	"github.com/promptsite/promptsite/site/output"
)

func runServe(e *env, args []string) int {
	fs := e.newFlags("serve", "serve [-addr 127.0.0.1:8080] [PATH ...]",
		"Serve builds the site from the markdown at PATH (as build does) and serves it from memory,\n"+
			"rebuilding it and reloading open pages whenever a file of the content or the theme changes.\n"+
			"A failed rebuild prints the error and keeps serving the last good site.")
	addr := fs.String("addr", devserver.DefaultAddr, "the address to listen on; the loopback interface unless a host is given")
	paths, code, ok := e.parse(fs, args)
	if !ok {
		return code
	}
	in, err := e.input(paths)
	if err != nil {
		return e.fail(err)
	}
	srv := &devserver.Server{
		Build: func() (*output.Tree, error) {
			// Read everything again: any file may have changed.
			in, err := e.input(paths)
			if err != nil {
				return nil, err
			}
			cfg := in.config("")
			// The record of addresses is read, never written: a heading
			// half typed is no address to keep. What the next build would
			// drop is said instead of failing.
			if cfg.Lock, err = in.lock(e, ""); err != nil {
				return nil, err
			}
			cfg.AcceptRemoved = true
			res, err := site.Build(cfg)
			if err != nil {
				return nil, err
			}
			if res.Anchors != nil {
				for _, n := range res.Anchors.Notes {
					fmt.Fprintf(e.stderr, "anchors: %s\n", n)
				}
			}
			return res.Tree, nil
		},
		Watch: append(in.dirs, in.theme.Dirs...),
		Log:   e.stderr,
	}
	if len(srv.Watch) == 0 {
		fmt.Fprintln(e.stderr, "serving the built-in library; give a PATH, or add a content/ folder, to see your own and its edits")
	}
	if err := srv.ListenAndServe(e.ctx, *addr); err != nil {
		return e.fail(err)
	}
	return exitOK
}
