package scaffold

import (
	"testing"

	"github.com/BurntSushi/toml"
)

// TestTOMLQuoting checks that keys and values written by the templates'
// quoting functions read back as they were.
func TestTOMLQuoting(t *testing.T) {
	for _, tt := range []struct{ key, value string }{
		{"Content-Security-Policy", "default-src 'self'"},
		{"X_Custom", `a "quoted" \ value`},
		{"Odd Key.with dots", "line one\nline two\ttab \x7f é"},
	} {
		doc := tomlKey(tt.key) + " = " + tomlString(tt.value) + "\n"
		var got map[string]string
		if _, err := toml.Decode(doc, &got); err != nil {
			t.Errorf("%q: %v", doc, err)
			continue
		}
		if len(got) != 1 || got[tt.key] != tt.value {
			t.Errorf("%q reads back as %q; want %q = %q", doc, got, tt.key, tt.value)
		}
	}
}
