// Command bench builds the same generated prompt library with
// promptsite and with Hugo + Pagefind, side by side, and prints how long
// each takes, its peak memory and what a first search downloads.
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
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/promptsite/promptsite/site/internal/libgen"
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
			"and prints the median build time, the peak memory and the bytes a first search downloads.\n\n")
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
	prompts          int
	ps, hugo, pf, hp sample // medians; hp is Hugo then Pagefind
	psSearch         *firstSearch
	hpSearch         *firstSearch
	psSearchNote     string
}

// compare generates each library, builds it both ways, interleaved, and
// prints the table.
func compare(w io.Writer, t tools, o options, tmp string) error {
	m := readMachine()
	fmt.Fprintf(w, "promptsite %s vs %s + Pagefind %s, median of %d interleaved runs\n",
		versionOf(t.promptsite, t.modDir), m.hugoVersion(t.hugo), m.pagefindVersion(t.pagefind), o.runs)
	fmt.Fprintf(w, "machine: %s; load average %s at the start\n\n", m, loadavg())
	var results []result
	for _, n := range o.sizes {
		r, err := measure(w, t, o, filepath.Join(tmp, strconv.Itoa(n)), n)
		if err != nil {
			return err
		}
		results = append(results, r)
	}
	fmt.Fprintf(w, "\nload average %s at the end\n\n", loadavg())
	printTable(w, results, o)
	return nil
}

func measure(w io.Writer, t tools, o options, dir string, n int) (result, error) {
	r := result{prompts: n}
	md := libgen.Library(n, o.seed)
	psDir, hugoDir := filepath.Join(dir, "promptsite"), filepath.Join(dir, "hugo")
	file, err := writePromptsite(psDir, md)
	if err != nil {
		return r, err
	}
	if err := writeHugo(hugoDir, md); err != nil {
		return r, err
	}
	psOut, hugoOut := filepath.Join(psDir, "public"), filepath.Join(hugoDir, "public")
	buildPS := func() (sample, error) {
		if err := removeAll(psOut); err != nil {
			return sample{}, err
		}
		return run(psDir, t.promptsite, "build", "-o", psOut, file)
	}
	buildHugo := func() (sample, sample, error) {
		if err := removeAll(hugoOut, filepath.Join(hugoDir, "resources")); err != nil {
			return sample{}, sample{}, err
		}
		h, err := run(hugoDir, t.hugo, "--quiet")
		if err != nil {
			return h, sample{}, err
		}
		p, err := run(hugoDir, t.pagefind, "--site", "public", "--quiet")
		return h, p, err
	}

	// One build of each, untimed, warms the file cache and checks that
	// both work.
	if _, err := buildPS(); err != nil {
		return r, err
	}
	if _, _, err := buildHugo(); err != nil {
		return r, err
	}
	var ps, hugo, pf, hp []sample
	for i := range o.runs {
		// Alternate who goes first, so that neither always runs on a
		// machine the other has just warmed or loaded.
		for j := range 2 {
			if (i+j)%2 == 0 {
				s, err := buildPS()
				if err != nil {
					return r, err
				}
				ps = append(ps, s)
				if o.verbose {
					fmt.Fprintf(w, "%d prompts, run %d: promptsite %s\n", n, i+1, s)
				}
				continue
			}
			h, p, err := buildHugo()
			if err != nil {
				return r, err
			}
			hugo, pf, hp = append(hugo, h), append(pf, p), append(hp, h.then(p))
			if o.verbose {
				fmt.Fprintf(w, "%d prompts, run %d: hugo %s; pagefind %s\n", n, i+1, h, p)
			}
		}
	}
	r.ps, r.hugo, r.pf, r.hp = median(ps), median(hugo), median(pf), median(hp)

	if o.noBrowser {
		return r, nil
	}
	if info, err := os.Stat(filepath.Join(psOut, "search")); err != nil || !info.IsDir() {
		r.psSearchNote = "n/a: no search/ in the build"
	} else if s, err := measureSearch(t.chromium, psOut, promptsiteUI, o.query); err != nil {
		return r, err
	} else {
		r.psSearch = &s
	}
	s, err := measureSearch(t.chromium, hugoOut, pagefindUI, o.query)
	if err != nil {
		return r, err
	}
	r.hpSearch = &s
	if o.verbose {
		listFiles(w, fmt.Sprintf("%d prompts, promptsite", n), r.psSearch)
		listFiles(w, fmt.Sprintf("%d prompts, Hugo + Pagefind", n), r.hpSearch)
	}
	return r, nil
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
