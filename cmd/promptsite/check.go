package main

import (
	"fmt"
	"strings"

	"github.com/promptsite/promptsite/site"
)

// runCheck does all that build verifies, in memory, for CI: it fails when
// the build would fail, and when anchors.lock would change, which means
// that the change was not committed with the lock it makes.
func runCheck(e *env, args []string) int {
	fs := e.newFlags("check", "check [-strict] [PATH ...]",
		"Check builds the site in memory, writing nothing, and fails (exit 1) when the build would\n"+
			"fail, or when anchors.lock would change: a renamed or moved prompt whose regenerated lock\n"+
			"was not committed. Run it in CI on every pull request.")
	fs.String("base-url", "", "the site's address (default: base_url in promptsite.toml, or $URL)")
	addLangFlag(fs)
	file := addConfigFlag(fs)
	b := addBuildFlags(fs)
	paths, code, ok := e.parse(fs, args)
	if !ok {
		return code
	}
	p, code, err := e.open(fs, *file, paths, false)
	if err != nil {
		return e.failWith(code, err)
	}
	cfg, err := b.site(e, p)
	if err != nil {
		return e.fail(err)
	}
	res, err := site.BuildContext(e.ctx, cfg)
	if err != nil {
		return e.fail(err)
	}
	if err := b.warn(e, res); err != nil {
		return e.fail(err)
	}
	if a := res.Anchors; a != nil && a.Changed {
		for _, n := range a.Notes {
			fmt.Fprintf(e.stderr, "anchors: %s\n", n)
		}
		lock := e.display(cfg.Lock.Path)
		diff := a.Diff(cfg.Lock)
		return e.fail(fmt.Errorf("%s is not up to date: the build would change %d of its lines:\n  %s\n"+
			"run promptsite build and commit %s with the content",
			lock, len(diff), strings.Join(diff, "\n  "), lock))
	}
	fmt.Fprintf(e.stdout, "ok: %d pages, %d prompts; every link leads somewhere", res.Pages(), res.Prompts())
	if cfg.Lock != nil {
		fmt.Fprintf(e.stdout, "; %s is up to date", e.display(cfg.Lock.Path))
	}
	fmt.Fprintln(e.stdout)
	return exitOK
}
