package render

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/cespare/xxhash/v2"

	promptsite "github.com/promptsite/promptsite"
	"github.com/promptsite/promptsite/site/model"
	"github.com/promptsite/promptsite/site/output"
)

// mapPast is a Past of the pages of one render.
type mapPast struct {
	tree  *output.Tree
	made  map[string]Made
	asked int
	lost  string // a page whose bytes are not to be had
}

func (p *mapPast) Page(name string, key uint64) func() []byte {
	p.asked++
	if m, ok := p.made[name]; ok && m.Key == key {
		return func() []byte {
			if name == p.lost {
				return nil
			}
			b, _ := p.tree.Get(name)
			return b
		}
	}
	return nil
}

// renderPast renders s with a Cache of NewPastCache(past), and returns
// the site and the Cache.
func renderPast(t *testing.T, s *model.Site, past Past) (*output.Tree, *Cache) {
	t.Helper()
	tm, err := Parse(promptsite.Templates())
	if err != nil {
		t.Fatal(err)
	}
	c := NewPastCache(past)
	tree := output.NewTree()
	if err := tm.RenderCached(context.Background(), tree, s, Options{BaseURL: "https://x.example/"}, c, nil); err != nil {
		t.Fatal(err)
	}
	return tree, c
}

// pastOf is the Past of a render that used c.
func pastOf(tree *output.Tree, c *Cache) *mapPast {
	p := &mapPast{tree: tree, made: map[string]Made{}}
	for _, m := range c.Made() {
		p.made[m.Name] = m
	}
	return p
}

// TestPastCache renders a library three times, each time from the render
// before: with the library unchanged, every page made is taken, and with
// one prompt changed, every page but its category's.
func TestPastCache(t *testing.T) {
	s := trickyLibrary()
	first, c := renderPast(t, s, nil)
	firstCache := c
	made := c.Made()
	// The category pages, those that templates render; not the share
	// pages, which writeSharePage writes.
	if len(made) != len(s.Categories) {
		t.Fatalf("the render made %d pages to take: %v; want the %d categories'", len(made), made, len(s.Categories))
	}
	for _, m := range made {
		b, ok := first.Get(m.Name)
		if !ok {
			t.Fatalf("%s was made, but is not in the site", m.Name)
		}
		if m.Size != len(b) || m.Sum != xxhash.Sum64(b) {
			t.Errorf("%s is recorded as %d bytes of sum %x, not as it was made", m.Name, m.Size, m.Sum)
		}
	}
	if reused, _ := c.Counts(); reused != 0 {
		t.Fatalf("a render with no past reused %d pages", reused)
	}

	same := func(got, want *output.Tree) {
		t.Helper()
		if !slices.Equal(got.Names(), want.Names()) {
			t.Fatalf("the files differ: %q, want %q", got.Names(), want.Names())
		}
		for _, n := range want.Names() {
			a, _ := got.Get(n)
			b, _ := want.Get(n)
			if !bytes.Equal(a, b) {
				t.Fatalf("%s differs:\n%s", n, firstDiff(string(a), string(b)))
			}
		}
	}
	past := pastOf(first, c)
	again, c := renderPast(t, trickyLibrary(), past)
	same(again, first)
	if reused, _ := c.Counts(); reused != len(made) {
		t.Errorf("the same library again reused %d pages, want %d", reused, len(made))
	}
	if past.asked != len(made) {
		t.Errorf("the render asked its past for %d pages, want the %d it keeps", past.asked, len(made))
	}

	// A page whose file lost its bytes is rendered in its turn.
	past = pastOf(first, c)
	past.lost = made[1].Name
	again, c = renderPast(t, trickyLibrary(), past)
	same(again, first)
	if reused, rendered := c.Counts(); reused != len(made)-1 {
		t.Errorf("with a page's bytes lost, %d pages were reused (%d rendered); want all but that one, %d", reused, rendered, len(made)-1)
	}

	edited := trickyLibrary()
	edited.Categories[1].Prompts[2].Text += " edited"
	want, _ := renderPast(t, edited, nil)
	got, c := renderPast(t, edited, pastOf(again, c))
	same(got, want)
	if reused, rendered := c.Counts(); reused != len(made)-1 {
		t.Errorf("with one prompt edited, %d pages were reused (%d rendered); want all but its category's, %d",
			reused, rendered, len(made)-1)
	}

	// Lines added above every heading move the categories and prompts in
	// their file, which the built-in theme does not show: every page is
	// taken.
	shifted := trickyLibrary()
	for _, cat := range shifted.Categories {
		cat.Source.Line += 7
		for _, p := range cat.Prompts {
			p.Source.Line += 7
		}
	}
	got, c = renderPast(t, shifted, pastOf(first, firstCache))
	same(got, first)
	if reused, rendered := c.Counts(); reused != len(made) {
		t.Errorf("with every heading moved down its file, %d pages were reused (%d rendered); want all %d", reused, rendered, len(made))
	}
}

// TestKeysInEveryProcess checks that a page's key is the same in another
// process of the same executable, as a Past needs: the keys have no seed
// and hash no address. The test runs itself to make the other process.
func TestKeysInEveryProcess(t *testing.T) {
	keys := func() string {
		_, c := renderPast(t, trickyLibrary(), nil)
		var b strings.Builder
		for _, m := range c.Made() {
			fmt.Fprintf(&b, "%s %x\n", m.Name, m.Key)
		}
		return b.String()
	}
	if os.Getenv("PROMPTSITE_KEYS_CHILD") == "1" {
		fmt.Print("<<" + keys() + ">>")
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestKeysInEveryProcess$")
	cmd.Env = append(os.Environ(), "PROMPTSITE_KEYS_CHILD=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("the other process: %v\n%s", err, out)
	}
	_, theirs, ok := strings.Cut(string(out), "<<")
	theirs, _, ok2 := strings.Cut(theirs, ">>")
	if !ok || !ok2 || theirs == "" {
		t.Fatalf("the other process printed no keys:\n%s", out)
	}
	if ours := keys(); theirs != ours {
		t.Errorf("the keys of another process:\n%s\nours:\n%s", theirs, ours)
	}
}
