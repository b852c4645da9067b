package linkcheck

import (
	"fmt"
	"slices"
)

// SameScan tells whether scanFast reads data as the tokenizer does.
func SameScan(data []byte) error {
	want, got := scan(data), scanFast(data)
	if !slices.Equal(got.ids, want.ids) {
		return fmt.Errorf("ids %q; the tokenizer reads %q", got.ids, want.ids)
	}
	if got.links != want.links {
		return fmt.Errorf("links %q; the tokenizer reads %q", got.links, want.links)
	}
	return nil
}
