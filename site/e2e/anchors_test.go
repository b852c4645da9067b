package e2e

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestTargetInView opens prompts' addresses and checks that the browser
// lands on the prompt: in view, below the sticky header, and visibly marked
// as the target.
func TestTargetInView(t *testing.T) {
	t.Parallel() // no clipboard: see TestCopyCodeBlocks
	s := start(t)
	for _, vp := range []viewport{desktop, phone} {
		for _, link := range []string{
			"/conversion-prompts/#convert-sync-to-async",     // the first prompt, near the top
			"/testing-prompts/#mock-async-dependencies",      // one in the middle
			"/implementation-prompts/#retry-with-backoff",    // the last prompt of the longest page
			"/tips-for-better-results/#iterative-refinement", // the last of a page with little below it
		} {
			t.Run(vp.name+link, func(t *testing.T) {
				t.Parallel()
				ctx := s.tab(t, 20*time.Second)
				if err := chromedp.Do(ctx, vp.emulate()); err != nil {
					t.Fatal(err)
				}
				navigate(t, ctx, s.url(link), 200)
				id := link[strings.IndexByte(link, '#')+1:]
				state := fmt.Sprintf(`(() => {
					const el = document.getElementById(%s), top = document.querySelector(".top");
					if (!el) return {found: false};
					const r = el.getBoundingClientRect();
					return {found: true, target: el.matches(":target"), top: r.top,
						header: top ? top.getBoundingClientRect().bottom : 0, hasHeader: !!top,
						height: innerHeight, scrollY: scrollY};
				})()`, jsString(id))
				ok := poll(t, ctx, fmt.Sprintf(`(() => { const s = %s;
					return s.found && s.target && s.top >= s.header - 0.5 && s.top + 40 <= s.height; })()`, state), 3*time.Second)
				saveScreenshot(t, ctx, "target-"+vp.name+"-"+id, false)
				if !ok {
					got := mustEval[struct {
						Found, Target, HasHeader     bool
						Top, Header, Height, ScrollY float64
					}](t, ctx, state)
					switch {
					case !got.Found:
						t.Fatalf("no element has id %q", id)
					case !got.Target:
						t.Errorf("#%s does not match :target", id)
					case !got.HasHeader:
						t.Errorf("the page has no .top header")
					}
					if got.Top < got.Header-0.5 {
						t.Errorf("#%s starts at y=%.0f, under the sticky header, which ends at y=%.0f (scrollY %.0f)", id, got.Top, got.Header, got.ScrollY)
					}
					if got.Top+40 > got.Height {
						t.Errorf("#%s starts at y=%.0f, out of the %.0f px high viewport (scrollY %.0f)", id, got.Top, got.Height, got.ScrollY)
					}
				}

				// The target must look different from a prompt that is not.
				look := fmt.Sprintf(`(() => {
					const el = document.getElementById(%s);
					const other = [...document.querySelectorAll(el.tagName + "." + [...el.classList].join("."))].find(e => e !== el && !e.matches(":target"));
					if (!other) return null;
					const style = e => { const c = getComputedStyle(e);
						return [c.borderTopWidth, c.borderTopStyle, c.borderTopColor, c.borderLeftWidth, c.borderLeftStyle, c.borderLeftColor,
							c.backgroundColor, c.outlineStyle, c.outlineWidth, c.outlineColor, c.boxShadow].join(" "); };
					return {target: style(el), other: style(other)};
				})()`, jsString(id))
				got := mustEval[*struct{ Target, Other string }](t, ctx, look)
				if got == nil {
					t.Fatalf("no other prompt like #%s on the page to compare its look with", id)
				}
				if got.Target == got.Other {
					t.Errorf("#%s looks the same as a prompt that is not the target (border, background, outline, shadow: %s)", id, got.Target)
				}
			})
		}
	}
}

// TestAnchors checks that every prompt of the markdown has an element with
// GitHub's id on its category page, and that the element is that prompt.
func TestAnchors(t *testing.T) {
	t.Parallel() // no clipboard: see TestCopyCodeBlocks
	s := start(t)
	ctx := s.tab(t, 30*time.Second)
	type element struct {
		Tag, Text string
	}
	n := 0
	for _, c := range s.lib.categories {
		navigate(t, ctx, s.url("/"+c.slug+"/"), 200)
		got := mustEval[map[string]element](t, ctx, `Object.fromEntries([...document.querySelectorAll("[id]")].map(e => [e.id, {tag: e.tagName, text: e.textContent}]))`)
		for _, p := range c.prompts {
			el, ok := got[p.anchor]
			if !ok {
				t.Errorf("/%s/: no element has id %q (the prompt %q)", c.slug, p.anchor, p.title)
				continue
			}
			if !strings.Contains(strings.Join(strings.Fields(el.Text), " "), p.title) {
				t.Errorf("/%s/: the element with id %q is a <%s> without the prompt's title %q", c.slug, p.anchor, strings.ToLower(el.Tag), p.title)
			}
			n++
		}
	}
	if want := s.lib.prompts(); n != want {
		t.Errorf("found %d of the %d prompts' anchors", n, want)
	}
}

// TestLinks crawls the site from the home page (and the 404 page, which
// nothing links to) in the browser, and checks that every link, stylesheet
// and script on every page resolves, and every #fragment names an element
// of its page.
func TestLinks(t *testing.T) {
	t.Parallel() // no clipboard: see TestCopyCodeBlocks
	s := start(t)
	ctx := s.tab(t, 60*time.Second)

	type page struct {
		IDs   []string
		Links []string // a[href], resolved
		Other []string // link[href], script[src], img[src], resolved
	}
	pages := map[string]*page{} // path → what it holds
	status := map[string]int{}  // address without fragment → HTTP status
	queue := []string{"/", "/404.html"}
	get := func(u string) int {
		if code, ok := status[u]; ok {
			return code
		}
		resp, err := http.Get(u)
		if err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		status[u] = resp.StatusCode
		return resp.StatusCode
	}
	var refs []struct{ page, href string }
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if _, done := pages[p]; done {
			continue
		}
		if code := get(s.url(p)); code != http.StatusOK {
			pages[p] = &page{}
			continue
		}
		navigate(t, ctx, s.url(p), 200)
		pg := mustEval[*page](t, ctx, `({
			ids: [...document.querySelectorAll("[id]")].map(e => e.id).concat([...document.querySelectorAll("a[name]")].map(e => e.name)),
			links: [...document.querySelectorAll("a[href]")].map(a => a.href),
			other: [...document.querySelectorAll("link[href], script[src], img[src]")].map(e => e.href || e.src),
		})`)
		pages[p] = pg
		for _, href := range append(slices.Clone(pg.Links), pg.Other...) {
			refs = append(refs, struct{ page, href string }{p, href})
			u, err := url.Parse(href)
			if err != nil || u.Scheme+"://"+u.Host != s.origin {
				continue
			}
			if slices.Contains(pg.Links, href) && (strings.HasSuffix(u.Path, "/") || strings.HasSuffix(u.Path, ".html")) {
				queue = append(queue, u.Path)
			}
		}
	}

	// The sitemap lists pages too.
	if get(s.url("/sitemap.xml")) == http.StatusOK {
		resp, err := http.Get(s.url("/sitemap.xml"))
		if err != nil {
			t.Fatal(err)
		}
		var sm struct {
			URLs []struct {
				Loc string `xml:"loc"`
			} `xml:"url"`
		}
		err = xml.NewDecoder(resp.Body).Decode(&sm)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("sitemap.xml: %v", err)
		}
		for _, u := range sm.URLs {
			refs = append(refs, struct{ page, href string }{"/sitemap.xml", u.Loc})
		}
	} else {
		t.Logf("no sitemap.xml (status %d)", status[s.url("/sitemap.xml")])
	}

	external := 0
	for _, r := range refs {
		u, err := url.Parse(r.href)
		if err != nil {
			t.Errorf("%s: unparsable address %q: %v", r.page, r.href, err)
			continue
		}
		if u.Scheme+"://"+u.Host != s.origin {
			if u.Scheme != "mailto" {
				external++
			}
			continue
		}
		if code := get(s.url(u.Path)); code != http.StatusOK {
			t.Errorf("%s links to %s, which answers %d", r.page, r.href, code)
			continue
		}
		if u.Fragment == "" && strings.Contains(r.href, "#") {
			t.Errorf("%s links to %s, an empty fragment", r.page, r.href)
			continue
		}
		if u.Fragment == "" {
			continue
		}
		target, ok := pages[u.Path]
		if !ok {
			t.Errorf("%s links to %s, a fragment of a page that is not HTML", r.page, r.href)
			continue
		}
		if !slices.Contains(target.IDs, u.Fragment) {
			t.Errorf("%s links to %s, but %s has no element with id %q", r.page, r.href, u.Path, u.Fragment)
		}
	}
	var html []string
	for p := range pages {
		html = append(html, p)
	}
	slices.Sort(html)
	t.Logf("crawled %d pages, checked %d references (%d to other sites): %s", len(pages), len(refs), external, strings.Join(html, " "))
	if want := len(s.lib.categories) + 2; len(pages) < want {
		t.Errorf("crawled %d pages; want at least %d (home, 404 and each category)", len(pages), want)
	}
}
