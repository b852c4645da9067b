package main

import (
	"errors"
	"fmt"
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
	var big strings.Builder
	big.WriteString("# Big\n")
	for c := range 200 {
		fmt.Fprintf(&big, "\n## Category %d\n", c)
		for p := range 50 {
			fmt.Fprintf(&big, "\n### Prompt %d %d\n\n```\nRetry the request %d with backoff and jitter, category %d.\n```\n", c, p, p, c)
		}
	}
	write(t, filepath.Join(dir, "content", "lib.md"), big.String())

	start := func() (*exec.Cmd, *strings.Builder) {
		cmd := exec.Command(bin, "build", "-accept-removed")
		cmd.Dir = dir
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Let the build get going: it reads the library first.
		time.Sleep(300 * time.Millisecond)
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
