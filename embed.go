// Package promptsite holds the files that the promptsite binary carries:
// the theme's templates and assets, and the library it publishes when it is
// given no content of its own.
package promptsite

import (
	"embed"
	"io/fs"
)

//go:embed templates/*.html assets content/*.md
var files embed.FS

// Templates returns the embedded page templates.
func Templates() fs.FS { return sub("templates") }

// Assets returns the embedded stylesheets and scripts.
func Assets() fs.FS { return sub("assets") }

// Content returns the embedded default library.
func Content() fs.FS { return sub("content") }

func sub(dir string) fs.FS {
	f, err := fs.Sub(files, dir)
	if err != nil {
		panic(err) // dir is one of the embedded folders above
	}
	return f
}
