package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/all"
	"github.com/keywarden/keywarden/internal/botconfig"
	"github.com/keywarden/keywarden/scan"
	"github.com/keywarden/keywarden/store"
	"github.com/keywarden/keywarden/ui"
)

// The output formats of scan.
const (
	formatText  = "text"
	formatJSON  = "json"
	formatSARIF = "sarif"
)

type scanOptions struct {
	path      string
	format    string
	json      bool
	noHistory bool
	noKeyring bool
	staged    bool
	baseline  string
	level     string
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
    is skipped, and said; --no-keyring skips it without asking);
  - strings shaped like a supported exchange's key or secret next to telling
    names (binance, secret, api_key, …), and PEM private keys;
  - .env and config files holding keys that git does not ignore.

--staged scans only what ` + "`git commit`" + ` would record: the staged content of
added, changed and renamed files (the index, not the working tree). It is
what the pre-commit hook runs (` + "`keywarden hook install`" + `).

Each finding gives the file and line (or the commit and path), what it is,
how serious, and its fingerprint; never the value. Then what to do, in order.

A finding that is not a leak is accepted in .keywarden-scan.toml at the top
of the repository, each entry with a reason:

  [[allow]]
  fingerprint = "kw1:…"        # as printed; or path = "testdata/**"
  reason = "the example key of the exchange's docs"

--baseline FILE takes a previous --format json or sarif output and reports
only findings that are not in it.

Exit codes: 0 nothing found, 1 findings, 2 usage, keyring or scan error.`,
		Example: `  keywarden scan
  keywarden scan --staged --no-keyring
  keywarden scan ~/bots/freqtrade --format json
  keywarden scan --format sarif > keywarden.sarif
  keywarden scan --baseline old.json`,
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
			if o.json {
				if cmd.Flags().Changed("format") && o.format != formatJSON {
					return usageErr(fmt.Errorf("--json and --format %s disagree: give one of them", o.format))
				}
				o.format = formatJSON
			}
			return runScan(a, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.format, "format", formatText, "output: text, json or sarif (SARIF 2.1.0, for GitHub code scanning)")
	f.BoolVar(&o.json, "json", false, "same as --format json")
	f.BoolVar(&o.staged, "staged", false, "scan only what `git commit` would record (the index)")
	f.BoolVar(&o.noHistory, "no-history", false, "scan the files only, not the git history")
	f.BoolVar(&o.noKeyring, "no-keyring", false, "do not open the keyring: key-shaped strings only, no passphrase asked")
	f.StringVar(&o.baseline, "baseline", "", "a previous --format json or sarif output: report only new findings")
	f.StringVar(&o.level, "level", "low", "the least severe findings reported: info also shows keys in test fixtures, dependencies and encrypted keys")
	return cmd
}

func runScan(a *app, o scanOptions) error {
	switch o.format {
	case formatText, formatJSON, formatSARIF:
	default:
		return usageErr(fmt.Errorf("--format %q: use text, json or sarif", o.format))
	}
	level, err := scan.ParseSeverity(o.level)
	if err != nil {
		return usageErr(fmt.Errorf("--level: %w", err))
	}
	if o.staged && o.noHistory {
		return usageErr(errors.New("--staged scans the index only: --no-history does not apply"))
	}
	fi, err := os.Stat(o.path)
	if err != nil || !fi.IsDir() {
		return usageErr(fmt.Errorf("scan %s: not a folder", o.path))
	}
	var base *scan.Baseline
	if o.baseline != "" {
		if base, err = readBaseline(o.baseline); err != nil {
			return err
		}
	}
	var (
		stored   []scan.Stored
		notes    []string
		profiles map[string]store.Profile
	)
	if o.noKeyring {
		notes = []string{"stored-secret matching skipped (--no-keyring): the keyring was not opened; only key-shaped strings were looked for"}
	} else if stored, notes, profiles, err = a.storedSecrets(); err != nil {
		return err
	}
	var infos []exchanges.Info
	for _, ad := range all.Adapters() {
		infos = append(infos, ad.Info())
	}
	opts := scan.Options{Root: o.path, Stored: stored, Infos: infos, Skip: []string{a.g.dir}, NoHistory: o.noHistory, MinSeverity: level}
	var res scan.Result
	if o.staged {
		res, err = scan.Staged(a.ctx, opts)
	} else {
		res, err = scan.Run(a.ctx, opts)
		if err == nil {
			err = scan.Fingerprint(a.ctx, o.path, &res)
		}
	}
	if a.ctx.Err() != nil {
		return errInterrupted
	}
	if err != nil {
		return usageErr(err)
	}
	res.Notes = append(notes, res.Notes...)
	allow, allowName, allowNotes, err := scan.LoadAllowList(a.ctx, o.path, o.staged)
	if err != nil {
		return usageErr(fmt.Errorf("%w; fix the file, or move it away to scan without it", err))
	}
	res.Notes = append(res.Notes, allowNotes...)
	scan.Filter(&res, o.path, allow, allowName, base, o.baseline)
	if err := a.writeScan(o, res, stored, profiles); err != nil {
		return err
	}
	if len(res.Findings) > 0 {
		return &exitError{code: exitFailed}
	}
	return nil
}

func readBaseline(name string) (*scan.Baseline, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, usageErr(fmt.Errorf("--baseline %s: %w", name, errors.Unwrap(err)))
	}
	defer f.Close()
	b, err := scan.ReadBaseline(f)
	if err != nil {
		return nil, usageErr(fmt.Errorf("--baseline %s: %w", name, err))
	}
	return b, nil
}

// writeScan prints the result in the chosen format.
func (a *app) writeScan(o scanOptions, res scan.Result, stored []scan.Stored, profiles map[string]store.Profile) error {
	switch o.format {
	case formatJSON:
		if res.Findings == nil {
			res.Findings = []scan.Finding{}
		}
		if res.Notes == nil {
			res.Notes = []string{}
		}
		return writeJSON(a.io.Out, res)
	case formatSARIF:
		return scan.WriteSARIF(a.io.Out, res, a.build.Version)
	}
	if o.staged {
		ui.WriteStaged(a.io.Out, res, len(stored), func(p string) bool { return botconfig.Detect(p, nil) != "" })
		return nil
	}
	ui.WriteScan(a.io.Out, o.path, res, len(stored), o.noHistory)
	if len(res.Findings) > 0 {
		keys := map[string]ui.ScanKey{}
		for name, p := range profiles {
			keys[name] = ui.ScanKey{Exchange: p.Exchange, Fingerprint: p.Fingerprint}
		}
		inUse := func(f string) bool {
			_, err := os.Lstat(filepath.Join(res.Repo, filepath.FromSlash(f)))
			return err == nil
		}
		ui.WriteScanRemedy(a.io.Out, res.Findings, keys, inUse)
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

// writeJSON prints v as indented JSON, without HTML escaping.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
