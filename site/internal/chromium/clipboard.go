package chromium

import (
	"context"
	"fmt"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// AllowClipboard lets the pages of origin, such as "http://127.0.0.1:8080",
// read and write the clipboard without asking, as a reader lets a site by
// accepting its prompt. ctx is the browser's (see Start).
func AllowClipboard(ctx context.Context, origin string) error {
	if _, err := chromedp.CallBrowser(ctx, grantPermissions, grantPermissionsParams{
		Permissions: []browser.PermissionType{browser.PermissionTypeClipboardReadWrite, browser.PermissionTypeClipboardSanitizedWrite},
		Origin:      origin,
	}); err != nil {
		return fmt.Errorf("grant clipboard permissions to %s: %w", origin, err)
	}
	return nil
}

// grantPermissions is the protocol's Browser.grantPermissions, which cdproto
// no longer generates (the protocol marks it deprecated in favour of
// Browser.setPermission) but which chromium still serves.
var grantPermissions = cdp.Command[grantPermissionsParams, cdp.Empty]{Method: "Browser.grantPermissions"}

type grantPermissionsParams struct {
	Permissions []browser.PermissionType `json:"permissions"`
	Origin      string                   `json:"origin,omitempty"`
}

// Focused makes a tab behave as the focused one, which a headless browser
// has none of: the clipboard refuses a page that is not focused.
func Focused() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
		return err
	})
}
