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

// SameIDMap tells whether the plain reading of a map of ids, when it reads
// data, reads what encoding/json does; plain reports whether it read it.
func SameIDMap(data []byte) (plain bool, err error) {
	got, ok := readPlainIDMap(data)
	if !ok {
		return false, nil
	}
	want := readAnyIDMap(data)
	if want == nil || got.links != want.links {
		return true, fmt.Errorf("links %q; encoding/json reads %+v", got.links, want)
	}
	return true, nil
}
