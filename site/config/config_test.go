package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// write writes a file under dir, making its folders.
func write(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// environ returns a Getenv that reads m.
func environ(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// loadFile loads a project whose promptsite.toml holds file, with the
// working folder at its root.
func loadFile(t *testing.T, file string) (*Config, error) {
	t.Helper()
	dir := t.TempDir()
	write(t, dir, FileName, file)
	return Load(Options{WorkDir: dir})
}

func TestKeys(t *testing.T) {
	tests := []struct {
		file string
		get  func(*Config) any
		want any    // the value get returns, when err is ""
		err  string // the whole error message
	}{
		// title, description
		{file: `title = "Team prompts"`, get: func(c *Config) any { return c.Title }, want: "Team prompts"},
		{file: "\ntitle = 3", err: `promptsite.toml:2: title: want a string, got an integer`},
		{file: `title = ["a"]`, err: `promptsite.toml:1: title: want a string, got a list`},
		{file: "title.x = \"a\"", err: `promptsite.toml:1: title: want a string, got a table`},
		{file: "[title]\nx = 1", err: `promptsite.toml:1: title: want a string, got a table`},
		{file: `description = """two
lines"""`, get: func(c *Config) any { return c.Description }, want: "two\nlines"},
		{file: `description = true`, err: `promptsite.toml:1: description: want a string, got a boolean`},

		// base_url
		{file: `base_url = "https://org.github.io/repo"`, get: func(c *Config) any { return c.BaseURL }, want: "https://org.github.io/repo/"},
		{file: `base_url = "https://Example.COM"`, get: func(c *Config) any { return c.BaseURL }, want: "https://example.com/"},
		{file: `base_url = "http://localhost:8080/a%20b/"`, get: func(c *Config) any { return c.BaseURL }, want: "http://localhost:8080/a%20b/"},
		{file: `base_url = ""`, get: func(c *Config) any { return c.BaseURL }, want: ""},
		{file: "# the address\nbase_url = \"example.com/x\"", err: `promptsite.toml:2: base_url: "example.com/x" has no scheme; add https://, as in "https://example.com/x"`},
		{file: `base_url = "localhost:8080"`, err: `promptsite.toml:1: base_url: "localhost:8080" has no scheme; add https://, as in "https://localhost:8080"`},
		{file: `base_url = "/repo/"`, err: `promptsite.toml:1: base_url: "/repo/" is a path; give the site's address, such as "https://example.com/"`},
		{file: `base_url = "ftp://example.com/"`, err: `promptsite.toml:1: base_url: "ftp://example.com/" is not an http or https URL`},
		{file: `base_url = "mailto:a@example.com"`, err: `promptsite.toml:1: base_url: "mailto:a@example.com" is not an http or https URL`},
		{file: `base_url = "https:///x"`, err: `promptsite.toml:1: base_url: "https:///x" has no host`},
		{file: `base_url = "https://example.com/?a=b"`, err: `promptsite.toml:1: base_url: "https://example.com/?a=b" has a query or fragment; give the site's address only`},
		{file: `base_url = "https://example.com/#top"`, err: `promptsite.toml:1: base_url: "https://example.com/#top" has a query or fragment; give the site's address only`},
		{file: `base_url = "https://me:secret@example.com/"`, err: `promptsite.toml:1: base_url: "https://me:secret@example.com/" holds a user name; give the site's address only`},
		{file: `base_url = "https://exa mple.com/"`, err: `promptsite.toml:1: base_url: "https://exa mple.com/" is not a URL: invalid character " " in host name`},

		// content
		{file: `content = ["prompts", "more/a.md"]`, get: func(c *Config) any { return c.quoteList(c.Content, true) }, want: `["prompts", "more/a.md"]`},
		{file: `content = "prompts"`, err: `promptsite.toml:1: content: want a list of strings, got a string`},
		{file: `content = []`, err: `promptsite.toml:1: content: is empty; give at least one file or folder`},
		{file: `content = ["a", 1]`, err: `promptsite.toml:1: content: want a list of strings, got an integer in the list`},
		{file: `content = ["a", ""]`, err: `promptsite.toml:1: content: has an empty path`},

		// exclude
		{file: `exclude = ["drafts/", "*.draft.md", "a/[bc]/*.md"]`, get: func(c *Config) any { return c.Exclude }, want: []string{"drafts", "*.draft.md", "a/[bc]/*.md"}},
		{file: "\n\nexclude = [\"ok\", \"[a-\"]", err: `promptsite.toml:3: exclude: pattern "[a-" is malformed: syntax error in pattern`},
		{file: `exclude = ["/drafts"]`, err: `promptsite.toml:1: exclude: pattern "/drafts" starts with "/"; patterns are relative to each content folder, as in "drafts"`},
		{file: `exclude = ["./drafts"]`, err: `promptsite.toml:1: exclude: pattern "./drafts" starts with "./"; patterns are relative to each content folder, as in "drafts"`},
		{file: `exclude = [""]`, err: `promptsite.toml:1: exclude: has an empty pattern`},
		{file: `exclude = "drafts"`, err: `promptsite.toml:1: exclude: want a list of strings, got a string`},

		// output
		{file: `output = "site"`, get: func(c *Config) any { return c.rel(c.Output) }, want: "site"},
		{file: `output = "../site"`, get: func(c *Config) any { return filepath.Base(c.Output) }, want: "site"},
		{file: `output = ""`, err: `promptsite.toml:1: output: is empty; give a folder, such as "public"`},
		{file: `output = 1.5`, err: `promptsite.toml:1: output: want a string, got a number`},

		// language
		{file: `language = "pt-BR"`, get: func(c *Config) any { return c.Language }, want: "pt-BR"},
		{file: `language = "zh-Hant-TW"`, get: func(c *Config) any { return c.Language }, want: "zh-Hant-TW"},
		{file: `language = "es-419"`, get: func(c *Config) any { return c.Language }, want: "es-419"},
		{file: `language = "english"`, err: `promptsite.toml:1: language: "english" is not a language tag such as "en" or "pt-BR"`},
		{file: `language = "pt_BR"`, err: `promptsite.toml:1: language: "pt_BR" is not a language tag; write "pt-BR"`},
		{file: `language = "en-"`, err: `promptsite.toml:1: language: "en-" is not a language tag such as "en" or "pt-BR"`},

		// repository, branch
		{file: `repository = "https://github.com/org/repo.git"`, get: func(c *Config) any { return c.Repository }, want: "https://github.com/org/repo"},
		{file: `repository = "https://gitlab.com/group/sub/repo/"`, get: func(c *Config) any { return c.Repository }, want: "https://gitlab.com/group/sub/repo"},
		{file: `repository = "github.com/org/repo"`, err: `promptsite.toml:1: repository: "github.com/org/repo" has no scheme; add https://, as in "https://github.com/org/repo"`},
		{file: `repository = "https://github.com/"`, err: `promptsite.toml:1: repository: "https://github.com/" names no repository; give its address, such as "https://github.com/org/repo"`},
		{file: `repository = "git@github.com:org/repo.git"`, err: `promptsite.toml:1: repository: "git@github.com:org/repo.git" has no scheme; add https://, as in "https://git@github.com:org/repo.git"`},
		{file: `branch = "release/2.0"`, get: func(c *Config) any { return c.Branch }, want: "release/2.0"},
		{file: `branch = ""`, err: `promptsite.toml:1: branch: is empty; give a branch name, such as "main"`},
		{file: `branch = "my branch"`, err: `promptsite.toml:1: branch: "my branch" is not a branch name: it holds " "`},

		// edit_url
		{file: "repository = \"https://git.example.com/org/repo\"\nedit_url = \"{repository}/src/branch/{branch}/{path}#L{line}\"",
			get: func(c *Config) any { return c.EditURL }, want: "https://git.example.com/org/repo/src/branch/main/{path}#L{line}"},
		{file: `edit_url = "https://example.com/edit?file={path}"`, get: func(c *Config) any { return c.EditURL }, want: "https://example.com/edit?file={path}"},
		{file: `edit_url = "https://example.com/{file}"`, err: `promptsite.toml:1: edit_url: "https://example.com/{file}" has an unknown placeholder {file}; the placeholders are {path}, {line}, {repository} and {branch}`},
		{file: `edit_url = "https://example.com/edit"`, err: `promptsite.toml:1: edit_url: "https://example.com/edit" has no {path}; a pattern needs {path}, and may use {line}, {repository} and {branch}`},
		{file: `edit_url = "{path}#L{line}"`, err: `promptsite.toml:1: edit_url: "{path}#L{line}" is not an http or https URL`},
		{file: "\nedit_url = \"{repository}/blob/{branch}/{path}\"", err: `promptsite.toml:2: edit_url: "{repository}/blob/{branch}/{path}" uses {repository}, but repository is not set`},

		// logo, favicon, static, theme
		{file: `logo = "images/logo.svg"`, get: func(c *Config) any { return c.rel(c.Logo) }, want: "images/logo.svg"},
		{file: `favicon = "./icons/../favicon.png"`, get: func(c *Config) any { return c.rel(c.Favicon) }, want: "favicon.png"},
		{file: `static = "static/"`, get: func(c *Config) any { return c.rel(c.Static) }, want: "static"},
		{file: `theme = "theme"`, get: func(c *Config) any { return c.rel(c.Theme) }, want: "theme"},
		{file: `theme = ""`, get: func(c *Config) any { return c.Theme }, want: ""},
		{file: `logo = 1`, err: `promptsite.toml:1: logo: want a string, got an integer`},
		{file: `favicon = 1979-05-27`, err: `promptsite.toml:1: favicon: want a string, got a date or time`},

		// footer
		{file: "[[footer]]\ntext = \"Source\"\nurl = \"https://github.com/org/repo\"\n\n[[footer]]\ntext = \"About\"\nurl = \"/about/\"",
			get: func(c *Config) any { return c.Footer }, want: []Link{{"Source", "https://github.com/org/repo"}, {"About", "/about/"}}},
		{file: `footer = [{text = "Home", url = "https://example.com/"}, {url = "about.html", text = "About"}]`,
			get: func(c *Config) any { return c.Footer }, want: []Link{{"Home", "https://example.com/"}, {"About", "about.html"}}},
		{file: "title = \"x\"\n\n[[footer]]\ntext = \"Source\"", err: `promptsite.toml:3: footer: a link needs text and url; url is missing`},
		{file: "[[footer]]\n[[footer]]\ntext = \"a\"\nurl = \"/\"", err: `promptsite.toml:1: footer: a link needs text and url; text and url are missing`},
		{file: "[[footer]]\ntext = \"\"\nurl = \"/\"", err: `promptsite.toml:1: footer: a link's text is empty`},
		{file: "[[footer]]\ntext = \"x\"\nurl = \"javascript:alert(1)\"", err: `promptsite.toml:1: footer: url "javascript:alert(1)" is neither an http or https URL nor a path`},
		{file: "[[footer]]\ntext = \"x\"\nurl = \"//example.com/\"", err: `promptsite.toml:1: footer: url "//example.com/" has no scheme; write https://example.com/`},
		{file: "[[footer]]\ntext = \"x\"\nurl = 3", err: `promptsite.toml:3: footer: url: want a string, got an integer`},
		{file: "[[footer]]\ntext = \"x\"\nurl = \"/\"\ntxt = \"y\"", err: `promptsite.toml:4: unknown key "footer.txt" (did you mean "footer.text"?); a footer link has text and url`},
		{file: `footer = [{txt = "x", url = "/"}]`, err: `promptsite.toml:1: unknown key "footer.txt" (did you mean "footer.text"?); a footer link has text and url`},
		{file: "[[footer]]\nurl = \"/\"\ntext.x = \"y\"", err: `promptsite.toml:3: unknown key "footer.text.x" (did you mean "footer.text"?); a footer link has text and url`},
		{file: "[footer]\ntext = \"x\"\nurl = \"/\"", err: `promptsite.toml:1: footer: write [[footer]] for each link, not [footer]`},
		{file: `footer = "Source"`, err: `promptsite.toml:1: footer: want [[footer]] tables, got a string`},
		{file: `footer = ["Source"]`, err: `promptsite.toml:1: footer: want a list of tables such as {text = "Source", url = "https://…"}, got a string in the list`},
		{file: "[[footer.links]]\ntext = \"x\"", err: `promptsite.toml:1: unknown key "footer.links"; a footer link has text and url`},

		// chat
		{file: `chat = ["claude"]`, get: func(c *Config) any { return c.Chat }, want: []string{"claude"}},
		{file: `chat = ["Claude", "chatgpt", "claude"]`, get: func(c *Config) any { return c.Chat }, want: []string{"claude", "chatgpt"}},
		{file: `chat = "none"`, get: func(c *Config) any { return c.Chat }, want: []string{}},
		{file: `chat = []`, get: func(c *Config) any { return c.Chat }, want: []string{}},
		{file: `chat = "chatgpt"`, get: func(c *Config) any { return c.Chat }, want: []string{"chatgpt"}},
		{file: `chat = ["gemini"]`, err: `promptsite.toml:1: chat: unknown chat "gemini"; the chats are chatgpt, claude, or "none"`},
		{file: `chat = ["cluade"]`, err: `promptsite.toml:1: chat: unknown chat "cluade" (did you mean "claude"?); the chats are chatgpt, claude, or "none"`},
		{file: `chat = ["none", "claude"]`, err: `promptsite.toml:1: chat: "none" cannot be listed with other chats`},
		{file: `chat = false`, err: `promptsite.toml:1: chat: want a list such as ["chatgpt", "claude"], or "none", got a boolean`},

		// last_updated
		{file: `last_updated = "git"`, get: func(c *Config) any { return c.LastUpdated }, want: "git"},
		{file: `last_updated = ""`, get: func(c *Config) any { return c.LastUpdated }, want: ""},
		{file: `last_updated = "yes"`, err: `promptsite.toml:1: last_updated: "yes" is not a choice; use "git", or "" for no dates`},
		{file: `last_updated = true`, err: `promptsite.toml:1: last_updated: want a string, got a boolean`},

		// TOML itself
		{file: "title = \"a\"\ntitle = \"b\"", err: `promptsite.toml:2: key title is already defined`},
		{file: "title = \"a", err: `promptsite.toml:1: unterminated basic string`},
	}
	for _, tt := range tests {
		c, err := loadFile(t, tt.file)
		switch {
		case tt.err != "":
			if err == nil || err.Error() != tt.err {
				t.Errorf("%s\ngave error %v\nwant %s", tt.file, err, tt.err)
			}
			if errors.Is(err, ErrUsage) {
				t.Errorf("%s\ngave a usage error: %v", tt.file, err)
			}
		case err != nil:
			t.Errorf("%s\ngave error %v", tt.file, err)
		default:
			if got := tt.get(c); !equal(got, tt.want) {
				t.Errorf("%s\ngave %#v, want %#v", tt.file, got, tt.want)
			}
		}
	}
}

func equal(a, b any) bool {
	switch a := a.(type) {
	case []string:
		b, ok := b.([]string)
		return ok && slices.Equal(a, b)
	case []Link:
		b, ok := b.([]Link)
		return ok && slices.Equal(a, b)
	}
	return a == b
}

func TestDefaults(t *testing.T) {
	dir := t.TempDir()
	c, err := Load(Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if c.File != "" || c.Dir != dir {
		t.Errorf("File, Dir = %q, %q; want \"\", %q", c.File, c.Dir, dir)
	}
	if want := []string{filepath.Join(dir, "content")}; !slices.Equal(c.Content, want) {
		t.Errorf("Content = %q, want %q", c.Content, want)
	}
	if want := filepath.Join(dir, "public"); c.Output != want {
		t.Errorf("Output = %q, want %q", c.Output, want)
	}
	if c.Language != "" || c.Branch != "main" || !slices.Equal(c.Chat, []string{"chatgpt", "claude"}) {
		t.Errorf("Language, Branch, Chat = %q, %q, %q; want \"\" (the content's), main, [chatgpt claude]", c.Language, c.Branch, c.Chat)
	}
	if c.BaseURL != "" || c.EditURL != "" || c.Footer != nil || len(c.Exclude) != 0 || c.Preview {
		t.Errorf("BaseURL, EditURL, Footer, Exclude, Preview = %q, %q, %v, %q, %v; want none", c.BaseURL, c.EditURL, c.Footer, c.Exclude, c.Preview)
	}
	for _, k := range keys {
		if got := c.Source(k.name); got != "default" {
			t.Errorf("Source(%q) = %q, want default", k.name, got)
		}
	}
	if got := c.Source("nope"); got != "" {
		t.Errorf("Source(nope) = %q, want \"\"", got)
	}
}

func TestExample(t *testing.T) {
	example, err := filepath.Abs("testdata/example/promptsite.toml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Load(Options{WorkDir: filepath.Dir(filepath.Dir(example)), File: "example/promptsite.toml"})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if !strings.HasPrefix(c.Source(k.name), "example/promptsite.toml:") {
			t.Errorf("the example gives no %s: its source is %q", k.name, c.Source(k.name))
		}
	}
}

func TestUnknownKeys(t *testing.T) {
	tests := []struct {
		file, err string
	}{
		{"title = \"a\"\n\n\n\n\n\ntitel = \"b\"", `promptsite.toml:7: unknown key "titel" (did you mean "title"?); the keys are ` + strings.Join(keyNames(), ", ")},
		{`baseURL = "https://example.com/"`, `promptsite.toml:1: unknown key "baseURL" (did you mean "base_url"?)`},
		{`base-url = "https://example.com/"`, `promptsite.toml:1: unknown key "base-url" (did you mean "base_url"?)`},
		{`url = "https://example.com/"`, `promptsite.toml:1: unknown key "url" (did you mean "base_url"?)`},
		{`lang = "de"`, `promptsite.toml:1: unknown key "lang" (did you mean "language"?)`},
		{`repo = "https://github.com/a/b"`, `promptsite.toml:1: unknown key "repo" (did you mean "repository"?)`},
		{`descr = "x"`, `promptsite.toml:1: unknown key "descr" (did you mean "description"?)`},
		{`outptu = "x"`, `promptsite.toml:1: unknown key "outptu" (did you mean "output"?)`},
		{`excludes = ["x"]`, `promptsite.toml:1: unknown key "excludes" (did you mean "exclude"?)`},
		{`lastupdated = "git"`, `promptsite.toml:1: unknown key "lastupdated" (did you mean "last_updated"?)`},
		{`menu = 1`, `promptsite.toml:1: unknown key "menu"; the keys are title,`},
		{"[params]\ncolor = \"red\"", `promptsite.toml:1: unknown key "params"; the keys are`},
		{`params.color = "red"`, `promptsite.toml:1: unknown key "params"; the keys are`},
	}
	for _, tt := range tests {
		_, err := loadFile(t, tt.file)
		if err == nil || !strings.HasPrefix(err.Error(), tt.err) {
			t.Errorf("%s\ngave error %v\nwant one starting %s", tt.file, err, tt.err)
		}
	}

	// Every problem is reported, in the order of the file.
	_, err := loadFile(t, "titel = \"a\"\nlanguage = \"english\"\n[[footer]]\ntext = \"x\"\nurl = \"/\"\nlink = \"y\"\n")
	var lines []string
	for _, l := range strings.Split(err.Error(), "\n") {
		lines = append(lines, strings.SplitN(l, ": ", 2)[0])
	}
	if want := []string{"promptsite.toml:1", "promptsite.toml:2", "promptsite.toml:6"}; !slices.Equal(lines, want) {
		t.Errorf("errors at %q, want %q:\n%v", lines, want, err)
	}
	if e, ok := errors.AsType[*Error](err); !ok || e.Source != "promptsite.toml:1" {
		t.Errorf("errors.AsType[*Error] gave %#v, want the first error", e)
	}
}

func TestPrecedence(t *testing.T) {
	tests := []struct {
		name   string
		file   string // "" for no file
		env    map[string]string
		flags  []Flag
		key    string
		get    func(*Config) any
		want   any
		source string
	}{
		{"flag beats file", `title = "File"`, map[string]string{"PROMPTSITE_TITLE": "Env"}, []Flag{{Key: "title", Name: "-title", Value: "Flag"}},
			"title", func(c *Config) any { return c.Title }, "Flag", "-title"},
		{"file beats env", "\ntitle = \"File\"", map[string]string{"PROMPTSITE_TITLE": "Env"}, nil,
			"title", func(c *Config) any { return c.Title }, "File", "promptsite.toml:2"},
		{"env beats default", "", map[string]string{"PROMPTSITE_TITLE": "Env"}, nil,
			"title", func(c *Config) any { return c.Title }, "Env", "$PROMPTSITE_TITLE"},
		{"env beats default, with a file", `description = "x"`, map[string]string{"PROMPTSITE_LANGUAGE": "de"}, nil,
			"language", func(c *Config) any { return c.Language }, "de", "$PROMPTSITE_LANGUAGE"},
		{"default", "", nil, nil,
			"language", func(c *Config) any { return c.Language }, "", "default"},
		{"empty env is unset", "", map[string]string{"PROMPTSITE_LANGUAGE": ""}, nil,
			"language", func(c *Config) any { return c.Language }, "", "default"},

		{"base_url flag", `base_url = "https://file.example/"`, map[string]string{"URL": "https://env.example"}, []Flag{{Key: "base_url", Name: "-base-url", Value: "https://flag.example/x"}},
			"base_url", func(c *Config) any { return c.BaseURL }, "https://flag.example/x/", "-base-url"},
		{"base_url file", `base_url = "https://file.example/"`, map[string]string{"URL": "https://env.example", "PROMPTSITE_BASE_URL": "https://ps.example"}, nil,
			"base_url", func(c *Config) any { return c.BaseURL }, "https://file.example/", "promptsite.toml:1"},
		{"PROMPTSITE_BASE_URL beats URL", "", map[string]string{"URL": "https://env.example", "PROMPTSITE_BASE_URL": "https://ps.example", "CF_PAGES_URL": "https://cf.example"}, nil,
			"base_url", func(c *Config) any { return c.BaseURL }, "https://ps.example/", "$PROMPTSITE_BASE_URL"},
		{"URL beats CF_PAGES_URL", "", map[string]string{"URL": "https://env.example", "CF_PAGES_URL": "https://cf.example"}, nil,
			"base_url", func(c *Config) any { return c.BaseURL }, "https://env.example/", "$URL"},
		{"CF_PAGES_URL", "", map[string]string{"CF_PAGES_URL": "https://abc.proj.pages.dev"}, nil,
			"base_url", func(c *Config) any { return c.BaseURL }, "https://abc.proj.pages.dev/", "$CF_PAGES_URL"},

		{"content from arguments", `content = ["file"]`, nil, []Flag{{Key: "content", Name: "arguments", Values: []string{"a", "b.md"}}},
			"content", func(c *Config) any { return c.quoteList(c.Content, true) }, `["work/a", "work/b.md"]`, "arguments"},
		{"content from file", `content = ["file"]`, nil, nil,
			"content", func(c *Config) any { return c.quoteList(c.Content, true) }, `["file"]`, "promptsite.toml:1"},
		{"output flag", `output = "site"`, map[string]string{"PROMPTSITE_OUTPUT": "env"}, []Flag{{Key: "output", Name: "-o", Value: "out"}},
			"output", func(c *Config) any { return c.rel(c.Output) }, "work/out", "-o"},
		{"output file", `output = "site"`, map[string]string{"PROMPTSITE_OUTPUT": "env"}, nil,
			"output", func(c *Config) any { return c.rel(c.Output) }, "site", "promptsite.toml:1"},
		{"output env", `title = "x"`, map[string]string{"PROMPTSITE_OUTPUT": "env"}, nil,
			"output", func(c *Config) any { return c.rel(c.Output) }, "work/env", "$PROMPTSITE_OUTPUT"},
		{"chat flag", `chat = ["claude"]`, map[string]string{"PROMPTSITE_CHAT": "chatgpt"}, []Flag{{Key: "chat", Name: "-chat", Value: "none"}},
			"chat", func(c *Config) any { return c.Chat }, []string{}, "-chat"},
		{"chat flag with commas", "", nil, []Flag{{Key: "chat", Name: "-chat", Value: "claude,chatgpt"}},
			"chat", func(c *Config) any { return c.Chat }, []string{"claude", "chatgpt"}, "-chat"},
		{"flag without a name", "", nil, []Flag{{Key: "last_updated", Value: "git"}},
			"last_updated", func(c *Config) any { return c.LastUpdated }, "git", "-last-updated"},
		{"chat env", "", map[string]string{"PROMPTSITE_CHAT": "claude, chatgpt"}, nil,
			"chat", func(c *Config) any { return c.Chat }, []string{"claude", "chatgpt"}, "$PROMPTSITE_CHAT"},
		{"exclude flag", `exclude = ["a"]`, nil, []Flag{{Key: "exclude", Name: "-exclude", Values: []string{"b", "c"}}},
			"exclude", func(c *Config) any { return c.Exclude }, []string{"b", "c"}, "-exclude"},
		{"last flag wins", "", nil, []Flag{{Key: "title", Name: "-title", Value: "one"}, {Key: "title", Name: "-t", Value: "two"}},
			"title", func(c *Config) any { return c.Title }, "two", "-t"},
		{"edit_url derived", `repository = "https://github.com/o/r"`, nil, nil,
			"edit_url", func(c *Config) any { return c.EditURL }, "https://github.com/o/r/blob/main/{path}#L{line}", "derived from repository"},
		{"edit_url derived from env", "", map[string]string{"PROMPTSITE_REPOSITORY": "https://gitlab.example.com/o/r", "PROMPTSITE_BRANCH": "dev"}, nil,
			"edit_url", func(c *Config) any { return c.EditURL }, "https://gitlab.example.com/o/r/-/blob/dev/{path}#L{line}", "derived from repository"},
		{"edit_url off", "repository = \"https://github.com/o/r\"\nedit_url = \"\"", nil, nil,
			"edit_url", func(c *Config) any { return c.EditURL }, "", "promptsite.toml:2"},
		{"edit_url other host", `repository = "https://codeberg.org/o/r"`, nil, nil,
			"edit_url", func(c *Config) any { return c.EditURL }, "", "default"},
	}
	for _, tt := range tests {
		root := t.TempDir()
		work := filepath.Join(root, "work")
		if err := os.Mkdir(work, 0o755); err != nil {
			t.Fatal(err)
		}
		if tt.file != "" {
			write(t, root, FileName, tt.file)
		}
		c, err := Load(Options{WorkDir: work, Flags: tt.flags, Getenv: environ(tt.env)})
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if tt.file == "" {
			// Without a file the project root is the working folder;
			// compare paths as if it were root.
			c.Dir = root
		}
		if got := tt.get(c); !equal(got, tt.want) {
			t.Errorf("%s: %s = %#v, want %#v", tt.name, tt.key, got, tt.want)
		}
		src := strings.TrimPrefix(c.Source(tt.key), "../")
		if src != tt.source {
			t.Errorf("%s: Source(%q) = %q, want %q", tt.name, tt.key, src, tt.source)
		}
	}
}

func TestPreview(t *testing.T) {
	const prime, prod = "https://deploy-preview-7--site.netlify.app", "https://site.netlify.app"
	tests := []struct {
		name    string
		file    string
		env     map[string]string
		flag    string
		want    string
		source  string
		preview bool
	}{
		{"deploy preview beats the file", `base_url = "https://example.com/"`,
			map[string]string{"CONTEXT": "deploy-preview", "DEPLOY_PRIME_URL": prime, "URL": prod}, "", prime + "/", "$DEPLOY_PRIME_URL", true},
		{"branch deploy beats the file", `base_url = "https://example.com/"`,
			map[string]string{"CONTEXT": "branch-deploy", "DEPLOY_PRIME_URL": prime, "URL": prod}, "", prime + "/", "$DEPLOY_PRIME_URL", true},
		{"deploy preview beats PROMPTSITE_BASE_URL", "",
			map[string]string{"CONTEXT": "deploy-preview", "DEPLOY_PRIME_URL": prime, "PROMPTSITE_BASE_URL": "https://ps.example/"}, "", prime + "/", "$DEPLOY_PRIME_URL", true},
		{"a flag beats the deploy preview", `base_url = "https://example.com/"`,
			map[string]string{"CONTEXT": "deploy-preview", "DEPLOY_PRIME_URL": prime}, "https://flag.example/", "https://flag.example/", "-base-url", true},
		{"production: the file beats URL", `base_url = "https://example.com/"`,
			map[string]string{"CONTEXT": "production", "DEPLOY_PRIME_URL": prime, "URL": prod}, "", "https://example.com/", "promptsite.toml:1", false},
		{"production: URL without a file value", `title = "x"`,
			map[string]string{"CONTEXT": "production", "DEPLOY_PRIME_URL": prime, "URL": prod}, "", prod + "/", "$URL", false},
		{"no CONTEXT: URL", "",
			map[string]string{"DEPLOY_PRIME_URL": prime, "URL": prod}, "", prod + "/", "$URL", false},
		{"deploy preview without DEPLOY_PRIME_URL", `base_url = "https://example.com/"`,
			map[string]string{"CONTEXT": "deploy-preview", "URL": prod}, "", "https://example.com/", "promptsite.toml:1", true},
		{"Cloudflare Pages", "",
			map[string]string{"CF_PAGES_URL": "https://1a2b.site.pages.dev"}, "", "https://1a2b.site.pages.dev/", "$CF_PAGES_URL", false},
		{"Cloudflare Pages below the file", `base_url = "https://example.com/"`,
			map[string]string{"CF_PAGES_URL": "https://1a2b.site.pages.dev"}, "", "https://example.com/", "promptsite.toml:1", false},
		{"Cloudflare Pages' production branch: the file", `base_url = "https://example.com/"`,
			map[string]string{"CF_PAGES_URL": "https://1a2b.site.pages.dev", "CF_PAGES_BRANCH": "main"}, "", "https://example.com/", "promptsite.toml:1", false},
		{"a Cloudflare Pages preview beats the file", `base_url = "https://example.com/"`,
			map[string]string{"CF_PAGES_URL": "https://1a2b.site.pages.dev", "CF_PAGES_BRANCH": "feature"}, "", "https://1a2b.site.pages.dev/", "$CF_PAGES_URL", true},
		{"Cloudflare Pages: the file's branch is production", "base_url = \"https://example.com/\"\nbranch = \"trunk\"",
			map[string]string{"CF_PAGES_URL": "https://1a2b.site.pages.dev", "CF_PAGES_BRANCH": "trunk"}, "", "https://example.com/", "promptsite.toml:1", false},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		if tt.file != "" {
			write(t, dir, FileName, tt.file)
		}
		var flags []Flag
		if tt.flag != "" {
			flags = []Flag{{Key: "base_url", Name: "-base-url", Value: tt.flag}}
		}
		c, err := Load(Options{WorkDir: dir, Flags: flags, Getenv: environ(tt.env)})
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if c.BaseURL != tt.want || c.Source("base_url") != tt.source || c.Preview != tt.preview {
			t.Errorf("%s: BaseURL %q from %q, Preview %v; want %q from %q, %v",
				tt.name, c.BaseURL, c.Source("base_url"), c.Preview, tt.want, tt.source, tt.preview)
		}
	}
}

func TestEnvErrors(t *testing.T) {
	tests := []struct {
		file string
		env  map[string]string
		err  string // "" when the bad value is not used, and so not checked
	}{
		{"", map[string]string{"URL": "example.com"}, `$URL: "example.com" has no scheme; add https://, as in "https://example.com"`},
		{"", map[string]string{"PROMPTSITE_LANGUAGE": "german"}, `$PROMPTSITE_LANGUAGE: "german" is not a language tag such as "en" or "pt-BR"`},
		{"", map[string]string{"PROMPTSITE_CHAT": "claude,bard"}, `$PROMPTSITE_CHAT: unknown chat "bard"; the chats are chatgpt, claude, or "none"`},
		{`base_url = "https://example.com/"`, map[string]string{"URL": "postgres://db"}, ""},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		if tt.file != "" {
			write(t, dir, FileName, tt.file)
		}
		_, err := Load(Options{WorkDir: dir, Getenv: environ(tt.env)})
		if (err == nil) != (tt.err == "") || (err != nil && err.Error() != tt.err) {
			t.Errorf("env %v gave error %v, want %q", tt.env, err, tt.err)
		}
		if errors.Is(err, ErrUsage) {
			t.Errorf("env %v gave a usage error: %v", tt.env, err)
		}
	}
}

func TestFlagErrors(t *testing.T) {
	tests := []struct {
		flag Flag
		err  string
	}{
		{Flag{Key: "base_url", Name: "-base-url", Value: "example.com/x"}, `-base-url: "example.com/x" has no scheme; add https://, as in "https://example.com/x"`},
		{Flag{Key: "output", Name: "-o", Value: ""}, `-o: is empty; give a folder, such as "public"`},
		{Flag{Key: "content", Name: "arguments", Values: []string{"a", ""}}, `arguments: has an empty path`},
		{Flag{Key: "chat", Name: "-chat", Value: "gpt"}, `-chat: unknown chat "gpt"; the chats are chatgpt, claude, or "none"`},
		{Flag{Key: "language", Name: "-lang", Value: "en_GB"}, `-lang: "en_GB" is not a language tag; write "en-GB"`},
	}
	for _, tt := range tests {
		_, err := Load(Options{WorkDir: t.TempDir(), Flags: []Flag{tt.flag}})
		if err == nil || err.Error() != tt.err {
			t.Errorf("%s %q gave error %v, want %s", tt.flag.Name, tt.flag.Value, err, tt.err)
		}
		if !errors.Is(err, ErrUsage) {
			t.Errorf("%s %q: errors.Is(%v, ErrUsage) = false, want true", tt.flag.Name, tt.flag.Value, err)
		}
	}

	// A flag value is checked even when the file is wrong too, and the
	// joined error is still a usage error.
	dir := t.TempDir()
	write(t, dir, FileName, `language = "x"`)
	_, err := Load(Options{WorkDir: dir, Flags: []Flag{{Key: "base_url", Name: "-base-url", Value: "example.com"}}})
	if want := "promptsite.toml:1: language: \"x\" is not a language tag such as \"en\" or \"pt-BR\"\n" +
		"-base-url: \"example.com\" has no scheme; add https://, as in \"https://example.com\""; err == nil || err.Error() != want {
		t.Errorf("gave error %v, want\n%s", err, want)
	}
	if !errors.Is(err, ErrUsage) {
		t.Errorf("errors.Is(%v, ErrUsage) = false, want true", err)
	}

	// A flag for a key that no flag can set is a mistake in the command.
	for _, f := range []Flag{{Key: "nope", Name: "-nope"}, {Key: "footer", Name: "-footer"}} {
		if _, err := Load(Options{WorkDir: t.TempDir(), Flags: []Flag{f}}); err == nil || errors.Is(err, ErrUsage) {
			t.Errorf("flag for %q gave error %v, want an error that is not a usage error", f.Key, err)
		}
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	work := filepath.Join(root, "a", "b", "c")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, root, FileName, "title = \"Root\"\n")
	// A folder named promptsite.toml is not a config file.
	if err := os.MkdirAll(filepath.Join(root, "a", "b", FileName), 0o755); err != nil {
		t.Fatal(err)
	}

	c, err := Load(Options{WorkDir: work})
	if err != nil {
		t.Fatal(err)
	}
	if c.File != filepath.Join(root, FileName) || c.Dir != root || c.Title != "Root" {
		t.Errorf("File, Dir, Title = %q, %q, %q; want %q, %q, Root", c.File, c.Dir, c.Title, filepath.Join(root, FileName), root)
	}
	if got, want := c.Source("title"), filepath.ToSlash(filepath.Join("..", "..", "..", FileName))+":1"; got != want {
		t.Errorf("Source(title) = %q, want %q", got, want)
	}
	// The defaults are in the project root, not the working folder.
	if want := filepath.Join(root, "public"); c.Output != want {
		t.Errorf("Output = %q, want %q", c.Output, want)
	}

	// The nearest file wins.
	write(t, root, "a/"+FileName, "title = \"A\"\n")
	c, err = Load(Options{WorkDir: work})
	if err != nil {
		t.Fatal(err)
	}
	if c.Dir != filepath.Join(root, "a") || c.Title != "A" {
		t.Errorf("Dir, Title = %q, %q; want %q, A", c.Dir, c.Title, filepath.Join(root, "a"))
	}

	// A file elsewhere, given with -config, relative to the working folder.
	other := t.TempDir()
	write(t, other, "site.toml", "title = \"Other\"\noutput = \"out\"\n")
	rel, err := filepath.Rel(work, filepath.Join(other, "site.toml"))
	if err != nil {
		t.Fatal(err)
	}
	c, err = Load(Options{WorkDir: work, File: rel})
	if err != nil {
		t.Fatal(err)
	}
	if c.File != filepath.Join(other, "site.toml") || c.Dir != other || c.Title != "Other" || c.Output != filepath.Join(other, "out") {
		t.Errorf("File, Dir, Title, Output = %q, %q, %q, %q; want the file in %s", c.File, c.Dir, c.Title, c.Output, other)
	}
	// Messages name a file outside the working folder by its whole path.
	if got, want := c.Source("title"), filepath.Join(other, "site.toml")+":1"; got != want {
		t.Errorf("Source(title) = %q, want %q", got, want)
	}
}

func TestConfigFlagMissing(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, FileName, "title = \"x\"\n")
	_, err := Load(Options{WorkDir: dir, File: "nothere.toml"})
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Load with a missing -config gave %v, want fs.ErrNotExist", err)
	}
	if !strings.HasPrefix(err.Error(), "-config nothere.toml: ") {
		t.Errorf("error %q does not start with -config nothere.toml: ", err)
	}
}

func TestPaths(t *testing.T) {
	root := t.TempDir()
	write(t, root, FileName, `content = ["prompts", "/abs/lib.md"]
logo = "img/logo.svg"
static = "../shared/static"
`)
	work := filepath.Join(root, "sub")
	if err := os.Mkdir(work, 0o755); err != nil {
		t.Fatal(err)
	}
	c, err := Load(Options{WorkDir: work,
		Flags:  []Flag{{Key: "theme", Name: "-theme", Value: "mytheme"}},
		Getenv: environ(map[string]string{"PROMPTSITE_FAVICON": "icon.png", "PROMPTSITE_OUTPUT": "/srv/www/../site"}),
	})
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs("/abs/lib.md")
	site, _ := filepath.Abs("/srv/site")
	for _, tt := range []struct{ name, got, want string }{
		{"content[0] (file)", c.Content[0], filepath.Join(root, "prompts")},
		{"content[1] (file, absolute)", c.Content[1], abs},
		{"logo (file)", c.Logo, filepath.Join(root, "img", "logo.svg")},
		{"static (file)", c.Static, filepath.Join(filepath.Dir(root), "shared", "static")},
		{"theme (flag)", c.Theme, filepath.Join(work, "mytheme")},
		{"favicon (env)", c.Favicon, filepath.Join(work, "icon.png")},
		{"output (env, absolute)", c.Output, site},
	} {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestEditLink(t *testing.T) {
	tests := []struct {
		file string
		git  string // where to put .git, relative to the project root; "" for none
		path string
		line int
		want string
	}{
		{`repository = "https://github.com/org/repo"`, "", "content/a.md", 12, "https://github.com/org/repo/blob/main/content/a.md#L12"},
		{"repository = \"https://github.com/org/repo\"\nbranch = \"release/2\"", "", "content/a.md", 3, "https://github.com/org/repo/blob/release/2/content/a.md#L3"},
		{`repository = "https://gitlab.com/group/sub/repo"`, "", "content/a.md", 7, "https://gitlab.com/group/sub/repo/-/blob/main/content/a.md#L7"},
		{`repository = "https://gitlab.example.org/repo"`, "", "a.md", 1, "https://gitlab.example.org/repo/-/blob/main/a.md#L1"},
		{`repository = "https://github.example.com/org/repo"`, "", "a.md", 1, "https://github.example.com/org/repo/blob/main/a.md#L1"},
		{`repository = "https://codeberg.org/org/repo"`, "", "a.md", 1, ""},
		{"repository = \"https://codeberg.org/org/repo\"\nedit_url = \"{repository}/_edit/{branch}/{path}\"", "", "content/a.md", 5, "https://codeberg.org/org/repo/_edit/main/content/a.md"},
		{`edit_url = "https://cms.example.com/edit?file={path}&line={line}"`, "", "content/a.md", 9, "https://cms.example.com/edit?file=content/a.md&line=9"},
		{`title = "no repository"`, "", "content/a.md", 1, ""},
		// Names are escaped.
		{`repository = "https://github.com/org/repo"`, "", "content/my prompts/c#.md", 2, "https://github.com/org/repo/blob/main/content/my%20prompts/c%23.md#L2"},
		// No line: the fragment goes.
		{`repository = "https://github.com/org/repo"`, "", "content/a.md", 0, "https://github.com/org/repo/blob/main/content/a.md"},
		// A path outside the project.
		{`repository = "https://github.com/org/repo"`, "", "../a.md", 1, ""},
		// The project root is a folder of the repository.
		{`repository = "https://github.com/org/repo"`, "../..", "content/a.md", 4, "https://github.com/org/repo/blob/main/docs/prompts/content/a.md#L4"},
		{`repository = "https://github.com/org/repo"`, ".", "content/a.md", 4, "https://github.com/org/repo/blob/main/content/a.md#L4"},
	}
	for _, tt := range tests {
		top := t.TempDir()
		root := filepath.Join(top, "docs", "prompts")
		write(t, root, FileName, tt.file)
		if tt.git != "" {
			if err := os.Mkdir(filepath.Join(root, tt.git, ".git"), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		c, err := Load(Options{WorkDir: root})
		if err != nil {
			t.Errorf("%s: %v", tt.file, err)
			continue
		}
		if got := c.EditLink(tt.path, tt.line); got != tt.want {
			t.Errorf("%s\n(.git at %q) EditLink(%q, %d) = %q, want %q", tt.file, tt.git, tt.path, tt.line, got, tt.want)
		}
		// An absolute path in the project gives the same link.
		if !strings.HasPrefix(tt.path, "..") {
			if got := c.EditLink(filepath.Join(root, filepath.FromSlash(tt.path)), tt.line); got != tt.want {
				t.Errorf("%s\nEditLink of the absolute path = %q, want %q", tt.file, got, tt.want)
			}
		}
	}
}

func TestBasePath(t *testing.T) {
	for _, tt := range []struct{ base, want string }{
		{"", "/"},
		{"https://example.com", "/"},
		{"https://org.github.io/repo", "/repo/"},
		{"https://example.com/a/b/", "/a/b/"},
		{"https://example.com/my%20prompts", "/my%20prompts/"},
	} {
		var flags []Flag
		if tt.base != "" {
			flags = []Flag{{Key: "base_url", Name: "-base-url", Value: tt.base}}
		}
		c, err := Load(Options{WorkDir: t.TempDir(), Flags: flags})
		if err != nil {
			t.Fatal(err)
		}
		if got := c.BasePath(); got != tt.want {
			t.Errorf("base_url %q: BasePath() = %q, want %q", tt.base, got, tt.want)
		}
	}
}

func TestExcluded(t *testing.T) {
	c := &Config{Exclude: []string{"drafts", "*.draft.md", "team/old", "a/*/c.md"}}
	for _, tt := range []struct {
		rel  string
		want bool
	}{
		{"drafts/a.md", true},
		{"team/drafts/x/b.md", true},
		{"drafts.md", false},
		{"notes.draft.md", true},
		{"team/notes.draft.md", true},
		{"team/old/a.md", true},
		{"team/old/x/b.md", true},
		{"team/older/a.md", false},
		{"x/team/old/a.md", false},
		{"a/b/c.md", true},
		{"a/b/d.md", false},
		{"prompts.md", false},
	} {
		if got := c.Excluded(tt.rel); got != tt.want {
			t.Errorf("Excluded(%q) = %v, want %v", tt.rel, got, tt.want)
		}
	}
	if (&Config{}).Excluded("drafts/a.md") {
		t.Error("Excluded with no patterns = true, want false")
	}
}

func TestClosest(t *testing.T) {
	for _, tt := range []struct{ s, want string }{
		{"titel", "title"},
		{"Title", "title"},
		{"BASE_URL", "base_url"},
		{"baseurl", "base_url"},
		{"footers", "footer"},
		{"them", "theme"},
		{"stati", "static"},
		{"favico", "favicon"},
		{"x", ""},
		{"color", ""},
		{"contents", "content"},
	} {
		if got := closest(tt.s, keyNames()); got != tt.want {
			t.Errorf("closest(%q) = %q, want %q", tt.s, got, tt.want)
		}
	}
}
