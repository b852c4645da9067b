package output

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// mountTmpfs mounts a small tmpfs at dir until the test ends, or skips the
// test when this process may not mount.
func mountTmpfs(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := unix.Mount("tmpfs", dir, "tmpfs", 0, "size=16m"); err != nil {
		t.Skipf("cannot mount a tmpfs at %s (%v): mounting needs root, so an output folder that is a mount point is tested only as root", dir, err)
	}
	t.Cleanup(func() {
		if err := unix.Unmount(dir, unix.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
}

// TestPublishIntoMountPoint checks that an output folder that is a mount
// point, which cannot be swapped, has each new site published into it, and
// stays the mount point.
func TestPublishIntoMountPoint(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	mountTmpfs(t, dir)
	// A fresh ext4 file system has lost+found at its root: it is left be.
	if err := os.Mkdir(filepath.Join(dir, "lost+found"), 0o700); err != nil {
		t.Fatal(err)
	}
	var st unix.Stat_t
	if err := unix.Stat(dir, &st); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	sites := []map[string]string{
		{"index.html": "one", "a/old.html": "old", "same.html": "same"},
		{"index.html": "two", "b/new.html": "new", "same.html": "same"},
		{"index.html": "three", "b/new.html": "newer", "c.html": "c"},
	}
	for i, files := range sites {
		if i == 1 {
			// A build killed in there left its staging folder.
			if _, lock, err := newStaging(dir, ".public.staging-"); err != nil {
				t.Fatal(err)
			} else {
				lock.Close()
			}
		}
		if err := Publish(ctx, treeOf(t, files), dir); err != nil {
			t.Fatalf("publish %d: %v", i+1, err)
		}
		var got []string
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			got = append(got, e.Name())
		}
		want := map[string]bool{Marker: true, "lost+found": true}
		for name, data := range files {
			want[strings.Split(name, "/")[0]] = true
			if got := read(t, filepath.Join(dir, filepath.FromSlash(name))); got != data {
				t.Errorf("publish %d: %s = %q; want %q", i+1, name, got, data)
			}
		}
		if len(got) != len(want) {
			t.Errorf("publish %d: the folder holds %v; want only the site's files and lost+found", i+1, got)
		}
		var now unix.Stat_t
		if err := unix.Stat(dir, &now); err != nil || now.Dev != st.Dev {
			t.Fatalf("publish %d: %s is no longer the mount point (%v)", i+1, dir, err)
		}
		assertNoStaging(t, dir)
	}
}

// TestSwapMountPointAdvises checks that a mount point that could not be
// told from a folder, and so is swapped, fails with advice.
func TestSwapMountPointAdvises(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "public")
	mountTmpfs(t, dir)
	stage := filepath.Join(root, ".public.staging-1")
	if err := os.Mkdir(stage, 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := swap(stage, dir)
	if err == nil || !strings.Contains(err.Error(), "mount point") {
		t.Errorf("swap over a mount point = %v; want advice about the mount point", err)
	}
}

// TestPublishIntoMountPointUndoes checks that when an entry of a mount
// point cannot be replaced, here because it is a mount point too, the
// entries already moved are moved back and the old site is left whole.
func TestPublishIntoMountPointUndoes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	mountTmpfs(t, dir)
	ctx := context.Background()
	if err := Publish(ctx, treeOf(t, map[string]string{"index.html": "one", "z.html": "z"}), dir); err != nil {
		t.Fatal(err)
	}
	mountTmpfs(t, filepath.Join(dir, "assets"))
	err := Publish(ctx, treeOf(t, map[string]string{"index.html": "two", "assets/a.css": "new", "b.html": "new"}), dir)
	if err == nil {
		t.Fatal("Publish over a mount point inside the output folder succeeded")
	}
	if got := read(t, filepath.Join(dir, "index.html")); got != "one" {
		t.Errorf("index.html = %q after a failed publish; want one", got)
	}
	if got := read(t, filepath.Join(dir, "z.html")); got != "z" {
		t.Errorf("z.html = %q after a failed publish; want z", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "b.html")); !os.IsNotExist(err) {
		t.Errorf("b.html of the failed publish is in the folder: %v", err)
	}
	assertNoStaging(t, dir)
}
