package anchorlock

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/promptsite/promptsite/site/content"
	"github.com/promptsite/promptsite/site/highlight"
	"github.com/promptsite/promptsite/site/internal/libgen"
	"github.com/promptsite/promptsite/site/markdown"
	"github.com/promptsite/promptsite/site/model"
)

func parse(t testing.TB, src string) *model.Site {
	t.Helper()
	d, err := markdown.New(highlight.Highlighter{}).Parse(&content.File{Name: "lib.md", Rel: "lib.md", Data: []byte(src), Line: 1})
	if err != nil {
		t.Fatal(err)
	}
	return &model.Site{Title: d.Title, Categories: d.Categories}
}

const v1 = "# L\n\n## Implementation Prompts\n\n### Retry with Backoff\n\n```\nWrite a retry decorator.\n```\n\n### Pool\n\n```\nMake a pool.\n```\n\n## Error Handling\n\n### Catch\n\n```\nCatch it.\n```\n"

// lockFor writes the lock that a first build of src gives and reads it
// back.
func lockFor(t *testing.T, src string) *Lock {
	t.Helper()
	return lockOf(t, parse(t, src))
}

// lockOf writes the lock that a first build of s gives and reads it back.
func lockOf(t testing.TB, s *model.Site) *Lock {
	t.Helper()
	path := filepath.Join(t.TempDir(), Name)
	l, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := l.Reconcile(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Changed {
		t.Error("a first build did not ask to write the lock")
	}
	if err := res.Write(path); err != nil {
		t.Fatal(err)
	}
	l, err = Read(path)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestUnchanged(t *testing.T) {
	l := lockFor(t, v1)
	res, err := l.Reconcile(parse(t, v1), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Changed || len(res.Aliases) != 0 || len(res.Notes) != 0 {
		t.Errorf("the same library again: changed %v, aliases %v, notes %v", res.Changed, res.Aliases, res.Notes)
	}
	b, _ := os.ReadFile(l.Path)
	for _, want := range []string{"/implementation-prompts/ page\n", "/implementation-prompts/#retry-with-backoff ", "/error-handling/#catch "} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the lock does not list %q:\n%s", want, b)
		}
	}
}

func TestRenamedAndMoved(t *testing.T) {
	l := lockFor(t, v1)
	v2 := "# L\n\n## Implementation Prompts\n\n### Pool\n\n```\nMake a pool.\n```\n\n## Error Handling\n\n### Catch\n\n```\nCatch it.\n```\n\n### Retry with Exponential Backoff\n\n```\nWrite a retry decorator.\n```\n"
	res, err := l.Reconcile(parse(t, v2), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := model.Alias{From: "/implementation-prompts/#retry-with-backoff", To: "/error-handling/#retry-with-exponential-backoff"}
	if len(res.Aliases) != 1 || res.Aliases[0] != want {
		t.Fatalf("aliases = %v; want [%v]", res.Aliases, want)
	}
	if !res.Changed || !strings.Contains(string(res.Bytes()), want.From+" -> "+want.To+"\n") {
		t.Errorf("the lock does not record the alias:\n%s", res.Bytes())
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "moved to") {
		t.Errorf("notes = %v", res.Notes)
	}

	// The alias stays in later builds, and follows the prompt if it moves
	// again.
	if err := res.Write(l.Path); err != nil {
		t.Fatal(err)
	}
	l, _ = Read(l.Path)
	v3 := strings.Replace(v2, "## Error Handling", "## Errors", 1)
	res, err = l.Reconcile(parse(t, v3), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, a := range res.Aliases {
		got[a.From] = a.To
	}
	if got["/implementation-prompts/#retry-with-backoff"] != "/errors/#retry-with-exponential-backoff" ||
		got["/error-handling/#catch"] != "/errors/#catch" || got["/error-handling/"] != "/errors/" {
		t.Errorf("after a second move the aliases are %v", got)
	}
}

func TestGone(t *testing.T) {
	l := lockFor(t, v1)
	v2 := strings.Replace(v1, "### Retry with Backoff\n\n```\nWrite a retry decorator.\n```\n", "### Retries\n\n```\nSomething else entirely.\n```\n", 1)
	_, err := l.Reconcile(parse(t, v2), Options{})
	if err == nil {
		t.Fatal("a prompt that went away without trace was accepted")
	}
	for _, want := range []string{
		l.Path + ":", "/implementation-prompts/#retry-with-backoff was published and is gone",
		"{#retry-with-backoff}", "-accept-removed",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	res, err := l.Reconcile(parse(t, v2), Options{AcceptRemoved: true})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(res.Bytes()), "#retry-with-backoff") {
		t.Error("-accept-removed kept the address")
	}

	// An alias written by hand in place of the address settles it.
	b, _ := os.ReadFile(l.Path)
	var lines []string
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "/implementation-prompts/#retry-with-backoff ") {
			line = "/implementation-prompts/#retry-with-backoff -> /implementation-prompts/#retries"
		}
		lines = append(lines, line)
	}
	os.WriteFile(l.Path, []byte(strings.Join(lines, "\n")), 0o644)
	l, err = Read(l.Path)
	if err != nil {
		t.Fatal(err)
	}
	res, err = l.Reconcile(parse(t, v2), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Aliases) != 1 || res.Aliases[0].To != "/implementation-prompts/#retries" {
		t.Errorf("aliases = %v; want the one written by hand", res.Aliases)
	}
}

func TestReadErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), Name)
	for _, tt := range []struct{ text, want string }{
		{"# comment\n/a/ page\nnonsense here too\n", ":3: cannot read"},
		{"/a/ page\n/a/#x 123\n/a/#x -> /b/#x\n", ":3: /a/#x is listed twice (also at line 2)"},
		{"/a/#x -> b\n", ":1: cannot read"},
	} {
		os.WriteFile(path, []byte(tt.text), 0o644)
		if _, err := Read(path); err == nil || !strings.Contains(err.Error(), path+tt.want) {
			t.Errorf("Read(%q) = %v; want %q", tt.text, err, tt.want)
		}
	}
}

// TestReadByteOrderMark reads a lock that an editor saved with a UTF-8
// byte-order mark.
func TestReadByteOrderMark(t *testing.T) {
	path := filepath.Join(t.TempDir(), Name)
	if err := os.WriteFile(path, []byte("\uFEFF/cat/ page\n/cat/#p 0123456789ab\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Read(path)
	if err != nil {
		t.Fatalf("Read = %v; want the mark ignored", err)
	}
	if len(l.entries) != 2 {
		t.Errorf("read %d entries; want 2", len(l.entries))
	}
}

// TestLockMessages checks the messages of a lock that cannot be read, or
// whose aliases lead nowhere: each names the lock and the line.
func TestLockMessages(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct{ name, lock, want string }{
		{"a line over 64 KiB", "/a/ page\n/a/#" + strings.Repeat("x", 70000) + " 0123456789ab\n", ": line 2: bufio.Scanner: token too long"},
		{"an address of a file", "/404.html/ -> /a/\n", `:1: cannot read "/404.html/ -> /a/"`},
	} {
		path := filepath.Join(dir, tt.name)
		os.WriteFile(path, []byte(tt.lock), 0o644)
		if _, err := Read(path); err == nil || !strings.Contains(err.Error(), path+tt.want) {
			t.Errorf("%s: Read = %v; want it to say %q", tt.name, err, path+tt.want)
		}
	}
	site := parse(t, v1)
	for _, tt := range []struct{ name, lock, want string }{
		{"an alias to nowhere", "/old/#x -> /nowhere/#y\n", `:1: the alias /old/#x leads to /nowhere/#y, which is not published`},
		{"aliases in a loop", "/old/#x -> /old/#y\n/old/#y -> /old/#x\n", `:1: the alias /old/#x leads to /old/#y, and the aliases from there lead back to it`},
	} {
		path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-"))
		os.WriteFile(path, []byte(tt.lock), 0o644)
		l, err := Read(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.Reconcile(site, Options{}); err == nil || !strings.Contains(err.Error(), path+tt.want) {
			t.Errorf("%s: Reconcile = %v; want it to say %q", tt.name, err, path+tt.want)
		}
	}
}

// split returns a site of one category of n prompts, split into pages of
// per as render.Paginate splits it.
func split(t *testing.T, n, per int) *model.Site {
	t.Helper()
	var b strings.Builder
	b.WriteString("# L\n\n## Big\n\n")
	for i := 1; i <= n; i++ {
		b.WriteString("### Prompt " + strconv.Itoa(i) + "\n\n```\nText " + strconv.Itoa(i) + ".\n```\n\n")
	}
	s := parse(t, b.String())
	c := s.Categories[0]
	if n > per {
		c.Pages = (n + per - 1) / per
		for i, p := range c.Prompts {
			p.Page = i/per + 1
		}
	}
	return s
}

// TestSplitCategory checks a category split into pages: the lock records
// its later pages and each prompt at /category/#anchor, whatever page
// shows it, so that prompts moving from page to page change nothing; and
// a page that goes away, as the category shrinks, leads to the
// category's first page, where the map of ids finds its prompts.
func TestSplitCategory(t *testing.T) {
	l := lockFor(t, "")
	path := l.Path
	res, err := l.Reconcile(split(t, 40, 15), Options{})
	if err != nil {
		t.Fatal(err)
	}
	lock := string(res.Bytes())
	for _, want := range []string{"\n/big/ page\n", "\n/big/page/2/ page\n", "\n/big/page/3/ page\n", "\n/big/#prompt-40 "} {
		if !strings.Contains(lock, want) {
			t.Errorf("the lock of a category of 3 pages lacks %q:\n%s", want, lock)
		}
	}
	if strings.Contains(lock, "/big/page/3/#") {
		t.Errorf("the lock records a prompt at the page that shows it:\n%s", lock)
	}
	if err := res.Write(path); err != nil {
		t.Fatal(err)
	}
	if l, err = Read(path); err != nil {
		t.Fatal(err)
	}

	// Pages of 10 move every prompt but the first ten to another page.
	if res, err := l.Reconcile(split(t, 40, 10), Options{}); err != nil || len(res.Aliases) != 0 || res.Changed {
		t.Errorf("prompts moved from page to page: %v, aliases %v, changed %v; want nothing to write", err, res.Aliases, res.Changed)
	} else if d := res.Diff(l); strings.Join(d, "\n") != "+ /big/page/4/ page" {
		t.Errorf("prompts moved from page to page: the lock, when written, changes by %q; want a line for the new page", d)
	}
	// A lock written before the category was split is not out of date.
	if res, err := lockOf(t, split(t, 40, 100)).Reconcile(split(t, 40, 15), Options{}); err != nil || res.Changed {
		t.Errorf("a lock written before its category was split: %v, changed %v; want it up to date", err, res.Changed)
	}

	// The same prompts on two pages, as pages of 20 would show them: the
	// third is gone, and its address leads to the first.
	res, err = l.Reconcile(split(t, 40, 20), Options{})
	if err != nil {
		t.Fatalf("a category of fewer pages: %v", err)
	}
	if len(res.Aliases) != 1 || res.Aliases[0] != (model.Alias{From: "/big/page/3/", To: "/big/"}) {
		t.Errorf("a category of fewer pages: aliases %v; want /big/page/3/ -> /big/", res.Aliases)
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "/big/page/3/ is gone, as its category has fewer pages") {
		t.Errorf("notes %q", res.Notes)
	}
}

// TestFingerprintIsFieldsJoined holds Fingerprint to what anchors.lock
// files record: the hash of the words of a prompt's body, as
// strings.Fields splits them, joined by one space.
func TestFingerprintIsFieldsJoined(t *testing.T) {
	long := strings.Repeat("word ", 200) + strings.Repeat("x", 300) + " end"
	for _, body := range []string{
		"", " ", "one", "  one  two\tthree\n\nfour  ", "a\u00a0b\u2003c\u0085d", "caf\xe9 \xff\xfe x",
		"日本語 の テキスト", long, strings.Repeat("y", 1000), "\n```\ncode  with   spaces\n```\n",
	} {
		p := &model.Prompt{Markdown: "### Title\n" + body}
		sum := sha256.Sum256([]byte(strings.Join(strings.Fields(body), " ")))
		if got, want := Fingerprint(p), hex.EncodeToString(sum[:6]); got != want {
			t.Errorf("Fingerprint of %.40q = %s; want %s", body, got, want)
		}
	}
}

// BenchmarkReconcile reconciles the lock of a library of 10,000 prompts
// with the same library, as every build after the first does.
//
//	go test ./site/anchorlock -run '^$' -bench Reconcile
func BenchmarkReconcile(b *testing.B) {
	s := parse(b, string(libgen.Library(10000, 1)))
	l := lockOf(b, s)
	for b.Loop() {
		if _, err := l.Reconcile(s, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestTwoFields holds twoFields to strings.Fields, which Read used to split
// a line with.
func TestTwoFields(t *testing.T) {
	for _, line := range []string{
		"/a/ 0123456789ab", "/a/\t0123456789ab", "/a/ \t  0123456789ab", "/a/\u00a00123456789ab",
		"/a/\u20030123456789ab", "/a/", "/a/ b c", "/a/ b\tc", "", "/a/ b\u00a0c", "/a/\u0085b",
	} {
		line = strings.TrimSpace(line)
		f := strings.Fields(line)
		a, b, ok := twoFields(line)
		if ok != (len(f) == 2) || ok && (a != f[0] || b != f[1]) {
			t.Errorf("twoFields(%q) = %q, %q, %v; strings.Fields gives %q", line, a, b, ok, f)
		}
	}
}

// TestPrintsReconcileAsWithout reconciles one lock with a library as it
// is edited, step by step, with the fingerprints kept from step to step
// and without: the results are the same, and the kept fingerprints are
// those of the last step's prompts only.
func TestPrintsReconcileAsWithout(t *testing.T) {
	l := lockFor(t, v1)
	prints := NewPrints()
	for _, src := range []string{
		v1,
		// A heading renamed: moved, by its text.
		strings.Replace(v1, "### Pool", "### Worker Pool", 1),
		// Its text edited too, and another prompt's text to the first
		// prompt's old text: a fingerprint kept for the old text is
		// the new one's to take.
		strings.Replace(strings.Replace(v1, "### Pool\n\n```\nMake a pool.", "### Worker Pool\n\n```\nMake a worker pool.", 1),
			"Catch it.", "Write a retry decorator.", 1),
		v1,
	} {
		s := parse(t, src)
		kept, err := l.Reconcile(s, Options{AcceptRemoved: true, Prints: prints})
		if err != nil {
			t.Fatal(err)
		}
		fresh, err := l.Reconcile(s, Options{AcceptRemoved: true})
		if err != nil {
			t.Fatal(err)
		}
		if a, b := string(kept.Bytes()), string(fresh.Bytes()); a != b {
			t.Errorf("with kept fingerprints, the lock is\n%s\nwithout\n%s", a, b)
		}
		if a, b := strings.Join(kept.Notes, "\n"), strings.Join(fresh.Notes, "\n"); a != b {
			t.Errorf("with kept fingerprints, the notes are\n%s\nwithout\n%s", a, b)
		}
		n := 0
		for _, c := range s.Categories {
			for _, p := range c.Prompts {
				n++
				if got, want := prints.m[p.Markdown], Fingerprint(p); got != want {
					t.Errorf("%s: kept fingerprint %q; want %q", p.Title, got, want)
				}
			}
		}
		if len(prints.m) != n {
			t.Errorf("%d fingerprints kept; want the %d of the prompts", len(prints.m), n)
		}
	}
}

// TestReadAgain checks that ReadAgain returns the lock it is given while
// its file is unchanged, and reads the file anew once it changed, moved
// or went away.
func TestReadAgain(t *testing.T) {
	l := lockFor(t, v1)
	same, err := ReadAgain(l.Path, l)
	if err != nil || same != l {
		t.Fatalf("ReadAgain of an unchanged file = %p, %v; want the lock given, %p", same, err, l)
	}
	data, err := os.ReadFile(l.Path)
	if err != nil {
		t.Fatal(err)
	}
	// The same bytes elsewhere: another file, read anew.
	other := filepath.Join(t.TempDir(), Name)
	if err := os.WriteFile(other, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadAgain(other, l); err != nil || got == l || got.Path != other || len(got.entries) != len(l.entries) {
		t.Errorf("ReadAgain of another file with the same bytes = %+v, %v; want it read", got, err)
	}
	// An alias added: read anew, with it.
	edited := string(data) + "/old/#gone -> /implementation-prompts/#pool\n"
	if err := os.WriteFile(l.Path, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadAgain(l.Path, l)
	if err != nil || got == l || got.entries["/old/#gone"].alias != "/implementation-prompts/#pool" {
		t.Errorf("ReadAgain of an edited file = %+v, %v; want it read, with its new alias", got, err)
	}
	// Gone: an empty lock.
	os.Remove(l.Path)
	if got, err := ReadAgain(l.Path, l); err != nil || got == l || len(got.entries) != 0 {
		t.Errorf("ReadAgain of a removed file = %+v, %v; want an empty lock", got, err)
	}
}
