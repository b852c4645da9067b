//go:build race

package devserver

// The race detector slows the build several times over, which says nothing
// of how fast it is without.
func init() { raceEnabled = true }
