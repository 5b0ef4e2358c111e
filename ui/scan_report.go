package ui

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/all"
	"github.com/keywarden/keywarden/scan"
)

// WriteScan prints the findings, most serious first within each place.
func WriteScan(w io.Writer, path string, res scan.Result, nStored int, noHistory bool) {
	what := fmt.Sprintf("the stored keys of %d profile(s) and key-shaped strings", nStored)
	if nStored == 0 {
		what = "key-shaped strings only"
	}
	hist := "no git history"
	switch {
	case res.Repo != "" && noHistory:
		hist = "git history not scanned (--no-history)"
	case res.Repo != "":
		hist = fmt.Sprintf("git history of %s: %d commits, %d distinct file contents", res.Repo, res.Commits, res.Blobs)
	}
	fmt.Fprintf(w, "Scanned %s: %d files; %s; looked for %s.\n", path, res.Files, hist, what)
	for _, n := range res.Notes {
		fmt.Fprintln(w, "note: "+n)
	}
	if len(res.Findings) == 0 {
		fmt.Fprintln(w, "\nNo leaked keys found.")
		return
	}
	fmt.Fprintln(w)
	writeFindings(w, res.Findings)
	fmt.Fprintf(w, "\n%d findings (%s). No value is shown.\n", len(res.Findings), severityCounts(res.Findings))
}

// writeFindings lists findings: severity, place, what, fingerprint.
func writeFindings(w io.Writer, fs []scan.Finding) {
	for _, f := range fs {
		where := f.Path
		if f.Line > 0 {
			where += fmt.Sprintf(":%d", f.Line)
		}
		if f.Commit != "" {
			where = fmt.Sprintf("commit %.12s (%s) %s", f.Commit, f.Date, where)
		} else if f.Git != "" && f.Git != scan.GitStaged {
			where += " [" + f.Git + "]"
		}
		fmt.Fprintf(w, "  %-6s  %s\n          %s\n", strings.ToUpper(f.Severity.String()), where, f.What)
		if f.Fingerprint != "" {
			fmt.Fprintf(w, "          fingerprint %s\n", f.Fingerprint)
		}
	}
}

func severityCounts(fs []scan.Finding) string {
	count := map[scan.Severity]int{}
	for _, f := range fs {
		count[f.Severity]++
	}
	var parts []string
	for _, s := range []scan.Severity{scan.High, scan.Medium, scan.Low, scan.Info} {
		if count[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", count[s], s))
		}
	}
	return strings.Join(parts, ", ")
}

// WriteStaged is what the pre-commit hook shows: one line when the staged
// files are clean; otherwise the findings (file, line, what, never the
// value) and the exact ways out. importable tells whether `keywarden
// import` reads a file.
func WriteStaged(w io.Writer, res scan.Result, nStored int, importable func(path string) bool) {
	what := fmt.Sprintf("the stored keys of %d profile(s) and key-shaped strings", nStored)
	if nStored == 0 {
		what = "key-shaped strings only"
	}
	if len(res.Findings) == 0 {
		fmt.Fprintf(w, "keywarden: no leaked keys in the %d staged files (looked for %s).\n", res.Files, what)
		for _, n := range res.Notes {
			fmt.Fprintln(w, "keywarden: note: "+n)
		}
		return
	}
	fmt.Fprintf(w, "keywarden: commit blocked: %d findings (%s) in what `git commit` would record.\n", len(res.Findings), severityCounts(res.Findings))
	fmt.Fprintf(w, "Scanned the %d staged files of %s for %s.\n", res.Files, res.Repo, what)
	for _, n := range res.Notes {
		fmt.Fprintln(w, "note: "+n)
	}
	fmt.Fprintln(w)
	writeFindings(w, res.Findings)
	fmt.Fprintln(w, "\nNothing was committed, and no value is shown. The way out:")
	var imp, other, exposed []string
	fp := ""
	for _, f := range res.Findings {
		switch {
		case importable(f.Path):
			imp = appendNew(imp, f.Path)
		case f.Kind == scan.KindExposed:
			exposed = appendNew(exposed, f.Path)
		default:
			other = appendNew(other, f.Path)
		}
		if fp == "" && f.Kind != scan.KindExposed {
			fp = f.Fingerprint
		}
	}
	if fp == "" {
		fp = res.Findings[0].Fingerprint
	}
	n := 1
	for _, p := range imp {
		q := shellQuote(p)
		fmt.Fprintf(w, "  %d. Move the key into keywarden, out of the file:  keywarden import %s\n", n, q)
		fmt.Fprintf(w, "     It checks the key, replaces it in the file by a placeholder, and prints the `keywarden exec` line\n")
		fmt.Fprintf(w, "     that gives the bot its key from now on. Then stage the cleaned file:  git add %s\n", q)
		fmt.Fprintf(w, "     (or keep the file out of git:  git rm --cached %s && echo %s >> .gitignore)\n", q, q)
		n++
	}
	for _, p := range other {
		fmt.Fprintf(w, "  %d. %s: take the value out, store the key with `keywarden setup` (or `keywarden add`), and have the\n", n, p)
		fmt.Fprintln(w, "     bot read it from its environment, started with:  keywarden exec NAME -- BOT")
		fmt.Fprintf(w, "     then stage the file again:  git add %s\n", shellQuote(p))
		n++
	}
	for _, p := range exposed {
		fmt.Fprintf(w, "  %d. Keep %s out of git:  git rm --cached %s && echo %s >> .gitignore\n", n, p, shellQuote(p), shellQuote(p))
		n++
	}
	fmt.Fprintf(w, "  %d. A false positive? Accept it in %s (one entry per finding, with the fingerprint shown\n", n, scan.AllowListFile)
	fmt.Fprintf(w, "     under it), then git add %s:\n", scan.AllowListFile)
	fmt.Fprintf(w, "       [[allow]]\n       fingerprint = %q\n       reason = \"why this is not a key\"\n", fp)
	fmt.Fprintln(w, "\nTo commit anyway, this once: git commit --no-verify (the key would then be in the history for good).")
}

func appendNew(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// ScanKey is what the remedy needs of a profile whose secret was found.
type ScanKey struct {
	Exchange, Fingerprint string
}

// WriteScanRemedy says what to do, in the order that matters: a leaked
// key must be dead before the history is cleaned, and replaced last.
// keys holds the profiles by name; inUse tells whether a file found in the
// history is still in the working tree.
func WriteScanRemedy(w io.Writer, fs []scan.Finding, keys map[string]ScanKey, inUse func(path string) bool) {
	leaked := map[string]bool{}
	unknown := map[string]bool{}
	inHistory, files := false, map[string]bool{}
	for _, f := range fs {
		switch {
		case f.Profile != "":
			leaked[f.Profile] = true
		case f.Exchange != "":
			unknown[f.Exchange] = true
		}
		if f.Commit != "" || f.Git == "tracked" {
			inHistory = true
			files[f.Path] = true
		}
	}
	fmt.Fprintln(w, "\nWhat to do, in this order:")
	fmt.Fprintln(w, "  1. Revoke the leaked keys on the exchange FIRST: a key that was on disk or in git must be taken as copied.")
	for _, name := range sortedKeys(leaked) {
		p := keys[name]
		ad, ok := all.Lookup(p.Exchange)
		if !ok {
			fmt.Fprintf(w, "     %s: delete key %s on %s\n", name, p.Fingerprint, p.Exchange)
			continue
		}
		info := ad.Info()
		fmt.Fprintf(w, "     %s (%s, key %s):\n", name, info.Name, p.Fingerprint)
		steps := info.Guide.Delete
		if len(steps) == 0 {
			steps = []string{"Open " + info.Name + "'s API management page and delete the key {fingerprint}."}
		}
		for _, s := range steps {
			fmt.Fprintln(w, "       - "+exchanges.Expand(s, map[string]string{"fingerprint": p.Fingerprint, "name": name}))
		}
	}
	for _, id := range sortedKeys(unknown) {
		name := id
		if ad, ok := all.Lookup(id); ok {
			name = ad.Info().Name
		}
		fmt.Fprintf(w, "     %s keys that keywarden does not hold: find them on %s's API management page and delete them.\n", name, name)
	}
	if len(leaked)+len(unknown) == 0 {
		fmt.Fprintln(w, "     each key or private key found: delete it where it was issued.")
	}
	if inHistory {
		fmt.Fprintln(w, "  2. Then rewrite the git history, so no commit holds the secret any more (git filter-repo):")
		var gone, kept []string
		for _, f := range sortedKeys(files) {
			if inUse(f) {
				kept = append(kept, f)
			} else {
				gone = append(gone, f)
			}
		}
		if len(gone) > 0 {
			fmt.Fprintln(w, "       files no longer in use: drop them from every commit")
			for _, f := range gone {
				fmt.Fprintf(w, "       git filter-repo --invert-paths --path %s\n", shellQuote(f))
			}
		}
		if len(kept) > 0 {
			fmt.Fprintf(w, "       files still in use (%s): replace the values in every commit, listing them one per line in a file\n", strings.Join(kept, ", "))
			fmt.Fprintln(w, "       git filter-repo --replace-text LEAKED.txt   (then delete LEAKED.txt)")
		}
		fmt.Fprintln(w, "     then force-push every branch and tag, and have every clone re-cloned: forks and CI caches keep old copies,")
		fmt.Fprintln(w, "     which is why step 1 comes first.")
	} else {
		fmt.Fprintln(w, "  2. The secrets are not in the git history: delete or move the files listed above (and keep .env files in .gitignore).")
	}
	fmt.Fprintln(w, "  3. Last, rotate: create a new key and swap it in with `keywarden rotate NAME` (or add it with `keywarden setup`),")
	fmt.Fprintln(w, "     and start bots with `keywarden exec NAME -- BOT` instead of a .env file or a config holding the key.")
}

func sortedKeys(m map[string]bool) []string {
	var s []string
	for k := range m {
		s = append(s, k)
	}
	sort.Strings(s)
	return s
}

// shellQuote quotes a path for a shell command line, when needed.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
