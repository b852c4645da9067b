package output

import (
	"encoding/binary"
	"errors"
)

// A rebuild brings the spare up to date by comparing each of its files
// with the new site's, and reading 13,000 files to do so costs more than
// the rest of a rebuild after a small edit. The inventory lets a build
// know what a file holds without reading it: for each file of the site in
// place and of the spare, what the file system said of it when the build
// that left it wrote or read it (see fileState), with the sum of its
// bytes. A file whose device, inode, size and change time are still those
// holds the same bytes: any write to a file sets its change time, which
// no call can set back. A file that does not match is read, as without an
// inventory, so an inventory that is stale, or about other files, makes a
// build slower, never different.
//
// A file written in the same tick of the file system's clock as a later
// change would keep its change time. The inventory keeps only the files
// whose change time is before the site was put in place, after which the
// files can change; until then, they are in a staging folder that is the
// build's alone. Only Linux's builds have an inventory, and only on a
// local file system: a network or FUSE file system may answer from
// attributes it cached, where opening the file would see the change.

// fileState is what the file system said of a file of a site when a build
// wrote it or read it whole, and the sum of the bytes it held then.
type fileState struct {
	dev, ino uint64
	size     int64
	ctime    int64 // nanoseconds since 1970
	sum      uint64
	// mtime, in nanoseconds, is known only to the build that saw the
	// file (see appendLinked); the inventory does not keep it.
	mtime int64
}

// same tells whether a and b are the same file, unchanged.
func (a fileState) same(b fileState) bool {
	return a.dev == b.dev && a.ino == b.ino && a.size == b.size && a.ctime == b.ctime
}

// inventory is what builds knew of the files of the site in place and of
// the spare, by inode.
type inventory struct {
	site, spare map[uint64]fileState
}

// lookup returns what the inventory knows of the file whose state is st:
// its sum, when st is a file it has, unchanged.
func (in *inventory) lookup(st fileState) (uint64, bool) {
	if in == nil {
		return 0, false
	}
	for _, m := range [...]map[uint64]fileState{in.spare, in.site} {
		if k, ok := m[st.ino]; ok && k.same(st) {
			return k.sum, true
		}
	}
	return 0, false
}

// check returns the files of the folder root named in names that the
// inventory has as they are, with their sums, by name.
func (in *inventory) check(root string, names []string) map[string]fileState {
	if in == nil {
		return nil
	}
	known := make(map[string]fileState, len(names))
	stat, done := statter(root)
	defer done()
	for _, name := range names {
		st, ok := stat(name)
		if !ok {
			continue
		}
		if sum, ok := in.lookup(st); ok {
			st.sum = sum
			known[name] = st
		}
	}
	return known
}

// inventoryVersion begins every encoded inventory.
const inventoryVersion = 1

// encodeInventory writes the inventory of a site's files, and of the
// spare's: the version, then each's count of files and each file's
// device, inode, size, change time and sum.
func encodeInventory(site []fileState, spare map[uint64]fileState) []byte {
	b := make([]byte, 0, 1+(len(site)+len(spare))*32)
	b = append(b, inventoryVersion)
	b = binary.AppendUvarint(b, uint64(len(site)))
	for _, f := range site {
		b = appendState(b, f)
	}
	b = binary.AppendUvarint(b, uint64(len(spare)))
	for _, f := range spare {
		b = appendState(b, f)
	}
	return b
}

func appendState(b []byte, f fileState) []byte {
	b = binary.AppendUvarint(b, f.dev)
	b = binary.AppendUvarint(b, f.ino)
	b = binary.AppendUvarint(b, uint64(f.size))
	b = binary.LittleEndian.AppendUint64(b, uint64(f.ctime))
	return binary.LittleEndian.AppendUint64(b, f.sum)
}

var errBadInventory = errors.New("not an inventory")

// decodeInventory reads what encodeInventory wrote.
func decodeInventory(b []byte) (*inventory, error) {
	if len(b) == 0 || b[0] != inventoryVersion {
		return nil, errBadInventory
	}
	r := b[1:]
	uvarint := func() (uint64, bool) {
		v, n := binary.Uvarint(r)
		if n <= 0 {
			return 0, false
		}
		r = r[n:]
		return v, true
	}
	in := &inventory{}
	for _, m := range [...]*map[uint64]fileState{&in.site, &in.spare} {
		count, ok := uvarint()
		if !ok || count > uint64(len(r))/19 { // an entry takes 19 bytes or more
			return nil, errBadInventory
		}
		*m = make(map[uint64]fileState, count)
		for range count {
			var f fileState
			var size uint64
			if f.dev, ok = uvarint(); !ok {
				return nil, errBadInventory
			}
			if f.ino, ok = uvarint(); !ok {
				return nil, errBadInventory
			}
			if size, ok = uvarint(); !ok || size > 1<<62 || len(r) < 16 {
				return nil, errBadInventory
			}
			f.size = int64(size)
			f.ctime = int64(binary.LittleEndian.Uint64(r))
			f.sum = binary.LittleEndian.Uint64(r[8:])
			r = r[16:]
			(*m)[f.ino] = f
		}
	}
	if len(r) != 0 {
		return nil, errBadInventory
	}
	return in, nil
}
