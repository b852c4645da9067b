package main

import (
	"bufio"
	"debug/buildinfo"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// machine describes where the comparison ran.
type machine struct {
	cpus  int
	model string
	ram   int64 // bytes
}

func readMachine() machine {
	m := machine{cpus: runtime.NumCPU(), model: "unknown CPU"}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.model = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	if f, err := os.Open("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if f := strings.Fields(sc.Text()); len(f) >= 2 && f[0] == "MemTotal:" {
				kib, _ := strconv.ParseInt(f[1], 10, 64)
				m.ram = kib * 1024
				break
			}
		}
		f.Close()
	}
	return m
}

func (m machine) String() string {
	return fmt.Sprintf("%d × %s, %.1f GiB RAM, %s/%s", m.cpus, m.model, float64(m.ram)/(1<<30), runtime.GOOS, runtime.GOARCH)
}

func (machine) hugoVersion(bin string) string {
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		return "Hugo"
	}
	// "hugo v0.111.3+extended linux/amd64 BuildDate=…"
	if f := strings.Fields(string(out)); len(f) >= 2 {
		return "Hugo " + strings.TrimPrefix(f[1], "v")
	}
	return "Hugo"
}

func (machine) pagefindVersion(bin string) string {
	out, err := exec.Command(bin, "--version").Output()
	if f := strings.Fields(string(out)); err == nil && len(f) >= 2 {
		return f[len(f)-1]
	}
	return pagefindVersion
}

// versionOf names the commit a Go binary was built from: from its build
// information, or else, for the binary built here, from git.
func versionOf(bin, modDir string) string {
	var rev, dirty string
	if info, err := buildinfo.ReadFile(bin); err == nil {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "+changes"
				}
			}
		}
	}
	if rev == "" && modDir != "" {
		if out, err := exec.Command("git", "-C", modDir, "rev-parse", "HEAD").Output(); err == nil {
			rev = strings.TrimSpace(string(out))
		}
		if out, err := exec.Command("git", "-C", modDir, "status", "--porcelain").Output(); err == nil && len(out) > 0 {
			dirty = "+changes"
		}
	}
	if len(rev) > 7 {
		rev = rev[:7]
	}
	if rev == "" {
		return "(unknown commit)"
	}
	return rev + dirty
}

// printTable prints the results as a markdown table, and what it means.
func printTable(w io.Writer, rs []result, o options) {
	fmt.Fprintln(w, "| prompts | measure | promptsite | Hugo + Pagefind (hugo; pagefind) | promptsite ÷ Hugo + Pagefind |")
	fmt.Fprintln(w, "|--:|:--|--:|--:|--:|")
	for _, r := range rs {
		n := thousands(r.prompts)
		printTimes(w, n, "first build", r.first)
		printPeak(w, n, "first build", r.first)
		fmt.Fprintf(w, "| %s | files written | %s | %s (%s; %s) | %s |\n", n,
			thousands(r.psFiles), thousands(r.hugoFiles+r.pfFiles), thousands(r.hugoFiles), thousands(r.pfFiles),
			ratio(float64(r.psFiles), float64(r.hugoFiles+r.pfFiles)))
		printTimes(w, n, "rebuild after an edit", r.rebuild)
		printPeak(w, n, "rebuild", r.rebuild)
		if !o.noBrowser {
			fmt.Fprintf(w, "| %s | first search %q | %s | %s | %s |\n", n, o.query,
				searchCell(r.psSearch, r.psSearchNote), searchCell(r.hpSearch, ""), searchRatio(r))
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "First build: each run builds into a folder that did not exist, as on a fresh checkout (Netlify). Rebuild after")
	fmt.Fprintln(w, "an edit: the text of one prompt changes (promptsite's library.md is rewritten, and the one Hugo content file that")
	fmt.Fprintln(w, "holds the prompt) and each tool builds over its own previous output, as a maintainer does locally. No output is")
	fmt.Fprintln(w, "deleted right before a timed run: on ext4 without a journal, a new file may not take an inode freed in the last")
	fmt.Fprintln(w, "minute or more, and finding a free one means stepping over each of those, so a build that follows a big deletion")
	fmt.Fprintln(w, "is slowed by the deletion and not by its own work. promptsite keeps the site it replaces as a spare and brings it")
	fmt.Fprintln(w, "up to date at the next build, writing and deleting only the files that changed, as Hugo writes over its own. The")
	fmt.Fprintln(w, "disk lines time 2,000 new files before and after the runs: tens of microseconds each is a quiet disk; hundreds")
	fmt.Fprintln(w, "mean that something deleted many files in the minutes before, and the disk figures are slowed with it.")
	fmt.Fprintf(w, "Medians of %d runs, promptsite and Hugo + Pagefind taking turns. Hugo + Pagefind is `hugo`, then\n", o.runs)
	fmt.Fprintln(w, "`pagefind --site`: their times add up, and its peak memory is the larger of the two processes' peak")
	fmt.Fprintln(w, "resident set. CPU time is user + system, which a busy machine disturbs less than the wall clock. Files written")
	fmt.Fprintln(w, "counts the regular files in one first build's output (Pagefind's are those under pagefind/).")
	if !o.noBrowser {
		fmt.Fprintln(w, "A first search is every file a fresh headless Chromium downloads, besides the home page's HTML, to open the")
		fmt.Fprintln(w, "home page and show the results of typing the query into its search box, gzipped (raw where gzip does not")
		fmt.Fprintln(w, "make a file smaller: Pagefind's index files come compressed). It searches a first build's output.")
	}
}

// printPeak prints a situation's peak memory row.
func printPeak(w io.Writer, n, what string, m medians) {
	fmt.Fprintf(w, "| %s | %s, peak memory | %s | %s (%s; %s) | %s |\n", n, what,
		mib(m.ps.peak), mib(m.hp.peak), mib(m.hugo.peak), mib(m.pf.peak), ratio(float64(m.ps.peak), float64(m.hp.peak)))
}

// printTimes prints a situation's wall-clock and CPU-time rows.
func printTimes(w io.Writer, n, what string, m medians) {
	fmt.Fprintf(w, "| %s | %s, wall clock | %s | %s (%s; %s) | %s |\n", n, what,
		secs(m.ps.wall), secs(m.hp.wall), secs(m.hugo.wall), secs(m.pf.wall), ratio(float64(m.ps.wall), float64(m.hp.wall)))
	fmt.Fprintf(w, "| %s | %s, CPU time | %s | %s (%s; %s) | %s |\n", n, what,
		secs(m.ps.cpu), secs(m.hp.cpu), secs(m.hugo.cpu), secs(m.pf.cpu), ratio(float64(m.ps.cpu), float64(m.hp.cpu)))
}

func searchCell(s *firstSearch, note string) string {
	if s == nil {
		if note == "" {
			note = "n/a"
		}
		return note
	}
	all, q := s.total()
	return fmt.Sprintf("%s in %d files (%s on load, %s on typing)", kib(all), len(s.files), kib(all-q), kib(q))
}

func searchRatio(r result) string {
	if r.psSearch == nil || r.hpSearch == nil {
		return "n/a"
	}
	a, _ := r.psSearch.total()
	b, _ := r.hpSearch.total()
	return ratio(float64(a), float64(b))
}

func ratio(a, b float64) string {
	if b == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", a/b)
}

func secs(d time.Duration) string {
	if d < 10*time.Second {
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

func mib(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }

func kib(b int64) string { return fmt.Sprintf("%.1f KiB", float64(b)/1024) }

func (s sample) String() string {
	return fmt.Sprintf("%s wall, %s CPU, %s", secs(s.wall), secs(s.cpu), mib(s.peak))
}

// thousands writes n with a comma between each group of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// loadavg returns the 1-, 5- and 15-minute load averages.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
}
