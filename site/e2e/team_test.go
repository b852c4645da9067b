package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/promptsite/promptsite/site/internal/chromium"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// promptsiteBinary builds the promptsite command once for the whole test
// binary, as a team installs it, and returns its path.
func promptsiteBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		goTool, err := exec.LookPath("go")
		if err != nil {
			binErr = fmt.Errorf("the go command is needed to build promptsite: %w", err)
			return
		}
		dir, err := os.MkdirTemp("", "promptsite-bin-")
		if err != nil {
			binErr = err
			return
		}
		atExit(func() { os.RemoveAll(dir) })
		binPath = filepath.Join(dir, "promptsite")
		out, err := exec.Command(goTool, "build", "-o", binPath, "github.com/promptsite/promptsite/cmd/promptsite").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build ./cmd/promptsite: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// hostVars are the variables of hosts and of promptsite that change what a
// build publishes; runPromptsite gives the command none of them but those
// the test sets.
func hostVar(kv string) bool {
	name, _, _ := strings.Cut(kv, "=")
	switch name {
	case "URL", "DEPLOY_PRIME_URL", "CONTEXT", "CF_PAGES_URL":
		return true
	}
	return strings.HasPrefix(name, "PROMPTSITE_")
}

// runPromptsite runs the built command in dir and fails t unless it exits
// 0. It returns what the command printed on stderr.
func runPromptsite(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), promptsiteBinary(t), args...)
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !hostVar(kv) {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("promptsite %s: %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, &stdout, &stderr)
	}
	return stderr.String()
}

// editFile applies a replacement to the file at p, which must change it.
func editFile(t *testing.T, p, old, new string) {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s has no %q", p, old)
	}
	if err := os.WriteFile(p, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

// moveSection moves the prompt whose heading is from, with its text up to
// the next heading, to the end of the file, with the heading to.
func moveSection(t *testing.T, p, from, to string) {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	md := string(b)
	i := strings.Index(md, from+"\n")
	if i < 0 {
		t.Fatalf("%s has no line %q", p, from)
	}
	end := len(md)
	if j := strings.Index(md[i+len(from):], "\n#"); j >= 0 {
		end = i + len(from) + j + 1
	}
	section := to + md[i+len(from):end]
	md = strings.TrimRight(md[:i]+md[end:], "\n") + "\n\n" + strings.TrimRight(section, "\n") + "\n"
	if err := os.WriteFile(p, []byte(md), 0o644); err != nil {
		t.Fatal(err)
	}
}

// subPathHost serves the site in dir under prefix (such as "/repo") as
// GitHub Pages serves a project's site: its files under the prefix with
// the production headers, the site's own 404.html for any other path under
// it, the prefix without its slash redirected to the prefix, and a bare 404
// outside it, where the project has no say.
func subPathHost(dir, prefix string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle(prefix+"/", http.StripPrefix(prefix, staticSite(dir)))
	mux.Handle(prefix, http.RedirectHandler(prefix+"/", http.StatusMovedPermanently))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "not this project's site", http.StatusNotFound)
	})
	return mux
}

// offBase lists the addresses of the page's links, stylesheets, scripts and
// images, and of its search index and Copy link buttons, that are on the
// page's own host but not under base: those that would leave a project's
// site or miss its files.
const offBase = `((base) => {
	const urls = [];
	for (const el of document.querySelectorAll("a[href], link[href], script[src], img[src]")) urls.push(el.href || el.src);
	for (const el of document.querySelectorAll("[data-href]")) urls.push(new URL(el.dataset.href, location.href).href);
	for (const el of document.querySelectorAll("[data-search-index]")) urls.push(new URL(el.dataset.searchIndex, location.href).href);
	const refresh = document.querySelector('meta[http-equiv="refresh"]');
	if (refresh) urls.push(new URL(refresh.content.replace(/^[^;]*;\s*url=/i, ""), location.href).href);
	return urls.filter(u => { const x = new URL(u); return x.origin === location.origin && !x.pathname.startsWith(base); });
})`

// checkUnderBase fails t for each address of the page that is not under
// base.
func checkUnderBase(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	for _, u := range mustEval[[]string](t, ctx, offBase+"("+jsString(base)+")") {
		t.Errorf("%s: %s is not under %s", mustEval[string](t, ctx, "location.pathname"), u, base)
	}
}

// stickyHeader is the computed position of the page's header, which
// site.css makes sticky: "static" when the stylesheet did not load.
const stickyHeader = `(() => { const h = document.querySelector("header.top"); return h ? getComputedStyle(h).position : "(no header)"; })()`

// TestTeamRepositoryUnderSubPath starts a library as a team does, with
// promptsite init and the built binary, builds it for a GitHub Pages
// project site (https://org.github.io/repo/) and serves it under /repo/ as
// that host does. In the browser: the styles apply, search finds a prompt
// and Enter opens it, Copy link copies a /repo/p/… address that lands on
// the prompt, the 404 page is styled and leads home, and the old addresses
// of a renamed prompt and a moved one land on them.
func TestTeamRepositoryUnderSubPath(t *testing.T) {
	s := start(t) // not parallel: it uses the clipboard (see TestCopyCodeBlocks)
	repo := t.TempDir()
	runPromptsite(t, repo, "init")
	const baseURL = "https://org.github.io/repo/"
	runPromptsite(t, repo, "build", "--base-url", baseURL)

	// Rename one prompt in place and move another to the next category,
	// then rebuild: the lock keeps their old addresses.
	md := filepath.Join(repo, "content", "prompts.md")
	editFile(t, md, "\n### Review a Change\n", "\n### Review a Pull Request\n")
	moveSection(t, md, "### Summarise a Document", "### Summarise a Report")
	stderr := runPromptsite(t, repo, "build", "--base-url", baseURL)
	lock, err := os.ReadFile(filepath.Join(repo, "content", "anchors.lock"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"/code-review/#review-a-change -> /code-review/#review-a-pull-request",
		"/writing/#summarise-a-document -> /meetings/#summarise-a-report",
	} {
		if !strings.Contains(string(lock), "\n"+want+"\n") {
			t.Errorf("content/anchors.lock has no line %q after the rename; the build said:\n%s\nthe lock:\n%s", want, stderr, lock)
		}
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	origin := "http://" + ln.Addr().String()
	srv := &http.Server{Handler: subPathHost(filepath.Join(repo, "public"), "/repo"), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln) // returns when srv.Close runs
	t.Cleanup(func() { srv.Close() })
	grant, cancel := context.WithTimeout(s.browser, 10*time.Second)
	defer cancel()
	if err := chromium.AllowClipboard(grant, origin); err != nil {
		t.Fatal(err)
	}

	// open opens a tab that records the page's errors.
	open := func(t *testing.T) (context.Context, *problems) {
		ctx := s.tab(t, 30*time.Second)
		if err := chromedp.Do(ctx, desktop.emulate(), chromium.Focused()); err != nil {
			t.Fatal(err)
		}
		return ctx, watch(t, ctx)
	}

	t.Run("styles", func(t *testing.T) {
		ctx, p := open(t)
		for _, path := range []string{"/repo/", "/repo/code-review/", "/repo/meetings/"} {
			navigate(t, ctx, origin+path, 200)
			if got := mustEval[string](t, ctx, stickyHeader); got != "sticky" {
				t.Errorf("%s: the header's position is %q; want sticky, from site.css", path, got)
			}
			checkUnderBase(t, ctx, "/repo/")
		}
		p.check(t, ctx, "the pages")
	})

	t.Run("search", func(t *testing.T) {
		ctx, p := open(t)
		navigate(t, ctx, origin+"/repo/", 200)
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`[id="ps.q"]`), "commit message")); err != nil {
			t.Fatal(err)
		}
		first := `(() => { const a = document.querySelector("[id=\"ps.results\"] a.ps-hit");
			return a ? a.querySelector(".ps-t").textContent + " " + a.href : ""; })()`
		want := "Write a Commit Message " + origin + "/repo/writing/#write-a-commit-message"
		if !poll(t, ctx, first+" === "+jsString(want), 5*time.Second) {
			t.Fatalf("the first result for %q is %q; want %q (status: %q)", "commit message",
				mustEval[string](t, ctx, first), want, mustEval[string](t, ctx, `document.querySelector(".ps-search [role=status]").textContent`))
		}
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
			t.Fatal(err)
		}
		landsOn(t, ctx, "/repo/writing/", "write-a-commit-message", ":target")
		p.check(t, ctx, "search")
	})

	t.Run("copy link", func(t *testing.T) {
		ctx, p := open(t)
		navigate(t, ctx, origin+"/repo/code-review/", 200)
		const name = "Copy link to Review a Pull Request"
		var b *axButton
		for _, x := range buttons(t, ctx) {
			if x.name == name {
				b = &x
			}
		}
		if b == nil {
			t.Fatalf("no visible button named %q", name)
		}
		setClipboard(t, ctx, sentinel)
		if !clickCopy(t, ctx, *b, "Copied", "Copied") {
			return
		}
		got := readClipboard(t, ctx)
		if want := origin + "/repo/p/code-review/review-a-pull-request.html"; got != want {
			t.Fatalf("%q copied %q; want %q", name, got, want)
		}
		navigate(t, ctx, got, 200)
		landsOn(t, ctx, "/repo/code-review/", "review-a-pull-request", ":target")
		p.check(t, ctx, "copy link")
	})

	t.Run("404", func(t *testing.T) {
		ctx, p := open(t)
		const path = "/repo/no/such/page/"
		navigate(t, ctx, origin+path, 404)
		if h1 := mustEval[string](t, ctx, `document.querySelector("h1") ? document.querySelector("h1").textContent : ""`); h1 != "Page not found" {
			t.Fatalf("%s shows %q; want the site's 404 page", path, h1)
		}
		if got := mustEval[string](t, ctx, stickyHeader); got != "sticky" {
			t.Errorf("%s: the header's position is %q; want sticky: the 404 page is not styled", path, got)
		}
		checkUnderBase(t, ctx, "/repo/")
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`main a[href]`))); err != nil {
			t.Fatalf("click the home page link: %v", err)
		}
		home := `location.pathname === "/repo/" && !!document.querySelector("header.top") && getComputedStyle(document.querySelector("header.top")).position === "sticky"`
		if !pollAcross(ctx, home, 5*time.Second) {
			t.Errorf("the 404 page's home link led to %s; want /repo/, styled", mustEval[string](t, ctx, "location.href"))
		}
		p.check(t, ctx, path, "log (network) "+origin+path+": Failed to load resource: the server responded with a status of 404")
	})

	t.Run("old addresses", func(t *testing.T) {
		for _, tt := range []struct {
			name, from, path, id, sel string
		}{
			{"renamed", "/repo/code-review/#review-a-change", "/repo/code-review/", "review-a-change", ":has(> .alias:target)"},
			{"moved", "/repo/writing/#summarise-a-document", "/repo/meetings/", "summarise-a-report", ":target"},
			{"moved, its old share page", "/repo/p/writing/summarise-a-document.html", "/repo/meetings/", "summarise-a-report", ":target"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				ctx, p := open(t)
				navigate(t, ctx, origin+tt.from, 200)
				landsOn(t, ctx, tt.path, tt.id, tt.sel)
				p.check(t, ctx, tt.from)
			})
		}
	})

	// The host above must be able to fail these checks: a site built for
	// the host's root, served under /repo/, loses its styles.
	t.Run("a site built for the root is caught", func(t *testing.T) {
		root := t.TempDir()
		runPromptsite(t, root, "init")
		runPromptsite(t, root, "build", "--base-url", "https://org.github.io/")
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		srv := &http.Server{Handler: subPathHost(filepath.Join(root, "public"), "/repo"), ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(ln)
		t.Cleanup(func() { srv.Close() })
		ctx := s.tab(t, 20*time.Second)
		navigate(t, ctx, "http://"+ln.Addr().String()+"/repo/", 200)
		if got := mustEval[string](t, ctx, stickyHeader); got == "sticky" {
			t.Error("a site built for the root is styled under /repo/: the check of the styles cannot fail")
		}
		if off := mustEval[[]string](t, ctx, offBase+`("/repo/")`); len(off) == 0 {
			t.Error("a site built for the root has no address outside /repo/: the check of addresses cannot fail")
		}
	})
}

// TestSubPathHost checks the test's own host: what GitHub Pages answers
// under a project's path and outside it.
func TestSubPathHost(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, body := range map[string]string{"index.html": "home", "404.html": "lost", "a/index.html": "a"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: subPathHost(dir, "/repo"), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	for _, tt := range []struct {
		path, body string
		code       int
	}{
		{"/repo/", "home", 200},
		{"/repo/a/", "a", 200},
		{"/repo/b/", "lost", 404},
		{"/repo", "", 301},
		{"/", "not this project's site\n", 404},
		{"/a/", "not this project's site\n", 404},
	} {
		resp, err := client.Get("http://" + ln.Addr().String() + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		_, err = b.ReadFrom(resp.Body)
		resp.Body.Close()
		if err != nil && !errors.Is(err, net.ErrClosed) {
			t.Fatal(err)
		}
		if resp.StatusCode != tt.code || (tt.body != "" && b.String() != tt.body) {
			t.Errorf("GET %s = %d %q; want %d %q", tt.path, resp.StatusCode, b.String(), tt.code, tt.body)
		}
	}
}
