// Package highlight colours source code for the web.
//
// It uses the Chroma library to do this work, with CSS classes rather than
// inline styles so that a strict Content-Security-Policy holds, and a light
// and a dark theme that follow the reader's colour scheme.
package highlight

import (
	_ "embed"
	"fmt"
	"html"
	"io"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
)

// Highlighter turns code into HTML spans with chroma's classes, coloured
// by the "github" theme, or "github-dark" when the reader prefers dark.
type Highlighter struct{}

// css is chroma's stylesheet for the two themes. It is made by the tests
// (go test ./site/highlight -update) rather than at run time, as loading
// chroma's styles costs every start of the program 10 ms.
//
//go:embed chroma.css
var css string

// classes is the style the formatter is given: with classes, it needs one,
// but its colours are never used.
var classes = chroma.MustNewStyle("classes", chroma.StyleEntries{})

var formatter = chromahtml.New(
	chromahtml.WithClasses(true),
	chromahtml.PreventSurroundingPre(true),
	chromahtml.WithCSSComments(false),
)

// Code writes code as the contents of a <code> element: highlighted spans
// when lang names a language chroma knows, else escaped text. A block with
// no language is plain text: its language is never guessed. The text of
// what it writes is code, to the byte.
func (h Highlighter) Code(w io.Writer, code, lang string) error {
	lexer := lexerFor(lang)
	if lexer == nil {
		_, err := io.WriteString(w, html.EscapeString(code))
		return err
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, code)
	if err != nil {
		return fmt.Errorf("highlight %s: %w", lang, err)
	}
	tokens := it.Tokens()
	// Some lexers end the text with a line break of their own; the block
	// must read exactly as written.
	if !strings.HasSuffix(code, "\n") && len(tokens) > 0 {
		last := &tokens[len(tokens)-1]
		last.Value = strings.TrimSuffix(last.Value, "\n")
		if last.Value == "" {
			tokens = tokens[:len(tokens)-1]
		}
	}
	return formatter.Format(w, classes, chroma.Literator(tokens...))
}

// Known reports whether chroma has a lexer for lang.
func Known(lang string) bool { return lexerFor(lang) != nil }

// lexerFor returns chroma's lexer for lang, nil for none, looking each
// name up once: chroma matches a name that is no lexer's against the file
// patterns of every lexer, which cost a library of 143 prompts with many
// code blocks a fifth of its build. The names kept are bounded, as a
// library may have any number of them.
func lexerFor(lang string) chroma.Lexer {
	if lang == "" {
		return nil
	}
	if l, ok := lexerNames.Load(lang); ok {
		return l.(lexerOf).lexer
	}
	l := lexers.Get(lang)
	if lexerCount.Add(1) <= maxLexerNames {
		lexerNames.Store(lang, lexerOf{l})
	}
	return l
}

// lexerOf is a name's lexer, nil for none, as lexerNames keeps it.
type lexerOf struct{ lexer chroma.Lexer }

var (
	lexerNames sync.Map // by name
	lexerCount atomic.Int64
)

// maxLexerNames is how many names lexerFor keeps.
const maxLexerNames = 4096

// WriteCSS writes the stylesheet for both themes: the light one by default,
// the dark one inside a prefers-color-scheme media query.
func (h Highlighter) WriteCSS(w io.Writer) error {
	_, err := io.WriteString(w, css)
	return err
}
