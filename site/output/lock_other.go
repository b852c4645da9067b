//go:build !unix

package output

import (
	"errors"
	"os"
)

// errLocked is lockDir's error when another build may hold the lock.
var errLocked = errors.New("cannot tell whether another build uses it")

// lockDir opens dir. There is no lock here that a killed build gives up,
// so, with wait false, lockDir says that another build may hold it, and
// stale staging folders are never removed.
func lockDir(dir string, wait bool) (*os.File, error) {
	if !wait {
		return nil, errLocked
	}
	return os.Open(dir)
}

func onOtherDevice(dir string) bool { return false }

func isBusy(err error) bool { return false }
