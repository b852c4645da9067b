package hugeheap

import "testing"

// TestSize: nothing for a small library, 48 times the markdown from 32 MiB
// to 1 GiB for a larger one.
func TestSize(t *testing.T) {
	for _, c := range []struct{ lib, want int64 }{
		{0, 0},
		{9465, 0},
		{(16 << 20) / 48, 0},
		{(16<<20)/48 + 1, 32 << 20},
		{3_212_181, 48 * 3_212_181},
		{32 << 20, 1 << 30},
		{1 << 62, 1 << 30},
	} {
		if got := Size(c.lib); got != c.want {
			t.Errorf("Size(%d) = %d; want %d", c.lib, got, c.want)
		}
	}
}
