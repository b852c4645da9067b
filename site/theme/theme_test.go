package theme

import (
	"fmt"
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
	// Both folders are watched, the one not made yet too.
	if len(th.Dirs) != 2 || th.Dirs[0] != filepath.Join(dir, "templates") || th.Dirs[1] != filepath.Join(dir, "assets") {
		t.Errorf("Dirs = %v; want the templates and assets folders", th.Dirs)
	}
	if b, _ := fs.ReadFile(th.Assets, "site.css"); string(b) != "css" {
		t.Errorf("assets without a folder of the user's = %q; want the built-in", b)
	}
}

func TestLoadBuiltinOnly(t *testing.T) {
	builtin := fstest.MapFS{"layout.html": {Data: []byte("built-in")}}
	th := Load("", builtin, builtin)
	if b, _ := fs.ReadFile(th.Templates, "layout.html"); string(b) != "built-in" || len(th.Dirs) != 0 {
		t.Errorf("Load(\"\") = %q, watching %v; want the built-in theme and nothing to watch", b, th.Dirs)
	}
}

func TestFilesAndExport(t *testing.T) {
	builtinT := fstest.MapFS{"layout.html": {Data: []byte("<html>")}, "index.html": {Data: []byte("index")}}
	builtinA := fstest.MapFS{"site.css": {Data: []byte("body{}")}}
	dir := t.TempDir()
	wrote, err := Export(dir, builtinT, builtinA)
	if err != nil || len(wrote) != 3 {
		t.Fatalf("Export = %v, %v; want 3 files", wrote, err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "templates", "layout.html")); err != nil || string(b) != "<html>" {
		t.Errorf("exported layout.html = %q, %v", b, err)
	}
	// A second export would overwrite: it writes nothing and names them.
	os.WriteFile(filepath.Join(dir, "templates", "layout.html"), []byte("mine"), 0o644)
	if _, err := Export(dir, builtinT, builtinA); err == nil || !strings.Contains(err.Error(), filepath.Join("templates", "layout.html")) {
		t.Errorf("second Export = %v; want an error naming the files there", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "templates", "layout.html")); string(b) != "mine" {
		t.Errorf("the second export changed a file: %q", b)
	}
	os.WriteFile(filepath.Join(dir, "assets", "extra.js"), []byte("x"), 0o644)
	files, err := Files(dir, builtinT, builtinA)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, fmt.Sprintf("%s %v", f.Name, f.Replaces))
	}
	want := "templates/index.html true, templates/layout.html true, assets/extra.js false, assets/site.css true"
	if strings.Join(got, ", ") != want {
		t.Errorf("Files = %s; want %s", strings.Join(got, ", "), want)
	}
}
