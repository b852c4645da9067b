package markdown

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/yuin/goldmark/util"

	"github.com/promptsite/promptsite/site/model"
)

// checkUTF8 reports the first byte of src that is not UTF-8. src starts on
// the file's line line0+1.
func checkUTF8(name string, src []byte, line0 int) error {
	if utf8.Valid(src) {
		return nil
	}
	line, col := line0+1, 1
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			return model.Errorf(model.Pos{File: name, Line: line}, "save the file as UTF-8",
				"byte 0x%02x at column %d is not UTF-8", src[i], col)
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	return nil
}

// checkFences finds a fenced code block that is never closed: markdown
// lets it run to the end of the file, where it would swallow every heading
// after it. It follows CommonMark's fence rules for fences indented by up
// to three spaces, and goldmark's blanks (spaces and tabs) after a closing
// fence. src starts on the file's line line0+1.
func checkFences(name string, src []byte, line0 int) *model.Error {
	var open []byte // the fence of the block that is open, or nil
	openLine := 0
	n := -1
	for line := range bytes.Lines(src) {
		n++
		fence, rest := fenceOf(bytes.TrimSuffix(line, []byte("\n")))
		switch {
		case open == nil && fence != nil:
			if fence[0] == '`' && bytes.IndexByte(rest, '`') >= 0 {
				continue // not a fence: an info string may not hold a backtick
			}
			open, openLine = fence, line0+n+1
		case open != nil && fence != nil && fence[0] == open[0] && len(fence) >= len(open) && util.IsBlank(rest):
			open = nil
		}
	}
	if open != nil {
		return model.Errorf(model.Pos{File: name, Line: openLine}, "close it with a line of "+string(open)+" after the code",
			"this code block is never closed, so everything after it would be code")
	}
	return nil
}

// fenceOf returns the run of three or more ` or ~ that starts line after
// at most three spaces, and what follows it.
func fenceOf(line []byte) (fence, rest []byte) {
	t := bytes.TrimLeft(line, " ")
	if len(line)-len(t) > 3 || len(t) < 3 || (t[0] != '`' && t[0] != '~') {
		return nil, nil
	}
	i := 0
	for i < len(t) && t[i] == t[0] {
		i++
	}
	if i < 3 {
		return nil, nil
	}
	return t[:i], t[i:]
}

// Limits that keep the work a file makes, and the memory it takes,
// proportional to its size: markdown has constructs whose cost grows with
// the square of their size, or that a few bytes make large. No library a
// person writes comes near them.
const (
	maxQuoteDepth = 32       // blockquotes within blockquotes
	maxColumns    = 200      // columns of a table
	maxCells      = 200_000  // cells of a table: rows times columns
	maxBrackets   = 20_000   // '[' in a run of lines with no blank line
	maxRendered   = 16 << 20 // bytes of HTML a part of a page may render to, besides…
	maxGrowth     = 16       // … this many times the bytes of its markdown
)

// checkLimits finds the first place in src that passes one of the limits.
// src starts on the file's line line0+1.
func checkLimits(name string, src []byte, line0 int) *model.Error {
	at := func(n int) model.Pos { return model.Pos{File: name, Line: line0 + n + 1} }
	cols, rows, tableLine := 0, 0, 0
	brackets, runLine := 0, 0
	for n := 0; len(src) > 0; n++ {
		line := src
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			line, src = src[:i], src[i+1:]
		} else {
			src = nil
		}
		blank := len(bytes.TrimSpace(line)) == 0
		// Blockquote markers at the start of the line, spaces between.
		depth := 0
		for _, c := range line {
			if c == '>' {
				depth++
			} else if c != ' ' && c != '\t' {
				break
			}
		}
		if depth > maxQuoteDepth {
			return model.Errorf(at(n), fmt.Sprintf("nest them at most %d deep", maxQuoteDepth),
				"%d blockquotes within each other", depth)
		}
		if blank {
			brackets, runLine = 0, n+1 // the paragraph starts after
		}
		if brackets += bytes.Count(line, []byte("[")); brackets > maxBrackets {
			return model.Errorf(at(runLine), fmt.Sprintf("split the text: a paragraph may hold at most %d", maxBrackets),
				"more than %d '[' in one paragraph", maxBrackets)
		}
		switch c := delimiterColumns(line); {
		case c > maxColumns:
			return model.Errorf(at(max(n-1, 0)), fmt.Sprintf("a table may have at most %d", maxColumns), "a table of %d columns", c)
		case c > 0:
			cols, rows, tableLine = c, 0, n
		case blank:
			cols = 0
		case cols > 0:
			if rows++; rows*cols > maxCells {
				return model.Errorf(at(tableLine-1), fmt.Sprintf("a table may have at most %d cells; split it", maxCells),
					"a table of %d columns and more than %d rows", cols, maxCells/cols)
			}
		}
	}
	return nil
}

// delimiterColumns returns the number of columns of a table's delimiter
// row, such as "|---|:--:|", or 0 when line is not one.
func delimiterColumns(line []byte) int {
	s := bytes.TrimSpace(line)
	if len(s) == 0 || !bytes.ContainsAny(s, "-") || bytes.Trim(s, "|:- \t") != nil && len(bytes.Trim(s, "|:- \t")) > 0 {
		return 0
	}
	s = bytes.TrimPrefix(bytes.TrimSuffix(s, []byte("|")), []byte("|"))
	n := 0
	for _, cell := range bytes.Split(s, []byte("|")) {
		if !bytes.Contains(cell, []byte("-")) {
			return 0
		}
		n++
	}
	if n < 2 && !bytes.HasPrefix(bytes.TrimSpace(line), []byte("|")) {
		return 0 // "---" alone is a rule, or a setext heading's line
	}
	return n
}
