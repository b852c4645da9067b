package markdown

import (
	"testing"

	"github.com/promptsite/promptsite/site/highlight"
	"github.com/promptsite/promptsite/site/sanitize"
)

// benchPrompt is a prompt as a library holds one: a few lines of
// introduction, a table, a highlighted code block and a list.
const benchPrompt = "# Library\n\n## Testing\n\n### Write async tests\n\n" +
	"Use this when a coroutine needs tests that cover **timeouts**, cancellation and\n" +
	"retries. It works with `pytest-asyncio` 1.0 and later; see [fixtures](fixtures.md#loop).\n\n" +
	"| Case | What to assert | Marker |\n|:-----|:---------------|:------:|\n" +
	"| Success | the value returned | `asyncio` |\n| Timeout | `TimeoutError` is raised | `asyncio` |\n" +
	"| Cancelled | `CancelledError` propagates | `asyncio` |\n| Retry | three calls, then success | `asyncio` |\n\n" +
	"```python\nimport asyncio\nimport pytest\n\n\n@pytest.mark.asyncio\nasync def test_fetch_times_out(client):\n" +
	"    \"\"\"A slow server makes fetch raise TimeoutError.\"\"\"\n    with pytest.raises(TimeoutError):\n" +
	"        async with asyncio.timeout(0.1):\n            await client.fetch('https://example.com/slow')\n" +
	"```\n\n- Keep each test under a second.\n- Don't share a client between tests.\n"

// BenchmarkSanitize sanitises a rendered prompt of about 2 KB: as promptsite
// renders it ("own"), which comes back as it went in, and with an author's
// raw HTML in it ("raw"), some of which has to go.
func BenchmarkSanitize(b *testing.B) {
	d, err := parse(New(highlight.Highlighter{}), "bench.md", []byte(benchPrompt), false)
	if err != nil {
		b.Fatal(err)
	}
	own := []byte(d.Categories[0].Prompts[0].Body)
	raw := append([]byte(`<p align="center"><img src="flow.png" alt="Flow" width="400" onerror="alert(1)"></p>`+
		`<details><summary>Why <kbd>Ctrl</kbd>+<kbd>C</kbd>?</summary>`), own...)
	raw = append(raw, "</details>"...)
	for _, bm := range []struct {
		name string
		in   []byte
	}{{"own", own}, {"raw", raw}} {
		b.Run(bm.name, func(b *testing.B) {
			b.SetBytes(int64(len(bm.in)))
			b.ReportAllocs()
			for b.Loop() {
				sanitize.HTML(bm.in)
			}
		})
	}
}
