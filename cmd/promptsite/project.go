package main

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"

	"github.com/promptsite/promptsite/site/config"
	"github.com/promptsite/promptsite/site/project"
)

// configFlags are the flags that set a configuration key, by flag name.
var configFlags = map[string]string{
	"o":        "output",
	"base-url": "base_url",
	"content":  "content",
	"lang":     "language",
}

// addLangFlag adds the -lang flag, which sets the library's language.
func addLangFlag(fs *flag.FlagSet) {
	fs.String("lang", "", "the library's language, such as de or zh-CN: its pages' lang, their interface strings and the search's analysis (default: language in "+config.FileName+", or the language most of the content is written in)")
}

// addConfigFlag adds the -config flag, which every command that reads a
// project has.
func addConfigFlag(fs *flag.FlagSet) *string {
	return fs.String("config", "", "the configuration file (default: "+config.FileName+" in this folder or the nearest one above it)")
}

// loadConfig resolves the configuration from its file, the environment and
// the flags of fs that the user set; paths, when any, are the content.
// It returns the exit status to end with when it fails.
func (e *env) loadConfig(fs *flag.FlagSet, file string, paths []string) (*config.Config, int, error) {
	var flags []config.Flag
	fs.Visit(func(f *flag.Flag) {
		if key, ok := configFlags[f.Name]; ok {
			flags = append(flags, config.Flag{Key: key, Name: "-" + f.Name, Value: f.Value.String()})
		}
	})
	if len(paths) > 0 {
		flags = append(flags, config.Flag{Key: "content", Name: "arguments", Values: paths})
	}
	cfg, err := config.Load(config.Options{WorkDir: e.workDir(), File: file, Flags: flags, Getenv: e.getenv})
	if err != nil {
		if errors.Is(err, config.ErrUsage) {
			return nil, exitUsage, err
		}
		return nil, exitError, err
	}
	return cfg, exitOK, nil
}

// open opens the project that the command line describes.
func (e *env) open(fs *flag.FlagSet, file string, paths []string, demo bool) (*project.Project, int, error) {
	cfg, code, err := e.loadConfig(fs, file, paths)
	if err != nil {
		return nil, code, err
	}
	p, err := project.Open(cfg, project.Options{Demo: demo, WorkDir: e.workDir()})
	if err != nil {
		return nil, exitError, err
	}
	return p, exitOK, nil
}

// workDir returns the working folder.
func (e *env) workDir() string {
	if e.dir != "" {
		return e.dir
	}
	wd, _ := os.Getwd()
	return wd
}

// display returns p relative to the working folder when it is inside it.
func (e *env) display(p string) string {
	if r, err := filepath.Rel(e.workDir(), p); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return p
}

// path resolves p against the working folder.
func (e *env) path(p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(e.workDir(), p)
}

// failWith prints err and returns code.
func (e *env) failWith(code int, err error) int {
	e.fail(err)
	return code
}
