package markdown

import (
	"bytes"
	"unicode/utf8"

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
// to three spaces. src starts on the file's line line0+1.
func checkFences(name string, src []byte, line0 int) *model.Error {
	var open []byte // the fence of the block that is open, or nil
	openLine := 0
	for n, line := range bytes.Split(src, []byte("\n")) {
		fence, rest := fenceOf(line)
		switch {
		case open == nil && fence != nil:
			if fence[0] == '`' && bytes.IndexByte(rest, '`') >= 0 {
				continue // not a fence: an info string may not hold a backtick
			}
			open, openLine = fence, line0+n+1
		case open != nil && fence != nil && fence[0] == open[0] && len(fence) >= len(open) && len(bytes.TrimSpace(rest)) == 0:
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
