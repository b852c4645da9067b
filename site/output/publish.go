package output

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
)

// Marker is the file that marks a folder as promptsite's output. Publish
// replaces only a folder that has it, or an empty one, so that a mistyped
// -o never wipes out anything else.
const Marker = ".promptsite-output"

const markerText = "This folder is written by promptsite; each build replaces it whole.\n"

// Publish writes t to dir, replacing what dir held, so that dir holds the
// old site or the new one and never a mix: the files are written to a
// staging folder beside dir, flushed to disk, and swapped in. On any error,
// or when ctx is done, the staging folder is removed and dir is left
// exactly as it was.
func Publish(ctx context.Context, t *Tree, dir string) error {
	s, err := Stage(dir)
	if err != nil {
		return err
	}
	defer s.Discard()
	for _, name := range t.Names() {
		s.Add(name, t.files[name])
	}
	return s.Commit(ctx)
}

// Staging is a site being written to a folder beside its final place while
// it is still being built, so that writing, which costs a system call or
// more a file, overlaps the work of building. Add files to it, then Commit
// to swap it in, or Discard to remove it; nothing replaces the old site
// before Commit.
//
// A file that the site being replaced has with the same bytes is linked
// into the staging folder instead of written again. A rebuild after a small
// edit then writes only what changed; the files that did not change keep
// their modification times; and the file system allocates, and later
// frees, only the inodes of the files that changed, which matters on file
// systems where creating files soon after deleting many is slow (ext4
// without a journal, for one).
type Staging struct {
	dir, stage string
	prev       string // dir, when it holds a site promptsite wrote; else ""
	queues     []chan stagedFile
	done       chan error // each writer's first error, or nil, once it stops
	closed     bool
	committed  bool
}

type stagedFile struct {
	name string
	data []byte
}

// Stage creates the staging folder for dir and starts the goroutines that
// write into it; they end when Commit or Discard is called. It refuses a
// dir that promptsite may not replace.
func Stage(dir string) (*Staging, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	ours, err := checkReplaceable(dir)
	if err != nil {
		return nil, err
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	stage, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".staging-")
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	if err := os.Chmod(stage, 0o755); err != nil {
		os.RemoveAll(stage)
		return nil, fmt.Errorf("publish: %w", err)
	}
	s := &Staging{dir: dir, stage: stage}
	if ours {
		s.prev = dir
	}
	// Creating files is mostly the kernel's work, which runs on as many
	// cores as there are writers. Each folder has one writer, so that
	// writers never wait on each other's folder.
	n := min(runtime.GOMAXPROCS(0), 4)
	s.queues = make([]chan stagedFile, n)
	s.done = make(chan error, n)
	for i := range s.queues {
		s.queues[i] = make(chan stagedFile, 1024)
		go s.write(s.queues[i])
	}
	return s, nil
}

// Add queues a file to be written; name is a slash-separated path that
// Tree.Add accepted. It must not be called after Commit or Discard.
func (s *Staging) Add(name string, data []byte) {
	// FNV-1a of the folder's name picks its writer.
	h := uint32(2166136261)
	for _, c := range []byte(path.Dir(name)) {
		h = (h ^ uint32(c)) * 16777619
	}
	s.queues[h%uint32(len(s.queues))] <- stagedFile{name, data}
}

// write writes the files of one queue, making folders as they are needed.
// After an error it goes on taking files, without writing them, until the
// queue is closed.
func (s *Staging) write(queue <-chan stagedFile) {
	var (
		err  error
		made = map[string]bool{".": true}
		buf  []byte // for reading the previous site's files
	)
	for f := range queue {
		if err != nil {
			continue
		}
		if d := path.Dir(f.name); !made[d] {
			if err = os.MkdirAll(filepath.Join(s.stage, filepath.FromSlash(d)), 0o755); err != nil {
				err = fmt.Errorf("publish: %w", err)
				continue
			}
			for ; d != "." && !made[d]; d = path.Dir(d) {
				made[d] = true
			}
		}
		name := filepath.Join(s.stage, filepath.FromSlash(f.name))
		if s.prev != "" {
			old := filepath.Join(s.prev, filepath.FromSlash(f.name))
			var same bool
			if same, buf = sameFile(old, f.data, buf); same && os.Link(old, name) == nil {
				continue
			}
		}
		if werr := writeFile(name, f.data); werr != nil {
			err = fmt.Errorf("publish: %w", werr)
		}
	}
	s.done <- err
}

// wait closes the queue and returns the writer's error.
func (s *Staging) wait() error {
	if s.closed {
		return nil
	}
	s.closed = true
	for _, q := range s.queues {
		close(q)
	}
	var first error
	for range s.queues {
		if err := <-s.done; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Commit waits for every file to be written, flushes them to disk and puts
// the new site in the old one's place. On error, or when ctx is done, the
// staging folder is removed and the old site is left as it was.
func (s *Staging) Commit(ctx context.Context) (err error) {
	defer func() {
		if err != nil {
			removeAll(s.stage)
		}
	}()
	if err := s.wait(); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(s.stage, Marker), []byte(markerText), 0o644); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if err := syncDir(s.stage); err != nil {
		return fmt.Errorf("publish: flush %s: %w", s.stage, err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if err := swap(s.stage, s.dir); err != nil {
		return err
	}
	s.committed = true
	return nil
}

// Discard stops the writer and removes the staging folder, unless Commit
// has put it in place. It is safe to call more than once, and after Commit.
func (s *Staging) Discard() {
	s.wait()
	if !s.committed {
		removeAll(s.stage)
	}
}

// checkReplaceable refuses to replace a folder that promptsite did not
// write: the file system's root, a home folder, or any folder with files
// in it but no marker. It tells whether dir holds a site promptsite wrote.
func checkReplaceable(dir string) (ours bool, err error) {
	if dir == filepath.Dir(dir) {
		return false, fmt.Errorf("publish: refusing to write the site to %s, the file system's root; choose an output folder of its own, such as ./public", dir)
	}
	if home, err := os.UserHomeDir(); err == nil && filepath.Clean(home) == dir {
		return false, fmt.Errorf("publish: refusing to replace the home folder %s; choose an output folder of its own, such as ./public", dir)
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("publish: %w", err)
	}
	if len(entries) == 0 {
		return false, nil
	}
	if _, err := os.Stat(filepath.Join(dir, Marker)); err != nil {
		return false, fmt.Errorf("publish: refusing to replace %s: it holds files that promptsite did not write (it has no %s); choose another output folder, or empty this one", dir, Marker)
	}
	return true, nil
}

// swap puts stage in dir's place and removes the old site.
func swap(stage, dir string) error {
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(stage, dir); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		return nil
	}
	old, err := exchange(stage, dir)
	if err != nil {
		return fmt.Errorf("publish: replace %s: %w", dir, err)
	}
	if err := removeAll(old); err != nil {
		return fmt.Errorf("publish: the new site is in place, but the old one could not be removed from %s: %w", old, err)
	}
	return nil
}

// removeAll removes dir and what it holds, its folders shared among as
// many goroutines as Stage has writers: removing a site of thousands of
// files is, like writing it, the kernel's work.
func removeAll(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return os.RemoveAll(dir)
	}
	errs := make([]error, len(entries))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), 4, len(entries)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(entries); i = int(next.Add(1) - 1) {
				errs[i] = os.RemoveAll(filepath.Join(dir, entries[i].Name()))
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return os.Remove(dir)
}
