package scan

import (
	"path"
	"slices"
	"strings"

	"github.com/keywarden/keywarden/internal/textsafe"
)

// format is what kind of text a file holds, as its name tells: it decides
// whether an unquoted value is a literal (.env, YAML) or a variable (code),
// and which files may be Kubernetes manifests.
type format int

const (
	fmtOther format = iota // documents, unknown names: values may be bare
	fmtEnv
	fmtYAML
	fmtJSON
	fmtINI
	fmtCode
)

func formatOf(p string) format {
	base := strings.ToLower(path.Base(p))
	ext := path.Ext(base)
	switch {
	case base == ".env" || strings.HasPrefix(base, ".env.") || ext == ".env":
		return fmtEnv
	case ext == ".yml" || ext == ".yaml":
		return fmtYAML
	case ext == ".json":
		return fmtJSON
	case ext == ".toml" || ext == ".ini" || ext == ".cfg" || ext == ".conf" || ext == ".properties" || ext == ".sh" || ext == ".bash":
		return fmtINI
	}
	switch ext {
	case ".go", ".py", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".rs", ".java", ".kt", ".scala", ".rb", ".php", ".c", ".h",
		".cc", ".cpp", ".hpp", ".cs", ".swift", ".m", ".dart", ".lua", ".pl", ".r", ".jl", ".ex", ".exs", ".erl", ".hs", ".clj", ".vue", ".svelte":
		return fmtCode
	}
	return fmtOther
}

// unquoted reports whether a bare value is a literal in the format.
func (f format) unquoted() bool { return f != fmtCode && f != fmtJSON }

// A path is a test fixture's when one of its folders, or the file's
// name, is made of a word that says test: "testdata", "testonly",
// "testutils", "functest", "e2e", "fixtures", "mocks", "fuzz",
// "integration", "fake" ("gcs-fake-service-account.json", "testkey.pem",
// "cosign-test.key"), or the file is a test by its language's convention
// ("x_test.go", "test_x.py", "x.spec.ts"). Words are split at non-letters
// and at case changes. "testnet" is a network a bot trades on, not a test.
var (
	fixturePrefixes = []string{"test", "mock", "fake", "fixture", "fuzz", "e2e"}
	fixtureWords    = []string{"functest", "unittest", "unittests", "integration", "__tests__", "spec", "specs"}
)

// belowDefault says why keys found at a path are reported below the
// default level ("" if they are not): it is a test fixture, or another
// project's published code (a dependency).
func belowDefault(p string) string {
	if r := fixtureReason(p); r != "" {
		return "in a test fixture (" + r + ")"
	}
	if r := dependencyReason(p); r != "" {
		return "in a dependency (" + r + "), published by its authors"
	}
	return ""
}

// dependencyDirs hold other projects' code as their package managers
// fetch it.
var dependencyDirs = []string{"node_modules", "bower_components", "site-packages", "dist-packages", "vendor"}

// dependencyReason says why a path is in a dependency, "" if it is not: a
// folder of a package manager's, or a Go module cache's module@version.
func dependencyReason(p string) string {
	parts := strings.Split(p, "/")
	for _, dir := range parts[:len(parts)-1] {
		if slices.Contains(dependencyDirs, dir) {
			return "under " + dir + "/"
		}
		if at := strings.LastIndex(dir, "@v"); at > 0 && at+2 < len(dir) && dir[at+2] >= '0' && dir[at+2] <= '9' {
			return "the Go module " + cleanPath(dir)
		}
	}
	return ""
}

// fixtureReason says why a path is a test fixture, "" if it is not.
func fixtureReason(p string) string {
	parts := strings.Split(p, "/")
	base := parts[len(parts)-1]
	for _, dir := range parts[:len(parts)-1] {
		if fixtureName(dir, true) {
			return "under " + cleanPath(dir) + "/"
		}
	}
	lb := strings.ToLower(base)
	for _, part := range strings.Split(lb, ".")[:max(1, strings.Count(lb, "."))] {
		if strings.HasSuffix(part, "_test") || strings.HasPrefix(part, "test_") || strings.HasSuffix(part, "_spec") {
			return "a test file"
		}
	}
	stem := strings.TrimSuffix(lb, path.Ext(lb))
	switch {
	case strings.HasSuffix(stem, ".test"), strings.HasSuffix(stem, ".spec"), lb == "conftest.py",
		strings.HasSuffix(stem, "test") && strings.HasSuffix(lb, ".java"), strings.HasSuffix(stem, "tests") && strings.HasSuffix(lb, ".cs"):
		return "a test file"
	case fixtureName(strings.TrimSuffix(base, path.Ext(base)), false):
		return "a test file"
	}
	return ""
}

// fixtureName reports whether a folder or file name is made of a word
// that says test. Whole words like "spec" count for folders only.
func fixtureName(name string, dir bool) bool {
	for _, w := range words(name) {
		for _, pre := range fixturePrefixes {
			if strings.HasPrefix(w, pre) && !strings.HasPrefix(w, "testnet") {
				return true
			}
		}
		if dir && slices.Contains(fixtureWords, w) || !dir && w == "integration" {
			return true
		}
	}
	return dir && slices.Contains(fixtureWords, strings.ToLower(name))
}

// words splits a name at non-letters and at a lower-to-upper case change,
// in lower case: "testKeys-v2" → test, keys, v2.
func words(name string) []string {
	var out []string
	start := -1
	for i := 0; i <= len(name); i++ {
		c := byte(0)
		if i < len(name) {
			c = name[i]
		}
		alnum := isLetter(c) || c >= '0' && c <= '9'
		split := !alnum || i > 0 && start >= 0 && c >= 'A' && c <= 'Z' && name[i-1] >= 'a' && name[i-1] <= 'z'
		if split && start >= 0 {
			out = append(out, strings.ToLower(name[start:i]))
			start = -1
		}
		if alnum && start < 0 {
			start = i
		}
	}
	return out
}

// maxPath is how much of a path is kept: enough for any real one.
const maxPath = 1024

// cleanPath makes a file name found by the scan safe to show: names come
// from outside (a cloned repository may hold any bytes in them), so
// escape sequences, controls and bidi characters go before any output.
func cleanPath(p string) string { return textsafe.Clean(p, maxPath) }
