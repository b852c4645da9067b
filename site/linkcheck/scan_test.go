package linkcheck_test

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/promptsite/promptsite"
	"github.com/promptsite/promptsite/site"
	"github.com/promptsite/promptsite/site/content"
	"github.com/promptsite/promptsite/site/internal/libgen"
	"github.com/promptsite/promptsite/site/linkcheck"
)

// TestScanBuiltSites checks that the fast reading of pages finds the same
// ids and links as the HTML tokenizer in every page of built sites: the
// built-in library and a generated one.
func TestScanBuiltSites(t *testing.T) {
	md, err := fs.ReadFile(promptsite.Content(), "python-async-prompts.md")
	if err != nil {
		t.Fatal(err)
	}
	seed := []content.File{{Name: "python-async-prompts.md", Data: md}}
	libs := map[string][]content.File{
		"seed":      seed,
		"generated": {{Name: "gen.md", Data: libgen.Library(200, 1)}},
	}
	for name, files := range libs {
		res, err := site.Build(site.Config{Files: files, Templates: promptsite.Templates(), Assets: promptsite.Assets(),
			BaseURL: "https://x.example", NoCheck: true})
		if err != nil {
			t.Fatal(err)
		}
		n, maps := 0, 0
		for _, f := range res.Tree.Names() {
			if strings.HasPrefix(f, "assets/ids.") {
				data, _ := res.Tree.Get(f)
				plain, err := linkcheck.SameIDMap(data)
				if err != nil || !plain {
					t.Errorf("%s: %s: read plainly %v: %v", name, f, plain, err)
				}
				maps++
			}
			if !strings.HasSuffix(f, ".html") {
				continue
			}
			data, _ := res.Tree.Get(f)
			if err := linkcheck.SameScan(data); err != nil {
				t.Errorf("%s: %s: %v", name, f, err)
			}
			n++
		}
		if n < 10 {
			t.Errorf("%s: only %d pages", name, n)
		}
		if name == "generated" && maps == 0 {
			t.Errorf("%s: no map of ids", name)
		}
	}
}

// TestScanOdd checks the fast reading on HTML that html/template does not
// write, where it must agree with the tokenizer or hand over to it.
func TestScanOdd(t *testing.T) {
	for _, doc := range []string{
		`<!doctype html><html><head><title>a <a href="/no"> b</title><script>if (a<b) x = "<a href='/no'>"</script></head>`,
		`<script><!-- <script> </script> <a href="/x"> --></script><a href="/y">`,
		`<p id=one class=x><a href=/u/ id='two'>x</a><img src = "/i.png" / ><br/>`,
		`<!-- <a href="/c"> --><a href="/d"><!----><!--->--><a href="/e">`,
		`<A HREF="/upper" ID="Up">x</A><a href="/&amp;x">`,
		`<a href="/a" href="/b"><textarea><a href="/t"></textarea><style>a{}</style ><a href="/s">`,
		`a < b <a href="/after"> <3 </ p> <a href="/bogus">`,
		`<a href="/unterminated`,
		`<svg><style>x</style><a href="/svg"/></svg><xmp><a href="/x"></xmp>`,
		"<a\nhref=\"/nl\"\tid=\"t\">\r\n<a href=\"/cr\r\">",
		`<plaintext><a href="/p">`,
		`<iframe src="/f"></iframe><noscript><a href="/ns"></noscript>`,
	} {
		if err := linkcheck.SameScan([]byte(doc)); err != nil {
			t.Errorf("%q: %v", doc, err)
		}
	}
}

// FuzzIDMap checks that the plain reading of a map of ids, whenever it
// reads one, reads what encoding/json does.
func FuzzIDMap(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":"/x/#a","b":"/y/#b"}`, "{\"a\":\"/\u00e9\"}\n", `{"b":"1","a":"2"}`,
		`{"a":"1","a":"2"}`, `{"a":"\xff"}`, `{"a":1}`, `{ "a":"1"}`, `{"a":"1",}`, `{"a":"1"}x`, "{\"a\":\"\x00\"}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := linkcheck.SameIDMap(data); err != nil {
			t.Errorf("%q: %v", data, err)
		}
	})
}
