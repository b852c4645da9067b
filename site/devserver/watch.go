package devserver

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/promptsite/promptsite/site/output"
)

// maxWait is the longest a rebuild waits after the first change it is
// for, however the changes go on: a file written without pause, such as a
// log, must not hold every rebuild back.
const maxWait = time.Second

// startQuiet is how long the changes must pause for a rebuild to start.
// It is shorter than the debounce, which the rebuild's pages still wait
// for before they are shown (see changeLog): the build runs meanwhile.
const startQuiet = 10 * time.Millisecond

// watcher turns changes to the watched paths into rebuilds. Each path may
// come and go: a folder removed and made again is watched again, and a path
// that does not exist yet is watched from the nearest folder above it that
// does, and then itself once it is made.
type watcher struct {
	fsw      *fsnotify.Watcher
	targets  []string        // the paths to watch, absolute, whether they exist or not
	roots    map[string]bool // targets that are folders now, watched with their subfolders
	files    map[string]bool // targets that are files now, watched through their folder
	outputs  map[string]bool // built sites found among the roots' folders, left unwatched
	debounce time.Duration
	changes  changeLog
	log      func(format string, args ...any)
	// raced, when set, runs in sync between its look at a missing
	// target and the watch above it: a test's way into that gap.
	raced func()
}

// newWatcher watches s.Watch: each folder with its subfolders, and each file
// through its folder, since editors often save a file by replacing it, which
// would end a watch on the file itself. It watches the folder above each
// path as well, to see the path made again after it is removed.
func (s *Server) newWatcher() (*watcher, error) {
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	w := &watcher{
		fsw:      fsw,
		roots:    map[string]bool{},
		files:    map[string]bool{},
		outputs:  map[string]bool{},
		debounce: s.Debounce,
		log:      s.log.Printf,
	}
	if w.debounce <= 0 {
		w.debounce = 50 * time.Millisecond
	}
	for _, p := range s.Watch {
		abs, err := filepath.Abs(p)
		if err == nil {
			w.targets = append(w.targets, abs)
			err = w.sync(abs)
		}
		if err != nil {
			fsw.Close()
			return nil, fmt.Errorf("watch %s: %w", p, err)
		}
	}
	return w, nil
}

// sync watches target as what it is now: a folder with its subfolders, a
// file through its folder, or, when it does not exist, the nearest folder
// above it that does, to see it made.
func (w *watcher) sync(target string) error {
	info, err := os.Stat(target) // a link to a folder is watched as the folder
	// A folder on the way to target made after the Stat and before the
	// watch on the folder above it began sends no event, nor do the
	// folders and files then made in it: once the watch is on, look
	// again, and watch what is there now. The folders on the way are
	// few, so this ends unless they keep coming and going.
	for try := 0; isMissing(err); try++ {
		if w.roots[target] {
			w.unwatch(target)
		}
		delete(w.roots, target)
		delete(w.files, target)
		if w.raced != nil {
			w.raced()
		}
		watched, err2 := w.watchAbove(target)
		if err2 != nil || try == maxSyncTries {
			return err2
		}
		if _, err2 := os.Lstat(nextOnTheWay(watched, target)); isMissing(err2) {
			return nil
		}
		info, err = os.Stat(target)
	}
	if err != nil {
		return err
	}
	if _, err := w.watchAbove(target); err != nil {
		return err
	}
	if info.IsDir() {
		delete(w.files, target)
		w.roots[target] = true
		return w.addTree(target)
	}
	delete(w.roots, target)
	w.files[target] = true
	return nil
}

// unwatch ends the watches on dir and the folders under it, for a folder
// removed or moved away. The system ends those of a removed folder itself,
// but not those under a folder moved elsewhere, whose changes would then
// be taken for changes here.
func (w *watcher) unwatch(dir string) {
	for _, p := range w.fsw.WatchList() {
		if p == dir || within(p, dir) {
			w.fsw.Remove(p)
		}
	}
}

// maxSyncTries is how many times sync looks again for a target whose
// folders are being made as it watches them.
const maxSyncTries = 8

// watchAbove watches the nearest folder above p that exists, and returns
// it.
func (w *watcher) watchAbove(p string) (string, error) {
	for {
		parent := filepath.Dir(p)
		if parent == p {
			return p, nil
		}
		p = parent
		err := w.fsw.Add(p)
		if err == nil || !isMissing(err) {
			return p, err
		}
	}
}

// nextOnTheWay returns the entry of dir on the way down to p, which is
// inside dir: for /a and /a/b/c, /a/b.
func nextOnTheWay(dir, p string) string {
	for {
		parent := filepath.Dir(p)
		if parent == dir || parent == p {
			return p
		}
		p = parent
	}
}

// addTree watches dir and the folders under it, but for those that
// cannot change the site (see ignored) and built sites. Links to folders
// under dir are not followed, as the build does not follow them either,
// and a link that loops back would never end.
func (w *watcher) addTree(dir string) error {
	if err := w.fsw.Add(dir); err != nil {
		if isMissing(err) {
			return nil // removed meanwhile; its removal is an event too
		}
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		if isMissing(err) {
			return nil
		}
		return err
	}
	for _, e := range entries {
		if !e.IsDir() || ignored(e.Name()) {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if isOutput(p) {
			w.outputs[p] = true
			continue
		}
		if err := w.addTree(p); err != nil {
			return err
		}
	}
	return nil
}

// run waits for changes until ctx is done, then closes the watcher. A
// change is logged in w.changes and starts the timer over, for startQuiet
// (or the debounce, if shorter), but no later than maxWait after the first
// change since the last rebuild; when it fires, run asks for a rebuild on
// kick. kick holds one request, so changes made during a build add up to
// one more build, not one each.
func (w *watcher) run(ctx context.Context, kick chan<- struct{}) {
	defer w.fsw.Close()
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var first time.Time // of the changes not rebuilt yet; zero if none
	changed := func() {
		now := time.Now()
		w.changes.add(now)
		if first.IsZero() {
			first = now
		}
		timer.Reset(min(startQuiet, w.debounce, first.Add(maxWait).Sub(now)))
	}
	for {
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			if w.handle(ev) {
				changed()
			}
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			// Most likely the kernel's queue overflowed and changes were
			// lost, folders made among them: watch everything anew, and
			// rebuild to be sure the site is current.
			w.log("watch: %v", err)
			for _, t := range w.targets {
				if err := w.sync(t); err != nil {
					w.log("watch %s: %v", t, err)
				}
			}
			changed()
		case <-timer.C:
			first = time.Time{}
			select {
			case kick <- struct{}{}:
			default: // a rebuild is already waiting
			}
		}
	}
}

// changeLog tells the builder whether the files it read may still have
// been changing. A rebuild starts once the changes pause for startQuiet,
// but its pages are shown only once they have paused for the whole
// debounce, with no change since the build started: a save in several
// steps, or a script that empties a file and writes it tens of
// milliseconds later, is shown once it is whole, as with a rebuild that
// waited for the debounce before it started, while the build's time
// overlaps the wait. A build that read files that changed again is
// dropped unshown: the change asked for the next one.
type changeLog struct {
	mu      sync.Mutex
	seq     uint64        // the changes seen so far
	last    time.Time     // when the last came
	pending time.Time     // the first not shown yet; zero when all are
	marked  uint64        // the changes seen at the last mark
	after   time.Time     // when the first change after that mark came
	wake    chan struct{} // closed at the next change; nil if none waits
}

// add logs a change seen at now.
func (c *changeLog) add(now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seq == c.marked {
		c.after = now
	}
	c.seq++
	c.last = now
	if c.pending.IsZero() {
		c.pending = now
	}
	if c.wake != nil {
		close(c.wake)
		c.wake = nil
	}
}

// mark returns the changes seen so far, for a build about to read the
// files: what settled and shown are then given.
func (c *changeLog) mark() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.marked = c.seq
	return c.seq
}

// settled waits until a build started at mark may be shown: the changes
// have paused for quiet, and none came since mark. It returns false at
// once when one came since mark, or when ctx is done. A file that changes
// without pause would never let a build be shown, so once the first
// change not shown yet is maxWait old, settled returns true regardless.
func (c *changeLog) settled(ctx context.Context, mark uint64, quiet time.Duration) bool {
	for {
		c.mu.Lock()
		now := time.Now()
		overdue := !c.pending.IsZero() && now.Sub(c.pending) >= maxWait
		if c.seq != mark || overdue {
			c.mu.Unlock()
			return overdue
		}
		wait := c.last.Add(quiet).Sub(now)
		if !c.pending.IsZero() {
			wait = min(wait, c.pending.Add(maxWait).Sub(now))
		}
		if wait <= 0 {
			c.mu.Unlock()
			return true
		}
		if c.wake == nil {
			c.wake = make(chan struct{})
		}
		wake := c.wake
		c.mu.Unlock()
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return false
		case <-wake:
			t.Stop()
		case <-t.C:
		}
	}
}

// shown logs that the build started at mark, the last one marked, was
// shown, or its failure: the changes since mark, if any, are the next
// build's to show, pending since the first of them.
func (c *changeLog) shown(mark uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seq == mark {
		c.pending = time.Time{}
	} else {
		c.pending = c.after
	}
}

// handle brings the watches up to date with ev and reports whether ev
// changes something the build reads.
func (w *watcher) handle(ev fsnotify.Event) bool {
	if ev.Op == fsnotify.Chmod {
		return false
	}
	moved := ev.Has(fsnotify.Create) || ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename)
	relevant := false
	for _, t := range w.targets {
		switch {
		case ev.Name == t && w.files[t] && !moved:
			relevant = true // a watched file written
		case moved && (ev.Name == t || within(t, ev.Name)):
			// The target, or a folder on the way to it, made, removed
			// or renamed: watch it as what it is now.
			was := w.roots[t] || w.files[t]
			if err := w.sync(t); err != nil {
				w.log("watch %s: %v", t, err)
			}
			relevant = relevant || was || w.roots[t] || w.files[t]
		}
	}
	root := w.rootOf(ev.Name)
	if root == "" || w.skipped(root, ev.Name) {
		return relevant
	}
	if moved {
		// A built site renamed into place whole, or its old one moved
		// away or removed: nothing the build reads.
		if isOutput(ev.Name) {
			w.outputs[ev.Name] = true
			return relevant
		}
		if w.outputs[ev.Name] {
			delete(w.outputs, ev.Name)
			return relevant
		}
	}
	switch {
	case ev.Has(fsnotify.Create):
		// A new folder may already hold files; the rebuild reads them,
		// and from now on they are watched too.
		if info, err := os.Lstat(ev.Name); err == nil && info.IsDir() {
			if err := w.addTree(ev.Name); err != nil {
				w.log("watch %s: %v", ev.Name, err)
			}
		}
	case ev.Has(fsnotify.Rename):
		w.unwatch(ev.Name)
	}
	return true
}

// rootOf returns the watched folder that p is in, or "" if none.
func (w *watcher) rootOf(p string) string {
	for r := range w.roots {
		if within(p, r) {
			return r
		}
	}
	return ""
}

// skipped reports whether p, inside root, is or is in something that
// cannot change the site: a file or folder that ignored names, or a built
// site.
func (w *watcher) skipped(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	if err != nil {
		return true
	}
	for d := p; d != root; d = filepath.Dir(d) {
		if w.outputs[d] && d != p {
			return true
		}
	}
	for part := range strings.SplitSeq(rel, string(filepath.Separator)) {
		if ignored(part) {
			return true
		}
	}
	return false
}

// within reports whether p is inside dir.
func within(p, dir string) bool {
	return strings.HasPrefix(p, dir) && len(p) > len(dir) &&
		(p[len(dir)] == filepath.Separator || strings.HasSuffix(dir, string(filepath.Separator)))
}

// isOutput reports whether dir is a site promptsite built, which a build
// never reads: the dev server ignores it, should one be built into a
// watched folder.
func isOutput(dir string) bool {
	_, err := os.Lstat(filepath.Join(dir, output.Marker))
	return err == nil
}

// isMissing reports whether err says that a path, or a folder on its way,
// does not exist.
func isMissing(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}

// ignoredSuffixes end the names of editors' swap, backup and temporary
// files, and of downloads in progress.
var ignoredSuffixes = []string{"~", ".swp", ".swo", ".swx", ".tmp", ".bak", ".crdownload", "___jb_tmp___", "___jb_old___"}

// ignored reports whether a file or folder of this name cannot change the
// site: a hidden one, such as .git, .DS_Store or an editor's .x.swp, .#x
// or staging folder, but for .well-known, which sites serve; a
// node_modules folder; or an editor's scratch file, such as Vim's 4913,
// Emacs's #x# and x~, or JetBrains' x___jb_tmp___.
func ignored(name string) bool {
	if strings.HasPrefix(name, ".") {
		return name != ".well-known"
	}
	if name == "node_modules" || name == "4913" ||
		len(name) > 1 && strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#") {
		return true
	}
	for _, s := range ignoredSuffixes {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}
