package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// pagefindVersion is the Pagefind release the comparison pins.
const pagefindVersion = "1.6.0"

// tools are the programs a comparison runs.
type tools struct {
	promptsite, hugo, pagefind, chromium string
	modDir                               string // the module promptsite was built from, if built here
}

// findHugo returns the hugo on PATH, or says how to install it.
func findHugo(flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	if p, err := exec.LookPath("hugo"); err == nil {
		return p, nil
	}
	return "", errors.New("hugo is not installed: install it with `sudo apt-get install hugo` (Debian, Ubuntu), " +
		"or see https://gohugo.io/installation/; or pass -hugo PATH")
}

// findPagefind returns Pagefind's own binary, installing the pinned npm
// package into the cache folder when it is not there yet. It runs the
// binary that the npm package wraps, so that Node's start-up is not
// charged to Pagefind.
func findPagefind(flag, cache string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	dir := filepath.Join(cache, "pagefind-"+pagefindVersion)
	bin, err := pagefindBinary(dir)
	if err == nil {
		return bin, nil
	}
	npm, lerr := exec.LookPath("npm")
	if lerr != nil {
		return "", fmt.Errorf("pagefind is not installed and npm is missing: install Node.js and npm (`sudo apt-get install npm`), "+
			"then run `npm install --prefix %s pagefind@%s`; or pass -pagefind PATH", dir, pagefindVersion)
	}
	fmt.Fprintf(os.Stderr, "installing pagefind@%s into %s\n", pagefindVersion, dir)
	cmd := exec.Command(npm, "install", "--no-audit", "--no-fund", "--prefix", dir, "pagefind@"+pagefindVersion)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("npm install pagefind@%s: %w; install it by hand with `npm install --prefix %s pagefind@%s`, or pass -pagefind PATH",
			pagefindVersion, err, dir, pagefindVersion)
	}
	return pagefindBinary(dir)
}

// pagefindBinary finds the platform binary in an npm install of Pagefind:
// the optional dependency @pagefind/<os>-<arch>.
func pagefindBinary(dir string) (string, error) {
	matches, _ := filepath.Glob(filepath.Join(dir, "node_modules", "@pagefind", "*", "bin", "pagefind*"))
	var plain string
	for _, m := range matches {
		if strings.HasSuffix(m, ".sha256") {
			continue
		}
		if filepath.Base(m) == "pagefind_extended" {
			return m, nil
		}
		plain = m
	}
	if plain == "" {
		return "", fmt.Errorf("no Pagefind binary under %s", dir)
	}
	return plain, nil
}

// findChromium returns a Chromium or Chrome to run headless.
func findChromium(flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no Chromium found: install it with `sudo apt-get install chromium`, or pass -chromium PATH (or -no-browser to skip the search measurement)")
}

// buildPromptsite compiles ./cmd/promptsite into dir, so that the
// measurement times promptsite and not the go tool.
func buildPromptsite(flag, dir string) (bin, modDir string, err error) {
	if flag != "" {
		return flag, "", nil
	}
	out, err := exec.Command("go", "env", "GOMOD").Output()
	mod := strings.TrimSpace(string(out))
	if err != nil || mod == "" || mod == os.DevNull {
		return "", "", errors.New("run the bench inside the promptsite module (go run ./site/bench), or pass -promptsite PATH")
	}
	bin, modDir = filepath.Join(dir, "promptsite"), filepath.Dir(mod)
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/promptsite")
	cmd.Dir = modDir
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", "", fmt.Errorf("go build ./cmd/promptsite: %w", err)
	}
	return bin, modDir, nil
}
