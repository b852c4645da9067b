// Package anchorlock keeps the record of every address a library has
// published, so that a link to a prompt keeps working when the prompt is
// renamed or moved: the build compares the library with the record, turns
// each address that went away into an alias of the prompt's new place, and
// refuses to drop one silently.
//
// The record is a text file, anchors.lock, kept beside the content and
// committed with it. Each line is an address and the fingerprint of what
// it showed, or an alias:
//
//	/implementation-prompts/#concurrent-http-requests 1f0c2a9be3d4
//	/implementation-prompts/#retry-with-backoff -> /error-handling-prompts/#retry-with-exponential-backoff
package anchorlock

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/promptsite/promptsite/site/model"
)

// Name is the lock file's name.
const Name = "anchors.lock"

const header = `# anchors.lock: every address of the prompt library that has been published.
# promptsite build writes it; commit it with the content. A line is an
# address and the fingerprint of the prompt it showed, or an alias that
# keeps an old address working: "/old/#anchor -> /new/#anchor". Add an
# alias by hand when the build cannot tell where a prompt went.
`

// Lock is the record read from, and written to, anchors.lock.
type Lock struct {
	Path string
	// Name is how messages refer to the file; Path when empty.
	Name    string
	entries map[string]entry // by address
	exists  bool
	text    string // the file's, as read

	sortOnce sync.Once
	addrs    []string // the addresses, sorted (see sorted)
}

type entry struct {
	hash  string // fingerprint; empty for an alias
	alias string // where the address now leads; empty for a live address
	line  int    // in the file, for messages
}

// Read reads the lock at path. A missing file is an empty lock.
func Read(path string) (*Lock, error) { return ReadAgain(path, nil) }

// ReadAgain is Read that returns last, a lock it read before, when the
// file at path is as it was then: a dev server reads the lock at every
// build, and it seldom changes.
func ReadAgain(path string, last *Lock) (*Lock, error) {
	l := &Lock{Path: path, entries: map[string]entry{}}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return l, nil
	}
	if err != nil {
		return nil, fmt.Errorf("anchors: %w", err)
	}
	if last != nil && last.exists && last.Path == path && last.text == string(data) {
		return last, nil
	}
	l.exists = true
	// The addresses and fingerprints are parts of one string of the file,
	// not a string each: a large library's lock has tens of thousands.
	l.text = string(data)
	text := strings.TrimPrefix(l.text, "\uFEFF") // as some editors save it
	n := 0
	for rest := text; rest != ""; {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		n++
		if len(line) > bufio.MaxScanTokenSize {
			return nil, fmt.Errorf("%s: line %d: %w; a line is an address and a fingerprint, or an alias", path, n, bufio.ErrTooLong)
		}
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		pos := model.Pos{File: path, Line: n}
		var e entry
		var addr string
		if from, to, ok := strings.Cut(line, "->"); ok {
			addr, e.alias = strings.TrimSpace(from), strings.TrimSpace(to)
		} else {
			var ok bool
			if addr, e.hash, ok = twoFields(line); !ok {
				return nil, model.Errorf(pos, `write "ADDRESS FINGERPRINT" or "OLD -> NEW"`, "cannot read %q", line)
			}
		}
		if !validAddr(addr) || (e.alias != "" && !validAddr(e.alias)) {
			return nil, model.Errorf(pos, "addresses look like /category/ or /category/#prompt", "cannot read %q", line)
		}
		if prev, dup := l.entries[addr]; dup {
			return nil, model.Errorf(pos, "keep one of them", "%s is listed twice (also at line %d)", addr, prev.line)
		}
		e.line = n
		l.entries[addr] = e
	}
	return l, nil
}

// twoFields splits a line, trimmed, into its two fields, as parts of it;
// false when it has not two.
func twoFields(line string) (a, b string, ok bool) {
	i := strings.IndexFunc(line, unicode.IsSpace)
	if i < 0 {
		return "", "", false
	}
	a, b = line[:i], strings.TrimLeftFunc(line[i:], unicode.IsSpace)
	return a, b, b != "" && strings.IndexFunc(b, unicode.IsSpace) < 0
}

// validAddr reports whether a is an address of a page, or of a prompt on
// one: "/category/", "/category/#prompt", "/category/prompt/". No page's
// path holds a '.', which a file's name would, as in /404.html/.
func validAddr(a string) bool {
	path, frag, _ := strings.Cut(a, "#")
	return strings.HasPrefix(path, "/") && strings.HasSuffix(path, "/") && !strings.ContainsAny(a, " \t") &&
		!strings.Contains(frag, "#") && !strings.Contains(path, ".") && !strings.Contains(path, "//")
}

// Result is what reconciling a lock with the library gives.
type Result struct {
	Aliases []model.Alias // every alias in force, sorted by From
	Notes   []string      // what changed, for the maintainer to read
	Changed bool          // whether the lock needs writing
	next    map[string]entry
}

// Options change how Reconcile treats addresses that went away.
type Options struct {
	// AcceptRemoved drops addresses that lead nowhere now, instead of
	// failing.
	AcceptRemoved bool
	// Prints, when set, keeps the prompts' fingerprints from one
	// Reconcile for the next.
	Prints *Prints
}

// Prints keeps the fingerprints of the prompts one Reconcile read, by
// their markdown, for the next to take rather than make again: a dev
// server's rebuild after an edit has most of its prompts as they were.
// It keeps those of the last Reconcile only. A Prints may be used by one
// Reconcile at a time.
type Prints struct {
	m map[string]string // markdown → Fingerprint
}

// NewPrints returns an empty Prints.
func NewPrints() *Prints { return &Prints{} }

// Fingerprint identifies a prompt by what it says, whatever its heading:
// a hash of the words of its markdown below the heading, as split by
// strings.Fields, one space between each two.
func Fingerprint(p *model.Prompt) string {
	_, body, _ := strings.Cut(p.Markdown, "\n")
	h := sha256.New()
	var buf [256]byte
	out := buf[:0] // words are hashed a buffer at a time
	first := true
	for i := 0; i < len(body); {
		r, n := rune(body[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(body[i:])
		}
		if unicode.IsSpace(r) {
			i += n
			continue
		}
		start := i
		for i < len(body) {
			r, n := rune(body[i]), 1
			if r >= utf8.RuneSelf {
				r, n = utf8.DecodeRuneInString(body[i:])
			}
			if unicode.IsSpace(r) {
				break
			}
			i += n
		}
		if !first {
			out = append(out, ' ')
		}
		first = false
		if word := body[start:i]; len(out)+len(word) <= cap(out) {
			out = append(out, word...)
		} else {
			h.Write(out)
			h.Write([]byte(word))
			out = out[:0]
		}
		if len(out) > cap(out)/2 {
			h.Write(out)
			out = out[:0]
		}
	}
	h.Write(out)
	return hex.EncodeToString(h.Sum(nil)[:6])
}

// Addresses returns every address the site publishes, with its
// fingerprint: each category's page, and its later pages when it is split
// into pages; and each prompt's lasting address (see
// model.Prompt.Address), which stays the same when its prompts move from
// one page to another.
func Addresses(s *model.Site) map[string]string { return addresses(s, nil) }

// addresses is Addresses that takes from kept, when not nil, the
// fingerprints of the prompts whose markdown it has, and keeps there
// those of s.
func addresses(s *model.Site, kept *Prints) map[string]string {
	var last map[string]string
	if kept != nil {
		last = kept.m
	}
	// The fingerprints, the costly part, are made on every core.
	prints := make([][]string, len(s.Categories))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(s.Categories)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(s.Categories); i = int(next.Add(1) - 1) {
				c := s.Categories[i]
				prints[i] = make([]string, len(c.Prompts))
				for j, p := range c.Prompts {
					if fp, ok := last[p.Markdown]; ok {
						prints[i][j] = fp
					} else {
						prints[i][j] = Fingerprint(p)
					}
				}
			}
		})
	}
	wg.Wait()
	n := 0
	for i, c := range s.Categories {
		n += 1 + max(c.Pages-1, 0) + len(prints[i])
	}
	if kept != nil {
		kept.m = make(map[string]string, n)
		for i, c := range s.Categories {
			for j, p := range c.Prompts {
				kept.m[p.Markdown] = prints[i][j]
			}
		}
	}
	addrs := make(map[string]string, n)
	for i, c := range s.Categories {
		addrs[c.URL()] = page
		for n := 2; n <= c.Pages; n++ {
			addrs[c.PageURL(n)] = page
		}
		for j, p := range c.Prompts {
			addrs[p.Address(c)] = prints[i][j]
		}
	}
	return addrs
}

// laterPage matches the address of a later page of a category split into
// pages, /category/page/n/, and gives the category's.
var laterPage = regexp.MustCompile(`^(/[^/#]+/)page/[1-9][0-9]*/$`)

// Reconcile compares the addresses that l records with those of s. An
// address that went away becomes an alias of the prompt with the same
// text at a new address, or of a prompt with the same anchor on another
// page; a category page that went away becomes an alias of the page most
// of its prompts went to. An address that leads nowhere is an error, unless
// opts.AcceptRemoved.
func (l *Lock) Reconcile(s *model.Site, opts Options) (*Result, error) {
	now := addresses(s, opts.Prints)
	res := &Result{next: make(map[string]entry, len(now))}
	sorted := l.sorted()
	for a, h := range now {
		res.next[a] = entry{hash: h}
	}
	// Addresses that are new in this build, by fingerprint and by anchor,
	// are where moved prompts may have gone.
	byHash := map[string][]string{}
	byAnchor := map[string][]string{}
	for a, h := range now {
		if _, old := l.entries[a]; old || h == page {
			continue
		}
		byHash[h] = append(byHash[h], a)
		byAnchor[anchorOf(a)] = append(byAnchor[anchorOf(a)], a)
	}

	moved := map[string]string{} // old address → new, decided in this build
	// The aliases the content keeps itself, in front matter, come first.
	for _, al := range s.Aliases {
		if _, live := now[al.From]; !live {
			moved[al.From] = al.To
		}
	}
	var gone []string
	for _, a := range sorted {
		e := l.entries[a]
		if _, live := now[a]; live || e.alias != "" || e.hash == page {
			continue
		}
		if _, kept := moved[a]; kept {
			continue
		}
		switch {
		case len(byHash[e.hash]) == 1:
			moved[a] = byHash[e.hash][0]
		case len(byAnchor[anchorOf(a)]) == 1:
			moved[a] = byAnchor[anchorOf(a)][0]
		default:
			gone = append(gone, a)
			continue
		}
		res.Notes = append(res.Notes, fmt.Sprintf("%s moved to %s: the old address stays as an alias", a, moved[a]))
	}
	// A category page that went away leads where most of its prompts went.
	for _, a := range sorted {
		e := l.entries[a]
		if _, live := now[a]; live || e.alias != "" || e.hash != page {
			continue
		}
		if _, kept := moved[a]; kept {
			continue
		}
		// A later page of a category that has fewer pages now leads to
		// the category's first page, whose map of ids finds each of its
		// prompts, wherever it is now.
		if m := laterPage.FindStringSubmatch(a); m != nil {
			if to := resolve(m[1], now, moved, l.entries); to != "" {
				moved[a] = to
				res.Notes = append(res.Notes, fmt.Sprintf("%s is gone, as its category has fewer pages: the old address leads to %s", a, to))
				continue
			}
		}
		if to := mostCommonPage(a, moved); to != "" {
			moved[a] = to
			res.Notes = append(res.Notes, fmt.Sprintf("%s moved to %s: the old address stays as an alias", a, to))
		} else {
			gone = append(gone, a)
		}
	}
	// Aliases from earlier builds stay, following their target if it moved.
	for _, a := range sorted {
		e := l.entries[a]
		if e.alias == "" {
			continue
		}
		if _, live := now[a]; live {
			res.Notes = append(res.Notes, fmt.Sprintf("%s is in use again: its alias is dropped", a))
			continue
		}
		if _, kept := moved[a]; kept {
			continue
		}
		to := resolve(e.alias, now, moved, l.entries)
		if to == "" {
			gone = append(gone, a)
			continue
		}
		moved[a] = to
	}

	if len(gone) > 0 && !opts.AcceptRemoved {
		return nil, l.goneError(gone)
	}
	for _, a := range gone {
		res.Notes = append(res.Notes, fmt.Sprintf("%s is dropped: it leads nowhere now", a))
	}
	for from, to := range moved {
		res.next[from] = entry{alias: to}
		res.Aliases = append(res.Aliases, model.Alias{From: from, To: to})
	}
	slices.SortFunc(res.Aliases, func(x, y model.Alias) int { return strings.Compare(x.From, y.From) })
	// The later pages of a split category that the lock lacks are
	// recorded whenever it is written, but do not by themselves call for
	// writing it: a lock written before its category was split is not out
	// of date for them, so that a new version of promptsite asks for no
	// change to it.
	recorded := maps.Clone(res.next)
	for a := range recorded {
		if _, had := l.entries[a]; !had && laterPage.MatchString(a) {
			delete(recorded, a)
		}
	}
	res.Changed = !l.exists || !sameEntries(l.entries, recorded)
	return res, nil
}

// resolve follows an alias to a live address, through addresses that moved.
func resolve(to string, now map[string]string, moved map[string]string, old map[string]entry) string {
	for range 64 { // a chain longer than this is a loop
		if _, live := now[to]; live {
			return to
		}
		if next, ok := moved[to]; ok {
			to = next
			continue
		}
		if e, ok := old[to]; ok && e.alias != "" {
			to = e.alias
			continue
		}
		return ""
	}
	return ""
}

// page is the fingerprint of an address that is a category's page.
const page = "page"

// anchorOf returns the anchor of a prompt's address: its fragment, or the
// last segment of a prompt's own page, "/category/anchor/".
func anchorOf(addr string) string {
	if _, frag, ok := strings.Cut(addr, "#"); ok {
		return frag
	}
	return path.Base(addr)
}

// pageOf returns the page a prompt's address is on: its category's.
func pageOf(addr string) string {
	if p, _, ok := strings.Cut(addr, "#"); ok {
		return p
	}
	return path.Dir(strings.TrimSuffix(addr, "/")) + "/"
}

func mostCommonPage(pg string, moved map[string]string) string {
	count := map[string]int{}
	best := ""
	for from, to := range moved {
		if strings.HasPrefix(from, pg+"#") || strings.HasPrefix(from, pg) && from != pg && pageOf(from) == pg {
			p := pageOf(to)
			count[p]++
			if count[p] > count[best] || (count[p] == count[best] && p < best) {
				best = p
			}
		}
	}
	return best
}

func (l *Lock) goneError(gone []string) error {
	name := l.Name
	if name == "" {
		name = l.Path
	}
	var b strings.Builder
	for i, a := range gone {
		if i > 0 {
			b.WriteString("\n")
		}
		_, frag, _ := strings.Cut(a, "#")
		if to := l.entries[a].alias; to != "" {
			why := "which is not published"
			if l.loops(a) {
				why = "and the aliases from there lead back to it"
			}
			fmt.Fprintf(&b, "%s:%d: the alias %s leads to %s, %s; make the line lead to an address of the site, "+
				"or remove it (or build with -accept-removed) to drop the old address",
				name, l.entries[a].line, a, to, why)
			continue
		}
		if frag == "" && l.entries[a].hash != page {
			fmt.Fprintf(&b, "%s:%d: %s was published and is gone, and no prompt with the same text or name took its place; "+
				"if you renamed the prompt's file or folder, add its old address to the prompt's front matter, as aliases: [%s]; "+
				"or add a line \"%s -> /new-page/new-prompt/\" to %s; or build with -accept-removed to drop it",
				name, l.entries[a].line, a, a, a, filepath.Base(l.Path))
			continue
		}
		if frag == "" {
			fmt.Fprintf(&b, "%s:%d: the page %s was published and is gone, and none of its prompts moved elsewhere; "+
				"add a line \"%s -> /new-page/\" to %s, or build with -accept-removed to drop it",
				name, l.entries[a].line, a, a, filepath.Base(l.Path))
			continue
		}
		fmt.Fprintf(&b, "%s:%d: %s was published and is gone, and no prompt with the same text or anchor took its place; "+
			"if you renamed the prompt, keep its address with {#%s} after its heading; "+
			"or add a line \"%s -> /new-page/#new-anchor\" to %s; or build with -accept-removed to drop it",
			name, l.entries[a].line, a, frag, a, filepath.Base(l.Path))
	}
	return errors.New(b.String())
}

// loops reports whether the aliases that a leads through come back to a.
func (l *Lock) loops(a string) bool {
	to := l.entries[a].alias
	for range 64 {
		if to == a {
			return true
		}
		e, ok := l.entries[to]
		if !ok || e.alias == "" {
			return false
		}
		to = e.alias
	}
	return true
}

func (l *Lock) sorted() []string {
	l.sortOnce.Do(func() {
		l.addrs = make([]string, 0, len(l.entries))
		for k := range l.entries {
			l.addrs = append(l.addrs, k)
		}
		slices.Sort(l.addrs)
	})
	return l.addrs
}

func sameEntries(a, b map[string]entry) bool {
	if len(a) != len(b) {
		return false
	}
	for k, x := range a {
		y, ok := b[k]
		if !ok || x.hash != y.hash || x.alias != y.alias {
			return false
		}
	}
	return true
}

// Bytes returns the lock file that records the result.
func (r *Result) Bytes() []byte {
	keys := make([]string, 0, len(r.next))
	for k := range r.next {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b bytes.Buffer
	b.WriteString(header)
	for _, k := range keys {
		e := r.next[k]
		if e.alias != "" {
			fmt.Fprintf(&b, "%s -> %s\n", k, e.alias)
		} else {
			fmt.Fprintf(&b, "%s %s\n", k, e.hash)
		}
	}
	return b.Bytes()
}

// Write writes the result to the lock's file, replacing it in one step.
func (r *Result) Write(path string) error {
	p, err := r.Prepare(path)
	if err != nil {
		return err
	}
	return p.Commit()
}

// Pending is a lock file written beside its place, and flushed to disk,
// that Commit puts in its place: a build writes it before it publishes the
// site, so that a lock that cannot be written stops the build with the
// previous site still in place.
type Pending struct {
	tmp, path string
}

// Prepare writes the result beside path, to be put there by Commit.
func (r *Result) Prepare(path string) (*Pending, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return nil, fmt.Errorf("anchors: %w", err)
	}
	p := &Pending{tmp: tmp.Name(), path: path}
	_, err = tmp.Write(r.Bytes())
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(p.tmp, 0o644)
	}
	if err != nil {
		p.Discard()
		return nil, fmt.Errorf("anchors: %w", err)
	}
	return p, nil
}

// Commit puts the lock in its place.
func (p *Pending) Commit() error {
	if err := os.Rename(p.tmp, p.path); err != nil {
		p.Discard()
		return fmt.Errorf("anchors: %w", err)
	}
	return nil
}

// Discard removes the written file, unless Commit put it in place.
func (p *Pending) Discard() { os.Remove(p.tmp) }

// Diff lists the lines of the lock that the result adds, each after "+ ",
// and those it drops, each after "- ", compared with l.
func (r *Result) Diff(l *Lock) []string {
	var out []string
	line := func(a string, e entry) string {
		if e.alias != "" {
			return a + " -> " + e.alias
		}
		return a + " " + e.hash
	}
	keys := make([]string, 0, len(r.next)+len(l.entries))
	for k := range r.next {
		keys = append(keys, k)
	}
	for k := range l.entries {
		if _, ok := r.next[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		old, had := l.entries[k]
		now, has := r.next[k]
		switch {
		case had && has && old.hash == now.hash && old.alias == now.alias:
		case had && has:
			out = append(out, "- "+line(k, old), "+ "+line(k, now))
		case has:
			out = append(out, "+ "+line(k, now))
		default:
			out = append(out, "- "+line(k, old))
		}
	}
	return out
}
