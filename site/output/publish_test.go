package output

import (
	"context"
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

// TestStagingDiscard checks that a site staged while a build runs, and then
// given up, leaves the old site and no staging folder.
func TestStagingDiscard(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	if err := Publish(context.Background(), treeOf(t, map[string]string{"index.html": "old"}), dir); err != nil {
		t.Fatal(err)
	}
	s, err := Stage(dir)
	if err != nil {
		t.Fatal(err)
	}
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
	dir := filepath.Join(t.TempDir(), "public")
	if err := Publish(context.Background(), treeOf(t, map[string]string{"index.html": "old"}), dir); err != nil {
		t.Fatal(err)
	}
	s, err := Stage(dir)
	if err != nil {
		t.Fatal(err)
	}
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
