package devserver

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// watcher turns changes to the watched files into rebuilds.
type watcher struct {
	fsw      *fsnotify.Watcher
	roots    []string        // folders watched with their subfolders
	files    map[string]bool // files watched through their folder
	debounce time.Duration
	log      func(format string, args ...any)
}

// newWatcher watches s.Watch: each folder with its subfolders, and each file
// through its folder, since editors often save a file by replacing it, which
// would end a watch on the file itself.
func (s *Server) newWatcher() (*watcher, error) {
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	w := &watcher{fsw: fsw, files: map[string]bool{}, debounce: s.Debounce, log: s.log.Printf}
	if w.debounce <= 0 {
		w.debounce = 100 * time.Millisecond
	}
	for _, p := range s.Watch {
		abs, err := filepath.Abs(p)
		if err != nil {
			fsw.Close()
			return nil, fmt.Errorf("watch %s: %w", p, err)
		}
		info, err := os.Stat(abs)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			fsw.Close()
			return nil, fmt.Errorf("watch %s: %w", p, err)
		case info.IsDir():
			w.roots = append(w.roots, abs)
			err = w.addTree(abs)
		default:
			w.files[abs] = true
			err = fsw.Add(filepath.Dir(abs))
		}
		if err != nil {
			fsw.Close()
			return nil, fmt.Errorf("watch %s: %w", p, err)
		}
	}
	return w, nil
}

// addTree watches dir and the folders under it. Links to folders are not
// followed, as the build does not follow them either, and a link that
// loops back would never end.
func (w *watcher) addTree(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p != dir && errors.Is(err, fs.ErrNotExist) {
				return nil // removed while we walked
			}
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if p != dir && ignored(p) {
			return filepath.SkipDir
		}
		return w.fsw.Add(p)
	})
}

// run waits for changes until ctx is done, then closes the watcher. A
// change starts the debounce timer over; when it fires, run asks for a
// rebuild on kick. kick holds one request, so changes made during a build
// add up to one more build, not one each.
func (w *watcher) run(ctx context.Context, kick chan<- struct{}) {
	defer w.fsw.Close()
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			if !w.relevant(ev) {
				continue
			}
			if ev.Has(fsnotify.Create) && w.underRoot(ev.Name) {
				// A new folder may already hold files; the rebuild
				// reads them, and from now on they are watched too.
				if info, err := os.Lstat(ev.Name); err == nil && info.IsDir() {
					if err := w.addTree(ev.Name); err != nil {
						w.log("watch %s: %v", ev.Name, err)
					}
				}
			}
			timer.Reset(w.debounce)
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			// Most likely the kernel's queue overflowed and changes were
			// lost: rebuild to be sure the site is current.
			w.log("watch: %v", err)
			timer.Reset(w.debounce)
		case <-timer.C:
			select {
			case kick <- struct{}{}:
			default: // a rebuild is already waiting
			}
		}
	}
}

// relevant reports whether ev changes something the build reads.
func (w *watcher) relevant(ev fsnotify.Event) bool {
	if ev.Op == fsnotify.Chmod {
		return false
	}
	return w.files[ev.Name] || !ignored(ev.Name) && w.underRoot(ev.Name)
}

func (w *watcher) underRoot(p string) bool {
	for _, r := range w.roots {
		if p == r || strings.HasPrefix(p, r+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// ignored reports whether p is an editor's scratch file, such as Vim's
// .x.swp and 4913 or Emacs's .#x and x~, or a hidden folder such as .git.
func ignored(p string) bool {
	base := filepath.Base(p)
	return strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") || base == "4913"
}
