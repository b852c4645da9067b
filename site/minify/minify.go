// Package minify makes the theme's scripts and style sheets smaller before
// they are published: comments and spaces go, names inside functions get
// shorter; what they do stays the same.
package minify

import (
	"fmt"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/js"
)

var m = func() *minify.M {
	m := minify.New()
	m.Add("text/javascript", &js.Minifier{})
	m.Add("text/css", &css.Minifier{})
	return m
}()

// JS returns the script src, minified; name is the file it comes from,
// for the error.
func JS(name string, src []byte) ([]byte, error) { return run(name, "text/javascript", src) }

// CSS returns the style sheet src, minified; name is the file it comes
// from, for the error.
func CSS(name string, src []byte) ([]byte, error) { return run(name, "text/css", src) }

func run(name, typ string, src []byte) ([]byte, error) {
	out, err := m.Bytes(typ, src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w; fix the file, or check it with a linter", name, err)
	}
	return out, nil
}
