package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/promptsite/promptsite"
)

// The tests in this file run the promptsite binary, built once, as a team
// runs it in its own repository: a fresh promptsite init, then the commands
// a person or CI types.

var (
	exeOnce sync.Once
	exeDir  string
	exePath string
	exeErr  error
)

// TestMain removes the binary that the tests build.
func TestMain(m *testing.M) {
	code := m.Run()
	if exeDir != "" {
		os.RemoveAll(exeDir)
	}
	os.Exit(code)
}

// exe builds this command once for the whole test binary and returns the
// path of the executable.
func exe(t *testing.T) string {
	t.Helper()
	exeOnce.Do(func() {
		goTool, err := exec.LookPath("go")
		if err != nil {
			exeErr = fmt.Errorf("the go command is needed to build promptsite: %w", err)
			return
		}
		if exeDir, exeErr = os.MkdirTemp("", "promptsite-bin-"); exeErr != nil {
			return
		}
		exePath = filepath.Join(exeDir, "promptsite")
		if out, err := exec.Command(goTool, "build", "-o", exePath, ".").CombinedOutput(); err != nil {
			exeErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if exeErr != nil {
		t.Fatal(exeErr)
	}
	return exePath
}

// hostVar reports whether kv, an environment entry, is a variable of a host
// or of promptsite, which change what a build publishes.
func hostVar(kv string) bool {
	name, _, _ := strings.Cut(kv, "=")
	switch name {
	case "URL", "DEPLOY_PRIME_URL", "CONTEXT", "CF_PAGES_URL":
		return true
	}
	return strings.HasPrefix(name, "PROMPTSITE_")
}

// exeCommand returns the binary's command line in dir, with the process's
// environment less hostVar's variables, plus vars.
func exeCommand(t *testing.T, dir string, vars map[string]string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), exe(t), args...)
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !hostVar(kv) {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	for k, v := range vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	return cmd
}

// runExe runs the binary in dir with vars set, and returns its exit status
// and output.
func runExe(t *testing.T, dir string, vars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exeCommand(t, dir, vars, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ee, ok := errors.AsType[*exec.ExitError](err); ok {
		return ee.ExitCode(), out.String(), errOut.String()
	}
	if err != nil {
		t.Fatalf("promptsite %s: %v", strings.Join(args, " "), err)
	}
	return 0, out.String(), errOut.String()
}

// mustRun runs the binary in dir and fails t unless it exits 0. It returns
// what the command printed on stdout.
func mustRun(t *testing.T, dir string, vars map[string]string, args ...string) string {
	t.Helper()
	code, stdout, stderr := runExe(t, dir, vars, args...)
	if code != 0 {
		t.Fatalf("promptsite %s = %d; want 0\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, stdout, stderr)
	}
	return stdout
}

// newRepo runs promptsite init in a new folder and returns the folder.
func newRepo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	mustRun(t, dir, nil, "init")
	return dir
}

// edit replaces old, which must be in the file at p, with new.
func edit(t *testing.T, p, old, new string) {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s has no %q", p, old)
	}
	if err := os.WriteFile(p, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

// appendTo adds text to the end of the file at p.
func appendTo(t *testing.T, p, text string) {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	write(t, p, string(b)+text)
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var (
	tagRE  = regexp.MustCompile(`<(?:meta|link) [^>]*>`)
	attrRE = regexp.MustCompile(` ([a-z:-]+)="([^"]*)"`)
)

// headTags returns a page's <meta> contents by name or property, and its
// <link> hrefs by rel, as the page wrote them (escapes and all).
func headTags(page string) map[string]string {
	m := map[string]string{}
	for _, tag := range tagRE.FindAllString(page, -1) {
		attrs := map[string]string{}
		for _, a := range attrRE.FindAllStringSubmatch(tag, -1) {
			attrs[a[1]] = a[2]
		}
		switch {
		case attrs["property"] != "":
			m[attrs["property"]] = attrs["content"]
		case attrs["name"] != "":
			m[attrs["name"]] = attrs["content"]
		case attrs["rel"] != "":
			m[attrs["rel"]] = attrs["href"]
		}
	}
	return m
}

// TestPreviewAddresses builds a fresh repository as Netlify and Cloudflare
// Pages build it: a deploy preview or branch deploy carries the preview's
// own address in every page's canonical link and og:url, in the sitemap,
// robots.txt and llms.txt, and asks not to be indexed; production carries
// the production address and no noindex. base_url in promptsite.toml, the
// production address, loses to the preview's.
func TestPreviewAddresses(t *testing.T) {
	t.Parallel()
	const (
		prod    = "https://prod.example"
		preview = "https://deploy-preview-1--x.netlify.app"
		pages   = "https://org.github.io/repo/"
	)
	netlify := func(context string) map[string]string {
		return map[string]string{"URL": prod, "DEPLOY_PRIME_URL": preview, "CONTEXT": context}
	}
	tests := []struct {
		name    string
		baseURL string // base_url in promptsite.toml; "" leaves it commented out, as init writes it
		vars    map[string]string
		want    string // the site's address
		source  string // where promptsite config says it came from
		noindex bool
	}{
		{"deploy preview", "", netlify("deploy-preview"), preview + "/", "$DEPLOY_PRIME_URL", true},
		{"branch deploy", "", netlify("branch-deploy"), preview + "/", "$DEPLOY_PRIME_URL", true},
		{"production", "", netlify("production"), prod + "/", "$URL", false},
		{"deploy preview, base_url in the file", pages, netlify("deploy-preview"), preview + "/", "$DEPLOY_PRIME_URL", true},
		{"production, base_url in the file", pages, netlify("production"), pages, "promptsite.toml:12", false},
		{"Cloudflare Pages", "", map[string]string{"CF_PAGES_URL": "https://abc.x.pages.dev"}, "https://abc.x.pages.dev/", "$CF_PAGES_URL", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			repo := newRepo(t)
			if tt.baseURL != "" {
				edit(t, filepath.Join(repo, "promptsite.toml"), "# base_url = \"https://example.github.io/prompts/\"\n", "base_url = \""+tt.baseURL+"\"\n")
			}
			mustRun(t, repo, tt.vars, "build")
			public := filepath.Join(repo, "public")
			base := strings.TrimPrefix(tt.want, "https://")
			base = base[strings.Index(base, "/"):] // the path the site is served under
			for page, addr := range map[string]string{
				"index.html":                         tt.want,
				"code-review/index.html":             tt.want + "code-review/",
				"p/code-review/review-a-change.html": tt.want + "p/code-review/review-a-change.html",
			} {
				m := headTags(readFile(t, filepath.Join(public, page)))
				if m["canonical"] != addr || m["og:url"] != addr {
					t.Errorf("%s: canonical %q, og:url %q; want %q", page, m["canonical"], m["og:url"], addr)
				}
				if got := m["robots"] == "noindex"; got != tt.noindex {
					t.Errorf("%s: <meta name=\"robots\" content=\"noindex\"> is there: %v; want %v (robots = %q)", page, got, tt.noindex, m["robots"])
				}
				if css := m["stylesheet"]; !strings.HasPrefix(css, base+"assets/") {
					t.Errorf("%s: the stylesheet is at %q; want it under %s", page, css, base)
				}
			}
			locs := regexp.MustCompile(`<loc>([^<]*)</loc>`).FindAllStringSubmatch(readFile(t, filepath.Join(public, "sitemap.xml")), -1)
			if len(locs) == 0 {
				t.Error("sitemap.xml lists no address")
			}
			for _, l := range locs {
				if !strings.HasPrefix(l[1], tt.want) {
					t.Errorf("sitemap.xml lists %s; want every address under %s", l[1], tt.want)
				}
			}
			if robots := readFile(t, filepath.Join(public, "robots.txt")); !strings.Contains(robots, "Sitemap: "+tt.want+"sitemap.xml\n") {
				t.Errorf("robots.txt does not name %ssitemap.xml:\n%s", tt.want, robots)
			}
			if llms := readFile(t, filepath.Join(public, "llms.txt")); !strings.Contains(llms, "("+tt.want+"code-review/index.md)") {
				t.Errorf("llms.txt does not link %scode-review/index.md:\n%s", tt.want, llms)
			}
			cfg := mustRun(t, repo, tt.vars, "config")
			if want := regexp.MustCompile(`(?m)^base_url = "` + regexp.QuoteMeta(tt.want) + `" +# ` + regexp.QuoteMeta(tt.source) + `$`); !want.MatchString(cfg) {
				t.Errorf("promptsite config does not say base_url = %q from %s:\n%s", tt.want, tt.source, cfg)
			}
		})
	}
}

// TestCheckLock runs promptsite check as CI does on a pull request that
// renames a prompt: it fails, naming the lock and the lines that would
// change, until the regenerated lock is committed; and it writes nothing.
func TestCheckLock(t *testing.T) {
	t.Parallel()
	repo := newRepo(t)
	mustRun(t, repo, nil, "build")
	if out := mustRun(t, repo, nil, "check"); !strings.Contains(out, "content/anchors.lock is up to date") {
		t.Errorf("check of the published library says %q; want it to say the lock is up to date", out)
	}

	lock := filepath.Join(repo, "content", "anchors.lock")
	edit(t, filepath.Join(repo, "content", "prompts.md"), "\n### Review a Change\n", "\n### Review a Pull Request\n")
	if err := os.RemoveAll(filepath.Join(repo, "public")); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, repo)
	// What the build before left beside the output folder: the record of
	// its pages.
	beside, _ := filepath.Glob(filepath.Join(repo, ".public*"))
	code, stdout, stderr := runExe(t, repo, nil, "check")
	if code != 1 || stdout != "" {
		t.Errorf("check of a rename whose lock was not committed = %d, stdout %q; want 1 and nothing on stdout", code, stdout)
	}
	for _, want := range []string{
		"content/anchors.lock is not up to date: the build would change 3 of its lines:\n",
		"\n  - /code-review/#review-a-change 44eb4f472b4b\n",
		"\n  + /code-review/#review-a-change -> /code-review/#review-a-pull-request\n",
		"\n  + /code-review/#review-a-pull-request 44eb4f472b4b\n",
		"run promptsite build and commit content/anchors.lock with the content",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("check's message does not say %q:\n%s", want, stderr)
		}
	}
	if after := snapshot(t, repo); after != before {
		t.Error("check changed the repository")
	}
	if _, err := os.Stat(filepath.Join(repo, "public")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("check wrote the output folder: %v", err)
	}
	if m, _ := filepath.Glob(filepath.Join(repo, ".public*")); !slices.Equal(m, beside) {
		t.Errorf("check left %v beside the output folder; there was %v", m, beside)
	}

	// The author runs build and commits the lock it writes.
	if _, _, stderr := runExe(t, repo, nil, "build"); !strings.Contains(stderr, "wrote content/anchors.lock") {
		t.Errorf("build after the rename does not say it wrote the lock: %s", stderr)
	}
	if l := readFile(t, lock); !strings.Contains(l, "\n/code-review/#review-a-change -> /code-review/#review-a-pull-request\n") {
		t.Errorf("the regenerated lock keeps no alias for the old address:\n%s", l)
	}
	if out := mustRun(t, repo, nil, "check"); !strings.Contains(out, "content/anchors.lock is up to date") {
		t.Errorf("check with the regenerated lock says %q", out)
	}

	// Whatever build verifies, check does: a link to a heading that does
	// not exist fails both.
	appendTo(t, filepath.Join(repo, "content", "prompts.md"), "\nSee [the missing part](#no-such-heading).\n")
	before = snapshot(t, repo)
	for _, cmd := range []string{"check", "build"} {
		code, _, stderr := runExe(t, repo, nil, cmd)
		if want := "content/prompts.md:"; code != 1 || !strings.Contains(stderr, want) || !strings.Contains(stderr, "#no-such-heading") {
			t.Errorf("%s with a broken link = %d, %q; want 1 and the file and line of the link", cmd, code, stderr)
		}
	}
	if snapshot(t, repo) != before {
		t.Error("a failed check or build changed the repository")
	}
}

// TestStaticLogoFavicon publishes a repository's static folder, logo and
// favicon, and edit links to its repository on GitHub.
func TestStaticLogoFavicon(t *testing.T) {
	t.Parallel()
	repo := newRepo(t)
	files := map[string]string{
		"static/CNAME":           "prompts.example.com\n",
		"static/_headers":        "/*\n  X-Frame-Options: DENY\r\n\n",
		"static/files/guide.pdf": "%PDF-1.4\x00\xff binary\n",
		"images/logo.svg":        `<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>`,
		"images/favicon.png":     "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
	}
	for name, data := range files {
		write(t, filepath.Join(repo, filepath.FromSlash(name)), data)
	}
	appendTo(t, filepath.Join(repo, "promptsite.toml"), `
static = "static"
logo = "images/logo.svg"
favicon = "images/favicon.png"
repository = "https://github.com/org/repo"
base_url = "https://org.github.io/repo/"
`)
	mustRun(t, repo, nil, "build") // the build's link check passes
	public := filepath.Join(repo, "public")

	for _, name := range []string{"CNAME", "_headers", "files/guide.pdf"} {
		got, err := os.ReadFile(filepath.Join(public, filepath.FromSlash(name)))
		if err != nil || string(got) != files["static/"+name] {
			t.Errorf("public/%s = %q, %v; want static/%s byte for byte, %q", name, got, err, name, files["static/"+name])
		}
	}

	// assetHref returns the address of the copy of the file from the
	// repository in public/assets: its name, a hash, its extension.
	assetHref := func(from, name, ext string) string {
		m, _ := filepath.Glob(filepath.Join(public, "assets", name+".*"+ext))
		if len(m) != 1 {
			t.Fatalf("public/assets has %v for %s; want one fingerprinted copy", m, from)
		}
		base := filepath.Base(m[0])
		if !regexp.MustCompile(`^` + name + `\.[0-9a-f]{8,}\` + ext + `$`).MatchString(base) {
			t.Errorf("public/assets/%s: want a name with a hash of the content", base)
		}
		if got := readFile(t, m[0]); got != files[from] {
			t.Errorf("public/assets/%s = %q; want %s as it is", base, got, from)
		}
		return "/repo/assets/" + base
	}
	logo := assetHref("images/logo.svg", "logo", ".svg")
	favicon := assetHref("images/favicon.png", "favicon", ".png")

	pages := 0
	err := filepath.WalkDir(public, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".html" {
			return err
		}
		pages++
		rel, _ := filepath.Rel(public, p)
		page := readFile(t, p)
		if got := headTags(page)["icon"]; got != favicon {
			t.Errorf("%s: the icon is %q; want %q", rel, got, favicon)
		}
		// Every page with the site's header shows the logo; redirects
		// (share pages, moved pages) have no header.
		if strings.Contains(page, `<header class="top">`) && !strings.Contains(page, `<img src="`+logo+`" alt="" class="logo">`) {
			t.Errorf("%s: the header does not show the logo %s", rel, logo)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages < 10 {
		t.Errorf("checked %d pages; the site has more", pages)
	}

	// Each prompt's Edit link opens its heading's line in the file on
	// GitHub; the lines are counted here from the markdown itself.
	md := readFile(t, filepath.Join(repo, "content", "prompts.md"))
	lines := map[string]int{}
	for i, l := range strings.Split(md, "\n") {
		if title, ok := strings.CutPrefix(l, "### "); ok {
			lines[title] = i + 1
		}
	}
	editRE := regexp.MustCompile(`<a class="edit" href="([^"]*)" aria-label="Edit ([^"]*)">`)
	found := map[string]string{}
	for _, cat := range []string{"code-review", "writing", "meetings"} {
		for _, m := range editRE.FindAllStringSubmatch(readFile(t, filepath.Join(public, cat, "index.html")), -1) {
			found[m[2]] = m[1]
		}
	}
	if len(lines) != 5 {
		t.Fatalf("the example library has %d prompts; the test expects 5: %v", len(lines), lines)
	}
	for title, line := range lines {
		want := "https://github.com/org/repo/blob/main/content/prompts.md#L" + strconv.Itoa(line)
		if got := found[title]; got != want {
			t.Errorf("the Edit link of %q is %q; want %q", title, got, want)
		}
	}
}

// TestConfigErrorsAndSources runs the command lines a person gets wrong,
// and promptsite config, which says where each value came from.
func TestConfigErrorsAndSources(t *testing.T) {
	t.Parallel()
	t.Run("a base URL without a scheme", func(t *testing.T) {
		t.Parallel()
		repo := newRepo(t)
		for _, cmd := range []string{"build", "check", "serve", "config"} {
			code, stdout, stderr := runExe(t, repo, nil, cmd, "-base-url", "example.com")
			want := `promptsite: -base-url: "example.com" has no scheme; add https://, as in "https://example.com"` + "\n"
			if code != 2 || stdout != "" || stderr != want {
				t.Errorf("%s -base-url example.com = %d, stdout %q, stderr %q; want 2 and %q", cmd, code, stdout, stderr, want)
			}
		}
		if _, err := os.Stat(filepath.Join(repo, "public")); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("a usage error wrote the site: %v", err)
		}
	})

	t.Run("an unknown key", func(t *testing.T) {
		t.Parallel()
		repo := newRepo(t)
		toml := filepath.Join(repo, "promptsite.toml")
		n := strings.Count(readFile(t, toml), "\n")
		appendTo(t, toml, "titel = \"Ours\"\n")
		want := fmt.Sprintf(`promptsite.toml:%d: unknown key "titel" (did you mean "title"?)`, n+1)
		sub := filepath.Join(repo, "content")
		for _, tt := range []struct{ dir, file string }{{repo, "promptsite.toml"}, {sub, "../promptsite.toml"}} {
			for _, cmd := range []string{"build", "check", "config"} {
				code, stdout, stderr := runExe(t, tt.dir, nil, cmd)
				want := strings.Replace(want, "promptsite.toml", tt.file, 1)
				if code != 1 || stdout != "" || !strings.HasPrefix(stderr, "promptsite: "+want) {
					t.Errorf("%s in %s with an unknown key = %d, stdout %q, stderr %q; want 1 and %q", cmd, tt.dir, code, stdout, stderr, want)
				}
			}
		}
	})

	t.Run("sources", func(t *testing.T) {
		t.Parallel()
		repo := newRepo(t)
		toml := filepath.Join(repo, "promptsite.toml")
		lineOf := func(key string) string {
			for i, l := range strings.Split(readFile(t, toml), "\n") {
				if strings.HasPrefix(l, key+" = ") {
					return "promptsite.toml:" + strconv.Itoa(i+1)
				}
			}
			t.Fatalf("promptsite.toml does not set %s", key)
			return ""
		}
		// A source that is the key's own name stands for the line of the
		// file that sets the key.
		type value struct{ value, source string }
		tests := []struct {
			name string
			file string // added to promptsite.toml
			vars map[string]string
			args []string
			want map[string]value
		}{
			{"defaults", "", nil, nil, map[string]value{
				"title":       {`"Team Prompts"`, "title"},
				"description": {`""`, "default"},
				"base_url":    {`""`, "default"},
				"content":     {`["content"]`, "content"},
				"output":      {`"public"`, "default"},
				"language":    {`""`, "default: the language most of the content is written in"},
				"chat":        {`["chatgpt", "claude"]`, "default"},
			}},
			{"environment", "", map[string]string{"URL": "https://env.example", "PROMPTSITE_DESCRIPTION": "From the environment.", "PROMPTSITE_TITLE": "Env"}, nil, map[string]value{
				"base_url":    {`"https://env.example/"`, "$URL"},
				"description": {`"From the environment."`, "$PROMPTSITE_DESCRIPTION"},
				"title":       {`"Team Prompts"`, "title"}, // the file beats the environment
			}},
			{"file over environment", "base_url = \"https://file.example/team/\"\noutput = \"site\"\n",
				map[string]string{"URL": "https://env.example", "PROMPTSITE_OUTPUT": "env-out"}, nil, map[string]value{
					"base_url": {`"https://file.example/team/"`, "base_url"},
					"output":   {`"site"`, "output"},
				}},
			{"flags over all", "base_url = \"https://file.example/team/\"\noutput = \"site\"\n",
				map[string]string{"URL": "https://env.example", "PROMPTSITE_OUTPUT": "env-out"},
				[]string{"-base-url", "https://flag.example/x/", "-o", "flag-out"}, map[string]value{
					"base_url": {`"https://flag.example/x/"`, "-base-url"},
					"output":   {`"flag-out"`, "-o"},
				}},
		}
		for _, tt := range tests {
			// Each case edits the file: they run one after another.
			t.Run(tt.name, func(t *testing.T) {
				orig := readFile(t, toml)
				defer write(t, toml, orig)
				appendTo(t, toml, tt.file)
				out := mustRun(t, repo, tt.vars, append([]string{"config"}, tt.args...)...)
				lineRE := regexp.MustCompile(`(?m)^([a-z_]+) = (.*?) +# (.*)$`)
				got := map[string]value{}
				for _, m := range lineRE.FindAllStringSubmatch(out, -1) {
					got[m[1]] = value{m[2], m[3]}
				}
				for key, w := range tt.want {
					if w.source == key {
						w.source = lineOf(key)
					}
					if got[key] != w {
						t.Errorf("config says %s = %s # %s; want %s # %s", key, got[key].value, got[key].source, w.value, w.source)
					}
				}
				keys := make([]string, 0, len(got))
				for k := range got {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				if want := []string{"base_url", "branch", "chat", "content", "description", "edit_url", "exclude", "favicon", "footer", "language",
					"last_updated", "logo", "output", "repository", "static", "strings", "theme", "title"}; strings.Join(keys, " ") != strings.Join(want, " ") {
					t.Errorf("config printed the keys %v, each with its source; want %v:\n%s", keys, want, out)
				}
			})
		}
	})
}

// TestServeBrokenLinks serves a library with a link to a heading that does
// not exist: serve warns and serves all the same, under the path of
// base_url, and stops on an interrupt.
func TestServeBrokenLinks(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("stops the server with an interrupt")
	}
	repo := newRepo(t)
	edit(t, filepath.Join(repo, "promptsite.toml"), "# base_url = \"https://example.github.io/prompts/\"\n", "base_url = \"https://org.github.io/repo/\"\n")
	md := filepath.Join(repo, "content", "prompts.md")
	line := strings.Count(readFile(t, md), "\n") + 2
	appendTo(t, md, "\nSee [the missing part](#no-such-heading).\n")

	srv := startServe(t, repo, "-no-check")
	origin, stderr := srv.origin, &srv.stderr
	want := fmt.Sprintf("warning: content/prompts.md:%d: link to #no-such-heading: no heading of content/prompts.md has that id", line)
	if !strings.Contains(stderr.String(), want) {
		t.Errorf("serve's stderr does not warn %q:\n%s", want, stderr.String())
	}

	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tt := range []struct {
		path     string
		code     int
		contains string
	}{
		{"/repo/", 200, `href="/repo/code-review/"`},
		{"/repo/meetings/", 200, `id="turn-notes-into-action-items"`},
		{"/repo/meetings/", 200, "See the missing part"}, // the text of the broken link
		{"/repo/no/such/page/", 404, "Page not found"},
		{"/meetings/", 404, ""},
	} {
		resp, err := client.Get(origin + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.code || !strings.Contains(b.String(), tt.contains) {
			t.Errorf("GET %s = %d; want %d with %q in the page", tt.path, resp.StatusCode, tt.code, tt.contains)
		}
	}
	if resp, err := client.Get(origin + "/"); err != nil {
		t.Fatal(err)
	} else if resp.Body.Close(); resp.StatusCode/100 != 3 || resp.Header.Get("Location") != "/repo/" {
		t.Errorf("GET / = %d to %q; want a redirect to /repo/", resp.StatusCode, resp.Header.Get("Location"))
	}

	srv.interrupt(t)
}

// TestVersionThemeInit runs promptsite version, theme export and init, the
// last two twice: the second time they refuse to overwrite.
func TestVersionThemeInit(t *testing.T) {
	t.Parallel()
	t.Run("version", func(t *testing.T) {
		t.Parallel()
		out := mustRun(t, t.TempDir(), nil, "version")
		// What the Go toolchain recorded in the binary.
		info, err := exec.Command("go", "version", "-m", exe(t)).Output()
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(`(?m)^\tmod\t(\S+)\t(\S+)`).FindSubmatch(info)
		if m == nil {
			t.Fatalf("go version -m names no main module:\n%s", info)
		}
		goVersion := strings.Fields(runtime.Version())[0]
		want := regexp.MustCompile(`^promptsite ` + regexp.QuoteMeta(string(m[1])+" "+string(m[2])) + `( commit [0-9a-f]{7,}(\+modified)?)? ` + regexp.QuoteMeta(goVersion) + "\n$")
		if !want.MatchString(out) {
			t.Errorf("promptsite version = %q; want %s", out, want)
		}
		if string(m[1]) != "github.com/promptsite/promptsite" {
			t.Errorf("the binary's module is %s", m[1])
		}
	})

	t.Run("theme export", func(t *testing.T) {
		t.Parallel()
		repo := newRepo(t)
		mustRun(t, repo, nil, "theme", "export", "mytheme")
		theme := filepath.Join(repo, "mytheme")
		n := 0
		for dir, fsys := range map[string]fs.FS{"templates": promptsite.Templates(), "assets": promptsite.Assets()} {
			err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				n++
				want, err := fs.ReadFile(fsys, p)
				if err != nil {
					return err
				}
				got, err := os.ReadFile(filepath.Join(theme, dir, filepath.FromSlash(p)))
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("mytheme/%s/%s: %v; want the built-in file as it is", dir, p, err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if n < 10 {
			t.Errorf("the built-in theme has %d files; the test reads it wrongly", n)
		}

		// Changed, then exported again: refused, and the change kept.
		page := filepath.Join(theme, "templates", "404.html")
		edit(t, page, `<h1>{{.T "not_found"}}</h1>`, "<h1>Nothing here, sorry</h1>")
		before := snapshot(t, theme)
		code, stdout, stderr := runExe(t, repo, nil, "theme", "export", "mytheme")
		if code != 1 || stdout != "" || !strings.Contains(stderr, "there already; export into a folder without them") {
			t.Errorf("a second theme export = %d, %q, %q; want 1 and a refusal", code, stdout, stderr)
		}
		if snapshot(t, theme) != before {
			t.Error("a second theme export changed the theme")
		}

		// Used: config names the file that replaces a built-in one, and
		// the site has it.
		appendTo(t, filepath.Join(repo, "promptsite.toml"), "theme = \"mytheme\"\n")
		if out := mustRun(t, repo, nil, "config"); !strings.Contains(out, "templates/404.html replaces the built-in file") {
			t.Errorf("config does not say that mytheme/templates/404.html replaces the built-in file:\n%s", out)
		}
		mustRun(t, repo, nil, "build")
		if got := readFile(t, filepath.Join(repo, "public", "404.html")); !strings.Contains(got, "<h1>Nothing here, sorry</h1>") {
			t.Error("public/404.html is not made from the theme's 404.html")
		}
	})

	t.Run("init", func(t *testing.T) {
		t.Parallel()
		repo := newRepo(t)
		before := snapshot(t, repo)
		code, stdout, stderr := runExe(t, repo, nil, "init")
		if code != 1 || stdout != "" || !strings.Contains(stderr, "exist already, so nothing was written") {
			t.Errorf("init in an initialised folder = %d, %q, %q; want 1 and a refusal", code, stdout, stderr)
		}
		if snapshot(t, repo) != before {
			t.Error("a second init changed the folder")
		}

		// A repository with a README of its own: init writes none of its
		// files, not only the README.
		own := t.TempDir()
		write(t, filepath.Join(own, "README.md"), "# Ours\n")
		code, _, stderr = runExe(t, own, nil, "init", ".")
		if code != 1 || !strings.Contains(stderr, "README.md exists already, so nothing was written") {
			t.Errorf("init beside a README = %d, %q; want 1 and a refusal naming README.md", code, stderr)
		}
		entries, _ := os.ReadDir(own)
		if len(entries) != 1 || readFile(t, filepath.Join(own, "README.md")) != "# Ours\n" {
			t.Errorf("init beside a README left %d entries; want the README alone, unchanged", len(entries))
		}
	})
}
