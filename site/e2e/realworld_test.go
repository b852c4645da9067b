package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/promptsite/promptsite/site"
	"github.com/promptsite/promptsite/site/config"
	"github.com/promptsite/promptsite/site/internal/chromium"
	"github.com/promptsite/promptsite/site/output"
	"github.com/promptsite/promptsite/site/project"
)

// realRoot holds three public prompt libraries as their authors publish
// them (see its README.md). The tests read them as they are and never
// change them.
const realRoot = "../../../shared/realworld"

// realLibrary is one of them: where it is, how many prompts the issue
// expects of it, and what the tests read from its markdown on their own.
type realLibrary struct {
	name    string // its folder in realRoot
	want    int    // the prompts it holds, by the shapes' rule
	read    func(dir string) ([]realPrompt, error)
	prompts []realPrompt
}

// realPrompt is a prompt as the tests expect the site to publish it.
type realPrompt struct {
	title string
	page  string // the address of its page, such as /prompts/
	// id is its section's id on a page of several prompts; "" when the
	// prompt has a page of its own.
	id string
	// text is what its Copy button must put on the clipboard.
	text string
	// block is set when the text is a fenced block of the prompt's page
	// rather than the page's whole prompt.
	block bool
}

// realLibraries are the three libraries. The issue counts 229 (± 3)
// prompts in awesome-chatgpt-prompts: its "# Prompts" has 229 "## "
// sections, of which 228 hold a blockquote; the last, "Contributors",
// holds none.
var realLibraries = []*realLibrary{
	{name: "awesome-chatgpt-prompts", want: 228, read: readQuoteLibrary},
	{name: "awesome-copilot", want: 143, read: readFilePrompts},
	{name: "fabric", want: 57, read: readFolderPrompts},
}

var (
	atxRE   = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	quoteRE = regexp.MustCompile(`^ {0,3}>`)
	olRE    = regexp.MustCompile(`^\d+[.)]( |$)`)
)

// readSource reads a markdown file as a browser shows its text: without a
// byte-order mark, with every line ending a "\n".
func readSource(file string) (string, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	b = bytes.TrimPrefix(b, []byte("\uFEFF"))
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	b = bytes.ReplaceAll(b, []byte("\r"), []byte("\n"))
	return string(b), nil
}

// fence is an open fenced block: its marker's character and length.
type fence struct {
	char byte
	n    int
	info string
}

// openFence reports whether line opens a fenced block. The scan is
// coarser than CommonMark's: a fence is one at any indentation, which is
// right for the libraries read here, whose fences in lists are indented.
func openFence(line string) (fence, bool) {
	t := strings.TrimLeft(line, " \t")
	if len(t) < 3 || (t[0] != '`' && t[0] != '~') {
		return fence{}, false
	}
	n := 0
	for n < len(t) && t[n] == t[0] {
		n++
	}
	info := strings.TrimSpace(t[n:])
	if n < 3 || t[0] == '`' && strings.Contains(info, "`") {
		return fence{}, false
	}
	return fence{char: t[0], n: n, info: info}, true
}

// closes reports whether line closes the fenced block f.
func (f fence) closes(line string) bool {
	t := strings.TrimSpace(line)
	return len(t) >= f.n && strings.Trim(t, string(f.char)) == ""
}

// heading returns the level and text of an ATX heading, or 0.
func heading(line string) (int, string) {
	m := atxRE.FindStringSubmatch(line)
	if m == nil {
		return 0, ""
	}
	return len(m[1]), m[2]
}

func isBlank(line string) bool { return strings.TrimSpace(line) == "" }

// trimBlankLines drops the blank lines that start and end lines, and the
// white space that ends the last.
func trimBlankLines(lines []string) string {
	for len(lines) > 0 && isBlank(lines[0]) {
		lines = lines[1:]
	}
	return strings.TrimRight(strings.Join(lines, "\n"), " \t\n")
}

// humanize is how a file or folder name reads as a title: "boost-prompt"
// is "Boost prompt".
func humanize(name string) string {
	s := strings.Join(strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '_' || unicode.IsSpace(r) }), " ")
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// readQuoteLibrary reads awesome-chatgpt-prompts: one README.md whose
// "# Prompts" holds "## Act as …" sections, each with its prompt in a
// blockquote. Every prompt is a section of the page /prompts/, with
// GitHub's id for its heading, made unique across the file.
func readQuoteLibrary(dir string) ([]realPrompt, error) {
	file := filepath.Join(dir, "README.md")
	src, err := readSource(file)
	if err != nil {
		return nil, err
	}
	var (
		out    []realPrompt
		cur    *realPrompt // the "## " section being read
		quote  []string    // its first blockquote's lines, markers removed
		state  int         // 0 before its blockquote, 1 in it, 2 after it
		inList bool        // in the "# Prompts" part of the file
		open   *fence
		used   = map[string]int{}
	)
	end := func() {
		for len(quote) > 0 && isBlank(quote[len(quote)-1]) {
			quote = quote[:len(quote)-1]
		}
		for len(quote) > 0 && isBlank(quote[0]) {
			quote = quote[1:]
		}
		if cur != nil && len(quote) > 0 {
			// As written: only the blank lines around it go.
			cur.text = strings.Join(quote, "\n")
			out = append(out, *cur)
		}
		cur, quote, state = nil, nil, 0
	}
	for n, line := range strings.Split(src, "\n") {
		if open != nil {
			if open.closes(line) {
				open = nil
			}
			continue
		}
		if f, ok := openFence(line); ok {
			open = &f
			continue
		}
		if level, text := heading(line); level > 0 {
			id := uniqueSlug(used, githubSlug(plainText(text)))
			if level <= 2 {
				end()
			}
			switch {
			case level == 1:
				inList = text == "Prompts"
			case level == 2 && inList:
				cur = &realPrompt{title: text, page: "/prompts/", id: id}
			}
			continue
		}
		if cur == nil {
			continue
		}
		switch {
		case state < 2 && quoteRE.MatchString(line):
			// The marker and one space after it go; the rest is the
			// prompt as written.
			t := strings.TrimLeft(line, " ")[1:]
			quote = append(quote, strings.TrimPrefix(t, " "))
			state = 1
		case state == 1 && isBlank(line):
			state = 2
		case state == 1:
			return nil, fmt.Errorf("%s:%d: a line that continues a blockquote without its marker, which this reader does not read", file, n+1)
		}
	}
	end()
	return out, nil
}

// frontMatter splits off the YAML between two lines of "---" at the top of
// src, and returns its name key (the only one the prompts here are titled
// by) and the rest of the file.
func frontMatter(file, src string) (name, body string, err error) {
	rest, ok := strings.CutPrefix(src, "---\n")
	if !ok {
		return "", src, nil
	}
	lines := strings.SplitAfter(rest, "\n")
	for i, l := range lines {
		if strings.TrimRight(l, " \t\n") != "---" {
			continue
		}
		for _, kv := range lines[:i] {
			k, v, _ := strings.Cut(strings.TrimRight(kv, "\n"), ":")
			switch k {
			case "title":
				return "", "", fmt.Errorf("%s: front matter with a title, which this reader does not read", file)
			case "name":
				name = strings.Trim(strings.TrimSpace(v), `"'`)
			}
		}
		return name, strings.Join(lines[i+1:], ""), nil
	}
	return "", "", fmt.Errorf("%s: front matter that is never closed", file)
}

// unwrapFile returns what a file holds when it is nothing but one block
// fenced as prompt or markdown, as some editors save prompt files.
func unwrapFile(src string) string {
	lines := strings.Split(strings.TrimRight(src, " \t\n"), "\n")
	f, ok := openFence(lines[0])
	if !ok || len(lines) < 2 || !slices.Contains([]string{"prompt", "markdown", "md"}, strings.ToLower(f.info)) ||
		!f.closes(lines[len(lines)-1]) {
		return src
	}
	return strings.Join(lines[1:len(lines)-1], "\n") + "\n"
}

// proseInfo are the info strings of a fenced block of prose, which can
// hold a prompt.
var proseInfo = []string{"", "text", "txt", "plain", "plaintext", "markdown", "md", "prompt"}

// onlyBlock returns the text of body's fenced block when body is nothing
// but paragraphs and then that block of prose.
func onlyBlock(body []string) (string, bool) {
	var f *fence
	var text []string
	closed := false
	for _, l := range body {
		switch {
		case closed:
			if !isBlank(l) {
				return "", false // something after the block
			}
		case f != nil && f.closes(l):
			closed = true
		case f != nil:
			text = append(text, l)
		case isBlank(l):
		default:
			if nf, ok := openFence(l); ok {
				if !slices.Contains(proseInfo, strings.ToLower(nf.info)) {
					return "", false
				}
				f = &nf
				continue
			}
			// A line that starts anything but a paragraph.
			t := strings.TrimLeft(l, " ")
			if len(l)-len(t) >= 4 || strings.ContainsAny(t[:1], "#>|<-*+") || olRE.MatchString(t) {
				return "", false
			}
		}
	}
	if !closed {
		return "", false
	}
	return strings.Join(text, "\n"), true
}

// readFilePrompts reads awesome-copilot: prompts/*.prompt.md, each one
// prompt with front matter, most titled by one "# " heading. Each prompt
// has a page of its own, /prompts/<name>/, and its text is the file after
// its front matter and title.
func readFilePrompts(dir string) ([]realPrompt, error) {
	files, err := filepath.Glob(filepath.Join(dir, "prompts", "*.md"))
	if err != nil {
		return nil, err
	}
	var out []realPrompt
	for _, file := range files {
		src, err := readSource(file)
		if err != nil {
			return nil, err
		}
		name, body, err := frontMatter(file, unwrapFile(src))
		if err != nil {
			return nil, err
		}
		stem := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(file), ".md"), ".prompt")
		lines := strings.Split(body, "\n")
		// The file's H1s, outside fenced blocks.
		var h1s []int
		var open *fence
		first := -1
		for i, l := range lines {
			if open != nil {
				if open.closes(l) {
					open = nil
				}
				continue
			}
			if first < 0 && !isBlank(l) {
				first = i
			}
			if f, ok := openFence(l); ok {
				open = &f
				continue
			}
			if level, _ := heading(l); level == 1 {
				h1s = append(h1s, i)
			}
			if strings.Trim(strings.TrimSpace(l), "=") == "" && !isBlank(l) && i > 0 && !isBlank(lines[i-1]) {
				return nil, fmt.Errorf("%s:%d: a setext heading, which this reader does not read", file, i+1)
			}
		}
		p := realPrompt{page: "/prompts/" + githubSlug(stem) + "/"}
		switch {
		case len(h1s) == 1 && h1s[0] == first:
			_, p.title = heading(lines[first])
			lines = lines[first+1:]
		case name != "":
			p.title = name
		default:
			p.title = humanize(stem)
		}
		p.text = trimBlankLines(lines)
		if text, ok := onlyBlock(lines); ok {
			p.text, p.block = text, true
		}
		out = append(out, p)
	}
	return out, nil
}

// readFolderPrompts reads fabric: patterns/<name>/system.md, each folder
// one prompt named by the folder, its text the whole file.
func readFolderPrompts(dir string) ([]realPrompt, error) {
	files, err := filepath.Glob(filepath.Join(dir, "patterns", "*", "system.md"))
	if err != nil {
		return nil, err
	}
	var out []realPrompt
	for _, file := range files {
		src, err := readSource(file)
		if err != nil {
			return nil, err
		}
		name := filepath.Base(filepath.Dir(file))
		out = append(out, realPrompt{title: name, page: "/patterns/" + githubSlug(name) + "/",
			text: trimBlankLines(strings.Split(src, "\n"))})
	}
	return out, nil
}

// realSite is a real library built as a new user builds it, served on
// loopback.
type realSite struct {
	lib *realLibrary
	*builtSite
}

var (
	realOnce  sync.Once
	realBuilt []*realSite
	realErr   error
)

// needReal skips t when the real libraries are not beside the project's
// checkout, as in a clone of the project on its own: they are the
// workplace's, not the project's, and are not committed with it.
func needReal(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(realRoot); err != nil {
		t.Skipf("the real libraries are not at %s (%v): put shared/realworld beside the checkout to run this", realRoot, err)
	}
}

// realSites builds the three libraries once for the test binary and serves
// each from a static file server of its own.
func realSites(t *testing.T) []*realSite {
	t.Helper()
	needReal(t)
	realOnce.Do(func() {
		tmp, err := os.MkdirTemp("", "promptsite-e2e-real-")
		if err != nil {
			realErr = err
			return
		}
		atExit(func() { os.RemoveAll(tmp) })
		realBuilt = make([]*realSite, len(realLibraries))
		errs := make([]error, len(realLibraries))
		var wg sync.WaitGroup
		for i, l := range realLibraries {
			wg.Go(func() {
				// The tests' own reading of the markdown first, then
				// the site's.
				src := filepath.Join(realRoot, l.name)
				if l.prompts, errs[i] = l.read(src); errs[i] != nil {
					return
				}
				b, err := buildLibrary(src, filepath.Join(tmp, l.name))
				realBuilt[i], errs[i] = &realSite{lib: l, builtSite: b}, err
			})
		}
		wg.Wait()
		realErr = errors.Join(errs...)
	})
	if realErr != nil {
		t.Fatal(realErr)
	}
	return realBuilt
}

// builtSite is a library built and served on loopback.
type builtSite struct {
	origin string
	res    *site.Result
}

// buildFiles writes files, by their path, to a library folder named name
// and builds and serves it as buildLibrary does.
func buildFiles(t *testing.T, name string, files map[string]string) *builtSite {
	t.Helper()
	src := t.TempDir()
	for p, text := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(src, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(src, p), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	lib, err := buildLibrary(src, filepath.Join(t.TempDir(), name))
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

// buildLibrary copies the library at src to dir and builds it there, as
// "promptsite build -o public ." does run in that folder, then serves the
// site from a static file server of its own, which runs until the test
// binary ends.
func buildLibrary(src, dir string) (*builtSite, error) {
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	b := &builtSite{origin: "http://" + ln.Addr().String()}
	public := dir + "-public"
	build := func() error {
		cfg, err := config.Load(config.Options{WorkDir: dir, Flags: []config.Flag{
			{Key: "content", Name: "arguments", Values: []string{"."}},
			{Key: "output", Name: "-o", Value: public},
			{Key: "base_url", Name: "-base-url", Value: b.origin},
		}})
		if err != nil {
			return err
		}
		p, err := project.Open(cfg, project.Options{WorkDir: dir})
		if err != nil {
			return err
		}
		sc, err := p.Site()
		if err != nil {
			return err
		}
		if sc.Lock, err = p.Lock(""); err != nil {
			return err
		}
		if b.res, err = site.Build(sc); err != nil {
			return err
		}
		return output.Publish(context.Background(), b.res.Tree, public)
	}
	if err := build(); err != nil {
		ln.Close()
		return nil, fmt.Errorf("promptsite build %s: %w", filepath.Base(src), err)
	}
	// The assets' names carry their hash, so they are cached for ever, as
	// netlify.toml has them.
	static := staticSite(public)
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/assets/") {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		static.ServeHTTP(w, r)
	})
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln) // returns when srv.Close runs at exit
	atExit(func() { srv.Close() })
	return b, nil
}

// url returns the absolute address of a path of the site.
func (b *builtSite) url(p string) string { return b.origin + p }

// allowClipboard lets the site's origin use the clipboard, as the suite
// lets the seed's.
func (s *suite) allowClipboard(t *testing.T, origin string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(s.browser, 10*time.Second)
	defer cancel()
	if err := chromium.AllowClipboard(ctx, origin); err != nil {
		t.Fatal(err)
	}
}

// TestRealBuild builds each real library and compares the prompts the site
// holds, by address and title, with the tests' own reading of the markdown.
func TestRealBuild(t *testing.T) {
	for _, rs := range realSites(t) {
		t.Run(rs.lib.name, func(t *testing.T) {
			// Prompts by their lasting addresses, which the markdown
			// gives, whichever page of a category split into pages
			// shows them.
			type entry struct{ url, title string }
			var got, notes []entry
			for _, c := range rs.res.Site.Categories {
				for _, p := range c.Prompts {
					if p.Form == "" {
						notes = append(notes, entry{p.Address(c), p.Title})
						continue
					}
					got = append(got, entry{p.Address(c), p.Title})
				}
			}
			var want []entry
			for _, p := range rs.lib.prompts {
				u := p.page
				if p.id != "" {
					u += "#" + p.id
				}
				want = append(want, entry{u, p.title})
			}
			t.Logf("%d prompts; %d entries with no prompt %v", len(got), len(notes), notes)
			for _, w := range rs.res.Site.Warnings {
				t.Logf("warning: %v", w)
			}
			if len(got) != rs.lib.want {
				t.Errorf("the site has %d prompts; want %d", len(got), rs.lib.want)
			}
			byURL := func(a, b entry) int { return strings.Compare(a.url, b.url) }
			slices.SortFunc(got, byURL)
			slices.SortFunc(want, byURL)
			for len(got) > 0 || len(want) > 0 {
				switch {
				case len(want) == 0 || len(got) > 0 && got[0].url < want[0].url:
					t.Errorf("the site has a prompt %q at %s that the markdown does not hold", got[0].title, got[0].url)
					got = got[1:]
				case len(got) == 0 || want[0].url < got[0].url:
					t.Errorf("the markdown holds a prompt %q that the site does not have at %s", want[0].title, want[0].url)
					want = want[1:]
				default:
					if got[0].title != want[0].title {
						t.Errorf("%s is titled %q; want %q", got[0].url, got[0].title, want[0].title)
					}
					got, want = got[1:], want[1:]
				}
			}
		})
	}
}

// TestReadRealLibraries checks the tests' own reading of the three
// libraries, which the browser tests trust, on prompts read by eye.
func TestReadRealLibraries(t *testing.T) {
	needReal(t)
	byTitle := map[string]map[string]realPrompt{}
	for _, l := range realLibraries {
		ps, err := l.read(filepath.Join(realRoot, l.name))
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != l.want {
			t.Errorf("%s: read %d prompts; want %d", l.name, len(ps), l.want)
		}
		byTitle[l.name] = map[string]realPrompt{}
		for _, p := range ps {
			byTitle[l.name][p.title+" "+p.id] = p
		}
	}
	for _, tt := range []struct {
		lib, key  string
		page      string
		start     string
		end       string
		lines     int
		wantBlock bool
	}{
		{"awesome-chatgpt-prompts", "Act as a Linux Terminal act-as-a-linux-terminal", "/prompts/",
			"I want you to act as a linux terminal. I will type commands", "My first command is pwd", 6, false},
		// The second "Act as a Life Coach" gets GitHub's "-1".
		{"awesome-chatgpt-prompts", "Act as a Life Coach act-as-a-life-coach-1", "/prompts/", "", "", 0, false},
		// A list inside the blockquote keeps its indentation.
		{"awesome-chatgpt-prompts", "Act as a Remote Worker Fitness Trainer act-as-a-remote-worker-fitness-trainer", "/prompts/",
			"", "mobility plan for a {age}-year-old {gender} {occupation} whose goal is\n{fitness_goal}.\"", 0, false},
		// Titled by its H1, which the text leaves out.
		{"awesome-copilot", "Add Educational Comments ", "/prompts/add-educational-comments/",
			"Add educational comments to code files so they become effective learning resources.", "", 0, false},
		// Wrapped in ````prompt: the wrapper is not the prompt's.
		{"awesome-copilot", "Create Adaptive Cards for MCP Plugins ", "/prompts/mcp-create-adaptive-cards/",
			"Add Adaptive Card response templates", "\"text\": \"$${formatNumber(amount, 2)}\"\n}\n```", 0, false},
		// No H1: named by its file.
		{"awesome-copilot", "Conventional commit ", "/prompts/conventional-commit/", "### Instructions", "", 0, false},
		// Several H1s, none the title: named by its front matter.
		{"awesome-copilot", ".NET Upgrade Analysis Prompts ", "/prompts/dotnet-upgrade/", "  # Project Discovery & Assessment\n", "", 0, false},
		// The whole file, its CRLF line ends read as a browser reads them.
		{"fabric", "summarize_lecture ", "/patterns/summarize_lecture/", "# IDENTITY and PURPOSE\nAs an organized", "# INPUT:\n\nINPUT:", 0, false},
	} {
		p, ok := byTitle[tt.lib][tt.key]
		if !ok {
			t.Errorf("%s: no prompt %q", tt.lib, tt.key)
			continue
		}
		if p.page != tt.page || p.block != tt.wantBlock || !strings.HasPrefix(p.text, tt.start) || !strings.HasSuffix(p.text, tt.end) ||
			tt.lines > 0 && strings.Count(p.text, "\n")+1 != tt.lines {
			t.Errorf("%s: %q = page %s, block %v, text:\n%s\nwant page %s, block %v, text that starts %q and ends %q in %d lines",
				tt.lib, tt.key, p.page, p.block, p.text, tt.page, tt.wantBlock, tt.start, tt.end, tt.lines)
		}
	}

	// The rule for a file that is an introduction and one block.
	for _, tt := range []struct {
		body string
		want string
		ok   bool
	}{
		{"Use this prompt.\n\n```\nDo it.\n```\n", "Do it.", true},
		{"Use this prompt.\n\n```markdown\nDo it.\n\n# Really\n```\n\n", "Do it.\n\n# Really", true},
		{"Use this prompt.\n\n```python\nprint()\n```\n", "", false},
		{"## Steps\n\n```\nDo it.\n```\n", "", false},
		{"- one\n\n```\nDo it.\n```\n", "", false},
		{"```\nDo it.\n```\n\nThen more.\n", "", false},
		{"```\nDo it.\n```\n```\nTwice.\n```\n", "", false},
		{"Just prose.\n", "", false},
	} {
		got, ok := onlyBlock(strings.Split(tt.body, "\n"))
		if got != tt.want || ok != tt.ok {
			t.Errorf("onlyBlock(%q) = %q, %v; want %q, %v", tt.body, got, ok, tt.want, tt.ok)
		}
	}
	if got, want := unwrapFile("````prompt\n---\na: b\n---\n# T\n````\n"), "---\na: b\n---\n# T\n"; got != want {
		t.Errorf("unwrapFile = %q; want %q", got, want)
	}
}
