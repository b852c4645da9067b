// Command promptsite publishes a team's prompt library, written in
// markdown, as a fast static website with search, copy buttons and links
// to every prompt.
//
// Usage:
//
//	promptsite build [-o DIR] [-base-url URL] [PATH ...]
//	promptsite serve [-addr 127.0.0.1:8080] [PATH ...]
//	promptsite check [PATH ...]
//	promptsite inspect [PATH ...]
//	promptsite search QUERY
//	promptsite show ANCHOR
//	promptsite config
//	promptsite init [DIR]
//	promptsite theme export DIR
//	promptsite version
//
// Every command reads promptsite.toml, found in the working folder or a
// folder above it; its flags override the file.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1 // the build, or whatever the command does, failed
	exitUsage = 2 // the command line is wrong
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	// The first Ctrl-C, SIGTERM or SIGHUP stops the command: a build stops
	// and leaves the previous site, a server shuts down. A second one
	// exits at once; what it leaves, the next build removes.
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		<-sigs
		cancel()
		s := <-sigs
		fmt.Fprintln(os.Stderr, "promptsite: stopped")
		if n, ok := s.(syscall.Signal); ok {
			os.Exit(128 + int(n))
		}
		os.Exit(exitError)
	}()
	code := Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	cancel()
	os.Exit(code)
}

// env is what a command runs with: where it writes, the working folder and
// the environment, so that tests can run commands in a temporary folder.
type env struct {
	ctx    context.Context
	stdout io.Writer
	stderr io.Writer
	dir    string                  // the working folder; "" for the process's own
	getenv func(key string) string // os.Getenv in the real command
}

// command is one subcommand.
type command struct {
	run     func(e *env, args []string) int
	summary string
}

var commands map[string]command

func init() {
	commands = map[string]command{
		"build":   {runBuild, "build the site into a folder"},
		"serve":   {runServe, "build and serve the site, rebuilding on every change"},
		"check":   {runCheck, "check that the site builds and anchors.lock is up to date, writing nothing"},
		"inspect": {runInspect, "print the library as promptsite reads it"},
		"search":  {runSearch, "print the prompts that best match a query"},
		"show":    {runShow, "print one prompt's text, ready to pipe to a clipboard tool"},
		"config":  {runConfig, "print the effective configuration and where each value comes from"},
		"init":    {runInit, "write a starter repository for a team's prompts"},
		"theme":   {runTheme, "theme export DIR: write the built-in theme, to start one of your own"},
		"version": {runVersion, "print promptsite's version"},
	}
}

// Run runs the promptsite command line and returns its exit status.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return (&env{ctx: ctx, stdout: stdout, stderr: stderr, getenv: os.Getenv}).run(args)
}

func (e *env) run(args []string) int {
	if len(args) == 0 {
		e.usage(e.stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		e.usage(e.stdout)
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "promptsite: unknown command %q\n", args[0])
		e.usage(e.stderr)
		return exitUsage
	}
	return cmd.run(e, args[1:])
}

func (e *env) usage(w io.Writer) {
	fmt.Fprintln(w, "promptsite publishes a markdown prompt library as a static website.")
	fmt.Fprintln(w, "\nUsage:\n  promptsite <command> [flags] [arguments]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun \"promptsite <command> -h\" for a command's flags.")
}

// newFlags returns a flag set for a command whose usage line is usage.
func (e *env) newFlags(name, usage, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: promptsite %s\n\n%s\n", usage, about)
		if hasFlags(fs) {
			fmt.Fprintln(w, "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// parse parses args, letting flags and arguments come in any order, and
// returns the arguments. It returns the exit status to end with when the
// command should not go on: -h, or a usage error.
func (e *env) parse(fs *flag.FlagSet, args []string) ([]string, int, bool) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.SetOutput(e.stdout)
				fs.Usage()
				return nil, exitOK, false
			}
			return nil, exitUsage, false
		}
		args = fs.Args()
		for len(args) > 0 && (args[0] == "-" || !strings.HasPrefix(args[0], "-")) {
			rest = append(rest, args[0])
			args = args[1:]
		}
		if len(args) == 0 {
			return rest, 0, true
		}
		if args[0] == "--" {
			return append(rest, args[1:]...), 0, true
		}
	}
}

// fail prints err and returns the exit status for a failed command.
func (e *env) fail(err error) int {
	fmt.Fprintf(e.stderr, "promptsite: %v\n", err)
	return exitError
}
