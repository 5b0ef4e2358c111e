package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/all"
	"github.com/keywarden/keywarden/scan"
	"github.com/keywarden/keywarden/store"
	"github.com/keywarden/keywarden/ui"
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
