//go:build !linux

package output

import (
	"errors"
	"os"
)

// errNoExchange is exchangeNames's error: this system cannot swap two
// folders in one step.
var errNoExchange = errors.New("no atomic exchange")

func exchangeNames(a, b string) error { return errNoExchange }

func exchange(stage, dir string) (string, error) { return exchangeByRename(stage, dir) }

func isMountPoint(dir string) bool { return onOtherDevice(dir) }

// syncDir flushes the folder's own entry; the files in it were closed
// after writing.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
