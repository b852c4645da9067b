package output

import (
	"bytes"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// The files of a site are written and read with plain system calls: the
// os package would also register each one with the runtime's poller and
// set its flags, which is several calls more a file for nothing, as a
// regular file never blocks the way a socket does.

var euid = uint32(os.Geteuid())

// writeFile creates name, which must not exist yet, with data in it.
func writeFile(name string, data []byte) error {
	_, err := createFile(name, data)
	return err
}

// createFile creates name, which must not exist yet, with data in it, and
// returns its state (see fileState), the sum left for the caller.
func createFile(name string, data []byte) (fileState, error) {
	fd, err := unix.Open(name, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_CLOEXEC, 0o644)
	if err != nil {
		return fileState{}, &os.PathError{Op: "create", Path: name, Err: err}
	}
	for rest := data; len(rest) > 0; {
		n, err := unix.Write(fd, rest)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			unix.Close(fd)
			return fileState{}, &os.PathError{Op: "write", Path: name, Err: err}
		}
		rest = rest[n:]
	}
	var st unix.Stat_t
	var state fileState
	if unix.Fstat(fd, &st) == nil {
		state = stateOf(&st)
	}
	if err := unix.Close(fd); err != nil {
		return fileState{}, &os.PathError{Op: "close", Path: name, Err: err}
	}
	return state, nil
}

// sameFile tells whether name is a regular file of this user's, not a
// link, that nobody else may write to and that holds exactly data, and
// returns its state (see fileState) when it is, the sum left for the
// caller. buf is space to read into; the one returned may be bigger, for
// the next call.
func sameFile(name string, data, buf []byte) (bool, []byte, fileState) {
	fd, err := unix.Open(name, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return false, buf, fileState{}
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if unix.Fstat(fd, &st) != nil || !fit(&st) || st.Size != int64(len(data)) {
		return false, buf, fileState{}
	}
	// One byte more than the size is asked for, to find a file that
	// grew after its size was read. One call reads a regular file of a
	// local file system whole; a short read elsewhere counts as a
	// difference, which is safe: the file is written anew.
	if cap(buf) < len(data)+1 {
		buf = make([]byte, len(data)+1)
	}
	buf = buf[:len(data)+1]
	n, err := unix.Read(fd, buf)
	for err == unix.EINTR {
		n, err = unix.Read(fd, buf)
	}
	if err != nil || n != len(data) || !bytes.Equal(buf[:n], data) {
		return false, buf, fileState{}
	}
	return true, buf, stateOf(&st)
}

// statFile returns the state of name (see fileState), not following a
// link, when it is a regular file of this user's that nobody else may
// write to; the sum is left for the caller.
func statFile(name string) (fileState, bool) { return statAt(unix.AT_FDCWD, name) }

// statAt is statFile for name under the folder of the descriptor dir.
func statAt(dir int, name string) (fileState, bool) {
	var st unix.Stat_t
	if unix.Fstatat(dir, name, &st, unix.AT_SYMLINK_NOFOLLOW) != nil || !fit(&st) {
		return fileState{}, false
	}
	return stateOf(&st), true
}

// statter returns a function that does statFile on names in the folder
// root, given as slash-separated paths under it, through a descriptor of
// root: a site's thousands of files are looked up from there, not from
// the top of the file system each. done closes the descriptor.
func statter(root string) (stat func(name string) (fileState, bool), done func()) {
	dir, err := unix.Open(root, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return func(string) (fileState, bool) { return fileState{}, false }, func() {}
	}
	return func(name string) (fileState, bool) { return statAt(dir, name) }, func() { unix.Close(dir) }
}

// fit tells whether st is a regular file of this user's that nobody else
// may write to, and with no special mode bit.
func fit(st *unix.Stat_t) bool {
	return st.Mode&unix.S_IFMT == unix.S_IFREG && st.Mode&0o7022 == 0 && st.Uid == euid
}

func stateOf(st *unix.Stat_t) fileState {
	return fileState{
		dev:   uint64(st.Dev),
		ino:   uint64(st.Ino),
		size:  st.Size,
		ctime: st.Ctim.Nano(),
		mtime: st.Mtim.Nano(),
	}
}

// remoteFS are the types of file systems (statfs's f_type) whose files'
// attributes may be cached: NFS, SMB and CIFS, 9P, FUSE (virtiofs and
// most mounts of a container's host folders among them), Ceph, AFS.
var remoteFS = map[int64]bool{
	0x6969: true, 0x517b: true, 0xff534d42: true, 0xfe534d42: true, 0x01021997: true,
	0x65735546: true, 0x00c36400: true, 0x5346414f: true, 0x6b414653: true,
}

// localFS tells whether dir is on a file system whose files' attributes
// are those of the files as they are, which an inventory can be trusted on.
// A folder not made yet is on its nearest parent's file system.
func localFS(dir string) bool {
	var st unix.Statfs_t
	err := unix.Statfs(dir, &st)
	for err == unix.ENOENT && filepath.Dir(dir) != dir {
		dir = filepath.Dir(dir)
		err = unix.Statfs(dir, &st)
	}
	return err == nil && !remoteFS[int64(st.Type)]
}

// mtime returns the modification time of name in nanoseconds, or false.
func mtime(name string) (int64, bool) {
	var st unix.Stat_t
	if unix.Lstat(name, &st) != nil {
		return 0, false
	}
	return st.Mtim.Nano(), true
}
