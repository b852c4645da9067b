package output

import (
	"cmp"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"
)

// The site a build replaces is not thrown away: it is kept beside the
// output folder as the spare (".public.spare"), and the next build brings
// the spare up to date and swaps it in, so that the output folders take
// turns. Bringing the spare up to date writes only the files whose bytes
// differ from the new site's and removes only the files the new site does
// not have. A rebuild after a small edit then creates and deletes a few
// files, not every file of the site twice (once linked, once removed),
// which on some file systems slows every build after it.
//
// The spare is only ever changed while it is a staging folder of the
// build that claimed it, marked and locked like any other; a build that
// is killed while changing it leaves a marked staging folder, which the
// next build removes (and then builds afresh). The site in place is never
// written to.

// spareGitignore keeps version control from listing the spare's files.
const spareGitignore = "# promptsite keeps the previous site here to update it into the next one.\n*\n"

// spareName is the spare's name beside the output folder dir.
func spareName(dir string) string {
	return filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".spare")
}

// claimSpare takes the spare of dir, if there is one fit to be updated,
// and makes it a staging folder in where: moved to a new staging name,
// locked and marked. It returns the staging folder, its lock, and the
// slash-separated names of the files in it. ok is false when there is no
// spare to use; a spare that cannot be used is removed.
func claimSpare(dir, where, prefix string) (stage string, lock *os.File, files []string, ok bool) {
	spare := spareName(dir)
	info, err := os.Lstat(spare)
	if err != nil || !info.IsDir() {
		return "", nil, nil, false
	}
	if m, err := os.Lstat(filepath.Join(spare, Marker)); err != nil || !m.Mode().IsRegular() {
		return "", nil, nil, false // not a site promptsite wrote: leave it be
	}
	// The spare is moved to a new staging name, which makes it this
	// build's alone. The name is made free first: os.Rename never moves
	// a folder over another.
	stage, err = os.MkdirTemp(where, prefix)
	if err != nil {
		return "", nil, nil, false
	}
	if err := os.Remove(stage); err != nil {
		return "", nil, nil, false
	}
	if err := os.Rename(spare, stage); err != nil {
		return "", nil, nil, false // another build took it
	}
	if lock, err = lockDir(stage, true); err != nil {
		return "", nil, nil, false // removed by a build that found it marked
	}
	err = replaceFile(filepath.Join(stage, stagingMarker), []byte(stagingText))
	if err == nil {
		err = os.Chmod(stage, 0o755)
	}
	if err == nil {
		files, err = listSpare(stage)
	}
	if err != nil {
		// Not fit to be updated in place: a link in it could lead writes
		// out of the site. It goes, as any staging folder would.
		removeAll(stage)
		lock.Close()
		return "", nil, nil, false
	}
	return stage, lock, files, true
}

// errUnfit is listSpare's error for a spare that holds something other
// than folders and regular files.
var errUnfit = errors.New("the spare holds a link or a special file")

// listSpare lists the files of the spare site at root, without the
// staging marker, and fails if it holds anything but folders and regular
// files, such as a link that writes could follow out of it.
func listSpare(root string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return nil
		case !d.Type().IsRegular():
			return errUnfit
		}
		name := filepath.ToSlash(p[len(root)+1:])
		if name != stagingMarker {
			files = append(files, name)
		}
		return nil
	})
	return files, err
}

// replaceWithLink puts a link to the file from at name, in place of what
// was there.
func replaceWithLink(from, name string) error {
	if err := removeEntry(name); err != nil {
		return err
	}
	return os.Link(from, name)
}

// replaceFile puts a new file at name with data in it, in place of what
// was there. The old file is removed first, never written to: it may be
// a link to a file of the site in place.
func replaceFile(name string, data []byte) error {
	if err := removeEntry(name); err != nil {
		return err
	}
	return writeFile(name, data)
}

// removeEntry removes what is at name, a file, a link or a folder with
// all it holds, if anything is.
func removeEntry(name string) error {
	err := os.Remove(name)
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if info, lerr := os.Lstat(name); lerr != nil || !info.IsDir() {
		return err
	}
	return removeAll(name)
}

// putFile makes name a file holding data, unless it holds data already.
func putFile(name string, data []byte) error {
	if same, _, _ := sameFile(name, data, nil); same {
		return nil
	}
	return replaceFile(name, data)
}

// makeParents makes the folder d of root, removing any file that stands
// where a folder of its path must be.
func makeParents(root, d string) error {
	full := filepath.Join(root, filepath.FromSlash(d))
	err := os.MkdirAll(full, 0o755)
	if err == nil {
		return nil
	}
	for p := ""; ; {
		i := strings.IndexByte(d[len(p):], '/')
		p = d
		if i >= 0 {
			p = d[:len(p)+i]
		}
		f := filepath.Join(root, filepath.FromSlash(p))
		if info, lerr := os.Lstat(f); lerr == nil && !info.IsDir() {
			if rerr := os.Remove(f); rerr != nil {
				return rerr
			}
		}
		if i < 0 {
			break
		}
		p += "/"
	}
	return os.MkdirAll(full, 0o755)
}

// prune removes from the spare at root the files listed in it that the
// new site does not have, and then the folders left empty.
func prune(root string, listed []string, kept map[string]bool, c *changes) error {
	var errs []error
	emptied := map[string]bool{}
	for _, name := range listed {
		if kept[name] || name == Marker {
			continue
		}
		f := filepath.Join(root, filepath.FromSlash(name))
		if err := os.Remove(f); err != nil {
			// Gone already, or a folder of the new site stands where the
			// file was, or a file where one of its folders was.
			if info, lerr := os.Lstat(f); lerr == nil && !info.IsDir() {
				errs = append(errs, err)
			}
		}
		c.add(f, false)
		for d := path.Dir(name); d != "."; d = path.Dir(d) {
			emptied[d] = true
		}
	}
	// The deepest first, so that a folder's folders are gone before it is
	// tried; one that still holds something stays.
	dirs := slices.SortedFunc(maps.Keys(emptied), func(a, b string) int {
		return cmp.Or(cmp.Compare(strings.Count(b, "/"), strings.Count(a, "/")), strings.Compare(a, b))
	})
	for _, d := range dirs {
		f := filepath.Join(root, filepath.FromSlash(d))
		if info, err := os.Lstat(f); err == nil && info.IsDir() { // not a file that took its place
			if os.Remove(f) == nil {
				c.add(f, false)
			}
		}
	}
	return errors.Join(errs...)
}

// keepSpare keeps old, the site that a new one has replaced, as the spare
// of dir. It reports false when it cannot, such as when another build has
// just kept one; old is then for the caller to remove.
func keepSpare(old, dir string) bool {
	if err := writeFile(filepath.Join(old, ".gitignore"), []byte(spareGitignore)); err != nil && !errors.Is(err, fs.ErrExist) {
		return false
	}
	// A folder is never renamed over one that holds files.
	return os.Rename(old, spareName(dir)) == nil
}

// maxFlushed is how many changes an updated spare flushes one by one;
// past it, the whole file system is flushed, as for a new site.
const maxFlushed = 256

// changes records what updating the spare changed: the files written, and
// the folders whose entries changed. Writers add to it at the same time.
type changes struct {
	mu    sync.Mutex
	files []string        // written: their bytes to flush
	dirs  map[string]bool // their entries to flush
	many  bool            // too many to flush one by one
}

// add records that the entry at name, a full path, was made, replaced or
// removed; data tells that bytes were written to it.
func (c *changes) add(name string, data bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.many {
		return
	}
	if c.dirs == nil {
		c.dirs = map[string]bool{}
	}
	if data {
		c.files = append(c.files, name)
	}
	c.dirs[filepath.Dir(name)] = true
	c.many = len(c.files)+len(c.dirs) > maxFlushed
}

// flush puts on disk the files written and the folders changed, and the
// folder root, whose marker may have been replaced. They are flushed side
// by side: each flush waits on the disk, which takes several at once.
func (c *changes) flush(root string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var g errgroup.Group
	g.SetLimit(maxFlushing)
	g.Go(func() error { return syncPath(root) })
	for _, f := range c.files {
		g.Go(func() error { return syncPath(f) })
	}
	for d := range c.dirs {
		g.Go(func() error {
			if err := syncPath(d); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			return nil
		})
	}
	return g.Wait()
}

// maxFlushing is how many files an updated spare flushes at once.
const maxFlushing = 16

// syncPath flushes one file or folder to disk.
func syncPath(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
