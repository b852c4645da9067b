// Package gitdates tells when the lines of a project's files last changed,
// from the history git keeps of them, for the "last updated" date of each
// prompt.
package gitdates

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// History answers for the files of one git work tree. It runs git once per
// file it is asked about, and keeps the answer. It is safe for concurrent
// use.
type History struct {
	dir string // a folder in the work tree

	mu    sync.Mutex
	files map[string][]time.Time // path → the time each line was committed; zero for lines not committed
	errs  map[string]error
}

// Open returns the history of the work tree that holds dir, or an error
// when dir is not in one or git is not installed.
func Open(dir string) (*History, error) {
	cmd := exec.Command("git", "-C", dir, "rev-parse", "--show-toplevel")
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return nil, fmt.Errorf("last_updated = \"git\": %s is not in a git repository: %s", dir, strings.TrimSpace(string(ee.Stderr)))
		}
		return nil, fmt.Errorf("last_updated = \"git\": %w", err)
	}
	return &History{dir: strings.TrimSpace(string(out)), files: map[string][]time.Time{}, errs: map[string]error{}}, nil
}

// Updated returns when any of the lines from to to (1-based, inclusive) of
// the file at path last changed in a commit; the zero time when none of
// them is committed, as in a file git does not track.
func (h *History) Updated(path string, from, to int) (time.Time, error) {
	lines, err := h.lines(path)
	if err != nil {
		return time.Time{}, err
	}
	var last time.Time
	for i := max(from, 1); i <= to && i <= len(lines); i++ {
		if lines[i-1].After(last) {
			last = lines[i-1]
		}
	}
	return last, nil
}

func (h *History) lines(path string) ([]time.Time, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if l, ok := h.files[abs]; ok {
		return l, h.errs[abs]
	}
	l, err := blame(h.dir, abs)
	h.files[abs], h.errs[abs] = l, err
	return l, err
}

// blame asks git when each line of the file was committed.
func blame(dir, path string) ([]time.Time, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", "-C", dir, "blame", "--line-porcelain", "--", path)
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok && bytes.Contains(ee.Stderr, []byte("no such path")) {
			return nil, nil // not tracked: no dates
		}
		if ee, ok := err.(*exec.ExitError); ok {
			return nil, fmt.Errorf("git blame %s: %s", path, strings.TrimSpace(string(ee.Stderr)))
		}
		return nil, fmt.Errorf("git blame %s: %w", path, err)
	}
	return parseBlame(out)
}

// parseBlame reads the times of `git blame --line-porcelain`: a header for
// each line, the line itself after a tab. Lines not committed yet have the
// zero time.
func parseBlame(out []byte) ([]time.Time, error) {
	var times []time.Time
	var t time.Time
	committed := true
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "\t"):
			if !committed {
				t = time.Time{}
			}
			times = append(times, t)
			t, committed = time.Time{}, true
		case strings.HasPrefix(line, "committer-time "):
			sec, err := strconv.ParseInt(strings.TrimPrefix(line, "committer-time "), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("git blame: %q: %w", line, err)
			}
			t = time.Unix(sec, 0).UTC()
		case strings.HasPrefix(line, "author Not Committed Yet"):
			committed = false
		}
	}
	return times, sc.Err()
}
