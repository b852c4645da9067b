package main

import (
	"flag"
	"fmt"
	"net/url"
	"strings"

	"github.com/promptsite/promptsite/site"
	"github.com/promptsite/promptsite/site/config"
	"github.com/promptsite/promptsite/site/highlight"
	"github.com/promptsite/promptsite/site/markdown"
	"github.com/promptsite/promptsite/site/model"
	"github.com/promptsite/promptsite/site/search"
)

// library reads the project's library, as the flags of fs say.
func (e *env) library(fs *flag.FlagSet, file string) (*model.Site, *config.Config, int, error) {
	p, code, err := e.open(fs, file, nil, false)
	if err != nil {
		return nil, nil, code, err
	}
	lib, err := site.Parse(markdown.New(highlight.Highlighter{}), p.Library.Files,
		site.ParseOptions{Title: p.Config.Title, Skipped: p.Library.Skipped, Lang: p.Config.Language})
	if err != nil {
		return nil, nil, exitError, err
	}
	return lib.Site, p.Config, exitOK, nil
}

// runSearch answers a query from bleve, as the site's search box would.
func runSearch(e *env, args []string) int {
	fs := e.newFlags("search", "search [-n N] [-content PATH] QUERY",
		"Search prints the prompts that best match QUERY, best first, with their addresses.\n"+
			"It reads queries as the site's search box does: the last word may be the start of\n"+
			"a word, and words of four letters or more may have one typo.")
	n := fs.Int("n", 10, "the most results to print")
	fs.String("content", "", "the library: a markdown file or a folder of them (default: content in "+config.FileName+", or content/)")
	addLangFlag(fs)
	file := addConfigFlag(fs)
	words, code, ok := e.parse(fs, args)
	if !ok {
		return code
	}
	q := strings.Join(words, " ")
	if strings.TrimSpace(q) == "" {
		fmt.Fprintln(e.stderr, "promptsite search: no query")
		fs.Usage()
		return exitUsage
	}
	s, cfg, code, err := e.library(fs, *file)
	if err != nil {
		return e.failWith(code, err)
	}
	ix, err := search.New(s)
	if err != nil {
		return e.fail(err)
	}
	defer ix.Close()
	rs, err := ix.Query(q, *n)
	if err != nil {
		return e.fail(err)
	}
	if len(rs) == 0 {
		fmt.Fprintf(e.stderr, "promptsite: no results for %q\n", q)
		return exitError
	}
	base := strings.TrimSuffix(cfg.BaseURL, "/")
	for i, r := range rs {
		title := r.Category.Title
		if r.Prompt != nil {
			title = r.Prompt.Title + " (" + r.Category.Title + ")"
		}
		fmt.Fprintf(e.stdout, "%2d. %s\n    %s%s\n", i+1, title, base, r.URL)
	}
	return exitOK
}

// runShow prints one prompt's raw text.
func runShow(e *env, args []string) int {
	fs := e.newFlags("show", "show [-content PATH] ANCHOR",
		"Show prints the text of the prompt at ANCHOR, ready to pipe into a clipboard tool:\n"+
			"its first code block, or its text when it has none. ANCHOR is the prompt's anchor\n"+
			"(retry-with-backoff), with its category when two share it\n"+
			"(implementation-prompts/retry-with-backoff), or its address (/implementation-prompts/#retry-with-backoff,\n"+
			"or the share link that Copy link gives).")
	fs.String("content", "", "the library: a markdown file or a folder of them (default: content in "+config.FileName+", or content/)")
	file := addConfigFlag(fs)
	rest, code, ok := e.parse(fs, args)
	if !ok {
		return code
	}
	if len(rest) != 1 {
		fmt.Fprintln(e.stderr, "promptsite show: give one ANCHOR")
		fs.Usage()
		return exitUsage
	}
	s, cfg, code, err := e.library(fs, *file)
	if err != nil {
		return e.failWith(code, err)
	}
	text, err := find(s, cfg.BasePath(), rest[0])
	if err != nil {
		return e.fail(err)
	}
	fmt.Fprintln(e.stdout, strings.TrimRight(text, "\n"))
	return exitOK
}

// find returns the text of the prompt, or of the category without prompts,
// that ref names: an anchor, "category/anchor", or an address of the site
// (under base, its base path), the share link that Copy link gives
// included.
func find(s *model.Site, base, ref string) (string, error) {
	cat, anchor := "", ref
	u, err := url.Parse(ref)
	if err == nil && (u.Scheme != "" || strings.HasPrefix(ref, "/")) {
		p := u.Path
		if base != "/" && strings.HasPrefix(p, base) {
			p = "/" + strings.TrimPrefix(p, base)
		}
		seg := strings.Split(strings.Trim(p, "/"), "/")
		switch {
		case len(seg) == 3 && seg[0] == "p" && strings.HasSuffix(seg[2], ".html"):
			// A share page: /p/<category>/<anchor>.html.
			cat, anchor = seg[1], strings.TrimSuffix(seg[2], ".html")
		case len(seg) == 2 && u.Fragment == "":
			// A prompt's own page: /<category>/<anchor>/.
			cat, anchor = seg[0], seg[1]
		default:
			cat, anchor = strings.Join(seg, "/"), u.Fragment
		}
	} else if i := strings.LastIndex(ref, "/"); i >= 0 {
		cat, anchor = strings.Trim(ref[:i], "/"), ref[i+1:]
	}
	var found []string
	var text string
	for _, c := range s.Categories {
		if cat != "" && c.PathSegment() != cat && c.Slug != cat {
			continue
		}
		if anchor == "" || (len(c.Prompts) == 0 && c.Slug == anchor) {
			found, text = append(found, c.URL()), c.IntroText
			continue
		}
		for _, p := range c.Prompts {
			if p.Anchor == anchor || model.Segment(p.Anchor) == anchor {
				found, text = append(found, p.URL(c)), p.PromptText()
			}
		}
	}
	switch len(found) {
	case 0:
		return "", fmt.Errorf("no prompt has the anchor %q; `promptsite search WORDS` finds anchors", ref)
	case 1:
		return text, nil
	}
	return "", fmt.Errorf("%d prompts have the anchor %q; name one by its address: %s", len(found), ref, strings.Join(found, ", "))
}
