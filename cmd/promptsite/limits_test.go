package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// hostile are small files that markdown would make huge or slow: a
// table padded to 2,000 cells a row, a long reference link used 50,000
// times, 200 KB of nested blockquotes, 200 KB of unclosed links. Each
// gives its line and the limit it passed.
var hostile = []struct {
	name, src string
	want      string
}{
	{"table", "# L\n\n## Cat\n\n### P\n\n|" + strings.Repeat("a|", 2000) + "\n|" + strings.Repeat("-|", 2000) + "\n" + strings.Repeat("x\n", 20000),
		"t.md:7: a table of 2000 columns; a table may have at most 200"},
	{"reference link", "# L\n\n## Cat\n\n### P\n\n[x]: https://example.com/" + strings.Repeat("a", 5000) + "\n\n" +
		strings.Repeat(strings.Repeat("[x] ", 1000)+"\n\n", 50) + "```\np\n```\n",
		"t.md:7: this part of the page renders to far more HTML than it has markdown"},
	{"blockquotes", "# L\n\n## Cat\n\n### P\n\n" + strings.Repeat(">", 200000) + "\n", "t.md:7: 200000 blockquotes within each other"},
	{"unclosed links", "# L\n\n## Cat\n\n### P\n\n" + strings.Repeat("[a](", 50000) + "\n", "t.md:7: more than 20000 '[' in one paragraph"},
}

// memory watches the peak memory of a child process. Linux's rusage of a
// finished child is an upper bound only: it counts the memory of the test
// process the child was forked from, which is large when many tests run at
// once. So the peak the kernel keeps for the running child (VmHWM) is also
// read every few milliseconds, which misses at most the last moments.
type memory struct {
	cmd    *exec.Cmd
	done   chan struct{}
	polled chan int64
}

func watchMemory(cmd *exec.Cmd) *memory {
	m := &memory{cmd: cmd, done: make(chan struct{}), polled: make(chan int64, 1)}
	go func() {
		var most int64
		for {
			kb, ok := peakSoFar(cmd.Process.Pid)
			if !ok && most > 0 {
				m.polled <- most // the process has ended
				return
			}
			most = max(most, kb<<10)
			select {
			case <-m.done:
				m.polled <- most
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	return m
}

// peak returns the child's peak memory in bytes, once it has been waited
// for, and how it was measured.
func (m *memory) peak(t *testing.T) (int64, string) {
	close(m.done)
	polled := <-m.polled
	ru, ok := m.cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		t.Skip("no resource usage on", runtime.GOOS)
	}
	if bound := ru.Maxrss << 10; bound <= memoryBound { // kilobytes on Linux
		return bound, "at most, by rusage"
	}
	return polled, "as read while it ran"
}

// peakSoFar is the most memory a running process has held, in kilobytes,
// as Linux's /proc tells it.
func peakSoFar(pid int) (int64, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb, err == nil
		}
	}
	return 0, false
}

const memoryBound = 300 << 20

// TestBuildLimits builds each hostile file: the build fails at the file's
// line, naming the limit, writes nothing, and stays far below the memory
// the file would take without the limits.
func TestBuildLimits(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads the build's peak memory from Linux's rusage")
	}
	for _, tt := range hostile {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			write(t, filepath.Join(dir, "t.md"), tt.src)
			cmd := exeCommand(t, dir, nil, "build", "-no-check", "-o", "out", "t.md")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			mem := watchMemory(cmd)
			err := cmd.Wait()
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
				t.Fatalf("build = %v; want exit status 1; stderr:\n%s", err, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr does not say %q:\n%s", tt.want, stderr.String())
			}
			if _, err := os.Stat(filepath.Join(dir, "out")); !os.IsNotExist(err) {
				t.Errorf("the failed build made its output folder (%v)", err)
			}
			rss, how := mem.peak(t)
			t.Logf("peak memory %d MiB, %s", rss>>20, how)
			if rss > memoryBound {
				t.Errorf("the build took %d MiB; want under %d MiB", rss>>20, memoryBound>>20)
			}
		})
	}
}

// TestServeLimits serves a library, then saves each hostile file in its
// place: serve says the file's line and limit, keeps serving the last good
// site, and stays far below the memory the files would take.
func TestServeLimits(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads the server's peak memory from Linux's rusage")
	}
	t.Parallel()
	dir := t.TempDir()
	md := filepath.Join(dir, "content", "t.md")
	write(t, md, lib)
	srv := startServe(t, dir, "-no-check")
	mem := watchMemory(srv.cmd) // the high-water mark: the first build counts
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("serve's stderr:\n%s", srv.stderr.String())
		}
	})
	for i, tt := range hostile {
		write(t, md, tt.src)
		want := "content/" + tt.want
		waitFor(t, func() bool { return strings.Contains(srv.stderr.String(), want) }, fmt.Sprintf("serve to report %q", want))
		if code, body := get(t, srv.origin+"/review/"); code != 200 || !strings.Contains(body, `id="code-review"`) {
			t.Errorf("after the %s (%d): GET /review/ = %d; want the last good site", tt.name, i, code)
		}
	}
	srv.interrupt(t)
	rss, how := mem.peak(t)
	t.Logf("peak memory %d MiB, %s", rss>>20, how)
	if rss > memoryBound {
		t.Errorf("serve took %d MiB; want under %d MiB", rss>>20, memoryBound>>20)
	}
}
