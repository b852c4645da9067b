package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// sample is one build: its wall-clock time and the peak resident memory
// of its biggest process.
type sample struct {
	wall time.Duration
	cpu  time.Duration // user + system
	peak int64         // bytes
}

// run runs a command to its end and measures it. Its output is kept for
// the error message only.
func run(dir, name string, args ...string) (sample, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return sample{}, fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, tail(out.String(), 2000))
	}
	s := sample{wall: wall, cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		// Linux reports ru_maxrss in KiB, for the child and any
		// descendants it waited for.
		s.peak = ru.Maxrss * 1024
	}
	return s, nil
}

// then adds a build step that runs after s: the times add up and the peak
// is the larger one.
func (s sample) then(t sample) sample {
	return sample{wall: s.wall + t.wall, cpu: s.cpu + t.cpu, peak: max(s.peak, t.peak)}
}

// median returns the median of each measure of samples.
func median(samples []sample) sample {
	var ws, cs []time.Duration
	var ps []int64
	for _, s := range samples {
		ws, cs, ps = append(ws, s.wall), append(cs, s.cpu), append(ps, s.peak)
	}
	return sample{wall: mid(ws), cpu: mid(cs), peak: mid(ps)}
}

func mid[T time.Duration | int64](xs []T) T {
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// probeDisk creates files in a new folder dir and says how long each took:
// on a file system where creating files is slow right after many were
// deleted (see the package comment), it tells whether the machine was in
// that state, by the bench's doing or another program's. The files are
// left for the temporary folder's removal at the end.
func probeDisk(dir string) (string, error) {
	const n = 2000
	if err := os.Mkdir(dir, 0o755); err != nil {
		return "", err
	}
	data := make([]byte, 1024)
	start := time.Now()
	for i := range n {
		if err := os.WriteFile(filepath.Join(dir, strconv.Itoa(i)), data, 0o644); err != nil {
			return "", fmt.Errorf("probing the disk: %w", err)
		}
	}
	each := time.Since(start) / n
	return fmt.Sprintf("%s new files of 1 KiB in %.0f µs each", thousands(n), float64(each)/float64(time.Microsecond)), nil
}
