package output

import (
	"context"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
)

// assertSite checks that dir holds exactly the files of want, and the
// marker.
func assertSite(t *testing.T, dir string, want map[string]string) {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := filepath.ToSlash(p[len(dir)+1:])
		if !d.Type().IsRegular() {
			t.Errorf("%s: %v, not a regular file", name, d.Type())
			return nil
		}
		if name != Marker {
			got[name] = read(t, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(got, want) {
		t.Errorf("the site holds\n%q\nwant\n%q", got, want)
	}
	if read(t, filepath.Join(dir, Marker)) != markerText {
		t.Errorf("the marker is not promptsite's")
	}
}

// inodes returns the inode of each file of the site in dir.
func inodes(t *testing.T, dir string, files map[string]string) map[string]uint64 {
	t.Helper()
	ino := map[string]uint64{}
	for name := range files {
		info, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		ino[name] = info.Sys().(*syscall.Stat_t).Ino
	}
	return ino
}

// TestRebuildsWriteOnlyWhatChanged publishes a run of sites, each a small
// edit of the last, as an author rebuilds: each time the site in place is
// exactly the new one, and the files that did not change are the same
// files as before, never written again.
func TestRebuildsWriteOnlyWhatChanged(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	ctx := context.Background()
	site := map[string]string{"index.html": "home", "x": "a file, later a folder", "gone/soon.html": "bye"}
	for i := range 100 {
		site[fmt.Sprintf("p/%d/index.html", i)] = fmt.Sprintf("prompt %d", i)
	}
	edits := []func(){
		func() { site["p/1/index.html"] = "edited once" },
		func() {
			delete(site, "x")
			delete(site, "gone/soon.html")
			site["x/index.html"] = "now a folder"
			site["p/2/index.html"] = "edited"
		},
		func() { site["p/1/index.html"] = "edited twice"; site["new.html"] = "new" },
		func() { delete(site, "x/index.html"); site["x"] = "a file again" },
		func() { site["p/3/index.html"] = "edited" },
		func() {}, // nothing changed
	}
	folder := func() uint64 { // a folder whose files never change
		info, err := os.Stat(filepath.Join(dir, "p", "50"))
		if err != nil {
			t.Fatal(err)
		}
		return info.Sys().(*syscall.Stat_t).Ino
	}
	if err := Publish(ctx, treeOf(t, site), dir); err != nil {
		t.Fatal(err)
	}
	assertSite(t, dir, site)
	folders := []uint64{folder()}
	for i, edit := range edits {
		before := maps.Clone(site)
		beforeIno := inodes(t, dir, before)
		edit()
		if err := Publish(ctx, treeOf(t, site), dir); err != nil {
			t.Fatalf("build %d: %v", i+2, err)
		}
		assertSite(t, dir, site)
		afterIno := inodes(t, dir, site)
		for name, data := range site {
			unchanged := before[name] == data && beforeIno[name] != 0
			if same := afterIno[name] == beforeIno[name]; same != unchanged {
				t.Errorf("build %d: %s is the same file as before: %v; its bytes are unchanged: %v", i+2, name, same, unchanged)
			}
		}
		// The two folders take turns: from the third build on, the
		// folders are those of two builds before, not made again.
		folders = append(folders, folder())
		if n := len(folders); n >= 3 && folders[n-1] != folders[n-3] {
			t.Errorf("build %d: p/50 is a new folder; want the one of build %d", n, n-2)
		}
		assertNoStaging(t, dir)
		if got := read(t, filepath.Join(spareName(dir), ".gitignore")); got != spareGitignore {
			t.Errorf("build %d: the spare's .gitignore = %q", i+2, got)
		}
	}
}

// TestSpareEditedByHand checks that what was changed by hand in the site
// in place, which later becomes the spare, does not outlive the builds
// after it: a file edited in place, a file added, a folder added.
func TestSpareEditedByHand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	ctx := context.Background()
	site := map[string]string{"index.html": "home", "a/b.html": "b"}
	for range 2 {
		if err := Publish(ctx, treeOf(t, site), dir); err != nil {
			t.Fatal(err)
		}
	}
	// In place: the file may be shared with the spare, and both see it.
	f, err := os.OpenFile(filepath.Join(dir, "a", "b.html"), os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("B")
	f.Close()
	for _, name := range []string{"extra.html", "more/extra.html"} {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name), []byte("by hand"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		if err := Publish(ctx, treeOf(t, site), dir); err != nil {
			t.Fatal(err)
		}
		if i > 0 { // by then the edited site has been the spare
			assertSite(t, dir, site)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "more")); !os.IsNotExist(err) {
		t.Errorf("the folder added by hand is still there: %v", err)
	}
}

// TestSpareWithALink checks that a spare holding a link, which a build
// could write through, is not updated but replaced, and what the link
// points to is left alone.
func TestSpareWithALink(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	outside := t.TempDir()
	ctx := context.Background()
	site := map[string]string{"index.html": "home"}
	if err := Publish(ctx, treeOf(t, site), dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "p")); err != nil {
		t.Fatal(err)
	}
	// The site with the link becomes the spare, then the next build's.
	for _, page := range []string{"p/a.html", "p/b.html", "p/c.html"} {
		site[page] = "page"
		if err := Publish(ctx, treeOf(t, site), dir); err != nil {
			t.Fatal(err)
		}
		assertSite(t, dir, site)
	}
	if entries, _ := os.ReadDir(outside); len(entries) > 0 {
		t.Errorf("a build wrote through the link: %s holds %v", outside, entries)
	}
}

// TestDiscardKeepsSpare checks that a build that is not published leaves
// the site in place as it was, and what it wrote as the spare, which the
// next build brings up to date.
func TestDiscardKeepsSpare(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	ctx := context.Background()
	site := map[string]string{"index.html": "home", "a.html": "a"}
	if err := Publish(ctx, treeOf(t, site), dir); err != nil {
		t.Fatal(err)
	}
	// Once with no spare yet, a new staging folder; then from the spare
	// that left, and from the spare it left in turn.
	for range 3 {
		s, err := Stage(dir)
		if err != nil {
			t.Fatal(err)
		}
		s.Add("index.html", []byte("a build that fails"))
		s.Add("new.html", []byte("new"))
		s.Discard()
		assertSite(t, dir, site)
		assertNoStaging(t, dir)
		if _, err := os.Stat(spareName(dir)); err != nil {
			t.Errorf("no spare after a discarded build: %v", err)
		}
		if got := read(t, filepath.Join(spareName(dir), ".gitignore")); got != spareGitignore {
			t.Errorf("the spare a discarded build kept has the .gitignore %q", got)
		}
	}
	site["b.html"] = "b"
	if err := Publish(ctx, treeOf(t, site), dir); err != nil {
		t.Fatal(err)
	}
	assertSite(t, dir, site)
	if err := Publish(ctx, treeOf(t, site), dir); err != nil {
		t.Fatal(err)
	}
	assertSite(t, dir, site)
}

// TestSpareNotOurs checks that a folder in the spare's place that
// promptsite did not write is left alone.
func TestSpareNotOurs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	ctx := context.Background()
	mine := spareName(dir)
	if err := os.MkdirAll(mine, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mine, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	site := map[string]string{"index.html": "home"}
	for range 3 {
		if err := Publish(ctx, treeOf(t, site), dir); err != nil {
			t.Fatal(err)
		}
		assertSite(t, dir, site)
	}
	entries, _ := os.ReadDir(mine)
	if len(entries) != 1 || entries[0].Name() != "notes.txt" {
		t.Errorf("%s holds %v; want only notes.txt", mine, entries)
	}
}

// TestSpareFlushesWhatChanged checks what an updated spare has to flush:
// the one file written after a one-file edit, and the whole file system
// once the changes are many.
func TestSpareFlushesWhatChanged(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	ctx := context.Background()
	site := map[string]string{}
	for i := range 2 * maxFlushed {
		site[fmt.Sprintf("p/%d/index.html", i)] = "prompt"
	}
	for range 3 {
		if err := Publish(ctx, treeOf(t, site), dir); err != nil {
			t.Fatal(err)
		}
	}
	stage := func(edit func(name string) string) *Staging {
		s, err := Stage(dir)
		if err != nil {
			t.Fatal(err)
		}
		if !s.spare {
			t.Fatal("the build did not take the spare")
		}
		for _, name := range slices.Sorted(maps.Keys(site)) {
			site[name] = edit(name)
			s.Add(name, []byte(site[name]))
		}
		if err := s.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		assertSite(t, dir, site)
		return s
	}
	s := stage(func(name string) string {
		if name == "p/7/index.html" {
			return "edited"
		}
		return site[name]
	})
	want := filepath.Join(s.stage, "p", "7", "index.html")
	if s.changes.many || !slices.Equal(s.changes.files, []string{want}) {
		t.Errorf("after one edit, the files to flush are %q (many: %v); want only %s", s.changes.files, s.changes.many, want)
	}
	if s = stage(func(name string) string { return name }); !s.changes.many {
		t.Errorf("after every file changed, %d files are flushed one by one; want the file system flushed", len(s.changes.files))
	}
}

// TestCancelledCommitKeepsSpare checks that a build stopped at Commit, as
// by Ctrl-C, leaves the site in place as it was and what it wrote as the
// spare, which the next build brings up to date.
func TestCancelledCommitKeepsSpare(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	site := map[string]string{"index.html": "home", "a.html": "a"}
	for range 2 {
		if err := Publish(context.Background(), treeOf(t, site), dir); err != nil {
			t.Fatal(err)
		}
	}
	s, err := Stage(dir)
	if err != nil {
		t.Fatal(err)
	}
	s.Add("index.html", []byte("stopped"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Commit(ctx); err == nil {
		t.Fatal("Commit with a done context = nil; want its error")
	}
	s.Discard()
	assertSite(t, dir, site)
	assertNoStaging(t, dir)
	if _, err := os.Stat(filepath.Join(spareName(dir), Marker)); err != nil {
		t.Errorf("no spare after a stopped build: %v", err)
	}
	site["index.html"] = "next"
	if err := Publish(context.Background(), treeOf(t, site), dir); err != nil {
		t.Fatal(err)
	}
	assertSite(t, dir, site)
}

// TestFirstSiteNotFlushed checks that a site with none before it is not
// flushed to disk, there being no old site to keep through a crash, and
// that a site that replaces one is.
func TestFirstSiteNotFlushed(t *testing.T) {
	flushed := 0
	old := flushAll
	flushAll = func(dir string) error { flushed++; return old(dir) }
	t.Cleanup(func() { flushAll = old })
	dir := filepath.Join(t.TempDir(), "public")
	site := map[string]string{"index.html": "home"}
	if err := Publish(context.Background(), treeOf(t, site), dir); err != nil {
		t.Fatal(err)
	}
	if flushed != 0 {
		t.Errorf("the first site was flushed %d times; want none", flushed)
	}
	if err := Publish(context.Background(), treeOf(t, site), dir); err != nil {
		t.Fatal(err)
	}
	if flushed != 1 {
		t.Errorf("the site that replaced one was flushed %d times; want once", flushed)
	}
}
