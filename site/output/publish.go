package output

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
func Publish(ctx context.Context, t *Tree, dir string) (err error) {
	dir, err = filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if err := checkReplaceable(dir); err != nil {
		return err
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	stage, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".staging-")
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(stage)
		}
	}()
	if err := os.Chmod(stage, 0o755); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if err := t.writeTo(ctx, stage); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(stage, Marker), []byte(markerText), 0o644); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if err := syncDir(stage); err != nil {
		return fmt.Errorf("publish: flush %s: %w", stage, err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	return swap(stage, dir)
}

// WriteTo writes the tree's files below dir, which must exist.
func (t *Tree) writeTo(ctx context.Context, dir string) error {
	for _, d := range t.Dirs() {
		if err := os.Mkdir(filepath.Join(dir, filepath.FromSlash(d)), 0o755); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
	}
	for i, name := range t.Names() {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("publish: %w", err)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), t.files[name], 0o644); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
	}
	return nil
}

// checkReplaceable refuses to replace a folder that promptsite did not
// write: the file system's root, a home folder, or any folder with files
// in it but no marker.
func checkReplaceable(dir string) error {
	if dir == filepath.Dir(dir) {
		return fmt.Errorf("publish: refusing to write the site to %s, the file system's root; choose an output folder of its own, such as ./public", dir)
	}
	if home, err := os.UserHomeDir(); err == nil && filepath.Clean(home) == dir {
		return fmt.Errorf("publish: refusing to replace the home folder %s; choose an output folder of its own, such as ./public", dir)
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, Marker)); err != nil {
		return fmt.Errorf("publish: refusing to replace %s: it holds files that promptsite did not write (it has no %s); choose another output folder, or empty this one", dir, Marker)
	}
	return nil
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
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("publish: the new site is in place, but the old one could not be removed from %s: %w", old, err)
	}
	return nil
}
