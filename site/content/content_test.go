package content

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"lib/b.md":         "# B",
		"lib/a.md":         "# A",
		"lib/sub/c.MD":     "# C",
		"lib/notes.txt":    "not markdown",
		"lib/.hidden/d.md": "# hidden",
		"lib/_drafts/e.md": "# draft",
		"single.md":        "# single",
	} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A link back to the folder itself must not trap the walk.
	if err := os.Symlink(filepath.Join(dir, "lib"), filepath.Join(dir, "lib", "sub", "loop")); err != nil {
		t.Fatal(err)
	}
	lib, err := Load(dir, []string{"single.md", "lib", "lib/a.md"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	files := lib.Files
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	want := []string{"single.md", filepath.Join("lib", "a.md"), filepath.Join("lib", "b.md"), filepath.Join("lib", "sub", "c.MD")}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("Load = %v; want %v", names, want)
	}
	if string(files[1].Data) != "# A" {
		t.Errorf("lib/a.md read as %q", files[1].Data)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "empty"), 0o755)
	for _, tt := range []struct{ path, want string }{
		{"missing.md", "missing.md: no such file or folder; give the path of a .md file or of a folder of them"},
		{"empty", "empty: the folder has no .md file"},
	} {
		if _, err := Load(dir, []string{tt.path}, Options{}); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Load(%s) = %v; want %q", tt.path, err, tt.want)
		}
	}
}

// TestByteOrderMark reads files an editor saved with a UTF-8 byte-order
// mark: before a title, and before front matter.
func TestByteOrderMark(t *testing.T) {
	f, err := Read("a.md", []byte("\uFEFF# Title\n"))
	if err != nil || string(f.Data) != "# Title\n" {
		t.Errorf("Read = %q, %v; want the mark dropped", f.Data, err)
	}
	f, err = Read("b.md", []byte("\uFEFF---\ntitle: T\n---\nbody\n"))
	if err != nil || f.Meta == nil || f.Meta.Title != "T" || string(f.Data) != "body\n" || f.Line != 4 {
		t.Errorf("Read = %+v, %v; want the front matter read and the body from line 4", f, err)
	}
}

// TestSystemFolder checks that a folder with a system.md, beside a user.md
// or a README.md, is read as one prompt: system.md, alone.
func TestSystemFolder(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"patterns/a/system.md": "# IDENTITY\n",
		"patterns/a/user.md":   "CONTENT:\n",
		"patterns/a/README.md": "# About a\n",
		"patterns/b/system.md": "# IDENTITY\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(data), 0o644)
	}
	lib, err := Load(dir, []string{"."}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range lib.Files {
		got = append(got, fmt.Sprintf("%s alone=%v", f.Rel, f.Alone))
	}
	if want := "patterns/a/system.md alone=true patterns/b/system.md alone=true"; strings.Join(got, " ") != want {
		t.Errorf("files %v; want %s", got, want)
	}
	if len(lib.Skipped) != 2 || !strings.Contains(lib.Skipped[0].Why, "its folder is one prompt, whose text is system.md") {
		t.Errorf("skipped %+v; want the folder's README.md and user.md, saying why", lib.Skipped)
	}
}

// TestMetaLang reads a file's language from its front matter, as lang or
// language, and refuses a value that is no language tag, naming the line
// of the front matter.
func TestMetaLang(t *testing.T) {
	for _, src := range []string{"---\nlang: de-AT\n---\nText\n", "---\nlanguage: de-AT\n---\nText\n"} {
		if f, err := Read("a.md", []byte(src)); err != nil || f.Meta == nil || f.Meta.Lang != "de-AT" {
			t.Errorf("%q: %+v, %v; want lang de-AT", src, f.Meta, err)
		}
	}
	_, err := Read("b.md", []byte("# Note\n\n---\ntitle: T\nlang: German\n---\n"))
	if err != nil {
		t.Fatalf("front matter after the top is no front matter: %v", err)
	}
	_, err = Read("c.md", []byte("---\ntitle: T\nlang: German\n---\nText\n"))
	if err == nil || !strings.HasPrefix(err.Error(), "c.md:1: ") || !strings.Contains(err.Error(), `"German" is not a language tag`) {
		t.Errorf("lang: German gave %v; want c.md:1 and that it is not a language tag", err)
	}
}
