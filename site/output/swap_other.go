//go:build !linux

package output

import "os"

func exchange(stage, dir string) (string, error) { return exchangeByRename(stage, dir) }

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
