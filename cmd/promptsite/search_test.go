package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func runCmd(t *testing.T, fn func(*env, []string) int, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{ctx: context.Background(), stdout: &out, stderr: &errb, dir: "../..", getenv: func(string) string { return "" }}
	return fn(e, args), out.String(), errb.String()
}

func TestSearchCommand(t *testing.T) {
	tests := []struct {
		args      []string
		code      int
		first     string // the first result's address
		errSubstr string
	}{
		{[]string{"retyr"}, exitOK, "/implementation-prompts/#retry-with-backoff", ""},
		{[]string{"rate", "limit"}, exitOK, "/performance-prompts/#add-rate-limiting", ""},
		{[]string{"-n", "1", "mock httpx"}, exitOK, "/testing-prompts/#mock-async-dependencies", ""},
		{[]string{"kubernetes yaml"}, exitError, "", `no results for "kubernetes yaml"`},
		{nil, exitUsage, "", "no query"},
	}
	for _, tt := range tests {
		code, out, errOut := runCmd(t, runSearch, tt.args...)
		if code != tt.code {
			t.Errorf("search %q: exit %d, want %d (stderr %q)", tt.args, code, tt.code, errOut)
		}
		if tt.first != "" {
			lines := strings.Split(out, "\n")
			if len(lines) < 2 || strings.TrimSpace(lines[1]) != tt.first {
				t.Errorf("search %q printed\n%s\nwant first %s", tt.args, out, tt.first)
			}
		}
		if !strings.Contains(errOut, tt.errSubstr) {
			t.Errorf("search %q: stderr %q, want %q in it", tt.args, errOut, tt.errSubstr)
		}
	}
	if _, out, _ := runCmd(t, runSearch, "-n", "1", "retry"); strings.Count(out, "\n") != 2 {
		t.Errorf("search -n 1 printed %q; want one result", out)
	}
}

func TestShowCommand(t *testing.T) {
	tests := []struct {
		ref       string
		code      int
		prefix    string
		errSubstr string
	}{
		{"retry-with-backoff", exitOK, "Write a retry decorator/function for async operations:\n- Configurable max retries\n", ""},
		{"implementation-prompts/retry-with-backoff", exitOK, "Write a retry decorator/function for async operations:\n- Configurable max retries\n", ""},
		{"/implementation-prompts/#retry-with-backoff", exitOK, "Write a retry decorator/function for async operations:\n- Configurable max retries\n", ""},
		{"https://prompts.example.com/p/implementation-prompts/retry-with-backoff.html", exitOK, "Write a retry decorator/function for async operations:\n", ""},
		{"common-llm-mistakes-to-watch-for", exitOK, "When reviewing", ""},
		{"no-such-prompt", exitError, "", `no prompt has the anchor "no-such-prompt"`},
	}
	for _, tt := range tests {
		code, out, errOut := runCmd(t, runShow, tt.ref)
		if code != tt.code || !strings.HasPrefix(out, tt.prefix) || !strings.Contains(errOut, tt.errSubstr) {
			t.Errorf("show %s: exit %d, stdout %.40q, stderr %q; want exit %d, stdout starting %q, stderr with %q",
				tt.ref, code, out, errOut, tt.code, tt.prefix, tt.errSubstr)
		}
	}
}
