package sanitize

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzHTML feeds any text to HTML: what comes out must hold nothing that
// could run script or swallow the page after it, and must come out of HTML
// again unchanged. This holds HTML's shortcut, handing back its input when
// only spellings differ, to the same bar as bluemonday's own output.
func FuzzHTML(f *testing.F) {
	for _, s := range xss {
		f.Add(s)
	}
	f.Add(`<p>it's &quot;x&quot; <button type="button" class="copy" hidden>Copy</button><br /><details open></details></p>`)
	f.Add(`<div class="code"><pre class="chroma" tabindex="0"><code class="language-go"><span class="kn">x</span></code></pre></div>`)
	f.Add(`<table><tr><td style="text-align:left">a</td></tr></table><ul><li><input checked="" disabled="" type="checkbox"> x</li></ul>`)
	f.Fuzz(func(t *testing.T, in string) {
		out := HTML([]byte(in))
		if problems := unsafe(out); len(problems) > 0 {
			t.Fatalf("HTML(%q)\n = %q\n%s", in, out, strings.Join(problems, "\n"))
		}
		if again := HTML(out); !bytes.Equal(again, out) {
			t.Fatalf("HTML(HTML(%q))\n = %q\nwant it as HTML gave it: %q", in, again, out)
		}
	})
}
