package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSignalStopsBuild runs the binary on a library of 10,000 prompts and
// interrupts it: SIGINT, SIGTERM and SIGHUP each stop the build, which
// exits 1 and leaves the previous site as it was, with no staging folder;
// and a second signal ends the process at once, whatever it is doing.
func TestSignalStopsBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a library of 10,000 prompts")
	}
	bin := exe(t)
	dir := t.TempDir()
	write(t, filepath.Join(dir, "content", "lib.md"), lib)
	if code, _, stderr := run(t, dir, nil, "build"); code != 0 {
		t.Fatalf("first build = %d: %s", code, stderr)
	}
	before := snapshot(t, filepath.Join(dir, "public"))
	write(t, filepath.Join(dir, "content", "lib.md"), bigLibrary("second"))

	start := func() (*exec.Cmd, *strings.Builder) {
		cmd := exec.Command(bin, "build", "-accept-removed")
		cmd.Dir = dir
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Let the build get going, its signals caught. Until main asks
		// for them, Go's runtime exits on them, and a busy machine may
		// take longer than a sleep to get there: the staging folder,
		// made after, says the build is under way.
		staging(t, dir)
		time.Sleep(100 * time.Millisecond)
		return cmd, &stderr
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		cmd, stderr := start()
		t0 := time.Now()
		cmd.Process.Signal(sig)
		err := cmd.Wait()
		t.Logf("%v: the build ended %s after the signal", sig, time.Since(t0).Round(time.Millisecond))
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(stderr.String(), "context canceled") {
			t.Errorf("%v: build ended with %v, %q; want exit status 1, saying it was stopped", sig, err, stderr)
		}
		if after := snapshot(t, filepath.Join(dir, "public")); after != before {
			t.Errorf("%v: the stopped build changed public/", sig)
		}
		if m, _ := filepath.Glob(filepath.Join(dir, ".public.staging-*")); len(m) > 0 {
			t.Errorf("%v: staging folders left behind: %v", sig, m)
		}
	}
	// A second signal: the process exits at once with 128 plus its number.
	cmd, _ := start()
	cmd.Process.Signal(syscall.SIGINT)
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || (ee.ExitCode() != 130 && ee.ExitCode() != 1) {
		t.Errorf("two SIGINTs: build ended with %v; want 130 (or 1 if the first had stopped it already)", err)
	}
	if after := snapshot(t, filepath.Join(dir, "public")); after != before {
		t.Error("after two SIGINTs, public/ changed")
	}
}

// TestKilledBuilds kills a build of 10,000 prompts with SIGKILL twenty
// times, at points spread over a whole build: the site in public/ is never
// a mix, each time it is the previous build's or the new one's, whole; and
// the next build leaves no staging folder.
func TestKilledBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a library of 10,000 prompts twenty times")
	}
	bin := exe(t)
	dir := t.TempDir()
	write(t, filepath.Join(dir, "content", "lib.md"), bigLibrary("first"))
	t0 := time.Now()
	if code, _, stderr := run(t, dir, nil, "build"); code != 0 {
		t.Fatalf("first build = %d: %s", code, stderr)
	}
	whole := time.Since(t0)
	old := siteState(t, filepath.Join(dir, "public"))
	// The next builds publish another site, if they get that far.
	write(t, filepath.Join(dir, "content", "lib.md"), bigLibrary("second"))
	var published string
	for i := range 20 {
		cmd := exec.Command(bin, "build")
		cmd.Dir = dir
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(whole * time.Duration(i) / 20)
		cmd.Process.Kill()
		cmd.Wait()
		got := siteState(t, filepath.Join(dir, "public"))
		switch {
		case got == old:
		case published == "" || got == published:
			published = got
		default:
			t.Fatalf("kill %d: public/ is neither the first site nor the second:\n%s", i, got)
		}
		if got != old && !strings.Contains(got, "second") {
			t.Fatalf("kill %d: public/ changed, but not into the second site:\n%s", i, got)
		}
	}
	if code, _, stderr := run(t, dir, nil, "build"); code != 0 {
		t.Fatalf("the build after the kills = %d: %s", code, stderr)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".public.staging-*")); len(m) > 0 {
		t.Errorf("staging folders left after the next build: %v", m)
	}
}

// bigLibrary is a library of 10,000 prompts whose text says word.
func bigLibrary(word string) string {
	var b strings.Builder
	b.WriteString("# Big\n")
	for c := range 200 {
		fmt.Fprintf(&b, "\n## Category %d\n", c)
		for p := range 50 {
			fmt.Fprintf(&b, "\n### Prompt %d %d\n\n```\nRetry the request %d with backoff, %s, category %d.\n```\n", c, p, p, word, c)
		}
	}
	return b.String()
}

// siteState sums up a built site: how many files it has, and the text of
// one page of each of its ends, which differ between the two builds.
func siteState(t *testing.T, dir string) string {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	first, _ := os.ReadFile(filepath.Join(dir, "category-0", "index.md"))
	last, _ := os.ReadFile(filepath.Join(dir, "category-199", "index.md"))
	word := func(b []byte) string {
		if strings.Contains(string(b), "second") {
			return "second"
		}
		return "first"
	}
	return fmt.Sprintf("%d files; category-0 %s; category-199 %s", n, word(first), word(last))
}

// TestSignalsThroughoutBuild interrupts builds of 10,000 prompts at ten
// points spread over a whole build, each build changing the site: every
// build either stops, leaving the site it found and no staging folder, or
// finishes, leaving the new one; and the next build leaves no staging
// folder. It logs how long each build took to end after its signal.
func TestSignalsThroughoutBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a library of 10,000 prompts ten times")
	}
	bin := exe(t)
	dir := t.TempDir()
	md := filepath.Join(dir, "content", "lib.md")
	write(t, md, bigLibrary("first"))
	t0 := time.Now()
	if code, _, stderr := run(t, dir, nil, "build"); code != 0 {
		t.Fatalf("first build = %d: %s", code, stderr)
	}
	whole := time.Since(t0)
	words := []string{"first", "second"}
	current := "first"
	var slowest time.Duration
	for i := range 10 {
		next := words[(i+1)%2]
		write(t, md, bigLibrary(next))
		before := siteState(t, filepath.Join(dir, "public"))
		cmd := exec.Command(bin, "build", "-accept-removed")
		cmd.Dir = dir
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(whole * time.Duration(i) / 10)
		sent := time.Now()
		cmd.Process.Signal(os.Interrupt)
		err := cmd.Wait()
		took := time.Since(sent)
		slowest = max(slowest, took)
		after := siteState(t, filepath.Join(dir, "public"))
		var ee *exec.ExitError
		switch {
		case err == nil:
			if !strings.Contains(after, "category-0 "+next) || !strings.Contains(after, "category-199 "+next) {
				t.Errorf("signal %d: the build finished, but public/ is not the new site: %s", i, after)
			}
			current = next
		case errors.As(err, &ee) && (ee.ExitCode() == 1 || ee.ExitCode() == -1):
			// Stopped, or, before it could catch signals, ended by it.
			if after != before {
				t.Errorf("signal %d: the stopped build changed public/ from %s to %s", i, before, after)
			}
			if m, _ := filepath.Glob(filepath.Join(dir, ".public.staging-*")); len(m) > 0 {
				t.Errorf("signal %d: staging folders left behind: %v", i, m)
			}
		default:
			t.Errorf("signal %d: build ended with %v; stderr:\n%s", i, err, stderr.String())
		}
		t.Logf("signal %d, %s into the build: ended after %s (%v), public/ holds the %q site",
			i, (whole * time.Duration(i) / 10).Round(time.Millisecond), took.Round(time.Millisecond), err, current)
	}
	t.Logf("the slowest build ended %s after its signal", slowest.Round(time.Millisecond))
	// A build that published its site and was then asked to stop leaves
	// the rest of the old site, marked, to the next build.
	if code, _, stderr := run(t, dir, nil, "build", "-accept-removed"); code != 0 {
		t.Fatalf("the last build = %d: %s", code, stderr)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".public.staging-*")); len(m) > 0 {
		t.Errorf("staging folders left after the last build: %v", m)
	}
}

// staging waits for a build in dir to make its staging folder.
func staging(t *testing.T, dir string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		if m, _ := filepath.Glob(filepath.Join(dir, ".public.staging-*")); len(m) > 0 {
			return
		}
	}
	t.Fatalf("no build made its staging folder in %s within ten seconds", dir)
}
