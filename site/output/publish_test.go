package output

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func treeOf(t *testing.T, files map[string]string) *Tree {
	t.Helper()
	tr := NewTree()
	for name, data := range files {
		if err := tr.Add(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	return tr
}

// assertNoStaging checks that no staging folder of dir is left beside it.
func assertNoStaging(t *testing.T, dir string) {
	t.Helper()
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".*")); len(left) > 0 {
		t.Errorf("staging folders left behind: %v", left)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPublishReplaces(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	ctx := context.Background()
	if err := Publish(ctx, treeOf(t, map[string]string{"index.html": "one", "old/index.html": "gone soon"}), dir); err != nil {
		t.Fatal(err)
	}
	if err := Publish(ctx, treeOf(t, map[string]string{"index.html": "two", "a/b/c.css": "css"}), dir); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(dir, "index.html")); got != "two" {
		t.Errorf("index.html = %q; want two", got)
	}
	if got := read(t, filepath.Join(dir, "a", "b", "c.css")); got != "css" {
		t.Errorf("a/b/c.css = %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "old")); !os.IsNotExist(err) {
		t.Errorf("a file of the previous build is still there: %v", err)
	}
	assertNoStaging(t, dir)
}

func TestPublishRefusesForeignFolder(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Publish(context.Background(), treeOf(t, map[string]string{"index.html": "x"}), dir)
	if err == nil || !strings.Contains(err.Error(), "holds files that promptsite did not write") {
		t.Fatalf("Publish over a folder of other files = %v; want a refusal", err)
	}
	if got := read(t, filepath.Join(dir, "notes.txt")); got != "mine" {
		t.Error("notes.txt changed")
	}
}

// TestPublishInterrupted checks that a build stopped before the swap
// leaves the previous site as it was and no staging folder.
func TestPublishInterrupted(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	if err := Publish(context.Background(), treeOf(t, map[string]string{"index.html": "old"}), dir); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Publish(ctx, treeOf(t, map[string]string{"index.html": "new"}), dir)
	if err == nil {
		t.Fatal("Publish with a cancelled context succeeded")
	}
	if got := read(t, filepath.Join(dir, "index.html")); got != "old" {
		t.Errorf("index.html = %q after an interrupted publish; want old", got)
	}
	assertNoStaging(t, dir)
}

func TestTreeAdd(t *testing.T) {
	tr := NewTree()
	for _, bad := range []string{"", ".", "/abs", "../up", "a//b", "dir/"} {
		if err := tr.Add(bad, nil); err == nil {
			t.Errorf("Add(%q) = nil; want an error", bad)
		}
	}
	if err := tr.Add("a.html", nil); err != nil {
		t.Fatal(err)
	}
	if err := tr.Add("a.html", nil); err == nil {
		t.Error("adding a.html twice = nil; want an error")
	}
}

// stageOverOld publishes a site whose index.html says "old" and stages
// the next one over it.
func stageOverOld(t *testing.T) (dir string, s *Staging) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "public")
	if err := Publish(context.Background(), treeOf(t, map[string]string{"index.html": "old"}), dir); err != nil {
		t.Fatal(err)
	}
	s, err := Stage(dir)
	if err != nil {
		t.Fatal(err)
	}
	return dir, s
}

// TestStagingDiscard checks that a site staged while a build runs, and then
// given up, leaves the old site and no staging folder.
func TestStagingDiscard(t *testing.T) {
	dir, s := stageOverOld(t)
	s.Add("index.html", []byte("new"))
	s.Add("a/b/c.html", []byte("deep"))
	s.Discard()
	s.Discard() // a second time is harmless
	if got := read(t, filepath.Join(dir, "index.html")); got != "old" {
		t.Errorf("index.html = %q after Discard; want old", got)
	}
	assertNoStaging(t, dir)
}

// TestStagingWriteError checks that a file that cannot be written fails
// the commit and leaves the old site.
func TestStagingWriteError(t *testing.T) {
	dir, s := stageOverOld(t)
	defer s.Discard()
	s.Add("a", []byte("a file"))
	s.Add("a/b.html", []byte("under a file: cannot be written"))
	s.Add("z.html", []byte("after the error"))
	if err := s.Commit(context.Background()); err == nil {
		t.Fatal("Commit succeeded though a file could not be written")
	}
	if got := read(t, filepath.Join(dir, "index.html")); got != "old" {
		t.Errorf("index.html = %q after a failed commit; want old", got)
	}
	assertNoStaging(t, dir)
}

// TestPublishLinksUnchangedFiles checks that a file the previous site had
// with the same bytes is the same file afterwards, linked rather than
// written again, and that every other file is written anew.
func TestPublishLinksUnchangedFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	outside := filepath.Join(t.TempDir(), "elsewhere.html")
	if err := os.WriteFile(outside, []byte("linked"), 0o644); err != nil {
		t.Fatal(err)
	}
	old := map[string]string{
		"index.html":    "unchanged",
		"a/same.html":   "unchanged too",
		"a/edited.html": "before",
		"tampered.html": "as built",
		"open.html":     "as built",
		"gone.html":     "only in the old site",
	}
	ctx := context.Background()
	if err := Publish(ctx, treeOf(t, old), dir); err != nil {
		t.Fatal(err)
	}
	// Changes made by hand after the build: a file rewritten with other
	// bytes of the same length, one that anybody may write to, and one
	// replaced by a link to a file outside the site with the new bytes.
	if err := os.WriteFile(filepath.Join(dir, "tampered.html"), []byte("as b_ilt"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, "open.html"), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "link.html")); err != nil {
		t.Fatal(err)
	}
	before := map[string]os.FileInfo{}
	for _, name := range []string{"index.html", "a/same.html", "a/edited.html", "tampered.html", "open.html"} {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		before[name] = info
	}

	next := map[string]string{
		"index.html":    "unchanged",
		"a/same.html":   "unchanged too",
		"a/edited.html": "after",
		"tampered.html": "as built",
		"open.html":     "as built",
		"link.html":     "linked",
		"new.html":      "new",
	}
	if err := Publish(ctx, treeOf(t, next), dir); err != nil {
		t.Fatal(err)
	}
	for name, want := range next {
		if got := read(t, filepath.Join(dir, filepath.FromSlash(name))); got != want {
			t.Errorf("%s = %q; want %q", name, got, want)
		}
	}
	for name, info := range before {
		after, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		wantSame := name == "index.html" || name == "a/same.html"
		if os.SameFile(info, after) != wantSame {
			t.Errorf("%s: same file as before = %v; want %v", name, !wantSame, wantSame)
		}
		if after.Mode().Perm()&0o022 != 0 {
			t.Errorf("%s: mode %v; others may write to it", name, after.Mode())
		}
	}
	link, err := os.Lstat(filepath.Join(dir, "link.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !link.Mode().IsRegular() {
		t.Errorf("link.html: mode %v; want a regular file, not the old site's link", link.Mode())
	}
	if out, err := os.Stat(outside); err != nil || os.SameFile(out, link) {
		t.Errorf("link.html is the file outside the site (%v)", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "gone.html")); !os.IsNotExist(err) {
		t.Errorf("gone.html is still there: %v", err)
	}
	assertNoStaging(t, dir)
}

// TestStagingManyFolders checks that files spread over many folders, which
// several writers share, all arrive.
func TestStagingManyFolders(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	files := map[string]string{}
	for i := range 300 {
		files[fmt.Sprintf("d%d/e%d/f%d.html", i%7, i%13, i)] = fmt.Sprint(i)
	}
	if err := Publish(context.Background(), treeOf(t, files), dir); err != nil {
		t.Fatal(err)
	}
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == Marker {
			return err
		}
		n++
		rel, _ := filepath.Rel(dir, p)
		if want := files[filepath.ToSlash(rel)]; read(t, p) != want {
			t.Errorf("%s = %q; want %q", rel, read(t, p), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != len(files) {
		t.Errorf("%d files written; want %d", n, len(files))
	}
}
