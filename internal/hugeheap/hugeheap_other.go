//go:build !linux

package hugeheap

// Prepare does nothing on this system and returns false: huge pages are
// asked for on Linux only.
func Prepare(n int64) bool { return false }
