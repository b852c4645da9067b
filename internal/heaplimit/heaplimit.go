// Package heaplimit holds a small build's memory near what it keeps live.
//
// Left to the garbage collector's default (GOGC=100), a Go program lets
// its heap grow to twice what the last collection found live, and keeps
// the pages it freed for later: a build's peak memory is then about
// twice its largest live heap and more. Under a memory limit, the
// collector runs a little sooner as the heap nears the limit, and the
// runtime gives freed pages back to the system to stay under it. A limit
// close to what is live has the collector run again and again, so Hold
// raises the limit as the live heap passes a share of it, and lifts it
// once it has risen far: a large build runs as it would without, a small
// one is held near what it keeps live. While the limit holds, the heap
// may grow to three times what is live, not two, short of the limit: a
// build's heap grows from nothing, and the collections on its way up,
// which the limit does not call for, cost a tenth of a first build. A
// limit the process was given, such as by GOMEMLIMIT, stands.
package heaplimit

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// share is how much of the limit the live heap may take before Hold raises
// the limit: the heap may then grow by about half of what is live, where
// the default lets it double. At 0.6 rather than 0.65, a rebuild of 10,000
// prompts, which keeps some 105 MB live at its peak, peaked 11 MiB higher
// for 5% less CPU.
const share = 0.65

// most is how many times the limit Hold was given it may rise to; past
// that, Hold lifts the limit.
const most = 4

// percent is the growth of the heap over what is live, in percent, that
// Hold allows while it holds the limit (GOGC), unless GOGC was given.
const percent = 200

// Hold sets the process's memory limit to limit bytes. Each collection
// that finds more than share of the limit live raises it to what is live
// over share; once that would be more than most times limit, Hold puts
// back the limit there was. It returns a function that puts that limit
// back, if Hold has not, and stops following the heap. A process that
// has a limit already, such as one GOMEMLIMIT sets, is left to it.
func Hold(limit int64) (release func()) {
	if debug.SetMemoryLimit(-1) != math.MaxInt64 {
		return func() {}
	}
	prev := debug.SetMemoryLimit(limit)
	gc := -2 // the GOGC to put back, -2 for none
	if os.Getenv("GOGC") == "" {
		gc = debug.SetGCPercent(percent)
	}
	var mu sync.Mutex // orders the changes and the release
	held, current := true, limit
	// unhold puts back the limit and the GOGC there were; mu is held.
	unhold := func() {
		debug.SetMemoryLimit(prev)
		if gc != -2 {
			debug.SetGCPercent(gc)
		}
		held = false
	}
	lift := func() {
		mu.Lock()
		defer mu.Unlock()
		if held {
			unhold()
		}
	}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	// A finalizer runs after each collection that finds its object gone:
	// it looks at the live heap, and sets itself again until the limit is
	// lifted.
	var arm func()
	arm = func() {
		s := new(sentinel)
		runtime.SetFinalizer(s, func(*sentinel) {
			metrics.Read(sample)
			mu.Lock()
			if v := sample[0].Value; held && v.Kind() == metrics.KindUint64 && float64(v.Uint64()) > share*float64(current) {
				if to := int64(float64(v.Uint64()) / share); to <= most*limit {
					current = to
					debug.SetMemoryLimit(to)
				} else {
					unhold()
				}
			}
			again := held
			mu.Unlock()
			if again {
				arm()
			}
		})
	}
	arm()
	return lift
}

// sentinel is the object whose finalizer follows the collections; big
// enough to be an allocation of its own, which the tiny allocator would
// not free as soon.
type sentinel struct{ _ [32]byte }
