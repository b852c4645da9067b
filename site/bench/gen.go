package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
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
	fence := ""
	for _, line := range bytes.SplitAfter(md, []byte("\n")) {
		s := strings.TrimRight(string(line), "\n")
		cur := &secs[len(secs)-1]
		switch t := strings.TrimLeft(s, " "); {
		case fence != "":
			if strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" {
				fence = ""
			}
		case strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~"):
			fence = t[:3]
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

// writeHugo writes the library as a Hugo site with a bare theme: one
// content file per category, the text before the first category as the
// home page, and layouts that render the page and the Pagefind default UI.
func writeHugo(dir string, md []byte) error {
	secs := split(md)
	files := map[string]string{
		"hugo.toml":         fmt.Sprintf("baseURL = \"http://localhost/\"\ntitle = %q\ntheme = \"bare\"\n", secs[0].title),
		"content/_index.md": fmt.Sprintf("+++\ntitle = %q\n+++\n\n%s", secs[0].title, secs[0].body),
		"themes/bare/layouts/_default/baseof.html": hugoBaseof,
		"themes/bare/layouts/_default/single.html": hugoSingle,
		"themes/bare/layouts/_default/list.html":   hugoList,
	}
	seen := map[string]int{}
	for _, s := range secs[1:] {
		name := slug(s.title)
		if seen[name]++; seen[name] > 1 {
			name = fmt.Sprintf("%s-%d", name, seen[name])
		}
		files["content/"+name+".md"] = fmt.Sprintf("+++\ntitle = %q\n+++\n\n%s", s.title, s.body)
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
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
