// Package chromium starts Chromium for the browser tests: headless, as
// root, and with the flags it needs on a machine with no way out to the
// internet, where it would otherwise stall on its background requests.
package chromium

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"

	"github.com/chromedp/chromedp"
)

// tries is how many times Start starts Chromium: on a busy machine it
// now and then exits as it starts.
const tries = 3

// Start starts the Chromium at exe, with extra options, and returns its
// context and the function that closes it. Each try has a profile of its
// own under dir; logf, when not nil, is told of the tries that failed.
func Start(exe, dir string, logf func(format string, args ...any), extra ...chromedp.ExecAllocatorOption) (ctx context.Context, stop func(), err error) {
	for try := 1; ; try++ {
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(exe),
			chromedp.Headless,
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.NoFirstRun,
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.UserDataDir(filepath.Join(dir, "profile"+strconv.Itoa(try))),
		)
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(opts, extra...)...)
		bctx, cancelBrowser := chromedp.NewContext(actx)
		// Closing the browser first lets the allocator wait for it.
		stop = func() {
			cancelBrowser()
			cancelAlloc()
		}
		if err = chromedp.Do(bctx); err == nil {
			return bctx, stop, nil
		}
		stop()
		if try == tries {
			return nil, nil, fmt.Errorf("start %s: %w", exe, err)
		}
		if logf != nil {
			logf("start %s, try %d of %d: %v", exe, try, tries, err)
		}
	}
}
