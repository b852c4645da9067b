package output

import (
	"os"

	"golang.org/x/sys/unix"
)

// exchange swaps the folders stage and dir in one step, so that no reader
// ever finds dir missing, and returns where the old site now is.
func exchange(stage, dir string) (string, error) {
	err := unix.Renameat2(unix.AT_FDCWD, stage, unix.AT_FDCWD, dir, unix.RENAME_EXCHANGE)
	if err == unix.ENOSYS || err == unix.EINVAL {
		return exchangeByRename(stage, dir)
	}
	if err != nil {
		return "", &os.LinkError{Op: "exchange", Old: stage, New: dir, Err: err}
	}
	return stage, nil
}

// syncDir flushes the file system that holds dir, so that the new site is
// on disk before it replaces the old one.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Syncfs(int(f.Fd()))
}
