package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/all"
	"github.com/keywarden/keywarden/internal/botconfig"
	"github.com/keywarden/keywarden/scan"
	"github.com/keywarden/keywarden/store"
	"github.com/keywarden/keywarden/ui"
)

type importOptions struct {
	file         string
	name         string
	exchange     string
	env          string
	baseURL      string
	scrub        bool
	noCheck      bool
	removeBackup bool
}

func newImportCmd(a *app) *cobra.Command {
	var o importOptions
	cmd := &cobra.Command{
		Use:   "import FILE [--name NAME] [--exchange ID] [--scrub]",
		Short: "Move a key out of a .env, freqtrade config or docker-compose file into the keyring",
		Long: `Move an exchange key out of the file a bot reads it from — a .env file, a
freqtrade config.json (exchange.key, .secret, .password) or a docker-compose
file (services.*.environment) — into keywarden's encrypted keyring:

  1. the key is read and checked against the exchange's format, as ` + "`add`" + ` does;
     a bad key is refused and nothing changes, neither the file nor the keyring;
  2. it is stored as profile NAME (default: the exchange's id) and checked live
     (--no-check to skip);
  3. if the values were ever committed to git, you are told that importing does
     not undo the leak, and what to do (revoke, rewrite the history, rotate);
  4. only when you confirm (on a terminal) or give --scrub, the values in the
     file are replaced by placeholders, and the ` + "`keywarden exec`" + ` line that gives
     the bot its key from now on is printed.

Before the file is rewritten, the original is copied into the keyring folder
(import-backups/, readable by you alone); you are asked whether to remove it
(--remove-backup removes it once the rewrite succeeded). The rewrite is
atomic and keeps the file's permissions and every other byte.

Placeholders: "" in a freqtrade config (freqtrade reads FREQTRADE__EXCHANGE__*
from the environment, and it wins over the file); ${VAR} in a .env or
docker-compose file, VAR being the variable exec sets (docker compose and
python-dotenv expand it).`,
		Example: `  keywarden import config.json
  keywarden import .env --exchange okx --name okx-bot --scrub
  keywarden import docker-compose.yml --scrub --remove-backup`,
		Args: exactArgs(1, "import needs the FILE holding the key, e.g. `keywarden import config.json`"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.file = args[0]
			return runImport(a, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.name, "name", "", "profile name (default: the exchange's id)")
	f.StringVar(&o.exchange, "exchange", "", "exchange id, when the file does not say or holds several: "+all.Known())
	f.StringVar(&o.env, "env", "", "environment: live (default), testnet or demo")
	f.StringVar(&o.baseURL, "base-url", "", "replace the exchange's API host (https, or http for loopback)")
	f.BoolVar(&o.scrub, "scrub", false, "replace the values in the file with placeholders without asking")
	f.BoolVar(&o.noCheck, "no-check", false, "do not run the health check after storing the key")
	f.BoolVar(&o.removeBackup, "remove-backup", false, "remove the backup of the original once the file is rewritten")
	return cmd
}

func runImport(a *app, o importOptions) error {
	data, mode, err := readBotFile(o.file)
	if err != nil {
		return err
	}
	format := botconfig.Detect(o.file, data)
	if format == "" {
		return usageErr(fmt.Errorf("%s: not a .env, freqtrade config (*.json with an \"exchange\" block) or docker-compose file", o.file))
	}
	values, err := botconfig.Read(format, data)
	if err != nil {
		return usageErr(fmt.Errorf("%s: %w", o.file, err))
	}
	if o.exchange != "" {
		if _, ok := all.Lookup(o.exchange); !ok {
			return usageErr(fmt.Errorf("unknown exchange %q: use one of %s", o.exchange, all.Known()))
		}
	}
	cred, err := pick(values, o.exchange)
	if err != nil {
		return err
	}
	name := o.name
	if name == "" {
		name = cred.exchange
	}
	p, ad, err := newProfile(name, cred.exchange, o.env, o.baseURL, nil, nil)
	if err != nil {
		return err
	}
	info := ad.Info()
	creds, notes, err := cred.credentials(info)
	if err != nil {
		return err
	}
	for _, n := range notes {
		fmt.Fprintln(a.io.Err, "note: "+n)
	}
	// Everything is checked: from here on the keyring may change.
	st, err := a.openStore()
	if err != nil {
		return err
	}
	if err := a.storeImported(st, p, info, creds, o.file); err != nil {
		return err
	}
	if !o.noCheck {
		if err := runCheck(a, checkOptions{names: []string{p.Name}, plain: true, timeout: 15 * time.Second}); err != nil {
			var ee *exitError
			if !errors.As(err, &ee) || ee.code != exitFailed {
				return err
			}
			fmt.Fprintf(a.io.Out, "The key is stored, but its check failed (above): fix that on %s; moving it out of the file is still right.\n", info.Name)
		}
	}
	a.warnIfCommitted(st, p, creds, o.file)
	return a.scrub(o, p, format, cred, data, mode)
}

// readBotFile reads FILE: a regular file (not a link: the rewrite would
// replace the link, not its target), at most botconfig.MaxSize.
func readBotFile(name string) ([]byte, fs.FileMode, error) {
	fi, err := os.Lstat(name)
	switch {
	case err != nil:
		return nil, 0, usageErr(fmt.Errorf("import %s: %w", name, errors.Unwrap(err)))
	case fi.Mode()&fs.ModeSymlink != 0:
		target, _ := filepath.EvalSymlinks(name)
		return nil, 0, usageErr(fmt.Errorf("%s is a symbolic link: import the file it points to (%s)", name, target))
	case !fi.Mode().IsRegular():
		return nil, 0, usageErr(fmt.Errorf("%s is not a regular file", name))
	case fi.Size() > botconfig.MaxSize:
		return nil, 0, usageErr(fmt.Errorf("%s is larger than %d KiB: not a bot config file", name, botconfig.MaxSize>>10))
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, 0, fmt.Errorf("read %s: %w", name, err)
	}
	return data, fi.Mode().Perm(), nil
}

// storeImported adds the profile, or accepts an existing one holding the
// very same credentials (importing again, to scrub).
func (a *app) storeImported(st *store.Store, p store.Profile, info exchanges.Info, c exchanges.Credentials, file string) error {
	if _, err := st.Get(p.Name); err == nil {
		have, err := st.Credentials(p.Name)
		if err != nil {
			return err
		}
		if have.Key == c.Key && have.Secret.Reveal() == c.Secret.Reveal() && have.Passphrase.Reveal() == c.Passphrase.Reveal() {
			fmt.Fprintf(a.io.Out, "This key is already in keywarden as %s.\n", p.Name)
			return nil
		}
		return usageErr(fmt.Errorf("%w: profile %q holds another key; choose a name with --name (to replace its key, use `keywarden rotate %s`); nothing was changed", store.ErrExists, p.Name, p.Name))
	}
	if err := st.Add(p, c); err != nil {
		return err
	}
	a.recordHistory(p.Name, "added", fmt.Sprintf("%s %s, key %s, imported from %s", info.Name, p.Environment, exchanges.Fingerprint(c.Key), filepath.Base(file)))
	fmt.Fprintf(a.io.Out, "Stored %s: %s %s, key %s, from %s.\n", p.Name, info.Name, p.Environment, exchanges.Fingerprint(c.Key), file)
	return nil
}

// warnIfCommitted looks for the values in the git history of the file's
// repository: a key that was committed is leaked, wherever it lives now.
func (a *app) warnIfCommitted(st *store.Store, p store.Profile, c exchanges.Credentials, file string) {
	var infos []exchanges.Info
	for _, ad := range all.Adapters() {
		infos = append(infos, ad.Info())
	}
	fs, top, err := scan.Committed(a.ctx, scan.Options{Root: filepath.Dir(file), Infos: infos,
		Stored: []scan.Stored{{Profile: p.Name, Exchange: p.Exchange, Creds: c}}})
	if err != nil {
		fmt.Fprintln(a.io.Err, "warning: could not look through the git history: "+err.Error())
		return
	}
	if len(fs) == 0 {
		return
	}
	fmt.Fprintf(a.io.Out, "\nThis key was committed to git (%d times, first in commit %.12s, %s):\n", len(fs), fs[0].Commit, fs[0].Path)
	fmt.Fprintln(a.io.Out, "importing it does not undo the leak: anyone with a clone has it.")
	sp, _ := st.Get(p.Name)
	keys := map[string]ui.ScanKey{p.Name: {Exchange: p.Exchange, Fingerprint: sp.Fingerprint}}
	ui.WriteScanRemedy(a.io.Out, fs, keys, func(f string) bool {
		_, err := os.Lstat(filepath.Join(top, filepath.FromSlash(f)))
		return err == nil
	})
}

// ask asks a yes/no question on the terminal (remove's confirm); no
// terminal, or Ctrl+C, is no.
func (a *app) ask(question string) bool {
	ok, err := a.confirm(question + " [y/N] ")
	return err == nil && ok
}

// backup copies the original into the keyring folder, readable by its
// owner alone, and returns its path.
func (a *app) backup(file string, data []byte) (string, error) {
	dir := filepath.Join(a.g.dir, "import-backups")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create %s: %w", dir, err)
	}
	_ = os.Chmod(dir, 0o700)
	name := filepath.Join(dir, fmt.Sprintf("%s.%s.bak", filepath.Base(file), a.now().UTC().Format("20060102T150405.000000000Z")))
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("back up %s: %w", file, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(name)
		return "", fmt.Errorf("back up %s: %w", file, err)
	}
	return name, nil
}

// unchanged reports whether the file still holds what was read.
func unchanged(file string, data []byte) bool {
	now, err := os.ReadFile(file)
	return err == nil && bytes.Equal(now, data)
}
