package render

import (
	"encoding/json"
	"fmt"
	"html/template"
	"strings"
	"testing"
	"unicode/utf8"

	promptsite "github.com/promptsite/promptsite"
	"github.com/promptsite/promptsite/site/model"
)

func TestDescribe(t *testing.T) {
	long := strings.Repeat("word ", 60)
	tests := []struct{ text, alt, want string }{
		{"Short  text\nwith lines.", "alt", "Short text with lines."},
		{"", "the title", "the title"},
		{"   ", "the title", "the title"},
	}
	for _, tt := range tests {
		if got := describe(tt.text, tt.alt); got != tt.want {
			t.Errorf("describe(%q, %q) = %q; want %q", tt.text, tt.alt, got, tt.want)
		}
	}
	got := describe(long, "")
	if n := utf8.RuneCountInString(got); n > 160 || !strings.HasSuffix(got, "word…") {
		t.Errorf("describe of %d characters = %q (%d); want at most 160, cut at a word", len(long), got, n)
	}
	if got := describe(strings.Repeat("é", 200), ""); utf8.RuneCountInString(got) != 160 || !utf8.ValidString(got) {
		t.Errorf("describe of 200 é = %q; want 159 of them and an ellipsis", got)
	}
	// A long title that is not UTF-8, as a description's fallback, is cut
	// at its 159th character with each stray byte made U+FFFD.
	title := strings.Repeat("ab\xffé ", 40)
	got = describe("", title)
	if !utf8.ValidString(got) || utf8.RuneCountInString(got) > 160 || !strings.HasPrefix(got, "ab\uFFFDé ab\uFFFDé") || !strings.HasSuffix(got, "ab\uFFFDé…") {
		t.Errorf("describe of a long title that is not UTF-8 = %q; want it cut at a word, with U+FFFD for the stray bytes", got)
	}
}

func TestFileFor(t *testing.T) {
	for path, want := range map[string]string{
		"/":                 "index.html",
		"/testing-prompts/": "testing-prompts/index.html",
		"/a/b/":             "a/b/index.html",
		"/404.html":         "404.html",
	} {
		if got := fileFor(path); got != want {
			t.Errorf("fileFor(%q) = %q; want %q", path, got, want)
		}
	}
}

// TestBuiltinShareSum checks that writeSharePage is used with the built-in
// theme, and that its sum is that of the built-in templates it copies.
func TestBuiltinShareSum(t *testing.T) {
	if got := shareSum(promptsite.Templates()); got != builtinShareSum {
		t.Fatalf("the built-in redirect.html or meta.html changed (sum %s): make writeSharePage write what they do, "+
			"until TestSharePagesMatchTemplates passes, then set builtinShareSum to that sum", got)
	}
	tm, err := Parse(promptsite.Templates())
	if err != nil {
		t.Fatal(err)
	}
	if !tm.fastShare {
		t.Error("the built-in theme does not get its share pages written by writeSharePage")
	}
}

// trickyLibrary is a library whose titles, anchors and texts hold what
// escaping must get right: markup, quotes, plus signs, entities, NUL,
// bytes that are not UTF-8, non-ASCII letters, and percent signs.
func trickyLibrary() *model.Site {
	texts := []string{
		`<script>alert("x")</script>`, `Tom's "quoted" & <b>bold</b>`, "a+b=c; 1<2>0",
		"&amp; &lt; already escaped", "nul\x00byte", "bad \xff\xfe utf-8", "日本語のプロンプト",
		"Ünïcödé — “curly” ‘quotes’", "%41 %zz 100% done", "\uFDD0 \uFFFE nonchars", "",
	}
	anchors := []string{"plain", "日本語", "with%20space", "a'b\"c", "semi;colon", "x+y", "q?a=1&b=2", "pct%zz", "tab\there", "ok-1", "z"}
	s := &model.Site{Title: texts[1] + " library"}
	for ci := range 3 {
		c := &model.Category{Title: texts[(ci+2)%len(texts)], Slug: []string{"cat", "カテゴリ", "c%41t"}[ci]}
		for pi, a := range anchors {
			txt := texts[(pi+ci)%len(texts)]
			c.Prompts = append(c.Prompts, &model.Prompt{
				Title: txt, TitleHTML: template.HTML("<code>" + txt + "</code>"), Anchor: a,
				Intro: texts[(pi+ci+3)%len(texts)], Text: txt,
			})
		}
		s.Categories = append(s.Categories, c)
	}
	return s
}

// TestSharePagesMatchTemplates checks that writeSharePage writes the bytes
// that the built-in templates write, for every share page of a library made
// to break the escaping, with the base URLs and asset paths a build may
// have, unsafe ones included.
func TestSharePagesMatchTemplates(t *testing.T) {
	tm, err := Parse(promptsite.Templates())
	if err != nil {
		t.Fatal(err)
	}
	site := trickyLibrary()
	for _, opts := range []Options{
		{},
		{BaseURL: "https://prompts.example.com", CSS: "/assets/site.0123456789.css", JS: "/assets/site.abcdef0123.js"},
		{BaseURL: "http://x.example/sub dir/ü", CSS: "/a b.css?x=1&y=2", JS: "/%2e%2e/it's.js"},
		{BaseURL: "javascript:alert(1)//", CSS: "data:text/css,x", JS: "JavaScript:void(0)"},
		{BaseURL: "HTTPS://EXAMPLE.COM", CSS: "mailto:a@b", JS: "//cdn.example/x.js"},
		{Lang: "pt-BR", NoIndex: true, Favicon: "/repo/assets/favicon.0123456789.png", Base: "/repo/"},
		{Lang: `x"><script>alert(1)</script>`, Favicon: "javascript:alert(1)", NoIndex: true},
		{Lang: "zh", Favicon: "/a b/ü.svg?x=1&y=2"},
		{Lang: "ar-EG", Strings: map[string]string{"open_prompt_in": `<b>{category}</b> & "{title}" {title}`}},
		{Lang: "he", Strings: map[string]string{"open_prompt_in": "{nothing}"}},
	} {
		slow, err := renderShare(tm, site, opts, false)
		if err != nil {
			t.Fatal(err)
		}
		fast, err := renderShare(tm, site, opts, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(slow) == 0 || len(slow) != len(fast) {
			t.Fatalf("%+v: %d share pages from the templates, %d written", opts, len(slow), len(fast))
		}
		for name, want := range slow {
			if got := fast[name]; got != want {
				t.Errorf("%+v: %s differs from the template's:\n%s", opts, name, firstDiff(got, want))
			}
		}
	}
}

// renderShare renders s's pages and returns its share pages by name,
// written by writeSharePage or by the templates.
func renderShare(tm *Templates, s *model.Site, opts Options, fast bool) (map[string]string, error) {
	own := *tm // Parse shares what it parsed: change a copy
	own.fastShare = fast
	tree, err := own.Pages(s, opts)
	if err != nil {
		return nil, err
	}
	pages := map[string]string{}
	for _, name := range tree.Names() {
		if strings.HasPrefix(name, "p/") {
			b, _ := tree.Get(name)
			pages[name] = string(b)
		}
	}
	return pages, nil
}

func firstDiff(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(i-60, 0)
	return fmt.Sprintf("written:  %q\ntemplate: %q", got[from:min(i+60, len(got))], want[from:min(i+60, len(want))])
}

// langLibrary is a library of one category and one prompt, with a code
// block as site/markdown writes it and a blank to fill in.
func langLibrary() *model.Site {
	p := &model.Prompt{Title: "Retry", TitleHTML: "Retry", Anchor: "retry", Form: "fence", Text: "Retry [the call here]",
		Placeholders: []string{"the call here"}, Updated: "2026-01-02",
		Body: `<div class="code"><pre class="chroma" tabindex="0"><code>Retry</code></pre><button type="button" class="copy" hidden>Copy</button></div>` + "\n" +
			`<div class="prompt-src"><template class="src">x</template><button type="button" class="copy" hidden>Copy prompt</button></div>`}
	return &model.Site{Title: "Lib", Categories: []*model.Category{{Title: "Testing", Slug: "testing", Prompts: []*model.Prompt{p}}}}
}

// renderPage renders s with opts and returns the page at name.
func renderPage(t *testing.T, s *model.Site, opts Options, name string) string {
	t.Helper()
	tm, err := Parse(promptsite.Templates())
	if err != nil {
		t.Fatal(err)
	}
	tree, err := tm.Pages(s, opts)
	if err != nil {
		t.Fatal(err)
	}
	b, ok := tree.Get(name)
	if !ok {
		t.Fatalf("no %s among %q", name, tree.Names())
	}
	return string(b)
}

// TestPagesInLanguage checks that a page speaks its language: the
// templates' strings, the chat links, the markdown's copy buttons and the
// strings handed to the scripts, with <html dir> for a right-to-left one.
func TestPagesInLanguage(t *testing.T) {
	chats := []Chat{Chats["chatgpt"]}
	tests := []struct {
		opts       Options
		has, lacks []string
		script     map[string]string
	}{
		{Options{Chats: chats},
			[]string{`<html lang="en">`, `>Copy</button>`, `>Copy prompt</button>`, `aria-label="Copy link to Retry">Copy link</button>`,
				`>Fill in</button>`, `>Open in ChatGPT</a>`, `aria-label="Open in ChatGPT: Retry"`, `placeholder="Search prompts"`,
				`<p class="updated">Updated <time datetime="2026-01-02">2026-01-02</time></p>`, `<p class="toc-title">On this page</p>`},
			[]string{"dir="},
			map[string]string{"copied": "Copied", "results_one": "{count} result", "results_other": "{count} results"}},
		{Options{Lang: "zh-CN", Chats: chats},
			[]string{`<html lang="zh-CN">`, `>复制</button>`, `>复制提示词</button>`, `aria-label="复制链接：Retry">复制链接</button>`,
				`>填写</button>`, `>在 ChatGPT 中打开</a>`, `placeholder="搜索提示词"`, `<p class="updated">更新于 <time datetime="2026-01-02">`,
				`<p class="toc-title">本页内容</p>`, `<a class="skip" href="#ps.main">跳到主要内容</a>`},
			[]string{"dir=", ">Copy<", "Search prompts", "On this page"},
			map[string]string{"copied": "已复制", "results_other": "找到 {count} 个结果"}},
		{Options{Lang: "ar", Chats: chats},
			[]string{`<html lang="ar" dir="rtl">`, `>نسخ</button>`, `placeholder="ابحث في الموجّهات"`},
			[]string{">Copy<"},
			map[string]string{"copied": "تم النسخ", "results_two": "نتيجتان", "results_many": "{count} نتيجة"}},
		{Options{Lang: "he-IL"}, []string{`<html lang="he-IL" dir="rtl">`}, nil, nil},
		{Options{Lang: "fr", Chats: chats, Strings: map[string]string{"copy": "Copier <vite>", "copied": "C'est copié", "open_in": "{service} !"}},
			[]string{`>Copier &lt;vite&gt;</button>`, `>Copier le prompt</button>`, `>ChatGPT !</a>`},
			[]string{">Copy<"},
			map[string]string{"copied": "C'est copié"}},
	}
	for _, tt := range tests {
		page := renderPage(t, langLibrary(), tt.opts, "testing/index.html")
		for _, s := range tt.has {
			if !strings.Contains(page, s) {
				t.Errorf("%s: the page lacks %s", tt.opts.Lang, s)
			}
		}
		for _, s := range tt.lacks {
			if strings.Contains(page, s) {
				t.Errorf("%s: the page has %s", tt.opts.Lang, s)
			}
		}
		var got map[string]string
		if err := json.Unmarshal([]byte(tt.opts.ScriptStrings()), &got); err != nil {
			t.Errorf("%s: the scripts' strings are not a JSON object (%v): %s", tt.opts.Lang, err, tt.opts.ScriptStrings())
			continue
		}
		for k, want := range tt.script {
			if got[k] != want {
				t.Errorf("%s: the scripts' %s is %q; want %q", tt.opts.Lang, k, got[k], want)
			}
		}
	}

	// The 404 page, the share page and the titles.
	zh := Options{Lang: "zh"}
	if p := renderPage(t, langLibrary(), zh, "404.html"); !strings.Contains(p, "<title>页面未找到 · Lib</title>") ||
		!strings.Contains(p, `<p>此地址没有页面，它可能已被移走。请从<a href="/">首页</a>开始，或选择一个分类。</p>`) {
		t.Errorf("the Chinese 404 page:\n%s", p)
	}
	if p := renderPage(t, langLibrary(), Options{Lang: "ar"}, "p/testing/retry.html"); !strings.Contains(p, `<html lang="ar" dir="rtl">`) ||
		!strings.Contains(p, `>افتح «Retry» في Testing</a>`) {
		t.Errorf("the Arabic share page:\n%s", p)
	}
	if p := renderPage(t, langLibrary(), zh, "testing/index.html"); !strings.Contains(p, `<meta name="description" content="1 个提示词：Retry。">`) {
		t.Errorf("the Chinese category page's description is not Chinese:\n%s", p)
	}
}

// TestEnglishUnchanged checks the English pages' words against what they
// said before the interface could be translated.
func TestEnglishUnchanged(t *testing.T) {
	s := langLibrary()
	s.Categories[0].Prompts = append(s.Categories[0].Prompts, &model.Prompt{Title: "Two", TitleHTML: "Two", Anchor: "two", Form: "fence"})
	for _, p := range s.Categories[0].Prompts {
		p.Category = s.Categories[0]
	}
	s.Tags = []*model.Tag{{Name: "go", Slug: "go", Prompts: s.Categories[0].Prompts[:1]}}
	for name, want := range map[string][]string{
		"index.html": {`<span class="count">2<span class="sr-only"> prompts</span></span>`},
		"404.html": {"<h1>Page not found</h1>\n<p>There is no page at this address. It may have moved: start from the <a href=\"/\">home page</a>, or pick a category.</p>",
			"<title>Page not found · Lib</title>"},
		"testing/index.html": {`<meta name="description" content="2 prompts: Retry, Two.">`, `<a class="hash" href="#retry" aria-label="Link to Retry">#</a>`},
		"tags/index.html":    {"<title>Tags · Lib</title>", `<meta name="description" content="The 1 tag of Lib.">`},
		"tags/go/index.html": {`<span class="count">1<span class="sr-only"> prompt</span></span>`, `content="1 tagged go: Retry."`},
		"p/testing/two.html": {`<p><a href="/testing/#two">Open “Two” in Testing</a></p>`},
		"testing/index.md":   {""},
		"llms.txt":           {"## Categories\n"},
	} {
		page := renderPage(t, s, Options{}, name)
		for _, w := range want {
			if !strings.Contains(page, w) {
				t.Errorf("%s lacks %q", name, w)
			}
		}
	}
}

// TestAliasToLiveSharePage checks that an alias whose old share page is a
// live prompt's leaves that share page as it is: share pages are made only
// as they are rendered, after the aliases are worked out.
func TestAliasToLiveSharePage(t *testing.T) {
	a := &model.Prompt{Title: "A", TitleHTML: "A", Anchor: "a", Form: "fence", Text: "a"}
	c := &model.Prompt{Title: "C", TitleHTML: "C", Anchor: "c", Form: "fence", Text: "c"}
	s := &model.Site{Title: "Lib", Categories: []*model.Category{{Title: "Testing", Slug: "testing", Prompts: []*model.Prompt{a, c}}},
		Aliases: []model.Alias{{From: "/testing/#a", To: "/testing/#c"}, {From: "/testing/#gone", To: "/testing/#c"}}}
	if page := renderPage(t, s, Options{}, "p/testing/a.html"); !strings.Contains(page, `url=/testing/#a"`) {
		t.Errorf("A's share page does not lead to A:\n%s", page)
	}
	if page := renderPage(t, s, Options{}, "p/testing/gone.html"); !strings.Contains(page, `url=/p/testing/c.html"`) {
		t.Errorf("the old share page does not lead to C's:\n%s", page)
	}
}
