package main

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestInspect runs inspect on a project that has a file of each shape, and
// files left out for each reason, and compares what it prints with
// testdata/inspect.golden (go test -update rewrites it).
func TestInspect(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("testdata", "inspect"))
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, dir, nil, "inspect")
	if code != 0 {
		t.Fatalf("inspect = %d: %s", code, stderr)
	}
	golden := filepath.Join("testdata", "inspect.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(stdout), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if stdout != string(want) {
		t.Errorf("inspect printed\n%s\nwant\n%s", stdout, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "content", "anchors.lock")); !os.IsNotExist(err) {
		t.Errorf("inspect wrote a lock: %v", err)
	}
}
