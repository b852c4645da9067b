package devserver

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/promptsite/promptsite"
	"github.com/promptsite/promptsite/site"
	"github.com/promptsite/promptsite/site/anchorlock"
	"github.com/promptsite/promptsite/site/content"
	"github.com/promptsite/promptsite/site/output"
)

// realSite copies the embedded library to a folder and returns it, with a
// BuildEarly that builds it the way promptsite serve does.
func realSite(t *testing.T) (dir string, build func(ctx context.Context, ready func(*output.Tree)) (*output.Tree, error)) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "content")
	if err := os.CopyFS(dir, promptsite.Content()); err != nil {
		t.Fatal(err)
	}
	return dir, builder(dir)
}

// builder returns a BuildEarly that reads the markdown in dir and builds
// the site with the built-in theme, the way promptsite serve does: its
// pages first, links that lead nowhere as warnings.
func builder(dir string) func(ctx context.Context, ready func(*output.Tree)) (*output.Tree, error) {
	cache := site.NewCache() // as promptsite serve keeps one
	var lock *anchorlock.Lock
	return func(ctx context.Context, ready func(*output.Tree)) (*output.Tree, error) {
		lib, err := content.Load(filepath.Dir(dir), []string{filepath.Base(dir)}, content.Options{})
		if err != nil {
			return nil, err
		}
		// As serve, the record of addresses in the content folder is
		// read, not written.
		if lock, err = anchorlock.ReadAgain(filepath.Join(dir, "anchors.lock"), lock); err != nil {
			return nil, err
		}
		res, err := site.BuildContext(ctx, site.Config{Files: lib.Files, Templates: promptsite.Templates(), Assets: promptsite.Assets(), Cache: cache,
			LinkWarnings: true, OnPages: ready, Lock: lock, AcceptRemoved: true})
		if err != nil {
			return nil, err
		}
		var warn Warnings
		for _, w := range res.Site.Warnings {
			warn = append(warn, w.Error())
		}
		if len(warn) > 0 {
			return res.Tree, warn
		}
		return res.Tree, nil
	}
}

func TestRealSite(t *testing.T) {
	dir, build := realSite(t)
	// Links out of the content folder: to a file beside it, and back up
	// to the folder that holds it, which loops.
	secret := filepath.Join(filepath.Dir(dir), "secret.txt")
	if err := os.WriteFile(secret, []byte("TOP-SECRET"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Symlink(secret, filepath.Join(dir, "secret.txt"))
	os.Symlink(filepath.Dir(dir), filepath.Join(dir, "up"))

	var built *output.Tree
	log := &syncBuffer{}
	r := start(t, &Server{
		BuildEarly: func(ctx context.Context, ready func(*output.Tree)) (*output.Tree, error) {
			tree, err := build(ctx, ready)
			if err == nil {
				built = tree
			}
			return tree, err
		},
		Watch: []string{dir},
		Log:   log,
	})

	resp, home := get(t, r.base+"/")
	if resp.StatusCode != 200 {
		t.Fatalf("GET /: status %d", resp.StatusCode)
	}
	checkHeaders(t, "GET /", resp.Header)
	first := buildOf(t, home)

	// Everything the home page links to from its head is served, with
	// its type, and without the live-reload script.
	for _, m := range regexp.MustCompile(`(?:href|src)="(/assets/[^"]+)"`).FindAllStringSubmatch(home, -1) {
		resp, body := get(t, r.base+m[1])
		want := map[string]string{".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}[filepath.Ext(m[1])]
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != want {
			t.Errorf("GET %s: %d %q; want 200 %q", m[1], resp.StatusCode, resp.Header.Get("Content-Type"), want)
		}
		if strings.Contains(body, "data-build") {
			t.Errorf("GET %s: has the live-reload script", m[1])
		}
	}

	// Category pages, with and without the slash.
	if resp, body := get(t, r.base+"/conversion-prompts/"); resp.StatusCode != 200 || !strings.Contains(body, "Conversion Prompts") {
		t.Errorf("GET /conversion-prompts/: status %d", resp.StatusCode)
	}
	if resp, _ := get(t, r.base+"/conversion-prompts"); resp.StatusCode != 301 || resp.Header.Get("Location") != "/conversion-prompts/" {
		t.Errorf("GET /conversion-prompts: %d to %q; want 301 to /conversion-prompts/", resp.StatusCode, resp.Header.Get("Location"))
	}

	// Unknown paths and paths out of the site get the site's 404 page.
	want404, _ := built.Get("404.html")
	for _, p := range []string{"/no-such-page/", "/secret.txt", "/up/secret.txt", "/up/content/python-async-prompts.md", "/python-async-prompts.md"} {
		resp, body := get(t, r.base+p)
		if resp.StatusCode != 404 || buildAttr.ReplaceAllString(body, "<head>") != string(want404) {
			t.Errorf("GET %s: status %d; want 404 with the site's 404 page", p, resp.StatusCode)
		}
		if strings.Contains(body, "TOP-SECRET") {
			t.Errorf("GET %s: served a file from outside the site", p)
		}
	}

	// The built tree, which promptsite build would write, has no
	// live-reload script.
	for _, name := range built.Names() {
		if b, _ := built.Get(name); strings.Contains(string(b), "livereload") || strings.Contains(string(b), "_promptsite") {
			t.Errorf("the built site's %s mentions the live-reload script", name)
		}
	}

	// An edit to the library shows.
	ev := subscribe(t, r)
	ev.next(t)
	md := filepath.Join(dir, "python-async-prompts.md")
	src, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(src), "## Conversion Prompts", "## Conversion Prompts Edited", 1)
	if err := os.WriteFile(md, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if e := ev.next(t); e.name != "reload" || e.data == first {
		t.Fatalf("after an edit: event %+v; want a reload", e)
	}
	if resp, body := get(t, r.base+"/conversion-prompts-edited/"); resp.StatusCode != 200 || !strings.Contains(body, "Conversion Prompts Edited") {
		t.Errorf("after an edit, GET /conversion-prompts-edited/: status %d", resp.StatusCode)
	}

	// A mistake: the error, naming the file, is logged and sent, and the
	// last good site is served.
	if err := os.WriteFile(md, []byte("# Title\n\n## A\n\n### B\n\n```\nnever closed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e := ev.next(t)
	if e.name != "failed" || !strings.Contains(e.data, "python-async-prompts.md") {
		t.Fatalf("after breaking the library: event %+v; want an error naming the file", e)
	}
	eventually(t, "the log names the file", func() bool {
		return strings.Contains(log.String(), "rebuild failed: ") && strings.Contains(log.String(), "python-async-prompts.md")
	})
	if resp, _ := get(t, r.base+"/conversion-prompts-edited/"); resp.StatusCode != 200 {
		t.Errorf("while broken, GET /conversion-prompts-edited/: status %d; want the last good site", resp.StatusCode)
	}
}

// TestRealSiteTemplatesAndAssets checks that folders of templates and
// assets are watched like content.
func TestRealSiteTemplatesAndAssets(t *testing.T) {
	dir, _ := realSite(t)
	root := filepath.Dir(dir)
	for _, sub := range []string{"templates", "assets"} {
		fsys := map[string]fs.FS{"templates": promptsite.Templates(), "assets": promptsite.Assets()}[sub]
		if err := os.CopyFS(filepath.Join(root, sub), fsys); err != nil {
			t.Fatal(err)
		}
	}
	build := func() (*output.Tree, error) {
		lib, err := content.Load(filepath.Dir(dir), []string{"content"}, content.Options{})
		if err != nil {
			return nil, err
		}
		res, err := site.Build(site.Config{
			Files:     lib.Files,
			Templates: os.DirFS(filepath.Join(root, "templates")),
			Assets:    os.DirFS(filepath.Join(root, "assets")),
		})
		if err != nil {
			return nil, err
		}
		return res.Tree, nil
	}
	r := start(t, &Server{Build: build, Watch: []string{dir, filepath.Join(root, "templates"), filepath.Join(root, "assets")}})
	ev := subscribe(t, r)
	ev.next(t)

	appendTo := func(name, text string) {
		f, err := os.OpenFile(filepath.Join(root, name), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.WriteString(text); err != nil {
			t.Fatal(err)
		}
	}

	appendTo("templates/404.html", "\n{{define \"extra\"}}{{end}}")
	if e := ev.next(t); e.name != "reload" {
		t.Errorf("after a template edit: event %+v; want a reload", e)
	}
	appendTo("assets/site.css", "\n.from-the-test { color: red }\n")
	if e := ev.next(t); e.name != "reload" {
		t.Errorf("after an asset edit: event %+v; want a reload", e)
	}
	_, home := get(t, r.base+"/")
	css := regexp.MustCompile(`href="(/assets/site\.[0-9a-f]+\.css)"`).FindStringSubmatch(home)
	if css == nil {
		t.Fatalf("no stylesheet on the home page:\n%s", home)
	}
	if _, body := get(t, r.base+css[1]); !strings.Contains(body, ".from-the-test") {
		t.Errorf("GET %s: the asset edit is not in it", css[1])
	}
}

// raceEnabled is set when the tests run with -race.
var raceEnabled bool

// largeLibrary writes a library of 10,000 prompts in 100 files, with the
// anchors.lock of its addresses, and returns its folder, the path of a
// category page, and a function that edits the title of one of its
// prompts to hold edited.
func largeLibrary(t *testing.T) (dir, page string, edit func(), edited string) {
	t.Helper()
	const categories, perCategory = 100, 100
	dir = filepath.Join(t.TempDir(), "content")
	os.MkdirAll(dir, 0o755)
	words := strings.Fields("async await task group gather timeout cancel retry queue stream lock event loop worker pool client session fixture mock")
	word := func(i int) string { return words[i%len(words)] }
	for c := range categories {
		var b strings.Builder
		if c == 0 {
			b.WriteString("# A large library\n\nMany prompts.\n\n")
		}
		fmt.Fprintf(&b, "## Category %d %s\n\nPrompts about %s and %s.\n\n", c, word(c), word(c+1), word(c+2))
		for p := range perCategory {
			fmt.Fprintf(&b, "### Prompt %d %d %s %s\n\nUse this to %s the %s.\n\n```\nWrite a %s that can %s a %s,\nwith tests for %s and %s.\n```\n\n",
				c, p, word(p), word(c*p), word(p+3), word(p+5), word(p+7), word(c+p), word(p*3), word(p+11), word(c+13))
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("c%03d.md", c)), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The addresses published, in anchors.lock, as a team's library has
	// them: the edit, a heading renamed, keeps its old one as an alias.
	lock, err := anchorlock.Read(filepath.Join(dir, "anchors.lock"))
	if err != nil {
		t.Fatal(err)
	}
	lib, err := content.Load(filepath.Dir(dir), []string{filepath.Base(dir)}, content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := site.Build(site.Config{Files: lib.Files, Templates: promptsite.Templates(), Assets: promptsite.Assets(), Lock: lock, NoCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Anchors.Write(filepath.Join(dir, "anchors.lock")); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, "c042.md")
	edit = func() {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(strings.Replace(string(src), "### Prompt 42 7 ", "### Prompt 42 7 edited ", 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, fmt.Sprintf("/category-42-%s/", word(42)), edit, "Prompt 42 7 edited"
}

// TestEditServedAtScale edits a library of 10,000 prompts while it is
// served, and times how long the edit takes to be served: the open page is
// told to reload, and the page it then loads has the edit.
func TestEditServedAtScale(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("builds a library of 10,000 prompts, which is slow with -race")
	}
	dir, page, edit, edited := largeLibrary(t)
	log := &syncBuffer{}
	t0 := time.Now()
	r := start(t, &Server{BuildEarly: builder(dir), Watch: []string{dir}, Log: log})
	ev := subscribe(t, r)
	ev.within(t, time.Minute)
	t.Logf("first build and serve: %s", time.Since(t0).Round(time.Millisecond))

	t0 = time.Now()
	edit()
	if e := ev.within(t, time.Minute); e.name != "reload" {
		t.Fatalf("event %+v; want a reload", e)
	}
	_, body := get(t, r.base+page)
	took := time.Since(t0)
	if !strings.Contains(body, edited) {
		t.Fatalf("the edit is not on the page")
	}
	// The heading's old address, in anchors.lock, still lands on it.
	if old := `<span class="alias" id="prompt-42-7-`; !strings.Contains(body, old) {
		t.Errorf("the page has no %s…> for the renamed heading's old address", old)
	}
	// The time is a figure to read, not a pass mark: a test on a shared
	// machine cannot hold a clock to account.
	t.Logf("edit to 10,000 prompts served after %s (%s)", took.Round(time.Millisecond), strings.TrimSpace(log.String()))
}
