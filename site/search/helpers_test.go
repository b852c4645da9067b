package search_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/promptsite/promptsite/site"
	"github.com/promptsite/promptsite/site/content"
	"github.com/promptsite/promptsite/site/highlight"
	"github.com/promptsite/promptsite/site/markdown"
	"github.com/promptsite/promptsite/site/model"
	"github.com/promptsite/promptsite/site/output"
)

// seedSite parses the library the project ships with.
func seedSite(t testing.TB) *model.Site {
	t.Helper()
	src, err := os.ReadFile("../../content/python-async-prompts.md")
	if err != nil {
		t.Fatal(err)
	}
	f, err := content.Read("python-async-prompts.md", src)
	if err != nil {
		t.Fatal(err)
	}
	lib, err := site.Parse(markdown.New(highlight.Highlighter{}), []content.File{f}, site.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return lib.Site
}

var (
	genOnce  sync.Once
	genCache *model.Site
)

// bigSite returns a generated library of 10,000 prompts (see genSite).
func bigSite(t testing.TB) *model.Site {
	genOnce.Do(func() { genCache = genSite(seedSite(t), 100, 100) })
	return genCache
}

// genSite generates a library of cats×per prompts. Its words follow Zipf's
// law over a vocabulary of 40,000: the seed library's words first, then
// made-up words of two to four syllables. Each prompt has a title of three
// to six words, a line of prose and a code block of 40 to 120 words, as the
// seed's prompts do. The same arguments give the same library.
func genSite(seed *model.Site, cats, per int) *model.Site {
	r := rand.New(rand.NewPCG(1, 2))
	var vocab []string
	seen := map[string]bool{}
	for _, c := range seed.Categories {
		for _, p := range c.Prompts {
			for _, w := range strings.FieldsFunc(strings.ToLower(p.Text+" "+p.Title), func(r rune) bool {
				return !(r >= 'a' && r <= 'z')
			}) {
				if len(w) > 2 && !seen[w] {
					seen[w] = true
					vocab = append(vocab, w)
				}
			}
		}
	}
	syl := []string{"ba", "co", "de", "fi", "gu", "ha", "jo", "ka", "li", "mo", "nu", "pa", "qui", "ro", "sa",
		"te", "vi", "wo", "xa", "yu", "ze", "tion", "ment", "er", "ing", "st", "tr", "pl", "ex", "un"}
	for len(vocab) < 40000 {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(syl[r.IntN(len(syl))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			vocab = append(vocab, w)
		}
	}
	zipf := rand.NewZipf(r, 1.07, 2, uint64(len(vocab)-1))
	words := func(n int) string {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = vocab[zipf.Uint64()]
		}
		return strings.Join(ws, " ")
	}
	s := &model.Site{Title: "Generated library"}
	for ci := range cats {
		title := fmt.Sprintf("%s prompts %d", strings.ToUpper(words(1)[:1])+words(1)[1:], ci)
		c := &model.Category{Title: title, Slug: fmt.Sprintf("category-%d", ci)}
		for pi := range per {
			pt := words(3 + r.IntN(4))
			code := words(40 + r.IntN(81))
			prose := words(8+r.IntN(20)) + "."
			c.Prompts = append(c.Prompts, &model.Prompt{
				Title:  pt,
				Anchor: fmt.Sprintf("%s-%d", strings.ReplaceAll(pt, " ", "-"), pi),
				Intro:  prose,
				Text:   prose + "\n" + code,
				Code:   []model.CodeBlock{{Source: code}},
			})
		}
		s.Categories = append(s.Categories, c)
	}
	return s
}

// writeTree writes t's files under dir.
func writeTree(t testing.TB, tr *output.Tree, dir string) {
	t.Helper()
	for _, name := range tr.Names() {
		b, _ := tr.Get(name)
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// seedQueries are realistic queries on the seed library and the prompt
// each should put first ("" when nothing should match).
var seedQueries = []struct{ q, want string }{
	// title words
	{"retry", "/implementation-prompts/#retry-with-backoff"},
	{"rate limit", "/performance-prompts/#add-rate-limiting"},
	{"code review", "/review-prompts/#code-review"},
	{"security", "/review-prompts/#security-review"},
	{"connection pool", "/implementation-prompts/#database-connection-pool"},
	{"event driven", "/architecture-prompts/#design-event-driven-system"},
	{"background task", "/implementation-prompts/#background-task-system"},
	{"partial failures", "/error-handling-prompts/#handle-partial-failures"},
	{"initial context", "/context-setting-prompts/#initial-context"},
	{"iterative refinement", "/tips-for-better-results/#iterative-refinement"},
	{"common mistakes", "/common-llm-mistakes-to-watch-for/"},
	// body and code words
	{"mock httpx", "/testing-prompts/#mock-async-dependencies"},
	{"jitter", "/implementation-prompts/#retry-with-backoff"},
	{"aiofiles", "/common-llm-mistakes-to-watch-for/"},
	{"DoS", "/review-prompts/#security-review"},
	{"tradeoffs", "/tips-for-better-results/#request-explanations"},
	// stems and other endings
	{"retries", "/implementation-prompts/#retry-with-backoff"},
	{"pagination", "/implementation-prompts/#paginated-api-consumer"},
	{"mocking", "/testing-prompts/#mock-async-dependencies"},
	{"explanation", "/tips-for-better-results/#request-explanations"},
	// prefixes of the last word
	{"backo", "/implementation-prompts/#retry-with-backoff"},
	{"paginat", "/implementation-prompts/#paginated-api-consumer"},
	{"secur", "/review-prompts/#security-review"},
	{"rate lim", "/performance-prompts/#add-rate-limiting"},
	// typos
	{"retyr", "/implementation-prompts/#retry-with-backoff"},
	{"pagnated", "/implementation-prompts/#paginated-api-consumer"},
	{"secuirty", "/review-prompts/#security-review"},
	{"exeption handling", "/error-handling-prompts/#add-exception-handling"},
	{"cancelation test", "/testing-prompts/#test-taskgroup-cancellation"},
	// several words
	{"gather taskgroup", "/conversion-prompts/#convert-gather-to-taskgroup"},
	{"requests httpx", "/conversion-prompts/#convert-requests-to-httpx"},
	{"sync to async", "/conversion-prompts/#convert-sync-to-async"},
	{"migrate python 3.11", "/migration-prompts/#migrate-to-python-311"},
	{"write tests", "/testing-prompts/#write-async-tests"},
	// no match
	{"kubernetes yaml", ""},
}
