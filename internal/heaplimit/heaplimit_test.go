package heaplimit

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestHoldLiftsTheLimit holds the limit at 128 MB while little is live,
// then keeps 100 MB live, more than share of it: the limit is lifted, so
// that the collector does not run again and again; released, the limit is
// the one before.
func TestHoldLiftsTheLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	const limit = 128 << 20
	release := Hold(limit)
	runtime.GC()
	time.Sleep(20 * time.Millisecond)
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Errorf("limit %d with little live; want %d", got, limit)
	}

	live := make([][]byte, 100)
	for i := range live {
		live[i] = make([]byte, 1<<20)
	}
	deadline := time.Now().Add(5 * time.Second)
	for debug.SetMemoryLimit(-1) != math.MaxInt64 {
		if time.Now().After(deadline) {
			t.Fatalf("with 100 MB live, the limit is %d after 5s; want it lifted", debug.SetMemoryLimit(-1))
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	runtime.KeepAlive(live)

	release()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit %d once released; want %d, the one before", got, before)
	}
}

// TestHoldLeavesALimitGiven checks that a process that has a memory limit
// already, such as one GOMEMLIMIT sets, keeps it, lower or higher.
func TestHoldLeavesALimitGiven(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	for _, given := range []int64{50 << 20, 4 << 30} {
		debug.SetMemoryLimit(given)
		release := Hold(100 << 20)
		if got := debug.SetMemoryLimit(-1); got != given {
			t.Errorf("with a limit of %d given, Hold set %d", given, got)
		}
		release()
		if got := debug.SetMemoryLimit(-1); got != given {
			t.Errorf("with a limit of %d given, %d once released", given, got)
		}
	}
}
