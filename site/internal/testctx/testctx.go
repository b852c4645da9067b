// Package testctx has a context for tests of work that stops when its
// context is done: one that is done after it has been asked a number of
// times, to stop the work partway however fast it runs.
package testctx

import (
	"context"
	"sync/atomic"
)

// Countdown is a context whose Err is nil for its first n calls and
// context.Canceled from then on. Its Done channel never closes: work that
// waits on it rather than asking Err is not stopped.
type Countdown struct {
	context.Context
	left atomic.Int64
}

// After returns a Countdown whose first n calls of Err return nil.
func After(n int) *Countdown {
	c := &Countdown{Context: context.Background()}
	c.left.Store(int64(n))
	return c
}

func (c *Countdown) Err() error {
	if c.left.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}
