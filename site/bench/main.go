// Command bench builds the same generated prompt library with
// promptsite and with Hugo + Pagefind, side by side, and prints how long
// each takes, its peak memory and what a first search downloads.
//
// It times two situations. A first build writes into an output folder
// that never existed, as on a fresh checkout (Netlify): each timed run
// gets a folder of its own. A rebuild after an edit is what a maintainer
// does locally: the text of one prompt changes, and the tool builds over
// its own previous output.
//
// No output is deleted right before a timed run, or anywhere between
// timed runs: on ext4 without a journal, a new file may not take an inode
// freed in the last minute or more (longer while that part of the inode
// table is not yet written back), and the file system steps over each
// such inode to find a free one. A build that follows the deletion of
// thousands of files is therefore slowed by the deletion, which no real
// build has to pay for. The built sites go with the temporary folder at
// the end; for the same reason, leave a few minutes between two runs of
// the bench on such a disk, or pass -keep and remove the folders later.
// The bench writes out what the file system holds unwritten (sync) before
// it starts; a minute's wait after a test run or anything else that
// deleted many files does the rest.
//
// Usage (from the repository root):
//
//	go run ./site/bench [-prompts 1000,10000] [-runs 5] [-query retry]
//
// It needs hugo (Debian: apt-get install hugo), npm to install the pinned
// Pagefind into the user's cache folder, and Chromium for the search
// measurement (-no-browser skips it).
package main

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

type options struct {
	sizes     []int
	runs      int
	seed      uint64
	query     string
	noBrowser bool
	keep      bool
	verbose   bool
}

func main() {
	if err := bench(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func bench() error {
	var (
		o                              options
		sizes                          string
		promptsite, hugo, pf, chromium string
	)
	flag.StringVar(&sizes, "prompts", "1000,10000", "library sizes to build, in prompts, comma-separated (100000 works too)")
	flag.IntVar(&o.runs, "runs", 5, "timed builds of each site at each size; the median is reported")
	flag.Uint64Var(&o.seed, "seed", 1, "seed of the generated library")
	flag.StringVar(&o.query, "query", "retry", "what to type into each site's search box")
	flag.BoolVar(&o.noBrowser, "no-browser", false, "skip the first-search measurement, which needs Chromium")
	flag.BoolVar(&o.keep, "keep", false, "keep the temporary folder with the libraries and the built sites")
	flag.BoolVar(&o.verbose, "v", false, "list each build and every file a first search downloads")
	flag.StringVar(&promptsite, "promptsite", "", "a promptsite binary (default: build ./cmd/promptsite)")
	flag.StringVar(&hugo, "hugo", "", "the hugo binary (default: hugo on PATH)")
	flag.StringVar(&pf, "pagefind", "", "the pagefind binary (default: npm-install pagefind@"+pagefindVersion+" into the cache folder)")
	flag.StringVar(&chromium, "chromium", "", "Chromium or Chrome (default: chromium on PATH)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: go run ./site/bench [flags]\n\n"+
			"Builds the same generated library with promptsite and with Hugo + Pagefind, interleaved,\n"+
			"and prints the median time of a first build and of a rebuild after an edit, the peak memory\n"+
			"and the bytes a first search downloads.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			return fmt.Errorf("-prompts: %q is not a number of prompts", s)
		}
		o.sizes = append(o.sizes, n)
	}
	if o.runs < 1 {
		return fmt.Errorf("-runs must be at least 1")
	}

	tmp, err := os.MkdirTemp("", "promptsite-bench-")
	if err != nil {
		return err
	}
	if o.keep {
		fmt.Fprintf(os.Stderr, "keeping %s\n", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = tmp
	}
	var t tools
	if t.hugo, err = findHugo(hugo); err != nil {
		return err
	}
	if t.pagefind, err = findPagefind(pf, filepath.Join(cache, "promptsite-bench")); err != nil {
		return err
	}
	if !o.noBrowser {
		if t.chromium, err = findChromium(chromium); err != nil {
			return err
		}
	}
	if t.promptsite, t.modDir, err = buildPromptsite(promptsite, tmp); err != nil {
		return err
	}
	return compare(os.Stdout, t, o, tmp)
}

// result is one size's measurements.
type result struct {
	prompts        int
	first, rebuild medians
	psFiles        int // regular files in a first build's output
	hugoFiles      int // the same for Hugo + Pagefind, Hugo's part
	pfFiles        int // and Pagefind's, under pagefind/
	psSearch       *firstSearch
	hpSearch       *firstSearch
	psSearchNote   string
}

// medians is one situation's median samples; hp is Hugo then Pagefind.
type medians struct{ ps, hugo, pf, hp sample }

// compare generates each library, builds it both ways, interleaved, and
// prints the table.
//
// Every size's first builds come before any rebuild, the searches come
// last, and the bench deletes nothing until it removes the temporary
// folder at the end: promptsite's rebuilds delete its previous output,
// Chromium's profile is deleted after each search, and on ext4 without a
// journal a deletion slows the file creations of the next minutes (see
// the package comment).
func compare(w io.Writer, t tools, o options, tmp string) error {
	m := readMachine()
	fmt.Fprintf(w, "promptsite %s vs %s + Pagefind %s, median of %d interleaved runs\n",
		versionOf(t.promptsite, t.modDir), m.hugoVersion(t.hugo), m.pagefindVersion(t.pagefind), o.runs)
	fmt.Fprintf(w, "machine: %s; load average %s at the start\n", m, loadavg())
	// What the file system has not written out yet, such as the inode
	// table of files deleted by whatever ran before, is written first:
	// deleted inodes whose table is written out are stepped over for a
	// minute, not for six (see the package comment).
	syscall.Sync()
	probe, err := probeDisk(filepath.Join(tmp, "probe-start"))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "disk: %s at the start\n\n", probe)
	libs := make([]*library, len(o.sizes))
	results := make([]result, len(o.sizes))
	for i, n := range o.sizes {
		lib, err := writeLibrary(filepath.Join(tmp, strconv.Itoa(n)), n, o.seed)
		if err != nil {
			return err
		}
		libs[i], results[i].prompts = lib, n
		if results[i].first, err = firstBuilds(w, t, o, lib); err != nil {
			return err
		}
		if err := results[i].countFiles(lib); err != nil {
			return err
		}
	}
	for i, lib := range libs {
		var err error
		if results[i].rebuild, err = rebuilds(w, t, o, lib); err != nil {
			return err
		}
	}
	if !o.noBrowser {
		for i, lib := range libs {
			if err := results[i].search(w, t, o, lib); err != nil {
				return err
			}
		}
	}
	if probe, err = probeDisk(filepath.Join(tmp, "probe-end")); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nload average %s, disk: %s at the end\n\n", loadavg(), probe)
	printTable(w, results, o)
	return nil
}

// firstOut is the output folder of first build i under a tool's folder;
// 0 is the warm-up.
func firstOut(dir string, i int) string { return filepath.Join(dir, fmt.Sprintf("out-%d", i)) }

// firstBuilds times builds into output folders that never existed, as
// on a fresh checkout: run i writes out-i, and none is deleted while the
// bench runs. Hugo's resources folder, its cache of processed images and
// styles, is left alone: it stays empty for this site.
func firstBuilds(w io.Writer, t tools, o options, lib *library) (medians, error) {
	ps := func(i int) (sample, error) {
		return run(lib.psDir, t.promptsite, "build", "-o", firstOut(lib.psDir, i), lib.file)
	}
	hp := func(i int) (sample, sample, error) {
		out := firstOut(lib.hugoDir, i)
		return hugoThenPagefind(t, lib.hugoDir, out, "--destination", out)
	}
	return interleave(w, o, thousands(lib.prompts)+" prompts, first build", nil, ps, hp)
}

// rebuilds times what a maintainer does after editing one prompt: each
// run switches the library to its other version and each tool builds
// over its own previous output, in public/. The untimed warm-up builds
// the first version there.
func rebuilds(w io.Writer, t tools, o options, lib *library) (medians, error) {
	ps := func(int) (sample, error) {
		return run(lib.psDir, t.promptsite, "build", "-o", filepath.Join(lib.psDir, "public"), lib.file)
	}
	hp := func(int) (sample, sample, error) {
		return hugoThenPagefind(t, lib.hugoDir, "public")
	}
	use := func(i int) error { return lib.use(i % 2) }
	return interleave(w, o, thousands(lib.prompts)+" prompts, rebuild after an edit", use, ps, hp)
}

// hugoThenPagefind builds the Hugo site in dir, with hugoArgs, and then
// its search index with Pagefind over site, the folder Hugo wrote.
func hugoThenPagefind(t tools, dir, site string, hugoArgs ...string) (sample, sample, error) {
	h, err := run(dir, t.hugo, append([]string{"--quiet"}, hugoArgs...)...)
	if err != nil {
		return h, sample{}, err
	}
	p, err := run(dir, t.pagefind, "--site", site, "--quiet")
	return h, p, err
}

// interleave builds with each tool once untimed (run 0), which warms the
// file cache and checks that both work, then o.runs times timed, the two
// tools taking turns, and returns the medians. before, when not nil, runs
// ahead of each run's builds and is not timed.
func interleave(w io.Writer, o options, what string, before func(run int) error,
	ps func(run int) (sample, error), hp func(run int) (hugo, pagefind sample, err error)) (medians, error) {
	var pss, hugos, pfs, hps []sample
	for i := 0; i <= o.runs; i++ {
		if before != nil {
			if err := before(i); err != nil {
				return medians{}, err
			}
		}
		// Alternate who goes first, so that neither always runs on a
		// machine the other has just warmed or loaded.
		for j := range 2 {
			if (i+j)%2 == 1 {
				s, err := ps(i)
				if err != nil {
					return medians{}, err
				}
				if i > 0 {
					pss = append(pss, s)
					if o.verbose {
						fmt.Fprintf(w, "%s, run %d: promptsite %s\n", what, i, s)
					}
				}
				continue
			}
			h, p, err := hp(i)
			if err != nil {
				return medians{}, err
			}
			if i > 0 {
				hugos, pfs, hps = append(hugos, h), append(pfs, p), append(hps, h.then(p))
				if o.verbose {
					fmt.Fprintf(w, "%s, run %d: hugo %s; pagefind %s\n", what, i, h, p)
				}
			}
		}
	}
	return medians{ps: median(pss), hugo: median(hugos), pf: median(pfs), hp: median(hps)}, nil
}

// countFiles counts the files that each tool's first timed build wrote.
func (r *result) countFiles(lib *library) error {
	hugoOut := firstOut(lib.hugoDir, 1)
	var err error
	if r.psFiles, err = countFiles(firstOut(lib.psDir, 1)); err != nil {
		return err
	}
	all, err := countFiles(hugoOut)
	if err != nil {
		return err
	}
	if r.pfFiles, err = countFiles(filepath.Join(hugoOut, "pagefind")); err != nil {
		return err
	}
	r.hugoFiles = all - r.pfFiles
	return nil
}

// countFiles counts the regular files under dir.
func countFiles(dir string) (int, error) {
	n := 0
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			n++
		}
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("counting the files of %s: %w", dir, err)
	}
	return n, nil
}

// search measures a first search on each tool's first timed build.
func (r *result) search(w io.Writer, t tools, o options, lib *library) error {
	psOut, hugoOut := firstOut(lib.psDir, 1), firstOut(lib.hugoDir, 1)
	if info, err := os.Stat(filepath.Join(psOut, "search")); err != nil || !info.IsDir() {
		r.psSearchNote = "n/a: no search/ in the build"
	} else if s, err := measureSearch(t.chromium, psOut, promptsiteUI, o.query); err != nil {
		return err
	} else {
		r.psSearch = &s
	}
	s, err := measureSearch(t.chromium, hugoOut, pagefindUI, o.query)
	if err != nil {
		return err
	}
	r.hpSearch = &s
	if o.verbose {
		listFiles(w, thousands(r.prompts)+" prompts, promptsite", r.psSearch)
		listFiles(w, thousands(r.prompts)+" prompts, Hugo + Pagefind", r.hpSearch)
	}
	return nil
}

func listFiles(w io.Writer, title string, s *firstSearch) {
	if s == nil {
		return
	}
	fmt.Fprintf(w, "%s, first search (%s):\n", title, s.shown)
	for _, f := range s.files {
		when := "page load"
		if f.query {
			when = "query"
		}
		fmt.Fprintf(w, "  %-9s %9d raw %9d on the wire  %s\n", when, f.raw, f.bytes(), f.path)
	}
}
