// Package anchor makes heading ids the way GitHub does, so that a link to a
// heading in a repository's rendered markdown carries over to the site.
package anchor

import (
	"strconv"
	"strings"
	"unicode"
)

// Slug returns the id GitHub gives a heading with the text title: the text
// in lower case, with letters, marks, digits, '_' and '-' kept, each space
// turned into '-' and everything else dropped. It is empty when title has
// nothing to keep.
func Slug(title string) string {
	var b strings.Builder
	b.Grow(len(title))
	for _, r := range strings.ToLower(title) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Set hands out ids that are unique within one document. The zero value is
// ready to use.
type Set struct {
	used map[string]bool
}

// Has reports whether id is taken.
func (s *Set) Has(id string) bool { return s.used[id] }

// Reserve takes id as it is, for a heading whose id the author chose. It
// reports false when id is already taken.
func (s *Set) Reserve(id string) bool {
	if s.used[id] {
		return false
	}
	if s.used == nil {
		s.used = make(map[string]bool)
	}
	s.used[id] = true
	return true
}

// Unique returns slug if it is free, else slug followed by the first free
// "-1", "-2", ..., as GitHub numbers repeated headings, and takes it.
func (s *Set) Unique(slug string) string {
	id := slug
	for i := 1; s.used[id]; i++ {
		id = slug + "-" + strconv.Itoa(i)
	}
	s.Reserve(id)
	return id
}
