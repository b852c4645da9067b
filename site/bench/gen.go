package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/promptsite/promptsite/site/internal/libgen"
)

// section is one H2 of a library: a category, or the text before the
// first one (with an empty title).
type section struct {
	title string
	body  []byte
}

// split cuts a library's markdown at its H2 headings, outside fences. The
// text before the first H2 comes first, its title the H1's.
func split(md []byte) []section {
	secs := []section{{}}
	var f fences
	for _, line := range bytes.SplitAfter(md, []byte("\n")) {
		s := strings.TrimRight(string(line), "\n")
		cur := &secs[len(secs)-1]
		switch {
		case f.code(s):
		case strings.HasPrefix(s, "## "):
			secs = append(secs, section{title: strings.TrimSpace(s[3:])})
			continue
		case strings.HasPrefix(s, "# ") && len(secs) == 1 && cur.title == "":
			cur.title = strings.TrimSpace(s[2:])
			continue
		}
		cur.body = append(cur.body, line...)
	}
	return secs
}

// fences follows a markdown file's code fences line by line, so that a
// heading-like line inside one is not taken for a heading.
type fences struct{ open string } // the open fence's first three characters

// code reports whether line opens, closes or is inside a fence, and notes
// a fence it opens or closes.
func (f *fences) code(line string) bool {
	t := strings.TrimLeft(line, " ")
	switch {
	case f.open != "":
		if strings.HasPrefix(t, f.open) && strings.Trim(t, f.open[:1]) == "" {
			f.open = ""
		}
		return true
	case strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~"):
		f.open = t[:3]
		return true
	}
	return false
}

// addedLine is the sentence that the edit before a rebuild adds to one
// prompt's text.
const addedLine = "Keep the public interface as it is, and say why each change is needed.\n"

// edit returns md with addedLine appended to the text of its middle
// prompt (its first code block), as a maintainer might edit one prompt,
// and that prompt's title.
func edit(md []byte) ([]byte, string, error) {
	lines := bytes.SplitAfter(md, []byte("\n"))
	type prompt struct {
		title string
		end   int // the line that closes its code block
	}
	var (
		prompts []prompt
		f       fences
		title   string // of a prompt whose code block has not closed yet
	)
	for i, line := range lines {
		s := strings.TrimRight(string(line), "\n")
		was := f.open
		if f.code(s) {
			if was != "" && f.open == "" && title != "" {
				prompts = append(prompts, prompt{title, i})
				title = ""
			}
			continue
		}
		if strings.HasPrefix(s, "### ") {
			title = strings.TrimSpace(s[4:])
		}
	}
	if len(prompts) == 0 {
		return nil, "", fmt.Errorf("editing the library: no prompt with a code block in it")
	}
	p := prompts[len(prompts)/2]
	var b bytes.Buffer
	b.Grow(len(md) + len(addedLine))
	for i, line := range lines {
		if i == p.end {
			b.WriteString(addedLine)
		}
		b.Write(line)
	}
	return b.Bytes(), p.title, nil
}

// slug makes a file name of a title: lower-case letters and digits,
// joined by hyphens.
func slug(title string) string {
	f := strings.FieldsFunc(strings.ToLower(title), func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9')
	})
	return strings.Join(f, "-")
}

// writePromptsite writes the library as promptsite reads it: one file.
func writePromptsite(dir string, md []byte) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	file := filepath.Join(dir, "library.md")
	return file, os.WriteFile(file, md, 0o644)
}

// writeHugo writes the library as a Hugo site with a bare theme: its
// content (see hugoContent) and layouts that render the page and the
// Pagefind default UI.
func writeHugo(dir string, md []byte) error {
	content, title := hugoContent(md)
	files := map[string]string{
		"hugo.toml": fmt.Sprintf("baseURL = \"http://localhost/\"\ntitle = %q\ntheme = \"bare\"\n", title),
		"themes/bare/layouts/_default/baseof.html": hugoBaseof,
		"themes/bare/layouts/_default/single.html": hugoSingle,
		"themes/bare/layouts/_default/list.html":   hugoList,
	}
	for name, text := range content {
		files[name] = text
	}
	for name, text := range files {
		if err := writeFile(dir, name, text); err != nil {
			return err
		}
	}
	return nil
}

// hugoContent returns the library's Hugo content files by their path in
// the site, and the library's title: one file per category, and the text
// before the first category as the home page.
func hugoContent(md []byte) (files map[string]string, title string) {
	secs := split(md)
	files = map[string]string{
		"content/_index.md": fmt.Sprintf("+++\ntitle = %q\n+++\n\n%s", secs[0].title, secs[0].body),
	}
	seen := map[string]int{}
	for _, s := range secs[1:] {
		name := slug(s.title)
		if seen[name]++; seen[name] > 1 {
			name = fmt.Sprintf("%s-%d", name, seen[name])
		}
		files["content/"+name+".md"] = fmt.Sprintf("+++\ntitle = %q\n+++\n\n%s", s.title, s.body)
	}
	return files, secs[0].title
}

// writeFile writes text to the slash-separated path name under dir,
// making the folders it needs.
func writeFile(dir, name, text string) error {
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, []byte(text), 0o644)
}

// The bare theme: the page's content, and Pagefind's default UI in the
// header, set up as its documentation shows.
const hugoBaseof = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ site.Title }}</title>
<link href="/pagefind/pagefind-ui.css" rel="stylesheet">
<script src="/pagefind/pagefind-ui.js"></script>
</head>
<body>
<header><a href="/">{{ site.Title }}</a><div id="search"></div></header>
<main data-pagefind-body>
{{ block "main" . }}{{ end }}
</main>
<script>
window.addEventListener("DOMContentLoaded", () => { new PagefindUI({ element: "#search", showSubResults: true }); });
</script>
</body>
</html>
`

const hugoSingle = `{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}{{ end }}
`

const hugoList = `{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
`

// library is one size's generated library, written for both tools, in
// the two versions that the rebuilds switch between: as generated, and
// with the text of one prompt edited.
type library struct {
	prompts        int
	psDir, hugoDir string
	file           string    // promptsite's input, library.md
	md             [2][]byte // library.md in each version
	hugoFile       string    // the Hugo content file that the edit changes
	hugoText       [2]string // that file in each version
	edited         string    // the edited prompt's title
}

// writeLibrary generates a library of n prompts and writes it under dir
// for both tools, in its first version.
func writeLibrary(dir string, n int, seed uint64) (*library, error) {
	lib := &library{prompts: n, psDir: filepath.Join(dir, "promptsite"), hugoDir: filepath.Join(dir, "hugo")}
	lib.md[0] = libgen.Library(n, seed)
	var err error
	if lib.md[1], lib.edited, err = edit(lib.md[0]); err != nil {
		return nil, err
	}
	if err := lib.findHugoEdit(); err != nil {
		return nil, err
	}
	if lib.file, err = writePromptsite(lib.psDir, lib.md[0]); err != nil {
		return nil, fmt.Errorf("writing the library for promptsite: %w", err)
	}
	if err := writeHugo(lib.hugoDir, lib.md[0]); err != nil {
		return nil, fmt.Errorf("writing the library for Hugo: %w", err)
	}
	return lib, nil
}

// findHugoEdit finds the one Hugo content file that differs between the
// two versions, so that switching versions rewrites only that file, as
// an editor saving one page would.
func (lib *library) findHugoEdit() error {
	a, _ := hugoContent(lib.md[0])
	b, _ := hugoContent(lib.md[1])
	var changed []string
	for name, text := range a {
		if b[name] != text {
			changed = append(changed, name)
		}
	}
	if len(changed) != 1 || len(a) != len(b) {
		return fmt.Errorf("editing prompt %q changed %d of Hugo's content files, not one", lib.edited, len(changed))
	}
	lib.hugoFile = changed[0]
	lib.hugoText = [2]string{a[lib.hugoFile], b[lib.hugoFile]}
	return nil
}

// use puts version v (0 or 1) of the library in place for both tools:
// promptsite's whole library.md, and Hugo's one changed content file.
func (lib *library) use(v int) error {
	if err := os.WriteFile(lib.file, lib.md[v], 0o644); err != nil {
		return fmt.Errorf("switching the library to version %d: %w", v+1, err)
	}
	if err := writeFile(lib.hugoDir, lib.hugoFile, lib.hugoText[v]); err != nil {
		return fmt.Errorf("switching the Hugo site to version %d: %w", v+1, err)
	}
	return nil
}
