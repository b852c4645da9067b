package theme

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadOverlay(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "templates"), 0o755)
	os.WriteFile(filepath.Join(dir, "templates", "layout.html"), []byte("mine"), 0o644)
	os.WriteFile(filepath.Join(dir, "templates", "extra.html"), []byte("extra"), 0o644)
	builtin := fstest.MapFS{
		"layout.html": {Data: []byte("built-in")},
		"index.html":  {Data: []byte("index")},
	}
	th := Load(dir, builtin, fstest.MapFS{"site.css": {Data: []byte("css")}})
	if b, _ := fs.ReadFile(th.Templates, "layout.html"); string(b) != "mine" {
		t.Errorf("layout.html = %q; want the user's", b)
	}
	if b, _ := fs.ReadFile(th.Templates, "index.html"); string(b) != "index" {
		t.Errorf("index.html = %q; want the built-in one", b)
	}
	names, err := fs.Glob(th.Templates, "*.html")
	if err != nil || strings.Join(names, " ") != "extra.html index.html layout.html" {
		t.Errorf("Glob = %v, %v; want both layers' files once each", names, err)
	}
	if len(th.Dirs) != 1 || th.Dirs[0] != filepath.Join(dir, "templates") {
		t.Errorf("Dirs = %v; want the templates folder only", th.Dirs)
	}
	if b, _ := fs.ReadFile(th.Assets, "site.css"); string(b) != "css" {
		t.Errorf("assets without a folder of the user's = %q; want the built-in", b)
	}
}
