package e2e

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// axeFile is axe-core as npm ci installs it from testdata/package-lock.json.
const axeFile = "testdata/node_modules/axe-core/axe.min.js"

// axeSource returns axe-core's script, or skips the test when it is not
// installed, unless the browser tests are required.
func axeSource(t *testing.T) []byte {
	t.Helper()
	src, err := os.ReadFile(axeFile)
	if errors.Is(err, fs.ErrNotExist) {
		msg := "axe-core is not installed: run npm ci in site/e2e/testdata"
		if required {
			t.Fatal("PROMPTSITE_E2E=1 but " + msg)
		}
		t.Skip(msg)
	}
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// TestAxe runs axe-core on the home page, a category page and the 404 page,
// light and dark, at a desktop's and a phone's width, and fails on every
// violation it finds.
func TestAxe(t *testing.T) {
	t.Parallel() // no clipboard: see TestCopyCodeBlocks
	src := axeSource(t)
	s := start(t)
	for _, pg := range []struct {
		path   string
		status int64
	}{{"/", 200}, {"/implementation-prompts/", 200}, {"/no-such-page/", 404}} {
		// One tab per page, which axe checks at each size and in each
		// color scheme in turn: the media change in place.
		t.Run(pg.path, func(t *testing.T) {
			t.Parallel()
			ctx := s.tab(t, 30*time.Second)
			if err := chromedp.Do(ctx, desktop.emulate()); err != nil {
				t.Fatal(err)
			}
			navigate(t, ctx, s.url(pg.path), pg.status)
			for _, vp := range []viewport{desktop, phone} {
				for _, scheme := range []string{"light", "dark"} {
					t.Run(vp.name+"/"+scheme, func(t *testing.T) {
						if err := chromedp.Do(ctx, vp.emulate(), colorScheme(scheme)); err != nil {
							t.Fatal(err)
						}
						got := mustEval[[]any](t, ctx, `[innerWidth, matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light"]`)
						if want := []any{float64(vp.width), scheme}; fmt.Sprint(got) != fmt.Sprint(want) {
							t.Fatalf("the page sees width and color scheme %v; want %v", got, want)
						}
						for _, v := range runAxe(t, ctx, src) {
							t.Error(v)
						}
					})
				}
			}
		})
	}

	// The runs above must be able to fail: axe finds the faults of a page
	// that has some, in a tab used as theirs are, after a run that found
	// none.
	t.Run("a faulty page is caught", func(t *testing.T) {
		t.Parallel()
		ctx := s.tab(t, 30*time.Second)
		if err := chromedp.Do(ctx, desktop.emulate()); err != nil {
			t.Fatal(err)
		}
		navigate(t, ctx, s.url("/"), 200)
		runAxe(t, ctx, src)
		if err := chromedp.Do(ctx, phone.emulate(), colorScheme("dark")); err != nil {
			t.Fatal(err)
		}
		mustEval[chromedp.Void](t, ctx, `{
			const p = document.createElement("p");
			p.textContent = "faint";
			p.style.color = "#999";
			p.style.background = "#aaa";
			document.querySelector("main").append(p, document.createElement("img"));
		}`)
		got := strings.Join(runAxe(t, ctx, src), "\n")
		for _, id := range []string{"color-contrast", "image-alt"} {
			if !strings.Contains(got, ": "+id+" (") {
				t.Errorf("axe did not report %s on a page with that fault; it reported:\n%s", id, got)
			}
		}
	})
}

// runAxe injects axe-core into the tab's page and runs it on the document. It
// returns a description of each violation: the rule, its impact, its help
// axeEverywhere runs axe-core on the page open in ctx at each viewport, in
// light and dark, and fails t with each violation it finds.
func axeEverywhere(t *testing.T, ctx context.Context, src []byte) {
	t.Helper()
	for _, vp := range []viewport{desktop, phone} {
		for _, scheme := range []string{"light", "dark"} {
			if err := chromedp.Do(ctx, vp.emulate(), colorScheme(scheme)); err != nil {
				t.Fatal(err)
			}
			for _, v := range runAxe(t, ctx, src) {
				t.Errorf("%s, %s: %s", vp.name, scheme, v)
			}
		}
	}
}

// and each element at fault.
func runAxe(t *testing.T, ctx context.Context, src []byte) []string {
	t.Helper()
	// Runtime.evaluate is not subject to the page's CSP, so axe runs
	// although the site allows no script but its own.
	if !mustEval[bool](t, ctx, `typeof axe === "object"`) {
		mustEval[chromedp.Void](t, ctx, string(src))
	}
	version := mustEval[string](t, ctx, `typeof axe === "object" ? axe.version : ""`)
	if version == "" {
		t.Fatal("axe-core did not load into the page")
	}
	res := mustEval[struct {
		Passes     int
		Violations []struct {
			ID, Impact, Help, HelpURL string
			Nodes                     []struct {
				Target         []string
				FailureSummary string
			}
		}
	}](t, ctx, `axe.run(document).then(r => ({
		passes: r.passes.length,
		violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
			nodes: v.nodes.map(n => ({target: n.target.map(String), failureSummary: n.failureSummary}))})),
	}))`)
	if res.Passes == 0 {
		t.Fatalf("axe-core %s ran no check", version)
	}
	var out []string
	for _, v := range res.Violations {
		var nodes []string
		for _, n := range v.Nodes {
			nodes = append(nodes, fmt.Sprintf("\n\t%s: %s", strings.Join(n.Target, " "), strings.ReplaceAll(n.FailureSummary, "\n", " ")))
		}
		out = append(out, fmt.Sprintf("axe-core %s: %s (%s): %s (%s)%s", version, v.ID, v.Impact, v.Help, v.HelpURL, strings.Join(nodes, "")))
	}
	return out
}
