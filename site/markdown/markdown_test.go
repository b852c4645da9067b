package markdown

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/promptsite/promptsite/site/content"
	"github.com/promptsite/promptsite/site/highlight"
	"github.com/promptsite/promptsite/site/internal/libgen"
	"github.com/promptsite/promptsite/site/internal/testctx"
	"github.com/promptsite/promptsite/site/model"
)

var update = flag.Bool("update", false, "rewrite the expected output in testdata/*.txtar")

// parse reads one file as promptsite does, front matter included, and
// renders it with its links as written.
func parse(p *Parser, name string, src []byte, alone bool) (*Document, error) {
	f, err := content.Read(name, src)
	if err != nil {
		return nil, err
	}
	f.Alone = alone
	d, err := p.Parse(&f)
	if err != nil {
		return nil, err
	}
	return d, p.Render(d, nil, nil)
}

// TestCases runs each testdata/*.txtar archive: its first .md file (with a
// file named "alone" beside it, as the only file of its folder) must give
// the document dump in its "want" file. With -update the dumps are
// rewritten.
func TestCases(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test cases: %v", err)
	}
	p := New(highlight.Highlighter{})
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var in *txtar.File
			wantIdx, alone := -1, false
			for i, f := range ar.Files {
				switch {
				case f.Name == "want":
					wantIdx = i
				case f.Name == "alone":
					alone = true
				case strings.HasSuffix(f.Name, ".md") && in == nil:
					in = &ar.Files[i]
				}
			}
			if in == nil || wantIdx < 0 {
				t.Fatalf("%s needs a .md file and a want file", file)
			}
			got := dump(parse(p, in.Name, in.Data, alone))
			if *update {
				ar.Files[wantIdx].Data = []byte(got)
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if want := string(ar.Files[wantIdx].Data); got != want {
				t.Errorf("Parse(%s) gave\n%s\nwant\n%s", in.Name, got, want)
			}
		})
	}
}

// dump writes a document in a form that is easy to read in a diff.
func dump(d *Document, err error) string {
	if err != nil {
		return "error: " + err.Error() + "\n"
	}
	var b strings.Builder
	kind := map[Kind]string{Library: "library", Prompt: "prompt", Page: "page"}[d.Kind]
	fmt.Fprintf(&b, "%s: %s\n", kind, d.Shape)
	for _, n := range d.Notes {
		fmt.Fprintf(&b, "note: %s: %s\n", n.Pos, n.Text)
	}
	if d.Kind == Library {
		fmt.Fprintf(&b, "title: %q\nintro: %s\n", d.Title, strings.TrimSpace(string(d.Intro)))
	}
	for _, c := range d.Categories {
		dumpCategory(&b, c)
	}
	if d.Page != nil {
		dumpCategory(&b, d.Page)
	}
	if d.Prompt != nil {
		fmt.Fprintf(&b, "folder: %q\n", d.Folder)
		dumpPrompt(&b, d.Prompt)
	}
	return b.String()
}

func dumpCategory(b *strings.Builder, c *model.Category) {
	fmt.Fprintf(b, "\n## %s {#%s} %s\n", c.Title, c.Slug, c.Source)
	if c.Intro != "" {
		fmt.Fprintf(b, "intro: %s\n", strings.TrimSpace(string(c.Intro)))
	}
	for _, p := range c.Prompts {
		dumpPrompt(b, p)
	}
}

func dumpPrompt(b *strings.Builder, p *model.Prompt) {
	fmt.Fprintf(b, "### %s {#%s} %s\n", p.Title, p.Anchor, p.Source)
	fmt.Fprintf(b, "title html: %s\n", p.TitleHTML)
	if p.Form != "" {
		fmt.Fprintf(b, "%s: %q\n", p.Form, p.Copy)
	}
	fmt.Fprintf(b, "intro text: %q\n", p.Intro)
	for _, c := range p.Code {
		fmt.Fprintf(b, "code %q: %q\n", c.Lang, c.Source)
	}
	if len(p.Headings) > 0 {
		fmt.Fprintf(b, "headings: %v\n", p.Headings)
	}
	if len(p.Placeholders) > 0 {
		fmt.Fprintf(b, "placeholders: %q\n", p.Placeholders)
	}
	fmt.Fprintf(b, "body:\n%s\n", strings.TrimSpace(string(p.Body)))
}

// TestSeed checks the model of the library the site was made for.
func TestSeed(t *testing.T) {
	src, err := os.ReadFile("../../content/python-async-prompts.md")
	if err != nil {
		t.Fatal(err)
	}
	d, err := parse(New(highlight.Highlighter{}), "python-async-prompts.md", src, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := "LLM Prompts for Python Async Development"; d.Title != want {
		t.Errorf("title = %q; want %q", d.Title, want)
	}
	want := []struct {
		slug    string
		prompts []string // anchors
	}{
		{"context-setting-prompts", []string{"initial-context"}},
		{"conversion-prompts", []string{"convert-sync-to-async", "convert-requests-to-httpx", "convert-gather-to-taskgroup"}},
		{"implementation-prompts", []string{"concurrent-http-requests", "paginated-api-consumer", "background-task-system", "database-connection-pool", "retry-with-backoff"}},
		{"error-handling-prompts", []string{"add-exception-handling", "handle-partial-failures"}},
		{"testing-prompts", []string{"write-async-tests", "mock-async-dependencies", "test-taskgroup-cancellation"}},
		{"performance-prompts", []string{"optimize-concurrent-code", "add-rate-limiting"}},
		{"architecture-prompts", []string{"design-async-service", "design-event-driven-system"}},
		{"debugging-prompts", []string{"fix-async-bug", "explain-async-behavior"}},
		{"review-prompts", []string{"code-review", "security-review"}},
		{"migration-prompts", []string{"migrate-to-python-311", "migrate-to-structured-concurrency"}},
		{"tips-for-better-results", []string{"provide-context", "be-specific", "request-explanations", "iterative-refinement"}},
		{"common-llm-mistakes-to-watch-for", nil},
	}
	if len(d.Categories) != len(want) {
		t.Fatalf("%d categories; want %d", len(d.Categories), len(want))
	}
	total := 0
	for i, w := range want {
		c := d.Categories[i]
		if c.Slug != w.slug {
			t.Errorf("category %d slug = %q; want %q", i, c.Slug, w.slug)
		}
		var got []string
		for _, p := range c.Prompts {
			got = append(got, p.Anchor)
		}
		if strings.Join(got, " ") != strings.Join(w.prompts, " ") {
			t.Errorf("%s prompts = %v; want %v", c.Slug, got, w.prompts)
		}
		total += len(c.Prompts)
	}
	if total != 28 {
		t.Errorf("%d prompts; want 28", total)
	}

	retry := d.Categories[2].Prompts[4]
	if retry.Title != "Retry with Backoff" || retry.Source.Line != 124 {
		t.Errorf("retry prompt = %q at line %d; want \"Retry with Backoff\" at line 124", retry.Title, retry.Source.Line)
	}
	wantCode := "Write a retry decorator/function for async operations:\n- Configurable max retries\n" +
		"- Exponential backoff with jitter\n- Configurable exceptions to retry on\n- Timeout for entire operation\n" +
		"- Log retry attempts\n- Return last exception if all retries fail"
	if len(retry.Code) != 1 || retry.Code[0].Source != wantCode || retry.Code[0].Lang != "" {
		t.Errorf("retry code = %+v; want one plain block %q", retry.Code, wantCode)
	}
	wantMD := "### Retry with Backoff\n\n```\n" + wantCode + "\n```\n"
	if retry.Markdown != wantMD {
		t.Errorf("retry markdown = %q; want %q", retry.Markdown, wantMD)
	}
	if c := d.Categories[2]; !strings.HasPrefix(c.Markdown, "## Implementation Prompts\n\n### Concurrent HTTP Requests\n") || !strings.HasSuffix(c.Markdown, wantMD) {
		t.Errorf("implementation markdown = %q", c.Markdown)
	}
	mistakes := d.Categories[11]
	if !strings.Contains(string(mistakes.Intro), "<table>") || !strings.Contains(mistakes.IntroText, "Swallowing CancelledError") {
		t.Errorf("the mistakes page lost its table: %s", mistakes.Intro)
	}
}

// TestErrors checks that mistakes in the content are reported at their
// file and line, with what to do.
func TestErrors(t *testing.T) {
	tests := []struct {
		name, src string
		line      int
		want      string // in the message
	}{
		{"front matter never closed", "---\ntitle: T\n\n# T\n", 1, "front matter that is never closed; end it with a line of ---"},
		{"front matter not YAML", "---\ntitle: T\ntags: [a\n---\n# T\n", 3, "front matter: "},
		{"front matter of the wrong type", "---\ntitle: [a, b]\n---\n# T\n", 2, "front matter: "},
		{"error after front matter", "---\ntitle: T\n---\n# T\n\n## A\n\n### ???\n", 8, `heading "???" has no letter or digit`},
		{"heading with nothing to slug", "# T\n\n## A\n\n### ???\n", 5, `heading "???" has no letter or digit to make its anchor from; put a letter or digit in it, or give it an id: ### ??? {#my-id}`},
		{"category with nothing to slug", "# T\n\n## !!!\n", 3, `heading "!!!" has no letter or digit`},
		{"duplicate explicit ids", "# T\n\n## A {#x}\n\n### B {#x}\n", 5, `heading "B" has the id "x", which the heading at line 3 has too`},
		{"empty heading", "# T\n\n## A\n\ntext\n\n###\n\nmore\n", 7, `heading "" has no letter or digit`},
		{"invalid UTF-8", "# T\n\n## A\n\n### B \xff\n", 5, "byte 0xff at column 7 is not UTF-8; save the file as UTF-8"},
		{"unterminated fence", "# T\n\n## A\n\n### B\n\n```\ncode\n## Not a heading\n", 7, "this code block is never closed, so everything after it would be code; close it with a line of ``` after the code"},
		{"unterminated tilde fence", "# T\n## A\n### B\n~~~~ python\ncode\n~~~\n", 4, "close it with a line of ~~~~"},
		// A no-break space after a fence is not the blank that closes it.
		{"fence closed with a no-break space", "# T\n\n## A\n\n### B\n\n```\ncode\n```\u00a0\n\n## Not a heading\n", 7, "this code block is never closed"},
		{"invalid explicit id", "# T\n\n## A {#a.b}\n", 3, `heading "A" has an invalid id {#a.b}`},
	}
	p := New(highlight.Highlighter{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parse(p, "lib.md", []byte(tt.src), false)
			var e *model.Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse = %v; want a *model.Error", err)
			}
			if e.Pos.File != "lib.md" || e.Pos.Line != tt.line {
				t.Errorf("error at %s; want lib.md:%d", e.Pos, tt.line)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
		})
	}
}

// TestLimits checks the inputs that would make a build's work or memory
// grow far past the size of the file: each fails, at its line, with the
// limit it passed.
func TestLimits(t *testing.T) {
	head := "# L\n\n## C\n\n### P\n\n"
	ref := "[x]: https://example.com/" + strings.Repeat("a", 5000) + "\n\n"
	tests := []struct {
		name, src string
		line      int
		want      string
	}{
		{"a table of 2,000 columns", head + "|" + strings.Repeat("a|", 2000) + "\n|" + strings.Repeat("-|", 2000) + "\n" + strings.Repeat("x\n", 20000),
			7, "a table of 2000 columns; a table may have at most 200"},
		{"a table of too many cells", head + "|a|b|c|d|\n|-|-|-|-|\n" + strings.Repeat("|1|2|3|4|\n", 60000),
			7, "a table of 4 columns and more than 50000 rows"},
		{"blockquotes 200,000 deep", head + strings.Repeat(">", 200000) + "\n", 7, "200000 blockquotes within each other; nest them at most 32 deep"},
		{"200 KB of unclosed links", head + strings.Repeat("[a](", 50000) + "\n", 7, "more than 20000 '[' in one paragraph"},
		{"a long reference link used 50,000 times", head + ref + strings.Repeat(strings.Repeat("[x] ", 1000)+"\n\n", 50) + "```\np\n```\n",
			7, "this part of the page renders to far more HTML than it has markdown"},
		// Each prompt renders to 10 MiB, within its own bound; the file
		// passes its bound at the second.
		{"two prompts using a long reference link 2,000 times each", head + ref + strings.Repeat("[x] ", 2000) + "\n\n```\np\n```\n\n### Q\n\n" +
			strings.Repeat("[x] ", 2000) + "\n\n```\nq\n```\n", 17, "this file renders to far more HTML than it has markdown (over 16 MiB more than 16 times its size)"},
	}
	p := New(highlight.Highlighter{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parse(p, "lib.md", []byte(tt.src), false)
			var e *model.Error
			if !errors.As(err, &e) {
				t.Fatalf("parse = %v; want a *model.Error", err)
			}
			if e.Pos.Line != tt.line || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q at line %d; want %q at line %d", err, e.Pos.Line, tt.want, tt.line)
			}
		})
	}
	// A table within the limits is fine.
	if _, err := parse(p, "lib.md", []byte(head+"|a|b|\n|-|-|\n"+strings.Repeat("|1|2|\n", 1000)+"\n```\nx\n```\n"), false); err != nil {
		t.Errorf("a table of 2 columns and 1000 rows: %v", err)
	}
}

// TestParseStops parses a file of 2,000 prompts with a context that is
// done after a few questions: the parse stops partway, with its error.
func TestParseStops(t *testing.T) {
	f := content.File{Name: "gen.md", Data: libgen.Library(2000, 1)}
	p := New(highlight.Highlighter{})
	if _, err := p.ParseContext(context.Background(), &f); err != nil {
		t.Fatal(err)
	}
	if _, err := p.ParseContext(testctx.After(5), &f); !errors.Is(err, context.Canceled) {
		t.Errorf("ParseContext with a context done partway = %v; want context.Canceled", err)
	}
}

// TestHeadingsInBlocks checks that a heading in a quote or a list item has
// an id, as on GitHub, and that a line of a table or of code that looks
// like one does not.
func TestHeadingsInBlocks(t *testing.T) {
	src := "## Notes\n\nA note.\n\n> ### Quoted\n\n- ### Listed\n\n| a |\n|---|\n| ### Cell |\n\n```\n### Code\n```\n"
	d, err := parse(New(highlight.Highlighter{}), "notes.md", []byte(src), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"notes", "quoted", "listed"} {
		if _, ok := d.IDs[id]; !ok {
			t.Errorf("no id %q; the ids are %v", id, slices.Sorted(maps.Keys(d.IDs)))
		}
	}
	for _, id := range []string{"cell", "code"} {
		if _, ok := d.IDs[id]; ok {
			t.Errorf("an id %q, for a line that is no heading", id)
		}
	}
}
