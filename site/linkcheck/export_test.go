package linkcheck

import (
	"fmt"
	"maps"
	"slices"
)

// SameScan tells whether scanFast reads data as the tokenizer does.
func SameScan(data []byte) error {
	want, got := scan(data), scanFast(data)
	if !maps.Equal(got.ids, want.ids) {
		return fmt.Errorf("ids %v; the tokenizer reads %v", slices.Sorted(maps.Keys(got.ids)), slices.Sorted(maps.Keys(want.ids)))
	}
	if !slices.Equal(got.links, want.links) {
		return fmt.Errorf("links %q; the tokenizer reads %q", got.links, want.links)
	}
	return nil
}
