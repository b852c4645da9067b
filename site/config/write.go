package config

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
)

// Write writes the effective configuration in the form of promptsite.toml,
// each key with a comment saying where its value came from. Paths are
// relative to the project root when they are in it, as in the file.
func (c *Config) Write(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# The configuration in effect, each key with where its value came from.\n")
	if c.File != "" {
		fmt.Fprintf(&b, "# config file:  %s\n", c.File)
	} else {
		fmt.Fprintf(&b, "# config file:  none; %s is looked for in the working folder and those above it\n", FileName)
	}
	fmt.Fprintf(&b, "# project root: %s\n", c.Dir)
	fmt.Fprintf(&b, "# base path:    %s\n", c.BasePath())
	if c.Preview {
		b.WriteString("# preview:      a Netlify deploy preview or branch deploy, so pages are not indexed\n")
	}
	b.WriteString("\n")

	tw := tabwriter.NewWriter(&b, 0, 8, 2, ' ', 0)
	for _, k := range keys {
		if k.kind == footerKey || k.kind == stringsKey {
			continue
		}
		var v string
		switch k.name {
		case "content":
			v = c.quoteList(c.Content, true)
		case "exclude":
			v = c.quoteList(c.Exclude, false)
		case "chat":
			v = c.quoteList(c.Chat, false)
		default:
			v = c.get(k)
			if k.kind == pathKey {
				v = c.rel(v)
			}
			v = Quote(v)
		}
		src := c.Source(k.name)
		if k.name == "language" && c.Language == "" {
			src += ": the language most of the content is written in"
		}
		fmt.Fprintf(tw, "%s = %s%s\n", k.name, v, comment(src))
	}
	if len(c.Footer) == 0 {
		// Written with the keys, since there are no tables to come.
		fmt.Fprintf(tw, "footer = []%s\n", comment(c.Source("footer")))
	}
	if len(c.Strings) == 0 {
		fmt.Fprintf(tw, "strings = {}%s\n", comment(c.Source("strings")))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(c.Strings) > 0 {
		if err := c.writeStrings(&b); err != nil {
			return err
		}
	}
	for i, l := range c.Footer {
		b.WriteString("\n[[footer]]")
		if i < len(c.linkSrc) {
			b.WriteString("  # " + c.linkSrc[i])
		}
		fmt.Fprintf(&b, "\ntext = %s\nurl = %s\n", Quote(l.Text), Quote(l.URL))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// comment returns a tab and "# src", or "" when src is "".
func comment(src string) string {
	if src == "" {
		return ""
	}
	return "\t# " + src
}

// get returns the value of a key that takes a string.
func (c *Config) get(k key) string {
	switch k.name {
	case "title":
		return c.Title
	case "description":
		return c.Description
	case "base_url":
		return c.BaseURL
	case "output":
		return c.Output
	case "language":
		return c.Language
	case "repository":
		return c.Repository
	case "branch":
		return c.Branch
	case "edit_url":
		return c.EditURL
	case "logo":
		return c.Logo
	case "favicon":
		return c.Favicon
	case "static":
		return c.Static
	case "theme":
		return c.Theme
	case "last_updated":
		return c.LastUpdated
	}
	panic("config: no string field for key " + k.name)
}

// rel returns p relative to the project root, slash-separated, when it is
// in it; otherwise p.
func (c *Config) rel(p string) string {
	if p == "" {
		return ""
	}
	r, err := filepath.Rel(c.Dir, p)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return p
	}
	return filepath.ToSlash(r)
}

func (c *Config) quoteList(list []string, paths bool) string {
	q := make([]string, len(list))
	for i, s := range list {
		if paths {
			s = c.rel(s)
		}
		q[i] = Quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// Quote returns s as a TOML basic string, as promptsite.toml writes one.
// Invalid UTF-8 becomes U+FFFD.
func Quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
