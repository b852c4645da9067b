package scaffold_test

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/goccy/go-yaml"

	"github.com/promptsite/promptsite"
	"github.com/promptsite/promptsite/site"
	"github.com/promptsite/promptsite/site/content"
	"github.com/promptsite/promptsite/site/scaffold"
	"github.com/promptsite/promptsite/site/version"
)

// starter lists the files Write writes, in the order it returns them.
var starter = []string{
	"promptsite.toml",
	"content/prompts.md",
	".gitignore",
	"netlify.toml",
	".github/workflows/promptsite.yml",
	"README.md",
}

func info(v string) version.Info {
	return version.Info{Module: "github.com/promptsite/promptsite", Version: v, Go: "1.26.8"}
}

// write runs Write into a new folder and checks that it wrote the starter
// files and nothing else.
func write(t *testing.T, v version.Info) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "new", "prompts") // made by Write
	got, err := scaffold.Write(dir, v)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, p := range starter {
		want = append(want, filepath.FromSlash(p))
	}
	if !slices.Equal(got, want) {
		t.Errorf("Write returned %q; want %q", got, want)
	}
	if on := files(t, dir); !slices.Equal(on, starter) {
		t.Errorf("the folder holds %q; want %q", on, starter)
	}
	return dir
}

// files returns the files under dir, slash-separated, in starter's order
// for those of starter and name order for any others.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		names = append(names, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(names, func(a, b string) int {
		i, j := slices.Index(starter, a), slices.Index(starter, b)
		if i < 0 || j < 0 {
			return strings.Compare(a, b)
		}
		return i - j
	})
	return names
}

func read(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestInstallVersion checks that every file that installs promptsite
// installs the running version when it is a release, and the latest
// release, saying so, when it is not.
func TestInstallVersion(t *testing.T) {
	for _, tt := range []struct {
		version, pin string
	}{
		{"v1.2.0", "v1.2.0"},
		{"v1.3.0-rc.1", "v1.3.0-rc.1"},
		{"v1.2.1-0.20260102030405-0123456789ab", "v1.2.1-0.20260102030405-0123456789ab"},
		{version.Devel, "latest"},
		{"v1.2.1-0.20260102030405-0123456789ab+dirty", "latest"},
		{"", "latest"},
	} {
		t.Run(tt.version, func(t *testing.T) {
			dir := write(t, info(tt.version))
			install := "go install github.com/promptsite/promptsite/cmd/promptsite@" + tt.pin
			for _, name := range []string{"netlify.toml", ".github/workflows/promptsite.yml", "README.md"} {
				text := read(t, dir, name)
				if !strings.Contains(text, install+" ") && !strings.Contains(text, install+"\n") {
					t.Errorf("%s does not say %q:\n%s", name, install, text)
				}
				if n := strings.Count(text, "cmd/promptsite@"); n != strings.Count(text, install) {
					t.Errorf("%s installs another version than @%s:\n%s", name, tt.pin, text)
				}
				if says := strings.Contains(text, "@latest"); says != (tt.pin == "latest") {
					t.Errorf("%s mentions @latest: %v; want %v", name, says, tt.pin == "latest")
				}
			}
			for _, name := range []string{"netlify.toml", ".github/workflows/promptsite.yml"} {
				says := strings.Contains(read(t, dir, name), "rather than a released version")
				if says != (tt.pin == "latest") {
					t.Errorf("%s says it installs the latest release for want of a version: %v; want %v", name, says, tt.pin == "latest")
				}
			}
		})
	}
}

// config holds every key of promptsite.toml, so that decoding the file
// with every example uncommented finds any key not in this list.
type config struct {
	Title       string   `toml:"title"`
	Description string   `toml:"description"`
	BaseURL     string   `toml:"base_url"`
	Content     []string `toml:"content"`
	Exclude     []string `toml:"exclude"`
	Output      string   `toml:"output"`
	Language    string   `toml:"language"`
	Repository  string   `toml:"repository"`
	Branch      string   `toml:"branch"`
	EditURL     string   `toml:"edit_url"`
	Logo        string   `toml:"logo"`
	Favicon     string   `toml:"favicon"`
	Static      string   `toml:"static"`
	Theme       string   `toml:"theme"`
	Footer      []struct {
		Text string `toml:"text"`
		URL  string `toml:"url"`
	} `toml:"footer"`
	Chat        []string `toml:"chat"`
	LastUpdated string   `toml:"last_updated"`
}

func TestConfig(t *testing.T) {
	text := read(t, write(t, info("v1.2.0")), "promptsite.toml")

	// As written: the title and content are set, the rest commented out.
	var c config
	md, err := toml.Decode(text, &c)
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "Team Prompts" || !slices.Equal(c.Content, []string{"content"}) {
		t.Errorf("title = %q, content = %q; want \"Team Prompts\", [\"content\"]", c.Title, c.Content)
	}
	var set []string
	for _, k := range md.Keys() {
		set = append(set, k.String())
	}
	if want := []string{"title", "content"}; !slices.Equal(set, want) {
		t.Errorf("keys set: %q; want %q", set, want)
	}

	// Every key has a comment of its own on the line above it.
	lines := strings.Split(text, "\n")
	key := regexp.MustCompile(`^(?:# )?([a-z_]+) = |^(?:# )?\[\[(footer)\]\]$`)
	seen := map[string]bool{}
	for i, l := range lines {
		m := key.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		name := m[1] + m[2]
		seen[name] = true
		if name == "text" || name == "url" { // the footer table's fields
			continue
		}
		if i == 0 || !strings.HasPrefix(lines[i-1], "# ") || key.MatchString(lines[i-1]) {
			t.Errorf("line %d, %s: no comment above it", i+1, name)
		}
	}
	want := []string{"title", "description", "base_url", "content", "exclude", "output", "language",
		"repository", "branch", "edit_url", "logo", "favicon", "static", "theme", "footer", "text", "url",
		"chat", "last_updated"}
	for _, k := range want {
		if !seen[k] {
			t.Errorf("no %s in promptsite.toml", k)
		}
	}

	// With every example uncommented, the file is still valid, with no key
	// that promptsite does not know, and the examples are what they show.
	uncommented := regexp.MustCompile(`(?m)^# ((?:[a-z_]+ = |\[\[footer\]\]).*)$`).ReplaceAllString(text, "$1")
	var all config
	md, err = toml.Decode(uncommented, &all)
	if err != nil {
		t.Fatalf("with its examples uncommented: %v\n%s", err, uncommented)
	}
	if u := md.Undecoded(); len(u) > 0 {
		t.Errorf("with its examples uncommented, unknown keys: %v", u)
	}
	if all.Output != "public" || all.Language != "en" || all.LastUpdated != "git" ||
		!slices.Equal(all.Chat, []string{"chatgpt", "claude"}) ||
		!strings.Contains(all.EditURL, "{path}") || !strings.Contains(all.EditURL, "{line}") ||
		!strings.HasSuffix(all.BaseURL, "/") || len(all.Footer) != 1 || all.Footer[0].Text == "" || all.Footer[0].URL == "" {
		t.Errorf("examples: %+v", all)
	}
}

// netlify is the part of netlify.toml that promptsite writes.
type netlify struct {
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

func decodeNetlify(t *testing.T, name, text string) netlify {
	t.Helper()
	var n netlify
	md, err := toml.Decode(text, &n)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if u := md.Undecoded(); len(u) > 0 {
		t.Errorf("%s: keys not checked: %v", name, u)
	}
	return n
}

func TestNetlify(t *testing.T) {
	v := info("v1.2.0")
	n := decodeNetlify(t, "netlify.toml", read(t, write(t, v), "netlify.toml"))
	if want := `go install github.com/promptsite/promptsite/cmd/promptsite@v1.2.0 && "$(go env GOPATH)/bin/promptsite" build`; n.Build.Command != want {
		t.Errorf("command = %q; want %q", n.Build.Command, want)
	}
	if n.Build.Publish != "public" {
		t.Errorf("publish = %q; want public", n.Build.Publish)
	}
	if got := n.Build.Environment["GO_VERSION"]; got != v.Go {
		t.Errorf("GO_VERSION = %q; want %q", got, v.Go)
	}
	byPath := map[string]map[string]string{}
	for _, h := range n.Headers {
		byPath[h.For] = h.Values
	}
	if !maps.Equal(byPath["/*"], site.Headers) {
		t.Errorf("headers for /*:\n%v\nwant site.Headers:\n%v", byPath["/*"], site.Headers)
	}
	if got := byPath["/assets/*"]["Cache-Control"]; !strings.Contains(got, "immutable") {
		t.Errorf("Cache-Control for /assets/* = %q; want it immutable", got)
	}
	for _, p := range []string{"/", "/:category/", "/*.html"} {
		if got := byPath[p]["Cache-Control"]; !strings.Contains(got, "must-revalidate") {
			t.Errorf("Cache-Control for %s = %q; want must-revalidate", p, got)
		}
	}
}

// TestNetlifyMirrorsRepository checks that a new library's site is served
// with the same headers as promptsite's own.
func TestNetlifyMirrorsRepository(t *testing.T) {
	own, err := os.ReadFile(filepath.Join("..", "..", "netlify.toml"))
	if err != nil {
		t.Fatal(err)
	}
	want := decodeNetlify(t, "promptsite's netlify.toml", string(own)).Headers
	got := decodeNetlify(t, "netlify.toml", read(t, write(t, info("v1.2.0")), "netlify.toml")).Headers
	if len(got) != len(want) {
		t.Fatalf("%d [[headers]]; promptsite's own netlify.toml has %d", len(got), len(want))
	}
	for i := range got {
		if got[i].For != want[i].For || !maps.Equal(got[i].Values, want[i].Values) {
			t.Errorf("[[headers]] %d: %s %v; promptsite's own: %s %v", i, got[i].For, got[i].Values, want[i].For, want[i].Values)
		}
	}
}

type workflow struct {
	Name        string
	On          map[string]any `yaml:"on"`
	Permissions map[string]string
	Jobs        map[string]struct {
		If          string `yaml:"if"`
		Needs       string
		RunsOn      string `yaml:"runs-on"`
		Permissions map[string]string
		Environment struct{ Name, URL string }
		Steps       []step
	}
}

type step struct {
	ID, Name, Uses, Run string
	With                map[string]any
	Env                 map[string]string
}

// find returns the step that uses action, or runs a command that starts
// with run.
func find(steps []step, uses, run string) (step, bool) {
	for _, s := range steps {
		if uses != "" && s.Uses == uses || run != "" && strings.HasPrefix(s.Run, run) {
			return s, true
		}
	}
	return step{}, false
}

func TestWorkflow(t *testing.T) {
	v := info("v1.2.0")
	text := read(t, write(t, v), ".github/workflows/promptsite.yml")
	var w workflow
	if err := yaml.Unmarshal([]byte(text), &w); err != nil {
		t.Fatalf("the workflow is not valid YAML: %v\n%s", err, text)
	}
	for _, event := range []string{"pull_request", "push"} {
		if _, ok := w.On[event]; !ok {
			t.Errorf("the workflow does not run on %s; on: %v", event, w.On)
		}
	}
	install := "go install github.com/promptsite/promptsite/cmd/promptsite@v1.2.0"
	// Each job's steps, in order: an action or the start of a command.
	for job, want := range map[string][]string{
		"check": {"actions/checkout@v4", "actions/setup-go@v5", install, "promptsite check"},
		"build": {"actions/checkout@v4", "actions/setup-go@v5", install, "actions/configure-pages@v5",
			"promptsite build", "actions/upload-pages-artifact@v3"},
		"deploy": {"actions/deploy-pages@v4"},
	} {
		j, ok := w.Jobs[job]
		if !ok {
			t.Errorf("no job %s; jobs: %v", job, slices.Sorted(maps.Keys(w.Jobs)))
			continue
		}
		var got []string
		for _, s := range j.Steps {
			got = append(got, s.Uses+s.Run)
		}
		if len(got) != len(want) {
			t.Errorf("job %s: steps %q; want %q", job, got, want)
			continue
		}
		for i := range got {
			if !strings.HasPrefix(got[i], want[i]) {
				t.Errorf("job %s, step %d: %q; want %q", job, i+1, got[i], want[i])
			}
		}
		if s, ok := find(j.Steps, "actions/setup-go@v5", ""); ok && s.With["go-version"] != v.Go {
			t.Errorf("job %s: go-version %v; want %q", job, s.With["go-version"], v.Go)
		}
		if j.RunsOn == "" {
			t.Errorf("job %s: no runs-on", job)
		}
	}

	check, build, deploy := w.Jobs["check"], w.Jobs["build"], w.Jobs["deploy"]
	if !strings.Contains(check.If, "pull_request") {
		t.Errorf("check runs if %q; want on pull requests", check.If)
	}
	for _, cond := range []string{"github.event.repository.default_branch", "has_pages"} {
		if !strings.Contains(build.If, cond) {
			t.Errorf("build runs if %q; want it to test %s", build.If, cond)
		}
	}
	if s, _ := find(build.Steps, "actions/configure-pages@v5", ""); s.ID != "pages" {
		t.Errorf("configure-pages has id %q; want pages", s.ID)
	}
	s, _ := find(build.Steps, "", "promptsite build")
	if s.Run != `promptsite build --base-url "$BASE_URL/"` || s.Env["BASE_URL"] != "${{ steps.pages.outputs.base_url }}" {
		t.Errorf("build step: run %q with env %v; want the Pages address with a trailing slash", s.Run, s.Env)
	}
	if s, _ := find(build.Steps, "actions/upload-pages-artifact@v3", ""); s.With["path"] != "public" {
		t.Errorf("upload-pages-artifact: path %v; want public", s.With["path"])
	}
	if deploy.Needs != "build" || deploy.Permissions["pages"] != "write" || deploy.Permissions["id-token"] != "write" ||
		deploy.Environment.Name != "github-pages" || deploy.Environment.URL != "${{ steps.deployment.outputs.page_url }}" {
		t.Errorf("deploy job: needs %q, permissions %v, environment %+v", deploy.Needs, deploy.Permissions, deploy.Environment)
	}
	if s, _ := find(deploy.Steps, "actions/deploy-pages@v4", ""); s.ID != "deployment" {
		t.Errorf("deploy-pages has id %q; want deployment", s.ID)
	}
	if w.Permissions["contents"] != "read" || len(w.Permissions) != 1 {
		t.Errorf("the workflow's permissions are %v; want contents: read only", w.Permissions)
	}
}

func TestOtherFiles(t *testing.T) {
	dir := write(t, info("v1.2.0"))
	if got := read(t, dir, ".gitignore"); !slices.Contains(strings.Split(got, "\n"), "public/") {
		t.Errorf(".gitignore does not ignore public/:\n%s", got)
	}
	readme := read(t, dir, "README.md")
	for _, want := range []string{
		"go install github.com/promptsite/promptsite/cmd/promptsite@v1.2.0\n",
		"promptsite serve", "http://127.0.0.1:8080", "promptsite build",
		"`content/`", "### ", "[paste your code here]", "{{language}}",
		"content/anchors.lock", "Commit",
		"Netlify", "netlify.toml", "GitHub Pages", `"GitHub
  Actions" as the source`,
	} {
		if !strings.Contains(readme, want) {
			t.Errorf("README.md does not say %q", want)
		}
	}
}

// TestExampleLibraryBuilds builds the example library the way promptsite
// build does, and checks its categories, prompts and blanks.
func TestExampleLibraryBuilds(t *testing.T) {
	dir := write(t, info("v1.2.0"))
	in, err := content.Load(dir, []string{"content"}, content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := site.Build(site.Config{
		Files:     in.Files,
		Templates: promptsite.Templates(),
		Assets:    promptsite.Assets(),
		BaseURL:   "https://prompts.example.com/",
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Site.Warnings) > 0 {
		t.Errorf("warnings: %v", res.Site.Warnings)
	}
	if res.Site.Title != "Team Prompts" {
		t.Errorf("title %q; want Team Prompts, as in promptsite.toml", res.Site.Title)
	}
	type prompt struct {
		title  string
		blanks []string
	}
	want := map[string][]prompt{
		"Code Review": {
			{"Review a Change", []string{"paste your diff here"}},
			{"Explain Unfamiliar Code", []string{"language", "paste your code here"}},
		},
		"Writing": {
			{"Write a Commit Message", []string{"paste your diff here"}},
			{"Summarise a Document", []string{"who will read the summary", "paste the document here"}},
		},
		"Meetings": {
			{"Turn Notes into Action Items", []string{"paste your notes here"}},
		},
	}
	var cats []string
	for _, c := range res.Site.Categories {
		cats = append(cats, c.Title)
		var got []prompt
		for _, p := range c.Prompts {
			if len(p.Code) != 1 {
				t.Errorf("%s: %d code blocks; want the prompt in one", p.Title, len(p.Code))
			}
			got = append(got, prompt{p.Title, p.Placeholders})
		}
		if !slices.EqualFunc(got, want[c.Title], func(a, b prompt) bool {
			return a.title == b.title && slices.Equal(a.blanks, b.blanks)
		}) {
			t.Errorf("category %s: prompts %q; want %q", c.Title, got, want[c.Title])
		}
		if _, ok := res.Tree.Get(c.Slug + "/index.html"); !ok {
			t.Errorf("no page for category %s", c.Title)
		}
	}
	if want := []string{"Code Review", "Writing", "Meetings"}; !slices.Equal(cats, want) {
		t.Errorf("categories %q; want %q", cats, want)
	}
}

// TestRefuses checks that Write writes nothing when any starter file, or
// a folder one goes in, is there already, and names every one.
func TestRefuses(t *testing.T) {
	type existing map[string]string // path → "dir" or a file's text
	var cases []existing
	for _, p := range starter {
		cases = append(cases, existing{p: "ours"})
	}
	cases = append(cases,
		existing{"README.md": "ours", "promptsite.toml": "ours", "notes.txt": "ours"},
		existing{"content": "a file"},
		existing{".github/workflows": "a file", "netlify.toml": "ours"},
		existing{"content/prompts.md": "dir"},
	)
	for _, files := range cases {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "unrelated.md"), []byte("ours"), 0o644)
		var names []string
		for name, data := range files {
			p := filepath.Join(dir, filepath.FromSlash(name))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if data == "dir" {
				os.Mkdir(p, 0o755)
			} else if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
			if name != "notes.txt" {
				names = append(names, name)
			}
		}
		before := snapshot(t, dir)
		wrote, err := scaffold.Write(dir, info("v1.2.0"))
		if err == nil || !errors.Is(err, fs.ErrExist) {
			t.Errorf("%v: Write = %v, %v; want an error that is fs.ErrExist", names, wrote, err)
			continue
		}
		if wrote != nil {
			t.Errorf("%v: Write says it wrote %q", names, wrote)
		}
		for _, n := range names {
			if !strings.Contains(err.Error(), n) {
				t.Errorf("%v: the error does not name %s: %v", names, n, err)
			}
		}
		if !strings.Contains(err.Error(), "nothing was written") || !strings.Contains(err.Error(), "empty folder") {
			t.Errorf("%v: the error does not say what to do: %v", names, err)
		}
		if after := snapshot(t, dir); !maps.Equal(after, before) {
			t.Errorf("%v: the folder changed:\nbefore %v\nafter  %v", names, before, after)
		}
	}
}

// snapshot returns every file and folder under dir with its contents.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			m[p] = "dir"
			return nil
		case d.Type()&fs.ModeSymlink != 0:
			to, err := os.Readlink(p)
			m[p] = "link to " + to
			return err
		}
		b, err := os.ReadFile(p)
		m[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestWriteIntoFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "prompts")
	os.WriteFile(file, nil, 0o644)
	if _, err := scaffold.Write(file, info("v1.2.0")); err == nil || !strings.Contains(err.Error(), "is a file") {
		t.Errorf("Write into a file: %v; want an error that says it is a file", err)
	}
}

// TestUndo makes writing fail part way, with a link that leads nowhere
// where .github would go, and checks that the files and folders written
// until then are removed.
func TestUndo(t *testing.T) {
	dir := t.TempDir()
	if err := os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(dir, ".github")); err != nil {
		t.Skip("cannot make a symbolic link:", err)
	}
	before := snapshot(t, dir)
	if _, err := scaffold.Write(dir, info("v1.2.0")); err == nil {
		t.Fatal("Write through a broken link succeeded")
	}
	if after := snapshot(t, dir); !maps.Equal(after, before) {
		t.Errorf("a failed Write left files behind:\nbefore %v\nafter  %v", before, after)
	}
}

func TestBadInfo(t *testing.T) {
	for _, tt := range []struct {
		v    version.Info
		want string
	}{
		{version.Info{Module: "github.com/promptsite/promptsite", Version: "v1.2.0", Go: "devel go1.27-abcdef"}, "released Go"},
		{version.Info{Module: "github.com/x/y'; rm -rf ~", Version: "v1.2.0", Go: "1.26.8"}, "module path"},
	} {
		dir := filepath.Join(t.TempDir(), "new")
		if _, err := scaffold.Write(dir, tt.v); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Write(%+v) = %v; want an error about the %s", tt.v, err, tt.want)
		}
		if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Write(%+v) made %s", tt.v, dir)
		}
	}
}
