package config

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the expected output in testdata/*.golden")

// TestWrite compares what Write prints for a few projects with
// testdata/<name>.golden, the project root shown as /project. With -update
// the golden files are rewritten.
func TestWrite(t *testing.T) {
	example, err := os.ReadFile("testdata/example/promptsite.toml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		file  string
		env   map[string]string
		flags []Flag
	}{
		{name: "example", file: string(example)},
		{name: "defaults"},
		{name: "mixed",
			file: "title = \"Team \\\"prompts\\\"\"\noutput = \"build/site\"\nrepository = \"https://gitlab.com/org/repo\"\nchat = \"none\"\n",
			env: map[string]string{"CONTEXT": "deploy-preview", "DEPLOY_PRIME_URL": "https://deploy-preview-3--site.netlify.app",
				"URL": "https://site.netlify.app", "PROMPTSITE_DESCRIPTION": "From\tthe environment"},
			flags: []Flag{{Key: "content", Name: "arguments", Values: []string{"a", "b.md"}}, {Key: "exclude", Name: "-exclude", Value: "*.draft.md"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "project")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if tt.file != "" {
				write(t, dir, FileName, tt.file)
			}
			c, err := Load(Options{WorkDir: dir, Flags: tt.flags, Getenv: environ(tt.env)})
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := c.Write(&b); err != nil {
				t.Fatal(err)
			}
			got := strings.ReplaceAll(b.String(), filepath.Dir(dir), "")
			golden := filepath.Join("testdata", tt.name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("Write gave\n%s\nwant\n%s", got, want)
			}

			// What Write prints is a promptsite.toml that gives the same
			// configuration, but for the sources.
			again := t.TempDir()
			write(t, again, FileName, b.String())
			c2, err := Load(Options{WorkDir: again})
			if err != nil {
				t.Fatalf("loading what Write printed: %v", err)
			}
			var b2 bytes.Buffer
			if err := c2.Write(&b2); err != nil {
				t.Fatal(err)
			}
			if g, w := values(b2.String(), again), values(b.String(), dir); g != w {
				t.Errorf("reloaded, Write gave\n%s\nwant\n%s", g, w)
			}
		})
	}
}

// values drops the comments and the project root from what Write printed.
func values(s, dir string) string {
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "#") {
			continue
		}
		if i := strings.Index(l, "  # "); i >= 0 {
			l = strings.TrimRight(l[:i], " ")
		}
		b.WriteString(strings.ReplaceAll(l, filepath.ToSlash(filepath.Dir(dir)), "") + "\n")
	}
	return b.String()
}

// TestWriteZero writes a Config made in Go rather than by Load.
func TestWriteZero(t *testing.T) {
	var b bytes.Buffer
	c := &Config{Title: "T", Footer: []Link{{Text: "Home", URL: "/"}}}
	if err := c.Write(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"title = \"T\"\n", "[[footer]]\ntext = \"Home\"\nurl = \"/\"\n"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("Write gave\n%s\nwant it to hold %q", b.String(), want)
		}
	}
}
