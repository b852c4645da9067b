package search_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/promptsite/promptsite/site/model"
	"github.com/promptsite/promptsite/site/output"
	"github.com/promptsite/promptsite/site/search"
)

// TestCacheMatchesFresh edits a library step by step, mostly a prompt at
// a time as an author does, and holds the index made with one Cache
// across the steps to one made afresh: the same files, byte for byte.
// The words come and go, among them words with accents and without, which
// fold to one another, stop words, and prompts in another language.
func TestCacheMatchesFresh(t *testing.T) {
	defer search.SetPageTarget(120)()
	words := strings.Fields("retry retries retried retrying timeout timeouts cancel cancelled task tasks group " +
		"café cafe cafés naïve naive Änderung anderung Änderungen über uber the and of a to " +
		"schnell Aufgabe Aufgaben warten wartet und der die das queue queues lock locked zebra zèbre")
	// Rare words, which an edit often takes out of the library, with
	// accents and without.
	for i := range 40 {
		words = append(words, fmt.Sprintf("wort%d", i), fmt.Sprintf("wört%d", i), fmt.Sprintf("cafè%d", i))
	}
	r := rand.New(rand.NewPCG(7, 11))
	text := func(n int) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(words[r.IntN(len(words))])
		}
		return b.String()
	}
	newPrompt := func(i int) *model.Prompt {
		p := &model.Prompt{Title: text(3), Anchor: fmt.Sprintf("p%d", i), Text: text(12)}
		if r.IntN(4) == 0 {
			p.Lang = "de"
		}
		return p
	}
	s := &model.Site{Title: "Edits", Lang: "en"}
	n := 0
	for c := range 4 {
		cat := &model.Category{Title: fmt.Sprintf("Category %d %s", c, text(1)), Slug: fmt.Sprintf("c%d", c)}
		for range 12 {
			cat.Prompts = append(cat.Prompts, newPrompt(n))
			n++
		}
		s.Categories = append(s.Categories, cat)
	}

	cache := search.NewCache()
	patched, pastPatched := 0, 0
	// The command line's build takes the analyses of a build in another
	// process: the step before's, each step; but a few steps, the
	// encoding cut short, changed or of nothing.
	var past pastBytes
	for step := range 80 {
		c := s.Categories[r.IntN(len(s.Categories))]
		i := r.IntN(len(c.Prompts))
		what := ""
		switch k := r.IntN(20); {
		case k < 8:
			c.Prompts[i].Title, what = text(3), "a title"
		case k < 15:
			c.Prompts[i].Text, what = text(12), "a text"
		case k < 16:
			c.Prompts[i].Lang, what = map[string]string{"": "de", "de": ""}[c.Prompts[i].Lang], "a language"
		case k < 17:
			c.Prompts = append(c.Prompts, newPrompt(n))
			n, what = n+1, "a prompt added"
		case k < 18 && len(c.Prompts) > 1:
			c.Prompts, what = slices.Delete(c.Prompts, i, i+1), "a prompt removed"
		default:
			// A prompt's words made those of another: the words it had
			// may be gone from the library.
			o := s.Categories[r.IntN(len(s.Categories))].Prompts[0]
			c.Prompts[i].Title, c.Prompts[i].Text, what = o.Title, o.Text, "a prompt made another's twin"
		}
		cached := output.NewTree()
		if err := search.WriteCached(context.Background(), s, cache, cached.Add); err != nil {
			t.Fatal(err)
		}
		if cache.Patched() {
			patched++
		}
		fresh, err := search.Build(s)
		if err != nil {
			t.Fatal(err)
		}
		spoilt := ""
		switch step {
		case 10:
			past, spoilt = past[:len(past)/2], " (its past cut short)"
		case 20:
			past, spoilt = slices.Concat(past[:len(past)/3], []byte{0xff, 0xff, 0xff}, past[len(past)/3:]), " (its past changed)"
		case 30:
			past, spoilt = pastBytes{}, " (its past empty)"
		}
		pastCache := search.NewPastCache(past)
		fromPast := output.NewTree()
		if err := search.WriteCached(context.Background(), s, pastCache, fromPast.Add); err != nil {
			t.Fatalf("step %d, %s%s: %v", step, what, spoilt, err)
		}
		docs := 0
		for _, c := range s.Categories {
			docs += len(c.Prompts)
		}
		reused, analysed := pastCache.Counts()
		if reused+analysed != docs || step > 0 && spoilt == "" && reused < docs-1 || spoilt != "" && reused != 0 {
			t.Errorf("step %d, %s%s: %d of %d documents were taken from the past and %d analysed; want all but one at most taken",
				step, what, spoilt, reused, docs, analysed)
		}
		if pastCache.Patched() {
			pastPatched++
			if spoilt != "" {
				t.Errorf("step %d, %s%s: the index was patched", step, what, spoilt)
			}
		}
		past = pastCache.Analyses()
		for _, c := range []struct {
			name string
			tree *output.Tree
		}{{"cached", cached}, {"past", fromPast}} {
			if got, want := c.tree.Names(), fresh.Names(); !slices.Equal(got, want) {
				t.Fatalf("step %d, %s: the %s index has the files %q; a fresh one %q", step, what, c.name, got, want)
			}
			for _, name := range fresh.Names() {
				got, _ := c.tree.Get(name)
				want, _ := fresh.Get(name)
				if !bytes.Equal(got, want) {
					t.Fatalf("step %d, %s: %s is\n%s\nwith the %s index; afresh\n%s", step, what, name, got, c.name, want)
				}
			}
		}
	}
	if patched < 40 || pastPatched < 40 {
		t.Errorf("%d of 80 steps patched the last index, and %d the past's; want most", patched, pastPatched)
	}
}

// pastBytes is the Past of the analyses of a build before.
type pastBytes []byte

func (p pastBytes) Analyses() []byte { return p }

// TestPastAcrossBlocks indexes a library of more documents than a block
// of analyses, on every core, with a Cache of NewPastCache: afresh, then
// with a few prompts edited, taking the others' analyses from the first
// and patching the index it made. Each index must be the one made
// without.
func TestPastAcrossBlocks(t *testing.T) {
	s := genSite(seedSite(t), 30, 50) // 1,500 documents: three blocks
	same := func(step string, cache *search.Cache) {
		t.Helper()
		got := output.NewTree()
		if err := search.WriteCached(context.Background(), s, cache, got.Add); err != nil {
			t.Fatal(err)
		}
		want, err := search.Build(s)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Names(), want.Names()) {
			t.Fatalf("%s: the files %q, want %q", step, got.Names(), want.Names())
		}
		for _, name := range want.Names() {
			a, _ := got.Get(name)
			b, _ := want.Get(name)
			if !bytes.Equal(a, b) {
				t.Fatalf("%s: %s differs from a fresh index's", step, name)
			}
		}
	}
	first := search.NewPastCache(nil)
	same("afresh", first)
	for i, c := range s.Categories[:3] {
		c.Prompts[i].Text += " edited"
	}
	again := search.NewPastCache(pastBytes(first.Analyses()))
	same("three prompts edited", again)
	if reused, analysed := again.Counts(); analysed != 3 || reused != 1497 {
		t.Errorf("%d analyses taken and %d made; want 1497 and the 3 edited", reused, analysed)
	}
	if !again.Patched() {
		t.Error("the index was gathered again from every analysis; want the past's patched")
	}
}

// TestPastMutated builds, after an edit, the index of the seed library
// from its past encoding of analyses changed at random (bytes replaced,
// added, removed, the end cut) and summed again, as a record of a faulty
// or hostile build would be: whatever it holds, the build must neither
// fail nor panic, nor take long.
func TestPastMutated(t *testing.T) {
	s := seedSite(t)
	discard := func(string, []byte) error { return nil }
	first := search.NewPastCache(nil)
	if err := search.WriteCached(t.Context(), s, first, discard); err != nil {
		t.Fatal(err)
	}
	again := search.NewPastCache(pastBytes(first.Analyses()))
	if err := search.WriteCached(t.Context(), s, again, discard); err != nil {
		t.Fatal(err)
	}
	past := again.Analyses()
	body := past[:len(past)-8]
	r := rand.New(rand.NewPCG(7, 9))
	edited := s.Categories[0].Prompts[0]
	title := edited.Title
	defer func() { edited.Title = title }()
	for i := range 1000 {
		b := bytes.Clone(body)
		for range 1 + r.IntN(4) {
			switch at := r.IntN(len(b)); r.IntN(4) {
			case 0:
				b[at] = byte(r.IntN(256))
			case 1:
				b = slices.Insert(b, at, byte(r.IntN(256)))
			case 2:
				b = slices.Delete(b, at, at+1)
			default:
				b = b[:at+1]
			}
		}
		b = binary.LittleEndian.AppendUint64(b, xxhash.Sum64(b))
		edited.Title = fmt.Sprint(title, " ", i)
		c := search.NewPastCache(pastBytes(b))
		done := make(chan error, 1)
		go func() {
			defer func() {
				if p := recover(); p != nil {
					done <- fmt.Errorf("panic: %v", p)
				}
			}()
			err := search.WriteCached(t.Context(), s, c, discard)
			c.Analyses()
			done <- err
		}()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("change %d of the past: %v", i, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("change %d of the past: the build still runs after 10s", i)
		}
	}
}
