package project

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/promptsite/promptsite/site/config"
)

func write(t *testing.T, dir, name, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func load(t *testing.T, dir string) *config.Config {
	t.Helper()
	cfg, err := config.Load(config.Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestNoContent checks that a project with no content fails, saying what
// to do, unless the example library may stand in, as for serve.
func TestNoContent(t *testing.T) {
	dir := t.TempDir()
	_, err := Open(load(t, dir), Options{WorkDir: dir})
	if !errors.Is(err, ErrNoContent) || !strings.Contains(err.Error(), "promptsite init") {
		t.Errorf("Open = %v; want ErrNoContent, saying to run promptsite init", err)
	}
	p, err := Open(load(t, dir), Options{Demo: true, WorkDir: dir})
	if err != nil || !p.Demo || len(p.Library.Files) == 0 {
		t.Fatalf("Open with Demo = %+v, %v; want the example library", p, err)
	}
	sc, err := p.Site()
	if err != nil || sc.Notice != DemoNotice {
		t.Errorf("the example's pages say %q, %v; want the notice", sc.Notice, err)
	}
	if lock, err := p.Lock(""); lock != nil || err != nil {
		t.Errorf("the example library has a lock: %v, %v", lock, err)
	}
	// A content folder made later is watched.
	if w := p.Watch(); len(w) == 0 || w[0] != filepath.Join(dir, "content") {
		t.Errorf("Watch = %v; want the content folder that is not there yet", w)
	}
}

// TestMissingFiles checks that a key naming a file or folder that is not
// there fails with where the key was set and what to do.
func TestMissingFiles(t *testing.T) {
	for _, tt := range []struct{ key, value, want string }{
		{"theme", `"mytheme"`, "promptsite.toml:2: theme: "},
		{"static", `"public-files"`, "promptsite.toml:2: static: "},
		{"logo", `"logo.svg"`, "promptsite.toml:2: logo: "},
		{"favicon", `"icon.png"`, "promptsite.toml:2: favicon: "},
	} {
		dir := t.TempDir()
		write(t, dir, "content/lib.md", "# L\n\n## A\n\n### P\n\n```\nx\n```\n")
		write(t, dir, "promptsite.toml", "title = \"T\"\n"+tt.key+" = "+tt.value+"\n")
		p, err := Open(load(t, dir), Options{WorkDir: dir})
		if err == nil {
			_, err = p.Site()
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "no such") {
			t.Errorf("%s = %s: %v; want an error at %q", tt.key, tt.value, err, tt.want)
		}
	}
}

// TestSite checks what a project's configuration gives a build: its files
// named from the working folder, the title, the edit links, the lock
// beside the content, and the files to publish.
func TestSite(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "content/lib.md", "# L\n\n## A\n\n### P\n\n```\nx\n```\n")
	write(t, dir, "static/CNAME", "prompts.example.com\n")
	write(t, dir, "img/logo.svg", "<svg/>")
	write(t, dir, "promptsite.toml", `title = "Team"
repository = "https://github.com/org/repo"
static = "static"
logo = "img/logo.svg"
chat = "none"
`)
	p, err := Open(load(t, dir), Options{WorkDir: filepath.Join(dir, "content")})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := p.Site()
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Files) != 1 || sc.Files[0].Name != "lib.md" || sc.Files[0].Path != "content/lib.md" {
		t.Errorf("files %+v; want lib.md, named from the working folder, at content/lib.md in the project", sc.Files)
	}
	if sc.Title != "Team" || sc.Logo == nil || string(sc.Logo.Data) != "<svg/>" || sc.Logo.Ext != ".svg" || sc.Static == nil {
		t.Errorf("site config %+v; want the title, the logo and the static folder", sc)
	}
	if got := sc.EditLink("content/lib.md", 5); got != "https://github.com/org/repo/blob/main/content/lib.md#L5" {
		t.Errorf("EditLink = %q", got)
	}
	if sc.Chat == nil || len(sc.Chat) != 0 {
		t.Errorf("Chat = %#v; want none", sc.Chat)
	}
	lock, err := p.Lock("")
	if err != nil || lock.Path != filepath.Join(dir, "content", "anchors.lock") {
		t.Errorf("Lock = %v, %v; want content/anchors.lock", lock, err)
	}
}
