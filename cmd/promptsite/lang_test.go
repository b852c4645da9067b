package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSiteLanguage builds a library written in Chinese: its pages say so
// without any configuration, -lang and the configuration say otherwise,
// and an unknown tag is refused with the flag named.
func TestSiteLanguage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "content", "README.md"), "# 提示词\n\n## 充当小说家\n\n> 我想让你充当小说家。你要构思富有创意、引人入胜的故事。\n\n## 充当诗人\n\n> 我想让你充当诗人。你要写出能打动人心的诗句。\n")
	lang := func(args ...string) string {
		t.Helper()
		code, _, stderr := run(t, dir, nil, append([]string{"build"}, args...)...)
		if code != 0 {
			t.Fatalf("build %q = %d: %s", args, code, stderr)
		}
		b, err := os.ReadFile(filepath.Join(dir, "public", "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		_, rest, _ := strings.Cut(string(b), `<html lang="`)
		v, _, _ := strings.Cut(rest, `"`)
		return v
	}
	if got := lang(); got != "zh" {
		t.Errorf("detected: <html lang=%q>; want zh", got)
	}
	if got := lang("-lang", "zh-TW"); got != "zh-TW" {
		t.Errorf("-lang zh-TW: <html lang=%q>; want zh-TW", got)
	}
	write(t, filepath.Join(dir, "promptsite.toml"), "language = \"ja\"\n")
	if got := lang(); got != "ja" {
		t.Errorf("language = \"ja\": <html lang=%q>; want ja", got)
	}
	code, _, stderr := run(t, dir, nil, "build", "-lang", "chinese")
	if code != 2 || !strings.Contains(stderr, `-lang: "chinese" is not a language tag`) {
		t.Errorf("-lang chinese = %d, %q; want 2 and a message naming -lang", code, stderr)
	}
}

// TestFileLanguage builds an English library with a German prompt file
// among English ones: the category page says the German prompt's title and
// text are German, its own page too, and the rest of the site is English.
func TestFileLanguage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "content", "writing", "review.md"), "---\ntitle: Review a text\n---\nReview this text for clarity and tone, and list what the reader could misread.\n")
	write(t, filepath.Join(dir, "content", "writing", "summary.md"), "---\ntitle: Summarise an article\n---\nSummarise the article below in five sentences for a reader in a hurry.\n")
	write(t, filepath.Join(dir, "content", "writing", "lebenslauf.md"), "---\ntitle: Lebenslauf prüfen\nlang: de\n---\nPrüfe meinen Lebenslauf auf Rechtschreibung und Lücken, und schlage bessere Sätze vor.\n")
	if code, _, stderr := run(t, dir, nil, "build"); code != 0 {
		t.Fatalf("build = %d: %s", code, stderr)
	}
	page := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, "public", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	cat := page("writing/index.html")
	if !strings.Contains(cat, `<html lang="en"`) || !strings.Contains(cat, `lang="de">Lebenslauf prüfen</a>`) || strings.Count(cat, `lang="de"`) != 1 {
		t.Errorf("the category page does not mark the German prompt's card, and it alone, as German:\n%s", cat)
	}
	// The German prompt's own page is German, interface included, and
	// gives its scripts their German strings.
	own := page("writing/lebenslauf/index.html")
	for _, want := range []string{`<html lang="de"`, `Lebenslauf prüfen`, `>Link kopieren</button>`, `data-strings="{`, `Kopiert`} {
		if !strings.Contains(own, want) {
			t.Errorf("the German prompt's page lacks %s", want)
		}
	}
	if other := page("writing/review/index.html"); !strings.Contains(other, `<html lang="en"`) || strings.Contains(other, "data-strings") {
		t.Error("an English prompt's page is not English, or repeats the scripts' strings")
	}
}
