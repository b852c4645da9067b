package output

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// move is one step of moveInto, undone in reverse order if a later one
// fails.
type move struct {
	exchange bool // exchangeNames(from, to); else os.Rename(from, to)
	from, to string
}

func (m move) do() error {
	if m.exchange {
		return exchangeNames(m.from, m.to)
	}
	return os.Rename(m.from, m.to)
}

func (m move) undo() error {
	if m.exchange {
		return exchangeNames(m.from, m.to)
	}
	return os.Rename(m.to, m.from)
}

// moveInto publishes the staged site into s.dir, a mount point, which no
// rename can move: the staging folder is inside it, and its entries take
// the place of the old site's one by one, each in one step where the
// system can swap two entries, and in two renames elsewhere. Only the
// top-level entries move, a few renames for the whole site; if one fails,
// those done are undone and the old site is left as it was. lost+found
// and staging folders of ours stay.
//
// Unlike a swap of the whole folder, this leaves a mixed site if the build
// is killed among those renames, until the next build replaces it.
func (s *Staging) moveInto() (err error) {
	trash, lock, err := newStaging(s.dir, s.prefix)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	defer lock.Close()
	keep := false // whether trash holds entries that could not be put back
	defer func() {
		if !keep {
			removeAll(trash)
		}
	}()

	staged, err := os.ReadDir(s.stage)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	present, err := os.ReadDir(s.dir)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	had := map[string]bool{}
	for _, e := range present {
		if n := e.Name(); n != "lost+found" && !strings.HasPrefix(n, s.prefix) {
			had[n] = true
		}
	}
	// New entries first, then the replaced ones with index.html last,
	// then the old site's entries the new one has no more.
	var names []string
	for _, e := range staged {
		if e.Name() != stagingMarker {
			names = append(names, e.Name())
		}
	}
	rank := func(n string) int {
		switch {
		case !had[n]:
			return 0
		case n == "index.html":
			return 2
		}
		return 1
	}
	slices.SortStableFunc(names, func(a, b string) int { return rank(a) - rank(b) })

	var done []move
	defer func() {
		if err == nil {
			return
		}
		for i := len(done) - 1; i >= 0; i-- {
			if uerr := done[i].undo(); uerr != nil {
				// Nothing is removed now: neither folder is marked as a
				// staging folder any more, so no build removes them.
				keep, s.kept = true, true
				os.Remove(filepath.Join(trash, stagingMarker))
				os.Remove(filepath.Join(s.stage, stagingMarker))
				err = fmt.Errorf("%w; and the old site could not be put back whole (%v): what is missing from %s is in %s and %s", err, uerr, s.dir, s.stage, trash)
				return
			}
		}
	}()
	step := func(m move) error {
		err := m.do()
		if err == nil {
			done = append(done, m)
		}
		return err
	}
	for _, n := range names {
		from, to := filepath.Join(s.stage, n), filepath.Join(s.dir, n)
		if !had[n] {
			err = step(move{from: from, to: to})
		} else if err = step(move{exchange: true, from: from, to: to}); err == errNoExchange {
			if err = step(move{from: to, to: filepath.Join(trash, n)}); err == nil {
				err = step(move{from: from, to: to})
			}
		}
		if err != nil {
			return fmt.Errorf("publish: replace %s: %w", to, err)
		}
		delete(had, n)
	}
	for n := range had {
		from := filepath.Join(s.dir, n)
		if err = step(move{from: from, to: filepath.Join(trash, n)}); err != nil {
			return fmt.Errorf("publish: remove %s: %w", from, err)
		}
	}
	s.committed = true
	// The staging folder holds the replaced entries now.
	if err := removeAll(s.stage); err != nil {
		return fmt.Errorf("publish: the new site is in place, but the old one could not be removed from %s: %w", s.stage, err)
	}
	return nil
}
