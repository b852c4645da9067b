// Package config resolves promptsite's settings from flags, promptsite.toml,
// the environment and defaults, and remembers where each one came from.
package config

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// FileName is the name of the configuration file, looked for in the
// working folder and each folder above it.
const FileName = "promptsite.toml"

// Config is the effective configuration. Every path in it is absolute and
// cleaned. testdata/example/promptsite.toml shows every key of the file.
type Config struct {
	// Dir is the project root: the config file's folder, or the working
	// folder when there is no file. Paths in the file are relative to it.
	Dir string
	// File is the config file's path, or "" when none was found.
	File string

	// Title is the site's name: title = "Team prompts".
	Title string
	// Description is a sentence about the site, for link previews:
	// description = "The prompts our team uses every day".
	Description string
	// BaseURL is the site's address, ending with "/", or "" when it is not
	// known: base_url = "https://org.github.io/repo/". It must be an
	// absolute http or https URL with a host and no query or fragment.
	BaseURL string

	// Content lists the markdown files and folders of markdown files the
	// site is made from: content = ["content", "more/prompts.md"].
	// Default: ["content"].
	Content []string
	// Exclude lists slash-separated path.Match patterns of content files to
	// leave out: exclude = ["drafts", "*.draft.md", "team/old/*.md"].
	// See Excluded for how they are matched.
	Exclude []string
	// Output is the folder the site is written to: output = "public".
	// Default: "public".
	Output string

	// Language is the language of the library, a BCP 47 tag: the pages'
	// html lang, their interface strings and the search's analysis:
	// language = "pt-BR". Default: empty, the language most of the content
	// is written in (see search.Language).
	Language string
	// Repository is the address of the repository the content lives in,
	// without a trailing "/" or ".git":
	// repository = "https://github.com/org/repo".
	Repository string
	// Branch is the repository's branch that edit links point to:
	// branch = "trunk". Default: "main".
	Branch string
	// EditURL is the pattern of a prompt's "Edit this prompt" link, with
	// {path} and {line} left to fill in (see EditLink); "" when there is
	// none. In the file it may also use {repository} and {branch}:
	// edit_url = "https://git.example.com/{repository}/src/branch/{branch}/{path}#L{line}".
	// Default: derived from Repository on GitHub and GitLab hosts.
	EditURL string

	// Logo is an image file shown in the header: logo = "images/logo.svg".
	Logo string
	// Favicon is the site's icon file: favicon = "images/favicon.png".
	Favicon string
	// Static is a folder copied into the site as it is, for files such as
	// CNAME or _headers: static = "static".
	Static string
	// Theme is a folder whose templates/ and assets/ replace the built-in
	// theme's files of the same name, one by one: theme = "theme".
	Theme string

	// Footer lists the links in the page footer, each a [[footer]] table
	// with text and url (absolute http or https, or a path):
	//
	//	[[footer]]
	//	text = "Source"
	//	url = "https://github.com/org/repo"
	Footer []Link

	// Chat lists the chat services a prompt gets an "Open in" link for:
	// chat = ["claude"], or chat = "none" for no links.
	// Default: ["chatgpt", "claude"].
	Chat []string

	// LastUpdated says where a page's "last updated" date comes from:
	// "" for nowhere (the default) or "git": last_updated = "git".
	LastUpdated string

	// Strings are the library's own interface strings, by the keys of
	// package i18n, in place of promptsite's for the language: a
	// [strings] table, copy = "Copy to clipboard". Source("strings.copy")
	// says where each was set. nil for none.
	Strings map[string]string

	// Preview is true on a Netlify deploy preview or branch deploy, or a
	// Cloudflare Pages build of a branch other than the production one, whose
	// pages must not be indexed by search engines.
	Preview bool

	src     map[string]source // key → where its value came from
	linkSrc []string          // the source of each Footer link
	gitDir  string            // the project root's path in its git work tree, slash-separated; "" at the top
}

// Link is a link in the page footer.
type Link struct {
	Text string
	URL  string
}

// Flag is a key set on the command line.
type Flag struct {
	Key    string   // the key it sets, e.g. "base_url"
	Name   string   // the flag as the user wrote it, e.g. "-base-url"; "arguments" for command arguments; "" for "-" and the key with hyphens
	Value  string   // the value, for keys that take a string
	Values []string // the values, for keys that take a list; when nil, Value is the only one
}

// Options are what Load resolves the configuration from.
type Options struct {
	WorkDir string              // the working folder; "" for the process's own
	File    string              // the config file given with -config; "" to search for one
	Flags   []Flag              // the flags the user gave, and nothing else
	Getenv  func(string) string // os.Getenv in the real command; nil means no environment
}

// ErrUsage is matched, with errors.Is, by errors about values given on the
// command line, so that a command can exit with its usage status.
var ErrUsage = errors.New("usage error")

// Error is a value that cannot be used, with where it came from.
type Error struct {
	Source string // "promptsite.toml:7", "-base-url", "$URL", "arguments"
	Key    string // the key, such as "base_url"; "" for errors about the file itself
	Err    error  // what is wrong with it
	usage  bool   // the value came from the command line
	inFile bool   // the value came from the file, so the message names the key
	line   int    // the line in the file, for sorting
}

// Error returns the source, the key when the source does not name it, and
// the problem: `promptsite.toml:4: base_url: "example.com" has no scheme; …`.
func (e *Error) Error() string {
	if e.inFile && e.Key != "" {
		return e.Source + ": " + e.Key + ": " + e.Err.Error()
	}
	return e.Source + ": " + e.Err.Error()
}

// Unwrap returns the problem.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is ErrUsage and the value came from the command
// line.
func (e *Error) Is(target error) bool { return target == ErrUsage && e.usage }

// A source is where a value came from.
type source struct {
	name string // what Config.Source reports
	kind sourceKind
	dir  string // the folder relative paths start from
	line int    // the line in the file
}

type sourceKind int

const (
	fromDefault sourceKind = iota
	fromEnv
	fromFile
	fromFlag
)

func (s source) errorf(key, format string, args ...any) *Error {
	return &Error{Source: s.name, Key: key, Err: fmt.Errorf(format, args...),
		usage: s.kind == fromFlag, inFile: s.kind == fromFile, line: s.line}
}

// A value is one key's value from one source, before it is checked.
type value struct {
	str   string
	list  []string
	links []Link
	lsrc  []source // the source of each link
	strs  map[string]string
	ssrc  map[string]source // the source of each string
	src   source
}

// Load resolves the configuration. For each key the first of these that
// gives it wins:
//
//   - a flag (o.Flags);
//   - on a Netlify deploy preview or branch deploy ($CONTEXT is
//     "deploy-preview" or "branch-deploy"), $DEPLOY_PRIME_URL for base_url,
//     because the file describes the production site; and on a Cloudflare
//     Pages build of a branch other than the production one
//     ($CF_PAGES_BRANCH is not branch, by default "main"), $CF_PAGES_URL;
//   - the config file: o.File, or else the first promptsite.toml in the
//     working folder or a folder above it;
//   - the environment: $PROMPTSITE_<KEY> for the keys that take a string
//     (PROMPTSITE_BASE_URL, PROMPTSITE_OUTPUT, …; PROMPTSITE_CHAT takes
//     names separated by commas), then for base_url $URL (Netlify) and
//     $CF_PAGES_URL (Cloudflare Pages);
//   - the default.
//
// Paths in the file are relative to its folder; paths from flags and the
// environment are relative to the working folder. Every value in the file
// and every flag is checked; a value from the environment only when it is
// used. Load reports all the problems it finds, joined; those with flag
// values match ErrUsage.
func Load(o Options) (*Config, error) {
	wd := o.WorkDir
	if wd == "" {
		var err error
		if wd, err = os.Getwd(); err != nil {
			return nil, fmt.Errorf("config: working folder: %w", err)
		}
	}
	wd, err := filepath.Abs(wd)
	if err != nil {
		return nil, fmt.Errorf("config: working folder: %w", err)
	}
	getenv := o.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}

	c := &Config{Dir: wd, src: map[string]source{}}
	file := map[string]value{}
	var errs []error
	if o.File != "" {
		c.File = abs(wd, o.File)
	} else {
		c.File = find(wd)
	}
	if c.File != "" {
		c.Dir = filepath.Dir(c.File)
		data, err := os.ReadFile(c.File)
		if err != nil {
			if o.File != "" {
				return nil, fmt.Errorf("-config %s: %w", o.File, err)
			}
			return nil, fmt.Errorf("config file: %w", err)
		}
		var ferrs []error
		file, ferrs = parse(display(wd, c.File), c.Dir, data)
		errs = append(errs, ferrs...)
	}

	flags := map[string]value{}
	for _, f := range o.Flags {
		k, ok := keyByName[f.Key]
		if !ok || k.kind == footerKey || k.kind == stringsKey {
			return nil, fmt.Errorf("config: flag %s sets %q, which no flag can set", f.Name, f.Key)
		}
		name := f.Name
		if name == "" {
			name = "-" + strings.ReplaceAll(k.name, "_", "-")
		}
		v := value{str: f.Value, list: f.Values, src: source{name: name, kind: fromFlag, dir: wd}}
		if k.kind.isList() && v.list == nil {
			v.list = []string{f.Value}
			if f.Value == "" {
				v.list = []string{}
			}
		}
		flags[k.name] = v
	}

	env := map[string]value{}
	for _, k := range keys {
		if !k.env {
			continue
		}
		names := []string{envName(k.name)}
		if k.name == "base_url" {
			names = append(names, "URL", "CF_PAGES_URL")
		}
		for _, n := range names {
			if s := getenv(n); s != "" {
				env[k.name] = value{str: s, list: []string{s}, src: source{name: "$" + n, kind: fromEnv, dir: wd}}
				break
			}
		}
	}
	ctx := getenv("CONTEXT")
	c.Preview = ctx == "deploy-preview" || ctx == "branch-deploy"
	var preview *value
	if s := getenv("DEPLOY_PRIME_URL"); c.Preview && s != "" {
		preview = &value{str: s, src: source{name: "$DEPLOY_PRIME_URL", kind: fromEnv, dir: wd}}
	}
	// Cloudflare Pages builds every branch at its own address: one that is
	// not the production branch (branch, "main" by default) is a preview.
	if cf, branch := getenv("CF_PAGES_URL"), getenv("CF_PAGES_BRANCH"); !c.Preview && cf != "" && branch != "" {
		prod := "main"
		for _, layer := range []map[string]value{flags, file, env} {
			if v, ok := layer["branch"]; ok && v.str != "" {
				prod = v.str
				break
			}
		}
		if branch != prod {
			c.Preview = true
			preview = &value{str: cf, src: source{name: "$CF_PAGES_URL", kind: fromEnv, dir: wd}}
		}
	}

	// Check every value in the file and every flag, so that a mistake is
	// reported even where another source overrides it.
	for _, layer := range []map[string]value{file, flags} {
		for _, k := range keys {
			if v, ok := layer[k.name]; ok {
				v, err := k.check(v)
				if err != nil {
					errs = append(errs, err)
				}
				layer[k.name] = v
			}
		}
	}
	for _, k := range keys {
		v, ok := flags[k.name]
		if !ok && k.name == "base_url" && preview != nil {
			v, ok = *preview, true
		}
		if !ok {
			v, ok = file[k.name]
		}
		if !ok {
			v, ok = env[k.name]
		}
		if !ok {
			v = k.def(c.Dir)
		}
		if v.src.kind == fromEnv {
			if v, err = k.check(v); err != nil {
				errs = append(errs, err)
			}
		}
		c.set(k, v)
	}
	if err := c.deriveEditURL(); err != nil {
		errs = append(errs, err)
	}
	c.gitDir = gitDir(c.Dir)
	if len(errs) > 0 {
		// The file's errors first, in the order of its lines.
		slices.SortStableFunc(errs, func(a, b error) int { return cmp.Compare(fileLine(a), fileLine(b)) })
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// set stores a checked value in c.
func (c *Config) set(k key, v value) {
	c.src[k.name] = v.src
	switch k.name {
	case "title":
		c.Title = v.str
	case "description":
		c.Description = v.str
	case "base_url":
		c.BaseURL = v.str
	case "content":
		c.Content = v.list
	case "exclude":
		c.Exclude = v.list
	case "output":
		c.Output = v.str
	case "language":
		c.Language = v.str
	case "repository":
		c.Repository = v.str
	case "branch":
		c.Branch = v.str
	case "edit_url":
		c.EditURL = v.str
	case "logo":
		c.Logo = v.str
	case "favicon":
		c.Favicon = v.str
	case "static":
		c.Static = v.str
	case "theme":
		c.Theme = v.str
	case "footer":
		c.Footer = v.links
		c.linkSrc = nil
		for _, s := range v.lsrc {
			c.linkSrc = append(c.linkSrc, s.name)
		}
	case "chat":
		c.Chat = v.list
	case "last_updated":
		c.LastUpdated = v.str
	case "strings":
		c.Strings = v.strs
		for s, src := range v.ssrc {
			c.src["strings."+s] = src
		}
	default:
		panic("config: no field for key " + k.name)
	}
}

// deriveEditURL fills in the placeholders {repository} and {branch} of the
// edit_url pattern, or derives the pattern from the repository's host when
// none was given.
func (c *Config) deriveEditURL() error {
	if c.EditURL == "" && c.src["edit_url"].kind == fromDefault {
		u, err := url.Parse(c.Repository)
		if c.Repository == "" || err != nil {
			return nil
		}
		host := strings.ToLower(u.Hostname())
		switch {
		case strings.Contains(host, "gitlab"):
			c.EditURL = "{repository}/-/blob/{branch}/{path}#L{line}"
		case strings.Contains(host, "github") && !strings.HasSuffix(host, ".github.io"):
			c.EditURL = "{repository}/blob/{branch}/{path}#L{line}"
		default:
			return nil
		}
		c.src["edit_url"] = source{name: "derived from repository", kind: fromDefault}
	}
	if strings.Contains(c.EditURL, "{repository}") && c.Repository == "" {
		return c.src["edit_url"].errorf("edit_url", "%q uses {repository}, but repository is not set", c.EditURL)
	}
	c.EditURL = strings.NewReplacer("{repository}", c.Repository, "{branch}", c.Branch).Replace(c.EditURL)
	return nil
}

// Source returns where key's value came from: "default",
// "promptsite.toml:4", "$URL", "-base-url", "arguments", or "derived from
// repository" for an edit_url pattern made from the repository. It returns
// "" for an unknown key.
func (c *Config) Source(key string) string {
	return c.src[key].name
}

// BasePath returns the path of the base URL, such as "/repo/": the path
// every page's address starts with. It is "/" when there is no base URL.
func (c *Config) BasePath() string {
	if c.BaseURL == "" {
		return "/"
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil {
		return "/"
	}
	return u.EscapedPath()
}

// EditLink returns the "Edit this prompt" link for line of the file at
// path, which is relative to the project root (slash-separated) or
// absolute. In the link the path is relative to the git work tree when the
// project root is inside one, so that it is the file's path in the
// repository. EditLink returns "" when there is no edit_url, or when path
// is outside the project root. A line below 1 drops the part of the
// pattern's #fragment that holds {line}.
func (c *Config) EditLink(p string, line int) string {
	if c.EditURL == "" {
		return ""
	}
	if filepath.IsAbs(p) {
		rel, err := filepath.Rel(c.Dir, p)
		if err != nil {
			return ""
		}
		p = rel
	}
	p = path.Clean(filepath.ToSlash(p))
	if p == "." || p == ".." || strings.HasPrefix(p, "../") || strings.HasPrefix(p, "/") {
		return ""
	}
	p = path.Join(c.gitDir, p)
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	pattern := c.EditURL
	if line < 1 {
		if i := strings.IndexByte(pattern, '#'); i >= 0 && strings.Contains(pattern[i:], "{line}") {
			pattern = pattern[:i]
		}
	}
	return strings.NewReplacer("{path}", strings.Join(parts, "/"), "{line}", strconv.Itoa(max(line, 0))).Replace(pattern)
}

// Excluded reports whether the content file at rel, its slash-separated
// path relative to its content root, is left out by an exclude pattern. A
// pattern excludes the file when path.Match matches it against the whole
// of rel ("team/old/*.md"), against a folder rel is in ("team/old" leaves
// out team/old/a.md and team/old/x/b.md), or against any single element of
// rel ("drafts" leaves out drafts/a.md and team/drafts/b.md; "*.draft.md"
// leaves out such files in any folder). A content root that is a file is
// matched by its name.
func (c *Config) Excluded(rel string) bool {
	if len(c.Exclude) == 0 {
		return false
	}
	elems := strings.Split(rel, "/")
	for _, p := range c.Exclude {
		for i := range elems {
			if ok, _ := path.Match(p, strings.Join(elems[:i+1], "/")); ok {
				return true
			}
			if ok, _ := path.Match(p, elems[i]); ok {
				return true
			}
		}
	}
	return false
}

// fileLine returns the line of the file an error is about, or a line
// after every line for an error about something else.
func fileLine(err error) int {
	if e, ok := err.(*Error); ok && e.inFile {
		return e.line
	}
	return math.MaxInt
}

// find returns the first promptsite.toml in dir or a folder above it, or
// "" when there is none.
func find(dir string) string {
	for {
		f := filepath.Join(dir, FileName)
		if fi, err := os.Stat(f); err == nil && fi.Mode().IsRegular() {
			return f
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// gitDir returns dir's path relative to the git work tree holding it,
// slash-separated, or "" when dir is the top of one or in none.
func gitDir(dir string) string {
	for d := dir; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			rel, err := filepath.Rel(d, dir)
			if err != nil || rel == "." {
				return ""
			}
			return filepath.ToSlash(rel)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return ""
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// abs returns p made absolute against dir, and cleaned.
func abs(dir, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(dir, p)
}

// display returns how messages name the file at p: relative to the working
// folder wd when it is in wd or a folder above it, absolute otherwise.
func display(wd, p string) string {
	rel, err := filepath.Rel(wd, p)
	if err != nil {
		return p
	}
	up := strings.Split(filepath.ToSlash(filepath.Dir(rel)), "/")
	if up[0] != ".." {
		return rel
	}
	for _, e := range up {
		if e != ".." {
			return p
		}
	}
	return rel
}
