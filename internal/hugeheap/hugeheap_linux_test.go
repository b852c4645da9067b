package hugeheap

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestPrepare has the heap grow into memory asked for with Prepare, and
// reads in /proc/self/smaps that the memory the heap then gives holds the
// request (VmFlags "hg"), and that memory allocated before does not.
func TestPrepare(t *testing.T) {
	if _, ok := onRequest(); !ok {
		enabled, _ := os.ReadFile(enabledFile)
		t.Skipf("this system does not give huge pages on request (%s: %q): nothing to ask", enabledFile, strings.TrimSpace(string(enabled)))
	}
	before := make([]byte, 8<<20)
	if advised(t, before) {
		// A Prepare earlier in this process, such as the last run's
		// under -count.
		t.Skip("the heap asks for huge pages already, before Prepare: the test cannot tell what Prepare does")
	}
	if !Prepare(64 << 20) {
		t.Fatalf("Prepare(64 MiB) = false on a system that gives huge pages on request")
	}
	after := make([]byte, 8<<20)
	if !advised(t, after) {
		t.Errorf("memory the heap grew into after Prepare does not ask for huge pages")
	}
	runtime.KeepAlive(before)
	runtime.KeepAlive(after)
}

// TestPrepareTooSmall: less than two huge pages is not worth asking for.
func TestPrepareTooSmall(t *testing.T) {
	huge, ok := onRequest()
	if !ok {
		t.Skip("this system does not give huge pages on request")
	}
	if Prepare(huge) {
		t.Errorf("Prepare(%d), one huge page, = true; want false", huge)
	}
}

// advised tells whether the mapping that holds b asks for huge pages.
func advised(t *testing.T, b []byte) bool {
	t.Helper()
	addr := uint64(uintptr(unsafe.Pointer(unsafe.SliceData(b))))
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	in := false
	for sc.Scan() {
		line := sc.Text()
		if lo, hi, ok := mappingRange(line); ok {
			in = lo <= addr && addr < hi
			continue
		}
		if in && strings.HasPrefix(line, "VmFlags:") {
			return strings.Contains(line+" ", " hg ")
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Fatalf("no mapping in /proc/self/smaps holds %#x", addr)
	return false
}

// mappingRange reads a mapping's first line, "start-end perms ...".
func mappingRange(line string) (lo, hi uint64, ok bool) {
	field, _, _ := strings.Cut(line, " ")
	a, b, found := strings.Cut(field, "-")
	if !found {
		return 0, 0, false
	}
	lo, err1 := strconv.ParseUint(a, 16, 64)
	hi, err2 := strconv.ParseUint(b, 16, 64)
	return lo, hi, err1 == nil && err2 == nil
}
