package search_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/promptsite/promptsite/site"
	"github.com/promptsite/promptsite/site/content"
	"github.com/promptsite/promptsite/site/highlight"
	"github.com/promptsite/promptsite/site/markdown"
	"github.com/promptsite/promptsite/site/model"
	"github.com/promptsite/promptsite/site/search"
)

// langQuery is a query of testdata/lang/*/queries.tsv: what a native
// speaker types, and the heading of the prompt they look for.
type langQuery struct{ q, heading string }

// langSite parses the test library in testdata/lang/<lang> with its
// language left for Parse to detect, and returns it with its queries.
func langSite(t testing.TB, lang string) (*model.Site, []langQuery) {
	t.Helper()
	dir := filepath.Join("testdata/lang", lang)
	names, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no markdown in %s (%v)", dir, err)
	}
	var files []content.File
	for _, name := range names {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := content.Read(name, src)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	lib, err := site.Parse(markdown.New(highlight.Highlighter{}), files, site.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return lib.Site, langQueries(t, lang)
}

// langQueries reads testdata/lang/<lang>/queries.tsv.
func langQueries(t testing.TB, lang string) []langQuery {
	t.Helper()
	qf, err := os.Open(filepath.Join("testdata/lang", lang, "queries.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer qf.Close()
	var qs []langQuery
	sc := bufio.NewScanner(qf)
	for sc.Scan() {
		q, h, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			t.Fatalf("%s: %q has no tab", qf.Name(), sc.Text())
		}
		qs = append(qs, langQuery{q, h})
	}
	if len(qs) < 10 {
		t.Fatalf("%s: %d queries; want 10 or more", qf.Name(), len(qs))
	}
	return qs
}

// urlOf returns the address of the prompt whose heading is h.
func urlOf(t testing.TB, s *model.Site, h string) string {
	t.Helper()
	for _, c := range s.Categories {
		for _, p := range c.Prompts {
			if p.Title == h {
				return p.URL(c)
			}
		}
	}
	t.Fatalf("no prompt %q", h)
	return ""
}

// TestLanguages checks, on hand-written libraries in Chinese, German and
// Japanese, that the language is detected, that natural queries put the
// wanted prompt in the first three, and that search.js ranks as bleve does
// for every query and every beginning of one as it is typed, and for
// queries in other scripts and widths.
func TestLanguages(t *testing.T) {
	extra := map[string][]string{
		"zh": {"旅游指南", "小说 家", "诗", "小", "linux 终端", "sql", "翻译 英语", "ChatGPT", "充当", "写诗的人", "英語"},
		"de": {"übersetzer", "uebersetzer", "Übersetzung", "lebenslauf", "STEUERERKLÄRUNG", "rezept", "strasse", "für", "und die", "Präsentation gliedern"},
		"ja": {"ｺｰﾄﾞ", "ﾚﾋﾞｭｰ", "コード レビュー", "翻", "メ", "sql", "日英", "プログラマー", "確定申告の手順", "ﾃﾞｰﾀﾍﾞｰｽ"},
	}
	for _, lang := range []string{"zh", "de", "ja"} {
		t.Run(lang, func(t *testing.T) {
			s, qs := langSite(t, lang)
			if s.Lang != lang {
				t.Errorf("detected language %q; want %q", s.Lang, lang)
			}
			ix, err := search.New(s)
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			var all []string
			top3 := 0
			for _, q := range qs {
				want := urlOf(t, s, q.heading)
				res, err := ix.Query(q.q, 3)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, r := range res {
					got = append(got, r.URL)
				}
				if slices.Contains(got, want) {
					top3++
				} else {
					t.Logf("%q: first three %q; want %s", q.q, got, want)
				}
				all = append(all, q.q)
				rs := []rune(q.q)
				for i := 1; i < len(rs); i++ {
					all = append(all, string(rs[:i]))
				}
			}
			if top3*10 < len(qs)*9 {
				t.Errorf("%d of %d queries put the wanted prompt in the first three; want 9 in 10", top3, len(qs))
			}
			all = append(all, extra[lang]...)
			got, urls := runEngine(t, s, all)
			for _, q := range all {
				if _, ok := got[q]; !ok {
					t.Fatalf("search.js did not answer %q", q)
				}
				sameRanking(t, ix, q, got[q], urls)
			}
			// What a visitor downloads: the whole index, and the most a
			// first query fetches, with the search code.
			tr, err := search.Build(s)
			if err != nil {
				t.Fatal(err)
			}
			raw, gz := treeSize(tr)
			code, most, mostQ := searchCode(t), 0, ""
			for _, q := range qs {
				if h := got[q.q]; h.Gz > most {
					most, mostQ = h.Gz, q.q
				}
			}
			t.Logf("%s: index of %d files, %d B (%d B gzip); the heaviest first query, %q, fetches %d B gzip of index and records, and %d B of search code", lang, len(tr.Names()), raw, gz, mostQ, most, code)
			if most+code >= 15<<10 {
				t.Errorf("%q: the first query downloads %d B gzip; want under 15 KiB", mostQ, most+code)
			}
			t.Logf("%s: %d of %d queries with the wanted prompt in the first three; %d queries ranked alike by bleve and search.js", lang, top3, len(qs), len(all))
		})
	}
}

// TestMixedLanguages checks a library whose titles are English and whose
// prompts are Chinese, and one whose files are in two languages, one said
// in its front matter: both words of either are found, each file's words
// are analysed in its language, and search.js agrees with bleve.
func TestMixedLanguages(t *testing.T) {
	read := func(name, src string) content.File {
		f, err := content.Read(name, []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	tests := []struct {
		name  string
		files []content.File
		lang  string
		want  map[string]string // query → the title of the first result
	}{
		{"english titles, chinese prompts", []content.File{read("README.md", `# Prompts

## Act as a novelist

> 我想让你充当小说家。你要构思富有创意、引人入胜的故事。

## Act as a travel guide

> 我想让你充当旅游指南。我会告诉你我的位置，你推荐附近可以参观的地方。

## Act as an English translator

> 我想让你充当英语翻译员，把我的话翻译成地道的英语。
`)}, "zh", map[string]string{
			"novelist": "Act as a novelist", "小说家": "Act as a novelist",
			"travel": "Act as a travel guide", "旅游": "Act as a travel guide",
			"translator": "Act as an English translator", "翻译": "Act as an English translator",
		}},
		{"an english file and a german one", []content.File{
			read("en/review.md", "---\ntitle: Review a pull request\n---\nReview the changes in this pull request and list the risks you see, the tests that are missing and the names that could be clearer.\n"),
			read("en/retry.md", "---\ntitle: Retry with backoff\n---\nWrite a function that retries a failing network call with exponential backoff and jitter, and stops after five attempts.\n"),
			read("de/lebenslauf.md", "---\ntitle: Lebenslauf prüfen\nlang: de\n---\nPrüfe meinen Lebenslauf auf Rechtschreibung, Lücken und unklare Formulierungen, und schlage für jede Station einen besseren Satz vor.\n"),
			read("de/ubersetzer.md", "---\ntitle: Übersetzer\nlang: de\n---\nIch möchte, dass du als Übersetzer zwischen Deutsch und Englisch arbeitest und die Texte natürlich klingen lässt.\n"),
		}, "en", map[string]string{
			"retries": "Retry with backoff", "reviewing": "Review a pull request",
			"Lebensläufe": "Lebenslauf prüfen", "ubersetzer": "Übersetzer", "übersetzern": "Übersetzer",
			"texte": "Übersetzer", "Formulierung": "Lebenslauf prüfen",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lib, err := site.Parse(markdown.New(highlight.Highlighter{}), tt.files, site.ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			s := lib.Site
			if s.Lang != tt.lang {
				t.Errorf("language %q; want %q", s.Lang, tt.lang)
			}
			ix, err := search.New(s)
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			var qs []string
			for q, want := range tt.want {
				qs = append(qs, q)
				res, err := ix.Query(q, 3)
				if err != nil {
					t.Fatal(err)
				}
				if len(res) == 0 || res[0].Prompt == nil || res[0].Prompt.Title != want {
					t.Errorf("%q: %d results, first %+v; want %q first", q, len(res), res, want)
				}
			}
			slices.Sort(qs)
			got, urls := runEngine(t, s, qs)
			for _, q := range qs {
				sameRanking(t, ix, q, got[q], urls)
			}
		})
	}
}

// TestOrderOfKeys checks that search.js finds a key in the chunk and the
// page Go put it in when the keys mix characters past U+FFFF with full-width ones,
// which UTF-16 and Go order differently; and capitals that lower-case
// unlike the rest.
func TestOrderOfKeys(t *testing.T) {
	defer search.SetChunkTarget(300)()
	defer search.SetPageTarget(100)()
	c := &model.Category{Title: "日本語", Slug: "nihongo"}
	for i := range 40 {
		c.Prompts = append(c.Prompts, &model.Prompt{Title: fmt.Sprintf("ｗｏｒｄ%d", i), Anchor: fmt.Sprint("w", i),
			Text: fmt.Sprintf("ｗｏｒｄ%d ｔｅｘｔ%d", i, i)})
	}
	c.Prompts = append(c.Prompts,
		&model.Prompt{Title: "𠮟る", Anchor: "shikaru", Text: "部下を𠮟る前に、事実を確かめる。"},
		&model.Prompt{Title: "İstanbul", Anchor: "istanbul", Text: "İstanbul gezisi"},
		&model.Prompt{Title: "ΟΔΗΓΟΣ", Anchor: "odigos", Text: "ΟΔΗΓΟΣ για την Αθήνα"})
	s := &model.Site{Lang: "ja", Categories: []*model.Category{c}}
	ix, err := search.New(s)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	qs := []string{"𠮟る", "𠮟", "ｗｏｒｄ39", "word39", "ｔｅｘｔ", "İstanbul", "istanbul", "ΟΔΗΓΟΣ", "οδηγος"}
	got, urls := runEngine(t, s, qs)
	for _, q := range qs {
		sameRanking(t, ix, q, got[q], urls)
		if res, _ := ix.Query(q, 1); q != "οδηγος" && q != "word39" && len(res) == 0 {
			t.Errorf("%q: no result", q)
		}
	}
}
