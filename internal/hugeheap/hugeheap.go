// Package hugeheap has the memory a build's heap grows into backed by huge
// pages, on a system that backs memory with them only when asked.
//
// A build of 10,000 prompts touches some 140 MiB of fresh memory, and the
// system gives it to the process one 4 KiB page at a time, a page fault
// each: some 30,000 of them. On a virtual machine a fault is dear (12 µs
// on the 2-core machine promptsite is measured on, where a first build
// then spends a fifth of its CPU on them). A huge page of 2 MiB takes one
// fault where 512 small pages take 512.
//
// Linux backs memory with huge pages transparently, everywhere or, as
// many distributions set it, only where a program asks for them
// (madvise). The Go runtime does not ask for its heap, so Prepare does:
// it has the heap grow by n bytes at once, with a large allocation, asks
// for huge pages there, and frees the allocation. The runtime's allocator
// takes the lowest free addresses first, so the heap grows into that
// memory, which is backed as it is touched.
package hugeheap

// Size returns how much of its heap a build of a library of libraryBytes
// bytes of markdown would have backed by huge pages: about what the heap
// grows to, 48 times the markdown (140 MiB for the 3.2 MB of 10,000
// prompts), at least 32 MiB and at most 1 GiB. The memory is only
// reserved: the pages are backed when the heap grows into them. A
// library whose heap would stay under 16 MiB, some 1,000 prompts, gets
// 0: its few thousand faults cost less than the collection Prepare makes
// (a build of our own 9 KB library ran no faster with it, and 2 MiB larger).
func Size(libraryBytes int64) int64 {
	if libraryBytes > (1<<30)/48 {
		return 1 << 30
	}
	if n := 48 * libraryBytes; n >= 16<<20 {
		return max(n, 32<<20)
	}
	return 0
}
