// Package version says which build of promptsite is running.
package version

import (
	"runtime"
	"runtime/debug"
	"strings"
)

// Info describes the running build of promptsite, as the Go toolchain
// recorded it in the binary.
type Info struct {
	// Module is the main module's path, such as
	// github.com/promptsite/promptsite.
	Module string
	// Version is the module's version, such as v1.2.0; "(devel)" for a
	// binary built from a checkout rather than installed at a version.
	Version string
	// Commit is the revision the binary was built from; empty when the
	// toolchain did not record it (go install at a version, or a build with
	// -buildvcs=false).
	Commit string
	// Modified reports that the checkout had changes not committed.
	Modified bool
	// Go is the version of Go the binary was built with, such as 1.26.8.
	Go string
}

// Devel is the version Go records for a binary built from a checkout.
const Devel = "(devel)"

// module is the path promptsite's binary is installed from, for the rare
// binary that carries no module information.
const module = "github.com/promptsite/promptsite"

// Current returns the Info of the running binary.
func Current() Info {
	bi, ok := debug.ReadBuildInfo()
	return fromBuildInfo(bi, ok, runtime.Version())
}

func fromBuildInfo(bi *debug.BuildInfo, ok bool, goVersion string) Info {
	i := Info{Module: module, Version: Devel, Go: trimGo(goVersion)}
	if !ok || bi == nil {
		return i
	}
	if bi.Main.Path != "" {
		i.Module = bi.Main.Path
	}
	if bi.Main.Version != "" {
		i.Version = bi.Main.Version
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			i.Commit = s.Value
		case "vcs.modified":
			i.Modified = s.Value == "true"
		}
	}
	return i
}

// trimGo turns runtime.Version's "go1.26.8" into "1.26.8". A toolchain
// with experiments says "go1.26.8 X:…"; only the version is kept.
func trimGo(v string) string {
	if f := strings.Fields(v); len(f) > 0 {
		v = f[0]
	}
	return strings.TrimPrefix(v, "go")
}

// String formats i on one line, as `promptsite version` prints it:
// module, version, commit (with "+modified" when the checkout had
// changes) and Go version.
func (i Info) String() string {
	var b strings.Builder
	b.WriteString(i.Module)
	b.WriteString(" ")
	b.WriteString(i.Version)
	if i.Commit != "" {
		b.WriteString(" commit ")
		b.WriteString(i.Commit)
		if i.Modified {
			b.WriteString("+modified")
		}
	}
	b.WriteString(" go")
	b.WriteString(i.Go)
	return b.String()
}
