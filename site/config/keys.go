package config

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/promptsite/promptsite/site/i18n"
)

// A key is one setting.
type key struct {
	name string
	kind keyKind
	env  bool // $PROMPTSITE_<NAME> sets it
}

type keyKind int

const (
	stringKey   keyKind = iota
	pathKey             // a file or folder
	listKey             // a list of strings
	pathListKey         // a list of files or folders
	chatKey             // a list of chat names, or "none"
	footerKey           // an array of [[footer]] tables
	stringsKey          // a [strings] table of interface strings (see strings.go)
)

func (k keyKind) isList() bool { return k == listKey || k == pathListKey || k == chatKey }

// keys are the keys of the file, in the order they are documented and
// written.
var keys = []key{
	{"title", stringKey, true},
	{"description", stringKey, true},
	{"base_url", stringKey, true},
	{"content", pathListKey, false},
	{"exclude", listKey, false},
	{"output", pathKey, true},
	{"language", stringKey, true},
	{"repository", stringKey, true},
	{"branch", stringKey, true},
	{"edit_url", stringKey, true},
	{"logo", pathKey, true},
	{"favicon", pathKey, true},
	{"static", pathKey, true},
	{"theme", pathKey, true},
	{"footer", footerKey, false},
	{"chat", chatKey, true},
	{"last_updated", stringKey, true},
	{"strings", stringsKey, false},
}

var keyByName = map[string]key{}

func init() {
	for _, k := range keys {
		keyByName[k.name] = k
	}
}

// keyNames lists the keys for messages.
func keyNames() []string {
	var names []string
	for _, k := range keys {
		names = append(names, k.name)
	}
	return names
}

// envName returns the environment variable that sets key.
func envName(key string) string { return "PROMPTSITE_" + strings.ToUpper(key) }

// chats are the services a prompt can be opened in.
var chats = []string{"chatgpt", "claude"}

// def returns key's default value for a project rooted at dir.
func (k key) def(dir string) value {
	v := value{src: source{name: "default", kind: fromDefault, dir: dir}}
	switch k.name {
	case "content":
		v.list = []string{filepath.Join(dir, "content")}
	case "exclude":
		v.list = []string{}
	case "output":
		v.str = filepath.Join(dir, "public")
	case "branch":
		v.str = "main"
	case "chat":
		v.list = slices.Clone(chats)
	}
	return v
}

// check checks v, a value for k, and returns it normalised: paths made
// absolute, URLs given their canonical form.
func (k key) check(v value) (value, error) {
	var err error
	switch k.kind {
	case pathKey:
		if v.str == "" {
			if k.name == "output" {
				return v, v.src.errorf(k.name, "is empty; give a folder, such as \"public\"")
			}
			return v, nil
		}
		v.str = abs(v.src.dir, v.str)
	case pathListKey:
		if len(v.list) == 0 {
			return v, v.src.errorf(k.name, "is empty; give at least one file or folder")
		}
		list := make([]string, len(v.list))
		for i, p := range v.list {
			if p == "" {
				return v, v.src.errorf(k.name, "has an empty path")
			}
			list[i] = abs(v.src.dir, p)
		}
		v.list = list
	case footerKey:
		for i, l := range v.links {
			if l.Text == "" {
				return v, v.lsrc[i].errorf(k.name, "a link's text is empty")
			}
			if err := checkLinkURL(l.URL); err != nil {
				return v, v.lsrc[i].errorf(k.name, "%w", err)
			}
		}
	}
	switch k.name {
	case "base_url":
		v.str, err = checkURL(v.str, "the site's address", "https://example.com/")
		if err == nil && v.str != "" {
			u, _ := url.Parse(v.str)
			if !strings.HasSuffix(u.Path, "/") {
				u.Path += "/"
				if u.RawPath != "" {
					u.RawPath += "/"
				}
			}
			v.str = u.String()
		}
	case "repository":
		v.str, err = checkURL(v.str, "the repository's address", "https://github.com/org/repo")
		if err == nil && v.str != "" {
			u, _ := url.Parse(v.str)
			u.Path = strings.TrimSuffix(strings.TrimRight(u.Path, "/"), ".git")
			u.RawPath = ""
			if u.Path == "" {
				err = fmt.Errorf("%q names no repository; give its address, such as \"https://github.com/org/repo\"", v.str)
			}
			v.str = u.String()
		}
	case "language":
		if v.str != "" { // empty: the content's language
			err = checkLanguage(v.str)
		}
	case "branch":
		err = checkBranch(v.str)
	case "edit_url":
		err = checkEditURL(v.str)
	case "exclude":
		list := make([]string, len(v.list))
		for i, p := range v.list {
			if list[i], err = checkGlob(p); err != nil {
				break
			}
		}
		v.list = list
	case "chat":
		v.list, err = checkChat(v.list)
	case "last_updated":
		if v.str != "" && v.str != "git" {
			err = fmt.Errorf("%q is not a choice; use \"git\", or \"\" for no dates", v.str)
		}
	}
	if err != nil {
		return v, v.src.errorf(k.name, "%w", err)
	}
	return v, nil
}

// checkURL checks that s, unless empty, is an absolute http or https URL
// with a host and no query or fragment, and returns it with its host in
// lower case. what and example describe it in messages.
func checkURL(s, what, example string) (string, error) {
	if s == "" {
		return "", nil
	}
	if strings.HasPrefix(s, "/") {
		return "", fmt.Errorf("%q is a path; give %s, such as %q", s, what, example)
	}
	if !hasScheme(s) {
		return "", fmt.Errorf("%q has no scheme; add https://, as in %q", s, "https://"+s)
	}
	u, err := url.Parse(s)
	if err != nil {
		if ue, ok := errors.AsType[*url.Error](err); ok {
			err = ue.Err
		}
		return "", fmt.Errorf("%q is not a URL: %v", s, err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("%q is not an http or https URL", s)
	case u.Host == "":
		return "", fmt.Errorf("%q has no host", s)
	case u.User != nil:
		return "", fmt.Errorf("%q holds a user name; give %s only", s, what)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.HasSuffix(s, "#"):
		return "", fmt.Errorf("%q has a query or fragment; give %s only", s, what)
	}
	u.Host = strings.ToLower(u.Host)
	return u.String(), nil
}

// hasScheme reports whether s starts with a URL scheme: "https://x" and
// "mailto:x" do; "example.com/x" and "localhost:8080" do not.
func hasScheme(s string) bool {
	if strings.Contains(s, "://") {
		return true
	}
	scheme, rest, ok := strings.Cut(s, ":")
	if !ok || scheme == "" || strings.ContainsAny(scheme, "/.") {
		return false
	}
	return rest == "" || rest[0] < '0' || rest[0] > '9'
}

// checkLinkURL checks a footer link's url: an absolute http or https URL,
// or a path.
func checkLinkURL(s string) error {
	switch {
	case s == "":
		return errors.New("a link's url is empty")
	case strings.HasPrefix(s, "//"):
		return fmt.Errorf("url %q has no scheme; write https:%s", s, s)
	case hasScheme(s):
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("url %q is neither an http or https URL nor a path", s)
		}
	}
	return nil
}

// checkLanguage checks that s looks like a BCP 47 language tag: a language
// of two or three letters, then subtags of one to eight letters and digits,
// each after a hyphen.
func checkLanguage(s string) error {
	if strings.Contains(s, "_") {
		return fmt.Errorf("%q is not a language tag; write %q", s, strings.ReplaceAll(s, "_", "-"))
	}
	if !i18n.IsTag(s) {
		return fmt.Errorf("%q is not a language tag such as \"en\" or \"pt-BR\"", s)
	}
	return nil
}

// checkBranch checks that s can be a git branch name in a URL.
func checkBranch(s string) error {
	if s == "" {
		return errors.New("is empty; give a branch name, such as \"main\"")
	}
	if i := strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune("~^:?*[\\#", r)
	}); i >= 0 {
		return fmt.Errorf("%q is not a branch name: it holds %q", s, s[i:i+1])
	}
	return nil
}

var placeholder = regexp.MustCompile(`\{[^{}]*\}`)

// checkEditURL checks an edit_url pattern.
func checkEditURL(s string) error {
	if s == "" {
		return nil
	}
	for _, p := range placeholder.FindAllString(s, -1) {
		switch p {
		case "{path}", "{line}", "{repository}", "{branch}":
		default:
			return fmt.Errorf("%q has an unknown placeholder %s; the placeholders are {path}, {line}, {repository} and {branch}", s, p)
		}
	}
	if !strings.Contains(s, "{path}") {
		return fmt.Errorf("%q has no {path}; a pattern needs {path}, and may use {line}, {repository} and {branch}", s)
	}
	sample := strings.NewReplacer("{repository}", "https://example.com/org/repo", "{branch}", "main",
		"{path}", "a/b.md", "{line}", "1").Replace(s)
	if u, err := url.Parse(sample); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http or https URL", s)
	}
	return nil
}

// checkGlob checks an exclude pattern and returns it without a trailing
// slash.
func checkGlob(p string) (string, error) {
	q := strings.TrimSuffix(p, "/")
	switch {
	case q == "":
		return "", fmt.Errorf("has an empty pattern")
	case strings.HasPrefix(q, "/") || strings.HasPrefix(q, "./"):
		return "", fmt.Errorf("pattern %q starts with %q; patterns are relative to each content folder, as in \"drafts\"", p, p[:strings.IndexByte(p, '/')+1])
	}
	if _, err := path.Match(q, ""); err != nil {
		return "", fmt.Errorf("pattern %q is malformed: %v", p, err)
	}
	return q, nil
}

// checkChat checks a list of chat names, each of which may be several
// separated by commas, and returns them in lower case, without repeats;
// ["none"] is the empty list.
func checkChat(list []string) ([]string, error) {
	var names []string
	for _, s := range list {
		names = append(names, strings.Split(s, ",")...)
	}
	out := []string{}
	for _, s := range names {
		n := strings.ToLower(strings.TrimSpace(s))
		switch {
		case n == "none" && len(names) == 1:
			return []string{}, nil
		case n == "none":
			return nil, errors.New("\"none\" cannot be listed with other chats")
		case !slices.Contains(chats, n):
			return nil, fmt.Errorf("unknown chat %q%s; the chats are %s, or \"none\"", s, suggest(n, chats), strings.Join(chats, ", "))
		case !slices.Contains(out, n):
			out = append(out, n)
		}
	}
	return out, nil
}

// suggest returns ` (did you mean "x"?)` for the choice closest to s, or ""
// when none is close.
func suggest(s string, choices []string) string {
	if c := closest(s, choices); c != "" {
		return fmt.Sprintf(" (did you mean %q?)", c)
	}
	return ""
}

// aliases are names people reach for, from other tools, with the key they
// mean.
var aliases = map[string]string{
	"url":     "base_url",
	"baseurl": "base_url",
	"ignore":  "exclude",
	"publish": "output",
	"out":     "output",
	"lang":    "language",
	"repo":    "repository",
	"icon":    "favicon",
}

// closest returns the choice s is most likely a misspelling of, or "".
// Case, hyphens and underscores do not count; otherwise the choice must be
// at most one edit (a third of the length, for longer names) away, or
// begin with s.
func closest(s string, choices []string) string {
	norm := func(s string) string {
		return strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(s))
	}
	n := norm(s)
	if a, ok := aliases[n]; ok && slices.Contains(choices, a) {
		return a
	}
	best, bestD := "", max(1, len(n)/3)+1
	for _, c := range choices {
		nc := norm(c)
		if nc == n {
			return c
		}
		if d := distance(n, nc); d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" && len(n) >= 4 {
		for _, c := range choices {
			if strings.HasPrefix(norm(c), n) {
				return c
			}
		}
	}
	return best
}

// distance returns the number of single-letter insertions, deletions,
// substitutions and swaps of adjacent letters that turn a into b.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
