package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// finding is a tool's finding, reduced to where it is: a commit (for the
// history), a path, the lines it spans and, on one line, the columns
// (0: unknown).
type finding struct {
	commit, path         string
	line, last, col, end int
	what                 string
}

// result is one run of a tool.
type result struct {
	took     time.Duration
	findings []finding
}

// runKeywarden runs `keywarden scan --json` on the repository, with an
// empty keyring folder (key-shaped strings only).
func runKeywarden(bin, dir string, history bool) (result, error) {
	kr, err := os.MkdirTemp("", "kw-bench-keyring-")
	if err != nil {
		return result{}, err
	}
	defer os.RemoveAll(kr)
	args := []string{"scan", dir, "--json"}
	if !history {
		args = append(args, "--no-history")
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "KEYWARDEN_DIR="+kr, "KEYWARDEN_PASSPHRASE=")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	err = cmd.Run()
	took := time.Since(start)
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) { // 1: findings
		return result{}, fmt.Errorf("keywarden scan: %v: %s", err, errOut.String())
	}
	var doc struct {
		Findings []struct {
			Path, Commit, What string
			Line, Column       int
		}
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		return result{}, fmt.Errorf("keywarden scan --json: %w", err)
	}
	res := result{took: took}
	for _, f := range doc.Findings {
		res.findings = append(res.findings, finding{commit: f.Commit, path: f.Path, line: f.Line, last: f.Line, col: f.Column, what: f.What})
	}
	return res, nil
}

// runGitleaks runs `gitleaks git` on the repository (every commit), with
// its default rules, secrets redacted in its report.
func runGitleaks(bin, dir string, history bool) (result, error) {
	rep := filepath.Join(dir, ".git", "gitleaks-report.json")
	defer os.Remove(rep)
	mode := "git"
	if !history {
		mode = "dir"
	}
	cmd := exec.Command(bin, mode, dir, "--no-banner", "--redact", "--exit-code", "0", "--log-level", "error", "--report-format", "json", "--report-path", rep)
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	if err != nil {
		return result{}, fmt.Errorf("gitleaks %s: %v: %s", mode, err, errOut.String())
	}
	b, err := os.ReadFile(rep)
	if err != nil {
		return result{}, err
	}
	var fs []struct {
		RuleID, File, Commit   string
		StartLine, StartColumn int
		EndLine, EndColumn     int
	}
	if err := json.Unmarshal(b, &fs); err != nil {
		return result{}, fmt.Errorf("gitleaks report: %w", err)
	}
	res := result{took: took}
	for _, f := range fs {
		// `gitleaks dir` gives the folder's path too.
		path := filepath.ToSlash(f.File)
		for _, pre := range []string{filepath.ToSlash(dir) + "/", strings.TrimPrefix(filepath.ToSlash(dir), "/") + "/"} {
			path = strings.TrimPrefix(path, pre)
		}
		res.findings = append(res.findings, finding{commit: f.Commit, path: path, line: f.StartLine, last: max(f.StartLine, f.EndLine),
			col: f.StartColumn, end: f.EndColumn, what: f.RuleID})
	}
	return res, nil
}

// score matches findings to planted values: a planted value is found when
// a finding spans its line (in the commit that added it, for the history;
// in the working tree otherwise) and, for a finding on one line that gives
// columns, they overlap the value's (with a byte of slack: gitleaks counts
// its columns one off). A finding over several lines (gitleaks's
// Kubernetes rule reports a whole data block) finds every value in it. A
// finding that matches no planted value is a false positive.
type score struct {
	found          []bool // per planted value
	falsePositives []finding
}

func match(planted []plant, fs []finding, history bool) score {
	sc := score{found: make([]bool, len(planted))}
	for _, f := range fs {
		hit := false
		for i, p := range planted {
			if f.path != p.Path || p.Line < f.line || p.Line > f.last || history && f.commit != p.commit {
				continue
			}
			if f.line == f.last && f.col > 0 && !overlaps(f, p) {
				continue
			}
			sc.found[i], hit = true, true
		}
		if !hit {
			sc.falsePositives = append(sc.falsePositives, f)
		}
	}
	return sc
}

func overlaps(f finding, p plant) bool {
	end := max(f.end, f.col)
	return f.col-1 <= p.Column+p.Width && p.Column <= end+1
}

func (s score) recall() int {
	n := 0
	for _, f := range s.found {
		if f {
			n++
		}
	}
	return n
}

// byGroup counts found and planted per group (a field, a format).
func byGroup(planted []plant, s score, group func(plant) string) (keys []string, found, total map[string]int) {
	found, total = map[string]int{}, map[string]int{}
	for i, p := range planted {
		g := group(p)
		if total[g] == 0 {
			keys = append(keys, g)
		}
		total[g]++
		if s.found[i] {
			found[g]++
		}
	}
	slices.Sort(keys)
	return keys, found, total
}
