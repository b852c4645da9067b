package output

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// A staging folder is known as ours by its name, beginning with the
// output folder's name (".public.staging-"), and by stagingMarker in it;
// a build holds a lock on it for as long as it uses it (see lockDir). A
// folder with the name and the marker whose lock can be taken was left by
// a build that was killed, and the next build removes it.
const (
	stagingMarker = ".promptsite-staging"
	stagingText   = "promptsite writes a site here, then puts it in place of the output folder beside;\nif the build that made this folder stopped, the next build removes it.\n"
)

// newStaging makes a staging folder in where and returns it with the file
// that holds its lock. The lock is taken before the marker is written, so
// that a build that finds the marker and takes the lock knows that the
// folder's build has stopped.
func newStaging(where, prefix string) (string, *os.File, error) {
	stage, err := os.MkdirTemp(where, prefix)
	if err != nil {
		return "", nil, err
	}
	lock, err := lockDir(stage, true)
	if err == nil {
		err = os.Chmod(stage, 0o755)
	}
	if err == nil {
		err = os.WriteFile(filepath.Join(stage, stagingMarker), []byte(stagingText), 0o644)
	}
	if err != nil {
		os.RemoveAll(stage)
		if lock != nil {
			lock.Close()
		}
		return "", nil, err
	}
	return stage, lock, nil
}

// removeStale removes the staging folders in where that builds left when
// they were killed. It leaves alone anything that is not a folder, a
// folder without the marker, and a folder that a build still holds. It is
// best effort: what it cannot remove, a later build tries again.
func removeStale(where, prefix string) {
	entries, err := os.ReadDir(where)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), prefix) {
			continue // a link's entry is not a folder's
		}
		p := filepath.Join(where, e.Name())
		lock, err := lockDir(p, false)
		if err != nil {
			continue
		}
		if isMarked(p) {
			removeAll(p)
		}
		lock.Close()
	}
}

// isMarked reports whether dir holds the staging marker, as a file of its
// own and not a link.
func isMarked(dir string) bool {
	m := filepath.Join(dir, stagingMarker)
	info, err := os.Lstat(m)
	if err != nil || !info.Mode().IsRegular() || info.Size() != int64(len(stagingText)) {
		return false
	}
	b, err := os.ReadFile(m)
	return err == nil && bytes.Equal(b, []byte(stagingText))
}

// removeOld removes the site that a new one has taken the place of, now
// at old beside it. The folder is locked and marked first, so that if the
// build is killed while removing it, the next build finishes the job. Once
// it is marked, removeOld returns when ctx is done, though the removal
// goes on: a build asked to stop ends at once, and what the process did not
// remove before it ended, the next build does.
func removeOld(ctx context.Context, old string) error {
	lock, err := lockDir(old, true)
	if err != nil {
		if _, serr := os.Lstat(old); os.IsNotExist(serr) {
			return nil // another build found it marked and removed it
		}
		return err
	}
	if err := os.WriteFile(filepath.Join(old, stagingMarker), []byte(stagingText), 0o644); err != nil {
		lock.Close()
		return fmt.Errorf("mark %s: %w", old, err)
	}
	removed := make(chan error, 1)
	go func() {
		defer lock.Close()
		removed <- removeAll(old)
	}()
	select {
	case err := <-removed:
		return err
	case <-ctx.Done():
		return nil
	}
}
