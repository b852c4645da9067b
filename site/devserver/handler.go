package devserver

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"html"
	"io"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/promptsite/promptsite/site"
)

// The server's own files live under this prefix, which no site uses.
const (
	scriptPath = "/_promptsite/livereload.js"
	eventsPath = "/_promptsite/events"
)

//go:embed livereload.js
var liveReloadJS []byte

// liveReloadTag is the entity tag of the live-reload script, which every
// page asks for again as it reloads: the browser keeps it and is told it
// has not changed.
var liveReloadTag = func() string {
	sum := sha256.Sum256(liveReloadJS)
	return `"` + hex.EncodeToString(sum[:8]) + `"`
}()

// immutable is how long a browser may keep a file named after its content
// (see site.Fingerprinted): for ever. A page reloaded after an edit then
// loads its stylesheet and scripts from the browser's cache, not anew.
const immutable = "public, max-age=31536000, immutable"

// handler serves the current tree. With loopbackOnly set it refuses any
// Host but a loopback one, so that a web page cannot reach the server
// through a host name of its own that resolves to 127.0.0.1 (DNS rebinding).
func (s *Server) handler(loopbackOnly bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range site.Headers {
			h.Set(k, v)
		}
		h.Set("Cache-Control", "no-cache")
		if loopbackOnly && !isLoopbackHost(r.Host) {
			http.Error(w, "forbidden: the dev server answers only to localhost", http.StatusForbidden)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		switch r.URL.Path {
		case scriptPath:
			// ServeContent answers an If-None-Match that holds the tag.
			h.Set("ETag", liveReloadTag)
			h.Set("Content-Type", "text/javascript; charset=utf-8")
			http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(liveReloadJS))
		case eventsPath:
			s.serveEvents(w, r)
		default:
			s.serveFile(w, r)
		}
	})
}

// serveFile answers from the tree: "/" and "/x/" with their index.html,
// "/x" with a redirect to "/x/" if that is a page, anything else unknown
// with the site's 404 page. A path that is not clean, such as one with a
// ".." or "." element, an empty element, a backslash or a NUL, is refused
// whole rather than cleaned, so it can never name a file outside the site.
//
// A site with a base path, such as "/repo/", is served under it, as its
// host will serve it: the host's root leads there, and any other path
// outside it is not found.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	st := s.current.Load()
	base := s.base()
	p := r.URL.Path
	switch {
	case p+"/" == base || (p == "/" && base != "/"):
		http.Redirect(w, r, (&url.URL{Path: base, RawQuery: r.URL.RawQuery}).String(), http.StatusFound)
		return
	case !strings.HasPrefix(p, base):
		s.notFound(w, r, st)
		return
	}
	name, ok := treeName("/" + p[len(base):])
	if !ok {
		http.Error(w, "bad request: invalid path", http.StatusBadRequest)
		return
	}
	if _, found := st.tree.Get(name); !found && st.building != nil {
		// The pages are served while the build goes on: what is not
		// there yet, such as the search index, may be once it ends.
		select {
		case <-st.building:
			st = s.current.Load()
		case <-r.Context().Done():
			return
		}
	}
	if data, found := st.tree.Get(name); found {
		if site.Fingerprinted(name, data) {
			w.Header().Set("Cache-Control", immutable)
		}
		s.serveContent(w, st, http.StatusOK, name, data)
		return
	}
	if _, found := st.tree.Get(name + "/index.html"); found {
		u := url.URL{Path: base + name + "/", RawQuery: r.URL.RawQuery}
		http.Redirect(w, r, u.String(), http.StatusMovedPermanently)
		return
	}
	s.notFound(w, r, st)
}

// notFound answers with the site's 404 page.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request, st *state) {
	if data, found := st.tree.Get("404.html"); found {
		s.serveContent(w, st, http.StatusNotFound, "404.html", data)
		return
	}
	http.NotFound(w, r)
}

// treeName maps a URL path to the name of a file in the tree, reporting
// false for a path that is not clean.
func treeName(p string) (string, bool) {
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return "", false
	}
	name := p[1:]
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	return name, fs.ValidPath(name)
}

// serveContent writes a file of the tree, with the live-reload script
// first in its head if it is a page: it runs before the page's own
// scripts, which a page updated in place runs again (see livereload.js).
func (s *Server) serveContent(w http.ResponseWriter, st *state, code int, name string, data []byte) {
	ctype := contentType(name)
	if !strings.HasPrefix(ctype, "text/html") {
		serveBytes(w, code, ctype, data)
		return
	}
	// The tree's bytes are shared with every other request and with
	// whoever built them: write around the script, never into them.
	tag := `<script src="` + scriptPath + `" data-build="` + html.EscapeString(st.build) + `" defer></script>`
	at := headStart(data)
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)+len(tag)))
	w.WriteHeader(code)
	w.Write(data[:at])
	io.WriteString(w, tag)
	w.Write(data[at:])
}

// headStart returns where the content of the page's <head> starts, just
// after its start tag; else where its </head> starts; else the end of the
// page, since a script at the end of a body runs as well. Comments are
// skipped, and so is a <header>.
func headStart(page []byte) int {
	for i := 0; ; {
		j := tagAt(page[i:], "<head")
		if j < 0 {
			break
		}
		i += j + len("<head")
		if i == len(page) {
			break
		}
		switch page[i] {
		case '>', ' ', '\t', '\n', '\r', '\f', '/':
			if k := bytes.IndexByte(page[i:], '>'); k >= 0 {
				return i + k + 1
			}
			return len(page)
		}
	}
	if i := tagAt(page, "</head>"); i >= 0 {
		return i
	}
	return len(page)
}

// tagAt returns where tag first starts in page, in any case, outside a
// comment, or -1.
func tagAt(page []byte, tag string) int {
	for i := 0; ; i++ {
		j := bytes.IndexByte(page[i:], '<')
		if j < 0 || i+j+len(tag) > len(page) {
			return -1
		}
		i += j
		if bytes.HasPrefix(page[i:], []byte("<!--")) {
			end := bytes.Index(page[i+len("<!--"):], []byte("-->"))
			if end < 0 {
				return -1
			}
			i += len("<!--") + end + len("-->") - 1
			continue
		}
		if bytes.EqualFold(page[i:i+len(tag)], []byte(tag)) {
			return i
		}
	}
}

func serveBytes(w http.ResponseWriter, code int, ctype string, data []byte) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(code)
	w.Write(data)
}

// types are the content types of the files a site has, fixed here rather
// than taken from the system's table, which differs between machines.
var types = map[string]string{
	".html":  "text/html; charset=utf-8",
	".htm":   "text/html; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".json":  "application/json",
	".map":   "application/json",
	".xml":   "application/xml; charset=utf-8",
	".txt":   "text/plain; charset=utf-8",
	".md":    "text/markdown; charset=utf-8",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".jpg":   "image/jpeg",
	".jpeg":  "image/jpeg",
	".gif":   "image/gif",
	".webp":  "image/webp",
	".avif":  "image/avif",
	".ico":   "image/x-icon",
	".woff2": "font/woff2",
	".wasm":  "application/wasm",
}

func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := types[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// serveEvents streams server-sent events to one page until the page goes
// away, the hub drops it, or the hub stops. It first sends the current
// build, so that a page that missed a rebuild, or was served by a server
// since restarted, reloads; and the last failure, if the site is broken.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	c := s.hub.join()
	if c == nil {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)

	write := func(e event) bool {
		rc.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if _, err := io.WriteString(w, formatEvent(e)); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	// Registered first, the page cannot miss a build made after this.
	st := s.current.Load()
	io.WriteString(w, "retry: 1000\n")
	ok := write(event{name: "reload", data: st.build})
	if ok && st.err != "" {
		ok = write(event{name: "failed", data: st.err})
	}
	if ok && st.err == "" && st.warn != "" {
		ok = write(event{name: "warnings", data: st.warn})
	}
	for ok {
		select {
		case e, open := <-c.send:
			if !open {
				return // dropped, or the hub stopped
			}
			ok = write(e)
		case <-r.Context().Done():
			ok = false
		}
	}
	s.hub.leave(c)
}

// formatEvent writes e in the text/event-stream format, one data line per
// line of its data.
func formatEvent(e event) string {
	var b strings.Builder
	fmt.Fprintf(&b, "event: %s\n", e.name)
	data := strings.ReplaceAll(e.data, "\r\n", "\n")
	for line := range strings.SplitSeq(data, "\n") {
		fmt.Fprintf(&b, "data: %s\n", strings.ReplaceAll(line, "\r", ""))
	}
	b.WriteString("\n")
	return b.String()
}

// isLoopbackHost reports whether a request's Host names this machine:
// localhost, a name under .localhost, or a loopback address.
func isLoopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
