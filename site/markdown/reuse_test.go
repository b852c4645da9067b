package markdown

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/promptsite/promptsite/site/content"
	"github.com/promptsite/promptsite/site/highlight"
	"github.com/promptsite/promptsite/site/model"
)

// TestReuseRendersAsFresh renders each testdata case's file, reuses its
// document as the next build of an unchanged file does (see Reuse), and
// renders it again with links that now lead elsewhere, or nowhere, then
// once more with every link leading somewhere: each time it must give what
// the file parsed and rendered afresh gives. The parts without
// links are taken from the first render; those with links are led anew.
func TestReuseRendersAsFresh(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test cases: %v", err)
	}
	p := New(highlight.Highlighter{})
	leadTo := func(prefix string, missing bool) Resolver {
		return func(d *Document, dest string, image bool, pos model.Pos, inPrompt bool) (string, bool) {
			if missing && strings.Contains(dest, "a") {
				return "", false
			}
			return prefix + dest, true
		}
	}
	// Links everywhere a library has them, beside parts with none.
	linked := txtar.File{Name: "linked.md", Data: []byte("# Linked [home](index.md)\n\nSee [a guide](guide.md) and ![a logo](logo.png).\n\n" +
		"## Category [one](one.md)\n\nAbout [it](about.md#top). <a href=\"raw.md\">raw</a>\n\n" +
		"### Plain\n\nNothing to lead.\n\n```\nWrite a test.\n```\n\n" +
		"### Linked prompt\n\nRead [the notes](notes.md) first.\n\n```\nFollow [this](spec.md).\n```\n\n" +
		"### Quoted\n\n> Use <b>bold</b> and [a link](quoted.md) in the prompt.\n\n" +
		"### Title with [a link](title.md)\n\n```go\nfunc main() {}\n```\n\n" +
		"## Second\n\n### Raw\n\n<div><a href=\"page.md\">x</a></div>\n\n```\nText.\n```\n")}
	files = append(files, "")
	reused, tried := 0, 0
	for _, file := range files {
		ar := &txtar.Archive{Files: []txtar.File{linked}}
		if file != "" {
			if ar, err = txtar.ParseFile(file); err != nil {
				t.Fatal(err)
			}
		}
		for _, f := range ar.Files {
			if !strings.HasSuffix(f.Name, ".md") {
				continue
			}
			// A case of a file that does not parse or render has
			// nothing to reuse.
			read := func() *Document {
				cf, err := content.Read(f.Name, f.Data)
				if err != nil {
					return nil
				}
				d, err := p.Parse(&cf)
				if err != nil {
					return nil
				}
				return d
			}
			d := read()
			if d == nil {
				break
			}
			d.Keep()
			if err := p.Render(d, leadTo("/first/", false), nil); err != nil {
				break
			}
			tried++
			first := dump(d, nil)
			if !d.Reuse(context.Background()) {
				t.Fatalf("%s: Reuse = false after Keep", file)
			}
			again := p.Render(d, leadTo("/then/", true), nil)
			fresh := read()
			want := dump(fresh, p.Render(fresh, leadTo("/then/", true), nil))
			if got := dump(d, again); got != want {
				t.Errorf("%s, reused:\n%s\nafresh:\n%s", file, got, want)
			}
			if first != want {
				reused++ // the links led elsewhere: the test tells parts apart
			}
			// And the links that led nowhere lead somewhere again.
			if !d.Reuse(context.Background()) {
				t.Fatalf("%s: Reuse = false the second time", file)
			}
			again = p.Render(d, leadTo("/last/", false), nil)
			fresh = read()
			want = dump(fresh, p.Render(fresh, leadTo("/last/", false), nil))
			if got := dump(d, again); got != want {
				t.Errorf("%s, reused twice:\n%s\nafresh:\n%s", file, got, want)
			}
			break
		}
	}
	if tried < len(files)/2 {
		t.Errorf("only %d of %d cases parsed and rendered; want most", tried, len(files))
	}
	if reused < 3 {
		t.Errorf("only %d cases have links that lead elsewhere the second time; want a test of them", reused)
	}
}
