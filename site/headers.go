package site

// ContentSecurityPolicy is the policy the site is built to hold: scripts and
// styles come only from the site's own files, never inline. Images may come
// from other sites over https, as a library's badges and logos do. netlify.toml
// sends it, and so does the dev server, so that a page that breaks it fails
// in development and in tests, not only in production.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// Headers are the response headers every page is served with.
var Headers = map[string]string{
	"Content-Security-Policy": ContentSecurityPolicy,
	"X-Content-Type-Options":  "nosniff",
	"Referrer-Policy":         "strict-origin-when-cross-origin",
}
