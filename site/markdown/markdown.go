// Package markdown reads the markdown files of a prompt library into the
// site model, finding in each file the shape its authors gave it: a library
// of categories and prompts, one prompt, or a page of text.
//
// It is the only package that uses goldmark. Reading a file is done in two
// steps: Parse finds its structure and its headings' ids; Render, once
// every file's addresses are known, renders it with its links rewritten.
package markdown

import (
	"bufio"
	"context"
	"html/template"
	"io"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"

	"github.com/promptsite/promptsite/site/anchor"
	"github.com/promptsite/promptsite/site/content"
	"github.com/promptsite/promptsite/site/highlight"
	"github.com/promptsite/promptsite/site/model"
)

// Kind is what a file was read as.
type Kind int

const (
	// Library is a file of categories and prompts, such as
	// "# Title", "## Category", "### Prompt".
	Library Kind = iota
	// Prompt is a file, or a folder's only file, that is one prompt.
	Prompt
	// Page is a file of text with no prompt in it, such as a guide: a page
	// of its own.
	Page
)

// Document is what one markdown file holds.
type Document struct {
	File string // as messages name it
	Path string // the file's path from the project's root; may be empty
	Rel  string // the file's path from its content root
	Root fs.FS  // the content root, for the files it links to
	Kind Kind
	// Shape says in words what the file was read as, for inspect.
	Shape string
	// Notes are the parts of the file left out, and the like.
	Notes []model.Note
	// Warnings are mistakes in the file that do not stop the build.
	Warnings []*model.Error

	// For a Library: its title (the lone heading above its categories)
	// and introduction, when it has them; and its categories.
	Title     string
	Intro     template.HTML
	IntroText string
	// Markdown is the title and introduction as written, up to the first
	// category.
	Markdown   string
	Categories []*model.Category

	// For a Prompt: the prompt, and the names its category may come from.
	Prompt *model.Prompt
	Meta   *content.Meta
	// Folder is the folder the prompt's file is in, from the content root;
	// for a folder that is one prompt, the folder that holds that folder.
	Folder string

	// For a Page: the page, a category with no prompts.
	Page *model.Category

	// IDs maps each heading's id to what it stands in, so that a link to
	// it can be led to the page that shows it.
	IDs map[string]Owner

	ctx context.Context // the parse's, to stop reading a long file
	src []byte
	// text is src as a string. What the model keeps of the file, the
	// sources of its categories, prompts and code, is cut from it rather
	// than copied, so that a library is held once and not four times.
	text string
	ids  *anchor.Set // the ids of the file's headings
	// later is what read leaves to do once the document is read, each
	// independent of the others: the text of each prompt of a library.
	later  []func()
	budget int // the bytes the part being rendered may still take
	// resolves counts the links and images rendering has led, to tell
	// the parts that hold none (see part.done).
	resolves int
	lines    lineIndex
	line0    int // the file's line on which src starts, minus one
	parts    []part
	kept     *parsed // what Keep recorded; nil until it is called
}

// Owner is what a heading stands in: a prompt, a category, or, when both
// are nil, the library's introduction on the home page.
type Owner struct {
	Category *model.Category
	Prompt   *model.Prompt
}

// Parser turns markdown files into documents. It is safe for concurrent use.
type Parser struct {
	md goldmark.Markdown
}

// New returns a Parser that highlights code with h.
func New(h highlight.Highlighter) *Parser {
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithParserOptions(parser.WithAttribute()),
		goldmark.WithRendererOptions(
			// Raw HTML is rendered only to be sanitised, or shown as text
			// in a prompt (see nodes.go and Render); it never reaches a
			// page as it is.
			gmhtml.WithUnsafe(),
			renderer.WithNodeRenderers(
				util.Prioritized(&codeRenderer{h: h}, 100),
				util.Prioritized(&nodeRenderer{}, 100),
			)),
	)
	return &Parser{md: md}
}

// Parse reads one file and finds its shape and its headings' ids. Its
// HTML is left to Render.
func (p *Parser) Parse(f *content.File) (*Document, error) {
	return p.ParseContext(context.Background(), f)
}

// ParseContext is Parse that stops, with ctx's error, soon after ctx is
// done: a file can hold thousands of prompts.
func (p *Parser) ParseContext(ctx context.Context, f *content.File) (*Document, error) {
	src := normalize(f.Data)
	if err := checkUTF8(f.Name, src, max(f.Line-1, 0)); err != nil {
		return nil, err
	}
	if err := checkLimits(f.Name, src, max(f.Line-1, 0)); err != nil {
		return nil, err
	}
	fenceErr := checkFences(f.Name, src, max(f.Line-1, 0))
	if fenceErr != nil && !onePrompt(f) {
		return nil, fenceErr
	}
	d := &Document{File: f.Name, Path: f.Path, Rel: f.Rel, Root: f.Root, Meta: f.Meta, src: src, text: string(src), line0: max(f.Line-1, 0), IDs: map[string]Owner{}, ctx: ctx}
	d.lines = newLineIndex(src)
	root := p.parse(src)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ids, err := assignIDs(root, src, d.pos)
	if err != nil {
		return nil, err
	}
	d.ids = ids
	if err := d.read(root, f); err != nil {
		return nil, err
	}
	d.fillLater()
	if fenceErr != nil {
		// In a file that is one prompt, the rest of the file is shown as
		// code, as GitHub shows it, and nothing of the structure is lost.
		d.Warnings = append(d.Warnings, fenceErr)
	}
	return d, nil
}

// fillLater does what read left to do, on every core for a large library.
func (d *Document) fillLater() {
	work := d.later
	d.later = nil
	if len(work) < 256 {
		for _, f := range work {
			f()
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(work); i = int(next.Add(1) - 1) {
				work[i]()
			}
		})
	}
	wg.Wait()
}

// onePrompt reports whether f is one prompt whatever its headings say.
func onePrompt(f *content.File) bool {
	base := strings.ToLower(path.Base(f.Rel))
	return f.Meta != nil || strings.HasSuffix(base, ".prompt.md") || f.Alone && slices.Contains(folderFiles, base)
}

// pos returns the place in the file where n starts.
func (d *Document) pos(n ast.Node) model.Pos {
	l := d.lines.line(n, d.src)
	if l > 0 {
		l += d.line0
	}
	return model.Pos{File: d.File, Line: l, Path: d.Path}
}

// bufWriters keeps the buffered writers that goldmark renders into. Given
// a plain writer, goldmark makes a buffered one of 4 KiB for every node it
// renders, which for a library of thousands of prompts is most of what
// parsing allocates. Render flushes the writer when it is done.
var bufWriters = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 4<<10) }}

func newBufWriter(w io.Writer) *bufio.Writer {
	bw := bufWriters.Get().(*bufio.Writer)
	bw.Reset(w)
	return bw
}

func putBufWriter(bw *bufio.Writer) {
	bw.Reset(nil) // let go of what it wrote to
	bufWriters.Put(bw)
}
