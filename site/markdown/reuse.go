package markdown

import (
	"context"
	"slices"

	"github.com/yuin/goldmark/ast"

	"github.com/promptsite/promptsite/site/model"
)

// parsed is what a document's categories and prompts were when its parse
// ended, for Reuse to put back.
type parsed struct {
	cats       []*model.Category
	catVals    []model.Category
	prompts    []*model.Prompt
	promptVals []model.Prompt
}

// Keep records the document's categories and prompts as the parse left
// them, so that it can be reused by another build of the same file (see
// Reuse). A build changes them as it goes: their languages, addresses,
// dates, tags and rendered bodies.
func (d *Document) Keep() {
	k := &parsed{}
	// The lists are copied: the record shares nothing a build may change.
	add := func(p *model.Prompt) {
		if p != nil {
			v := *p
			v.Code, v.Headings, v.Placeholders, v.Tags = slices.Clone(v.Code), slices.Clone(v.Headings),
				slices.Clone(v.Placeholders), slices.Clone(v.Tags)
			k.prompts = append(k.prompts, p)
			k.promptVals = append(k.promptVals, v)
		}
	}
	for _, c := range slices.Concat(d.Categories, []*model.Category{d.Page}) {
		if c == nil {
			continue
		}
		v := *c
		v.Prompts = slices.Clone(v.Prompts)
		k.cats = append(k.cats, c)
		k.catVals = append(k.catVals, v)
		for _, p := range c.Prompts {
			add(p)
		}
	}
	add(d.Prompt)
	d.kept = k
}

// Reuse readies a document that Keep recorded for another build, with
// ctx: it puts back its categories and prompts as the parse left them,
// each where it was (the document's ids and parts point to them), and
// clears what rendering set on its tree from the links it resolved, so
// that the build makes of it what it would make of the file parsed again.
// It reports false for a document Keep did not record.
func (d *Document) Reuse(ctx context.Context) bool {
	if d.kept == nil {
		return false
	}
	for i, c := range d.kept.cats {
		*c = d.kept.catVals[i]
		c.Prompts = slices.Clone(c.Prompts)
	}
	for i, p := range d.kept.prompts {
		*p = d.kept.promptVals[i]
		p.Code, p.Headings, p.Placeholders, p.Tags = slices.Clone(p.Code), slices.Clone(p.Headings),
			slices.Clone(p.Placeholders), slices.Clone(p.Tags)
	}
	d.ctx = ctx
	for _, pt := range d.parts {
		if pt.done != nil {
			continue // it led no link: rendering set nothing on it
		}
		nodes := pt.blocks
		if pt.heading != nil {
			nodes = []ast.Node{pt.heading}
		}
		for _, n := range nodes {
			_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
				if entering && c.Attributes() != nil {
					clearResolved(c)
				}
				return ast.WalkContinue, nil
			})
		}
	}
	return true
}

// clearResolved removes from n the attributes that rendering sets from
// the links it resolved (see mark), and keeps the others.
func clearResolved(n ast.Node) {
	attrs := n.Attributes()
	keep := attrs[:0:0]
	for _, a := range attrs {
		switch string(a.Name) {
		case string(attrHref), string(attrText), string(attrRaw):
		default:
			keep = append(keep, a)
		}
	}
	if len(keep) == len(attrs) {
		return
	}
	n.RemoveAttributes()
	for _, a := range keep {
		n.SetAttribute(a.Name, a.Value)
	}
}
