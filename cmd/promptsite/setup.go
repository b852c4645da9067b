package main

import (
	"fmt"
	"path/filepath"

	"github.com/promptsite/promptsite"
	"github.com/promptsite/promptsite/site"
	"github.com/promptsite/promptsite/site/config"
	"github.com/promptsite/promptsite/site/project"
	"github.com/promptsite/promptsite/site/scaffold"
	"github.com/promptsite/promptsite/site/theme"
	"github.com/promptsite/promptsite/site/version"
)

// runConfig prints the effective configuration, each value with where it
// came from, and the files of the theme folder.
func runConfig(e *env, args []string) int {
	fs := e.newFlags("config", "config",
		"Config prints the effective configuration: each key, its value, and where the value came\n"+
			"from (the file and line, a flag, an environment variable, or the default).")
	fs.String("base-url", "", "the site's address")
	fs.String("o", "", "the output folder")
	file := addConfigFlag(fs)
	paths, code, ok := e.parse(fs, args)
	if !ok {
		return code
	}
	cfg, code, err := e.loadConfig(fs, *file, paths)
	if err != nil {
		return e.failWith(code, err)
	}
	if err := cfg.Write(e.stdout); err != nil {
		return e.fail(err)
	}
	if cfg.Theme != "" {
		files, err := theme.Files(cfg.Theme, promptsite.Templates(), promptsite.Assets())
		if err != nil {
			return e.fail(err)
		}
		fmt.Fprintf(e.stdout, "\n# the theme folder %s:\n", e.display(cfg.Theme))
		if len(files) == 0 {
			fmt.Fprintln(e.stdout, "#   no templates/ or assets/ files: the built-in theme is used as it is")
		}
		for _, f := range files {
			what := "adds a file"
			if f.Replaces {
				what = "replaces the built-in file"
			}
			fmt.Fprintf(e.stdout, "#   %s %s\n", f.Name, what)
		}
	}
	return exitOK
}

// runInit writes a starter repository.
func runInit(e *env, args []string) int {
	fs := e.newFlags("init", "init [DIR]",
		"Init writes a starter repository for a team's prompts into DIR (default: this folder):\n"+
			"promptsite.toml, an example library in content/, .gitignore, netlify.toml and a GitHub\n"+
			"Actions workflow that checks pull requests and publishes to GitHub Pages. It writes\n"+
			"nothing if any of those files is there already.")
	rest, code, ok := e.parse(fs, args)
	if !ok {
		return code
	}
	if len(rest) > 1 {
		fmt.Fprintln(e.stderr, "promptsite init: give at most one folder")
		fs.Usage()
		return exitUsage
	}
	dir := e.workDir()
	if len(rest) == 1 {
		dir = e.path(rest[0])
	}
	wrote, err := scaffold.Write(dir, version.Current())
	if err != nil {
		return e.fail(err)
	}
	for _, w := range wrote {
		fmt.Fprintf(e.stdout, "wrote %s\n", e.display(filepath.Join(dir, w)))
	}
	// The example's addresses are recorded now, so that the first pull
	// request's promptsite check finds the lock up to date.
	lock, err := writeLock(dir)
	if err != nil {
		return e.fail(err)
	}
	fmt.Fprintf(e.stdout, "wrote %s\n", e.display(lock))
	fmt.Fprintf(e.stdout, "\nNext: cd %s; promptsite serve to see the site at http://127.0.0.1:8080,\n"+
		"edit content/prompts.md, then promptsite build, and commit content/anchors.lock with the content.\n", e.display(dir))
	return exitOK
}

// runTheme writes the built-in theme into a folder.
func runTheme(e *env, args []string) int {
	fs := e.newFlags("theme", "theme export DIR",
		"Theme export writes the built-in templates and assets into DIR/templates and DIR/assets, to\n"+
			"start a theme of your own from: set theme = \"DIR\" in promptsite.toml, and keep only the\n"+
			"files you change. It writes nothing if one of the files is there already.")
	rest, code, ok := e.parse(fs, args)
	if !ok {
		return code
	}
	if len(rest) != 2 || rest[0] != "export" {
		fmt.Fprintln(e.stderr, "promptsite theme: usage: promptsite theme export DIR")
		fs.Usage()
		return exitUsage
	}
	wrote, err := theme.Export(e.path(rest[1]), promptsite.Templates(), promptsite.Assets())
	if err != nil {
		return e.fail(err)
	}
	fmt.Fprintf(e.stdout, "wrote %d files into %s; set theme = %q in promptsite.toml\n", len(wrote), e.display(e.path(rest[1])), rest[1])
	return exitOK
}

// runVersion prints the version.
func runVersion(e *env, args []string) int {
	fs := e.newFlags("version", "version", "Version prints promptsite's module version, commit and Go version.")
	if _, code, ok := e.parse(fs, args); !ok {
		return code
	}
	fmt.Fprintln(e.stdout, "promptsite "+version.Current().String())
	return exitOK
}

// writeLock builds the project in dir in memory and writes its
// anchors.lock, returning its path.
func writeLock(dir string) (string, error) {
	cfg, err := config.Load(config.Options{WorkDir: dir})
	if err != nil {
		return "", err
	}
	p, err := project.Open(cfg, project.Options{WorkDir: dir})
	if err != nil {
		return "", err
	}
	sc, err := p.Site()
	if err != nil {
		return "", err
	}
	if sc.Lock, err = p.Lock(""); err != nil {
		return "", err
	}
	res, err := site.Build(sc)
	if err != nil {
		return "", err
	}
	return sc.Lock.Path, res.Anchors.Write(sc.Lock.Path)
}
