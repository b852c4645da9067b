package e2e

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// seedMarkdown is the library the site is built from (the embedded default
// content). The tests read it on their own, with none of the site's code, so
// that they check the site against its source and not against itself.
const seedMarkdown = "../../content/python-async-prompts.md"

// library is what the tests expect of the site, read from the markdown.
type library struct {
	categories []*category
}

// category is an H2: a page of its own.
type category struct {
	title   string
	slug    string // the page is /slug/
	prompts []prompt
	blocks  []string // the source of each fenced code block, in order
	// code maps a prompt's anchor to its first code block: the prompt's
	// text, as it is copied, filled in and sent to a chat.
	code map[string]string
	// markdown is the category's section of the file as written: from its
	// H2 to the next, without the blank lines and rule that end it.
	markdown string
}

// prompt is an H3.
type prompt struct {
	title  string
	anchor string // GitHub's id for the heading
}

func (l *library) prompts() int {
	n := 0
	for _, c := range l.categories {
		n += len(c.prompts)
	}
	return n
}

func (l *library) category(slug string) *category {
	for _, c := range l.categories {
		if c.slug == slug {
			return c
		}
	}
	return nil
}

var (
	headingRE  = regexp.MustCompile(`^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$`)
	explicitRE = regexp.MustCompile(`[ \t]*\{#([^}\s]+)\}$`)
	fenceRE    = regexp.MustCompile("^ {0,3}(`{3,}|~{3,})")
)

// readLibrary reads the markdown with a plain line scan: headings, and the
// text between code fences, without the final line break. Ids follow
// GitHub's rule, made unique across the whole file as GitHub does, so that a
// link copied from the repository's rendered markdown works on the site.
func readLibrary(file string) (*library, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	lib := &library{}
	var (
		cur    *category
		anchor string // the current prompt's
		fence  string // the open fence's marker, or ""
		code   []string
		used   = map[string]int{}
		lines  []string // the current category's
	)
	endCategory := func() {
		if cur == nil {
			return
		}
		for len(lines) > 0 && (strings.TrimSpace(lines[len(lines)-1]) == "" || strings.Trim(lines[len(lines)-1], "-") == "") {
			lines = lines[:len(lines)-1]
		}
		cur.markdown = strings.Join(lines, "\n") + "\n"
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if fence == "" && strings.HasPrefix(line, "## ") {
			endCategory()
			lines = nil
		}
		lines = append(lines, line)
		if fence != "" {
			if m := fenceRE.FindStringSubmatch(line); m != nil && m[1][0] == fence[0] && len(m[1]) >= len(fence) &&
				strings.TrimSpace(line[len(m[0]):]) == "" {
				if cur != nil {
					cur.blocks = append(cur.blocks, strings.Join(code, "\n"))
					if _, ok := cur.code[anchor]; anchor != "" && !ok {
						cur.code[anchor] = strings.Join(code, "\n")
					}
				}
				fence, code = "", nil
				continue
			}
			code = append(code, line)
			continue
		}
		if m := fenceRE.FindStringSubmatch(line); m != nil {
			fence, code = m[1], []string{}
			continue
		}
		m := headingRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		level, title := len(m[1]), m[2]
		id := ""
		if e := explicitRE.FindStringSubmatchIndex(title); e != nil {
			id, title = title[e[2]:e[3]], title[:e[0]]
		} else {
			id = uniqueSlug(used, githubSlug(plainText(title)))
		}
		title = plainText(title)
		switch level {
		case 2:
			cur = &category{title: title, slug: id, code: map[string]string{}}
			lib.categories = append(lib.categories, cur)
			anchor = ""
		case 3:
			if cur == nil {
				return nil, fmt.Errorf("%s:%d: H3 %q before any H2", file, n, title)
			}
			cur.prompts = append(cur.prompts, prompt{title: title, anchor: id})
			anchor = id
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	endCategory()
	if fence != "" {
		return nil, fmt.Errorf("%s: a code fence is never closed", file)
	}
	return lib, nil
}

// plainText drops the inline markup that the seed's headings could carry:
// code spans' backticks.
func plainText(s string) string { return strings.ReplaceAll(s, "`", "") }

// githubSlug is GitHub's rule for a heading's id: lower-case; keep letters,
// digits, '_' and '-'; a space becomes '-'; drop everything else.
func githubSlug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// uniqueSlug gives the second heading with the same slug "-1", the third
// "-2", as GitHub does.
func uniqueSlug(used map[string]int, slug string) string {
	n := used[slug]
	used[slug]++
	if n == 0 {
		return slug
	}
	return fmt.Sprintf("%s-%d", slug, n)
}

// TestReadLibrary checks the tests' own reading of the markdown, since every
// browser test trusts it.
func TestReadLibrary(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Convert gather() to TaskGroup", "convert-gather-to-taskgroup"},
		{"Migrate to Python 3.11+", "migrate-to-python-311"},
		{"Tips for Better Results", "tips-for-better-results"},
		{"snake_case and kebab-case", "snake_case-and-kebab-case"},
		{"Ünïcödé Überschrift", "ünïcödé-überschrift"},
		{"?!", ""},
	} {
		if got := githubSlug(tt.in); got != tt.want {
			t.Errorf("githubSlug(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
	used := map[string]int{}
	for i, want := range []string{"a", "a-1", "a-2"} {
		if got := uniqueSlug(used, "a"); got != want {
			t.Errorf("uniqueSlug #%d = %q; want %q", i, got, want)
		}
	}

	lib, err := readLibrary(seedMarkdown)
	if err != nil {
		t.Fatal(err)
	}
	// The seed library, as the site issue describes it.
	if got := len(lib.categories); got != 12 {
		t.Errorf("categories = %d; want 12", got)
	}
	if got := lib.prompts(); got != 28 {
		t.Errorf("prompts = %d; want 28", got)
	}
	impl := lib.category("implementation-prompts")
	if impl == nil {
		t.Fatal("no category implementation-prompts")
	}
	if got, want := impl.prompts[4], (prompt{"Retry with Backoff", "retry-with-backoff"}); got != want {
		t.Errorf("implementation-prompts prompt 5 = %+v; want %+v", got, want)
	}
	if got, want := len(impl.blocks), 5; got != want {
		t.Fatalf("implementation-prompts has %d code blocks; want %d", got, want)
	}
	if b := impl.blocks[0]; !strings.HasPrefix(b, "Write an async function") || !strings.HasSuffix(b, "(use TaskGroup)") {
		t.Errorf("implementation-prompts block 1 = %q", b)
	}
	if got := impl.code["retry-with-backoff"]; got != impl.blocks[4] {
		t.Errorf("the code of retry-with-backoff = %q; want block 5, %q", got, impl.blocks[4])
	}
	if md := impl.markdown; !strings.HasPrefix(md, "## Implementation Prompts\n\n### Concurrent HTTP Requests\n") ||
		!strings.HasSuffix(md, "- Return last exception if all retries fail\n```\n") {
		t.Errorf("implementation-prompts markdown = %q", md)
	}
}
