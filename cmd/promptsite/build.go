package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/promptsite/promptsite/internal/heaplimit"
	"github.com/promptsite/promptsite/internal/hugeheap"
	"github.com/promptsite/promptsite/site"
	"github.com/promptsite/promptsite/site/anchorlock"
	"github.com/promptsite/promptsite/site/buildcache"
	"github.com/promptsite/promptsite/site/config"
	"github.com/promptsite/promptsite/site/content"
	"github.com/promptsite/promptsite/site/output"
	"github.com/promptsite/promptsite/site/project"
	"github.com/promptsite/promptsite/site/render"
)

func runBuild(e *env, args []string) int {
	fs := e.newFlags("build", "build [-o DIR] [-base-url URL] [PATH ...]",
		"Build reads the markdown files at PATH (files, or folders of .md files; by default the\n"+
			"content of promptsite.toml, or content/) and writes the site to DIR. The folder is\n"+
			"replaced whole, and only when the build succeeds.")
	fs.String("o", "", "the folder to write the site to (default: output in "+config.FileName+", or public)")
	fs.String("base-url", "", "the site's address, such as https://org.github.io/repo/ (default: base_url in "+config.FileName+", or $URL, which Netlify sets)")
	addLangFlag(fs)
	file := addConfigFlag(fs)
	b := addBuildFlags(fs)
	paths, code, ok := e.parse(fs, args)
	if !ok {
		return code
	}
	start := time.Now()
	p, code, err := e.open(fs, *file, paths, false)
	if err != nil {
		return e.failWith(code, err)
	}
	cfg, err := b.site(e, p)
	if err != nil {
		return e.fail(err)
	}
	outDir := p.Config.Output
	if err := checkOutput(outDir, p.Dirs); err != nil {
		return e.fail(err)
	}
	if cfg.Lock != nil && within(resolve(cfg.Lock.Path), resolve(outDir)) {
		return e.fail(fmt.Errorf("refusing to keep %s inside the output folder %s, which every build replaces; keep it beside the content (the default) or give -lock another place",
			e.display(cfg.Lock.Path), e.display(outDir)))
	}
	// A build's heap grows into huge pages, where the system gives them
	// on request (see hugeheap): for a first build of 10,000 prompts,
	// 6,000 page faults rather than 31,000, and a fifth less CPU on a
	// virtual machine. A rebuild asks for the third of it where what it
	// keeps from the last build lies, and leaves to small pages the rest,
	// where its short-lived pages come and go: asking for all of it, a
	// rebuild peaked at 162 MiB rather than 147; for a third, at 144
	// rather than 143, in 0.71 s rather than 0.79.
	fresh := !output.HasSite(outDir)
	huge := hugeheap.Size(libraryBytes(cfg.Files))
	if !fresh {
		huge /= 3
	}
	hugeheap.Prepare(huge)
	// The site is written beside the output folder while it is built,
	// and swapped in only when all of it is built and checked. The
	// staging folder is made ready, the spare claimed and listed, while
	// the library is read; a folder that cannot be staged stops the
	// build.
	ctx, cancel := context.WithCancel(e.ctx)
	defer cancel()
	// What the last build left for this one (see buildcache): the pages
	// it rendered, the analyses of its prompts, what its link check found
	// on each page, and what it knew of the files in the output folders.
	record := buildcache.OpenAsync(outDir)
	var (
		stage    *output.Staging
		stageErr error
		staged   = make(chan struct{})
	)
	go func() {
		defer close(staged)
		if stage, stageErr = output.StageContext(e.ctx, outDir, record.Inventory()); stageErr != nil {
			cancel()
		}
	}()
	defer func() {
		<-staged
		if stage != nil {
			stage.Discard()
		}
	}()
	cfg.OnFile = func(name string, data []byte) {
		<-staged
		if stage != nil {
			stage.Add(name, data)
		}
	}
	cfg.Forget = true
	// A page that the site in place has as it would be rendered is known
	// by its size and sum: the spare or the site in place is mostly known
	// to hold it, and it is then neither read nor rendered.
	cfg.OnKnown = func(name string, k output.Known) {
		<-staged
		if stage != nil {
			stage.AddKnown(name, k)
		}
	}
	// The pages that the last build rendered from the same values are
	// taken from the site in place, and the analyses of the prompts that
	// did not change from the record it left (see buildcache). A build
	// with no site before it keeps no analyses (see site.NewPastCache).
	cfg.Cache = site.NewPastCache(record, fresh)
	// A build's memory is held near what it keeps live, not twice that
	// (see heaplimit): for 10,000 prompts, about 140 MiB for a first build
	// and 155 for a rebuild, which holds what the last build left, rather
	// than 150 and 190.
	limit := int64(heapLimit)
	if fresh {
		limit = freshLimit
	}
	defer heaplimit.Hold(limit)()
	res, err := site.BuildContext(ctx, cfg)
	<-staged
	if stageErr != nil {
		return e.fail(stageErr)
	}
	if err != nil {
		return e.fail(err)
	}
	// What the record keeps of the build is encoded while the site is
	// committed: for 10,000 prompts, the link check's scans take 10 to
	// 20 ms, about what the commit takes.
	var (
		made     []render.Made
		analyses [][]byte
		scans    []byte
	)
	parts := sync.OnceFunc(func() { made, analyses, scans = cfg.Cache.Made(), cfg.Cache.Analyses(), cfg.Cache.Scans() })
	go parts()
	defer parts() // no return leaves it running
	if err := b.warn(e, res); err != nil {
		return e.fail(err)
	}
	// The lock is written beside its place before the site is published,
	// so that a lock that cannot be written leaves the previous site.
	var lock *anchorlock.Pending
	if a := res.Anchors; a != nil && a.Changed {
		if lock, err = a.Prepare(cfg.Lock.Path); err != nil {
			return e.fail(fmt.Errorf("%w; the site was not published", err))
		}
		defer lock.Discard()
	}
	if err := stage.Commit(e.ctx); err != nil {
		return e.fail(err)
	}
	parts()
	if err := buildcache.Save(outDir, made, analyses, scans, stage.Inventory()); err != nil {
		// The site is in place: the next build renders every page.
		fmt.Fprintf(e.stderr, "warning: %v\n", err)
	}
	if a := res.Anchors; a != nil {
		for _, n := range a.Notes {
			fmt.Fprintf(e.stderr, "anchors: %s\n", n)
		}
		if lock != nil {
			if err := lock.Commit(); err != nil {
				return e.fail(err)
			}
			fmt.Fprintf(e.stderr, "anchors: wrote %s; commit it with the content\n", e.display(cfg.Lock.Path))
		}
	}
	fmt.Fprintf(e.stdout, "built %d pages, %d prompts in %s → %s\n",
		res.Pages(), res.Prompts(), time.Since(start).Round(time.Millisecond), e.display(outDir))
	return exitOK
}

// libraryBytes is the size of the library's markdown.
func libraryBytes(files []content.File) int64 {
	var n int64
	for _, f := range files {
		n += int64(len(f.Data))
	}
	return n
}

// heapLimit is the memory limit a build is held to while it keeps less
// than 60 MiB live, and which rises with what it keeps live up to four
// times that (see heaplimit): a library of up to some 30,000 prompts.
const heapLimit = 100 << 20

// freshLimit is heapLimit for a build with no site before it. Such a build
// keeps less live than a rebuild, which holds what the last build left,
// but allocates more, as it makes every page: for 10,000 prompts it keeps
// up to 65 MiB live, and under 100 MiB the collector ran 14 times; under
// 128 MiB, 11 times, for 5% less CPU and 15 MiB more at the peak. A
// rebuild under 128 MiB peaked 10 MiB higher, in the same time.
const freshLimit = 128 << 20

// buildFlags are the flags that build and check share.
type buildFlags struct {
	noCheck, strict, acceptRemoved *bool
	lock                           *string
}

func addBuildFlags(fs *flag.FlagSet) *buildFlags {
	return &buildFlags{
		noCheck:       fs.Bool("no-check", false, "publish even when an internal link or #fragment of the built site is broken"),
		lock:          fs.String("lock", "", "the record of published addresses (default: "+anchorlock.Name+" in the content folder)"),
		strict:        fs.Bool("strict", false, "fail on warnings, such as an empty category, too"),
		acceptRemoved: fs.Bool("accept-removed", false, "drop published addresses that lead nowhere now, instead of failing"),
	}
}

// site returns what to build for the project, as the flags say.
func (b *buildFlags) site(e *env, p *project.Project) (site.Config, error) {
	cfg, err := p.Site()
	if err != nil {
		return cfg, err
	}
	cfg.NoCheck, cfg.AcceptRemoved = *b.noCheck, *b.acceptRemoved
	lock := *b.lock
	if lock != "" {
		lock = e.path(lock)
	}
	if cfg.Lock, err = p.Lock(lock); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// warn prints the build's warnings, and fails with -strict when there are
// any.
func (b *buildFlags) warn(e *env, res *site.Result) error {
	for _, w := range res.Site.Warnings {
		fmt.Fprintf(e.stderr, "warning: %v\n", w)
	}
	if *b.strict && len(res.Site.Warnings) > 0 {
		return fmt.Errorf("%d warnings, and -strict makes them errors; the site was not published", len(res.Site.Warnings))
	}
	return nil
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
