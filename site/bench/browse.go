package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/chromedp"
)

// searchUI says how to drive a site's search box.
type searchUI struct {
	input   string // CSS selector of the search box
	results string // CSS selector that matches once results are shown
}

var (
	promptsiteUI = searchUI{input: `input[type=search]`, results: `[id="ps.results"] .ps-hit, [id="ps.results"] .ps-none`}
	pagefindUI   = searchUI{input: `.pagefind-ui__search-input`, results: `.pagefind-ui__result, .pagefind-ui__message`}
)

// fetched is one file that the browser downloaded.
type fetched struct {
	path      string
	raw, gzip int64
	query     bool // fetched after typing began, not on page load
}

// bytes is what the file costs on the wire: gzipped, or raw when gzip
// does not make it smaller (Pagefind's index files are gzipped already).
func (f fetched) bytes() int64 { return min(f.raw, f.gzip) }

// firstSearch is what the browser downloads to open a site's home page and
// show the results for a query typed into its search box, besides the
// home page's HTML.
type firstSearch struct {
	files []fetched
	shown string // the result count or message the page showed
}

func (s firstSearch) total() (n int64, query int64) {
	for _, f := range s.files {
		n += f.bytes()
		if f.query {
			query += f.bytes()
		}
	}
	return n, query
}

// recorder serves a built site and records what is requested, in order.
type recorder struct {
	root  string
	files http.Handler

	mu       sync.Mutex
	query    bool
	inflight int
	last     time.Time
	log      []fetched
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec.mu.Lock()
	rec.inflight++
	query := rec.query
	rec.mu.Unlock()
	defer func() {
		rec.mu.Lock()
		rec.inflight--
		rec.last = time.Now()
		rec.mu.Unlock()
	}()
	w.Header().Set("Cache-Control", "no-store")
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	rec.files.ServeHTTP(sw, r)
	if sw.status != http.StatusOK || r.URL.Path == "/" {
		return // errors (a favicon) and the page itself are not counted
	}
	f, err := rec.measure(r.URL.Path)
	if err != nil {
		return
	}
	f.query = query
	rec.mu.Lock()
	rec.log = append(rec.log, f)
	rec.mu.Unlock()
}

// measure sizes the file served at urlPath, raw and gzipped.
func (rec *recorder) measure(urlPath string) (fetched, error) {
	p := filepath.Join(rec.root, filepath.FromSlash(path.Clean(urlPath)))
	if info, err := os.Stat(p); err == nil && info.IsDir() {
		p = filepath.Join(p, "index.html")
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return fetched{}, err
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(b)
	zw.Close()
	return fetched{path: urlPath, raw: int64(len(b)), gzip: int64(z.Len())}, nil
}

// quiet waits until no request has been open for d.
func (rec *recorder) quiet(ctx context.Context, d time.Duration) error {
	for {
		rec.mu.Lock()
		idle := rec.inflight == 0 && time.Since(rec.last) >= d
		rec.mu.Unlock()
		if idle {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// measureSearch serves the site at root on loopback, opens its home page
// in a fresh headless Chromium, types query into its search box and
// records every file downloaded until the results are shown and the
// network has been quiet for a second.
func measureSearch(chromium, root string, ui searchUI, query string) (firstSearch, error) {
	rec := &recorder{root: root, files: http.FileServer(http.Dir(root)), last: time.Now()}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return firstSearch{}, err
	}
	srv := &http.Server{Handler: rec}
	go srv.Serve(ln)
	defer srv.Close()

	profile, err := os.MkdirTemp("", "promptsite-bench-chromium-")
	if err != nil {
		return firstSearch{}, err
	}
	defer os.RemoveAll(profile)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.UserDataDir(profile),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()

	base := "http://" + ln.Addr().String() + "/"
	in, results := chromedp.CSS(ui.input), chromedp.CSS(ui.results)
	err = chromedp.Do(bctx,
		chromedp.Navigate(base),
		chromedp.WaitVisible(in),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error { return rec.quiet(ctx, 500*time.Millisecond) }),
		chromedp.Func(func(context.Context, *chromedp.Target) error {
			rec.mu.Lock()
			rec.query = true
			rec.mu.Unlock()
			return nil
		}),
		chromedp.Click(in),
		chromedp.SendKeys(in, query),
		chromedp.WaitVisible(results),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error { return rec.quiet(ctx, time.Second) }),
	)
	if err != nil {
		return firstSearch{}, fmt.Errorf("searching %s for %q in Chromium: %w", root, query, err)
	}
	shown, err := chromedp.Run(bctx, chromedp.Evaluate[string](resultsShown))
	if err != nil {
		return firstSearch{}, fmt.Errorf("reading the results in Chromium: %w", err)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return firstSearch{files: rec.log, shown: strings.TrimSpace(shown)}, nil
}

// resultsShown reads the result count that either search UI shows.
const resultsShown = `(() => {
  const el = document.querySelector("[data-search-index] [role=status], .pagefind-ui__message");
  const n = document.querySelectorAll(".ps-hit, .pagefind-ui__result").length;
  return (el ? el.textContent : "") + " (" + n + " shown)";
})()`
