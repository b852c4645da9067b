package markdown

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/promptsite/promptsite/site/highlight"
	"github.com/promptsite/promptsite/site/model"
)

// FuzzParse feeds any text to the parser: it must not panic, must fail only
// with an error that names the file, and on success must give every
// heading an anchor unique in the file and let no raw HTML through.
func FuzzParse(f *testing.F) {
	seed, err := os.ReadFile("../../content/python-async-prompts.md")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(seed))
	for _, s := range []string{
		"# T\n## A\n### B\n```python\nx = 1\n```\n",
		"## A {#x}\n### B {#x}\n",
		"### orphan\n",
		"## <script>alert(1)</script>\n### [x](javascript:alert(1))\n",
		"## A\n> ### quoted\n- ### listed\n#### deep\n",
		"## ???\n",
		"## A\n````\n```\n````\n~~~\n",
		"\xff\xfe## A",
	} {
		f.Add(s)
	}
	p := New(highlight.Highlighter{})
	unsafe := regexp.MustCompile(`(?i)<script|<iframe|\son[a-z]+\s*=|href="javascript:|<style`)
	f.Fuzz(func(t *testing.T, src string) {
		// An input that hangs the parser must be kept: crashing the
		// worker makes the fuzzer save it to testdata/fuzz.
		watchdog := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("Parse took over 10s on %q", src)) })
		defer watchdog.Stop()
		d, err := parse(p, "f.md", []byte(src), false)
		if err != nil {
			var e *model.Error
			if !errors.As(err, &e) || e.Pos.File != "f.md" {
				t.Fatalf("Parse error %v (%T) does not name the file", err, err)
			}
			return
		}
		seen := map[string]string{}
		take := func(id, what string) {
			if id == "" {
				t.Fatalf("%s has no anchor", what)
			}
			if prev, dup := seen[id]; dup {
				t.Fatalf("%s and %s share the anchor %q", prev, what, id)
			}
			seen[id] = what
		}
		for _, c := range d.Categories {
			take(c.Slug, "category "+c.Title)
			if m := unsafe.FindString(string(c.Intro) + string(c.TitleHTML)); m != "" {
				t.Fatalf("category %q lets %q through", c.Title, m)
			}
			for _, pr := range c.Prompts {
				take(pr.Anchor, "prompt "+pr.Title)
				for _, h := range pr.Headings {
					take(h, "a heading in "+pr.Title)
				}
				if m := unsafe.FindString(string(pr.Body) + string(pr.TitleHTML)); m != "" {
					t.Fatalf("prompt %q lets %q through", pr.Title, m)
				}
				if strings.Contains(pr.Title, "\n") {
					t.Fatalf("prompt title %q spans lines", pr.Title)
				}
			}
		}
	})
}
