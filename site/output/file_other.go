//go:build !linux

package output

import (
	"bytes"
	"io/fs"
	"os"
)

// writeFile creates name, which must not exist yet, with data in it.
func writeFile(name string, data []byte) error {
	_, err := createFile(name, data)
	return err
}

// createFile creates name, which must not exist yet, with data in it. No
// state is known here: the inventory is Linux's alone.
func createFile(name string, data []byte) (fileState, error) {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fileState{}, err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return fileState{}, err
}

// sameFile tells whether name is a regular file, not a link, that only its
// owner may write to and that holds exactly data. buf is unused here, and
// no state is known.
func sameFile(name string, data, buf []byte) (bool, []byte, fileState) {
	info, err := os.Lstat(name)
	if err != nil || !info.Mode().IsRegular() || info.Mode()&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky|0o022) != 0 || info.Size() != int64(len(data)) {
		return false, buf, fileState{}
	}
	b, err := os.ReadFile(name)
	return err == nil && bytes.Equal(b, data), buf, fileState{}
}

// statFile knows no state here.
func statFile(string) (fileState, bool) { return fileState{}, false }

// statter returns statFile here.
func statter(string) (stat func(name string) (fileState, bool), done func()) {
	return statFile, func() {}
}

// mtime knows no time here.
func mtime(string) (int64, bool) { return 0, false }

// localFS knows no file system here: there is no inventory.
func localFS(string) bool { return false }
