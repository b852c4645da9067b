package output

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cespare/xxhash/v2"
)

// publishKnown publishes the site of files to dir as a build of the
// command line does, given the inventory that the last build returned,
// and returns the new one.
func publishKnown(t *testing.T, dir string, files map[string]string, inv []byte) []byte {
	t.Helper()
	s, err := StageContext(context.Background(), dir, inv)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Discard()
	for _, name := range treeOf(t, files).Names() {
		s.Add(name, []byte(files[name]))
	}
	if err := s.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s.Inventory()
}

// noMargin keeps in the inventory the files written up to the tick of the
// file system's clock before the site was put in place, for the test's
// builds, which take less than racyMargin. The test waits for a tick to
// pass (see tick) where it wants the files known.
func noMargin(t *testing.T) {
	old := racyMargin
	racyMargin = 0
	t.Cleanup(func() { racyMargin = old })
}

// tick waits longer than a tick of the file system's clock.
func tick() { time.Sleep(25 * time.Millisecond) }

// checkInventory checks that each file of the site in dir, or of its
// spare, that inv knows as it is holds the bytes of the sum inv has; and
// that inv knows at least the files of the site named in want. (What it
// knows of a file since changed is of no use, and does no harm.)
func checkInventory(t *testing.T, dir string, inv []byte, want []string) {
	t.Helper()
	in, err := decodeInventory(inv)
	if err != nil {
		t.Fatalf("the inventory cannot be read: %v", err)
	}
	for folder, known := range map[string]map[uint64]fileState{dir: in.site, spareName(dir): in.spare} {
		filepath.WalkDir(folder, func(p string, d os.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return err
			}
			st, _ := statFile(p)
			if k, ok := known[st.ino]; ok && k.same(st) {
				if data, _ := os.ReadFile(p); k.sum != xxhash.Sum64(data) {
					t.Errorf("the inventory has the wrong sum for %s, which holds %q", p, data)
				}
			}
			return nil
		})
	}
	for _, name := range want {
		st, ok := statFile(filepath.Join(dir, filepath.FromSlash(name)))
		if !ok {
			t.Fatalf("%s is not in the site", name)
		}
		if k, ok := in.site[st.ino]; !ok || !k.same(st) {
			t.Errorf("the inventory does not know %s as it is", name)
		}
	}
}

// TestInventory publishes a run of sites, each built with the inventory
// the last one left: the inventory is right about every file it knows,
// and a build takes its word for what a file holds, rather than read it;
// yet a file changed since, by hand, is read and put right.
func TestInventory(t *testing.T) {
	noMargin(t)
	dir := filepath.Join(t.TempDir(), "public")
	site := map[string]string{"index.html": "home", "a/b.html": "b", "a/c.html": "c", "d.html": "d"}
	var inv []byte
	for i := range 4 {
		site["index.html"] = "home " + string(rune('0'+i))
		inv = publishKnown(t, dir, site, inv)
		assertSite(t, dir, site)
		// The files that did not change were written, or linked, by
		// the build two before (the second build links the first's).
		var want []string
		if i > 1 {
			want = []string{"a/b.html", "a/c.html", "d.html"}
		}
		checkInventory(t, dir, inv, want)
		tick()
	}

	// The inventory is taken at its word: a file of the spare that it
	// says holds the new bytes is kept, unread.
	in, err := decodeInventory(inv)
	if err != nil {
		t.Fatal(err)
	}
	lie, _ := statFile(filepath.Join(spareName(dir), "d.html"))
	k := in.spare[lie.ino]
	if !k.same(lie) {
		t.Fatal("the inventory does not know the spare's d.html")
	}
	k.sum = xxhash.Sum64String("D")
	in.spare[lie.ino] = k
	var site2 []fileState
	for _, f := range in.site {
		site2 = append(site2, f)
	}
	lied := maps.Clone(site)
	lied["d.html"] = "D"
	publishKnown(t, dir, lied, encodeInventory(site2, in.spare))
	if got := read(t, filepath.Join(dir, "d.html")); got != "d" {
		t.Fatalf("with an inventory that says d.html holds %q, the build wrote it: it holds %q; want it kept unread", "D", got)
	}

	// A file changed by hand, to bytes of the same size, is read again
	// and put right, in the site in place and in the spare it becomes.
	inv = publishKnown(t, dir, site, nil)
	tick()
	inv = publishKnown(t, dir, site, inv)
	if err := os.WriteFile(filepath.Join(dir, "a", "b.html"), []byte("B"), 0o644); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		inv = publishKnown(t, dir, site, inv)
		assertSite(t, dir, site)
		checkInventory(t, dir, inv, nil)
	}

	// An inventory that cannot be read is no inventory.
	for _, bad := range [][]byte{{0}, {inventoryVersion, 9}, append(bytes.Clone(inv), 0)} {
		site["index.html"] += "!"
		inv = publishKnown(t, dir, site, bad)
		assertSite(t, dir, site)
	}
}

// TestInventoryCutShort checks that every inventory cut short, or with a
// byte changed in its counts, fails to decode rather than panic or read
// past its end.
func TestInventoryCutShort(t *testing.T) {
	site := []fileState{{dev: 2049, ino: 12, size: 5, ctime: 1e18, sum: 7}, {dev: 2049, ino: 1 << 40, size: 1 << 33, ctime: -1, sum: 1 << 63}}
	spare := map[uint64]fileState{13: {dev: 1, ino: 13, size: 0, ctime: 5, sum: 9}}
	b := encodeInventory(site, spare)
	in, err := decodeInventory(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.site) != 2 || in.site[1<<40] != site[1] || in.site[12] != site[0] || !maps.Equal(in.spare, spare) {
		t.Fatalf("decoded %+v; want the site %+v and the spare %+v", in, site, spare)
	}
	for n := range len(b) {
		if _, err := decodeInventory(b[:n]); err == nil {
			t.Errorf("the inventory cut to %d bytes of %d decoded", n, len(b))
		}
	}
	for i := range b {
		c := bytes.Clone(b)
		c[i] ^= 0xff
		decodeInventory(c) // must not panic
	}
}

// TestLinkedFileChanged checks that a file found to hold the new site's
// bytes, then written to before it is linked into the new site, is left
// out of the inventory: its bytes are not the ones found.
func TestLinkedFileChanged(t *testing.T) {
	dir := t.TempDir()
	old, linked := filepath.Join(dir, "old.html"), filepath.Join(dir, "new.html")
	if err := os.WriteFile(old, []byte("same"), 0o644); err != nil {
		t.Fatal(err)
	}
	was, ok := statFile(old)
	if !ok {
		t.Fatal("no state for a file just written")
	}
	was.sum = xxhash.Sum64String("same")
	if err := os.Link(old, linked); err != nil {
		t.Fatal(err)
	}
	if got := appendLinked(nil, linked, was); len(got) != 1 || got[0].sum != was.sum || got[0].ino != was.ino {
		t.Fatalf("a file linked as it was found: %+v; want its state with the sum found", got)
	}
	os.Remove(linked)
	tick()
	if err := os.WriteFile(old, []byte("SAME"), 0o644); err != nil { // in place, the same size
		t.Fatal(err)
	}
	if err := os.Link(old, linked); err != nil {
		t.Fatal(err)
	}
	if got := appendLinked(nil, linked, was); len(got) != 0 {
		t.Errorf("a file written between the look and the link is in the inventory: %+v", got)
	}
}

// TestKnownFiles publishes sites whose files are known by their size and
// sum (see Staging.AddKnown): a file that the spare or the site in place
// holds, by the inventory, is not loaded; one that neither holds is, and
// written; and one whose bytes cannot be had fails the build, which
// leaves the site in place as it was.
func TestKnownFiles(t *testing.T) {
	noMargin(t)
	dir := filepath.Join(t.TempDir(), "public")
	site := map[string]string{"index.html": "home", "a/b.html": "b", "a/c.html": "c", "d.html": "d"}
	var (
		mu     sync.Mutex // the writers load files side by side
		loaded []string
	)
	publish := func(inv []byte, lost string) ([]byte, error) {
		t.Helper()
		s, err := StageContext(context.Background(), dir, inv)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Discard()
		for _, name := range treeOf(t, site).Names() {
			data := []byte(site[name])
			s.AddKnown(name, Known{Size: len(data), Sum: xxhash.Sum64(data), Load: func() []byte {
				mu.Lock()
				defer mu.Unlock()
				loaded = append(loaded, name)
				if name == lost {
					return nil
				}
				return data
			}})
		}
		if err := s.Commit(context.Background()); err != nil {
			return nil, err
		}
		return s.Inventory(), nil
	}
	// With no inventory, every file is loaded: written at first, then
	// compared with the spare's.
	var inv []byte
	for i := range 3 {
		loaded = nil
		site["index.html"] = "home " + string(rune('0'+i))
		var err error
		if inv, err = publish(nil, ""); err != nil {
			t.Fatal(err)
		}
		assertSite(t, dir, site)
		if len(loaded) != len(site) {
			t.Errorf("build %d without an inventory loaded %q; want every file", i, loaded)
		}
		tick()
	}
	// With one, only the file that changed is loaded.
	for i := range 3 {
		loaded = nil
		site["index.html"] = "home again " + string(rune('0'+i))
		var err error
		if inv, err = publish(inv, ""); err != nil {
			t.Fatal(err)
		}
		assertSite(t, dir, site)
		checkInventory(t, dir, inv, nil)
		if len(loaded) != 1 || loaded[0] != "index.html" {
			t.Errorf("build %d with an inventory loaded %q; want index.html alone", i, loaded)
		}
		tick()
	}
	// A file whose bytes cannot be had fails the build.
	before := maps.Clone(site)
	site["index.html"] = "never"
	if _, err := publish(inv, "index.html"); err == nil || !strings.Contains(err.Error(), "index.html") {
		t.Fatalf("a build whose index.html could not be had = %v; want an error that names it", err)
	}
	assertSite(t, dir, before)
}
