package output

import (
	"fmt"
	"os"
)

// exchangeByRename swaps stage and dir with two renames, for systems
// without an atomic exchange: dir is missing only between the two.
func exchangeByRename(stage, dir string) (string, error) {
	old := stage + ".old"
	if err := os.Rename(dir, old); err != nil {
		return "", err
	}
	if err := os.Rename(stage, dir); err != nil {
		if rerr := os.Rename(old, dir); rerr != nil {
			return "", fmt.Errorf("%w; and the old site could not be put back from %s: %v", err, old, rerr)
		}
		return "", err
	}
	return old, nil
}
