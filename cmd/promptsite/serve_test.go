package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a buffer that a command writes to while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServe runs "promptsite serve" on a free loopback port, fetches pages
// from it, edits the content and sees the edit served, then stops it.
func TestServe(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "content", "lib.md"), lib)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	e := &env{ctx: ctx, stdout: &stdout, stderr: &stderr, dir: dir, getenv: func(string) string { return "" }}
	done := make(chan int)
	go func() { done <- e.run([]string{"serve", "-addr", "127.0.0.1:0"}) }()

	addr := regexp.MustCompile(`serving (http://127\.0\.0\.1:\d+)/`)
	var base string
	waitFor(t, func() bool {
		if m := addr.FindStringSubmatch(stderr.String()); m != nil {
			base = m[1]
			return true
		}
		return false
	}, "the server to start; stderr: "+stderr.String())

	if code, body := get(t, base+"/review/"); code != 200 || !strings.Contains(body, `id="code-review"`) {
		t.Errorf("GET /review/ = %d; want 200 with the prompt", code)
	}
	if code, body := get(t, base+"/no/such/page/"); code != 404 || !strings.Contains(body, "Page not found") {
		t.Errorf("GET /no/such/page/ = %d; want 404 with the site's 404 page", code)
	}

	write(t, filepath.Join(dir, "content", "lib.md"), strings.Replace(lib, "### Code review", "### Careful review", 1))
	waitFor(t, func() bool {
		_, body := get(t, base+"/review/")
		return strings.Contains(body, `id="careful-review"`)
	}, "the edit to be served")

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve = %d after it was stopped; want 0; stderr: %s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// serveProcess is the binary's "promptsite serve" run by a test as a
// process of its own, on a free loopback port.
type serveProcess struct {
	cmd            *exec.Cmd
	stdout, stderr syncBuffer
	done           chan error // the process's end
	stopped        bool       // it has ended, and done has been read
	origin         string     // where it serves, such as http://127.0.0.1:43151
}

// startServe runs "promptsite serve" in dir with args and waits until it
// says where it serves. The process is killed when the test ends, unless
// it has stopped.
func startServe(t *testing.T, dir string, args ...string) *serveProcess {
	t.Helper()
	s := &serveProcess{done: make(chan error, 1)}
	s.cmd = exeCommand(t, dir, nil, append([]string{"serve", "-addr", "127.0.0.1:0"}, args...)...)
	s.cmd.Stdout, s.cmd.Stderr = &s.stdout, &s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	t.Cleanup(func() {
		if !s.stopped {
			s.cmd.Process.Kill()
			<-s.done
		}
	})
	addr := regexp.MustCompile(`serving (http://127\.0\.0\.1:\d+)/`)
	waitFor(t, func() bool {
		select {
		case err := <-s.done:
			s.stopped = true
			t.Fatalf("serve ended (%v) before it served; stderr:\n%s", err, s.stderr.String())
		default:
		}
		if m := addr.FindStringSubmatch(s.stderr.String()); m != nil {
			s.origin = m[1]
			return true
		}
		return false
	}, "the server to start")
	return s
}

// interrupt stops the server as Ctrl-C does, and checks that it exits 0
// within 15 seconds.
func (s *serveProcess) interrupt(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-s.done:
		s.stopped = true
		if err != nil {
			t.Errorf("serve ended with %v after an interrupt; want exit 0; stderr:\n%s", err, s.stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop on an interrupt")
	}
}

func waitFor(t *testing.T, ok func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
