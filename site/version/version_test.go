package version

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	for _, tt := range []struct {
		name string
		bi   *debug.BuildInfo
		ok   bool
		goV  string
		want Info
	}{
		{
			name: "installed at a version",
			bi:   &debug.BuildInfo{Main: debug.Module{Path: "github.com/promptsite/promptsite", Version: "v1.2.0"}},
			ok:   true,
			goV:  "go1.26.8",
			want: Info{Module: "github.com/promptsite/promptsite", Version: "v1.2.0", Go: "1.26.8"},
		},
		{
			name: "built from a checkout with changes",
			bi: &debug.BuildInfo{
				Main: debug.Module{Path: "example.com/fork", Version: "(devel)"},
				Settings: []debug.BuildSetting{
					{Key: "vcs", Value: "git"},
					{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
					{Key: "vcs.time", Value: "2026-01-02T03:04:05Z"},
					{Key: "vcs.modified", Value: "true"},
				},
			},
			ok:   true,
			goV:  "go1.27rc1 X:nodwarf5",
			want: Info{Module: "example.com/fork", Version: "(devel)", Commit: "0123456789abcdef0123456789abcdef01234567", Modified: true, Go: "1.27rc1"},
		},
		{
			name: "a clean checkout",
			bi: &debug.BuildInfo{
				Main:     debug.Module{Path: "github.com/promptsite/promptsite", Version: "v1.2.1-0.20260102030405-0123456789ab"},
				Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789ab"}, {Key: "vcs.modified", Value: "false"}},
			},
			ok:   true,
			goV:  "go1.26.8",
			want: Info{Module: "github.com/promptsite/promptsite", Version: "v1.2.1-0.20260102030405-0123456789ab", Commit: "0123456789ab", Go: "1.26.8"},
		},
		{
			name: "no module information",
			goV:  "go1.26.8",
			want: Info{Module: "github.com/promptsite/promptsite", Version: Devel, Go: "1.26.8"},
		},
		{
			name: "an empty main module",
			bi:   &debug.BuildInfo{},
			ok:   true,
			goV:  "go1.26.8",
			want: Info{Module: "github.com/promptsite/promptsite", Version: Devel, Go: "1.26.8"},
		},
	} {
		if got := fromBuildInfo(tt.bi, tt.ok, tt.goV); got != tt.want {
			t.Errorf("%s: fromBuildInfo = %+v; want %+v", tt.name, got, tt.want)
		}
	}
}

// TestCurrent reads the test binary's own build information. The machine
// may build without VCS stamps (-buildvcs=false), so the commit is not
// checked.
func TestCurrent(t *testing.T) {
	got := Current()
	if got.Module != "github.com/promptsite/promptsite" {
		t.Errorf("Module = %q; want github.com/promptsite/promptsite", got.Module)
	}
	if got.Version == "" {
		t.Error("Version is empty; want (devel) or a version")
	}
	if want := strings.TrimPrefix(strings.Fields(runtime.Version())[0], "go"); got.Go != want {
		t.Errorf("Go = %q; want %q", got.Go, want)
	}
}

func TestString(t *testing.T) {
	for _, tt := range []struct {
		in   Info
		want string
	}{
		{Info{Module: "github.com/promptsite/promptsite", Version: "v1.2.0", Go: "1.26.8"}, "github.com/promptsite/promptsite v1.2.0 go1.26.8"},
		{Info{Module: "github.com/promptsite/promptsite", Version: "(devel)", Commit: "abc123", Go: "1.26.8"}, "github.com/promptsite/promptsite (devel) commit abc123 go1.26.8"},
		{Info{Module: "github.com/promptsite/promptsite", Version: "(devel)", Commit: "abc123", Modified: true, Go: "1.26.8"}, "github.com/promptsite/promptsite (devel) commit abc123+modified go1.26.8"},
	} {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("%+v.String() = %q; want %q", tt.in, got, tt.want)
		}
	}
}
