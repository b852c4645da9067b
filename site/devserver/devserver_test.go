package devserver

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/promptsite/promptsite/site"
	"github.com/promptsite/promptsite/site/output"
)

// fakeSite is a small site made from the files of a folder, so that tests
// can change it by writing files:
//
//	page.txt          the home page's body; "BROKEN" in it fails the build,
//	                  and "WARN" makes it succeed with a warning
//	docs/page.txt     the body of /docs/
//	any other *.txt   one line each in /list.txt, so new files show
type fakeSite struct {
	dir    string
	builds atomic.Int32
}

func newFakeSite(t *testing.T) *fakeSite {
	t.Helper()
	f := &fakeSite{dir: t.TempDir()}
	f.write(t, "page.txt", "first version")
	f.write(t, "docs/page.txt", "the docs")
	return f
}

func (f *fakeSite) write(t *testing.T, name, data string) {
	t.Helper()
	p := filepath.Join(f.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// save writes name the way many editors do: a new file renamed over it.
func (f *fakeSite) save(t *testing.T, name, data string) {
	t.Helper()
	p := filepath.Join(f.dir, filepath.FromSlash(name))
	tmp := filepath.Join(filepath.Dir(p), "."+filepath.Base(p)+".tmp")
	if err := os.WriteFile(tmp, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, p); err != nil {
		t.Fatal(err)
	}
}

func page(title, body string) []byte {
	return []byte("<!doctype html>\n<html><head><title>" + title + "</title></head>\n<body>" + body + "</body></html>\n")
}

func (f *fakeSite) build() (_ *output.Tree, err error) {
	f.builds.Add(1)
	home, err := os.ReadFile(filepath.Join(f.dir, "page.txt"))
	if err != nil {
		return nil, err
	}
	if i := bytes.Index(home, []byte("BROKEN")); i >= 0 {
		return nil, fmt.Errorf("page.txt:1:%d: the page is broken; remove BROKEN", i+1)
	}
	docs, err := os.ReadFile(filepath.Join(f.dir, "docs", "page.txt"))
	if err != nil {
		return nil, err
	}
	var list []string
	err = filepath.WalkDir(f.dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".txt") {
			rel, _ := filepath.Rel(f.dir, p)
			list = append(list, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	t := output.NewTree()
	var warn error
	if i := bytes.Index(home, []byte("WARN")); i >= 0 {
		warn = Warnings{fmt.Sprintf("page.txt:1:%d: a warning; remove WARN", i+1)}
	}
	defer func() {
		if err == nil {
			err = warn
		}
	}()
	for name, data := range map[string][]byte{
		"index.html":      page("Home", string(home)),
		"docs/index.html": page("Docs", string(docs)),
		"404.html":        page("Not found", "no such page"),
		"list.txt":        []byte(strings.Join(list, "\n")),
		"assets/site.css": []byte("body { color: black }\n"),
		"assets/site.js":  []byte("console.log('hi')\n"),
		"search/a.json":   []byte("{}\n"),
		"sitemap.xml":     []byte("<urlset></urlset>\n"),
	} {
		if err := t.Add(name, data); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// syncBuffer is a Log that tests can read while the server writes it.
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

// running is a server under test, listening on a loopback port.
type running struct {
	addr string // host:port
	base string // http://host:port
}

// start runs s on a free loopback port until the test ends, and then
// checks that Serve returns nil promptly.
func start(t *testing.T, s *Server) *running {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Serve returned %v; want nil", err)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("Serve did not return within 5s of its context ending")
		}
	})
	addr := ln.Addr().String()
	return &running{addr: addr, base: "http://" + addr}
}

func startFake(t *testing.T) (*fakeSite, *running, *syncBuffer) {
	t.Helper()
	f := newFakeSite(t)
	log := &syncBuffer{}
	r := start(t, &Server{Build: f.build, Watch: []string{f.dir}, Log: log})
	return f, r, log
}

// noRedirect is a client that shows redirects instead of following them.
var noRedirect = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Timeout:       5 * time.Second,
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := noRedirect.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// raw sends target exactly as written, with no client in between to clean
// or encode it, and returns the response.
func raw(t *testing.T, addr, method, target, host string) (*http.Response, string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", method, target, host)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func checkHeaders(t *testing.T, what string, h http.Header) {
	t.Helper()
	for k, v := range site.Headers {
		if got := h.Get(k); got != v {
			t.Errorf("%s: header %s = %q; want %q", what, k, got, v)
		}
	}
}

var buildAttr = regexp.MustCompile(`<head>\n?<script src="/_promptsite/livereload.js" data-build="([^"]+)" defer></script>`)

// buildOf returns the build named by a page's live-reload script, or fails
// the test if the page has no such script just after <head>.
func buildOf(t *testing.T, body string) string {
	t.Helper()
	m := buildAttr.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("page has no live-reload script just after <head>:\n%s", body)
	}
	return m[1]
}

func TestServePaths(t *testing.T) {
	_, r, _ := startFake(t)
	tests := []struct {
		path     string
		code     int
		ctype    string
		contains string
		location string
		script   bool
	}{
		{path: "/", code: 200, ctype: "text/html; charset=utf-8", contains: "first version", script: true},
		{path: "/index.html", code: 200, ctype: "text/html; charset=utf-8", contains: "first version", script: true},
		{path: "/?q=x", code: 200, ctype: "text/html; charset=utf-8", contains: "first version", script: true},
		{path: "/docs/", code: 200, ctype: "text/html; charset=utf-8", contains: "the docs", script: true},
		{path: "/docs", code: 301, location: "/docs/"},
		{path: "/docs?x=1", code: 301, location: "/docs/?x=1"},
		{path: "/assets/site.css", code: 200, ctype: "text/css; charset=utf-8", contains: "color: black"},
		{path: "/assets/site.js", code: 200, ctype: "text/javascript; charset=utf-8", contains: "console.log"},
		{path: "/search/a.json", code: 200, ctype: "application/json", contains: "{}"},
		{path: "/sitemap.xml", code: 200, ctype: "application/xml; charset=utf-8", contains: "<urlset>"},
		{path: "/list.txt", code: 200, ctype: "text/plain; charset=utf-8", contains: "page.txt"},
		{path: "/_promptsite/livereload.js", code: 200, ctype: "text/javascript; charset=utf-8", contains: "EventSource"},
		{path: "/nope", code: 404, ctype: "text/html; charset=utf-8", contains: "no such page", script: true},
		{path: "/nope/", code: 404, ctype: "text/html; charset=utf-8", contains: "no such page", script: true},
		{path: "/docs/nope.html", code: 404, ctype: "text/html; charset=utf-8", contains: "no such page", script: true},
		{path: "/assets", code: 404, contains: "no such page", script: true},
		{path: "/_promptsite/", code: 404, contains: "no such page", script: true},
	}
	for _, tt := range tests {
		resp, body := get(t, r.base+tt.path)
		if resp.StatusCode != tt.code {
			t.Errorf("GET %s: status %d; want %d", tt.path, resp.StatusCode, tt.code)
		}
		checkHeaders(t, "GET "+tt.path, resp.Header)
		if tt.ctype != "" && resp.Header.Get("Content-Type") != tt.ctype {
			t.Errorf("GET %s: Content-Type %q; want %q", tt.path, resp.Header.Get("Content-Type"), tt.ctype)
		}
		if !strings.Contains(body, tt.contains) {
			t.Errorf("GET %s: body %q does not contain %q", tt.path, body, tt.contains)
		}
		if got := resp.Header.Get("Location"); got != tt.location {
			t.Errorf("GET %s: Location %q; want %q", tt.path, got, tt.location)
		}
		if got := strings.Contains(body, "livereload.js"); got != tt.script && tt.path != "/_promptsite/livereload.js" {
			t.Errorf("GET %s: has live-reload script: %v; want %v", tt.path, got, tt.script)
		}
		if tt.script {
			buildOf(t, body)
			if strings.Count(body, "<script") != 1 {
				t.Errorf("GET %s: want exactly one script tag:\n%s", tt.path, body)
			}
		}
	}
}

func TestServeUnderBasePath(t *testing.T) {
	f := newFakeSite(t)
	r := start(t, &Server{Build: f.build, Watch: []string{f.dir}, Base: "/repo/"})
	tests := []struct {
		path     string
		code     int
		contains string
		location string
	}{
		{path: "/repo/", code: 200, contains: "first version"},
		{path: "/repo/docs/", code: 200, contains: "the docs"},
		{path: "/repo/docs", code: 301, location: "/repo/docs/"},
		{path: "/repo/assets/site.css", code: 200, contains: "color: black"},
		{path: "/", code: 302, location: "/repo/"},
		{path: "/?q=retry", code: 302, location: "/repo/?q=retry"},
		{path: "/repo", code: 302, location: "/repo/"},
		{path: "/docs/", code: 404, contains: "no such page"},
		{path: "/assets/site.css", code: 404, contains: "no such page"},
		{path: "/repository/", code: 404, contains: "no such page"},
		{path: "/repo/nope/", code: 404, contains: "no such page"},
		{path: "/_promptsite/livereload.js", code: 200, contains: "EventSource"},
	}
	for _, tt := range tests {
		resp, body := get(t, r.base+tt.path)
		if resp.StatusCode != tt.code {
			t.Errorf("GET %s: status %d; want %d", tt.path, resp.StatusCode, tt.code)
		}
		if !strings.Contains(body, tt.contains) {
			t.Errorf("GET %s: body %q does not contain %q", tt.path, body, tt.contains)
		}
		if got := resp.Header.Get("Location"); got != tt.location {
			t.Errorf("GET %s: Location %q; want %q", tt.path, got, tt.location)
		}
	}
}

func TestServeHeadAndMethods(t *testing.T) {
	_, r, _ := startFake(t)

	resp, body := raw(t, r.addr, "HEAD", "/", "127.0.0.1")
	_, full := get(t, r.base+"/")
	if resp.StatusCode != 200 || body != "" || resp.ContentLength != int64(len(full)) {
		t.Errorf("HEAD /: status %d, %d body bytes, Content-Length %d; want 200, 0, %d",
			resp.StatusCode, len(body), resp.ContentLength, len(full))
	}
	checkHeaders(t, "HEAD /", resp.Header)

	for _, m := range []string{"POST", "PUT", "DELETE", "OPTIONS"} {
		resp, _ := raw(t, r.addr, m, "/", "127.0.0.1")
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s /: status %d, Allow %q; want 405, %q", m, resp.StatusCode, resp.Header.Get("Allow"), "GET, HEAD")
		}
		checkHeaders(t, m+" /", resp.Header)
	}
}

func TestServeInjectsWithoutChangingTheTree(t *testing.T) {
	tree := output.NewTree()
	html := []byte("<!doctype html><HTML><HEAD lang=en><title>x</title></HEAD><body>hi</body></HTML>")
	header := []byte("<html><head><header>no head start tag</header></head><p>hi</p></html>")
	bare := []byte("<p>no head at all</p>")
	tree.Add("index.html", html)
	tree.Add("header.html", header)
	tree.Add("bare.html", bare)
	r := start(t, &Server{Build: func() (*output.Tree, error) { return tree, nil }})

	_, body := get(t, r.base+"/")
	if !regexp.MustCompile(`^<!doctype html><HTML><HEAD lang=en><script src="/_promptsite/livereload.js" data-build="[^"]+" defer></script><title>x</title></HEAD>`).MatchString(body) {
		t.Errorf("GET /: script not just after <HEAD>:\n%s", body)
	}
	_, body = get(t, r.base+"/header.html")
	if !regexp.MustCompile(`^<html><head><script src="/_promptsite/livereload.js" data-build="[^"]+" defer></script><header>`).MatchString(body) {
		t.Errorf("GET /header.html: script not just after <head>:\n%s", body)
	}
	_, body = get(t, r.base+"/bare.html")
	if !strings.HasPrefix(body, string(bare)+`<script src="/_promptsite/livereload.js"`) {
		t.Errorf("GET /bare.html: script not at the end of a page with no head:\n%s", body)
	}
	for _, name := range tree.Names() {
		b, _ := tree.Get(name)
		if bytes.Contains(b, []byte("livereload")) {
			t.Errorf("serving changed the tree's %s:\n%s", name, b)
		}
	}
}

func TestServeNeverLeavesTheSite(t *testing.T) {
	// A secret beside the served folder, and links to it from inside.
	outside := t.TempDir()
	secret := "TOP-SECRET-" + t.Name()
	if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte(secret), 0o644); err != nil {
		t.Fatal(err)
	}
	f := newFakeSite(t)
	for name, target := range map[string]string{
		"secret.txt":    filepath.Join(outside, "secret.txt"),
		"outside":       outside,
		"docs/loop":     f.dir, // a loop the watcher must not follow
		"assets/passwd": "/etc/passwd",
	} {
		p := filepath.Join(f.dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	r := start(t, &Server{Build: f.build, Watch: []string{f.dir}})

	targets := []string{
		"/../etc/passwd",
		"/../../../../../../etc/passwd",
		"/%2e%2e/%2e%2e/etc/passwd",
		"/%2E%2E/%2E%2E/etc/passwd",
		"/..%2f..%2fetc/passwd",
		"/assets/..%5c..%5c/etc/passwd",
		"/assets/..%5c..%5cetc%5cpasswd",
		"/assets/..\\..\\etc\\passwd",
		"/assets/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
		"/.%2e/.%2e/etc/passwd",
		"/./index.html",
		"//etc/passwd",
		"/%2fetc%2fpasswd",
		"/index.html%00.css",
		"/%00",
		"/docs/%2e%2e/%2e%2e/" + filepath.Base(outside) + "/secret.txt",
		"/secret.txt",
		"/outside/secret.txt",
		"/docs/loop/docs/loop/page.txt",
		"/assets/passwd",
		"/etc/passwd",
		"/page.txt",
	}
	for _, target := range targets {
		resp, body := raw(t, r.addr, "GET", target, "127.0.0.1")
		if resp.StatusCode != 400 && resp.StatusCode != 404 {
			t.Errorf("GET %s: status %d; want 400 or 404", target, resp.StatusCode)
		}
		if strings.Contains(body, "root:") || strings.Contains(body, secret) || strings.Contains(body, "first version") {
			t.Errorf("GET %s: served a file it must not:\n%s", target, body)
		}
		if resp.StatusCode == 404 && !strings.Contains(body, "no such page") {
			t.Errorf("GET %s: 404 without the site's 404 page:\n%s", target, body)
		}
		checkHeaders(t, "GET "+target, resp.Header)
	}
}

func TestServeRefusesForeignHosts(t *testing.T) {
	_, r, _ := startFake(t)
	_, port, _ := net.SplitHostPort(r.addr)
	for host, want := range map[string]int{
		"127.0.0.1:" + port:     200,
		"localhost:" + port:     200,
		"LocalHost":             200,
		"app.localhost:" + port: 200,
		"[::1]:" + port:         200,
		"127.0.0.2":             200,
		"evil.example:" + port:  403,
		"evil.example":          403,
		"localhost.evil.com":    403,
		"192.168.1.10":          403,
		"":                      403,
	} {
		resp, body := raw(t, r.addr, "GET", "/", host)
		if resp.StatusCode != want {
			t.Errorf("GET / with Host %q: status %d; want %d", host, resp.StatusCode, want)
		}
		if want == 403 && strings.Contains(body, "first version") {
			t.Errorf("GET / with Host %q served the site", host)
		}
	}
}

// events reads the server-sent events of the running server.
type events struct {
	ch     chan event
	cancel context.CancelFunc
}

func subscribe(t *testing.T, r *running) *events {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", r.base+eventsPath, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("GET %s: status %d, Content-Type %q", eventsPath, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	checkHeaders(t, "GET "+eventsPath, resp.Header)
	e := &events{ch: make(chan event, 16), cancel: cancel}
	go func() {
		defer resp.Body.Close()
		defer close(e.ch)
		sc := bufio.NewScanner(resp.Body)
		var cur event
		var data []string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if cur.name != "" {
					cur.data = strings.Join(data, "\n")
					e.ch <- cur
				}
				cur, data = event{}, nil
			case strings.HasPrefix(line, "event: "):
				cur.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				data = append(data, strings.TrimPrefix(line, "data: "))
			}
		}
	}()
	return e
}

// next returns the next event, failing the test if none comes in time.
func (e *events) next(t *testing.T) event {
	t.Helper()
	return e.within(t, 5*time.Second)
}

// within waits d for the next event: longer than next, for the builds of a
// large library on a busy machine.
func (e *events) within(t *testing.T, d time.Duration) event {
	t.Helper()
	select {
	case ev, ok := <-e.ch:
		if !ok {
			t.Fatal("the event stream ended")
		}
		return ev
	case <-time.After(d):
		t.Fatalf("no event within %s", d)
	}
	return event{}
}

// eventually polls cond until it holds, failing the test after 5s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after 5s: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestLiveReload(t *testing.T) {
	f, r, log := startFake(t)
	_, body := get(t, r.base+"/")
	first := buildOf(t, body)

	ev := subscribe(t, r)
	if got := ev.next(t); got != (event{"reload", first}) {
		t.Fatalf("first event %+v; want the current build %q", got, first)
	}

	// An edit: the page reloads, and gets the new content.
	f.save(t, "page.txt", "second version")
	got := ev.next(t)
	if got.name != "reload" || got.data == first {
		t.Fatalf("after an edit: event %+v; want a reload to a new build", got)
	}
	_, body = get(t, r.base+"/")
	if !strings.Contains(body, "second version") || buildOf(t, body) != got.data {
		t.Errorf("after the reload event, GET / =\n%s\nwant the second version from build %q", body, got.data)
	}
	if !strings.Contains(log.String(), "rebuilt in ") {
		t.Errorf("log %q does not say it rebuilt", log.String())
	}

	// A broken build: the last good site stays, and the error is told.
	f.write(t, "page.txt", "now BROKEN")
	failed := ev.next(t)
	if failed.name != "failed" || !strings.Contains(failed.data, "page.txt:1:5: the page is broken") {
		t.Fatalf("after breaking the build: event %+v; want the build's error", failed)
	}
	eventually(t, "the log names the failure", func() bool {
		return strings.Contains(log.String(), "page.txt:1:5: the page is broken")
	})
	resp, body := get(t, r.base+"/")
	if resp.StatusCode != 200 || !strings.Contains(body, "second version") {
		t.Errorf("while broken, GET / = %d\n%s\nwant the last good site", resp.StatusCode, body)
	}

	// A page opened now is told at once that the site is broken.
	late := subscribe(t, r)
	if e := late.next(t); e.name != "reload" || e.data != got.data {
		t.Errorf("new page, first event %+v; want the last good build %q", e, got.data)
	}
	if e := late.next(t); e.name != "failed" {
		t.Errorf("new page, second event %+v; want the failure", e)
	}

	// Fixed: a reload to a third build.
	f.write(t, "page.txt", "third version")
	if e := ev.next(t); e.name != "reload" || e.data == got.data {
		t.Errorf("after the fix: event %+v; want a reload to a new build", e)
	}
	_, body = get(t, r.base+"/")
	if !strings.Contains(body, "third version") {
		t.Errorf("after the fix, GET / =\n%s\nwant the third version", body)
	}
}

func TestDebounceMakesOneRebuildOfASave(t *testing.T) {
	f := newFakeSite(t)
	r := start(t, &Server{Build: f.build, Watch: []string{f.dir}, Debounce: 50 * time.Millisecond})
	ev := subscribe(t, r)
	ev.next(t)
	before := f.builds.Load()

	// An editor's save: a scratch file, a write, a rename, a chmod.
	f.write(t, "page.txt", "")
	f.write(t, ".page.txt.swp", "scratch")
	f.save(t, "page.txt", "saved")
	os.Chmod(filepath.Join(f.dir, "page.txt"), 0o600)
	if e := ev.next(t); e.name != "reload" {
		t.Fatalf("after a save: event %+v; want a reload", e)
	}
	if _, body := get(t, r.base+"/"); !strings.Contains(body, "saved") {
		t.Errorf("after a save, GET / =\n%s\nwant the saved text", body)
	}
	// Give a second, wrong reload the time it would need to show. (A
	// rebuild may start before the save ends, if its steps are more
	// than 10ms apart on a busy machine; it is then dropped unshown.)
	select {
	case e := <-ev.ch:
		t.Errorf("one save made a second event, %+v; want one reload", e)
	case <-time.After(150 * time.Millisecond):
	}
	before = f.builds.Load()

	// Scratch files alone rebuild nothing.
	f.write(t, ".#page.txt", "emacs lock")
	f.write(t, "page.txt~", "backup")
	f.write(t, "4913", "vim probe")
	time.Sleep(150 * time.Millisecond)
	if n := f.builds.Load() - before; n != 0 {
		t.Errorf("scratch files made %d builds; want none", n)
	}
}

// TestHalfMadeFileIsNeverShown empties a file, then writes its new text
// 250ms later, as a script may. The rebuild of the empty file starts, but
// is dropped unshown; the whole file's is shown once the changes have
// paused for the debounce, though its build started long before.
func TestHalfMadeFileIsNeverShown(t *testing.T) {
	const debounce = 600 * time.Millisecond
	for _, early := range []bool{false, true} {
		t.Run(fmt.Sprintf("early=%v", early), func(t *testing.T) {
			f := newFakeSite(t)
			var mu sync.Mutex
			var starts []time.Time
			var stopped []bool // after ready, whether the build was told to stop
			build := func() (*output.Tree, error) {
				mu.Lock()
				starts = append(starts, time.Now())
				mu.Unlock()
				return f.build()
			}
			srv := &Server{Watch: []string{f.dir}, Debounce: debounce, Build: build}
			if early {
				srv.Build = nil
				srv.BuildEarly = func(ctx context.Context, ready func(*output.Tree)) (*output.Tree, error) {
					tree, err := build()
					if err == nil && ready != nil {
						ready(tree)
						mu.Lock()
						stopped = append(stopped, ctx.Err() != nil)
						mu.Unlock()
					}
					return tree, err
				}
			}
			r := start(t, srv)
			ev := subscribe(t, r)
			ev.next(t)

			f.write(t, "page.txt", "")
			time.Sleep(250 * time.Millisecond)
			// The time is taken before the write: a write is several
			// calls, and the watcher may see the last of them before
			// the write returns.
			written := time.Now()
			f.write(t, "page.txt", "whole at last")
			if e := ev.next(t); e.name != "reload" {
				t.Fatalf("event %+v; want a reload", e)
			}
			if d := time.Since(written); d < debounce {
				t.Errorf("the edit was shown %s after its last change; want no sooner than the debounce, %s", d, debounce)
			}
			if _, body := get(t, r.base+"/"); !strings.Contains(body, "whole at last") {
				t.Errorf("GET / =\n%s\nwant the whole file", body)
			}
			select {
			case e := <-ev.ch:
				t.Errorf("a second event, %+v: the empty file's rebuild was shown", e)
			case <-time.After(2 * debounce):
			}

			mu.Lock()
			defer mu.Unlock()
			rebuilds := starts[1:]
			if len(rebuilds) != 2 {
				t.Fatalf("%d rebuilds; want 2: the empty file's, started once the changes paused, and the whole file's", len(rebuilds))
			}
			if d := rebuilds[0].Sub(written); d > 0 {
				t.Errorf("the empty file's rebuild started %s after the whole file was written; want it to start once the changes paused", d)
			}
			if d := rebuilds[1].Sub(written); d > debounce/2 {
				t.Errorf("the whole file's rebuild started %s after its change; want it to start once the changes paused, before the debounce ends", d)
			}
			// The empty file's build is told to stop once its pages are
			// found unwanted; the whole file's goes on.
			if early && !slices.Equal(stopped, []bool{true, false}) {
				t.Errorf("after ready, the builds were told to stop: %v; want [true false]", stopped)
			}
		})
	}
}

func TestWatchesNewFolders(t *testing.T) {
	f, r, _ := startFake(t)
	ev := subscribe(t, r)
	ev.next(t)

	// A new folder, then a file in a folder made in it after.
	if err := os.MkdirAll(filepath.Join(f.dir, "new", "deeper"), 0o755); err != nil {
		t.Fatal(err)
	}
	ev.next(t)
	f.write(t, "new/deeper/more/a.txt", "a")
	eventually(t, "the new file is in /list.txt", func() bool {
		_, body := get(t, r.base+"/list.txt")
		return strings.Contains(body, "new/deeper/more/a.txt")
	})
	// And a later file in that folder is seen too.
	f.write(t, "new/deeper/more/b.txt", "b")
	eventually(t, "a file in the folder made while watching is in /list.txt", func() bool {
		_, body := get(t, r.base+"/list.txt")
		return strings.Contains(body, "new/deeper/more/b.txt")
	})
}

func TestWatchesSingleFiles(t *testing.T) {
	f := newFakeSite(t)
	r := start(t, &Server{
		Build: f.build,
		Watch: []string{filepath.Join(f.dir, "page.txt"), filepath.Join(f.dir, "missing")},
	})
	ev := subscribe(t, r)
	ev.next(t)
	before := f.builds.Load()

	// A sibling of the watched file changes nothing.
	f.write(t, "other.txt", "x")
	f.write(t, "docs/page.txt", "x")
	// The watched file, saved by rename, rebuilds.
	f.save(t, "page.txt", "edited")
	if e := ev.next(t); e.name != "reload" {
		t.Fatalf("event %+v; want a reload", e)
	}
	if n := f.builds.Load() - before; n != 1 {
		t.Errorf("%d builds; want 1", n)
	}
	// The watch survives the rename.
	f.save(t, "page.txt", "edited again")
	if e := ev.next(t); e.name != "reload" {
		t.Fatalf("event %+v; want a reload", e)
	}
	_, body := get(t, r.base+"/")
	if !strings.Contains(body, "edited again") {
		t.Errorf("GET / =\n%s\nwant the second edit", body)
	}
}

func TestFirstBuildFailureIsReturned(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	want := errors.New("content/a.md:3: broken")
	s := &Server{Build: func() (*output.Tree, error) { return nil, want }}
	if err := s.Serve(context.Background(), ln); !errors.Is(err, want) {
		t.Errorf("Serve = %v; want %v", err, want)
	}
	if _, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		t.Errorf("the listener is still open after a failed start")
	}
}

func TestBuildPanicKeepsServing(t *testing.T) {
	f := newFakeSite(t)
	var panicking atomic.Bool
	log := &syncBuffer{}
	r := start(t, &Server{
		Build: func() (*output.Tree, error) {
			if panicking.Load() {
				panic("bug in the build")
			}
			return f.build()
		},
		Watch: []string{f.dir},
		Log:   log,
	})
	get(t, r.base+"/") // served, so the first build is done
	panicking.Store(true)
	f.write(t, "page.txt", "changed")
	eventually(t, "the log tells of the panic", func() bool {
		return strings.Contains(log.String(), "rebuild failed: build panicked: bug in the build")
	})
	if _, body := get(t, r.base+"/"); !strings.Contains(body, "first version") {
		t.Errorf("after a panic, GET / =\n%s\nwant the first version", body)
	}
}

func TestShutdownEndsEventStreams(t *testing.T) {
	f := newFakeSite(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- (&Server{Build: f.build, Watch: []string{f.dir}}).Serve(ctx, ln) }()
	r := &running{addr: ln.Addr().String(), base: "http://" + ln.Addr().String()}
	ev := subscribe(t, r)
	ev.next(t)

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve = %v; want nil", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Serve did not return within 3s with a page open")
	}
	select {
	case _, ok := <-ev.ch:
		if ok {
			t.Error("an event after shutdown")
		}
	case <-time.After(3 * time.Second):
		t.Error("the event stream did not end with the server")
	}
	if _, err := net.Dial("tcp", r.addr); err == nil {
		t.Error("still listening after shutdown")
	}
}

func TestRestartedServerNamesAnotherBuild(t *testing.T) {
	f := newFakeSite(t)
	var builds []string
	for range 2 {
		ctx, cancel := context.WithCancel(context.Background())
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- (&Server{Build: f.build}).Serve(ctx, ln) }()
		_, body := get(t, "http://"+ln.Addr().String()+"/")
		builds = append(builds, buildOf(t, body))
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if builds[0] == builds[1] {
		t.Errorf("two runs serve the same build %q; an open page would not reload after a restart", builds[0])
	}
}

func TestListenAndServeDefaultsToLoopback(t *testing.T) {
	for _, addr := range []string{":0", "127.0.0.1:0"} {
		log := &syncBuffer{}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		s := &Server{Build: newFakeSite(t).build, Log: log}
		go func() { done <- s.ListenAndServe(ctx, addr) }()
		var url string
		eventually(t, "the log says where it serves", func() bool {
			m := regexp.MustCompile(`serving (http://\S+)/`).FindStringSubmatch(log.String())
			if m != nil {
				url = m[1]
			}
			return m != nil
		})
		if !strings.HasPrefix(url, "http://127.0.0.1:") {
			t.Errorf("ListenAndServe(%q) serves %s; want 127.0.0.1", addr, url)
		}
		if resp, _ := get(t, url+"/"); resp.StatusCode != 200 {
			t.Errorf("GET %s/: status %d", url, resp.StatusCode)
		}
		cancel()
		if err := <-done; err != nil {
			t.Errorf("ListenAndServe(%q) = %v", addr, err)
		}
	}
}

func TestHubDropsSlowClients(t *testing.T) {
	h := newHub()
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { h.run(ctx); close(stopped) }()

	slow, fast := h.join(), h.join()
	var got []event
	for i := range clientBuffer + 1 {
		h.send(ctx, event{name: "reload", data: fmt.Sprint(i)})
		got = append(got, <-fast.send)
	}
	if len(got) != clientBuffer+1 {
		t.Errorf("the fast client got %d events; want %d", len(got), clientBuffer+1)
	}
	n := 0
	for range slow.send { // ends only if the hub closed it
		n++
	}
	if n != clientBuffer {
		t.Errorf("the slow client got %d events before being dropped; want %d", n, clientBuffer)
	}

	cancel()
	<-stopped
	if _, open := <-fast.send; open {
		t.Error("the hub stopped without closing a client's channel")
	}
	if c := h.join(); c != nil {
		t.Error("a stopped hub took a client")
	}
	h.leave(fast)                         // must not block
	h.send(context.Background(), event{}) // must not block
}

func TestFormatEvent(t *testing.T) {
	got := formatEvent(event{name: "failed", data: "a.md:1: bad\r\nsecond line\n"})
	want := "event: failed\ndata: a.md:1: bad\ndata: second line\ndata: \n\n"
	if got != want {
		t.Errorf("formatEvent = %q; want %q", got, want)
	}
}

// TestWarningsAreShown checks that a build that succeeds with warnings is
// served, and that its warnings reach the open pages, which show them.
func TestWarningsAreShown(t *testing.T) {
	f := newFakeSite(t)
	build := func() (*output.Tree, error) {
		tree, err := f.build()
		if err != nil {
			return nil, err
		}
		return tree, Warnings{"lib.md:3: link to #nowhere: no heading has that id"}
	}
	r := start(t, &Server{Build: build, Watch: []string{f.dir}})
	if resp, body := get(t, r.base+"/"); resp.StatusCode != 200 || !strings.Contains(body, "first version") {
		t.Fatalf("GET /: status %d; want the site, served despite its warnings", resp.StatusCode)
	}
	ev := subscribe(t, r)
	if e := ev.next(t); e.name != "reload" {
		t.Fatalf("first event %+v; want the build's name", e)
	}
	if e := ev.next(t); e.name != "warnings" || !strings.Contains(e.data, "lib.md:3: link to #nowhere") {
		t.Fatalf("second event %+v; want the warnings", e)
	}
}

// TestServeCaching checks what a browser may keep: a file named after its
// content for ever, any other file and page only once asked again, and
// the live-reload script until its entity tag changes.
func TestServeCaching(t *testing.T) {
	// Named after their content as the build names them, and one that
	// only looks it: a static file named after a date.
	named := func(base, ext, data string) string {
		sum := sha256.Sum256([]byte(data))
		return base + "." + hex.EncodeToString(sum[:5]) + ext
	}
	css, ids := named("assets/site", ".css", "body{}"), named("assets/ids", ".json", "{}")
	tree := output.NewTree()
	for name, data := range map[string]string{
		"index.html":                   "<html><head></head><body>home</body></html>",
		css:                            "body{}",
		ids:                            "{}",
		"assets/site.css":              "body{}",
		"search/index.json":            "{}",
		"assets/banner.2024061501.png": "png",
	} {
		if err := tree.Add(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	r := start(t, &Server{Build: func() (*output.Tree, error) { return tree, nil }})
	for path, want := range map[string]string{
		"/":                             "no-cache",
		"/" + css:                       immutable,
		"/" + ids:                       immutable,
		"/assets/site.css":              "no-cache",
		"/search/index.json":            "no-cache",
		"/assets/banner.2024061501.png": "no-cache",
		"/nope":                         "no-cache",
	} {
		resp, _ := get(t, r.base+path)
		if got := resp.Header.Get("Cache-Control"); got != want {
			t.Errorf("GET %s: Cache-Control %q; want %q", path, got, want)
		}
	}

	resp, body := get(t, r.base+scriptPath)
	tag := resp.Header.Get("ETag")
	if resp.StatusCode != http.StatusOK || tag == "" || !strings.Contains(body, "EventSource") {
		t.Fatalf("GET %s: %d, ETag %q, %d bytes; want the script with a tag", scriptPath, resp.StatusCode, tag, len(body))
	}
	for sent, want := range map[string]int{tag: http.StatusNotModified, `"other", W/` + tag: http.StatusNotModified, `"other"`: http.StatusOK} {
		req, _ := http.NewRequest(http.MethodGet, r.base+scriptPath, nil)
		req.Header.Set("If-None-Match", sent)
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want || (want == http.StatusNotModified) != (len(b) == 0) {
			t.Errorf("GET %s with If-None-Match %s: %d with %d bytes; want %d", scriptPath, sent, resp.StatusCode, len(b), want)
		}
	}
}

// TestBuildEarly builds with BuildEarly, whose pages come before the rest
// of the site: the open pages reload as soon as the pages are there, a
// file not built yet is served once the build ends, the build's warnings
// follow, and a build that fails after its pages were shown puts the last
// good site back.
func TestBuildEarly(t *testing.T) {
	dir := t.TempDir()
	g := newGate()
	var builds atomic.Int32
	r := start(t, &Server{Watch: []string{dir}, BuildEarly: func(_ context.Context, ready func(*output.Tree)) (*output.Tree, error) {
		n := builds.Add(1)
		tree := output.NewTree()
		if err := tree.Add("index.html", fmt.Appendf(nil, "<html><head></head><body>page %d</body></html>", n)); err != nil {
			return nil, err
		}
		if n == 1 {
			if ready != nil {
				t.Error("the first build was given a ready; want nil, as no page waits for it")
			}
		} else {
			ready(tree)
			if err := g.wait(); err != nil {
				return nil, err
			}
		}
		if err := tree.Add("search/index.json", fmt.Appendf(nil, `{"n":%d}`, n)); err != nil {
			return nil, err
		}
		if n == 2 {
			return tree, Warnings{"page 2 has a warning"}
		}
		return tree, nil
	}})
	g.endWith(t)
	ev := subscribe(t, r)
	first := ev.next(t)
	touch := func() {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, "page.txt"), []byte(time.Now().String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// Build 2: its pages, then the rest.
	touch()
	e := ev.next(t)
	if e.name != "reload" || e.data == first.data {
		t.Fatalf("while build 2 goes on: event %+v; want a reload to a new build", e)
	}
	if _, body := get(t, r.base+"/"); !strings.Contains(body, "page 2") {
		t.Fatalf("while build 2 goes on, / is %q; want its page", body)
	}
	searched := make(chan string, 1)
	go func() {
		_, body := get(t, r.base+"/search/index.json")
		searched <- body
	}()
	select {
	case body := <-searched:
		t.Fatalf("a file build 2 has not made yet was served before it ended: %q", body)
	case <-time.After(200 * time.Millisecond):
	}
	g.proceed <- nil
	if body := <-searched; body != `{"n":2}` {
		t.Errorf("once build 2 ended, its search file is %q; want build 2's", body)
	}
	if e := ev.next(t); e.name != "warnings" || !strings.Contains(e.data, "page 2 has a warning") {
		t.Errorf("after build 2 ended: event %+v; want its warnings", e)
	}

	// Build 3 fails after its pages were shown: build 2 comes back.
	touch()
	e3 := ev.next(t)
	if e3.name != "reload" {
		t.Fatalf("while build 3 goes on: event %+v; want a reload", e3)
	}
	g.proceed <- errors.New("build 3 is broken")
	e = ev.next(t)
	if e.name != "reload" || e.data == e3.data {
		t.Fatalf("after build 3 failed: event %+v; want a reload to the last good build", e)
	}
	if _, body := get(t, r.base+"/"); !strings.Contains(body, "page 2") {
		t.Errorf("after build 3 failed, / is %q; want build 2's page", body)
	}
	again := subscribe(t, r)
	if e := again.next(t); e.name != "reload" {
		t.Errorf("a page that connects after build 3 failed: first event %+v; want the build's name", e)
	}
	if e := again.next(t); e.name != "failed" || !strings.Contains(e.data, "build 3 is broken") {
		t.Errorf("a page that connects after build 3 failed: event %+v; want the failure", e)
	}
}

// gate holds an early build after its pages (see BuildEarly) until the
// test lets it go on, or ends.
type gate struct {
	proceed chan error    // what the build is to end with
	over    chan struct{} // closed when the test ends
}

func newGate() *gate { return &gate{proceed: make(chan error), over: make(chan struct{})} }

// wait holds the build until the test sends it an error to end with, nil
// to go on, or ends.
func (g *gate) wait() error {
	select {
	case err := <-g.proceed:
		return err
	case <-g.over:
		return errors.New("the test is over")
	}
}

// endWith lets the builds go when t ends. It is called after start, so
// that it runs before the server's cleanup, which waits for the build.
func (g *gate) endWith(t *testing.T) { t.Cleanup(func() { close(g.over) }) }

// TestRestWaitsForPagesToReload checks that the rest of a build whose
// pages are shown early waits for the open pages to load them again, so
// that it does not slow them down, but no longer than yieldLimit; and
// that with no page open it does not wait.
func TestRestWaitsForPagesToReload(t *testing.T) {
	dir := t.TempDir()
	type marks struct{ ready, rest time.Time }
	builds := make(chan marks, 4)
	r := start(t, &Server{Watch: []string{dir}, BuildEarly: func(_ context.Context, ready func(*output.Tree)) (*output.Tree, error) {
		tree := output.NewTree()
		if err := tree.Add("index.html", []byte("<html><head></head><body>page</body></html>")); err != nil {
			return nil, err
		}
		if ready != nil {
			var m marks
			m.ready = time.Now()
			ready(tree)
			m.rest = time.Now()
			builds <- m
		}
		return tree, nil
	}})
	touch := func() {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, "page.txt"), []byte(time.Now().String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	next := func() marks {
		t.Helper()
		select {
		case m := <-builds:
			return m
		case <-time.After(10 * time.Second):
			t.Fatal("no build")
		}
		return marks{}
	}

	// No page open: the rest goes on at once. (A page served means the
	// files are watched: see Serve.)
	get(t, r.base+"/")
	touch()
	if m := next(); m.rest.Sub(m.ready) >= yieldLimit/2 {
		t.Errorf("with no page open, the rest of the build waited %s", m.rest.Sub(m.ready))
	}

	// A page open, which loads again 100ms after it is told to: the rest
	// goes on once it is back.
	ev := subscribe(t, r)
	ev.next(t)
	touch()
	if e := ev.next(t); e.name != "reload" {
		t.Fatalf("event %+v; want a reload", e)
	}
	time.Sleep(100 * time.Millisecond)
	ev.cancel()
	back := time.Now()
	ev = subscribe(t, r)
	ev.next(t)
	m := next()
	if m.rest.Before(back) {
		t.Errorf("the rest of the build went on %s before the page was back", back.Sub(m.rest))
	}
	if d := m.rest.Sub(back); d >= yieldLimit/2 {
		t.Errorf("the rest of the build went on %s after the page was back; want at once", d)
	}

	// A page that never loads again holds the rest back for yieldLimit.
	touch()
	if e := ev.next(t); e.name != "reload" {
		t.Fatalf("event %+v; want a reload", e)
	}
	m = next()
	if d := m.rest.Sub(m.ready); d < yieldLimit || d > yieldLimit+time.Second {
		t.Errorf("with a page that does not load again, the rest of the build waited %s; want %s", d, yieldLimit)
	}
}

// TestCollectsAfterBuilds checks that the server collects garbage after
// its first build and after each rebuild, once the rebuild is shown, so
// that the next rebuild finds its memory free.
func TestCollectsAfterBuilds(t *testing.T) {
	f := newFakeSite(t)
	collected := make(chan struct{}, 8)
	r := start(t, &Server{Build: f.build, Watch: []string{f.dir}, collectGarbage: func() { collected <- struct{}{} }})
	wait := func(what string) {
		t.Helper()
		select {
		case <-collected:
		case <-time.After(5 * time.Second):
			t.Fatalf("no collection after %s", what)
		}
	}
	wait("the first build")
	ev := subscribe(t, r)
	ev.next(t)
	f.write(t, "page.txt", "edited")
	if e := ev.next(t); e.name != "reload" {
		t.Fatalf("event %+v; want a reload", e)
	}
	wait("a rebuild")
	f.write(t, "page.txt", "BROKEN")
	if e := ev.next(t); e.name != "failed" {
		t.Fatalf("event %+v; want the failure", e)
	}
	wait("a failed rebuild")
	select {
	case <-collected:
		t.Error("a collection more than the builds")
	case <-time.After(200 * time.Millisecond):
	}
}

func TestHeadStart(t *testing.T) {
	for _, tt := range []struct{ page, before string }{
		{"<!doctype html><html><head><title>x</title></head>", "<title>"},
		{"<HTML><HEAD lang=en>\n<title>x</title></HEAD>", "\n<title>"},
		{"<html><head\n><title>x</title></head>", "<title>"},
		{"<!-- a <head> in a comment --><html><head><title>x</title></head>", "<title>"},
		{"<html><!-- <header> --><head><meta charset=utf-8></head>", "<meta"},
		{"<html><header>no head start tag</header></head><p>hi</p>", "</head><p>"},
		{"<header>a header</header><head><title>x</title>", "<title>"},
		{"<p>no head at all</p>", ""},
		{"<p>an unclosed <!-- comment <head>", ""},
		{"<p>ends in <head", ""},
	} {
		at := headStart([]byte(tt.page))
		if got := tt.page[at:]; !strings.HasPrefix(got, tt.before) || (tt.before == "" && got != "") {
			t.Errorf("headStart(%q) is just before %q; want just before %q", tt.page, got, tt.before)
		}
	}
}
