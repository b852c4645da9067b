package search_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/promptsite/promptsite/site/model"
	"github.com/promptsite/promptsite/site/output"
	"github.com/promptsite/promptsite/site/search"
)

// needTool returns the path of a tool the test needs, or skips the test
// when the tool is missing, unless PROMPTSITE_E2E=1 asks for a failure.
func needTool(t testing.TB, name string, paths ...string) string {
	t.Helper()
	for _, p := range append(paths, name) {
		if found, err := exec.LookPath(p); err == nil {
			return found
		}
	}
	if os.Getenv("PROMPTSITE_E2E") == "1" {
		t.Fatalf("%s is not installed, and PROMPTSITE_E2E=1", name)
	}
	t.Skipf("%s is not installed: skipping (set PROMPTSITE_E2E=1 to make this a failure)", name)
	return ""
}

// jsHit is one line of testdata/engine.js's output.
type jsHit struct {
	Q    string `json:"q"`
	Hits []struct {
		N     int     `json:"n"`
		Score float64 `json:"score"`
	} `json:"hits"`
	Total int     `json:"total"`
	Raw   int     `json:"raw"`
	Gz    int     `json:"gz"`
	Ms    float64 `json:"ms"`   // the first query, fetching included
	Warm  float64 `json:"warm"` // the same query again
}

// runEngine runs assets/search.js in node over the static index of s and
// returns its answers to queries, each from a fresh visit.
func runEngine(t testing.TB, s *model.Site, queries []string) (map[string]jsHit, []string) {
	t.Helper()
	node := needTool(t, "node")
	tr, err := search.Build(s)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeTree(t, tr, dir)
	in, _ := json.Marshal(queries)
	cmd := exec.Command(node, "testdata/engine.js", "../../assets/search.js", filepath.Join(dir, search.Dir)+"/")
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.Bytes())
	}
	got := map[string]jsHit{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var h jsHit
		if err := json.Unmarshal(sc.Bytes(), &h); err != nil {
			t.Fatal(err)
		}
		got[h.Q] = h
	}
	// The URL of each document number, from the files of records.
	var m struct {
		Dir    string
		Per    int
		RH, RG json.RawMessage // in a large index: the folders of records, by groups
	}
	b, _ := tr.Get(search.Dir + "/index.json")
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var sums string
	var group int
	if m.Dir == "" && (json.Unmarshal(m.RH, &sums) != nil || json.Unmarshal(m.RG, &group) != nil || group < 1) {
		t.Fatalf("the manifest names neither a folder nor folders of records: %s", b)
	}
	var urls []string
	for f := 0; ; f++ {
		dir := m.Dir
		if dir == "" {
			if g := f / group; (g+1)*6 <= len(sums) {
				dir = sums[g*6 : (g+1)*6]
			}
		}
		b, ok := tr.Get(search.Dir + "/" + dir + "/r" + strconv.Itoa(f) + ".json")
		if !ok {
			break
		}
		var recs [][4]string // title, category, address, text
		if err := json.Unmarshal(b, &recs); err != nil {
			t.Fatal(err)
		}
		if len(urls) != f*m.Per || len(recs) == 0 || len(recs) > m.Per {
			t.Fatalf("file of records %d holds %d records after %d; want %d a file", f, len(recs), len(urls), m.Per)
		}
		for _, r := range recs {
			urls = append(urls, r[2])
		}
	}
	return got, urls
}

// sameRanking checks that node's answer ranks as bleve's: the same
// documents in the same order with the same scores, where documents with
// equal scores may come in either order.
func sameRanking(t *testing.T, ix *search.Index, q string, js jsHit, urls []string) {
	t.Helper()
	want, err := ix.Query(q, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(js.Hits) != len(want) {
		t.Errorf("%q: search.js found %d results, bleve %d", q, len(js.Hits), len(want))
		return
	}
	close := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b)) }
	for i, w := range want {
		g := js.Hits[i]
		if !close(g.Score, w.Score) {
			t.Errorf("%q: result %d: search.js score %v, bleve %v", q, i+1, g.Score, w.Score)
		}
		if urls[g.N] != w.URL && !(i+1 < len(want) && close(want[i+1].Score, w.Score)) && !(i > 0 && close(want[i-1].Score, w.Score)) {
			t.Errorf("%q: result %d: search.js %s, bleve %s", q, i+1, urls[g.N], w.URL)
		}
	}
}

func TestOneTruthSeed(t *testing.T) {
	s := seedSite(t)
	ix, err := search.New(s)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var qs []string
	for _, c := range seedQueries {
		qs = append(qs, c.q)
	}
	// Prefixes of each query, as a person types them.
	for _, c := range seedQueries {
		for i := 1; i < len(c.q); i++ {
			qs = append(qs, c.q[:i])
		}
	}
	// Queries longer than the words read: both read the same first ones.
	long := strings.Repeat("retry backoff async task ", 20)
	qs = append(qs, long, long+"timeo")
	// With pages of the usual size, and with pages of a few keys each,
	// which the beginning of a word spans many of.
	for _, page := range []int{0, 64} {
		if page > 0 {
			defer search.SetPageTarget(page)()
		}
		got, urls := runEngine(t, s, qs)
		for _, q := range qs {
			if _, ok := got[q]; !ok {
				t.Fatalf("search.js did not answer %q", q)
			}
		}
		t.Logf("pages of %d bytes (0: the usual size): %d queries, e.g. %q: %+v", page, len(qs), qs[1], got[qs[1]])
		for _, c := range seedQueries {
			h := got[c.q]
			switch {
			case c.want == "" && len(h.Hits) > 0:
				t.Errorf("%q: search.js found %s, want nothing", c.q, urls[h.Hits[0].N])
			case c.want != "" && (len(h.Hits) == 0 || urls[h.Hits[0].N] != c.want):
				t.Errorf("%q: search.js ranks first %v, want %s", c.q, h.Hits, c.want)
			}
		}
		for _, q := range qs {
			sameRanking(t, ix, q, got[q], urls)
		}
	}
}

// bigQueries are queries on the generated library: common, rare and made-up
// words, prefixes, typos and pairs.
var bigQueries = []string{
	"retry", "rate limit", "mock httpx", "backo", "retyr", "pagnated", "async",
	"code review", "taskgroup cancellation", "kovibana", "kovi", "kovibnaa",
	"test", "te", "exception handling", "sync to async", "timeout", "zzzz",
}

func TestOneTruth10k(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 10,000-prompt library")
	}
	s := bigSite(t)
	ix, err := search.New(s)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	got, urls := runEngine(t, s, bigQueries)
	code := searchCode(t)
	for _, q := range bigQueries {
		h := got[q]
		t.Logf("%-24q %5d results; first query: %6d B (%5d B gzip) of index and records, %5.1f ms; again: %4.1f ms", q, h.Total, h.Raw, h.Gz, h.Ms, h.Warm)
		if h.Gz+code >= 80<<10 {
			t.Errorf("%q: the first query downloads %d B gzip of index and records, and %d B of search code; want under 80 KiB in all", q, h.Gz, code)
		}
		sameRanking(t, ix, q, h, urls)
	}
}

// TestLargeIndexKeepsNames edits one prompt of a library large enough that
// its index names each file after itself, and indexes it again: the files
// the edit does not change keep their names, so a rebuild rewrites few of
// them and a browser keeps those it has; and a name, kept or new, always
// stands for the same bytes.
func TestLargeIndexKeepsNames(t *testing.T) {
	before, err := search.Build(genSite(seedSite(t), 20, 50))
	if err != nil {
		t.Fatal(err)
	}
	s := genSite(seedSite(t), 20, 50)
	p := s.Categories[7].Prompts[13]
	p.Text += " and one more line about retries"
	after, err := search.Build(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range []*output.Tree{before, after} {
		b, _ := tr.Get(search.Dir + "/index.json")
		var m struct{ Dir, PH, RH string }
		if err := json.Unmarshal(b, &m); err != nil || m.Dir != "" || m.PH == "" || m.RH == "" {
			t.Fatalf("the manifest of %d files names no file after itself (%v): %.300s", tr.Len(), err, b)
		}
	}
	kept, changed := 0, 0
	for _, n := range after.Names() {
		if n == search.Dir+"/index.json" {
			continue
		}
		b, _ := after.Get(n)
		old, ok := before.Get(n)
		switch {
		case !ok:
			changed++
		case !bytes.Equal(old, b):
			t.Errorf("%s has other bytes after the edit under the same name", n)
		default:
			kept++
		}
	}
	t.Logf("an edit to one prompt of %d: %d files of the index kept, %d new", 1000, kept, changed)
	if changed == 0 || changed > (kept+changed)/5 {
		t.Errorf("an edit to one prompt made %d new files of %d; want some, and few", changed, kept+changed)
	}
}
