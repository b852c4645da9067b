package devserver

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/promptsite/promptsite/site/output"
)

// TestWatchSurvivesRecreatedFolder checks that a watched folder removed
// and made again is watched again, its subfolders too.
func TestWatchSurvivesRecreatedFolder(t *testing.T) {
	f, r, _ := startFake(t)
	ev := subscribe(t, r)
	ev.next(t)

	if err := os.RemoveAll(f.dir); err != nil {
		t.Fatal(err)
	}
	if e := ev.next(t); e.name != "failed" {
		t.Fatalf("after removing the folder: event %+v; want the failed build", e)
	}
	f.write(t, "docs/page.txt", "the docs again")
	f.write(t, "page.txt", "made again")
	eventually(t, "the folder made again is served", func() bool {
		_, body := get(t, r.base+"/")
		return strings.Contains(body, "made again")
	})
	// Its subfolders are watched as well.
	f.write(t, "docs/more/new.txt", "x")
	eventually(t, "a file in a subfolder of the folder made again is in /list.txt", func() bool {
		_, body := get(t, r.base+"/list.txt")
		return strings.Contains(body, "docs/more/new.txt")
	})
}

// TestWatchesFoldersMadeLater checks that watched paths that did not exist
// when the server started are watched once they are made, however deep,
// and that their siblings stay unwatched.
func TestWatchesFoldersMadeLater(t *testing.T) {
	f := newFakeSite(t)
	r := start(t, &Server{Build: f.build, Watch: []string{
		filepath.Join(f.dir, "theme", "templates"),
		filepath.Join(f.dir, "static"),
		filepath.Join(f.dir, "config.txt"),
	}})
	ev := subscribe(t, r)
	ev.next(t)

	// Made step by step: the parent first, then the folder, then a file.
	for _, d := range []string{"theme", "theme/templates"} {
		if err := os.Mkdir(filepath.Join(f.dir, filepath.FromSlash(d)), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	f.write(t, "theme/templates/a.txt", "a")
	eventually(t, "a file in a folder made after the start is in /list.txt", func() bool {
		_, body := get(t, r.base+"/list.txt")
		return strings.Contains(body, "theme/templates/a.txt")
	})
	f.write(t, "theme/templates/deeper/b.txt", "b")
	eventually(t, "a later file in its subfolder is in /list.txt", func() bool {
		_, body := get(t, r.base+"/list.txt")
		return strings.Contains(body, "theme/templates/deeper/b.txt")
	})
	// Made at once, with files in it.
	f.write(t, "static/s.txt", "s")
	eventually(t, "a file in a folder made whole is in /list.txt", func() bool {
		_, body := get(t, r.base+"/list.txt")
		return strings.Contains(body, "static/s.txt")
	})
	// A watched file made later.
	f.write(t, "config.txt", "c")
	eventually(t, "a watched file made later is in /list.txt", func() bool {
		_, body := get(t, r.base+"/list.txt")
		return strings.Contains(body, "config.txt")
	})

	// A sibling in a folder watched only for what is made in it changes
	// nothing; the home page, read by the build, shows that.
	for len(ev.ch) > 0 {
		<-ev.ch
	}
	before := f.builds.Load()
	f.write(t, "page.txt", "not watched")
	// Give a wrong rebuild the time it would need to start.
	time.Sleep(150 * time.Millisecond)
	if n := f.builds.Load() - before; n != 0 {
		t.Errorf("a file not watched made %d builds; want none", n)
	}
	f.write(t, "static/s.txt", "watched")
	if e := ev.next(t); e.name != "reload" {
		t.Fatalf("event %+v; want a reload", e)
	}
}

// TestRebuildsWhileAFileKeepsChanging checks that a file written without
// pause holds a rebuild back by maxWait at most, not for as long as it is
// written. The debounce is made so long that only maxWait can end it.
func TestRebuildsWhileAFileKeepsChanging(t *testing.T) {
	f := newFakeSite(t)
	r := start(t, &Server{Build: f.build, Watch: []string{f.dir}, Debounce: time.Hour})
	ev := subscribe(t, r)
	ev.next(t)

	ctx, stop := context.WithCancel(context.Background())
	written := make(chan error, 1)
	go func() {
		defer close(written)
		for i := 0; ctx.Err() == nil; i++ {
			if err := os.WriteFile(filepath.Join(f.dir, "log.txt"), fmt.Appendf(nil, "line %d\n", i), 0o644); err != nil {
				written <- err
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	defer func() {
		stop()
		if err := <-written; err != nil {
			t.Error(err)
		}
	}()
	f.write(t, "page.txt", "edited while log.txt keeps changing")
	if e := ev.next(t); e.name != "reload" {
		t.Fatalf("event %+v; want a reload", e)
	}
	if ctx.Err() != nil {
		t.Fatal("the writer stopped before the rebuild")
	}
	_, body := get(t, r.base+"/")
	if !strings.Contains(body, "edited while log.txt keeps changing") {
		t.Errorf("GET / =\n%s\nwant the edit", body)
	}
}

// TestIgnoresWhatCannotChangeTheSite checks that changes to version
// control, installed packages, editors' scratch files and a site built
// into a watched folder rebuild nothing.
func TestIgnoresWhatCannotChangeTheSite(t *testing.T) {
	f := newFakeSite(t)
	f.write(t, ".git/HEAD", "ref: refs/heads/main")
	f.write(t, "node_modules/x/index.js", "x")
	r := start(t, &Server{Build: f.build, Watch: []string{f.dir}, Debounce: 50 * time.Millisecond})
	ev := subscribe(t, r)
	ev.next(t)
	before := f.builds.Load()

	ctx := context.Background()
	site := output.NewTree()
	site.Add("index.html", []byte("built"))
	site.Add("a/index.txt", []byte("built"))
	for range 2 { // made, then replaced
		if err := output.Publish(ctx, site, filepath.Join(f.dir, "public")); err != nil {
			t.Fatal(err)
		}
	}
	f.write(t, ".git/HEAD", "ref: refs/heads/other")
	f.write(t, ".git/objects/ab/cdef", "object")
	f.write(t, "node_modules/x/index.js", "y")
	f.write(t, "node_modules/y.txt", "y")
	f.write(t, "#page.txt#", "emacs autosave")
	f.write(t, "page.txt.swp", "swap")
	f.write(t, "page.txt___jb_tmp___", "jetbrains")
	// Give a wrong rebuild the time it would need to show.
	time.Sleep(300 * time.Millisecond)
	if n := f.builds.Load() - before; n != 0 {
		t.Errorf("changes that cannot change the site made %d builds; want none", n)
	}
	f.write(t, "page.txt", "edited")
	if e := ev.next(t); e.name != "reload" {
		t.Fatalf("event %+v; want a reload", e)
	}
}

// TestIdleConnectionsTimeOut checks that a connection left idle between
// requests is closed after the idle timeout, while a live-reload stream,
// idle for longer, stays open and still carries events.
func TestIdleConnectionsTimeOut(t *testing.T) {
	f := newFakeSite(t)
	r := start(t, &Server{Build: f.build, Watch: []string{f.dir}, idleTimeout: 200 * time.Millisecond})
	ev := subscribe(t, r)
	ev.next(t)

	conn, err := net.Dial("tcp", r.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: %s\r\n\r\n", r.addr)
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Close {
		t.Fatalf("GET /: status %d, close %v; want 200 on a connection kept alive", resp.StatusCode, resp.Close)
	}
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := br.Read(make([]byte, 1)); err != io.EOF {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatal("an idle connection was still open after 5s")
		}
		t.Fatalf("reading an idle connection = %d, %v; want EOF", n, err)
	}

	// The stream has been idle for longer than the timeout by now.
	f.write(t, "page.txt", "after the idle timeout")
	if e := ev.next(t); e.name != "reload" {
		t.Fatalf("event %+v; want a reload on the stream opened before", e)
	}
}

// TestRefusesHugeHeaders checks that a request whose header is far bigger
// than any browser sends is refused.
func TestRefusesHugeHeaders(t *testing.T) {
	_, r, _ := startFake(t)
	conn, err := net.Dial("tcp", r.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	go fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: %s\r\nX-Big: %s\r\n\r\n", r.addr, strings.Repeat("a", 512<<10))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("a 512 KiB header: status %d; want %d", resp.StatusCode, http.StatusRequestHeaderFieldsTooLarge)
	}
}

// TestSyncSeesFoldersMadeMeanwhile makes the folders on the way to a
// watched path, and a file in it, in the gap between sync's look at the
// path and its watch on the folder above, which no event then reports:
// sync must find them there and watch the path itself.
func TestSyncSeesFoldersMadeMeanwhile(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "theme", "templates")
	w, err := (&Server{Log: io.Discard}).newWatcher()
	if err != nil {
		t.Fatal(err)
	}
	defer w.fsw.Close()
	w.targets = []string{target}
	made := 0
	w.raced = func() {
		if made++; made > 1 {
			return
		}
		if err := os.MkdirAll(target, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(target, "a.txt"), []byte("a"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.sync(target); err != nil {
		t.Fatal(err)
	}
	if !w.roots[target] {
		t.Errorf("after sync, %s, made meanwhile, is not watched as a folder", target)
	}
	if !slices.Contains(w.fsw.WatchList(), target) {
		t.Errorf("the watches are %q; want %s among them", w.fsw.WatchList(), target)
	}
}

// TestChangesPendingSinceTheirFirst checks that the changes a build did
// not show are pending since the first of them, not since the build
// started: a change that comes at the end of a long build, the first step
// of a save, does not make the next build's read of the half-made file
// overdue, to be shown before the changes pause.
func TestChangesPendingSinceTheirFirst(t *testing.T) {
	ctx := context.Background()
	var c changeLog
	c.add(time.Now())
	m1 := c.mark()
	// A build of a second, near maxWait: a save begins as it ends.
	time.Sleep(maxWait - 50*time.Millisecond)
	c.add(time.Now())
	c.shown(m1)
	m2 := c.mark() // the next build reads the half-made file
	time.Sleep(5 * time.Millisecond)
	c.add(time.Now()) // the rest of the save
	// The build ends once the changes have paused: more than maxWait
	// after the build before it started.
	time.Sleep(100 * time.Millisecond)
	if c.settled(ctx, m2, 50*time.Millisecond) {
		t.Error("a build that read a file changed since was shown; want it dropped")
	}
	m3 := c.mark()
	if !c.settled(ctx, m3, 50*time.Millisecond) {
		t.Error("the build after the save was not shown once the changes paused")
	}
}
