package sanitize

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"golang.org/x/net/html"
)

// TestKept: what authors and promptsite write comes out as it went in, to
// the byte.
func TestKept(t *testing.T) {
	tests := []struct{ name, in string }{
		{"details", `<details><summary>More</summary><p>Hidden until opened.</p></details>`},
		{"details open", `<details open><summary>More</summary>text</details>`},
		{"html table", `<table><thead><tr><th colspan="2" align="center">Head</th></tr></thead>` +
			`<tbody><tr><td rowspan="2" valign="top">a</td><td align="right" width="50%">b</td></tr></tbody></table>`},
		{"image", `<img src="logo.png" alt="Logo: it's ours" width="120" height="40%" title="The logo">`},
		{"image centred", `<p align="center"><img src="https://example.com/logo.svg" alt="logo" align="middle"></p>`},
		{"badges", `<a href="https://github.com/o/r/actions"><img src="https://github.com/o/r/badge.svg" alt="CI"></a>`},
		{"picture", `<picture><source media="(prefers-color-scheme: dark)" srcset="logo-dark.png 1x, /img/logo-dark@2x.png 2x">` +
			`<source srcset="https://cdn.example.com/logo.webp" type="image/webp"><img src="logo.png" alt="Logo"></picture>`},
		{"phrasing", `<p>Press <kbd>Ctrl</kbd>+<kbd>C</kbd>, x<sup>2</sup>, H<sub>2</sub>O, <abbr title="HyperText Markup Language">HTML</abbr>,` +
			` <ins>new</ins> <del>old</del> <s>gone</s> <mark>marked</mark> <q cite="https://example.com/">quoted</q>.<br>next<br/>line</p>`},
		{"self-closing with a space", `<p>a<br />b<img src="a.png" alt="" /></p>`},
		{"headings", `<h1 align="center">Title</h1><h2 id="retry-with-backoff">Retry</h2><h3 id="日本語の見出し">見出し</h3><h4 id="überschrift_2">Ü</h4>`},
		{"lists", `<ol start="3" type="a"><li value="3">x</li></ol><ul><li>y</li></ul><dl><dt>term</dt><dd>definition</dd></dl>`},
		{"image map", `<map name="m"><area shape="rect" coords="0,0,10,10" href="/a" alt="A"></map><img src="m.png" usemap="#m" alt="">`},
		{"figure", `<figure><img src="a.png" alt="A"><figcaption>Caption</figcaption></figure><hr><center>centred</center>`},
		{"quote and code", `<blockquote cite="https://example.com/"><p>q</p></blockquote><pre><code>x &lt; y &amp;&amp; z</code></pre>`},
		{"links", `<a href="/repo/testing-prompts/#write-async-tests">a</a> <a href="#top">b</a> <a href="../x.md">c</a> ` +
			`<a href="mailto:team@example.com">d</a> <a href="http://example.com/?a=1&amp;b=%20">e</a> <a href="//example.com/">f</a>`},
		{"language", `<p lang="pt-BR" dir="rtl">texto</p><bdo dir="ltr">x</bdo>`},
		{"time", `<time datetime="2024-05-01">May</time>`},
		{"task list", `<ul><li><input disabled="" type="checkbox"> todo</li><li><input checked="" disabled="" type="checkbox"> done</li></ul>`},
		{"aligned cells", `<table><tr><th style="text-align:left">a</th><td style="text-align:center">b</td><td style="text-align:right">c</td></tr></table>`},
		{"code block", `<div class="code"><pre class="chroma" tabindex="0"><code class="language-python"><span class="line"><span class="cl">` +
			`<span class="kn">import</span> <span class="nn">asyncio</span></span></span></code></pre>` +
			`<button type="button" class="copy" hidden>Copy</button></div>`},
		{"code class with odd characters", `<code class="language-c++">x</code><code class="language-c#">y</code><code class="language-foo.py">z</code>`},
		{"blanks", `<pre><code>Fix <mark class="ph">[describe it]</mark>:
<mark class="ph ml">[paste your code here]</mark></code></pre>`},
		{"source for copying", `<template class="src">Fix &lt;this&gt; in <mark class="ph">[language]</mark>: it&#39;s &#34;quoted&#34;</template>`},
		{"quotes spelled by goldmark", `<p>&quot;Write it&quot;, it's <a href="x" title="a &quot;b&quot; c's">x</a></p>`},
		{"non-ASCII text", "<p>Überschrift — 日本語 — emoji 🎉</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(HTML([]byte(tt.in))); got != tt.in {
				t.Errorf("HTML(%q)\n = %q\nwant it unchanged", tt.in, got)
			}
		})
	}
}

// TestRemoved: what the policy forbids goes; the rest stays.
func TestRemoved(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"script with its content", `<p>a<script>alert(1)</script>b</p>`, `<p>ab</p>`},
		{"script with a src", `<script src="https://evil.example/x.js"></script>x`, `x`},
		{"style with its content", `<style>p { color: red }</style><p>x</p>`, `<p>x</p>`},
		{"style attribute", `<div style="color:red">a</div>`, `<div>a</div>`},
		{"any other style on a cell", `<td style="text-align:left;color:red">a</td><th style="text-align: left">b</th>`, `<td>a</td><th>b</th>`},
		{"event handlers", `<p onclick="x()" onmouseover="y()">a</p><img src="a.png" onerror="alert(1)" alt="">`, `<p>a</p><img src="a.png" alt="">`},
		{"iframe with its content", `<iframe src="https://example.com/">fallback</iframe>after`, `after`},
		{"object and embed", `<object data="x.swf"><param name="a" value="b">fallback</object><embed src="x.swf">after`, `after`},
		{"form and its controls", `<form action="/x" method="post"><label>Q <input type="text" name="q"></label>` +
			`<select name="s"><option>o</option></select><textarea>t</textarea><button type="submit">Go</button></form>`,
			`Q ot<button>Go</button>`},
		{"button that submits", `<button type="submit" formaction="https://evil.example/" onclick="x()">Go</button>`, `<button>Go</button>`},
		{"meta, base and link", `<meta http-equiv="refresh" content="0;url=https://evil.example/"><base href="https://evil.example/">` +
			`<link rel="stylesheet" href="x.css">x`, `x`},
		{"javascript link", `<a href="javascript:alert(1)">x</a>`, `x`},
		{"vbscript link", `<a href="vbscript:msgbox(1)">x</a>`, `x`},
		{"data link", `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`, `x`},
		{"data image", `<img src="data:image/png;base64,iVBORw0KGgo=" alt="x">`, `<img alt="x">`},
		{"data image in srcset", `<picture><source srcset="data:image/png;base64,iVBORw0KGgo="></picture>`, `<picture></picture>`},
		{"other schemes", `<a href="ftp://example.com/">a</a><a href="file:///etc/passwd">b</a>`, `ab`},
		{"target", `<a href="https://example.com/" target="_blank">x</a>`, `<a href="https://example.com/">x</a>`},
		{"rel is not needed", `<a href="/x" rel="opener">x</a>`, `<a href="/x">x</a>`},
		{"classes promptsite does not use", `<span class="prompt">a</span><p class="code">b</p><div class="copy">c</div>` +
			`<span class="kn sr-only">d</span><mark class="done">e</mark>`,
			`<span>a</span><p>b</p><div>c</div><span>d</span><mark>e</mark>`},
		{"ids promptsite would not make", `<h2 id="a b">x</h2><p id="x.y">y</p><p id="">z</p>`, `<h2>x</h2><p>y</p><p>z</p>`},
		{"tabindex other than 0", `<pre tabindex="-1">x</pre><div tabindex="0">y</div>`, `<pre>x</pre><div>y</div>`},
		{"hidden elsewhere", `<p hidden>x</p>`, `<p>x</p>`},
		{"data and aria attributes", `<p data-x="1" aria-hidden="true">x</p>`, `<p>x</p>`},
		{"comments", `<!-- note -->x<!--[if IE]><p>ie</p><![endif]-->`, `x`},
		{"svg and math", `<svg width="10"><circle r="1"></circle></svg><math><mi>x</mi></math>`, `x`},
		{"title element", `<title>t</title>x`, `x`},
		{"input other than a task box", `<input type="text" value="x"><input type="image" src="a.png">`, ``},
		{"upper case", `<P ALIGN="CENTER">x</P>`, `<p align="CENTER">x</p>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(HTML([]byte(tt.in))); got != tt.want {
				t.Errorf("HTML(%q)\n = %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// xss are known ways to run script past a filter, in the manner of OWASP's
// XSS filter evasion cheat sheet.
var xss = []string{
	`<script>alert(1)</script>`,
	`<SCRIPT SRC=//xss.example/x.js></SCRIPT>`,
	`<script/xss src="//xss.example/x.js"></script>`,
	`<<script>alert(1);//<</script>`,
	`<scr<script>ipt>alert(1)</scr</script>ipt>`,
	`<script>alert(1)`,
	`<img src=x onerror=alert(1)>`,
	`<img/src=x/onerror=alert(1)>`,
	"<img src=x onerror\n=alert(1)>",
	`<IMG SRC="javascript:alert(1);">`,
	`<IMG SRC=JaVaScRiPt:alert(1)>`,
	"<IMG SRC=`javascript:alert(1)`>",
	`<IMG SRC="jav	ascript:alert(1);">`,
	`<IMG SRC="jav&#x09;ascript:alert(1);">`,
	`<IMG SRC="jav&#x0A;ascript:alert(1);">`,
	`<IMG SRC=" &#14;  javascript:alert(1);">`,
	`<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;>`,
	`<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)>`,
	`<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x31&#x29>`,
	`<IMG """><SCRIPT>alert(1)</SCRIPT>">`,
	`<IMG SRC=# onmouseover="alert(1)">`,
	`<img src=x:alert(alt) onerror=eval(src) alt=0>`,
	`<img srcset="javascript:alert(1)">`,
	`<a href="javascript:alert(1)">x</a>`,
	`<a href="  javascript:alert(1)">x</a>`,
	`<a href="java&#0;script:alert(1)">x</a>`,
	`<a href="&#1;javascript:alert(1)">x</a>`,
	`<a href="javascript&colon;alert(1)">x</a>`,
	`<a href="JAVASCRIPT:alert(1)">x</a>`,
	`<a href="vbscript:msgbox(1)">x</a>`,
	`<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`,
	`<a href="/x" onclick=alert(1)//>x</a>`,
	`<a href="x" style="background:url(javascript:alert(1))">x</a>`,
	`<div style="width: expression(alert(1));">x</div>`,
	`<td style="text-align:left;background:url(javascript:alert(1))">x</td>`,
	`<style>@import 'https://xss.example/x.css';</style>`,
	`<style>body{background:url("javascript:alert(1)")}</style>`,
	`<link rel="stylesheet" href="https://xss.example/x.css">`,
	`<meta http-equiv="refresh" content="0;url=javascript:alert(1);">`,
	`<base href="javascript:alert(1)//">`,
	`<body onload=alert(1)>`,
	`<details open ontoggle=alert(1)>`,
	`<marquee onstart=alert(1)>x</marquee>`,
	`<svg onload=alert(1)>`,
	`<svg/onload=alert(1)>`,
	`<svg><script>alert(1)</script></svg>`,
	`<svg><script href="data:text/javascript,alert(1)"/></svg>`,
	`<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>`,
	`<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>`,
	`<svg><style><img src=x onerror=alert(1)></style></svg>`,
	`<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">`,
	`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
	`<math><mi xlink:href="javascript:alert(1)">x</mi></math>`,
	`<math><maction actiontype="statusline#" xlink:href="javascript:alert(1)">x</maction></math>`,
	`<iframe src="javascript:alert(1)"></iframe>`,
	`<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>`,
	`<object data="javascript:alert(1)"></object>`,
	`<embed src="data:text/html,<script>alert(1)</script>">`,
	`<form action="javascript:alert(1)"><button>x</button></form>`,
	`<button formaction="javascript:alert(1)">x</button>`,
	`<input type="image" src=x onerror=alert(1)>`,
	`<input autofocus onfocus=alert(1)>`,
	`<isindex type=image src=1 onerror=alert(1)>`,
	`<video><source onerror=alert(1)></video>`,
	`<audio src=x onerror=alert(1)>`,
	`<template><script>alert(1)</script></template>`,
	`<template class="src"><img src=x onerror=alert(1)></template>`,
	`<template shadowrootmode="open"><script>alert(1)</script></template>`,
	`<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
	`<noembed><img title="</noembed><img src=x onerror=alert(1)>"></noembed>`,
	`<xmp><img src=x onerror=alert(1)></xmp>`,
	`<textarea><img src=x onerror=alert(1)></textarea>`,
	`<title><img src=x onerror=alert(1)></title>`,
	`<plaintext><script>alert(1)</script>`,
	`<!--<img src=x onerror=alert(1)>-->`,
	`<!--[if gte IE 4]><script>alert(1)</script><![endif]-->`,
	`<![CDATA[<script>alert(1)</script>]]>`,
	`<!DOCTYPE html><script>alert(1)</script>`,
	`<?xml version="1.0"?><script>alert(1)</script>`,
	`<scrİpt>alert(1)</scrİpt>`,
	`<a href="x">x</a><img src=x onerror=alert(1) `,
	`<img src="x" alt="`,
	`<a href="`,
	`<div id="announce">clobbered</div><form id="x"><input name="y"></form>`,
	`<a href="https://example.com/" target="_blank">x</a>`,
	`<span class="copy">x</span><button class="copy" type="submit">y</button>`,
	`<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></pre>`,
	`<p>&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;</p>`,
	`<a href="jav&#x61;script:alert(1)">x</a>`,
	`<a href="&#x6a;avascript&#x3a;alert(1)">x</a>`,
	`<img src="x" alt="&quot; onerror=&quot;alert(1)">`,
	`<p title="&#34;><script>alert(1)</script>">x</p>`,
	`<img src="x" title="&#x3C;script&#x3E;alert(1)&#x3C;/script&#x3E;">`,
	`<template class="src"></template><script>alert(1)</script>`,
	`<template class="src"><template class="src"><style>*{}</style></template></template>`,
	`<mark class="ph" onmouseover="alert(1)">[x]</mark>`,
	`<p>&lt;img src=x onerror=alert(1)&gt;</p>`,
}

// TestXSS sanitises each vector and parses the result as a browser would,
// within a page: no script, style, frame, plugin or form may come of it, no
// handler or style attribute, no URL that runs script, and the markup
// after the chunk must still be there, unharmed.
func TestXSS(t *testing.T) {
	for _, v := range xss {
		for _, in := range []string{v, "<template class=\"src\">" + v + "</template>", "<p>" + v + "</p>"} {
			out := HTML([]byte(in))
			if problems := unsafe(out); len(problems) > 0 {
				t.Errorf("HTML(%q)\n = %q\n%s", in, out, strings.Join(problems, "\n"))
			}
			if again := HTML(out); !bytes.Equal(again, out) {
				t.Errorf("HTML(HTML(%q))\n = %q\nwant it as HTML gave it: %q", in, again, out)
			}
		}
	}
}

// unsafe parses chunk within a page, as a browser would, and lists what
// in it could run script or hurt the page around it.
func unsafe(chunk []byte) []string {
	var problems []string
	lower := bytes.ToLower(chunk)
	for _, s := range []string{"<script", "<style", "<iframe", "<object", "<embed", "<svg", "<math", "<form", "<base", "<meta", "<link"} {
		if bytes.Contains(lower, []byte(s)) {
			problems = append(problems, "it holds "+s)
		}
	}
	page := `<!DOCTYPE html><html><head><title>t</title></head><body><main>` + string(chunk) +
		`</main><p id="after">after</p><script src="/site.js"></script></body></html>`
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return append(problems, "the page does not parse: "+err.Error())
	}
	var after, scripts int
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if n.Namespace != "" {
				problems = append(problems, fmt.Sprintf("a %s element in %s", n.Data, n.Namespace))
			}
			switch n.Data {
			case "script":
				if len(n.Attr) == 1 && n.Attr[0].Val == "/site.js" {
					scripts++
				} else {
					problems = append(problems, "a script element")
				}
			case "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "textarea", "select",
				"base", "meta", "link", "noscript", "xmp", "plaintext", "noembed", "noframes", "svg", "math":
				problems = append(problems, "a "+n.Data+" element")
			case "input":
				// A task list's box. Without its type it is a text box,
				// but one that has no name or value and no form to send.
				for _, a := range n.Attr {
					if !(a.Key == "type" && a.Val == "checkbox" || a.Key == "checked" || a.Key == "disabled") {
						problems = append(problems, "an input with "+a.Key)
					}
				}
			case "p":
				if v, ok := attr(n, "id"); ok && v == "after" && text(n) == "after" && len(n.Attr) == 1 {
					after++
				}
			}
			for _, a := range n.Attr {
				switch key := strings.ToLower(a.Key); {
				case strings.HasPrefix(key, "on"):
					problems = append(problems, "a handler "+a.Key+" on "+n.Data)
				case key == "style" && !pats().textAlign.MatchString(a.Val):
					problems = append(problems, fmt.Sprintf("a style %q on %s", a.Val, n.Data))
				case key == "href" || key == "src" || key == "cite" || key == "action" || key == "formaction" ||
					key == "data" || key == "srcset" || key == "poster" || key == "background" || a.Namespace != "":
					if scriptURL(a.Val) {
						problems = append(problems, fmt.Sprintf("a URL %s=%q on %s", a.Key, a.Val, n.Data))
					}
				case key == "target" || key == "formaction" || key == "srcdoc" || key == "shadowrootmode":
					problems = append(problems, "an attribute "+a.Key+" on "+n.Data)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if after != 1 || scripts != 1 {
		problems = append(problems, "the page's own markup after the chunk was swallowed or changed")
	}
	return problems
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// scriptURL reports whether a browser could take u, or one of the
// candidates of a srcset, as a javascript:, vbscript: or data: URL: it
// trims control characters and spaces, drops tabs and line breaks, and
// ignores case.
func scriptURL(u string) bool {
	for _, c := range strings.Split(u, ",") {
		c = strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, strings.ToLower(c))
		c = strings.TrimLeft(c, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"+
			"\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
		for _, scheme := range []string{"javascript:", "vbscript:", "data:"} {
			if strings.HasPrefix(c, scheme) {
				return true
			}
		}
	}
	return false
}

// TestReadme renders a README's worth of raw HTML the way promptsite will,
// with goldmark's raw HTML on: what GitHub shows comes out unchanged, and
// what it would not run goes.
func TestReadme(t *testing.T) {
	md := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(gmhtml.WithUnsafe()))
	tests := []struct{ name, in, want string }{
		{"logo and badges", `<p align="center">
  <img src="assets/logo.png" alt="Logo" width="200" />
</p>

<p align="center">
  <a href="https://github.com/o/r/actions"><img src="https://github.com/o/r/actions/workflows/ci.yml/badge.svg" alt="CI"></a>
  <a href="LICENSE"><img src="https://img.shields.io/badge/license-MIT-blue.svg" alt="MIT"></a>
</p>
`, ""},
		{"details around markdown", `<details>
<summary>Show the <b>full</b> prompt</summary>

Write a **retry** loop. Press <kbd>Ctrl</kbd>+<kbd>C</kbd> to stop it; H<sub>2</sub>O, x<sup>2</sup>.

</details>
`, ""},
		{"html table", `<table>
  <tr><th align="left">Model</th><th>Context</th></tr>
  <tr><td>A<br>B</td><td align="right">128k</td></tr>
</table>
`, ""},
		{"script between paragraphs", "Before.\n\n<script>alert(1)</script>\n\nAfter <img src=x onerror=alert(1)>.\n",
			"<p>Before.</p>\n\n<p>After <img src=\"x\">.</p>\n"},
		{"javascript link in markdown", "[click](javascript:alert(1)) and ![x](javascript:alert(2))\n", "<p>click and <img alt=\"x\"></p>\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := md.Convert([]byte(tt.in), &b); err != nil {
				t.Fatal(err)
			}
			want := tt.want
			if want == "" {
				want = b.String()
			}
			if got := string(HTML(b.Bytes())); got != want {
				t.Errorf("HTML(%q)\n = %q\nwant %q", b.String(), got, want)
			}
		})
	}
}

// TestSame checks the spellings HTML counts as the same, and that nothing
// else passes for them.
func TestSame(t *testing.T) {
	tests := []struct {
		in, out string
		want    bool
	}{
		{``, ``, true},
		{`<p>a</p>`, `<p>a</p>`, true},
		{`<p>&quot;a&quot;</p>`, `<p>&#34;a&#34;</p>`, true},
		{`<p>it's</p>`, `<p>it&#39;s</p>`, true},
		{`<p title="it's">x</p>`, `<p title="it&#39;s">x</p>`, true},
		{`<button hidden>x</button>`, `<button hidden="">x</button>`, true},
		{`<input checked disabled type="checkbox">`, `<input checked="" disabled="" type="checkbox">`, true},
		{`<br />`, `<br/>`, true},
		{`<p>"a"</p>`, `<p>&#34;a&#34;</p>`, false},
		{`<p>&apos;</p>`, `<p>&#39;</p>`, false},
		{`<P>a</P>`, `<p>a</p>`, false},
		{`<p>a</p>x`, `<p>a</p>`, false},
		{`<p>a</p>`, `<p>a</p>x`, false},
		{`<p>a<!---->b</p>`, `<p>ab</p>`, false},
		{`<p title=x>a</p>`, `<p title="x">a</p>`, false},
		{`<br  />`, `<br/>`, false},
		{`<p>&quot</p>`, `<p>&#34;</p>`, false},
	}
	for _, tt := range tests {
		if got := same([]byte(tt.in), []byte(tt.out)); got != tt.want {
			t.Errorf("same(%q, %q) = %v, want %v", tt.in, tt.out, got, tt.want)
		}
	}
}

// TestUnchangedIsSame: when nothing had to go, HTML hands back the slice
// it was given, not a copy.
func TestUnchangedIsSame(t *testing.T) {
	in := []byte(`<p>it's &quot;fine&quot;</p>`)
	if out := HTML(in); &out[0] != &in[0] {
		t.Errorf("HTML(%q) returned a copy, %q", in, out)
	}
	in = []byte(`<p onclick="x()">a</p>`)
	out := HTML(in)
	if string(out) != `<p>a</p>` || string(in) != `<p onclick="x()">a</p>` {
		t.Errorf("HTML(%q) = %q and left its argument as %q; want <p>a</p>, argument untouched", `<p onclick="x()">a</p>`, out, in)
	}
}

// TestUGCElements: every element bluemonday's UGCPolicy keeps is kept here
// too, and the ones this policy adds are the ones its doc comment names.
func TestUGCElements(t *testing.T) {
	ugc := bluemonday.UGCPolicy()
	added := map[string]bool{"kbd": true, "center": true, "picture": true, "template": true, "button": true}
	for _, el := range strings.Fields(`a abbr acronym address area article aside audio b base bdi bdo big blink blockquote
		body br button canvas caption center cite code col colgroup data datalist dd del details dfn dialog dir div dl dt
		em embed fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html
		i iframe img input ins kbd label legend li link main map mark marquee menu meta meter nav nobr noembed noframes
		noscript object ol optgroup option output p param picture pre progress q rp rt ruby s samp script search section
		select slot small source span strike strong style sub summary sup table tbody td template textarea tfoot th thead
		time title tr track tt u ul var video wbr xmp`) {
		in := "<" + el + ">x</" + el + ">"
		kept := func(p func([]byte) []byte) bool { return bytes.HasPrefix(p([]byte(in)), []byte("<"+el+">")) }
		ours, theirs := kept(HTML), kept(ugc.SanitizeBytes)
		if theirs && !ours {
			t.Errorf("%s: UGCPolicy keeps it, HTML drops it", el)
		}
		if ours && !theirs && !added[el] {
			t.Errorf("%s: HTML keeps it, UGCPolicy drops it, and it is not one of the elements added on purpose", el)
		}
	}
}

// TestChromaClasses: every class chroma may put on a span of highlighted
// code is one the policy keeps, so that a new chroma cannot silently lose
// its colours.
func TestChromaClasses(t *testing.T) {
	notSpans := map[chroma.TokenType]bool{chroma.Background: true, chroma.PreWrapper: true,
		chroma.LineTable: true, chroma.LineTableTD: true, chroma.LineLink: true}
	for tt, class := range chroma.StandardTypes {
		if class == "" || notSpans[tt] {
			continue
		}
		if !pats().classes["span"].MatchString(class) {
			t.Errorf("chroma's class %q for %s does not match the span pattern %s", class, tt, pats().classes["span"])
		}
	}
}

// TestPatterns checks the hand-written patterns on values either side of
// their edges.
func TestPatterns(t *testing.T) {
	tests := []struct {
		name string
		re   *regexp.Regexp
		ok   []string
		bad  []string
	}{
		{"id", pats().id, []string{"retry-with-backoff", "日本語の見出し", "überschrift_2", "a1", "x-1"},
			[]string{"", "a b", "x.y", "a:b", `a"b`, "a\u200bb"}},
		{"srcset", pats().srcset, []string{"a.png", "a.png 2x", "/a.png 1x, /b.png 2x", "https://x.org/a.png 640w,http://x.org/b.png 1.5x",
			"../img/a.png", "//cdn.example.com/a.png"},
			[]string{"", "javascript:alert(1)", "data:image/png;base64,AAAA", "a.png, javascript:alert(1)", "a.png 2y", "a:b/c.png",
				"vbscript:x", "a.png,,b.png"}},
		{"text-align", pats().textAlign, []string{"text-align:left", "text-align:center", "text-align:right"},
			[]string{"text-align: left", "text-align:left;", "text-align:left;color:red", "color:red"}},
		{"lang", pats().lang, []string{"en", "pt-BR", "zh-Hant-TW"}, []string{"", "e", "en_US", "en-", "x<"}},
		{"media", pats().mediaQuery, []string{"(prefers-color-scheme: dark)", "(min-width: 40em)"}, []string{"", "a;b", "url(x)x{"}},
	}
	for _, tt := range tests {
		for _, v := range tt.ok {
			if !tt.re.MatchString(v) {
				t.Errorf("%s pattern rejects %q", tt.name, v)
			}
		}
		for _, v := range tt.bad {
			if tt.re.MatchString(v) {
				t.Errorf("%s pattern accepts %q", tt.name, v)
			}
		}
	}
}

// TestConcurrent runs HTML on many goroutines at once, for the race
// detector to check that the shared policy is safe to share.
func TestConcurrent(t *testing.T) {
	in := []byte(`<p onclick="x()">a <a href="javascript:x">b</a></p><div class="code"><pre class="chroma" tabindex="0"><code>c</code></pre></div>`)
	want := string(HTML(in))
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for range 8 {
		wg.Go(func() {
			for range 50 {
				if got := string(HTML(in)); got != want {
					errs <- got
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for got := range errs {
		t.Errorf("HTML(%q) on one goroutine = %q, on another %q", in, got, want)
	}
}

// TestFragment checks that an author's HTML cannot leave the part of the
// page it is in: what it leaves open is closed, and what it closes that it
// did not open is dropped.
func TestFragment(t *testing.T) {
	tests := []struct{ in, want string }{
		{`<p>text</p></div></main><p>more</p>`, `<p>text</p><p>more</p>`},
		{`<details><summary>More</summary><p>inside`, `<details><summary>More</summary><p>inside</p></details>`},
		{`<div class="code"><pre class="chroma" tabindex="0"><code>x</code></pre><button type="button" class="copy" hidden>Copy</button></div>`,
			`<div class="code"><pre class="chroma" tabindex="0"><code>x</code></pre><button type="button" class="copy" hidden="">Copy</button></div>`},
		{`<template class="src">a &lt;b&gt; <mark class="ph">[c d]</mark></template>`, `<template class="src">a &lt;b&gt; <mark class="ph">[c d]</mark></template>`},
		{`<table><tr><td>1</td></tr></table><script>alert(1)</script>`, `<table><tbody><tr><td>1</td></tr></tbody></table>`},
	}
	for _, tt := range tests {
		if got := string(Fragment([]byte(tt.in))); got != tt.want {
			t.Errorf("Fragment(%q) =\n%q; want\n%q", tt.in, got, tt.want)
		}
	}
}

// TestFragmentDescribesImages checks that an image with no alt text gets
// one from its file's name, and that one with alt text keeps it.
func TestFragmentDescribesImages(t *testing.T) {
	tests := []struct{ in, want string }{
		{`<a href="https://x.example/"><img src="https://contrib.rocks/image?repo=f/a"/></a>`,
			`<a href="https://x.example/"><img src="https://contrib.rocks/image?repo=f/a" alt="image"/></a>`},
		{`<img src="docs/team-logo.png">`, `<img src="docs/team-logo.png" alt="team logo"/>`},
		{`<img src="x.png" alt="">`, `<img src="x.png" alt=""/>`},
		{`<img src="x.png" alt="Flow">`, `<img src="x.png" alt="Flow"/>`},
	}
	for _, tt := range tests {
		if got := string(Fragment([]byte(tt.in))); got != tt.want {
			t.Errorf("Fragment(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
