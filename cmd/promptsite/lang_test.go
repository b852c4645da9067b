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
