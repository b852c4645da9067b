// Package buildcache keeps, beside a site's output folder, what a build
// of the command line leaves for the next one, which runs in another
// process: the record of the pages it rendered, each page's file, the key
// of everything it was rendered from (see render.Cache) and the sum of its
// bytes; the search's analysis of each document (see search.Cache); what
// the link check read of each page and found on it (see linkcheck.Cache);
// and the inventory of the output folders (see output.Staging.Inventory).
// The next build takes from the site in place every page whose key has not
// changed and whose file still holds the bytes rendered, rather than
// render it again, the analyses of the documents that did not change, and
// the checks of the pages that did not.
//
// It is a cache, never a source of truth: a page is taken only when the
// file's bytes have the sum recorded under the key, and an analysis only
// under the key of the document's text, so that a record that is stale or
// about another site makes the next build slower, never different. A
// record cut short or changed is not read, nor one written by another
// executable, since another version of promptsite may render or analyse
// the same values otherwise.
package buildcache

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/promptsite/promptsite/site/render"
)

// magic begins every record, with the version of its format.
const magic = "promptsite build cache 3\n"

// recordName is the record's file in the folder of Dir.
const recordName = "record"

// gitignore keeps version control from listing the folder's files.
const gitignore = "# promptsite keeps here what the next build of the site beside can reuse.\n*\n"

// Dir returns the folder, beside the output folder out, that holds the
// record of the site in out: .NAME.cache, as the spare is .NAME.spare.
func Dir(out string) string {
	return filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".cache")
}

// dirs returns the folders that may hold the record of out: Dir, and for
// an output folder beside which nothing can be written, such as a mount
// point in a read-only folder, one of the user's cache folder named by
// the output folder's path.
func dirs(out string) []string {
	ds := []string{Dir(out)}
	abs, err := filepath.Abs(out)
	if err != nil {
		return ds
	}
	if c, err := os.UserCacheDir(); err == nil {
		ds = append(ds, filepath.Join(c, "promptsite", fmt.Sprintf("%016x", xxhash.Sum64String(abs))))
	}
	return ds
}

// Record is the record of the site in an output folder, read by Open. It
// is a render.Past that reads the pages from that folder. A nil *Record
// has no page.
type Record struct {
	site      string // the output folder
	pages     map[string]entry
	analyses  []byte
	scans     []byte
	inventory []byte
	// exe is the sum of the executable that wrote the record; ours tells
	// whether it is the running one's, found at the first page asked for.
	exe  uint64
	ours func() bool
	// ready, for a Record of OpenAsync, is closed once it is read.
	ready chan struct{}
}

// offHeap is the size from which a record may be read into memory of its
// own, outside Go's heap (see readRecord), rather than into the heap.
const offHeap = 1 << 20

type entry struct {
	key, sum uint64
	size     int
}

// Open reads the record of the site in the output folder out. It returns
// nil, a record of no page, when there is none or it cannot be read whole;
// a record that another executable wrote has no page either.
func Open(out string) *Record {
	r := &Record{site: out}
	if !r.read() {
		return nil
	}
	return r
}

// OpenAsync is Open that reads the record on a goroutine of its own, while
// the build goes on: the Record it returns, never nil, waits for it when
// it is first asked for anything, and has nothing when there was none.
func OpenAsync(out string) *Record {
	r := &Record{site: out, ready: make(chan struct{})}
	go func() {
		defer close(r.ready)
		r.read()
	}()
	return r
}

// read reads the record of r's site into r, and reports whether there
// was one.
func (r *Record) read() bool {
	// The executable is read while the build reads the library, before
	// any page is asked for.
	go executableSum()
	r.ours = func() bool { return false }
	// Of the records that can be read whole, the last written: a build
	// that could not save beside the output saved in the cache folder.
	var found *decoded
	var newest time.Time
	release := func() {} // gives back the memory of found's record
	for _, dir := range dirs(r.site) {
		name := filepath.Join(dir, recordName)
		info, err := os.Stat(name)
		if err != nil || found != nil && !info.ModTime().After(newest) {
			continue
		}
		data, free, err := readRecord(name)
		if err != nil {
			continue
		}
		d, err := decode(data)
		if err != nil {
			free()
			continue
		}
		release()
		found, newest, release = &d, info.ModTime(), free
	}
	if found == nil {
		return false
	}
	r.pages, r.analyses, r.scans, r.inventory, r.exe = found.pages, found.analyses, found.scans, found.inventory, found.exe
	r.ours = sync.OnceValue(func() bool {
		self, err := executableSum()
		if err != nil || self != r.exe {
			// Nothing of it is of use: not held for the build.
			r.pages, r.analyses, r.scans = nil, nil, nil
			return false
		}
		return true
	})
	return true
}

// wait waits for a Record of OpenAsync to be read; it reports false for a
// nil Record.
func (r *Record) wait() bool {
	if r == nil {
		return false
	}
	if r.ready != nil {
		<-r.ready
	}
	return true
}

// Page returns, when the record has the file name of the site rendered
// under key, the size and sum of what was rendered and a function that
// reads the file and returns its bytes if it still holds them, else nil;
// otherwise Page returns a nil function. It may be called from several
// goroutines at once.
func (r *Record) Page(name string, key uint64) (size int, sum uint64, load func() []byte) {
	if !r.wait() || !r.ours() {
		return 0, 0, nil
	}
	e, ok := r.pages[name]
	if !ok || e.key != key {
		return 0, 0, nil
	}
	return e.size, e.sum, func() []byte {
		data, err := os.ReadFile(filepath.Join(r.site, filepath.FromSlash(name)))
		if err != nil || len(data) != e.size || xxhash.Sum64(data) != e.sum {
			return nil
		}
		return data
	}
}

// Analyses returns the search's analyses that the record keeps (see
// search.Past); nil when it has none, or another executable wrote it. It
// gives them once, and keeps them no more: a build's search reads them
// once, and a large library's are megabytes.
func (r *Record) Analyses() []byte {
	if !r.wait() || !r.ours() {
		return nil
	}
	return giveOnce(&r.analyses)
}

// Scans returns what the link check read of the pages and found on them
// that the record keeps (see linkcheck.NewPastCache); nil when it has
// none, or another executable wrote it. It gives them once.
func (r *Record) Scans() []byte {
	if !r.wait() || !r.ours() {
		return nil
	}
	return giveOnce(&r.scans)
}

// giveOnce returns what *blob holds, nil for nothing, and keeps it no more.
func giveOnce(blob *[]byte) []byte {
	b := *blob
	*blob = nil
	if len(b) == 0 {
		return nil
	}
	return b
}

// Inventory returns the inventory of the output folders that the record
// keeps, for output.StageContext; nil when it has none. Unlike the pages
// and analyses, it is given whichever executable wrote it: the output
// package checks each file it knows against the file system. It gives it
// once.
func (r *Record) Inventory() []byte {
	if !r.wait() {
		return nil
	}
	return giveOnce(&r.inventory)
}

// Len returns how many pages r has for the running executable.
func (r *Record) Len() int {
	if !r.wait() || !r.ours() {
		return 0
	}
	return len(r.pages)
}

// Save writes the record of the site that was just put in the output
// folder out, whose pages are made, whose search analysed analyses, whose
// link check left scans and whose output folders have inventory, for the
// next build to Open: beside the output folder, or else in the user's
// cache folder. The analyses are in parts that follow one another, which
// may be the record's that Open read: the search refers to it rather than
// copying it. The record replaces the last one whole, or not at all.
func Save(out string, made []render.Made, analyses [][]byte, scans, inventory []byte) error {
	exe, err := executableSum()
	if err != nil {
		return fmt.Errorf("keeping what the next build can reuse: %w", err)
	}
	rec := encode(made, analyses, scans, inventory, exe)
	var errs []error
	for _, d := range dirs(out) {
		err := save(d, rec)
		if err == nil {
			return nil
		}
		errs = append(errs, err)
	}
	return fmt.Errorf("keeping what the next build can reuse: %w", errors.Join(errs...))
}

// save writes rec, the concatenation of its parts, as the record in the
// folder dir.
func save(dir string, rec [][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	ignore := filepath.Join(dir, ".gitignore")
	if _, err := os.Stat(ignore); errors.Is(err, os.ErrNotExist) {
		if err := os.WriteFile(ignore, []byte(gitignore), 0o644); err != nil {
			return err
		}
	}
	// What a save cut short left is removed; another build's save under
	// way fails, which costs the next build only time.
	if left, _ := filepath.Glob(filepath.Join(dir, recordName+".*")); len(left) > 0 {
		for _, l := range left {
			os.Remove(l)
		}
	}
	f, err := os.CreateTemp(dir, recordName+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // once renamed, removes nothing
	// Many parts are small: they are written in blocks.
	w := bufio.NewWriterSize(f, 256<<10)
	for _, part := range rec {
		if _, err = w.Write(part); err != nil {
			break
		}
	}
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(f.Name(), filepath.Join(dir, recordName))
}

// encode writes the record of made, analyses, scans and inventory, by the
// executable of sum exe: magic, exe, the count of pages, each page's name
// (its length, then its bytes), key, sum and size; the analyses, their
// length then their bytes; the scans and the inventory, likewise; and last
// the sum of all before it. The record is the concatenation of the parts
// it returns, which take the blobs as they are, not a copy of megabytes.
func encode(made []render.Made, analyses [][]byte, scans, inventory []byte, exe uint64) [][]byte {
	b := make([]byte, 0, len(magic)+40+len(made)*64)
	b = append(b, magic...)
	b = binary.LittleEndian.AppendUint64(b, exe)
	b = binary.AppendUvarint(b, uint64(len(made)))
	for _, m := range made {
		b = binary.AppendUvarint(b, uint64(len(m.Name)))
		b = append(b, m.Name...)
		b = binary.LittleEndian.AppendUint64(b, m.Key)
		b = binary.LittleEndian.AppendUint64(b, m.Sum)
		b = binary.AppendUvarint(b, uint64(m.Size))
	}
	rec := [][]byte{b}
	size := 0
	for _, part := range analyses {
		size += len(part)
	}
	rec = append(rec, binary.AppendUvarint(nil, uint64(size)))
	rec = append(rec, analyses...)
	for _, blob := range [][]byte{scans, inventory} {
		rec = append(rec, binary.AppendUvarint(nil, uint64(len(blob))), blob)
	}
	h := xxhash.New()
	for _, part := range rec {
		h.Write(part)
	}
	return append(rec, binary.LittleEndian.AppendUint64(nil, h.Sum64()))
}

var errTorn = errors.New("not a whole build record")

// decoded is what decode reads of a record.
type decoded struct {
	pages                      map[string]entry // by name
	analyses, scans, inventory []byte
	exe                        uint64 // the sum of the executable that wrote it
}

// decode reads what encode wrote.
func decode(b []byte) (decoded, error) {
	if len(b) < len(magic)+16 || !bytes.HasPrefix(b, []byte(magic)) {
		return decoded{}, errTorn
	}
	body := b[:len(b)-8]
	if xxhash.Sum64(body) != binary.LittleEndian.Uint64(b[len(b)-8:]) {
		return decoded{}, errTorn
	}
	r := body[len(magic):]
	exe := binary.LittleEndian.Uint64(r)
	r = r[8:]
	uvarint := func() (uint64, bool) {
		v, n := binary.Uvarint(r)
		if n <= 0 {
			return 0, false
		}
		r = r[n:]
		return v, true
	}
	count, ok := uvarint()
	if !ok || count > uint64(len(r)) {
		return decoded{}, errTorn
	}
	pages := make(map[string]entry, count)
	for range count {
		l, ok := uvarint()
		if !ok || l > uint64(len(r)) || uint64(len(r))-l < 16 {
			return decoded{}, errTorn
		}
		name := string(r[:l])
		r = r[l:]
		e := entry{key: binary.LittleEndian.Uint64(r), sum: binary.LittleEndian.Uint64(r[8:])}
		r = r[16:]
		size, ok := uvarint()
		if !ok || size > 1<<40 {
			return decoded{}, errTorn
		}
		e.size = int(size)
		pages[name] = e
	}
	blob := func() ([]byte, bool) {
		l, ok := uvarint()
		if !ok || l > uint64(len(r)) {
			return nil, false
		}
		v := r[:l:l]
		r = r[l:]
		return v, true
	}
	analyses, ok := blob()
	if !ok {
		return decoded{}, errTorn
	}
	scans, ok := blob()
	if !ok {
		return decoded{}, errTorn
	}
	inventory, ok := blob()
	if !ok || len(r) != 0 {
		return decoded{}, errTorn
	}
	return decoded{pages: pages, analyses: analyses, scans: scans, inventory: inventory, exe: exe}, nil
}

// executableSum returns the sum of the running executable's bytes, read
// once: a record is read only by the promptsite that wrote it.
var executableSum = sync.OnceValues(func() (uint64, error) {
	// Linux names the running executable itself, even once its file has
	// been replaced; elsewhere it is read by its path.
	f, err := os.Open("/proc/self/exe")
	if err != nil {
		exe, err := os.Executable()
		if err != nil {
			return 0, err
		}
		if f, err = os.Open(exe); err != nil {
			return 0, err
		}
	}
	defer f.Close()
	h := xxhash.New()
	if _, err := io.Copy(h, f); err != nil {
		return 0, err
	}
	return h.Sum64(), nil
})
