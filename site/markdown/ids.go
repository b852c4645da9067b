package markdown

import (
	"unicode"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"

	"github.com/promptsite/promptsite/site/anchor"
	"github.com/promptsite/promptsite/site/model"
)

// assignIDs gives every heading of a document an id, as GitHub does for the
// same file, so that links to its rendered markdown carry over: one set of
// ids for the whole file, in document order. An id the author wrote with
// {#id} is kept as written and taken first. Every other attribute is
// dropped: headings carry nothing but their id.
func assignIDs(root ast.Node, src []byte, pos func(ast.Node) model.Pos) (*anchor.Set, error) {
	var headings []*ast.Heading
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if h, ok := n.(*ast.Heading); ok {
			headings = append(headings, h)
			return ast.WalkSkipChildren, nil
		}
		// A heading is a block in a block: none is inside the text of a
		// paragraph or a table, nor in code.
		switch n.Kind() {
		case ast.KindParagraph, ast.KindTextBlock, ast.KindFencedCodeBlock, ast.KindCodeBlock, ast.KindHTMLBlock, east.KindTable:
			return ast.WalkSkipChildren, nil
		}
		if n.Type() == ast.TypeInline {
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})

	var ids anchor.Set
	explicit := make(map[*ast.Heading]string)
	first := make(map[string]model.Pos)
	for _, h := range headings {
		v, ok := h.AttributeString("id")
		if !ok {
			continue
		}
		id, _ := v.([]byte)
		if !validID(string(id)) {
			return nil, model.Errorf(pos(h), "write letters, digits, '-' or '_' only, as in {#retry-with-backoff}",
				"heading %q has an invalid id {#%s}", inlineText(h, src), id)
		}
		if !ids.Reserve(string(id)) {
			return nil, model.Errorf(pos(h), "give one of them another id",
				"heading %q has the id %q, which the heading at line %d has too", inlineText(h, src), id, first[string(id)].Line)
		}
		explicit[h] = string(id)
		first[string(id)] = pos(h)
	}

	for _, h := range headings {
		id, ok := explicit[h]
		if !ok {
			title := inlineText(h, src)
			slug := anchor.Slug(title)
			// Only the library's title, an H1 at the top level, needs no
			// anchor: every other heading is linked to.
			if slug == "" && !(h.Level == 1 && h.Parent() == root) {
				return nil, model.Errorf(pos(h), "put a letter or digit in it, or give it an id: "+
					hashes(h.Level)+" "+title+" {#my-id}",
					"heading %q has no letter or digit to make its anchor from", title)
			}
			id = ids.Unique(slug)
		}
		// Drop {.class}, {style=…} and the like: only the id is kept.
		h.RemoveAttributes()
		h.SetAttributeString("id", []byte(id))
	}
	return &ids, nil
}

func hashes(level int) string {
	return "######"[:level]
}

// validID reports whether id is fit to be an anchor: non-empty, made of
// letters, marks, digits, '-' and '_'.
func validID(id string) bool {
	if id == "" {
		return false
	}
	for _, r := range id {
		if !(r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r)) {
			return false
		}
	}
	return true
}
