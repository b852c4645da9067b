package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"

	"github.com/promptsite/promptsite/site"
	"github.com/promptsite/promptsite/site/buildcache"
	"github.com/promptsite/promptsite/site/output"
)

// run runs the command line in dir, with vars as the environment, and
// returns its exit status and output.
func run(t *testing.T, dir string, vars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{
		ctx: context.Background(), stdout: &out, stderr: &errOut, dir: dir,
		getenv: func(k string) string { return vars[k] },
	}
	code = e.run(args)
	return code, out.String(), errOut.String()
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

const lib = "# Team prompts\n\nOurs.\n\n## Review\n\n### Code review\n\n```\nReview this.\n```\n"

func TestBuildDefaults(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "content", "lib.md"), lib)
	limit := debug.SetMemoryLimit(-1)
	code, stdout, stderr := run(t, dir, nil, "build")
	if code != 0 {
		t.Fatalf("build = %d; stderr: %s", code, stderr)
	}
	// The memory limit a build is held to (see heaplimit) is the
	// process's again once it ends.
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Errorf("memory limit %d after a build; want %d, the one before", got, limit)
	}
	if !strings.HasPrefix(stdout, "built 3 pages, 1 prompts in ") || !strings.HasSuffix(stdout, " → public\n") {
		t.Errorf("summary = %q", stdout)
	}
	b, err := os.ReadFile(filepath.Join(dir, "public", "review", "index.html"))
	if err != nil || !bytes.Contains(b, []byte(`id="code-review"`)) {
		t.Errorf("public/review/index.html: %v; has the prompt: %v", err, bytes.Contains(b, []byte(`id="code-review"`)))
	}
}

// TestNoContent checks that a folder with no content is an error, for every
// command that publishes or reads the library: the built-in example library
// is never published in its place.
func TestNoContent(t *testing.T) {
	dir := t.TempDir() // no content/ here, and no promptsite.toml
	for _, args := range [][]string{{"build", "-o", "site"}, {"check"}, {"inspect"}, {"search", "retry"}, {"show", "retry-with-backoff"}} {
		code, stdout, stderr := run(t, dir, map[string]string{"URL": "https://prompts.example.com"}, args...)
		if code != 1 || stdout != "" {
			t.Errorf("%v = %d, %q; want 1 and nothing on stdout", args, code, stdout)
		}
		for _, want := range []string{"no content: there is no content folder in " + dir, "promptsite init", "give the path of your markdown files"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("%v: stderr %q does not say %q", args, stderr, want)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "site")); !os.IsNotExist(err) {
		t.Errorf("build without content wrote site/: %v", err)
	}
}

func TestBuildFlagsAfterPaths(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "lib.md"), lib)
	code, _, stderr := run(t, dir, nil, "build", "lib.md", "-o", "out", "-base-url", "https://x.example/")
	if code != 0 {
		t.Fatalf("build = %d; stderr: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "out", "index.html"))
	if err != nil || !bytes.Contains(b, []byte(`<link rel="canonical" href="https://x.example/">`)) {
		t.Errorf("out/index.html lacks the canonical link from -base-url: %v", err)
	}
}

// TestBuildFailureKeepsOutput checks that a failed build says where the
// mistake is, exits 1 and leaves the previous site exactly as it was.
func TestBuildFailureKeepsOutput(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "content", "lib.md"), lib)
	if code, _, stderr := run(t, dir, nil, "build"); code != 0 {
		t.Fatalf("first build = %d: %s", code, stderr)
	}
	before := snapshot(t, filepath.Join(dir, "public"))

	write(t, filepath.Join(dir, "content", "lib.md"), "# T\n\n## A\n\n### B\n\n```\nnever closed\n")
	code, stdout, stderr := run(t, dir, nil, "build")
	if code != 1 {
		t.Errorf("build of bad content = %d; want 1", code)
	}
	if stdout != "" {
		t.Errorf("a failed build printed %q to stdout", stdout)
	}
	want := filepath.Join("content", "lib.md") + ":7: this code block is never closed, so everything after it would be code; close it with a line of ```"
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr = %q; want it to say %q", stderr, want)
	}
	if after := snapshot(t, filepath.Join(dir, "public")); after != before {
		t.Error("the failed build changed public/")
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".public.staging-*")); len(m) > 0 {
		t.Errorf("staging folders left behind: %v", m)
	}
}

// snapshot lists every file under dir with its contents.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if info.IsDir() {
			// The spare beside the output folder is the build's own
			// working copy, which every build, failed or not, updates.
			if name := info.Name(); strings.HasPrefix(name, ".") && strings.HasSuffix(name, ".spare") {
				return filepath.SkipDir
			}
			return nil
		}
		data, err := os.ReadFile(p)
		b.WriteString(p + "\n" + string(data) + "\n")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestBuildRefusesDangerousOutput(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "content", "lib.md"), lib)
	write(t, filepath.Join(dir, "notes", "keep.txt"), "precious")
	write(t, filepath.Join(dir, "go.mod"), "module x\n")
	tests := []struct {
		out, want string
	}{
		{"content", "the content at"},
		{"content/public", "it is inside the content folder"},
		{".", "the content at"},
		{"notes", "it holds files that promptsite did not write"},
		{"/", "refusing to write the site to /:"},
	}
	for _, tt := range tests {
		code, _, stderr := run(t, dir, nil, "build", "-o", tt.out)
		if code != 1 || !strings.Contains(stderr, tt.want) {
			t.Errorf("build -o %s = %d, %q; want 1 and a message saying %q", tt.out, code, stderr, tt.want)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "notes", "keep.txt")); string(b) != "precious" {
		t.Error("notes/keep.txt was touched")
	}
	if _, err := os.Stat(filepath.Join(dir, "content", "lib.md")); err != nil {
		t.Errorf("content was touched: %v", err)
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args   []string
		code   int
		stdout string // in stdout
		stderr string // in stderr
	}{
		{nil, 2, "", "Commands:"},
		{[]string{"-h"}, 0, "Commands:", ""},
		{[]string{"nope"}, 2, "", `unknown command "nope"`},
		{[]string{"build", "-h"}, 0, "Usage: promptsite build", ""},
		{[]string{"serve", "-h"}, 0, "Usage: promptsite serve", ""},
		{[]string{"build", "-nope"}, 2, "", "flag provided but not defined: -nope"},
		{[]string{"build", "missing.md"}, 1, "", "missing.md: no such file or folder"},
	}
	for _, tt := range tests {
		code, stdout, stderr := run(t, t.TempDir(), nil, tt.args...)
		if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) {
			t.Errorf("promptsite %v = %d\nstdout: %s\nstderr: %s\nwant %d, stdout with %q, stderr with %q",
				tt.args, code, stdout, stderr, tt.code, tt.stdout, tt.stderr)
		}
	}
}

// TestNetlify reads netlify.toml and runs its build command the way
// Netlify would, then checks that the site is in the publish folder and
// that the headers are those the site is built for.
func TestNetlify(t *testing.T) {
	var cfg struct {
		Build struct {
			Command     string
			Publish     string
			Environment map[string]string
		}
		Headers []struct {
			For    string
			Values map[string]string
		}
	}
	data, err := os.ReadFile("../../netlify.toml")
	if err != nil {
		t.Fatal(err)
	}
	if err := toml.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	args := strings.Fields(cfg.Build.Command)
	if len(args) < 3 || strings.Join(args[:3], " ") != "go run ./cmd/promptsite" {
		t.Fatalf("build command %q does not run promptsite", cfg.Build.Command)
	}
	if cfg.Build.Environment["GO_VERSION"] == "" {
		t.Error("netlify.toml does not set GO_VERSION")
	}
	// Netlify runs the command in a checkout of the repository.
	repo := t.TempDir()
	src, err := os.ReadFile("../../content/python-async-prompts.md")
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(repo, "content", "python-async-prompts.md"), string(src))
	code, _, stderr := run(t, repo, map[string]string{"URL": "https://example.netlify.app"}, args[3:]...)
	if code != 0 {
		t.Fatalf("%s = %d: %s", cfg.Build.Command, code, stderr)
	}
	for _, f := range []string{"index.html", "404.html", "implementation-prompts/index.html", output.Marker} {
		if _, err := os.Stat(filepath.Join(repo, cfg.Build.Publish, f)); err != nil {
			t.Errorf("publish folder %q: %v", cfg.Build.Publish, err)
		}
	}

	byPath := map[string]map[string]string{}
	for _, h := range cfg.Headers {
		byPath[h.For] = h.Values
	}
	all := byPath["/*"]
	for k, v := range site.Headers {
		if all[k] != v {
			t.Errorf("netlify.toml sends %s: %q for /*; the site is built for %q", k, all[k], v)
		}
	}
	if strings.Contains(all["Content-Security-Policy"], "unsafe-inline") {
		t.Error("the Content-Security-Policy allows unsafe-inline")
	}
	if got := byPath["/assets/*"]["Cache-Control"]; !strings.Contains(got, "immutable") {
		t.Errorf("assets are cached with %q; want immutable", got)
	}
	for _, p := range []string{"/", "/:category/", "/*.html"} {
		if got := byPath[p]["Cache-Control"]; !strings.Contains(got, "must-revalidate") {
			t.Errorf("pages at %s are cached with %q; want revalidation", p, got)
		}
	}
}

func TestWarningsAndStrict(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "content", "lib.md"), lib+"\n## Empty\n\n## Notes\n\n### Blank\n")
	write(t, filepath.Join(dir, "content", "notes.md"), "\n\n---\n")
	code, _, stderr := run(t, dir, nil, "build")
	if code != 0 {
		t.Fatalf("build with warnings = %d; want 0: %s", code, stderr)
	}
	for _, want := range []string{
		"warning: " + filepath.Join("content", "lib.md") + `:13: category "Empty" is empty: its page will have nothing on it`,
		"warning: " + filepath.Join("content", "lib.md") + `:17: prompt "Blank" has no text`,
		"warning: " + filepath.Join("content", "notes.md") + ": nothing from this file is published: it is empty",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr)
		}
	}
	before := snapshot(t, filepath.Join(dir, "public"))
	write(t, filepath.Join(dir, "content", "lib.md"), lib+"\n## Empty again\n")
	code, _, stderr = run(t, dir, nil, "build", "-strict", "-accept-removed")
	if code != 1 || !strings.Contains(stderr, "-strict makes them errors") {
		t.Errorf("build -strict with warnings = %d, %q; want 1 and why", code, stderr)
	}
	if snapshot(t, filepath.Join(dir, "public")) != before {
		t.Error("a -strict build that failed changed public/")
	}
}

// TestReproducible builds the same library twice into two folders and
// compares them to the byte.
func TestReproducible(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("../../content/python-async-prompts.md")
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "content", "lib.md"), string(src))
	for _, out := range []string{"a", "b"} {
		if code, _, stderr := run(t, dir, map[string]string{"URL": "https://x.example"}, "build", "-o", out); code != 0 {
			t.Fatalf("build -o %s = %d: %s", out, code, stderr)
		}
	}
	a := snapshot(t, filepath.Join(dir, "a"))
	b := snapshot(t, filepath.Join(dir, "b"))
	if strings.ReplaceAll(a, filepath.Join(dir, "a"), "") != strings.ReplaceAll(b, filepath.Join(dir, "b"), "") {
		t.Error("two builds of the same library differ")
	}
	if !strings.Contains(a, filepath.Join("search", "")) {
		t.Error("the build has no search index to compare")
	}
}

// TestLargeFile builds a 50 MB markdown file: one category whose single
// prompt is a code block of 600,000 lines.
func TestLargeFile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 50 MB file")
	}
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("# Big\n\n## Huge\n\n### One prompt\n\n```\n")
	for i := 0; b.Len() < 50<<20; i++ {
		fmt.Fprintf(&b, "- retry the request with exponential backoff and jitter until the deadline passes %d\n", i)
	}
	b.WriteString("```\n")
	write(t, filepath.Join(dir, "big.md"), b.String())
	code, stdout, stderr := run(t, dir, nil, "build", "big.md")
	if code != 0 {
		t.Fatalf("build of a 50 MB file = %d: %s", code, stderr)
	}
	t.Log(strings.TrimSpace(stdout))
	info, err := os.Stat(filepath.Join(dir, "public", "huge", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Size() < 50<<20 {
		t.Errorf("the page of the 50 MB prompt has %d bytes; want all of it", info.Size())
	}
}

// TestLockFailureKeepsOutput checks that a build whose anchors.lock cannot
// be written fails before it publishes anything: the previous site stays.
func TestLockFailureKeepsOutput(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "content", "lib.md"), lib)
	if code, _, stderr := run(t, dir, nil, "build"); code != 0 {
		t.Fatalf("first build = %d: %s", code, stderr)
	}
	before := snapshot(t, filepath.Join(dir, "public"))
	write(t, filepath.Join(dir, "content", "lib.md"), strings.Replace(lib, "Code review", "Code review, renamed", 1))
	// A lock in a folder that does not exist cannot be written (a read-only
	// folder would do too, but not for root).
	code, _, stderr := run(t, dir, nil, "build", "-lock", filepath.Join(dir, "missing", "anchors.lock"))
	if code != 1 || !strings.Contains(stderr, "the site was not published") {
		t.Errorf("build with a lock it cannot write = %d, %q; want 1, saying the site was not published", code, stderr)
	}
	if after := snapshot(t, filepath.Join(dir, "public")); after != before {
		t.Error("a build that could not write its lock changed public/")
	}
}

// TestLockInsideOutputRefused checks that the lock may not live in the
// folder that every build replaces.
func TestLockInsideOutputRefused(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "content", "lib.md"), lib)
	code, _, stderr := run(t, dir, nil, "build", "-o", "out", "-lock", filepath.Join("out", "anchors.lock"))
	if code != 1 || !strings.Contains(stderr, "inside the output folder") {
		t.Errorf("build with its lock in its output = %d, %q; want 1 and why", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); !os.IsNotExist(err) {
		t.Errorf("the refused build wrote out/: %v", err)
	}
}

// TestRebuildFromTheSiteInPlace builds a library, edits a prompt and a
// page of the site by hand, and builds again: the rebuild, which takes the
// pages it would render the same from the site in place (see buildcache),
// must make what a build into a new folder makes, the page edited by hand
// made again.
func TestRebuildFromTheSiteInPlace(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("../../content/python-async-prompts.md")
	if err != nil {
		t.Fatal(err)
	}
	lib := filepath.Join(dir, "content", "lib.md")
	write(t, lib, string(src))
	vars := map[string]string{"URL": "https://x.example"}
	if code, _, stderr := run(t, dir, vars, "build"); code != 0 {
		t.Fatalf("first build = %d: %s", code, stderr)
	}
	record := filepath.Join(dir, ".public.cache", "record")
	if _, err := os.Stat(record); err != nil {
		t.Fatalf("the build left no record of its pages: %v", err)
	}
	// A build with no site before it keeps no search analyses nor link
	// checks; the next does.
	if r := buildcache.Open(filepath.Join(dir, "public")); r.Analyses() != nil || r.Scans() != nil {
		t.Errorf("the first build kept analyses or link checks")
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "public", "*", "index.html"))
	if len(pages) < 4 {
		t.Fatalf("the site has %d category pages: %v", len(pages), pages)
	}
	for _, p := range pages[:2] {
		if err := os.WriteFile(p, []byte("edited by hand"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(lib, bytes.Replace(src, []byte("asyncio"), []byte("trio"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if code, _, stderr := run(t, dir, vars, "build"); code != 0 {
			t.Fatalf("rebuild %d = %d: %s", i+1, code, stderr)
		}
		if code, _, stderr := run(t, dir, vars, "build", "-o", "fresh"); code != 0 {
			t.Fatalf("build -o fresh = %d: %s", code, stderr)
		}
		got := strings.ReplaceAll(snapshot(t, filepath.Join(dir, "public")), filepath.Join(dir, "public"), "")
		want := strings.ReplaceAll(snapshot(t, filepath.Join(dir, "fresh")), filepath.Join(dir, "fresh"), "")
		if got != want {
			t.Fatalf("rebuild %d differs from a build into a new folder:\n%s", i+1, firstDiff(got, want))
		}
		if err := os.RemoveAll(filepath.Join(dir, "fresh")); err != nil {
			t.Fatal(err)
		}
		r := buildcache.Open(filepath.Join(dir, "public"))
		if r.Analyses() == nil {
			t.Errorf("rebuild %d kept no analyses", i+1)
		}
		if r.Scans() == nil {
			t.Errorf("rebuild %d kept no link checks", i+1)
		}
	}
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n got %.300q\nwant %.300q", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(g), len(w))
}
