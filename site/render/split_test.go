package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/promptsite/promptsite/site/model"
)

// TestPageLinks checks which pages a page of a split category links to
// by number: the first, the last and two on each side of its own, a gap
// of one page shown as its number and a longer one as "…".
func TestPageLinks(t *testing.T) {
	tests := []struct {
		pages, n int
		want     string
	}{
		{2, 1, "[1] 2"},
		{2, 2, "1 [2]"},
		{7, 4, "1 2 3 [4] 5 6 7"},
		{9, 5, "1 2 3 4 [5] 6 7 8 9"},
		{10, 1, "[1] 2 3 … 10"},
		{10, 4, "1 2 3 [4] 5 6 … 10"},
		{10, 5, "1 2 3 4 [5] 6 7 … 10"},
		{334, 167, "1 … 165 166 [167] 168 169 … 334"},
		{334, 334, "1 … 332 333 [334]"},
	}
	for _, tt := range tests {
		c := &model.Category{Slug: "big", Pages: tt.pages}
		sp := newPaging(c, tt.n, Options{Base: "/repo/"})
		var got []string
		for _, l := range sp.Links {
			switch {
			case l.Gap:
				got = append(got, "…")
			case l.Current:
				got = append(got, "["+l.Text()+"]")
			default:
				got = append(got, l.Text())
			}
			if !l.Gap && l.Href != "/repo/"+strings.TrimPrefix(c.PageURL(l.Number), "/") {
				t.Errorf("page %d of %d: the link to %d is %s", tt.n, tt.pages, l.Number, l.Href)
			}
		}
		if s := strings.Join(got, " "); s != tt.want {
			t.Errorf("page %d of %d links to %s; want %s", tt.n, tt.pages, s, tt.want)
		}
		wantPrev, wantNext := "", ""
		if tt.n > 1 {
			wantPrev = "/repo/big/"
			if tt.n > 2 {
				wantPrev = fmt.Sprintf("/repo/big/page/%d/", tt.n-1)
			}
		}
		if tt.n < tt.pages {
			wantNext = fmt.Sprintf("/repo/big/page/%d/", tt.n+1)
		}
		if sp.Prev != wantPrev || sp.Next != wantNext {
			t.Errorf("page %d of %d: previous %q, next %q; want %q, %q", tt.n, tt.pages, sp.Prev, sp.Next, wantPrev, wantNext)
		}
	}
}

// TestPaginate checks where the threshold lies, for prompts shown on the
// page and for prompt files listed there, and that a category that
// shrinks below it is whole again.
func TestPaginate(t *testing.T) {
	cat := func(n int, own bool) *model.Category {
		c := &model.Category{Slug: "c"}
		for i := range n {
			c.Prompts = append(c.Prompts, &model.Prompt{Anchor: fmt.Sprint("p", i), Own: own, Category: c})
		}
		return c
	}
	for _, tt := range []struct {
		n     int
		own   bool
		pages int
	}{
		{sectionsPerPage, false, 0},
		{sectionsPerPage + 1, false, 2},
		{5000, false, (5000 + sectionsPerPage - 1) / sectionsPerPage},
		{sectionsPerPage + 1, true, 0},
		{cardsPerPage, true, 0},
		{cardsPerPage + 1, true, 2},
	} {
		c := cat(tt.n, tt.own)
		s := &model.Site{Categories: []*model.Category{c}}
		Paginate(s)
		if c.Pages != tt.pages {
			t.Errorf("%d prompts (own pages: %v) make %d pages; want %d", tt.n, tt.own, c.Pages, tt.pages)
		}
		last := c.Prompts[len(c.Prompts)-1]
		if tt.pages > 0 && last.Page != tt.pages || tt.pages == 0 && last.Page != 0 {
			t.Errorf("%d prompts: the last is on page %d of %d", tt.n, last.Page, tt.pages)
		}
		if !tt.own && tt.pages > 0 && last.URL(c) != fmt.Sprintf("/c/page/%d/#%s", tt.pages, last.Anchor) {
			t.Errorf("%d prompts: the last is at %s; want its page's address", tt.n, last.URL(c))
		}
		if last.Address(c) != c.URL()+"#"+last.Anchor && !tt.own {
			t.Errorf("%d prompts: the last's lasting address is %s", tt.n, last.Address(c))
		}
		c.Prompts = c.Prompts[:1]
		Paginate(s)
		if c.Pages != 0 || c.Prompts[0].Page != 0 || c.Prompts[0].URL(c) != c.Prompts[0].Address(c) {
			t.Errorf("a category of one prompt after %d: %d pages, its prompt on page %d at %s", tt.n, c.Pages, c.Prompts[0].Page, c.Prompts[0].URL(c))
		}
	}
}

// TestEncodeIDs holds encodeIDs to encoding/json's writing of the same map,
// with ids and addresses that need escaping and ones that do not.
func TestEncodeIDs(t *testing.T) {
	ids := []idEntry{
		{"zeta", "/z/#zeta"}, {"alpha", "/a/#alpha"}, {"über-größe", "/ü/#über-größe"},
		{"a<b>&c", "/x/?q=\"1\"&r=<2>"}, {"line\u2028sep", "/l/#line\u2028sep"}, {"tab\there", "/t/#tab\\here"},
		{"", "/"}, {"中文", "/zh/#中文"}, {"ctl\x01", "/c/\x7f"}, {"bad\xff", "/b/"},
		{"amp", "/a&b"}, {"lt", "/a<b"}, {"gt", "/a>b"}, {"quote", `/a"b`}, {"slash", `/a\b`}, {"nl", "/a\nb"},
	}
	m := map[string]string{}
	for _, e := range ids {
		m[e.id] = e.to
	}
	want, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if got := encodeIDs(ids); !bytes.Equal(got, want) {
		t.Errorf("encodeIDs = %s\nencoding/json: %s", got, want)
	}
	if got := string(encodeIDs(nil)); got != "{}" {
		t.Errorf("encodeIDs(nil) = %s; want {}", got)
	}
}
