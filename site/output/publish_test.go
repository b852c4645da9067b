package output

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
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

// assertNoStaging checks that no staging folder of dir is left beside it:
// nothing but the spare.
func assertNoStaging(t *testing.T, dir string) {
	t.Helper()
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".*"))
	left = slices.DeleteFunc(left, func(p string) bool { return p == spareName(dir) })
	if len(left) > 0 {
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

// TestTreeForget checks that a tree told to forget keeps the names of the
// files added after, and gives their bytes to OnAdd alone.
func TestTreeForget(t *testing.T) {
	tr := NewTree()
	tr.Add("kept.html", []byte("kept"))
	given := map[string]string{}
	tr.OnAdd(func(name string, data []byte) { given[name] = string(data) })
	tr.Forget()
	tr.Add("gone.html", []byte("given"))
	if err := tr.Add("gone.html", []byte("again")); err == nil {
		t.Error("adding a forgotten file twice = nil; want an error")
	}
	if b, ok := tr.Get("kept.html"); !ok || string(b) != "kept" {
		t.Errorf("kept.html = %q, %v", b, ok)
	}
	if b, ok := tr.Get("gone.html"); !ok || b != nil {
		t.Errorf("gone.html = %q, %v; want no bytes, and the name kept", b, ok)
	}
	if given["gone.html"] != "given" || tr.Len() != 2 {
		t.Errorf("OnAdd was given %q; the tree has %d files", given, tr.Len())
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

// TestStagingStopsWhenCancelled stages a site whose context is cancelled
// halfway: the files added after are not written, and the commit, even
// with a context still live, refuses to publish what is not a whole site.
func TestStagingStopsWhenCancelled(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	if err := Publish(context.Background(), treeOf(t, map[string]string{"index.html": "old"}), dir); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s, err := StageContext(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Add("index.html", []byte("new"))
	cancel()
	// Once the context is done, what is added is dropped.
	for i := range 10000 {
		s.Add(fmt.Sprintf("p/%d/index.html", i), []byte("dropped"))
	}
	if err := s.Commit(context.Background()); !errors.Is(err, context.Canceled) {
		t.Fatalf("Commit after the staging context was cancelled = %v; want context.Canceled", err)
	}
	if got := read(t, filepath.Join(dir, "index.html")); got != "old" {
		t.Errorf("index.html = %q; want old", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "p")); !os.IsNotExist(err) {
		t.Errorf("the dropped files reached the site: %v", err)
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

// TestPublishThroughLink checks that an output folder given as a symbolic
// link has the site published into the folder it points to, and keeps the
// link: a chain of links, a relative one, and one to a folder not made yet.
func TestPublishThroughLink(t *testing.T) {
	tests := []struct {
		name   string
		target string // the folder the site ends up in, under root
		links  map[string]string
	}{
		{"absolute", "www", map[string]string{"public": "ROOT/www"}},
		{"relative", "www", map[string]string{"public": "www"}},
		{"chain", "sites/www", map[string]string{"public": "mid", "mid": "sites/www"}},
		{"parent is a link", "real/public", map[string]string{"out": "real"}},
		{"to a folder not made yet", "new/www", map[string]string{"public": "new/www"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			target := filepath.Join(root, filepath.FromSlash(tt.target))
			for link, to := range tt.links {
				if err := os.Symlink(strings.ReplaceAll(filepath.FromSlash(to), "ROOT", root), filepath.Join(root, link)); err != nil {
					t.Fatal(err)
				}
			}
			if tt.name == "parent is a link" {
				if err := os.Mkdir(filepath.Join(root, "real"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			out := filepath.Join(root, "public")
			if tt.name == "parent is a link" {
				out = filepath.Join(root, "out", "public")
			}
			ctx := context.Background()
			if err := Publish(ctx, treeOf(t, map[string]string{"index.html": "one", "a/old.html": "old"}), out); err != nil {
				t.Fatal(err)
			}
			if err := Publish(ctx, treeOf(t, map[string]string{"index.html": "two", "b/new.html": "new"}), out); err != nil {
				t.Fatal(err)
			}
			for link := range tt.links {
				if info, err := os.Lstat(filepath.Join(root, link)); err != nil || info.Mode()&fs.ModeSymlink == 0 {
					t.Errorf("%s is no longer a link (%v)", link, err)
				}
			}
			if got := read(t, filepath.Join(target, "index.html")); got != "two" {
				t.Errorf("%s/index.html = %q; want two", tt.target, got)
			}
			if got := read(t, filepath.Join(target, "b", "new.html")); got != "new" {
				t.Errorf("%s/b/new.html = %q; want new", tt.target, got)
			}
			if _, err := os.Stat(filepath.Join(target, "a")); !os.IsNotExist(err) {
				t.Errorf("a file of the previous build is still in %s: %v", tt.target, err)
			}
			assertNoStaging(t, target)
			assertNoStaging(t, filepath.Join(root, "public"))
		})
	}
}

// TestPublishNeverRemovesThroughALink checks that an output folder that
// turns into a link while the site is built is not replaced, and that what
// the link points to is left as it was.
func TestPublishNeverRemovesThroughALink(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "public")
	mine := filepath.Join(root, "mine")
	ctx := context.Background()
	// mine looks like a site of promptsite's, and holds a file of the user's.
	if err := Publish(ctx, treeOf(t, map[string]string{"index.html": "mine"}), mine); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mine, "CNAME"), []byte("hi"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Publish(ctx, treeOf(t, map[string]string{"index.html": "old"}), dir); err != nil {
		t.Fatal(err)
	}
	s, err := Stage(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Discard()
	s.Add("index.html", []byte("new"))
	// While the site is built, the folder is replaced by a link to mine.
	if err := os.Rename(dir, filepath.Join(root, "moved")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(mine, dir); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx); err == nil || !strings.Contains(err.Error(), "link") {
		t.Errorf("Commit over a folder that became a link = %v; want an error that names the link", err)
	}
	if got := read(t, filepath.Join(mine, "CNAME")); got != "hi" {
		t.Errorf("mine/CNAME = %q; want hi", got)
	}
	if got := read(t, filepath.Join(mine, "index.html")); got != "mine" {
		t.Errorf("mine/index.html = %q; want mine", got)
	}
	if info, err := os.Lstat(dir); err != nil || info.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("public is no longer the link (%v)", err)
	}
	assertNoStaging(t, dir)
}

// TestRemoveAllKeepsWhatALinkPointsTo checks that removing a link, or a
// folder with links in it, removes the links and not what they point to.
func TestRemoveAllKeepsWhatALinkPointsTo(t *testing.T) {
	root := t.TempDir()
	keep := filepath.Join(root, "keep")
	if err := os.MkdirAll(filepath.Join(keep, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(keep, "sub", "f"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	gone := filepath.Join(root, "gone")
	if err := os.MkdirAll(filepath.Join(gone, "d"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{filepath.Join(gone, "link"), filepath.Join(gone, "d", "link"), filepath.Join(root, "alink")} {
		if err := os.Symlink(keep, l); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{filepath.Join(root, "alink"), gone} {
		if err := removeAll(p); err != nil {
			t.Errorf("removeAll(%s) = %v", p, err)
		}
		if _, err := os.Lstat(p); !os.IsNotExist(err) {
			t.Errorf("%s is still there: %v", p, err)
		}
	}
	if got := read(t, filepath.Join(keep, "sub", "f")); got != "x" {
		t.Errorf("keep/sub/f = %q; want x", got)
	}
}

// TestQueuedBytes stages files larger than the bytes that may wait to be
// written, and many small ones, faster than the writers take them: each
// is written, no Add waits for ever, and every byte held for the queues is
// given back.
func TestQueuedBytes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	s, err := Stage(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Discard()
	big := make([]byte, queuedBytes+1<<20)
	added := make(chan struct{})
	go func() {
		defer close(added)
		for i := range 3 {
			s.Add(fmt.Sprintf("big/%d.bin", i), big)
		}
		for i := range 1000 {
			s.Add(fmt.Sprintf("small/%d/index.html", i), bytes.Repeat([]byte{'x'}, 10<<10))
		}
	}()
	select {
	case <-added:
	case <-time.After(30 * time.Second):
		t.Fatal("Add has waited 30 s for the writers")
	}
	if err := s.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !s.queued.TryAcquire(queuedBytes) {
		t.Error("the bytes of files written were not given back")
	}
	for _, name := range []string{"big/2.bin", "small/999/index.html"} {
		if info, err := os.Stat(filepath.Join(dir, name)); err != nil || info.Size() == 0 {
			t.Errorf("%s was not written: %v", name, err)
		}
	}
}
