package heaplimit

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestHoldLiftsTheLimit holds the limit at 32 MB while little is live;
// keeps 40 MB live, more than share of it: the limit rises with what is
// live, so that the collector does not run again and again; then keeps
// 200 MB live, more than most times the limit: the limit is lifted.
// Released, the limit is the one before.
func TestHoldLiftsTheLimit(t *testing.T) {
	before, gcBefore := debug.SetMemoryLimit(-1), gcPercent()
	const limit = 32 << 20
	release := Hold(limit)
	runtime.GC()
	time.Sleep(20 * time.Millisecond)
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Errorf("limit %d with little live; want %d", got, limit)
	}
	given := os.Getenv("GOGC") != ""
	if got := gcPercent(); !given && got != percent {
		t.Errorf("GOGC %d while the limit holds; want %d", got, percent)
	}

	var live [][]byte
	keep := func(mb int, done func(limit int64) bool, want string) {
		t.Helper()
		for range mb {
			live = append(live, make([]byte, 1<<20))
		}
		deadline := time.Now().Add(5 * time.Second)
		for !done(debug.SetMemoryLimit(-1)) {
			if time.Now().After(deadline) {
				t.Fatalf("with %d MB live, the limit is %d after 5s; want it %s", len(live), debug.SetMemoryLimit(-1), want)
			}
			runtime.GC()
			time.Sleep(10 * time.Millisecond)
		}
	}
	keep(40, func(l int64) bool { return l > 40<<20 && l < 2*40<<20 }, "raised to less than twice what is live")
	keep(160, func(l int64) bool { return l == math.MaxInt64 }, "lifted")
	if got := gcPercent(); got != gcBefore {
		t.Errorf("GOGC %d once the limit is lifted; want %d, the one before", got, gcBefore)
	}
	runtime.KeepAlive(live)
	release()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit %d once released; want %d, the one before", got, before)
	}
	if got := gcPercent(); got != gcBefore {
		t.Errorf("GOGC %d once released; want %d, the one before", got, gcBefore)
	}
}

// TestReleasePutsBackGOGC checks that a release before the limit is lifted
// puts back the GOGC there was.
func TestReleasePutsBackGOGC(t *testing.T) {
	if os.Getenv("GOGC") != "" {
		t.Skip("GOGC is given: Hold leaves it")
	}
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	defer debug.SetGCPercent(debug.SetGCPercent(150))
	release := Hold(1 << 30)
	if got := gcPercent(); got != percent {
		t.Errorf("GOGC %d while the limit holds; want %d", got, percent)
	}
	release()
	if got := gcPercent(); got != 150 {
		t.Errorf("GOGC %d once released; want 150, the one before", got)
	}
}

// gcPercent returns the GOGC in force.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
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
