package output

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cespare/xxhash/v2"

	"golang.org/x/sync/semaphore"
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
		data, _ := t.Get(name)
		s.Add(name, data)
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
	prefix     string   // the staging folders' names begin with it
	into       bool     // dir is a mount point: the site is moved into it
	lock       *os.File // holds the lock on stage; nil once given up
	prev       string   // dir, when it holds a site promptsite wrote; else ""
	queues     []chan stagedFile
	queued     *semaphore.Weighted // the bytes of the files in queues
	done       chan error          // each writer's first error, or nil, once it stops
	closed     bool
	committed  bool
	kept       bool                 // stage holds files of the old site: never remove it
	spare      bool                 // stage is the spare: updated in place, not filled
	listed     []string             // the spare's files when it was claimed
	added      map[string]bool      // the names added, when stage is the spare
	changes    changes              // what updating the spare changed, to flush
	dropped    atomic.Bool          // the site will not be published: write no more
	ctx        context.Context      // StageContext's
	stopWatch  func() bool          // stops watching it
	local      bool                 // the site is on a local file system, which an inventory is kept for
	known      *inventory           // what the last build knew of the files; nil if nothing
	spareKnown map[string]fileState // the spare's files that known has as they are, by name, with their sums
	seen       [][]fileState        // by writer, the files of the new site as the writers left them
	inv        []byte               // the inventory once the site is in place
}

type stagedFile struct {
	name  string
	data  []byte
	known *Known // for a file of AddKnown, whose data are loaded when needed
}

// Stage creates the staging folder for dir and starts the goroutines that
// write into it; they end when Commit or Discard is called. It refuses a
// dir that promptsite may not replace.
//
// A dir that is a symbolic link stays one: the site is published into the
// folder it points to. A dir that is a mount point, which cannot be
// swapped, is staged inside and has its entries swapped one by one at
// Commit. Staging folders that builds killed before they could remove
// them are removed first; those of builds still running are left alone.
func Stage(dir string) (*Staging, error) { return StageContext(context.Background(), dir, nil) }

// StageContext is Stage whose writers stop writing once ctx is done: the
// site will not be published then, and the files still queued or added
// later are dropped. inventory is what the last build's Inventory
// returned, or nil: the files it knows, unchanged, are not read to be
// compared with the new site's.
func StageContext(ctx context.Context, dir string, inventory []byte) (*Staging, error) {
	dir, err := resolve(dir)
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	s := &Staging{dir: dir, prefix: "." + filepath.Base(dir) + ".staging-"}
	if err := checkPlace(dir); err != nil {
		return nil, err
	}
	s.into = isMountPoint(dir)
	where := filepath.Dir(dir)
	if s.into {
		where = dir
	}
	if s.local = localFS(where); s.local && len(inventory) > 0 {
		s.known, _ = decodeInventory(inventory) // nil, when it cannot be read: every file is read
	}
	ours, err := s.checkReplaceable()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(where, 0o755); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	removeStale(where, s.prefix)
	if ours && !s.into {
		s.stage, s.lock, s.listed, s.spare = claimSpare(dir, where, s.prefix)
	}
	if s.spare {
		s.added = make(map[string]bool, len(s.listed))
		// The spare's files are known before the build makes any, while
		// it still reads the library.
		s.spareKnown = s.known.check(s.stage, s.listed)
	} else if s.stage, s.lock, err = newStaging(where, s.prefix); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	if ours {
		s.prev = dir
	}
	// Creating files is mostly the kernel's work, which runs on as many
	// cores as there are writers. Each folder has one writer, so that
	// writers never wait on each other's folder. A writer's queue is long
	// enough to keep it busy, and short enough that a build on a slow disk
	// does not hold thousands of pages waiting to be written.
	n := min(runtime.GOMAXPROCS(0), 4)
	s.queues = make([]chan stagedFile, n)
	s.queued = semaphore.NewWeighted(queuedBytes)
	s.done = make(chan error, n)
	s.seen = make([][]fileState, n)
	for i := range s.queues {
		s.queues[i] = make(chan stagedFile, 128)
		go s.write(i, s.queues[i])
	}
	s.ctx = ctx
	s.stopWatch = context.AfterFunc(ctx, func() { s.dropped.Store(true) })
	return s, nil
}

// resolve makes dir absolute and follows its symbolic links, the last one
// included, as far as they lead to something; the rest of the path is
// where the site will be made.
func resolve(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	return resolveLinks(dir, 0)
}

func resolveLinks(p string, depth int) (string, error) {
	if depth > 40 {
		return "", fmt.Errorf("%s: too many symbolic links", p)
	}
	r, err := filepath.EvalSymlinks(p)
	if err == nil {
		return r, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	parent := filepath.Dir(p)
	if parent == p {
		return p, nil
	}
	if parent, err = resolveLinks(parent, depth+1); err != nil {
		return "", err
	}
	p = filepath.Join(parent, filepath.Base(p))
	target, err := os.Readlink(p)
	if err != nil {
		return p, nil // missing: the site will be made here
	}
	if !filepath.IsAbs(target) {
		target = filepath.Join(parent, target) // parent has no links left
	}
	return resolveLinks(target, depth+1)
}

// Add queues a file to be written; name is a slash-separated path that
// Tree.Add accepted. It must not be called after Commit or Discard, nor
// from two goroutines at once.
func (s *Staging) Add(name string, data []byte) { s.add(stagedFile{name: name, data: data}) }

// AddKnown is Add for a file known by k (see Tree.AddKnown): its bytes are
// loaded only if neither the spare nor the site in place is known to hold
// them.
func (s *Staging) AddKnown(name string, k Known) { s.add(stagedFile{name: name, known: &k}) }

func (s *Staging) add(f stagedFile) {
	name, data := f.name, f.data
	if s.dropped.Load() {
		return
	}
	if s.spare {
		s.added[name] = true
	}
	// FNV-1a of the folder's name picks its writer.
	h := uint32(2166136261)
	for _, c := range []byte(path.Dir(name)) {
		h = (h ^ uint32(c)) * 16777619
	}
	// The files waiting to be written hold at most queuedBytes: a build
	// that makes pages faster than the disk takes them does not hold them
	// all (the weight of one larger is the whole).
	s.queued.Acquire(context.Background(), min(int64(len(data)), queuedBytes))
	s.queues[h%uint32(len(s.queues))] <- f
}

// queuedBytes is the most bytes of files that wait to be written.
const queuedBytes = 4 << 20

// write writes the files of queue i, making folders as they are needed,
// and keeps the state of each in s.seen[i]. After an error it goes on
// taking files, without writing them, until the queue is closed.
func (s *Staging) write(i int, queue <-chan stagedFile) {
	var (
		err  error
		made = map[string]bool{".": true}
		buf  []byte // for reading the previous site's files
		seen []fileState
	)
	for f := range queue {
		s.queued.Release(min(int64(len(f.data)), queuedBytes))
		if err != nil || s.dropped.Load() {
			continue
		}
		if d := path.Dir(f.name); !made[d] {
			switch full := filepath.Join(s.stage, filepath.FromSlash(d)); {
			case s.spare:
				err = makeParents(s.stage, d)
			case made[path.Dir(d)]:
				// In a new stage, a folder whose parent this writer
				// made is made with one call, not a look first.
				if err = os.Mkdir(full, 0o755); errors.Is(err, fs.ErrExist) {
					err = os.MkdirAll(full, 0o755) // another writer's, or a file
				}
			default:
				err = os.MkdirAll(full, 0o755)
			}
			if err != nil {
				err = fmt.Errorf("publish: %w", err)
				continue
			}
			for ; d != "." && !made[d]; d = path.Dir(d) {
				made[d] = true
			}
		}
		name := filepath.Join(s.stage, filepath.FromSlash(f.name))
		// The file's size and sum, for the inventory, which only a local
		// file system has; a known file's are given, and its bytes are
		// loaded, and summed, only when they are needed.
		b := fileBytes{name: f.name, data: f.data, size: len(f.data)}
		switch {
		case f.known != nil:
			b.known, b.size, b.sum = f.known, f.known.Size, f.known.Sum
		case s.local:
			b.sum = xxhash.Sum64(f.data)
		}
		b.local = s.local
		var (
			same bool
			st   fileState
		)
		if s.spare {
			// The spare's file stays if it has the bytes; else the
			// site in place's takes its place if that has them (it
			// changed in the last build); else a new file is written.
			if k, ok := s.spareKnown[f.name]; ok {
				same, st = k.sum == b.sum && k.size == int64(b.size), k
			} else {
				same, st, buf = s.holds(name, &b, buf)
			}
			if same {
				seen = append(seen, st)
				continue
			}
			old := filepath.Join(s.prev, filepath.FromSlash(f.name))
			var was fileState
			if same, was, buf = s.holds(old, &b, buf); same {
				if replaceWithLink(old, name) == nil {
					s.changes.add(name, false)
					seen = appendLinked(seen, name, was)
					continue
				}
			}
			// The bytes are had before the spare's file goes.
			data := b.bytes()
			werr := b.err
			if werr == nil {
				werr = removeEntry(name)
			}
			if werr == nil {
				st, werr = createFile(name, data)
			}
			if werr != nil {
				err = fmt.Errorf("publish: %w", werr)
			}
			s.changes.add(name, true)
			st.sum = b.sum
			seen = append(seen, st)
			continue
		}
		if s.prev != "" {
			old := filepath.Join(s.prev, filepath.FromSlash(f.name))
			var was fileState
			if same, was, buf = s.holds(old, &b, buf); same && os.Link(old, name) == nil {
				seen = appendLinked(seen, name, was)
				continue
			}
		}
		data := b.bytes()
		if b.err != nil {
			err = fmt.Errorf("publish: %w", b.err)
			continue
		}
		st, werr := createFile(name, data)
		if werr != nil {
			err = fmt.Errorf("publish: %w", werr)
		}
		st.sum = b.sum
		seen = append(seen, st)
	}
	// The states are kept before the writer says it is done: Commit
	// reads them then.
	s.seen[i] = seen
	s.done <- err
}

// fileBytes is a file to write: its bytes, or for a known file the
// function that loads them, and their size and sum.
type fileBytes struct {
	name  string
	data  []byte
	known *Known
	size  int
	sum   uint64
	local bool // the sum is wanted: the file system keeps an inventory
	err   error
}

// bytes returns the file's bytes, loading a known file's; their size and
// sum are then theirs. A known file whose bytes are not to be had leaves
// err set.
func (b *fileBytes) bytes() []byte {
	if b.known != nil {
		b.data, b.known = b.known.Load(), nil
		if b.data == nil {
			b.err = fmt.Errorf("%s: its bytes could not be had; build again", b.name)
		}
		b.size = len(b.data)
		if b.local {
			b.sum = xxhash.Sum64(b.data)
		}
	}
	return b.data
}

// holds tells whether the file at name holds b's bytes: by the inventory,
// when it knows the file as it is, or else by reading the file. When it
// does, it returns the file's state.
func (s *Staging) holds(name string, b *fileBytes, buf []byte) (bool, fileState, []byte) {
	if s.known != nil {
		if st, ok := statFile(name); ok {
			if k, ok := s.known.lookup(st); ok {
				st.sum = k
				return k == b.sum && st.size == int64(b.size), st, buf
			}
		}
	}
	same, buf, st := sameFile(name, b.bytes(), buf)
	st.sum = b.sum
	return same, st, buf
}

// appendLinked appends to seen the state of the file name, just linked to
// the file whose state was was when it was found to hold the bytes of
// was.sum. A link changes the file's change time, which the inventory
// then has; a write to the file between the look and the link changes
// its modification time too, and the file is then left out.
func appendLinked(seen []fileState, name string, was fileState) []fileState {
	st, ok := statFile(name)
	if !ok || was.ino == 0 || st.dev != was.dev || st.ino != was.ino || st.size != was.size || st.mtime != was.mtime {
		return seen
	}
	st.sum = was.sum
	return append(seen, st)
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
// old site is left as it was, and the staging folder is kept as the spare
// or removed, as Discard does.
func (s *Staging) Commit(ctx context.Context) (err error) {
	defer func() {
		if err != nil && !s.committed && !s.kept && !s.keepAsSpare() {
			removeAll(s.stage)
		}
		s.unlock()
	}()
	// Once ctx is done, the files still queued are not written.
	stop := context.AfterFunc(ctx, func() { s.dropped.Store(true) })
	defer stop()
	if err := s.wait(); err != nil {
		return err
	}
	if s.spare {
		if err := prune(s.stage, s.listed, s.added, &s.changes); err != nil {
			return fmt.Errorf("publish: remove what the new site no longer has: %w", err)
		}
	}
	if err := putFile(filepath.Join(s.stage, Marker), []byte(markerText)); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	// The flush keeps the old site or the new one on disk through a
	// crash, never a mix. An updated spare flushes what changed in it,
	// when that is little: the whole file system may hold much else that
	// is not yet on disk. A site with none before it is not flushed:
	// there is no old site to lose, and the system writes the new one
	// out in its own time, as it does any file.
	var flush func() error
	switch {
	case s.prev == "":
	case s.spare && !s.changes.many:
		flush = func() error { return s.changes.flush(s.stage) }
	default:
		flush = func() error { return flushAll(s.stage) }
	}
	if flush != nil {
		if err := flush(); err != nil {
			return fmt.Errorf("publish: flush %s: %w", s.stage, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if s.dropped.Load() {
		// Files were left out once a context was done: this is no site.
		return fmt.Errorf("publish: %w", cmp.Or(s.ctx.Err(), context.Canceled))
	}
	if s.into {
		if err := s.moveInto(); err != nil {
			return err
		}
		if cutoff, timed := mtime(s.dir); timed && s.local {
			s.takeInventory(cutoff, false)
		}
		return nil
	}
	old, err := swap(s.stage, s.dir)
	if err != nil {
		return err
	}
	s.committed = true
	cutoff, timed := mtime(filepath.Dir(s.dir))
	// The site in place is no staging folder. Were the build killed
	// before this, the next build would find the mark and remove the old
	// site it has become: only ever as the trash it is by then.
	os.Remove(filepath.Join(s.dir, stagingMarker))
	kept := old != "" && keepSpare(old, s.dir)
	if timed && s.local {
		s.takeInventory(cutoff, kept)
	}
	if old == "" || kept {
		return nil
	}
	if err := removeOld(ctx, old); err != nil {
		return fmt.Errorf("publish: the new site is in place, but the old one could not be removed from %s: %w", old, err)
	}
	return nil
}

// flushAll flushes the file system that holds a folder; a variable, for
// tests to see when a site is flushed whole.
var flushAll = syncDir

// Inventory returns, once Commit has put the new site in place, what the
// next build's StageContext is to be given: what this build knows of the
// new site's files, and of the spare's when the old site was kept as the
// spare. It is nil before, and when Commit failed.
func (s *Staging) Inventory() []byte { return s.inv }

// racyMargin is how long before the site was put in place a file must
// have changed last for the inventory to keep it: longer than a tick of
// a file system's clock, within which a later change would keep the
// file's change time.
var racyMargin = 100 * time.Millisecond

// takeInventory makes the inventory once the new site is in place. cutoff
// is the modification time, in nanoseconds, of the folder whose entries
// the site's swap changed: the file system's own clock. It keeps the new
// site's files that changed last before cutoff less racyMargin; and, when
// kept tells that the old site is the spare now, the files that the last
// build's inventory knew of the old site.
func (s *Staging) takeInventory(cutoff int64, kept bool) {
	var site []fileState
	for _, seen := range s.seen {
		for _, f := range seen {
			if f.ino != 0 && f.ctime < cutoff-int64(racyMargin) {
				site = append(site, f)
			}
		}
	}
	var spare map[uint64]fileState
	if kept && s.known != nil {
		spare = s.known.site
	}
	s.inv = encodeInventory(site, spare)
}

// Discard stops the writer and, unless Commit has put the staging folder
// in place, keeps it as the spare when a site is in place, for the next
// build to update, or else removes it. It is safe to call more than once,
// and after Commit.
func (s *Staging) Discard() {
	s.dropped.Store(true) // the files still queued are not written
	s.wait()
	if !s.committed && !s.kept && !s.keepAsSpare() {
		removeAll(s.stage)
	}
	s.unlock()
}

// keepAsSpare keeps the staging folder of a build that was not published
// as the spare, so that the next build updates it rather than writing
// every file anew: whatever it holds, the next build compares it with its
// own files. It does so only beside a site promptsite wrote, and only
// once: a second call, or one after Commit's error removed the folder,
// finds nothing to keep.
func (s *Staging) keepAsSpare() bool {
	if s.prev == "" || s.into || s.stage == "" {
		return false
	}
	if _, err := os.Lstat(s.stage); err != nil {
		return false
	}
	if putFile(filepath.Join(s.stage, Marker), []byte(markerText)) != nil ||
		os.Remove(filepath.Join(s.stage, stagingMarker)) != nil {
		return false
	}
	if !keepSpare(s.stage, s.dir) {
		return false
	}
	s.kept = true
	return true
}

// unlock gives up the lock on the staging folder, which tells other
// builds that it is no longer in use.
func (s *Staging) unlock() {
	if s.stopWatch != nil {
		s.stopWatch()
	}
	if s.lock != nil {
		s.lock.Close()
		s.lock = nil
	}
}

// checkPlace refuses to write the site to the file system's root or to a
// home folder.
func checkPlace(dir string) error {
	if dir == filepath.Dir(dir) {
		return fmt.Errorf("publish: refusing to write the site to %s, the file system's root; choose an output folder of its own, such as ./public", dir)
	}
	if home, err := os.UserHomeDir(); err == nil {
		if r, err := filepath.EvalSymlinks(home); err == nil && r == dir || filepath.Clean(home) == dir {
			return fmt.Errorf("publish: refusing to replace the home folder %s; choose an output folder of its own, such as ./public", dir)
		}
	}
	return nil
}

// HasSite reports whether the folder dir holds a site that promptsite
// wrote: it has the Marker.
func HasSite(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, Marker))
	return err == nil
}

// checkReplaceable refuses to replace a folder that promptsite did not
// write: one with files in it but no marker. It tells whether the folder
// holds a site promptsite wrote. In a mount point, lost+found and staging
// folders of ours do not count.
func (s *Staging) checkReplaceable() (ours bool, err error) {
	info, err := os.Lstat(s.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err == nil && !info.IsDir() {
		return false, fmt.Errorf("publish: refusing to replace %s: it is a file, not a folder; choose another output folder, or remove the file", s.dir)
	}
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return false, fmt.Errorf("publish: %w", err)
	}
	n := 0
	for _, e := range entries {
		if !s.into || e.Name() != "lost+found" && !strings.HasPrefix(e.Name(), s.prefix) {
			n++
		}
	}
	if n == 0 {
		return false, nil
	}
	if !HasSite(s.dir) {
		return false, fmt.Errorf("publish: refusing to replace %s: it holds files that promptsite did not write (it has no %s); choose another output folder, or empty this one", s.dir, Marker)
	}
	return true, nil
}

// swap puts stage in dir's place, and returns where the old site is now,
// or "" when there was none. It never replaces a link: the old site would
// then be removed through it.
func swap(stage, dir string) (old string, err error) {
	info, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.Rename(stage, dir); err != nil {
			return "", fmt.Errorf("publish: %w", err)
		}
		return "", nil
	case err != nil:
		return "", fmt.Errorf("publish: %w", err)
	case info.Mode()&fs.ModeSymlink != 0:
		return "", fmt.Errorf("publish: refusing to replace %s: it became a symbolic link while the site was built; build again to publish into the folder it points to", dir)
	case !info.IsDir():
		return "", fmt.Errorf("publish: refusing to replace %s: it became a file while the site was built; remove it, or choose another output folder", dir)
	}
	old, err = exchange(stage, dir)
	if isBusy(err) {
		return "", fmt.Errorf("publish: cannot replace %s: it is a mount point, which no folder can take the place of (%w); publish to a folder inside it, such as %s, or mount the folder above it instead", dir, err, filepath.Join(dir, "site"))
	}
	if err != nil {
		return "", fmt.Errorf("publish: replace %s: %w", dir, err)
	}
	return old, nil
}

// removeAll removes dir and what it holds, its entries shared among as
// many goroutines as Stage has writers: removing a site of thousands of
// files is, like writing it, the kernel's work. It never follows a link:
// a dir that is a link is removed as a link, and a link in it as well. A
// staging folder's marker goes last, so that a folder whose removal is cut
// short is still known as ours.
func removeAll(dir string) error {
	info, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return ignoreNotExist(os.Remove(dir))
	}
	// Every removal goes through root, which no link leads out of.
	root, err := os.OpenRoot(dir)
	if err != nil {
		return ignoreNotExist(err)
	}
	defer root.Close()
	if now, err := root.Stat("."); err != nil || !os.SameFile(info, now) {
		return fmt.Errorf("remove %s: it was replaced while being removed", dir)
	}
	f, err := root.Open(".")
	if err != nil {
		return err
	}
	entries, err := f.ReadDir(-1)
	f.Close()
	if err != nil {
		return err
	}
	errs := make([]error, len(entries))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), 4, len(entries)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(entries); i = int(next.Add(1) - 1) {
				if name := entries[i].Name(); name != stagingMarker {
					errs[i] = root.RemoveAll(name)
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if err := root.Remove(stagingMarker); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return ignoreNotExist(os.Remove(dir))
}

func ignoreNotExist(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}
