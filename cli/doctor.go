package cli

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/keywarden/keywarden/store"
	"github.com/keywarden/keywarden/ui"
)

type doctorOptions struct{ yes bool }

func newDoctorCmd(a *app) *cobra.Command {
	var o doctorOptions
	cmd := &cobra.Command{
		Use:   "doctor [--yes]",
		Short: "Say what is wrong in the keyring folder, and rebuild lost profiles from their secrets",
		Long: `Look at the keyring folder and say what is wrong: a damaged or missing
profiles.json, secrets that no profile names, profiles without a secret,
loose permissions (tightened on the way), temp files and item folders left
by an interrupted run. It needs no passphrase to look, and changes nothing
but permissions.

Secrets that no profile names are never deleted. doctor offers to rebuild
their profiles: each secret carries the metadata it was saved with
(exchange, environment, markets, bot IPs, base URL). Secrets saved by older
keywardens know only their name and key: their exchange is taken from the
history log or the key's format, asked on a terminal, or left empty.
Rebuilding needs the keyring passphrase; a damaged profiles.json is kept
beside the new one.

Exit codes: 0 nothing wrong (or all of it fixed), 1 something needs you,
2 a keyring or usage error (a wrong passphrase changes nothing).`,
		Example: `  keywarden doctor
  keywarden doctor --yes    # rebuild without asking (scripts)`,
		Args: exactArgs(0, "doctor takes no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error { return runDoctor(a, o) },
	}
	cmd.Flags().BoolVarP(&o.yes, "yes", "y", false, "rebuild lost profiles without asking (never asks anything)")
	return cmd
}

func runDoctor(a *app, o doctorOptions) error {
	var fixed []string
	st, err := store.OpenRepair(store.Options{
		Dir: a.g.dir, Backend: a.g.backend, Passphrase: a.passphrase,
		Warn: func(msg string) { fixed = append(fixed, msg) },
	})
	if err != nil {
		return err
	}
	r, err := st.Diagnose()
	if err != nil {
		return err
	}
	ask := !o.yes && a.canAsk()
	findings, problems := doctorFindings(r, fixed, ask, o.yes)
	if err := ui.WriteDoctor(a.io.Out, r.Dir, r.Backend, findings, a.termWidth()); err != nil {
		return err
	}
	acted, rebuilt := false, []string(nil)
	if canRebuild(r) {
		proceed, err := a.agree(o.yes, fmt.Sprintf("Rebuild the profiles of %s? [y/N] ", plural(len(r.Orphans), "secret")))
		if err != nil {
			return err
		}
		if !proceed {
			fmt.Fprintln(a.io.Out, "\nNothing was changed.")
			return &exitError{code: exitFailed}
		}
		if rebuilt, err = a.rebuild(st, ask); err != nil {
			return err
		}
		acted = true
	}
	if ask {
		n, err := a.askMissingExchanges(st, rebuilt)
		if err != nil {
			return err
		}
		acted = acted || n > 0
	}
	if acted {
		if r, err = st.Diagnose(); err != nil {
			return err
		}
		findings, problems = doctorFindings(r, nil, ask, o.yes)
		fmt.Fprintln(a.io.Out)
		if err := ui.WriteDoctor(a.io.Out, r.Dir, r.Backend, findings, a.termWidth()); err != nil {
			return err
		}
	}
	if problems > 0 {
		return &exitError{code: exitFailed}
	}
	return nil
}

// canRebuild: there are secrets without a profile, and the files needed
// to rebuild them are sound.
func canRebuild(r *store.Report) bool {
	return len(r.Orphans) > 0 && !r.ProfilesNewer && (r.Backend != store.BackendFile || r.Items != "")
}

// canAsk reports whether there is a terminal to ask questions on.
func (a *app) canAsk() bool {
	if a.io.OpenTTY == nil {
		return false
	}
	tty, err := a.io.OpenTTY()
	if err != nil {
		return false
	}
	defer tty.Close()
	return term.IsTerminal(int(tty.Fd()))
}

// agree is --yes, or a yes on the terminal; off a terminal without --yes
// it is a no.
func (a *app) agree(yes bool, question string) (bool, error) {
	if yes {
		return true, nil
	}
	if a.io.OpenTTY == nil {
		return false, nil
	}
	ok, err := a.confirm(question)
	if err != nil && a.ctx.Err() == nil {
		return false, nil // no terminal after all
	}
	return ok, err
}

// doctorFindings turns the diagnosis into the report's lines, and counts
// the problems that need the user (warn and fail). ask: doctor can ask on
// a terminal; yes: --yes.
func doctorFindings(r *store.Report, fixed []string, ask, yes bool) ([]ui.DoctorFinding, int) {
	var out []ui.DoctorFinding
	add := func(l ui.DoctorLevel, text, fix string) {
		out = append(out, ui.DoctorFinding{Level: l, Text: text, Fix: fix})
	}
	for _, f := range fixed {
		add(ui.DoctorFixed, "fixed: "+f, "")
	}
	rebuild := "" // doctor rebuilds them right below, or asks first
	if !ask && !yes {
		rebuild = "keywarden doctor --yes rebuilds their profiles (it needs the keyring passphrase; nothing is deleted)"
	}
	switch {
	case r.ProfilesNewer:
		add(ui.DoctorFail, "profiles.json: "+r.ProfilesDamaged, "upgrade keywarden; doctor never rebuilds over it")
	case r.ProfilesDamaged != "":
		add(ui.DoctorFail, "profiles.json is damaged: "+r.ProfilesDamaged,
			"its profiles can be rebuilt from the secrets below (the damaged file is kept beside, as profiles.json.damaged-TIME); or restore it from a backup")
	case r.ProfilesMissing && len(r.Orphans) > 0:
		add(ui.DoctorWarn, "there is no profiles.json (moved away?), but the keyring holds secrets", "")
	case r.ProfilesMissing:
		add(ui.DoctorOK, "no profiles yet", "")
	default:
		add(ui.DoctorOK, "profiles.json: "+plural(r.Profiles, "profile"), "")
	}
	if r.Backend == store.BackendFile {
		keyringFindings(r, add)
	}
	if n := len(r.Orphans); n > 0 {
		add(ui.DoctorWarn, fmt.Sprintf("%s to no profile: %s", belong(n), listNames(r.Orphans)), rebuild)
	}
	for _, n := range r.NoSecret {
		add(ui.DoctorFail, "profile "+n+" has no secret in the keyring",
			"restore the folder from a backup, or remove the profile (keywarden remove "+n+") and add its key again")
	}
	for _, n := range r.NoExchange {
		add(ui.DoctorWarn, "profile "+n+" does not name its exchange (rebuilt from a secret saved by an older keywarden)",
			"run keywarden doctor on a terminal to give it")
	}
	leftoverFindings(r, add)
	problems := 0
	for _, f := range out {
		if f.Level == ui.DoctorWarn || f.Level == ui.DoctorFail {
			problems++
		}
	}
	return out, problems
}

// keyringFindings are the file backend's own lines.
func keyringFindings(r *store.Report, add func(ui.DoctorLevel, string, string)) {
	switch {
	case r.KeyringDamaged != "":
		add(ui.DoctorFail, "keyring.json is damaged: "+r.KeyringDamaged,
			"without it no secret can be decrypted: restore it from a backup of the folder")
	case r.KeyringMissing && r.Profiles > 0:
		add(ui.DoctorFail, "keyring.json is missing, but profiles.json lists "+plural(r.Profiles, "profile"),
			"without it their secrets cannot be decrypted: restore it from a backup of the folder")
	case r.KeyringMissing:
		add(ui.DoctorOK, "no keyring yet", "")
	default:
		add(ui.DoctorOK, "keyring.json: secrets in "+r.Items, "")
	}
}

// leftoverFindings are what interrupted runs left in the folder.
func leftoverFindings(r *store.Report, add func(ui.DoctorLevel, string, string)) {
	for _, g := range r.Generations {
		add(ui.DoctorWarn, fmt.Sprintf("%s: an item folder that keyring.json does not name (%s)", g.Name, plural(g.Items, "item")),
			"its items are encrypted under a key keyring.json no longer describes (left by an interrupted run of an older keywarden, or by a keyring.json restored from another backup); keywarden never deletes it: once you are sure you do not need it, remove it yourself (rm -r "+filepath.Join(r.Dir, g.Name)+")")
	}
	if n := len(r.Temps); n > 0 {
		add(ui.DoctorNote, plural(n, "temp file")+" of an interrupted write", "the next change (add, rotate, remove, passphrase) removes them")
	}
	if r.Journal != "" {
		add(ui.DoctorNote, "a keywarden run was interrupted while "+r.Journal, "the next change finishes or undoes it")
	}
	if r.JournalDamaged != "" {
		add(ui.DoctorWarn, "the journal of an interrupted run is damaged: "+r.JournalDamaged,
			"keywarden leaves it and what it may name alone; if no keywarden is running, remove it (rm "+filepath.Join(r.Dir, "journal.json")+")")
	}
}

// plural says "1 secret", "3 secrets".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// belong says "1 secret belongs", "3 secrets belong".
func belong(n int) string {
	if n == 1 {
		return "1 secret in the keyring belongs"
	}
	return fmt.Sprintf("%d secrets in the keyring belong", n)
}

// listNames shows up to 10 names.
func listNames(names []string) string {
	if len(names) > 10 {
		return strings.Join(names[:10], ", ") + fmt.Sprintf(" and %d more", len(names)-10)
	}
	return strings.Join(names, ", ")
}
