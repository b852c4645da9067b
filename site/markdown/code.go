package markdown

import (
	"html"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"

	"github.com/promptsite/promptsite/site/highlight"
	"github.com/promptsite/promptsite/site/placeholder"
)

// codeRenderer writes code blocks highlighted by chroma, each with a copy
// button. The button is markup only, hidden until the page's script
// (assets/copy.js) makes it work, so that nothing is offered that cannot
// be done with JavaScript off.
type codeRenderer struct {
	h highlight.Highlighter
}

func (r *codeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, r.renderCode)
	reg.Register(ast.KindCodeBlock, r.renderCode)
}

func (r *codeRenderer) renderCode(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	lang := codeLang(n, src)
	_, _ = w.WriteString(`<div class="code">`)
	// tabindex lets keyboard users scroll a block wider than the page.
	_, _ = w.WriteString(`<pre class="chroma" tabindex="0"><code`)
	if highlight.Known(lang) {
		_, _ = w.WriteString(` class="language-`)
		_, _ = w.WriteString(html.EscapeString(lang))
		_, _ = w.WriteString(`"`)
	}
	_, _ = w.WriteString(`>`)
	code := codeSource(n, src)
	if highlight.Known(lang) {
		if err := r.h.Code(w, code, lang); err != nil {
			return ast.WalkStop, err
		}
	} else {
		writeMarked(w, code)
	}
	_, _ = w.WriteString("</code></pre>")
	_, _ = w.WriteString(`<button type="button" class="copy" hidden>Copy</button></div>` + "\n")
	return ast.WalkSkipChildren, nil
}

// writeMarked writes plain code as escaped text with each blank to fill in,
// such as [paste your code here], in a <mark class="ph"> ("ph ml" when it
// asks for several lines). The marks add no text: the block's text is still
// the code, to the byte, so that Copy copies the prompt as written.
func writeMarked(w util.BufWriter, code string) {
	at := 0
	for _, s := range placeholder.Find(code) {
		_, _ = w.WriteString(html.EscapeString(code[at:s.Start]))
		class := "ph"
		if placeholder.Multiline(s.Name) {
			class = "ph ml"
		}
		_, _ = w.WriteString(`<mark class="` + class + `">`)
		_, _ = w.WriteString(html.EscapeString(code[s.Start:s.End]))
		_, _ = w.WriteString("</mark>")
		at = s.End
	}
	_, _ = w.WriteString(html.EscapeString(code[at:]))
}
