package minify

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestScriptsStillRun checks that each of the theme's scripts, minified, is
// smaller and still a script that node can load, and that a broken one
// gives an error naming its file.
func TestScriptsStillRun(t *testing.T) {
	names, err := filepath.Glob("../../assets/*.js")
	if err != nil || len(names) == 0 {
		t.Fatalf("no scripts (%v)", err)
	}
	node, _ := exec.LookPath("node")
	for _, name := range names {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		out, err := JS(name, src)
		if err != nil {
			t.Fatal(err)
		}
		if len(out) >= len(src) {
			t.Errorf("%s: %d bytes minified, %d before", name, len(out), len(src))
		}
		if node == "" {
			continue
		}
		f := filepath.Join(t.TempDir(), filepath.Base(name))
		if err := os.WriteFile(f, out, 0o644); err != nil {
			t.Fatal(err)
		}
		if b, err := exec.Command(node, "--check", f).CombinedOutput(); err != nil {
			t.Errorf("%s minified does not parse: %v\n%s", name, err, b)
		}
	}
	if _, err := JS("broken.js", []byte("function (")); err == nil || !strings.HasPrefix(err.Error(), "broken.js: ") {
		t.Errorf("a broken script gave %v; want an error naming broken.js", err)
	}
}

func TestStyleSheets(t *testing.T) {
	names, _ := filepath.Glob("../../assets/*.css")
	for _, name := range names {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		out, err := CSS(name, src)
		if err != nil {
			t.Fatal(err)
		}
		if len(out) >= len(src) || !strings.Contains(string(out), "{") {
			t.Errorf("%s: %d bytes minified, %d before: %.80q", name, len(out), len(src), out)
		}
	}
}

// TestCache checks that a file met again gives the same bytes from the
// cache, and that another file of the same bytes but another type does not
// take them.
func TestCache(t *testing.T) {
	src := []byte("a { color : red ; }\n")
	first, err := CSS("a.css", src)
	if err != nil {
		t.Fatal(err)
	}
	again, err := CSS("b.css", src)
	if err != nil || string(again) != string(first) || &again[0] != &first[0] {
		t.Errorf("again: %q, %v; want the cached %q", again, err, first)
	}
	if _, err := JS("a.js", src); err == nil {
		t.Error("CSS read as a script gave no error; the cache mixed types")
	}
}
