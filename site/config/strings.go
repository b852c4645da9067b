package config

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/promptsite/promptsite/site/i18n"
)

// The [strings] table of promptsite.toml sets the library's own interface
// strings, by the keys of package i18n, in place of promptsite's for the
// language:
//
//	[strings]
//	copy = "Copy to clipboard"
//	results_other = "{count} prompts found"
//
// It may also be written inline, strings = {copy = "…"}, or key by key,
// strings.copy = "…". Each string is checked where it is read: its key
// must be one of i18n.Keys, and it may hold only that string's
// placeholders.

// topStrings reads a top-level key-value of the strings key: an inline
// table, or one string as strings.<key>.
func (f *fileParser) topStrings(parts []string, kn, n *unstable.Node) {
	if len(parts) > 1 {
		f.stringValue(parts[1:], kn, n)
		return
	}
	if n.Kind != unstable.InlineTable {
		f.errorf(kn, "strings", "want a [strings] table, got %s", kindName(n.Kind))
		return
	}
	f.startStrings(kn)
	kvs := n.Children()
	for kvs.Next() {
		kv := kvs.Node()
		parts, kn := keyParts(kv)
		f.stringValue(parts, kn, kv.Value())
	}
}

// startStrings records where the strings are set, once, for the strings
// key's source.
func (f *fileParser) startStrings(kn *unstable.Node) {
	if _, ok := f.values["strings"]; !ok {
		f.values["strings"] = value{src: f.src(kn), strs: map[string]string{}, ssrc: map[string]source{}}
	}
}

// stringValue reads one interface string: key = "text".
func (f *fileParser) stringValue(parts []string, kn, n *unstable.Node) {
	f.startStrings(kn)
	key := strings.Join(parts, ".")
	switch {
	case len(parts) == 1 && i18n.IsPlural(key):
		f.errorf(kn, "strings", "%q has a form for each number: set %s_one, %s_other and, in languages that have them, %s_zero, %s_two, %s_few or %s_many",
			key, key, key, key, key, key, key)
		return
	case len(parts) == 1 && !i18n.Known(key) && pluralOf(key) != "":
		base := pluralOf(key)
		f.errorf(kn, "strings", "unknown string %q: %q is not a plural category; write %s_zero, %s_one, %s_two, %s_few, %s_many or %s_other",
			key, key[len(base)+1:], base, base, base, base, base, base)
		return
	case len(parts) > 1 || !i18n.Known(key):
		f.errorf(kn, "strings", "unknown string %q%s; the strings are %s", key, suggest(key, i18n.Keys()), stringNames())
		return
	case n.Kind != unstable.String:
		f.errorf(kn, "strings", "%s: want a string, got %s", key, kindName(n.Kind))
		return
	}
	s := string(n.Data)
	if msg := i18n.Check(key, s); msg != "" {
		f.errorf(kn, "strings", "%s: %s", key, msg)
		return
	}
	v := f.values["strings"]
	v.strs[key] = s
	v.ssrc[key] = f.src(kn)
}

// pluralOf returns the plural string whose form key would be, such as
// "results" for "results_dual", or "".
func pluralOf(key string) string {
	if i := strings.LastIndexByte(key, '_'); i > 0 && i18n.IsPlural(key[:i]) {
		return key[:i]
	}
	return ""
}

// stringNames lists the interface strings for messages, a plural one as
// its key and "_…".
func stringNames() string {
	names := i18n.Names()
	for i, n := range names {
		if i18n.IsPlural(n) {
			names[i] = n + "_…"
		}
	}
	return strings.Join(names, ", ")
}

// writeStrings writes the [strings] table of the library's own strings,
// each with where it was set.
func (c *Config) writeStrings(b *strings.Builder) error {
	fmt.Fprintf(b, "\n[strings]%s\n", "  # "+c.Source("strings"))
	tw := tabwriter.NewWriter(b, 0, 8, 2, ' ', 0)
	for _, k := range i18n.Keys() {
		if s, ok := c.Strings[k]; ok {
			fmt.Fprintf(tw, "%s = %s%s\n", k, Quote(s), comment(c.Source("strings."+k)))
		}
	}
	return tw.Flush()
}
