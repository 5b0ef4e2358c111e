package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/all"
	"github.com/keywarden/keywarden/scan"
	"github.com/keywarden/keywarden/store"
)

type scanOptions struct {
	path      string
	json      bool
	noHistory bool
}

func newScanCmd(a *app) *cobra.Command {
	var o scanOptions
	cmd := &cobra.Command{
		Use:   "scan [PATH]",
		Short: "Look for leaked keys in files and git history",
		Long: `Look for leaked exchange keys in a folder (default: the current one) and in
all of its git history (every ref, every commit):

  - every key, secret and passphrase keywarden holds, exactly, also base64-,
    hex- or URL-encoded (needs the keyring passphrase; without one this part
    is skipped, and said);
  - strings shaped like a supported exchange's key or secret next to telling
    names (binance, secret, api_key, …), and PEM private keys;
  - .env and config files holding keys that git does not ignore.

Each finding gives the file and line (or the commit and path), what it is
and how serious; never the value. Then what to do, in order.

Exit codes: 0 nothing found, 1 findings, 2 usage or keyring error.`,
		Example: `  keywarden scan
  keywarden scan ~/bots/freqtrade --json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageErr(errors.New("scan takes at most one PATH"))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.path = "."
			if len(args) == 1 {
				o.path = args[0]
			}
			return runScan(a, o)
		},
	}
	cmd.Flags().BoolVar(&o.json, "json", false, `print {"findings": [...], "notes": [...]}`)
	cmd.Flags().BoolVar(&o.noHistory, "no-history", false, "scan the files only, not the git history")
	return cmd
}

func runScan(a *app, o scanOptions) error {
	fi, err := os.Stat(o.path)
	if err != nil || !fi.IsDir() {
		return usageErr(fmt.Errorf("scan %s: not a folder", o.path))
	}
	stored, notes, profiles, err := a.storedSecrets()
	if err != nil {
		return err
	}
	var infos []exchanges.Info
	for _, ad := range all.Adapters() {
		infos = append(infos, ad.Info())
	}
	res, err := scan.Run(a.ctx, scan.Options{Root: o.path, Stored: stored, Infos: infos, Skip: []string{a.g.dir}, NoHistory: o.noHistory})
	if a.ctx.Err() != nil {
		return errInterrupted
	}
	if err != nil {
		return usageErr(err)
	}
	res.Notes = append(notes, res.Notes...)
	if o.json {
		if res.Findings == nil {
			res.Findings = []scan.Finding{}
		}
		if res.Notes == nil {
			res.Notes = []string{}
		}
		enc := json.NewEncoder(a.io.Out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(res); err != nil {
			return err
		}
	} else {
		writeScan(a.io.Out, o.path, res, len(stored), o.noHistory)
		if len(res.Findings) > 0 {
			writeRemedy(a.io.Out, res.Repo, res.Findings, profiles)
		}
	}
	if len(res.Findings) > 0 {
		return &exitError{code: exitFailed}
	}
	return nil
}

// storedSecrets reads every profile's credentials. Without a passphrase
// (none set, no terminal) stored-secret matching is skipped, and said.
func (a *app) storedSecrets() ([]scan.Stored, []string, map[string]store.Profile, error) {
	st, err := a.openStore()
	if err != nil {
		return nil, nil, nil, err
	}
	ps, err := st.List()
	if err != nil {
		return nil, nil, nil, err
	}
	profiles := map[string]store.Profile{}
	if len(ps) == 0 {
		return nil, []string{"no keys in the keyring (" + a.g.dir + "): only key-shaped strings were looked for"}, profiles, nil
	}
	var out []scan.Stored
	for _, p := range ps {
		c, err := st.Credentials(p.Name)
		if errors.Is(err, store.ErrNoPassphrase) {
			return nil, []string{"stored-secret matching skipped: no keyring passphrase (set KEYWARDEN_PASSPHRASE, or run on a terminal to be asked); only key-shaped strings were looked for"}, profiles, nil
		}
		if err != nil {
			return nil, nil, nil, err
		}
		profiles[p.Name] = p
		out = append(out, scan.Stored{Profile: p.Name, Exchange: p.Exchange, Creds: c})
	}
	return out, nil, profiles, nil
}

// writeScan prints the findings, most serious first within each place.
func writeScan(w io.Writer, path string, res scan.Result, nStored int, noHistory bool) {
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
	count := map[scan.Severity]int{}
	for _, f := range res.Findings {
		count[f.Severity]++
		where := f.Path
		if f.Line > 0 {
			where += fmt.Sprintf(":%d", f.Line)
		}
		if f.Commit != "" {
			where = fmt.Sprintf("commit %.12s (%s) %s", f.Commit, f.Date, where)
		} else if f.Git != "" {
			where += " [" + f.Git + "]"
		}
		fmt.Fprintf(w, "  %-6s  %s\n          %s\n", strings.ToUpper(f.Severity.String()), where, f.What)
	}
	var parts []string
	for _, s := range []scan.Severity{scan.High, scan.Medium, scan.Low} {
		if count[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", count[s], s))
		}
	}
	fmt.Fprintf(w, "\n%d findings (%s). No value is shown.\n", len(res.Findings), strings.Join(parts, ", "))
}

// writeRemedy says what to do, in the order that matters: a leaked key
// must be dead before the history is cleaned, and replaced last.
func writeRemedy(w io.Writer, repo string, fs []scan.Finding, profiles map[string]store.Profile) {
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
		p := profiles[name]
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
			if _, err := os.Lstat(filepath.Join(repo, filepath.FromSlash(f))); err == nil {
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
