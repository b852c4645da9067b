package e2e

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/promptsite/promptsite"
	"github.com/promptsite/promptsite/site"
	"github.com/promptsite/promptsite/site/content"
	"github.com/promptsite/promptsite/site/internal/chromium"
	"github.com/promptsite/promptsite/site/output"
)

// required is set by CI: there a missing browser or tool fails the suite
// instead of skipping it.
var required = os.Getenv("PROMPTSITE_E2E") == "1"

// suite is what every test shares: one browser and one server for the whole
// test binary. Each test opens its own tab.
type suite struct {
	browser context.Context // a chromedp context whose browser is running
	origin  string          // the server's address, such as http://127.0.0.1:41234
	lib     *library        // the seed library, read from its markdown
}

var (
	setupOnce sync.Once
	shared    *suite
	setupSkip string // why the suite cannot run here, if it cannot
	setupErr  error

	cleanupMu sync.Mutex
	cleanups  []func()
)

func TestMain(m *testing.M) {
	code := m.Run()
	cleanupMu.Lock()
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
	cleanupMu.Unlock()
	os.Exit(code)
}

func atExit(f func()) {
	cleanupMu.Lock()
	cleanups = append(cleanups, f)
	cleanupMu.Unlock()
}

// start returns the shared suite, starting it on first use. It skips t when
// no chromium is installed, unless PROMPTSITE_E2E=1 asks for the browser
// tests to run.
func start(t *testing.T) *suite {
	t.Helper()
	setupOnce.Do(func() { shared, setupSkip, setupErr = setup() })
	if setupSkip != "" {
		if required {
			t.Fatalf("PROMPTSITE_E2E=1 but %s", setupSkip)
		}
		t.Skip(setupSkip + "; set PROMPTSITE_E2E=1 to make this an error")
	}
	if setupErr != nil {
		t.Fatal(setupErr)
	}
	return shared
}

// chromiumPath finds Debian's chromium.
func chromiumPath() (string, bool) {
	if p, err := exec.LookPath("chromium"); err == nil {
		return p, true
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", true
	}
	return "", false
}

func setup() (s *suite, skip string, err error) {
	exe, ok := chromiumPath()
	if !ok {
		return nil, "chromium is not installed (apt-get install chromium)", nil
	}
	s = &suite{}
	if s.lib, err = readLibrary(seedMarkdown); err != nil {
		return nil, "", err
	}

	// Listen first, so that the site is built with its real address as
	// the base URL, as Netlify builds it with $URL.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", fmt.Errorf("listen: %w", err)
	}
	s.origin = "http://" + ln.Addr().String()
	tmp, err := os.MkdirTemp("", "promptsite-e2e-")
	if err != nil {
		ln.Close()
		return nil, "", err
	}
	atExit(func() { os.RemoveAll(tmp) })
	public := filepath.Join(tmp, "public")
	if err := publishSeed(public, s.origin); err != nil {
		ln.Close()
		return nil, "", err
	}
	srv := &http.Server{Handler: staticSite(public), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln) // returns when srv.Close runs at exit
	atExit(func() { srv.Close() })

	// One browser for the whole binary; each test opens a tab in it.
	bctx, stop, err := chromium.Start(exe, tmp, func(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) })
	if err != nil {
		return nil, "", err
	}
	atExit(stop)
	s.browser = bctx

	// Let the site's origin use the clipboard, as a user would by
	// accepting the prompt.
	grantCtx, cancel := context.WithTimeout(s.browser, 10*time.Second)
	defer cancel()
	if err := chromium.AllowClipboard(grantCtx, s.origin); err != nil {
		return nil, "", err
	}
	return s, "", nil
}

// publishSeed builds the embedded seed library as the CLI does and publishes
// it to dir.
func publishSeed(dir, baseURL string) error {
	files, err := content.LoadFS(promptsite.Content(), "(built-in) content")
	if err != nil {
		return err
	}
	res, err := site.Build(site.Config{
		Files:     files,
		Templates: promptsite.Templates(),
		Assets:    promptsite.Assets(),
		BaseURL:   baseURL,
	})
	if err != nil {
		return fmt.Errorf("build the seed site: %w", err)
	}
	return output.Publish(context.Background(), res.Tree, dir)
}

// staticSite serves dir as a plain static host does: files as they are,
// a folder by its index.html, the site's 404.html with status 404 for
// anything else, and the site's headers on every response.
func staticSite(dir string) http.Handler {
	fsys := os.DirFS(dir)
	files := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range site.Headers {
			w.Header().Set(k, v)
		}
		if !servable(fsys, r.URL.Path) {
			page, err := fs.ReadFile(fsys, "404.html")
			if err != nil {
				http.Error(w, "404 page not found (and the site has no 404.html)", http.StatusNotFound)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			w.Write(page)
			return
		}
		files.ServeHTTP(w, r)
	})
}

// servable reports whether a static host would answer urlPath with a file:
// the file itself, or a folder's index.html. Folders are never listed.
func servable(fsys fs.FS, urlPath string) bool {
	name := strings.TrimPrefix(path.Clean("/"+urlPath), "/")
	if name == "" {
		name = "."
	}
	info, err := fs.Stat(fsys, name)
	if err != nil {
		return false
	}
	if info.IsDir() {
		_, err = fs.Stat(fsys, path.Join(name, "index.html"))
		return err == nil
	}
	return true
}

// url returns the absolute address of p, a path such as "/testing-prompts/".
func (s *suite) url(p string) string { return s.origin + p }

// tab opens a new tab in the shared browser and returns its context, which
// ends after timeout or when t ends; the tab closes with t.
func (s *suite) tab(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	tctx, closeTab := chromedp.NewContext(s.browser)
	t.Cleanup(closeTab)
	if err := chromedp.Do(tctx); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	ctx, cancel := context.WithTimeout(tctx, timeout)
	t.Cleanup(cancel)
	return ctx
}

// viewport is a window size to test at.
type viewport struct {
	name          string
	width, height int64
	mobile        bool
}

var (
	desktop = viewport{"desktop", 1280, 800, false}
	phone   = viewport{"phone", 390, 844, true}
)

func (v viewport) emulate() chromedp.Action[chromedp.Void] {
	if v.mobile {
		return chromedp.EmulateViewport(v.width, v.height, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	return chromedp.EmulateViewport(v.width, v.height)
}

// colorScheme emulates prefers-color-scheme: "light" or "dark".
func colorScheme(scheme string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	})
}

// navigate loads url in the tab and fails t when the server does not
// answer with status want.
func navigate(t *testing.T, ctx context.Context, url string, want int64) {
	t.Helper()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
	if err != nil {
		t.Fatalf("navigate to %s: %v", url, err)
	}
	if resp == nil || resp.Status != want {
		got := int64(0)
		if resp != nil {
			got = resp.Status
		}
		t.Fatalf("GET %s: status %d, want %d", url, got, want)
	}
}

// eval evaluates a JavaScript expression and decodes its value into T,
// awaiting it if it is a promise.
func eval[T any](ctx context.Context, expr string) (T, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

// mustEval is eval that fails t on an error.
func mustEval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := eval[T](ctx, expr)
	if err != nil {
		t.Fatalf("evaluate %s: %v", firstLine(expr), err)
	}
	return v
}

// poll waits until the expression is truthy, for at most d. It reports
// whether it became true; a timeout is not an error, so that the caller can
// say what it saw instead.
func poll(t *testing.T, ctx context.Context, expr string, d time.Duration) bool {
	t.Helper()
	// Interval polling, not requestAnimationFrame: a tab that is not in
	// front gets no animation frames.
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](expr,
		chromedp.WithPollingInterval(10*time.Millisecond), chromedp.WithPollingTimeout(d)))
	if errors.Is(err, chromedp.ErrPollingTimeout) {
		return false
	}
	if err != nil {
		t.Fatalf("poll %s: %v", firstLine(expr), err)
	}
	return true
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}

// screenshotDir is where tests save screenshots for a person to look at,
// from $PROMPTSITE_SCREENSHOTS; empty when they are not wanted.
func screenshotDir() string { return os.Getenv("PROMPTSITE_SCREENSHOTS") }

// saveScreenshot saves a screenshot of the whole page, or of what the window
// shows, as name.png in $PROMPTSITE_SCREENSHOTS, when that is set.
func saveScreenshot(t *testing.T, ctx context.Context, name string, wholePage bool) {
	t.Helper()
	dir := screenshotDir()
	if dir == "" {
		return
	}
	shot := chromedp.CaptureScreenshot()
	if wholePage {
		shot = chromedp.FullScreenshot(100)
	}
	png, err := chromedp.Run(ctx, shot)
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("saved %s", file)
}
