// Package e2e tests the built site in a real browser: Debian's chromium,
// driven with chromedp, against the seed library served from a plain static
// file server. The package has no code of its own; see its tests.
package e2e
