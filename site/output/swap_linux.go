package output

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// errNoExchange is exchange's error where the system cannot swap two
// folders in one step.
var errNoExchange = errors.New("no atomic exchange")

// exchangeNames swaps the entries a and b in one step.
func exchangeNames(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if err == unix.ENOSYS || err == unix.EINVAL {
		return errNoExchange
	}
	if err != nil {
		return &os.LinkError{Op: "exchange", Old: a, New: b, Err: err}
	}
	return nil
}

// exchange swaps the folders stage and dir in one step, so that no reader
// ever finds dir missing, and returns where the old site now is.
func exchange(stage, dir string) (string, error) {
	err := exchangeNames(stage, dir)
	if err == errNoExchange {
		return exchangeByRename(stage, dir)
	}
	if err != nil {
		return "", err
	}
	return stage, nil
}

// isMountPoint reports whether dir is the root of a mounted file system,
// bind mounts of a folder included, which no rename can move.
func isMountPoint(dir string) bool {
	var stx unix.Statx_t
	err := unix.Statx(unix.AT_FDCWD, dir, unix.AT_SYMLINK_NOFOLLOW, unix.STATX_TYPE, &stx)
	if err == nil && stx.Attributes_mask&unix.STATX_ATTR_MOUNT_ROOT != 0 {
		return stx.Attributes&unix.STATX_ATTR_MOUNT_ROOT != 0
	}
	return onOtherDevice(dir) // a kernel before 5.8
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
