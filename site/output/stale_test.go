package output

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// childEnv makes the test binary, run again by a test, stage a build of
// its own (see child) instead of running the tests.
const childEnv = "PROMPTSITE_OUTPUT_TEST_CHILD"

func TestMain(m *testing.M) {
	if how := os.Getenv(childEnv); how != "" {
		if err := child(how, os.Getenv(childEnv+"_DIR")); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// child stages a big site over dir, says "staging <folder>" on stdout once
// a part of it is written, and then, as how says, either goes on writing
// files until it is killed ("killed"), or waits for its stdin to close and
// publishes the site ("live").
func child(how, dir string) error {
	s, err := Stage(dir)
	if err != nil {
		return err
	}
	defer s.Discard()
	add := func(i int) {
		s.Add(fmt.Sprintf("c%d/p%d/index.html", i%50, i), []byte(strings.Repeat(fmt.Sprintf("prompt %d ", i), 100)))
	}
	for i := range 500 {
		add(i)
	}
	// Some files have reached the disk once the writers have made the
	// folders; any one of them will do.
	for {
		if _, err := os.Stat(filepath.Join(s.stage, "c0")); err == nil {
			break
		}
		time.Sleep(time.Millisecond)
	}
	fmt.Printf("staging %s\n", s.stage)
	switch how {
	case "killed":
		for i := 500; i < 1_000_000; i++ {
			add(i)
		}
		select {} // the test kills it long before
	case "live":
		io.Copy(io.Discard, os.Stdin)
		s.Add("index.html", []byte("from the live build"))
		return s.Commit(context.Background())
	}
	return fmt.Errorf("child: unknown %s=%q", childEnv, how)
}

// startChild runs child in a new process and returns once it has said
// where it stages, with that folder and the pipe to its stdin.
func startChild(t *testing.T, how, dir string) (*exec.Cmd, string, io.WriteCloser) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), childEnv+"="+how, childEnv+"_DIR="+dir)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	stage, ok := strings.CutPrefix(strings.TrimSpace(line), "staging ")
	if err != nil || !ok {
		t.Fatalf("the %s build said %q (%v); want the folder it stages in", how, line, err)
	}
	return cmd, stage, stdin
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// TestKilledBuildsStagingIsRemoved checks that a build killed while it
// writes leaves its staging folder, which the next build removes, and that
// the next build leaves alone the staging folder of a build still running,
// folders that are only named like ours, and what a link points to.
func TestKilledBuildsStagingIsRemoved(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "public")
	ctx := context.Background()
	if err := Publish(ctx, treeOf(t, map[string]string{"index.html": "first"}), dir); err != nil {
		t.Fatal(err)
	}

	killed, stale, _ := startChild(t, "killed", dir)
	if err := killed.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killed.Wait()
	if !exists(stale) {
		t.Fatalf("the killed build left no staging folder %s; the test needs one", stale)
	}
	if got := read(t, filepath.Join(dir, "index.html")); got != "first" {
		t.Errorf("index.html = %q after a killed build; want first", got)
	}

	// Named like ours, but not marked as ours: one with a file of somebody's,
	// and a link to a staging folder that is marked.
	lookalike := filepath.Join(root, ".public.staging-lookalike")
	if err := os.Mkdir(lookalike, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(lookalike, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	elsewhere := filepath.Join(t.TempDir(), "elsewhere")
	if err := os.Mkdir(elsewhere, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(elsewhere, stagingMarker), []byte(stagingText), 0o644); err != nil {
		t.Fatal(err)
	}
	linked := filepath.Join(root, ".public.staging-link")
	if err := os.Symlink(elsewhere, linked); err != nil {
		t.Fatal(err)
	}

	live, running, stdin := startChild(t, "live", dir)

	if err := Publish(ctx, treeOf(t, map[string]string{"index.html": "second"}), dir); err != nil {
		t.Fatal(err)
	}
	if exists(stale) {
		t.Errorf("the killed build's staging folder %s is still there after the next build", stale)
	}
	if !exists(running) || !exists(filepath.Join(running, "c0")) {
		t.Errorf("the next build removed the staging folder %s of a build still running", running)
	}
	if got := read(t, filepath.Join(lookalike, "notes.txt")); got != "mine" {
		t.Errorf("%s/notes.txt = %q; want mine", lookalike, got)
	}
	if !exists(linked) || !exists(filepath.Join(elsewhere, stagingMarker)) {
		t.Errorf("the next build removed the link %s or what it points to", linked)
	}
	if got := read(t, filepath.Join(dir, "index.html")); got != "second" {
		t.Errorf("index.html = %q; want second", got)
	}

	// The build that was running publishes its site when it is done.
	stdin.Close()
	if err := live.Wait(); err != nil {
		t.Fatalf("the build that ran alongside failed: %v", err)
	}
	if got := read(t, filepath.Join(dir, "index.html")); got != "from the live build" {
		t.Errorf("index.html = %q; want the live build's", got)
	}
	os.RemoveAll(lookalike)
	os.Remove(linked)
	assertNoStaging(t, dir)
}
