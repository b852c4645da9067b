package devserver

import (
	"context"
	"sync"
	"time"
)

// event is one server-sent event for the open pages.
type event struct {
	name string // "reload" or "failed"
	data string
}

// client is one open page's event stream.
type client struct {
	send chan event // closed by the hub when it drops the client or stops
}

// clientBuffer is how many events a page may fall behind before the hub
// drops it; the page then reconnects and catches up.
const clientBuffer = 8

// hub tells the open pages about builds. Its run goroutine alone owns the
// set of clients; others reach it through the channels.
type hub struct {
	register   chan *client
	unregister chan *client
	broadcast  chan event
	done       chan struct{} // closed when run returns

	mu      sync.Mutex
	clients int           // the clients now
	joins   int           // the clients that ever joined
	joined  chan struct{} // closed at the next join; nil if none waits
}

func newHub() *hub {
	return &hub{
		register:   make(chan *client),
		unregister: make(chan *client),
		broadcast:  make(chan event),
		done:       make(chan struct{}),
	}
}

// run serves the channels until ctx is done, then closes every client's
// channel so that their streams end.
func (h *hub) run(ctx context.Context) {
	clients := map[*client]bool{}
	defer func() {
		for c := range clients {
			close(c.send)
		}
		close(h.done)
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case c := <-h.register:
			clients[c] = true
			h.count(len(clients), 1)
		case c := <-h.unregister:
			if clients[c] {
				delete(clients, c)
				close(c.send)
				h.count(len(clients), 0)
			}
		case e := <-h.broadcast:
			for c := range clients {
				select {
				case c.send <- e:
				default: // too slow: drop it rather than wait
					delete(clients, c)
					close(c.send)
				}
			}
			h.count(len(clients), 0)
		}
	}
}

// join adds a client, or returns nil once the hub has stopped.
func (h *hub) join() *client {
	c := &client{send: make(chan event, clientBuffer)}
	select {
	case h.register <- c:
		return c
	case <-h.done:
		return nil
	}
}

// leave removes c, if the hub has not dropped it already.
func (h *hub) leave(c *client) {
	select {
	case h.unregister <- c:
	case <-h.done:
	}
}

// send gives e to every client, unless ctx is done first.
func (h *hub) send(ctx context.Context, e event) {
	select {
	case h.broadcast <- e:
	case <-h.done:
	case <-ctx.Done():
	}
}

// count notes, for reconnected, that the hub has n clients after joined
// more joined.
func (h *hub) count(n, joined int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.clients = n
	h.joins += joined
	if joined > 0 && h.joined != nil {
		close(h.joined)
		h.joined = nil
	}
}

// mark returns how many clients the hub has, and how many ever joined.
func (h *hub) mark() (clients, joins int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.clients, h.joins
}

// reconnected waits until n clients have joined since the hub counted
// joins, as mark returned it, or until limit has passed or ctx is done:
// pages told to reload join again once they have loaded.
func (h *hub) reconnected(ctx context.Context, n, joins int, limit time.Duration) {
	t := time.NewTimer(limit)
	defer t.Stop()
	for {
		h.mu.Lock()
		if h.joins-joins >= n {
			h.mu.Unlock()
			return
		}
		if h.joined == nil {
			h.joined = make(chan struct{})
		}
		wake := h.joined
		h.mu.Unlock()
		select {
		case <-wake:
		case <-t.C:
			return
		case <-ctx.Done():
			return
		}
	}
}
