package site_test

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	promptsite "github.com/promptsite/promptsite"
	"github.com/promptsite/promptsite/site"
	"github.com/promptsite/promptsite/site/anchorlock"
	"github.com/promptsite/promptsite/site/content"
	"github.com/promptsite/promptsite/site/internal/libgen"
	"github.com/promptsite/promptsite/site/output"
	"github.com/promptsite/promptsite/site/render"
)

// TestCacheMatchesFullBuild edits a library and its configuration step by step, as an author
// does while the dev server runs, and builds it after each step twice:
// with the cache the builds before filled, and from nothing. The two sites
// must be the same, file for file and byte for byte; and an edit to one
// prompt must reuse the pages of the others.
func TestCacheMatchesFullBuild(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, "content", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(strings.ReplaceAll(text, "§§§", "```")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	read := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, "content", filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	replace := func(name, old, new string) {
		t.Helper()
		text := read(name)
		old = strings.ReplaceAll(old, "§§§", "```")
		if !strings.Contains(text, old) {
			t.Fatalf("%s has no %q", name, old)
		}
		write(name, strings.Replace(text, old, new, 1))
	}
	// Categories of 40 prompts, split into pages, more than the home page
	// lists (its map of ids); a second file of
	// them; prompt files with tags, an alias and one in German.
	write("gen.md", string(libgen.LibraryOf(320, 40, 1)))
	write("more.md", "## Review Prompts\n\nPrompts to review code.\n\n### Review a diff\n\n§§§\nReview this diff.\n§§§\n\n"+
		"### Review tests\n\nSee [the diff prompt](#review-a-diff), [the generated ones](gen.md) and [the linter](tools/lint.md).\n\n§§§\nReview these tests.\n§§§\n")
	write("tools/lint.md", "---\ntitle: Lint it\ntags: [go, review]\naliases: [/old-tools/#lint]\n---\nLint {{file}}.\n")
	write("tools/format.md", "---\ntitle: Format it\ntags: [go]\ndescription: Formats code.\n---\nFormat the code.\n")
	write("tools/uebersetzen.md", "---\ntitle: Übersetzen\nlang: de\n---\nÜbersetze den folgenden Text ins Englische und behalte die Formatierung bei.\n")

	updated := "2026-01-02"
	base := "https://prompts.example.com/"
	configure := func(*site.Config) {} // the configuration's own steps
	cache := site.NewCache()
	config := func(c *site.Cache) site.Config {
		t.Helper()
		lib, err := content.Load(dir, []string{"content"}, content.Options{Project: dir})
		if err != nil {
			t.Fatal(err)
		}
		cfg := site.Config{Files: lib.Files, Skipped: lib.Skipped, Templates: promptsite.Templates(),
			Assets: promptsite.Assets(), BaseURL: base, Project: dir, Cache: c, LinkWarnings: true,
			EditLink: func(path string, line int) string { return fmt.Sprintf("https://git.example/%s#L%d", path, line) },
			Updated:  func(path string, from, to int) string { return updated },
		}
		configure(&cfg)
		return cfg
	}
	build := func(c *site.Cache) (*output.Tree, string) {
		t.Helper()
		res, err := site.Build(config(c))
		if err != nil {
			t.Fatal(err)
		}
		var warnings strings.Builder
		for _, w := range res.Site.Warnings {
			fmt.Fprintln(&warnings, w)
		}
		return res.Tree, warnings.String()
	}
	// A build of the command line takes its pages from the site the
	// build before made (see NewPastCache): past is that build's.
	var past *treePast
	var pastCache *site.Cache
	same := func(step string) {
		t.Helper()
		want, wantWarnings := build(nil)
		pastCache = site.NewPastCache(past, false)
		fromPast, pastWarnings := build(pastCache)
		got, gotWarnings := build(cache)
		for _, c := range []struct {
			name     string
			tree     *output.Tree
			warnings string
		}{{"cached", got, gotWarnings}, {"past", fromPast, pastWarnings}} {
			if c.warnings != wantWarnings {
				t.Fatalf("%s: the %s build warns\n%s\nthe full build\n%s", step, c.name, c.warnings, wantWarnings)
			}
			gotNames, wantNames := c.tree.Names(), want.Names()
			if !slices.Equal(gotNames, wantNames) {
				t.Fatalf("%s: the %s build has files %d, the full build %d; only in one: %v", step, c.name,
					len(gotNames), len(wantNames), symmetricDiff(gotNames, wantNames))
			}
			for _, n := range wantNames {
				a, _ := c.tree.Get(n)
				b, _ := want.Get(n)
				if !bytes.Equal(a, b) {
					t.Fatalf("%s: %s of the %s build differs from the full build's:\n%s", step, n, c.name, firstDiff(string(a), string(b)))
				}
			}
		}
		past = &treePast{tree: fromPast, made: map[string]render.Made{}, analyses: bytes.Join(pastCache.Analyses(), nil), scans: pastCache.Scans()}
		for _, m := range pastCache.Made() {
			past.made[m.Name] = m
		}
	}
	same("first build")
	reused, _ := cache.Counts()
	if reused != 0 {
		t.Fatalf("the first build reused %d pages from an empty cache", reused)
	}
	if reused, _ := pastCache.Counts(); reused != 0 {
		t.Fatalf("the first build reused %d pages from no past", reused)
	}
	same("the same library again")
	// The home page, the 404 page and the pages of the tags (the list
	// and go and review) are always rendered.
	if reused, rendered := cache.Counts(); rendered != 5 {
		t.Errorf("a build of the same library rendered %d pages again (reused %d); want the home, 404 and 3 tag pages", rendered, reused)
	}
	// From its past, the command line's build takes the pages of the
	// categories and of the prompt files, those that templates render;
	// it writes the share pages (see render.NewPastCache).
	if reused, rendered := pastCache.Counts(); reused != len(past.made) || reused < 20 {
		t.Errorf("a build of the same library from its past reused %d pages (rendered %d); want the %d it made", reused, rendered, len(past.made))
	}

	steps := []struct {
		name string
		edit func()
		// most is the most pages the cached build may render, 0 for
		// any number.
		most int
	}{
		{"one prompt's text", func() { replace("more.md", "Review this diff.", "Review this diff, line by line.") }, 7},
		// Past the excerpt of a long prompt, and of the same length:
		// only its long texts change.
		{"the end of a long prompt", func() {
			text := read("gen.md")
			i := strings.Index(text, "\n### ")
			i += strings.Index(text[i:], "\n```\n") + 5 // the opening fence's line break
			j := i + strings.Index(text[i:], "\n```\n")
			if j-i < 200 {
				t.Fatalf("the first generated prompt is %d bytes long; want a long one", j-i)
			}
			write("gen.md", text[:j-4]+"ZZZZ"+text[j:])
		}, 9},
		{"one generated prompt's title", func() { replace("gen.md", "### ", "### Renamed ") }, 0},
		{"the title of a prompt the home page leaves out", func() {
			// The tenth prompt: its anchor is in the home page's map of ids.
			text := read("gen.md")
			i := 0
			for range 10 {
				i += strings.Index(text[i:], "\n### ") + 1
			}
			write("gen.md", text[:i]+"### Later "+text[i+4:])
		}, 0},
		{"a line added above the rest", func() { replace("more.md", "Prompts to review code.", "Prompts to review code.\n\nAnd more.") }, 0},
		{"a category's introduction", func() { replace("gen.md", "A library made up", "A library, made up") }, 0},
		{"a prompt file's tags", func() { replace("tools/format.md", "tags: [go]", "tags: [go, style]") }, 0},
		{"a prompt file's description", func() { replace("tools/format.md", "Formats code.", "Formats any code.") }, 0},
		{"a prompt added", func() { write("tools/vet.md", "---\ntitle: Vet it\n---\nVet the code.\n") }, 0},
		{"a prompt removed", func() { os.Remove(filepath.Join(dir, "content", "tools", "lint.md")) }, 0},
		// more.md, which links to it and is not edited, links to it again.
		{"the prompt back", func() { write("tools/lint.md", "---\ntitle: Lint it\ntags: [go, review]\n---\nLint {{file}}.\n") }, 0},
		{"a category removed", func() {
			text := read("gen.md")
			i := strings.LastIndex(text, "\n## ")
			write("gen.md", text[:i+1])
		}, 0},
		{"a category renamed", func() { replace("more.md", "## Review Prompts", "## Code Review Prompts") }, 0},
		{"the site's title", func() { replace("gen.md", "# Generated Prompt Library", "# Our Prompt Library") }, 0},
		{"the dates", func() { updated = "2026-03-04" }, 0},
		{"the base URL", func() { base = "https://example.org/prompts/" }, 0},
		{"the German prompt's text", func() { replace("tools/uebersetzen.md", "Englische", "Französische") }, 0},
		{"a link to a prompt that goes away", func() { replace("more.md", "### Review a diff", "### Review a patch") }, 0},
		// A heading renamed to one of the same length: the page keeps its
		// size, not its ids.
		{"a heading of the same length", func() { replace("more.md", "### Review tests", "### Review specs") }, 0},
		// Prompts share a word that all but the last take away. They are
		// analysed on as many cores as there are, up to eight, so that
		// the last is analysed after another one with the word.
		{"prompts with a word", func() {
			var b strings.Builder
			for i := range 9 {
				fmt.Fprintf(&b, "\n\n### Zebra %d\n\n§§§\nDraw a zebra.\n§§§", i)
			}
			replace("more.md", "## Code Review Prompts", "## Code Review Prompts"+b.String())
		}, 0},
		{"all but one of them gone", func() {
			text := read("more.md")
			i, j := strings.Index(text, "### Zebra 0"), strings.Index(text, "### Zebra 8")
			write("more.md", text[:i]+text[j:])
		}, 0},
		// A word typed without its accents finds it: the entry of the
		// word without them changes when the accented word goes.
		{"an accented word", func() {
			replace("more.md", "## Code Review Prompts", "## Code Review Prompts\n\n### Order\n\n§§§\nOrder a café.\n§§§\n\n### Milk\n\n§§§\nCafe au lait.\n§§§")
		}, 0},
		{"the accented word gone", func() { replace("more.md", "Order a café.", "Order a tea.") }, 0},
		// A prompt in the library's language moves to the other one it
		// has, and back: its words analysed by each.
		{"a prompt now in German", func() { replace("tools/format.md", "title: Format it", "title: Format it\nlang: de") }, 0},
		{"and in English again", func() { replace("tools/format.md", "title: Format it\nlang: de", "title: Format it") }, 0},
		{"the interface strings", func() { configure = func(c *site.Config) { c.Strings = map[string]string{"copy": "Take it"} } }, 0},
		{"a notice", func() { configure = func(c *site.Config) { c.Notice = "A preview" } }, 0},
		{"the footer", func() { configure = func(c *site.Config) { c.Footer = []render.Link{{Text: "Home", URL: "/"}} } }, 0},
		{"the chat links", func() { configure = func(c *site.Config) { c.Chat = []string{"claude"} } }, 0},
		{"the repository", func() { configure = func(c *site.Config) { c.Repository = "https://git.example/prompts" } }, 0},
		{"no indexing", func() { configure = func(c *site.Config) { c.NoIndex = true } }, 0},
		{"the title", func() { configure = func(c *site.Config) { c.Title = "Team Prompts" } }, 0},
		{"the language", func() { configure = func(c *site.Config) { c.Lang = "fr" } }, 0},
		// The addresses of the library as it is now recorded in
		// anchors.lock, which each build reads, as serve does: a heading
		// renamed then keeps its old address as an alias, which its own
		// pages show, not the others.
		{"anchors.lock", func() {
			lock := filepath.Join(dir, "anchors.lock")
			readLock := func(c *site.Config) {
				l, err := anchorlock.Read(lock)
				if err != nil {
					t.Fatal(err)
				}
				c.Lock, c.AcceptRemoved = l, true
			}
			configure = readLock
			res, err := site.Build(config(nil))
			if err != nil {
				t.Fatal(err)
			}
			if err := res.Anchors.Write(lock); err != nil {
				t.Fatal(err)
			}
		}, 0},
		{"a heading renamed under anchors.lock", func() { replace("more.md", "### Review specs", "### Review the specs") }, 9},
		{"another, in a category split into pages", func() {
			text := read("gen.md")
			i := strings.LastIndex(text, "\n### ")
			write("gen.md", text[:i]+"\n### Moved "+text[i+5:])
		}, 12},
	}
	for _, s := range steps {
		s.edit()
		made := len(past.made)
		same(s.name)
		if reused, rendered := cache.Counts(); s.most > 0 && rendered > s.most {
			t.Errorf("%s: the cached build rendered %d pages (reused %d); want at most %d", s.name, rendered, reused, s.most)
		}
		// The pages of its past that the build rendered again: all but
		// those of the edit.
		if reused, _ := pastCache.Counts(); s.most > 0 && reused < made-s.most {
			t.Errorf("%s: the build from its past reused %d of its %d pages; want all but %d at most", s.name, reused, made, s.most)
		}
	}
}

// treePast is the past of a build in a test: the pages of the build
// before, as its Cache made them, and its search's analyses.
type treePast struct {
	tree            *output.Tree
	made            map[string]render.Made
	analyses, scans []byte
}

func (p *treePast) Scans() []byte {
	if p == nil {
		return nil
	}
	return p.scans
}

func (p *treePast) Analyses() []byte {
	if p == nil {
		return nil
	}
	return p.analyses
}

func (p *treePast) Page(name string, key uint64) (int, uint64, func() []byte) {
	if p == nil {
		return 0, 0, nil
	}
	m, ok := p.made[name]
	if !ok || m.Key != key {
		return 0, 0, nil
	}
	return m.Size, m.Sum, func() []byte {
		b, _ := p.tree.Get(name)
		return b
	}
}

// symmetricDiff lists the names in only one of a and b.
func symmetricDiff(a, b []string) []string {
	in := map[string]int{}
	for _, n := range a {
		in[n]++
	}
	for _, n := range b {
		in[n]--
	}
	var out []string
	for _, n := range slices.Sorted(maps.Keys(in)) {
		if in[n] != 0 {
			out = append(out, n)
		}
	}
	return out
}

// TestCacheFileGivenTwice gives a build the same file twice: each is a
// document of its own, with a cache as without one.
func TestCacheFileGivenTwice(t *testing.T) {
	f := content.File{Name: "a.md", Rel: "a.md", Data: []byte("Lint the code.\n")}
	cfg := site.Config{Files: []content.File{f, f}, Templates: promptsite.Templates(), Assets: promptsite.Assets(),
		LinkWarnings: true}
	want, err := site.Build(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Cache = site.NewCache()
	for build := range 3 {
		got, err := site.Build(cfg)
		if err != nil {
			t.Fatalf("cached build %d: %v", build+1, err)
		}
		if !slices.Equal(got.Tree.Names(), want.Tree.Names()) {
			t.Fatalf("cached build %d: files differ from the full build's: %v", build+1,
				symmetricDiff(got.Tree.Names(), want.Tree.Names()))
		}
		for _, n := range want.Tree.Names() {
			a, _ := got.Tree.Get(n)
			b, _ := want.Tree.Get(n)
			if !bytes.Equal(a, b) {
				t.Fatalf("cached build %d: %s differs from the full build's:\n%s", build+1, n, firstDiff(string(a), string(b)))
			}
		}
	}
}
