package main

func runServe(e *env, args []string) int {
	fs := e.newFlags("serve", "serve [-addr 127.0.0.1:8080] [PATH ...]",
		"Serve builds the site and serves it, rebuilding and reloading open pages on every change.")
	fs.String("addr", "127.0.0.1:8080", "the address to listen on")
	if _, code, ok := e.parse(fs, args); !ok {
		return code
	}
	return exitOK
}
