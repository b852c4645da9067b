// Package devserver serves a site from memory while it is being written,
// rebuilding it when its files change and reloading the pages open on it.
//
// It is for development only: the pages it serves carry a live-reload
// script that the built site never has.
package devserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/promptsite/promptsite/site/output"
)

// The HTTP server's limits: a connection is closed when it has sent no
// request for idleTimeout, or not its whole header within
// readHeaderTimeout, and a header bigger than maxHeaderBytes is refused.
// Without them, idle connections, which browsers and scripts leave open,
// would add up until the process had no file descriptors left. They do
// not touch a live-reload stream, which is a response in progress, not an
// idle connection.
const (
	defaultIdleTimeout = 30 * time.Second
	readHeaderTimeout  = 10 * time.Second
	maxHeaderBytes     = 64 << 10
)

// DefaultAddr is where the server listens when it is given no address: the
// loopback interface, so that the site is not reachable from other machines.
const DefaultAddr = "127.0.0.1:8080"

// Server serves the last good build of a site and rebuilds it on change.
// Set its fields, then call ListenAndServe or Serve once.
type Server struct {
	// Build builds the site. It is called once at the start and again after
	// each change to the files under Watch, never twice at the same time.
	// A build that succeeds with mistakes worth showing, such as links
	// that lead nowhere, returns its tree and a Warnings error: the tree
	// is served, and the warnings shown over the open pages.
	Build func() (*output.Tree, error)
	// BuildEarly, when set, is called instead of Build. It calls ready
	// once, with the tree it is building, as soon as the site's pages are
	// in it, and may add files to that tree until it returns: the open
	// pages reload at once, and a request for a file not in the tree yet
	// waits for the build to end. A build that then fails puts the last
	// good site back, and the pages reload to it. ready is nil for the
	// first build, which no page waits for. ctx is done when the server
	// stops, or when the build is not wanted any more, as the files
	// changed again while it read them: the build may then stop with
	// ctx's error.
	BuildEarly func(ctx context.Context, ready func(*output.Tree)) (*output.Tree, error)
	// Watch lists the files and folders whose changes trigger a rebuild;
	// folders are watched with all their subfolders, including those made
	// later. A path that does not exist yet is watched from the folder
	// above, and from the time it is made; one removed and made again is
	// watched again. Changes that cannot change the site are left out:
	// version control, node_modules, editors' scratch files, and sites
	// built into a watched folder.
	Watch []string
	// Log receives one line per rebuild, such as "rebuilt in 12ms", or the
	// error that made it fail. Nil discards them.
	Log io.Writer
	// Base is the path the site is served under, such as "/repo/" for a
	// site whose address has a path; empty or "/" for the host's root.
	Base string
	// Debounce is how long the changes must pause before a rebuild's
	// pages are shown, so that an editor's save is one reload, and a
	// half-made file is never shown. Zero means 50ms, well over what an
	// editor's save (a scratch file, a write, a rename, a chmod) takes,
	// and over the tens of milliseconds that a script which empties a
	// file before it makes the new text, then writes it, leaves the file
	// empty. The rebuild itself starts once the changes pause for 10ms,
	// and runs while the rest of the wait goes by; should the files
	// change again meanwhile, it is dropped unshown, for the next. However
	// the changes go on, a rebuild is shown no later than about a second
	// after the first of them.
	Debounce time.Duration

	idleTimeout time.Duration // zero means defaultIdleTimeout; shorter in tests
	// collectGarbage, when set, is called in runtime.GC's place (see
	// collect): a test's way to see it called.
	collectGarbage func()
	collecting     sync.WaitGroup // the collections after builds, which Serve waits for

	log     *log.Logger
	current atomic.Pointer[state]
	hub     *hub
	gen     int
	start   string // tells this run's builds from another run's
}

// state is what the server serves. It is replaced whole, never changed.
type state struct {
	tree  *output.Tree
	build string // names the tree, for the pages' live-reload script
	err   string // why the last rebuild failed; empty if it did not
	warn  string // the warnings of the build served; empty for none
	// building, when not nil, is closed when the build of tree ends: the
	// tree has its pages, and files may still join it (see BuildEarly).
	building chan struct{}
}

// ListenAndServe listens on addr and calls Serve. An empty addr means
// DefaultAddr, and an address with no host, such as ":8080", means the
// loopback interface too: to be reachable from other machines, the server
// has to be given their interface, or "0.0.0.0:8080", explicitly.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	if addr == "" {
		addr = DefaultAddr
	}
	if host, port, err := net.SplitHostPort(addr); err == nil && host == "" {
		addr = net.JoinHostPort("127.0.0.1", port)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return s.Serve(ctx, ln)
}

// Serve builds the site, then serves it on ln until ctx is done, rebuilding
// it whenever a file under Watch changes. It closes ln. If the first build
// fails, it returns that build's error at once.
//
// When ctx is done, Serve stops watching, ends the live-reload streams,
// shuts the HTTP server down, waits for a build in progress to finish, and
// returns nil; it returns no earlier than all the goroutines it started.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	defer ln.Close()
	logw := io.Discard
	if s.Log != nil {
		logw = &lockedWriter{w: s.Log}
	}
	s.log = log.New(logw, "", 0)
	s.start = strconv.FormatInt(time.Now().UnixNano(), 36)

	t0 := time.Now()
	tree, warn, err := s.build(ctx, nil)
	if err != nil {
		return err
	}
	s.current.Store(&state{tree: tree, build: s.nextBuild(), warn: warn})
	defer s.collecting.Wait() // runs last, once no build can start one more
	s.collecting.Go(s.collect)
	reach := ""
	if !isLoopback(ln.Addr()) {
		reach = " (reachable from other machines)"
	}

	var wg sync.WaitGroup
	defer wg.Wait() // runs after cancel: every goroutine ends
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// The hub exits when ctx is done, ending every live-reload stream.
	s.hub = newHub()
	wg.Go(func() { s.hub.run(ctx) })

	// The watcher exits when ctx is done, and the builder after it has
	// finished the build it may be running.
	w, err := s.newWatcher()
	if err != nil {
		cancel()
		return err
	}
	kick := make(chan struct{}, 1)
	wg.Go(func() { w.run(ctx, kick) })
	wg.Go(func() { s.rebuildOn(ctx, kick, w) })
	// Said once the files are watched: an edit made as soon as the
	// address shows is seen. The listener already queues connections.
	s.log.Printf("built in %s; serving http://%s%s%s", since(t0), ln.Addr(), s.base(), reach)

	idle := s.idleTimeout
	if idle <= 0 {
		idle = defaultIdleTimeout
	}
	srv := &http.Server{
		Handler:           s.handler(reach == ""),
		ReadHeaderTimeout: readHeaderTimeout,
		IdleTimeout:       idle,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          s.log,
	}
	// The HTTP server's goroutine exits when it is shut down below.
	served := make(chan error, 1)
	wg.Go(func() { served <- srv.Serve(ln) })

	select {
	case err = <-served:
		cancel()
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	// The hub has stopped, or is stopping, so the live-reload streams end
	// and Shutdown only waits for requests that are short.
	<-s.hub.done
	sctx, stop := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer stop()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// rebuildOn builds the site each time kick fires, until ctx is done: on
// success it serves the new tree and tells the open pages to reload; on
// failure it logs the error, tells the pages, and keeps the last good tree.
// Either is shown only once w's changes have settled (see changeLog); a
// build of files that changed meanwhile is dropped, failed or not.
func (s *Server) rebuildOn(ctx context.Context, kick <-chan struct{}, w *watcher) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-kick:
		}
		t0 := time.Now()
		mark := w.changes.mark()
		old := s.current.Load()
		// With BuildEarly, the pages are served as soon as they are
		// built, and the rest joins them.
		var early *state
		stale := false
		bctx, drop := context.WithCancel(ctx)
		ready := func(t *output.Tree) {
			if !w.changes.settled(ctx, mark, w.debounce) {
				stale = true
				drop() // the rest is not wanted either
				return
			}
			early = &state{tree: t, build: s.nextBuild(), building: make(chan struct{})}
			s.current.Store(early)
			open, joins := s.hub.mark()
			s.hub.send(ctx, event{name: "reload", data: early.build})
			// The rest of the build waits for the open pages to load
			// again, or yieldLimit: on a machine of few cores it would
			// slow their loading down, and what it makes is for later,
			// such as the search index.
			s.hub.reconnected(ctx, open, joins, yieldLimit)
		}
		tree, warn, err := s.build(bctx, ready)
		drop()
		if early == nil && (stale || !w.changes.settled(ctx, mark, w.debounce)) {
			continue
		}
		w.changes.shown(mark)
		switch {
		case err != nil:
			s.log.Printf("rebuild failed: %v", err)
			if early == nil {
				s.current.Store(&state{tree: old.tree, build: old.build, err: err.Error()})
				s.hub.send(ctx, event{name: "failed", data: err.Error()})
				break
			}
			// The pages shown are of a build that failed: the last good
			// one comes back, under a name of its own, for the pages to
			// reload to it and show why.
			s.current.Store(&state{tree: old.tree, build: s.nextBuild(), err: err.Error()})
			s.hub.send(ctx, event{name: "reload", data: s.current.Load().build})
		case early != nil:
			s.current.Store(&state{tree: tree, build: early.build, warn: warn})
			s.log.Printf("rebuilt in %s", since(t0))
			if warn != "" {
				s.hub.send(ctx, event{name: "warnings", data: warn})
			}
		default:
			next := &state{tree: tree, build: s.nextBuild(), warn: warn}
			s.current.Store(next)
			s.log.Printf("rebuilt in %s", since(t0))
			s.hub.send(ctx, event{name: "reload", data: next.build})
		}
		if early != nil {
			close(early.building)
		}
		s.collecting.Go(s.collect)
	}
}

// yieldLimit is the longest the rest of a build waits for the pages that
// reload to its pages (see rebuildOn).
const yieldLimit = 300 * time.Millisecond

// collect runs the garbage collector after a build, while the server
// waits for the next edit: a build with the memory a collection made free
// at hand does not wait for one of its own, which, the heap being mostly
// the cache of the last build, takes as long as the build of an edit's
// pages. A build that starts meanwhile runs beside it.
func (s *Server) collect() {
	if s.collectGarbage != nil {
		s.collectGarbage()
		return
	}
	runtime.GC()
}

// Warnings is the error a build returns with its tree when it succeeds
// with mistakes worth showing.
type Warnings []string

func (w Warnings) Error() string { return strings.Join(w, "\n") }

// build calls BuildEarly, with ctx and ready, when it is set, else Build,
// turning a panic into an error so that a bug in the build stops one
// rebuild, not the server. warn is the build's warnings, when it succeeded
// with some. ready may be nil, for a build whose pages wait for the whole
// site.
func (s *Server) build(ctx context.Context, ready func(*output.Tree)) (tree *output.Tree, warn string, err error) {
	defer func() {
		if r := recover(); r != nil {
			tree, warn, err = nil, "", fmt.Errorf("build panicked: %v", r)
		}
	}()
	if s.BuildEarly != nil {
		var early func(*output.Tree) // nil with ready
		if ready != nil {
			var once sync.Once
			early = func(t *output.Tree) { once.Do(func() { ready(t) }) }
		}
		tree, err = s.BuildEarly(ctx, early)
	} else {
		tree, err = s.Build()
	}
	var w Warnings
	if errors.As(err, &w) && tree != nil {
		warn, err = w.Error(), nil
	}
	if err == nil && tree == nil {
		err = errors.New("build returned no site")
	}
	return tree, warn, err
}

func (s *Server) nextBuild() string {
	s.gen++
	return s.start + "-" + strconv.Itoa(s.gen)
}

// since formats the time since t0 the way a person reads it: "12ms", "1.2s".
func since(t0 time.Time) time.Duration {
	d := time.Since(t0)
	if d < time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(100 * time.Millisecond)
}

// lockedWriter lets the builder and the HTTP server log at the same time.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func isLoopback(a net.Addr) bool {
	ta, ok := a.(*net.TCPAddr)
	return ok && ta.IP.IsLoopback()
}

// base returns the path the site is served under, ending in "/".
func (s *Server) base() string {
	b := strings.Trim(s.Base, "/")
	if b == "" {
		return "/"
	}
	return "/" + b + "/"
}
