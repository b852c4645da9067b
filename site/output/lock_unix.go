//go:build unix

package output

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
)

// errLocked is lockDir's error when another build holds the lock.
var errLocked = errors.New("locked by another build")

// lockDir opens dir, which must be a folder and not a link to one, and
// takes the lock that a build holds on its staging folder for as long as
// it runs; the lock ends when the file returned is closed, or when the
// build's process ends, however it ends. With wait false, lockDir returns
// errLocked at once if another build holds the lock.
func lockDir(dir string, wait bool) (*os.File, error) {
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	for err == unix.EINTR {
		fd, err = unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	}
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: dir, Err: err}
	}
	how := unix.LOCK_EX
	if !wait {
		how |= unix.LOCK_NB
	}
	err = unix.Flock(fd, how)
	for err == unix.EINTR {
		err = unix.Flock(fd, how)
	}
	if err != nil {
		unix.Close(fd)
		if err == unix.EWOULDBLOCK {
			return nil, errLocked
		}
		return nil, &os.PathError{Op: "lock", Path: dir, Err: err}
	}
	return os.NewFile(uintptr(fd), dir), nil
}

// onOtherDevice reports whether dir is on another file system than the
// folder it is in, which makes it a mount point.
func onOtherDevice(dir string) bool {
	var d, p unix.Stat_t
	if unix.Lstat(dir, &d) != nil || unix.Lstat(filepath.Dir(dir), &p) != nil {
		return false
	}
	return d.Dev != p.Dev
}

// isBusy reports whether err says that a mount point was to be renamed.
func isBusy(err error) bool { return errors.Is(err, syscall.EBUSY) }
