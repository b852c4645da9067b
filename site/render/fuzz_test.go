package render

import (
	"html/template"
	"strings"
	"testing"

	promptsite "github.com/promptsite/promptsite"
	"github.com/promptsite/promptsite/site/model"
)

// FuzzSharePage checks that writeSharePage writes what the built-in
// templates write, whatever the prompt, the category and the addresses:
//
//	go test ./site/render -run '^$' -fuzz FuzzSharePage -fuzztime 5m
func FuzzSharePage(f *testing.F) {
	f.Add("Retry with Backoff", "retry-with-backoff", "Error Handling", "Write a retry.", "https://x.example", "/assets/site.css")
	f.Add(`<script>"x"</script>`, "日本語", "a+b & 'c'", "\x00\xff", "javascript:x", "/a b%zz.css")
	tm, err := Parse(promptsite.Templates())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, title, anchor, category, intro, base, css string) {
		s := &model.Site{Title: category + title}
		c := &model.Category{Title: category, Slug: anchor + "-c"}
		c.Prompts = []*model.Prompt{{Title: title, TitleHTML: template.HTML(title), Anchor: anchor, Intro: intro}}
		s.Categories = []*model.Category{c}
		opts := Options{BaseURL: base, CSS: css, JS: css + ".js"}
		slow, err := renderShare(tm, s, opts, false)
		if err != nil {
			t.Skip(err) // not a library a build would render
		}
		fast, err := renderShare(tm, s, opts, true)
		if err != nil {
			t.Fatal(err)
		}
		for name, want := range slow {
			if got := fast[name]; got != want {
				t.Fatalf("%s differs from the template's:\n%s", name, firstDiff(got, want))
			}
		}
		if len(slow) != len(fast) {
			t.Fatalf("%d share pages from the templates, %d written", len(slow), len(fast))
		}
	})
}

// chatTemplate is the markup chatLinks writes, as a template.
var chatTemplate = template.Must(template.New("chats").Parse(`{{range .Page.Opts.Chats}}
<a class="chat" href="{{.Home}}" data-q="{{.Query}}" target="_blank" rel="noopener" aria-label="Open in {{.Label}}: {{$.P.Title}}">Open in {{.Label}}</a>
{{- end}}`))

// FuzzChatLinks checks that chatLinks writes what html/template writes
// for the same links, whatever the prompt's title and the chat:
//
//	go test ./site/render -run '^$' -fuzz FuzzChatLinks -fuzztime 1m
func FuzzChatLinks(f *testing.F) {
	for _, c := range Chats {
		f.Add("Retry with Backoff", c.Label, c.Home, c.Query)
	}
	f.Add(`<b>"x" & 'y'</b>`, "A<b>", "javascript:alert(1)", `https://x.example/?q="a b"&`)
	f.Add("日本語", "\x00\xff", "https://x.example/a%zz b", "/q?x=é")
	f.Fuzz(func(t *testing.T, title, label, home, query string) {
		it := Item{Page: &Page{Opts: Options{Chats: []Chat{{label, home, query}, Chats["claude"]}}}, P: &model.Prompt{Title: title}}
		var want strings.Builder
		if err := chatTemplate.Execute(&want, it); err != nil {
			t.Skip(err)
		}
		if got := string(chatLinks(it)); got != want.String() {
			t.Fatalf("chatLinks differs from the template's:\n%s", firstDiff(got, want.String()))
		}
	})
}
