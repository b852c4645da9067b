package e2e

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/promptsite/promptsite/site/internal/chromium"
)

// The libraries of testdata/zhlib and testdata/arlib are small libraries in
// Chinese and in Arabic, in the shape of the built-in one, whose
// promptsite.toml sets their language: their pages speak it, and the
// Arabic one's are written right to left.
var (
	langLibMu   sync.Mutex
	langLibOnce = map[string]*sync.Once{}
	langLibSite = map[string]*builtSite{}
	langLibErr  = map[string]error{}
)

// langLib builds testdata/<name> once for the test binary and serves it.
func langLib(t *testing.T, name string) *builtSite {
	t.Helper()
	langLibMu.Lock()
	once := langLibOnce[name]
	if once == nil {
		once = &sync.Once{}
		langLibOnce[name] = once
	}
	langLibMu.Unlock()
	once.Do(func() {
		var b *builtSite
		tmp, err := os.MkdirTemp("", "promptsite-e2e-"+name+"-")
		if err == nil {
			atExit(func() { os.RemoveAll(tmp) })
			b, err = buildLibrary(filepath.Join("testdata", name), filepath.Join(tmp, name))
		}
		langLibMu.Lock()
		langLibSite[name], langLibErr[name] = b, err
		langLibMu.Unlock()
	})
	langLibMu.Lock()
	defer langLibMu.Unlock()
	if err := langLibErr[name]; err != nil {
		t.Fatal(err)
	}
	return langLibSite[name]
}

// catPage returns the path of a category's page by its title, escaped.
func catPage(title string) string { return "/" + url.PathEscape(title) + "/" }

// englishUI are words of promptsite's English interface that a page in
// another language must not show.
var englishUI = []string{"Copy", "Copied", "Search", "Previous", "Next", "Fill in", "On this page", "Edit", "Categories",
	"Skip to content", "Open in", "Breadcrumb", "Repository", "Link to", "Preview", "What you type"}

// TestChineseInterface reads the interface of a Chinese library's page as a
// reader does: its buttons, their confirmations, the fill-in form, the chat
// links and the search box, and finds them all in Chinese. It uses the
// clipboard, so it runs alone (see TestCopyCodeBlocks).
func TestChineseInterface(t *testing.T) {
	s := start(t)
	zh := langLib(t, "zhlib")
	s.allowClipboard(t, zh.origin)
	ctx := s.tab(t, 60*time.Second)
	if err := chromedp.Do(ctx, desktop.emulate(), chromium.Focused()); err != nil {
		t.Fatal(err)
	}
	navigate(t, ctx, zh.url(catPage("写作")), 200)

	head := mustEval[struct{ Lang, Dir string }](t, ctx, `({lang: document.documentElement.lang, dir: document.documentElement.dir})`)
	if head.Lang != "zh" || head.Dir != "" {
		t.Errorf("<html lang=%q dir=%q>; want lang=\"zh\" and no dir", head.Lang, head.Dir)
	}

	byName := map[string]axButton{}
	var names []string
	for _, b := range buttons(t, ctx) {
		if _, dup := byName[b.name]; !dup {
			byName[b.name] = b // the first, of the first prompt
		}
		names = append(names, b.name)
	}
	t.Logf("buttons: %q", names)
	for _, n := range names {
		for _, w := range englishUI {
			if strings.Contains(n, w) {
				t.Errorf("a button is named %q, in English", n)
			}
		}
	}

	// A code block's Copy button, and what it says when it has copied.
	copyBtn, ok := byName["复制"]
	if !ok {
		t.Fatalf("no button named 复制 (Copy) among %q", names)
	}
	setClipboard(t, ctx, sentinel)
	if clickCopy(t, ctx, copyBtn, "已复制", "已复制") {
		if got := readClipboard(t, ctx); !strings.HasPrefix(got, "请润色下面这段文字") {
			t.Errorf("复制 copied %q; want the first prompt's text", got)
		}
	}
	saveScreenshot(t, ctx, "zh-copied-desktop", false)

	// Copy link.
	if b, ok := byName["复制链接：润色文章"]; !ok {
		t.Errorf("no button named 复制链接：润色文章 (Copy link to …) among %q", names)
	} else {
		setClipboard(t, ctx, sentinel)
		if clickCopy(t, ctx, b, "已复制", "已复制链接") {
			if got := readClipboard(t, ctx); !strings.HasSuffix(got, ".html") {
				t.Errorf("复制链接 copied %q; want the prompt's address", got)
			}
		}
	}

	// The fill-in form, and the copy of the filled prompt.
	fill, ok := byName["填写“润色文章”"]
	if !ok {
		t.Fatalf("no button named 填写“润色文章” (Fill in …) among %q", names)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(fill.sel))); err != nil {
		t.Fatal(err)
	}
	if !poll(t, ctx, `!!document.querySelector(".fill-form:not([hidden])")`, 3*time.Second) {
		t.Fatal("the fill-in form did not open")
	}
	form := mustEval[struct{ Label, Button, Note, Group string }](t, ctx, `(() => {
		const f = document.querySelector(".fill-form");
		return {label: f.querySelector(".fill-label").textContent, button: f.querySelector(".copy-filled").textContent,
			note: f.querySelector(".fill-note").textContent, group: f.getAttribute("aria-label")};
	})()`)
	if want := (struct{ Label, Button, Note, Group string }{"预览", "复制填写后的提示词", "你输入的内容只保存在此浏览器中。", "填写“润色文章”"}); form != want {
		t.Errorf("the fill-in form says %+v; want %+v", form, want)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(".fill-form input, .fill-form textarea"), "今天天气很好")); err != nil {
		t.Fatal(err)
	}
	setClipboard(t, ctx, sentinel)
	filled := axButton{name: "复制填写后的提示词", sel: ".fill-form .copy-filled"}
	if clickCopy(t, ctx, filled, "已复制", "已复制填写后的提示词") {
		if got := readClipboard(t, ctx); !strings.Contains(got, "今天天气很好") {
			t.Errorf("复制填写后的提示词 copied %q; want the prompt with what was typed", got)
		}
	}
	saveScreenshot(t, ctx, "zh-fill-desktop", false)

	// The chat links and the search box.
	got := mustEval[struct {
		Chats                    []string
		Placeholder, Label, List string
		Text                     string
	}](t, ctx, `({
		chats: [...document.querySelectorAll("a.chat")].slice(0, 2).map(a => a.textContent + " | " + a.getAttribute("aria-label")),
		placeholder: document.getElementById("ps.q").placeholder,
		label: document.querySelector("label[for='ps.q']").textContent,
		list: document.getElementById("ps.results").getAttribute("aria-label"),
		text: document.body.innerText,
	})`)
	if want := []string{"在 ChatGPT 中打开 | 在 ChatGPT 中打开：润色文章", "在 Claude 中打开 | 在 Claude 中打开：润色文章"}; fmt.Sprint(got.Chats) != fmt.Sprint(want) {
		t.Errorf("chat links %q; want %q", got.Chats, want)
	}
	if got.Placeholder != "搜索提示词" || got.Label != "搜索提示词" || got.List != "搜索结果" {
		t.Errorf("search box: placeholder %q, label %q, results %q; want 搜索提示词, 搜索提示词, 搜索结果", got.Placeholder, got.Label, got.List)
	}
	for _, w := range englishUI {
		if strings.Contains(got.Text, w) {
			t.Errorf("the page shows %q, in English", w)
		}
	}
	labels := mustEval[[]string](t, ctx, `[...document.querySelectorAll("[aria-label]")].map(e => e.getAttribute("aria-label"))`)
	for _, l := range labels {
		for _, w := range englishUI {
			if strings.Contains(l, w) {
				t.Errorf("an element is labelled %q, in English", l)
			}
		}
	}

	// The search box at a phone's width, open on results.
	if err := chromedp.Do(ctx, phone.emulate()); err != nil {
		t.Fatal(err)
	}
	navigate(t, ctx, zh.url(catPage("编程")), 200)
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`input[type=search]`), "代码")); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `!document.getElementById("ps.results").hidden`, 5*time.Second)
	saveScreenshot(t, ctx, "zh-search-phone", false)
}

// TestRTLLayout checks an Arabic library's pages at a desktop's and a
// phone's width: they are right to left, the sidebar is on the right, code
// reads left to right while the prompts written in Arabic read right to
// left, no copy button covers a block's text, and nothing is wider than the
// window.
func TestRTLLayout(t *testing.T) {
	t.Parallel() // no clipboard: see TestCopyCodeBlocks
	s := start(t)
	ar := langLib(t, "arlib")
	for _, vp := range []viewport{desktop, phone} {
		t.Run(vp.name, func(t *testing.T) {
			t.Parallel()
			ctx := s.tab(t, 60*time.Second)
			if err := chromedp.Do(ctx, vp.emulate(), colorScheme("light")); err != nil {
				t.Fatal(err)
			}
			for _, p := range []struct{ name, path string }{{"home", "/"}, {"writing", catPage("الكتابة")}, {"code", catPage("البرمجة")}} {
				navigate(t, ctx, ar.url(p.path), 200)
				got := mustEval[struct {
					Lang, Dir         string
					Wide              int
					SidebarRight      bool
					Blocks            []struct{ Lang, Dir, Align string }
					Overlaps          []string
					ButtonsOutside    []string
					CopyLabels        []string
					PlaceholderInside bool
				}](t, ctx, `(() => {
					const r = e => e.getBoundingClientRect();
					const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
					const main = document.querySelector("main"), side = document.querySelector(".sidebar");
					const out = {lang: document.documentElement.lang, dir: document.documentElement.dir,
						wide: document.documentElement.scrollWidth - document.documentElement.clientWidth,
						sidebarRight: innerWidth < 800 || r(side).left >= r(main).right - 1,
						blocks: [], overlaps: [], buttonsOutside: [], copyLabels: []};
					for (const c of document.querySelectorAll(".code")) {
						const b = c.querySelector("button.copy"), code = c.querySelector("pre code");
						if (!b || !code) continue;
						out.copyLabels.push(b.textContent);
						const s = getComputedStyle(code);
						out.blocks.push({lang: code.className || "(none)", dir: s.direction, align: s.textAlign});
						const range = document.createRange();
						range.selectNodeContents(code);
						for (const t of range.getClientRects()) {
							if (t.width > 0 && meets(t, r(b))) { out.overlaps.push(code.textContent.slice(0, 40)); break; }
						}
						const box = r(c), br = r(b);
						if (br.left < box.left || br.right > box.right || br.top < box.top) out.buttonsOutside.push(code.textContent.slice(0, 40));
					}
					return out;
				})()`)
				if got.Lang != "ar" || got.Dir != "rtl" {
					t.Errorf("%s: <html lang=%q dir=%q>; want ar and rtl", p.name, got.Lang, got.Dir)
				}
				if got.Wide > 0 {
					t.Errorf("%s: the page is %dpx wider than the window", p.name, got.Wide)
				}
				if !got.SidebarRight {
					t.Errorf("%s: the list of categories is not on the right of the page", p.name)
				}
				for _, b := range got.Blocks {
					want := "rtl"
					if b.Lang == "language-python" {
						want = "ltr"
					}
					if b.Dir != want {
						t.Errorf("%s: a block of %s is %s; want %s", p.name, b.Lang, b.Dir, want)
					}
				}
				for _, o := range got.Overlaps {
					t.Errorf("%s: the copy button covers the text of the block %q", p.name, o)
				}
				for _, o := range got.ButtonsOutside {
					t.Errorf("%s: the copy button of the block %q is outside it", p.name, o)
				}
				for _, l := range got.CopyLabels {
					if l != "نسخ" {
						t.Errorf("%s: a copy button says %q; want نسخ", p.name, l)
					}
				}
				if p.name == "code" && len(got.Blocks) != 2 {
					t.Errorf("%s: %d code blocks with copy buttons; want 2", p.name, len(got.Blocks))
				}
				saveScreenshot(t, ctx, "ar-"+p.name+"-"+vp.name, true)
			}

			// The fill-in form of the first prompt, and the search box's
			// results.
			navigate(t, ctx, ar.url(catPage("الكتابة")), 200)
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("button.fill"))); err != nil {
				t.Fatal(err)
			}
			if !poll(t, ctx, `!!document.querySelector(".fill-form:not([hidden])")`, 3*time.Second) {
				t.Fatal("the fill-in form did not open")
			}
			if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(".fill-form input, .fill-form textarea"), "نص تجريبي")); err != nil {
				t.Fatal(err)
			}
			form := mustEval[struct{ Label, Button, Dir string }](t, ctx, `(() => {
				const f = document.querySelector(".fill-form");
				return {label: f.querySelector(".fill-label").textContent, button: f.querySelector(".copy-filled").textContent,
					dir: getComputedStyle(f.querySelector(".fill-preview")).direction};
			})()`)
			if want := (struct{ Label, Button, Dir string }{"معاينة", "نسخ الموجّه بعد التعبئة", "rtl"}); form != want {
				t.Errorf("the fill-in form: %+v; want %+v", form, want)
			}
			saveScreenshot(t, ctx, "ar-fill-"+vp.name, false)
			if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`input[type=search]`), "رسالة")); err != nil {
				t.Fatal(err)
			}
			if !poll(t, ctx, `!document.getElementById("ps.results").hidden`, 5*time.Second) {
				t.Error("the search box showed no results")
			}
			res := mustEval[struct{ Inside bool }](t, ctx, `(() => {
				const b = document.getElementById("ps.results").getBoundingClientRect();
				return {inside: b.left >= 0 && b.right <= innerWidth};
			})()`)
			if !res.Inside {
				t.Error("the search results reach out of the window")
			}
			saveScreenshot(t, ctx, "ar-search-"+vp.name, false)
		})
	}
}

// TestI18nAxe runs axe-core on the pages of the Chinese and the Arabic
// libraries, light and dark, at a desktop's and a phone's width, and on a
// category page with its fill-in form open.
func TestI18nAxe(t *testing.T) {
	t.Parallel() // no clipboard: see TestCopyCodeBlocks
	src := axeSource(t)
	s := start(t)
	for _, lib := range []struct{ name, category string }{{"zhlib", "写作"}, {"arlib", "الكتابة"}} {
		b := langLib(t, lib.name)
		for _, path := range []string{"/", catPage(lib.category), "/no-such-page/"} {
			t.Run(lib.name+path, func(t *testing.T) {
				t.Parallel()
				ctx := s.tab(t, 60*time.Second)
				status := int64(200)
				if path == "/no-such-page/" {
					status = 404
				}
				if err := chromedp.Do(ctx, desktop.emulate()); err != nil {
					t.Fatal(err)
				}
				navigate(t, ctx, b.url(path), status)
				axeEverywhere(t, ctx, src)
				if path != catPage(lib.category) {
					return
				}
				if err := chromedp.Do(ctx, desktop.emulate(), colorScheme("light"), chromedp.Click(chromedp.CSS("button.fill"))); err != nil {
					t.Fatal(err)
				}
				if !poll(t, ctx, `!!document.querySelector(".fill-form:not([hidden])")`, 3*time.Second) {
					t.Fatal("the fill-in form did not open")
				}
				for _, v := range runAxe(t, ctx, src) {
					t.Errorf("fill-in form open: %s", v)
				}
			})
		}
	}
}
