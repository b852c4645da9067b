package e2e

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/promptsite/promptsite"
	"github.com/promptsite/promptsite/site"
	"github.com/promptsite/promptsite/site/anchorlock"
	"github.com/promptsite/promptsite/site/content"
	"github.com/promptsite/promptsite/site/output"
)

// landsOn waits until the tab shows the address path#id with the element
// id in view, below the sticky header, and marked: the element, or the
// prompt section that holds it, matches sel (":target" for a prompt's own
// anchor). It fails t with what it saw when it does not.
func landsOn(t *testing.T, ctx context.Context, path, id, sel string) {
	t.Helper()
	state := fmt.Sprintf(`(() => {
		const el = document.getElementById(%s), top = document.querySelector(".top");
		if (!el) return {where: location.pathname + location.hash, found: false};
		const box = (el.closest("section.prompt") || el), r = el.getBoundingClientRect();
		return {where: location.pathname + location.hash, found: true, marked: box.matches(%s),
			top: r.top, header: top ? top.getBoundingClientRect().bottom : 0, height: innerHeight};
	})()`, jsString(id), jsString(sel))
	want := path + "#" + id
	ok := pollAcross(ctx, fmt.Sprintf(`(() => { const s = %s;
		return s.where === %s && s.found && s.marked && s.top >= s.header - 0.5 && s.top + 40 <= s.height; })()`, state, jsString(want)), 5*time.Second)
	if ok {
		return
	}
	got := mustEval[struct {
		Where               string
		Found, Marked       bool
		Top, Header, Height float64
	}](t, ctx, state)
	switch {
	case got.Where != want:
		t.Errorf("landed on %s; want %s", got.Where, want)
	case !got.Found:
		t.Errorf("%s: no element has id %q", got.Where, id)
	case !got.Marked:
		t.Errorf("%s: #%s is not marked (%s)", got.Where, id, sel)
	default:
		t.Errorf("%s: #%s starts at y=%.0f; want it in view below the header (which ends at y=%.0f) of the %.0f px high window",
			got.Where, id, got.Top, got.Header, got.Height)
	}
}

// pollAcross waits until the expression is truthy, for at most d, while
// the tab may go from page to page (a redirect): an evaluation that the
// navigation cuts short is tried again.
func pollAcross(ctx context.Context, expr string, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		// An evaluation can hang when its page goes away under it.
		try, cancel := context.WithTimeout(ctx, time.Second)
		ok, err := eval[bool](try, expr)
		cancel()
		if err == nil && ok {
			return true
		}
		if ctx.Err() != nil {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

// metaContent returns the content of the page's <meta> tags, by property or
// name, and the canonical link under "canonical".
func metaContent(t *testing.T, url string) map[string]string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", url, resp.StatusCode)
	}
	m := map[string]string{}
	for _, tag := range regexp.MustCompile(`<(?:meta|link) [^>]*>`).FindAllString(string(b), -1) {
		attr := func(name string) string {
			a := regexp.MustCompile(` ` + name + `="([^"]*)"`).FindStringSubmatch(tag)
			if a == nil {
				return ""
			}
			return strings.NewReplacer("&amp;", "&", "&#39;", "'", "&quot;", `"`, "&lt;", "<", "&gt;", ">").Replace(a[1])
		}
		switch {
		case attr("property") != "":
			m[attr("property")] = attr("content")
		case attr("name") != "":
			m[attr("name")] = attr("content")
		case attr("http-equiv") != "":
			m[attr("http-equiv")] = attr("content")
		case attr("rel") == "canonical":
			m["canonical"] = attr("href")
		}
	}
	return m
}

// TestSharePage opens a prompt's share page, the address "Copy link"
// copies: it previews that one prompt in a chat (its own title,
// description and OpenGraph tags) and leads the browser to the prompt on
// its category's page.
func TestSharePage(t *testing.T) {
	t.Parallel() // no clipboard: see TestCopyCodeBlocks
	s := start(t)
	const share = "/p/implementation-prompts/retry-with-backoff.html"

	meta := metaContent(t, s.url(share))
	for key, want := range map[string]string{
		"og:title":      "Retry with Backoff",
		"twitter:title": "Retry with Backoff",
		"og:url":        s.url(share),
		"canonical":     s.url(share),
		"og:type":       "article",
		"refresh":       "0; url=/implementation-prompts/#retry-with-backoff",
	} {
		if got := meta[key]; got != want {
			t.Errorf("%s: %s = %q; want %q", share, key, got, want)
		}
	}
	catMeta := metaContent(t, s.url("/implementation-prompts/"))
	for _, key := range []string{"description", "og:description", "twitter:description"} {
		if meta[key] == "" || meta[key] == catMeta[key] {
			t.Errorf("%s: %s = %q; want the prompt's own description, not its category's", share, key, meta[key])
		}
	}
	if cat := catMeta["og:title"]; cat == meta["og:title"] {
		t.Errorf("the share page previews as its category does (og:title %q)", cat)
	}

	for _, vp := range []viewport{desktop, phone} {
		t.Run(vp.name, func(t *testing.T) {
			ctx := s.tab(t, 20*time.Second)
			if err := chromedp.Do(ctx, vp.emulate()); err != nil {
				t.Fatal(err)
			}
			navigate(t, ctx, s.url(share), 200)
			landsOn(t, ctx, "/implementation-prompts/", "retry-with-backoff", ":target")
		})
	}
}

// serve publishes res's site to a folder of its own and serves it as a
// plain static host does, for as long as t runs.
func serve(t *testing.T, ln net.Listener, res *site.Result) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "public")
	if err := output.Publish(context.Background(), res.Tree, dir); err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: staticSite(dir), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln) // returns when srv.Close runs
	t.Cleanup(func() { srv.Close() })
}

// moveRetry edits the seed library: "Retry with Backoff" is renamed "Retry
// with Exponential Backoff" and moved to the end of "Error Handling
// Prompts", and "Paginated API Consumer" is renamed "Paginated API Reader"
// on its page.
func moveRetry(t *testing.T, md string) string {
	t.Helper()
	i := strings.Index(md, "### Retry with Backoff\n")
	if i < 0 {
		t.Fatal("the seed has no \"### Retry with Backoff\"")
	}
	end := i + strings.Index(md[i:], "\n---\n") + 1
	section := strings.Replace(md[i:end], "Retry with Backoff", "Retry with Exponential Backoff", 1)
	md = md[:i] + md[end:]
	j := strings.Index(md, "---\n\n## Testing Prompts")
	if j < 0 {
		t.Fatal("the seed has no \"## Testing Prompts\"")
	}
	md = md[:j] + section + "\n" + md[j:]
	if !strings.Contains(md, "### Paginated API Consumer\n") {
		t.Fatal("the seed has no \"### Paginated API Consumer\"")
	}
	return strings.Replace(md, "### Paginated API Consumer\n", "### Paginated API Reader\n", 1)
}

// TestMovedPrompt builds the seed library, keeping its anchors.lock, then
// renames "Retry with Backoff" and moves it to another category, and
// renames another prompt on its page. The old addresses must land on the
// prompts' new places in the browser, with the site served by a plain
// static host.
func TestMovedPrompt(t *testing.T) {
	t.Parallel() // no clipboard: see TestCopyCodeBlocks
	s := start(t)
	seed, err := os.ReadFile(seedMarkdown)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	origin := "http://" + ln.Addr().String()
	lockPath := filepath.Join(t.TempDir(), anchorlock.Name)
	build := func(md string) *site.Result {
		t.Helper()
		lock, err := anchorlock.Read(lockPath)
		if err != nil {
			t.Fatal(err)
		}
		res, err := site.Build(site.Config{
			Files:     []content.File{{Name: "content/python-async-prompts.md", Data: []byte(md)}},
			Templates: promptsite.Templates(),
			Assets:    promptsite.Assets(),
			BaseURL:   origin,
			Lock:      lock,
		})
		if err != nil {
			t.Fatalf("build: %v", err)
		}
		if err := res.Anchors.Write(lockPath); err != nil {
			t.Fatal(err)
		}
		return res
	}
	build(string(seed)) // the published site, which writes the lock
	res := build(moveRetry(t, string(seed)))
	serve(t, ln, res)
	lock, _ := os.ReadFile(lockPath)
	for _, want := range []string{
		"/implementation-prompts/#retry-with-backoff -> /error-handling-prompts/#retry-with-exponential-backoff",
		"/implementation-prompts/#paginated-api-consumer -> /implementation-prompts/#paginated-api-reader",
	} {
		if !strings.Contains(string(lock), want+"\n") {
			t.Errorf("the lock after the move has no line %q:\n%s", want, lock)
		}
	}

	for _, tt := range []struct {
		name, from, path, id, sel string
	}{
		{"moved to another page", "/implementation-prompts/#retry-with-backoff",
			"/error-handling-prompts/", "retry-with-exponential-backoff", ":target"},
		{"its old share page", "/p/implementation-prompts/retry-with-backoff.html",
			"/error-handling-prompts/", "retry-with-exponential-backoff", ":target"},
		{"renamed on its page", "/implementation-prompts/#paginated-api-consumer",
			"/implementation-prompts/", "paginated-api-consumer", ":has(> .alias:target)"},
		{"the new address", "/implementation-prompts/#paginated-api-reader",
			"/implementation-prompts/", "paginated-api-reader", ":target"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, vp := range []viewport{desktop, phone} {
				ctx := s.tab(t, 20*time.Second)
				if err := chromedp.Do(ctx, vp.emulate()); err != nil {
					t.Fatal(err)
				}
				navigate(t, ctx, origin+tt.from, 200)
				landsOn(t, ctx, tt.path, tt.id, tt.sel)
				if t.Failed() {
					t.Fatalf("at %s", vp.name)
				}
				if tt.sel != ":target" {
					// The renamed prompt looks as a target does.
					if got := mustEval[string](t, ctx, `(() => { const s = document.getElementById("paginated-api-consumer").closest("section.prompt");
						return getComputedStyle(s).borderTopWidth; })()`); got == "1px" {
						t.Errorf("the prompt an old anchor lands on is not marked as the target: border %s", got)
					}
				}
			}
		})
	}
}
