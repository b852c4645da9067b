package gitdates

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// git runs git in dir with the commit dates set to date.
func git(t *testing.T, dir, date string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date,
		"GIT_AUTHOR_NAME=a", "GIT_AUTHOR_EMAIL=a@example.com", "GIT_COMMITTER_NAME=a", "GIT_COMMITTER_EMAIL=a@example.com")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

func TestUpdated(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	git(t, dir, "2026-01-02T10:00:00Z", "init", "-q")
	lib := filepath.Join(dir, "content", "lib.md")
	os.MkdirAll(filepath.Dir(lib), 0o755)
	os.WriteFile(lib, []byte("# T\n\n## A\n\n### One\n\nfirst\n\n### Two\n\nsecond\n"), 0o644)
	git(t, dir, "2026-01-02T10:00:00Z", "add", ".")
	git(t, dir, "2026-01-02T10:00:00Z", "commit", "-q", "-m", "one")
	os.WriteFile(lib, []byte("# T\n\n## A\n\n### One\n\nfirst\n\n### Two\n\nsecond, edited\n"), 0o644)
	git(t, dir, "2026-03-04T10:00:00Z", "commit", "-q", "-am", "two")
	// A line not committed yet has no date.
	os.WriteFile(lib, []byte("# T\n\n## A\n\n### One\n\nfirst\n\n### Two\n\nsecond, edited\n\n### Three\n\nthird\n"), 0o644)

	h, err := Open(filepath.Join(dir, "content"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		from, to int
		want     string
	}{
		{5, 8, "2026-01-02"},   // "### One" and its text
		{9, 12, "2026-03-04"},  // "### Two", edited in the second commit
		{1, 100, "2026-03-04"}, // the whole file
		{13, 15, ""},           // "### Three", not committed
	} {
		got, err := h.Updated(lib, tt.from, tt.to)
		if err != nil {
			t.Fatal(err)
		}
		s := ""
		if !got.IsZero() {
			s = got.Format(time.DateOnly)
		}
		if s != tt.want {
			t.Errorf("Updated(lines %d-%d) = %q; want %q", tt.from, tt.to, s, tt.want)
		}
	}
	// A file git does not track has no dates, and is no error.
	untracked := filepath.Join(dir, "content", "new.md")
	os.WriteFile(untracked, []byte("# New\n"), 0o644)
	if got, err := h.Updated(untracked, 1, 1); err != nil || !got.IsZero() {
		t.Errorf("Updated(untracked) = %v, %v; want no date and no error", got, err)
	}
}

func TestOpenOutsideARepository(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "is not in a git repository") {
		t.Errorf("Open(%s) = %v; want an error saying it is not in a repository", dir, err)
	}
}
