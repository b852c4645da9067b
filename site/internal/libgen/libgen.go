// Package libgen writes made-up prompt libraries of any size, shaped like
// the built-in one, for benchmarks and scale tests.
package libgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// PromptsPerCategory is how many prompts a generated category holds.
const PromptsPerCategory = 25

// words that prompts about async Python use, drawn most often.
var common = strings.Fields(`async await task taskgroup gather timeout retry backoff jitter
semaphore rate limit queue worker consumer producer pool connection client session
httpx aiohttp asyncpg aiosqlite fastapi django pytest mock fixture cancel cancellation
exception error handling log metric trace request response stream generator iterator
context manager lock event loop thread executor batch cache pagination page cursor
webhook schedule cron deadline shutdown startup health check circuit breaker
database transaction migration schema index query redis kafka socket websocket
upload download file parse validate serialize json yaml config secret token auth`)

var verbs = strings.Fields(`Write Create Convert Add Design Refactor Optimize Review Test Debug
Explain Migrate Implement Build Handle Profile Document Harden Simplify Replace`)

// syllables make rarer, made-up words, so that the vocabulary grows with
// the library as a real one does.
var syllables = strings.Fields(`ka lo mi ne ru sa ti vo ze pa qui rel dor fen gal hox jun
lev mor nix pol quar sten tor ulm vex wyn xar yol zim bre cra dro`)

// Library returns the markdown of a library with n prompts in categories of
// PromptsPerCategory, the same for the same n and seed.
func Library(n int, seed uint64) []byte { return LibraryOf(n, PromptsPerCategory, seed) }

// LibraryOf returns the markdown of a library with n prompts in categories
// of perCategory, as Library does: a perCategory of n or more makes one
// category of them all.
func LibraryOf(n, perCategory int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, uint64(n)))
	var b strings.Builder
	b.Grow(n * 520)
	b.WriteString("# Generated Prompt Library\n\nA library made up for benchmarks, shaped like a real one.\n\n---\n\n")
	for i := 0; i < n; i++ {
		if i%perCategory == 0 {
			fmt.Fprintf(&b, "## %s %s Prompts %d\n\n", title(word(r)), title(word(r)), i/perCategory+1)
		}
		fmt.Fprintf(&b, "### %s %s %s %d\n\n", verbs[r.IntN(len(verbs))], title(word(r)), title(word(r)), i+1)
		if r.IntN(3) == 0 {
			fmt.Fprintf(&b, "Use this when the %s %s needs a %s.\n\n", word(r), word(r), word(r))
		}
		b.WriteString("```\n")
		fmt.Fprintf(&b, "%s a %s %s for %s %s:\n", verbs[r.IntN(len(verbs))], word(r), word(r), word(r), word(r))
		for j := 0; j < 4+r.IntN(4); j++ {
			fmt.Fprintf(&b, "- %s %s %s %s %s\n", title(word(r)), word(r), word(r), word(r), word(r))
		}
		if r.IntN(2) == 0 {
			b.WriteString("\n[paste your code here]\n")
		}
		b.WriteString("```\n\n")
	}
	return []byte(b.String())
}

// word draws a word: a common one most of the time, else a made-up one.
func word(r *rand.Rand) string {
	if r.IntN(5) > 0 {
		return common[r.IntN(len(common))]
	}
	var w strings.Builder
	for k := 0; k < 2+r.IntN(2); k++ {
		w.WriteString(syllables[r.IntN(len(syllables))])
	}
	return w.String()
}

func title(s string) string { return strings.ToUpper(s[:1]) + s[1:] }
