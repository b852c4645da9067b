package devserver

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// TestBrowserReloads checks livereload.js in Debian's chromium, under the
// site's Content-Security-Policy: a page reloads after an edit, shows a
// failed build over the page, reloads when it is fixed, and reloads after
// the server restarts. It is skipped without chromium, unless
// PROMPTSITE_E2E=1 asks for the browser tests.
func TestBrowserReloads(t *testing.T) {
	exe, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("PROMPTSITE_E2E") == "1" {
			t.Fatal("PROMPTSITE_E2E=1 but chromium is not installed")
		}
		t.Skip("chromium is not installed; set PROMPTSITE_E2E=1 to make this an error")
	}

	f := newFakeSite(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	serve := func(ln net.Listener) (stop func()) {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- (&Server{Build: f.build, Watch: []string{f.dir}}).Serve(ctx, ln) }()
		return func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Serve = %v", err)
			}
		}
	}
	stop := serve(ln)
	defer func() { stop() }()

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(filepath.Join(t.TempDir(), "profile")))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	ctx, cancel := context.WithTimeout(bctx, 30*time.Second)
	defer cancel()

	// Script errors, and anything the CSP refused, fail the test.
	var mu sync.Mutex
	var problems []string
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+ev.ExceptionDetails.Text+" at "+ev.ExceptionDetails.URL)
		case *log.EventEntryAdded:
			if strings.Contains(ev.Entry.Text, "Content Security Policy") {
				problems = append(problems, "log: "+ev.Entry.Text)
			}
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				problems = append(problems, "console.error")
			}
		}
	}); err != nil {
		t.Fatal(err)
	}

	text := func(js string) string {
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			return "" // the page is reloading
		}
		return s
	}
	waitFor := func(what, js, want string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for got := text(js); !strings.Contains(got, want); got = text(js) {
			if time.Now().After(deadline) {
				t.Fatalf("after 10s, %s: %q does not contain %q", what, got, want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	const body = `document.body.textContent`
	const overlay = `(document.querySelector('[role=alert]') || {textContent: 'none'}).textContent`

	if err := chromedp.Do(ctx, chromedp.Navigate("http://"+addr+"/")); err != nil {
		t.Fatal(err)
	}
	waitFor("the first page", body, "first version")

	f.save(t, "page.txt", "second version")
	waitFor("after an edit", body, "second version")

	f.write(t, "page.txt", "BROKEN now")
	waitFor("after a broken build", overlay, "the page is broken; remove BROKEN")
	if got := text(body); !strings.Contains(got, "second version") {
		t.Errorf("a failed build changed the page: %q", got)
	}

	f.write(t, "page.txt", "third version")
	waitFor("after the fix", body, "third version")
	waitFor("after the fix", overlay, "none")

	// Restart: the page reconnects to the new server, which names another
	// build, and reloads.
	stop()
	f.write(t, "page.txt", "after a restart")
	deadline := time.Now().Add(5 * time.Second)
	for {
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("listen on %s again: %v", addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	stop = serve(ln)
	waitFor("after a restart", body, "after a restart")

	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("in the browser: %s", p)
	}
}
