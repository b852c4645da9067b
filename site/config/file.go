package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// parse reads the config file named name (as messages name it), in the
// folder dir, and returns the values it sets. The values are not checked
// yet, but the errors say which keys are unknown and which values have the
// wrong type, with the line of each.
func parse(name, dir string, data []byte) (map[string]value, []error) {
	// go-toml's decoder checks the document against the TOML
	// specification (syntax, keys set twice, tables redefined), which the
	// walk below can then take for granted.
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		if de, ok := errors.AsType[*toml.DecodeError](err); ok {
			line, _ := de.Position()
			return nil, []error{&Error{Source: name + ":" + strconv.Itoa(line), Err: errors.New(strings.TrimPrefix(de.Error(), "toml: ")), inFile: true, line: line}}
		}
		return nil, []error{fmt.Errorf("%s: %w", name, err)}
	}

	f := &fileParser{name: name, dir: dir, values: map[string]value{}}
	f.p.Reset(data)
	for f.p.NextExpression() {
		e := f.p.Expression()
		switch e.Kind {
		case unstable.KeyValue:
			f.keyValue(e)
		case unstable.Table, unstable.ArrayTable:
			f.table(e)
		}
	}
	if err := f.p.Error(); err != nil {
		// The decoder would have said so already.
		f.errs = append(f.errs, fmt.Errorf("%s: %w", name, err))
	}
	if f.footer != nil {
		f.endFooter()
	}
	return f.values, f.errs
}

// A fileParser walks the expressions of a config file.
type fileParser struct {
	name   string
	dir    string
	p      unstable.Parser
	values map[string]value
	errs   []error

	in     string       // the table the key-values that follow are in: "" for the top, "footer", "strings", or "-" for one already reported
	footer *footerEntry // the [[footer]] being read
}

// A footerEntry is a link being read, from a [[footer]] table or an inline
// table.
type footerEntry struct {
	link    Link
	hasText bool
	hasURL  bool
	bad     bool // it has an unknown key or a value of the wrong type, reported already
	src     source
}

// src returns the source of something on the line of node.
func (f *fileParser) src(n *unstable.Node) source {
	line := f.line(n)
	return source{name: f.name + ":" + strconv.Itoa(line), kind: fromFile, dir: f.dir, line: line}
}

func (f *fileParser) line(n *unstable.Node) int {
	return f.p.Shape(n.Raw).Start.Line
}

func (f *fileParser) errorf(n *unstable.Node, key, format string, args ...any) {
	f.errs = append(f.errs, f.src(n).errorf(key, format, args...))
}

// keyParts returns the parts of a dotted key, and the node of the first.
func keyParts(n *unstable.Node) ([]string, *unstable.Node) {
	var parts []string
	var first *unstable.Node
	it := n.Key()
	for it.Next() {
		if first == nil {
			first = it.Node()
		}
		parts = append(parts, string(it.Node().Data))
	}
	return parts, first
}

func (f *fileParser) table(e *unstable.Node) {
	if f.footer != nil {
		f.endFooter()
	}
	parts, kn := keyParts(e)
	f.in = "-"
	k, known := keyByName[parts[0]]
	switch {
	case !known:
		f.unknown(kn, parts[0])
	case k.kind == stringsKey && len(parts) == 1 && e.Kind == unstable.Table:
		f.in = "strings"
		f.startStrings(kn)
	case k.kind == stringsKey:
		f.errorf(kn, k.name, "write one [strings] table, with a key for each string")
	case k.kind != footerKey:
		f.errorf(kn, k.name, "want %s, got a table", k.kind.want())
	case len(parts) > 1:
		f.unknownFooter(kn, parts[1:])
	case e.Kind == unstable.Table:
		f.errorf(kn, k.name, "write [[footer]] for each link, not [footer]")
	default:
		f.in = "footer"
		f.footer = &footerEntry{src: f.src(kn)}
	}
}

func (f *fileParser) keyValue(e *unstable.Node) {
	parts, kn := keyParts(e)
	switch f.in {
	case "-":
		return
	case "footer":
		f.footerKey(f.footer, parts, kn, e.Value())
		return
	case "strings":
		f.stringValue(parts, kn, e.Value())
		return
	}
	k, ok := keyByName[parts[0]]
	if !ok {
		f.unknown(kn, parts[0])
		return
	}
	if k.kind == stringsKey {
		f.topStrings(parts, kn, e.Value())
		return
	}
	if len(parts) > 1 {
		f.errorf(kn, k.name, "want %s, got a table", k.kind.want())
		return
	}
	v, n := value{src: f.src(kn)}, e.Value()
	switch {
	case k.kind == footerKey:
		if n.Kind != unstable.Array {
			f.errorf(kn, k.name, "want [[footer]] tables, got %s", kindName(n.Kind))
			return
		}
		v.links = []Link{}
		it := n.Children()
		for it.Next() {
			t := it.Node()
			if t.Kind != unstable.InlineTable {
				f.errorf(kn, k.name, "want a list of tables such as {text = \"Source\", url = \"https://…\"}, got %s in the list", kindName(t.Kind))
				return
			}
			entry := &footerEntry{src: f.src(t)}
			kvs := t.Children()
			for kvs.Next() {
				kv := kvs.Node()
				parts, kn := keyParts(kv)
				f.footerKey(entry, parts, kn, kv.Value())
			}
			if link, src, ok := f.finish(entry); ok {
				v.links = append(v.links, link)
				v.lsrc = append(v.lsrc, src)
			}
		}
	case k.kind == chatKey && n.Kind == unstable.String:
		v.list = []string{string(n.Data)}
	case k.kind.isList():
		if n.Kind != unstable.Array {
			f.errorf(kn, k.name, "want %s, got %s", k.kind.want(), kindName(n.Kind))
			return
		}
		v.list = []string{}
		it := n.Children()
		for it.Next() {
			el := it.Node()
			if el.Kind != unstable.String {
				f.errorf(kn, k.name, "want %s, got %s in the list", k.kind.want(), kindName(el.Kind))
				return
			}
			v.list = append(v.list, string(el.Data))
		}
	default:
		if n.Kind != unstable.String {
			f.errorf(kn, k.name, "want %s, got %s", k.kind.want(), kindName(n.Kind))
			return
		}
		v.str = string(n.Data)
	}
	f.values[k.name] = v
}

// footerKey reads a key-value of a footer link.
func (f *fileParser) footerKey(entry *footerEntry, parts []string, kn, n *unstable.Node) {
	name := strings.Join(parts, ".")
	if len(parts) > 1 || (name != "text" && name != "url") {
		f.unknownFooter(kn, parts)
		entry.bad = true
		return
	}
	if n.Kind != unstable.String {
		f.errorf(kn, "footer", "%s: want a string, got %s", name, kindName(n.Kind))
		entry.bad = true
		return
	}
	if name == "text" {
		entry.link.Text, entry.hasText = string(n.Data), true
	} else {
		entry.link.URL, entry.hasURL = string(n.Data), true
	}
}

// endFooter adds the [[footer]] link read so far to the values.
func (f *fileParser) endFooter() {
	link, src, ok := f.finish(f.footer)
	f.footer = nil
	if !ok {
		return
	}
	v, seen := f.values["footer"]
	if !seen {
		v = value{src: src, links: []Link{}}
	}
	v.links = append(v.links, link)
	v.lsrc = append(v.lsrc, src)
	f.values["footer"] = v
}

// finish checks that a footer link has both its keys.
func (f *fileParser) finish(e *footerEntry) (Link, source, bool) {
	if e.bad {
		return Link{}, source{}, false
	}
	var missing []string
	if !e.hasText {
		missing = append(missing, "text")
	}
	if !e.hasURL {
		missing = append(missing, "url")
	}
	if len(missing) > 0 {
		verb := " is"
		if len(missing) > 1 {
			verb = " are"
		}
		f.errs = append(f.errs, e.src.errorf("footer", "a link needs text and url; %s missing", strings.Join(missing, " and ")+verb))
		return Link{}, source{}, false
	}
	return e.link, e.src, true
}

// unknown reports an unknown top-level key, suggesting the closest one.
func (f *fileParser) unknown(kn *unstable.Node, name string) {
	f.errs = append(f.errs, f.src(kn).errorf("", "unknown key %q%s; the keys are %s", name, suggest(name, keyNames()), strings.Join(keyNames(), ", ")))
}

// unknownFooter reports an unknown key in a footer link.
func (f *fileParser) unknownFooter(kn *unstable.Node, parts []string) {
	hint := ""
	if c := closest(strings.Join(parts, ""), []string{"text", "url"}); c != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", "footer."+c)
	}
	f.errs = append(f.errs, f.src(kn).errorf("", "unknown key %q%s; a footer link has text and url", "footer."+strings.Join(parts, "."), hint))
}

// want describes the values a kind of key takes.
func (k keyKind) want() string {
	switch k {
	case listKey, pathListKey:
		return "a list of strings"
	case chatKey:
		return `a list such as ["chatgpt", "claude"], or "none"`
	case footerKey:
		return "[[footer]] tables"
	case stringsKey:
		return "a [strings] table"
	}
	return "a string"
}

// kindName describes the type of a TOML value.
func kindName(k unstable.Kind) string {
	switch k {
	case unstable.String:
		return "a string"
	case unstable.Bool:
		return "a boolean"
	case unstable.Integer:
		return "an integer"
	case unstable.Float:
		return "a number"
	case unstable.Array:
		return "a list"
	case unstable.InlineTable, unstable.Table:
		return "a table"
	case unstable.LocalDate, unstable.LocalTime, unstable.LocalDateTime, unstable.DateTime:
		return "a date or time"
	}
	return strings.ToLower(k.String())
}
