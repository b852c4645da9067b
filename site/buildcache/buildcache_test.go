package buildcache

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/promptsite/promptsite/site/render"
)

// site writes the files of a site to a new output folder, and returns the
// folder and what a render would have made of them.
func site(t *testing.T, files map[string]string) (string, []render.Made) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	var made []render.Made
	key := uint64(100)
	for name, text := range files {
		p := filepath.Join(out, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		key++
		made = append(made, render.Made{Name: name, Key: key, Sum: xxhash.Sum64String(text), Size: len(text)})
	}
	return out, made
}

func TestSaveOpen(t *testing.T) {
	out, made := site(t, map[string]string{"go/index.html": "<p>Go</p>", "ci/index.html": "<p>CI</p>", "index.html": "home"})
	if r := Open(out); r != nil {
		t.Fatalf("Open found a record where none was saved: %d pages", r.Len())
	}
	if r := OpenAsync(out); r == nil || r.Len() != 0 || r.Analyses() != nil || r.Inventory() != nil {
		t.Fatalf("OpenAsync found a record where none was saved")
	}
	if err := Save(out, made, [][]byte{[]byte("analy"), []byte("ses")}, []byte("scans"), []byte("inventory")); err != nil {
		t.Fatal(err)
	}
	// The record is beside the site, out of version control's sight,
	// and not in the site.
	if b, err := os.ReadFile(filepath.Join(filepath.Dir(out), ".public.cache", ".gitignore")); err != nil || !bytes.Contains(b, []byte("\n*\n")) {
		t.Errorf("the record's folder has no .gitignore of everything: %q, %v", b, err)
	}
	if r := OpenAsync(out); r.Len() != len(made) || string(r.Analyses()) != "analyses" || string(r.Scans()) != "scans" || string(r.Inventory()) != "inventory" {
		t.Fatalf("OpenAsync read %d pages, analyses %q, scans %q and inventory %q; want what Open reads", r.Len(), r.Analyses(), r.Scans(), r.Inventory())
	}
	r := Open(out)
	if r.Len() != len(made) {
		t.Fatalf("the record has %d pages, want %d", r.Len(), len(made))
	}
	if got := string(r.Analyses()); got != "analyses" {
		t.Errorf("the record's analyses are %q, want those saved", got)
	}
	if got := r.Analyses(); got != nil {
		t.Errorf("the record gave its analyses twice: %q", got)
	}
	if got := string(r.Scans()); got != "scans" {
		t.Errorf("the record's scans are %q, want those saved", got)
	}
	if got := r.Scans(); got != nil {
		t.Errorf("the record gave its scans twice: %q", got)
	}
	if got := string(r.Inventory()); got != "inventory" {
		t.Errorf("the record's inventory is %q, want the one saved", got)
	}
	if got := r.Inventory(); got != nil {
		t.Errorf("the record gave its inventory twice: %q", got)
	}
	for _, m := range made {
		want, _ := os.ReadFile(filepath.Join(out, m.Name))
		if got := read(r.Page(m.Name, m.Key)); !bytes.Equal(got, want) {
			t.Errorf("Page(%s) = %q, want %q", m.Name, got, want)
		}
		if size, sum, _ := r.Page(m.Name, m.Key); size != m.Size || sum != m.Sum {
			t.Errorf("Page(%s) is of %d bytes and sum %x, want %d and %x", m.Name, size, sum, m.Size, m.Sum)
		}
		if _, _, load := r.Page(m.Name, m.Key+1); load != nil {
			t.Errorf("Page(%s) under another key is there", m.Name)
		}
	}
	if _, _, load := r.Page("nowhere/index.html", made[0].Key); load != nil {
		t.Errorf("a page the record lacks is there")
	}

	// A file changed since, by hand or by another program, is not taken:
	// the same size, longer, shorter, gone.
	m := made[0]
	for _, text := range []string{"<p>Xx</p>", "<p>Go</p>\n", "<p>", ""} {
		p := filepath.Join(out, m.Name)
		if text == "" {
			os.Remove(p)
		} else if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := read(r.Page(m.Name, m.Key)); got != nil {
			t.Errorf("Page(%s) after it became %q = %q, want nil", m.Name, text, got)
		}
	}

	// A new record replaces the old one whole, and what a save cut short
	// left goes.
	if err := os.WriteFile(filepath.Join(Dir(out), recordName+".123"), []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Save(out, made[1:2], nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	if r := Open(out); r.Len() != 1 || read(r.Page(made[1].Name, made[1].Key)) == nil || r.Analyses() != nil {
		t.Errorf("the record saved again has %d pages and analyses %q, want the 1 page saved and none", r.Len(), r.Analyses())
	}
	if left, _ := filepath.Glob(filepath.Join(Dir(out), recordName+".*")); len(left) != 0 {
		t.Errorf("saving left %v behind", left)
	}
}

// TestLargeRecord saves a record of more than offHeap bytes, which is read
// into memory of its own, in parts, and reads it back whole; and the same
// record torn, which is none.
func TestLargeRecord(t *testing.T) {
	out, made := site(t, map[string]string{"go/index.html": "<p>Go</p>"})
	var parts [][]byte
	var want []byte
	for i := range 3 {
		part := bytes.Repeat([]byte{byte('a' + i)}, offHeap/2+i)
		parts, want = append(parts, part), append(want, part...)
	}
	if err := Save(out, made, parts, []byte("scans"), []byte("inventory")); err != nil {
		t.Fatal(err)
	}
	r := Open(out)
	if got := r.Analyses(); !bytes.Equal(got, want) || string(r.Scans()) != "scans" || string(r.Inventory()) != "inventory" || r.Len() != len(made) {
		t.Fatalf("the large record read back has %d pages and analyses of %d bytes, %q, %q; want %d pages and the %d bytes saved",
			r.Len(), len(got), r.Scans(), r.Inventory(), len(made), len(want))
	}
	name := filepath.Join(Dir(out), recordName)
	whole, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	whole[len(whole)/2] ^= 1
	if err := os.WriteFile(name, whole, 0o644); err != nil {
		t.Fatal(err)
	}
	if r := Open(out); r != nil {
		t.Errorf("a large record with a byte changed was read: %d pages", r.Len())
	}
}

// TestTornRecord checks that a record cut short or with a byte changed is
// no record, not a record of wrong pages.
func TestTornRecord(t *testing.T) {
	out, made := site(t, map[string]string{"go/index.html": "<p>Go</p>", "ci/index.html": "<p>CI</p>"})
	if err := Save(out, made, [][]byte{[]byte("analyses")}, nil, nil); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(Dir(out), recordName)
	whole, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	for _, cut := range []int{0, 5, len(magic) + 8, len(whole) / 2, len(whole) - 1} {
		if err := os.WriteFile(name, whole[:cut], 0o644); err != nil {
			t.Fatal(err)
		}
		if r := Open(out); r != nil {
			t.Errorf("a record cut to %d of %d bytes was read: %d pages", cut, len(whole), r.Len())
		}
	}
	for i := range whole {
		b := bytes.Clone(whole)
		b[i] ^= 0x20
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if r := Open(out); r != nil {
			t.Fatalf("a record with byte %d changed was read: %d pages", i, r.Len())
		}
	}
}

// TestAnotherExecutable checks that a record written by another
// executable, which may render or analyse the same key otherwise, has no
// page and no analyses.
func TestAnotherExecutable(t *testing.T) {
	out, made := site(t, map[string]string{"go/index.html": "<p>Go</p>"})
	self, err := executableSum()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(Dir(out), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, exe := range []uint64{self, self + 1} {
		b := bytes.Join(encode(made, [][]byte{[]byte("analyses")}, []byte("scans"), []byte("inventory"), exe), nil)
		if got := binary.LittleEndian.Uint64(b[len(magic):]); got != exe {
			t.Fatalf("the record's executable is %x, want %x", got, exe)
		}
		if err := os.WriteFile(filepath.Join(Dir(out), recordName), b, 0o644); err != nil {
			t.Fatal(err)
		}
		r := Open(out)
		got := read(r.Page(made[0].Name, made[0].Key))
		if ours := exe == self; ours != (got != nil) || ours != (r.Analyses() != nil) || ours != (r.Scans() != nil) {
			t.Errorf("a record of this executable (%v) gave the page %q, the analyses %q and the scans %q", ours, got, r.Analyses(), r.Scans())
		}
		// The inventory is checked against the file system file by
		// file: any executable's is taken.
		if got := string(r.Inventory()); got != "inventory" {
			t.Errorf("a record of this executable (%v) gave the inventory %q, want the one saved", exe == self, got)
		}
	}
}

// read returns what the function Page returned gives; nil for none.
func read(_ int, _ uint64, page func() []byte) []byte {
	if page == nil {
		return nil
	}
	return page()
}

// TestSaveElsewhere saves the record of an output folder beside which
// nothing can be made, as beside a mount point in a read-only folder: it
// is kept in the user's cache folder, and found there.
func TestSaveElsewhere(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(file, "public") // its parent is no folder
	if err := Save(out, nil, [][]byte{[]byte("analyses")}, nil, nil); err != nil {
		t.Fatal(err)
	}
	if got := string(Open(out).Analyses()); got != "analyses" {
		t.Errorf("the record kept elsewhere gives %q", got)
	}
	other := filepath.Join(file, "site")
	if r := Open(other); r != nil {
		t.Errorf("another output folder found its record: %q", r.Analyses())
	}
}

// TestOpenFreshest keeps two records of one output folder, beside it and
// in the user's cache folder, as after a save that could not be made
// beside it: Open reads the one written last of those that read whole.
func TestOpenFreshest(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	out := filepath.Join(t.TempDir(), "public")
	if err := Save(out, nil, [][]byte{[]byte("beside")}, nil, nil); err != nil {
		t.Fatal(err)
	}
	exe, err := executableSum()
	if err != nil {
		t.Fatal(err)
	}
	ds := dirs(out)
	if len(ds) != 2 {
		t.Fatalf("the record of %s has %d places, want 2: %q", out, len(ds), ds)
	}
	if err := save(ds[1], encode(nil, [][]byte{[]byte("elsewhere")}, nil, nil, exe)); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(filepath.Join(ds[1], recordName), later, later); err != nil {
		t.Fatal(err)
	}
	if got := string(Open(out).Analyses()); got != "elsewhere" {
		t.Errorf("Open read %q, want the record written last", got)
	}
	if err := os.WriteFile(filepath.Join(ds[1], recordName), []byte("torn"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(filepath.Join(ds[1], recordName), later, later); err != nil {
		t.Fatal(err)
	}
	if got := string(Open(out).Analyses()); got != "beside" {
		t.Errorf("with the record written last torn, Open read %q, want the other", got)
	}
}
