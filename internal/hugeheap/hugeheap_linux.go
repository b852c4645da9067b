package hugeheap

import (
	"bytes"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The system's settings for transparent huge pages.
const (
	enabledFile  = "/sys/kernel/mm/transparent_hugepage/enabled"
	pageSizeFile = "/sys/kernel/mm/transparent_hugepage/hpage_pmd_size"
)

// Prepare asks for huge pages in the next n bytes the heap grows into, when
// the system gives them only where asked; it tells whether it did. Call it
// first thing, before the heap grows. Nothing is touched: memory the heap
// does not grow into costs nothing.
func Prepare(n int64) bool {
	if n <= 0 || n != int64(int(n)) {
		return false
	}
	huge, ok := onRequest()
	if !ok || n < 2*huge {
		return false
	}
	b := make([]byte, n)
	// A huge page is aligned to its size. The request covers the huge
	// pages the allocation is in, from the one it starts in: the heap's
	// memory before it, in the same huge page, is asked for the same
	// way, which changes nothing of what it holds. Where that memory is
	// not the heap's, the request is made for the whole huge pages
	// within the allocation.
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	end := alignDown(start+uintptr(n), uintptr(huge))
	err := madvise(alignDown(start, uintptr(huge)), end)
	if err != nil {
		err = madvise(alignUp(start, uintptr(huge)), end)
	}
	runtime.KeepAlive(b)
	b = nil
	// The allocation goes, and its memory goes back to the system, which
	// keeps the request: the heap finds it free, and a page is backed,
	// huge, as it is touched again. Given back, it does not count towards
	// a memory limit (see heaplimit) while nothing uses it.
	debug.FreeOSMemory()
	return err == nil
}

// onRequest tells whether the system backs memory with huge pages only
// where it is asked to, and returns their size. With "always", it needs
// no asking; with "never", asking does nothing.
func onRequest() (size int64, ok bool) {
	enabled, err := os.ReadFile(enabledFile)
	if err != nil || !bytes.Contains(enabled, []byte("[madvise]")) {
		return 0, false
	}
	text, err := os.ReadFile(pageSizeFile)
	if err != nil {
		return 0, false
	}
	size, err = strconv.ParseInt(string(bytes.TrimSpace(text)), 10, 64)
	if err != nil || size <= 0 || size&(size-1) != 0 {
		return 0, false
	}
	return size, true
}

// madvise asks for huge pages in memory from from to to, which the heap
// holds.
func madvise(from, to uintptr) error {
	_, _, errno := unix.Syscall(unix.SYS_MADVISE, from, to-from, unix.MADV_HUGEPAGE)
	if errno != 0 {
		return errno
	}
	return nil
}

func alignUp(p, to uintptr) uintptr   { return (p + to - 1) &^ (to - 1) }
func alignDown(p, to uintptr) uintptr { return p &^ (to - 1) }
