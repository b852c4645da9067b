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
		n := 0
		for _, f := range res.Tree.Names() {
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
