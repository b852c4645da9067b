package content

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/promptsite/promptsite/site/i18n"
	"github.com/promptsite/promptsite/site/model"
)

// Meta is a file's front matter: the YAML between two lines of "---" at its
// top. Keys that promptsite does not know are ignored.
type Meta struct {
	Title       string
	Description string
	Category    string
	Tags        []string
	Weight      int // "weight" or "order": lower comes first; 0 keeps the file's place
	Draft       bool
	Aliases     []string // old addresses that lead here
	Name        string   // some libraries name a prompt here instead of with a title
	Lang        string   // "lang" or "language": the file's language, a BCP 47 tag, when not the library's
	Line        int      // the line of the opening "---"
}

// maxMeta is the most front matter a file may have: more is not a list of
// keys but a mistake, such as a missing closing line.
const maxMeta = 64 << 10

// split reads data into f: it drops a byte-order mark, unwraps a file that
// is one fenced block of markdown, and splits off the front matter.
func (f *File) split(data []byte) error {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if inner, ok := unwrap(data); ok {
		data = inner
		f.Line++
	}
	if !bytes.HasPrefix(data, []byte("---\n")) && !bytes.HasPrefix(data, []byte("---\r\n")) {
		f.Data = data
		return nil
	}
	start := bytes.IndexByte(data, '\n') + 1
	end, next := -1, 0
	for off := start; off < len(data); {
		nl := bytes.IndexByte(data[off:], '\n')
		line := data[off:]
		if nl >= 0 {
			line = data[off : off+nl]
		}
		if l := strings.TrimRight(string(line), " \t\r"); l == "---" || l == "..." {
			end = off
			next = len(data)
			if nl >= 0 {
				next = off + nl + 1
			}
			break
		}
		if nl < 0 {
			break
		}
		off += nl + 1
	}
	metaLine := f.Line
	if end < 0 || end > maxMeta {
		return model.Errorf(model.Pos{File: f.Name, Line: metaLine}, "end it with a line of ---, or remove the --- at the top if the file has none",
			"front matter that is never closed")
	}
	m, err := parseMeta(data[start:end])
	if err != nil {
		line := metaLine
		msg := err.Error()
		var ye yaml.Error
		if errors.As(err, &ye) {
			if tk := ye.GetToken(); tk != nil && tk.Position != nil {
				line = metaLine + tk.Position.Line
			}
			msg = ye.GetMessage()
		}
		var te *yaml.TypeError
		if errors.As(err, &te) && te.StructFieldName != nil {
			_, field, _ := strings.Cut(*te.StructFieldName, ".")
			msg = fmt.Sprintf("%s must be %s", strings.ToLower(field), kindName(te.DstType.Kind()))
		}
		return model.Errorf(model.Pos{File: f.Name, Line: line}, "fix the YAML between the --- lines", "front matter: %s", msg)
	}
	m.Line = metaLine
	f.Meta = m
	f.Line += bytes.Count(data[:next], []byte("\n"))
	f.Data = data[next:]
	return nil
}

// unwrap returns what a file holds when it is nothing but one fenced block
// of markdown, as editors write prompt files: ````prompt … ````.
func unwrap(data []byte) ([]byte, bool) {
	first, rest, ok := bytes.Cut(data, []byte("\n"))
	if !ok {
		return nil, false
	}
	fence := strings.TrimRight(string(first), " \t\r")
	i := 0
	for i < len(fence) && (fence[i] == '`' || fence[i] == '~') && fence[i] == fence[0] {
		i++
	}
	if i < 3 {
		return nil, false
	}
	switch strings.ToLower(strings.TrimSpace(fence[i:])) {
	case "prompt", "markdown", "md":
	default:
		return nil, false
	}
	body := bytes.TrimRight(rest, " \t\r\n")
	last := bytes.LastIndexByte(body, '\n')
	closing := strings.TrimSpace(string(body[last+1:]))
	if len(closing) < i || strings.Trim(closing, fence[:1]) != "" || last < 0 {
		return nil, false
	}
	inner := body[:last+1]
	// The block must close only at the end: an inner fence as long as the
	// outer one would have closed it earlier.
	for _, l := range bytes.Split(inner, []byte("\n")) {
		t := strings.TrimSpace(string(l))
		if len(t) >= i && strings.Trim(t, fence[:1]) == "" {
			return nil, false
		}
	}
	return inner, true
}

// rawMeta is the front matter as YAML gives it.
type rawMeta struct {
	Title       string     `yaml:"title"`
	Description string     `yaml:"description"`
	Category    string     `yaml:"category"`
	Tags        stringList `yaml:"tags"`
	Weight      *int       `yaml:"weight"`
	Order       *int       `yaml:"order"`
	Draft       bool       `yaml:"draft"`
	Aliases     stringList `yaml:"aliases"`
	Name        string     `yaml:"name"`
	Lang        string     `yaml:"lang"`
	Language    string     `yaml:"language"`
}

func parseMeta(src []byte) (*Meta, error) {
	var r rawMeta
	if len(bytes.TrimSpace(src)) > 0 {
		if err := yaml.UnmarshalWithOptions(src, &r, yaml.AllowDuplicateMapKey()); err != nil {
			return nil, err
		}
	}
	m := &Meta{
		Title: strings.TrimSpace(r.Title), Description: strings.TrimSpace(r.Description),
		Category: strings.TrimSpace(r.Category), Tags: r.Tags, Draft: r.Draft,
		Aliases: r.Aliases, Name: strings.TrimSpace(r.Name),
		Lang: strings.TrimSpace(cmp.Or(r.Lang, r.Language)),
	}
	if m.Lang != "" && !i18n.IsTag(m.Lang) {
		return nil, fmt.Errorf("lang: %q is not a language tag such as \"en\", \"de\" or \"zh-CN\"", m.Lang)
	}
	switch {
	case r.Weight != nil:
		m.Weight = *r.Weight
	case r.Order != nil:
		m.Weight = *r.Order
	}
	return m, nil
}

// stringList is a list of strings that may be written as a list, or as one
// string of comma-separated items: "tags: review, python".
type stringList []string

func (l *stringList) UnmarshalYAML(unmarshal func(any) error) error {
	var v any
	if err := unmarshal(&v); err != nil {
		return err
	}
	var items []string
	switch v := v.(type) {
	case nil:
	case string:
		items = strings.Split(v, ",")
	case []any:
		for _, x := range v {
			switch x := x.(type) {
			case string, int, uint64, int64, float64, bool:
				items = append(items, fmt.Sprint(x))
			default:
				return fmt.Errorf("a list item is not a plain value: %v", x)
			}
		}
	default:
		return fmt.Errorf("want a list of strings, or a string")
	}
	*l = (*l)[:0]
	for _, s := range items {
		if s = strings.TrimSpace(s); s != "" && !containsFold(*l, s) {
			*l = append(*l, s)
		}
	}
	return nil
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func kindName(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "text"
	case reflect.Int, reflect.Int64, reflect.Ptr:
		return "a whole number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "a list"
	}
	return k.String()
}
