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
	tree   *output.Tree
	made   map[string]Made
	asked  int
	lost   string // a page whose bytes are not to be had
	onLoad func() // called when a page's bytes are read
}

func (p *mapPast) Page(name string, key uint64) (int, uint64, func() []byte) {
	p.asked++
	if m, ok := p.made[name]; ok && m.Key == key {
		return m.Size, m.Sum, func() []byte {
			if p.onLoad != nil {
				p.onLoad()
			}
			if name == p.lost {
				return nil
			}
			b, _ := p.tree.Get(name)
			return b
		}
	}
	return 0, 0, nil
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
	// The category pages and the prompts' share pages: not the home, 404
	// and tag pages, which read the whole site.
	prompts := 0
	for _, cat := range s.Categories {
		prompts += len(cat.Prompts)
	}
	if len(made) != len(s.Categories)+prompts {
		t.Fatalf("the render made %d pages to take: %v; want the %d categories' and the %d share pages", len(made), made, len(s.Categories), prompts)
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

	// A page whose file lost its bytes is rendered when they are needed:
	// here, where the tree keeps every file, at once.
	for _, lost := range []string{made[1].Name, made[len(made)-1].Name} {
		past = pastOf(first, c)
		past.lost = lost
		again, c = renderPast(t, trickyLibrary(), past)
		same(again, first)
	}

	// With one prompt edited, its category's page and its share page are
	// rendered again.
	edited := trickyLibrary()
	edited.Categories[1].Prompts[2].Text += " edited"
	want, _ := renderPast(t, edited, nil)
	got, c := renderPast(t, edited, pastOf(again, c))
	same(got, want)
	if reused, rendered := c.Counts(); reused != len(made)-2 {
		t.Errorf("with one prompt edited, %d pages were reused (%d rendered); want all but its category's and its share page, %d",
			reused, rendered, len(made)-2)
	}

	// A tree that forgets the bytes of its files, and takes known ones as
	// they are, gets the pages of the past by their size and sum: none is
	// read, and each, when read, is as the render made it.
	tm, err := Parse(promptsite.Templates())
	if err != nil {
		t.Fatal(err)
	}
	past = pastOf(first, firstCache)
	loads := 0
	past.onLoad = func() { loads++ }
	forgets := output.NewTree()
	forgets.Forget()
	known := map[string]output.Known{}
	forgets.OnKnown(func(name string, k output.Known) { known[name] = k })
	forgets.OnAdd(func(string, []byte) {})
	if err := tm.RenderCached(context.Background(), forgets, trickyLibrary(), Options{BaseURL: "https://x.example/"}, NewPastCache(past), nil); err != nil {
		t.Fatal(err)
	}
	if len(known) != len(made) || loads != 0 {
		t.Fatalf("the forgetful tree was given %d known pages and %d were read; want the %d made, none read", len(known), loads, len(made))
	}
	past.lost = made[0].Name
	for name, k := range known {
		b, _ := first.Get(name)
		if got := k.Load(); k.Size != len(b) || k.Sum != xxhash.Sum64(b) || !bytes.Equal(got, b) {
			t.Errorf("%s is known as %d bytes of sum %x, and read as %q; want it as the render made it", name, k.Size, k.Sum, firstDiff(string(got), string(b)))
		}
	}

	// A page whose file is lost and which renders otherwise than its past
	// says, as if its key missed a value, is left out of what the render
	// made: the next build renders it again.
	past = pastOf(first, firstCache)
	odd := past.made[made[1].Name]
	odd.Sum++
	past.made[odd.Name], past.lost = odd, odd.Name
	forgets = output.NewTree()
	forgets.Forget()
	clear(known)
	forgets.OnKnown(func(name string, k output.Known) { known[name] = k })
	forgets.OnAdd(func(string, []byte) {})
	oddCache := NewPastCache(past)
	if err := tm.RenderCached(context.Background(), forgets, trickyLibrary(), Options{BaseURL: "https://x.example/"}, oddCache, nil); err != nil {
		t.Fatal(err)
	}
	for _, k := range known {
		k.Load()
	}
	for _, m := range oddCache.Made() {
		if m.Name == odd.Name {
			t.Errorf("%s, which came out otherwise than its past, is among the pages made: %+v", odd.Name, m)
		}
	}
	if got := len(oddCache.Made()); got != len(made)-1 {
		t.Errorf("the render made %d pages to take; want all but the odd one, %d", got, len(made)-1)
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
