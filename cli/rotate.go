package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/keywarden/keywarden/checks"
	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/all"
	"github.com/keywarden/keywarden/store"
	"github.com/keywarden/keywarden/ui"
)

type rotateOptions struct {
	name    string
	timeout time.Duration
}

func newRotateCmd(a *app) *cobra.Command {
	var o rotateOptions
	cmd := &cobra.Command{
		Use:   "rotate NAME",
		Short: "Guided replacement of a key; the old one is kept until the new one passes its checks",
		Long: `Replace a profile's key with a new one, safely:

  1. create a new key on the exchange (on a terminal, the steps are shown);
  2. give keywarden the new key: typed or pasted, masked, on a terminal;
     otherwise as the same JSON object on stdin as ` + "`keywarden add`" + `;
  3. keywarden checks the NEW key with the profile's settings;
  4. only if no check fails is it swapped in; until then the profile keeps
     the old key, whatever happens (Ctrl+C, a crash, a failed check);
  5. the exact steps to delete the OLD key on the exchange are printed.

Exit codes: 0 rotated, 1 the new key failed its check (nothing changed),
2 usage or input error (nothing changed), 130 interrupted (nothing changed).`,
		Example: `  keywarden rotate main
  keywarden rotate main < new-key.json`,
		Args: exactArgs(1, "rotate needs the profile NAME; `keywarden list` shows them"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.name = args[0]
			return runRotate(a, o)
		},
	}
	cmd.Flags().DurationVar(&o.timeout, "timeout", 15*time.Second, "bound for the check of the new key")
	return cmd
}

func runRotate(a *app, o rotateOptions) error {
	if o.timeout <= 0 {
		return usageErr(errors.New("--timeout must be positive, like 15s"))
	}
	st, err := a.openStore()
	if err != nil {
		return err
	}
	p, err := st.Get(o.name)
	if err != nil {
		return err
	}
	ad, ok := all.Lookup(p.Exchange)
	if !ok {
		return unknownExchange(p)
	}
	info := ad.Info()
	if ad.New == nil {
		return usageErr(fmt.Errorf("this keywarden cannot check %s keys yet, and rotate swaps a key in only after the new one passed its check", info.Name))
	}
	old, err := st.Credentials(p.Name) // the passphrase first: no point typing a key under a wrong one
	if err != nil {
		return err
	}
	var fresh exchanges.Credentials
	if a.io.InTTY {
		writeRotateGuide(a.io.Err, info, p)
		fresh, err = askCredentials(a.ctx, a.io.In, a.io.Err, info, old)
	} else {
		var notes []string
		fresh, notes, err = readCredentials(a.io.In, info)
		writeInputNotes(a.io.Out, notes)
		if err == nil {
			err = sameKey(old, fresh)
		}
		if err != nil {
			err = usageErr(err)
		}
	}
	if err != nil {
		return err
	}
	oldFP, newFP := exchanges.Fingerprint(old.Key), exchanges.Fingerprint(fresh.Key)

	// Check the new key with the profile's settings; it is younger than
	// the profile.
	ex, err := a.exchange(ad, p)
	if err != nil {
		return err
	}
	cp := checkProfile(p)
	cp.AddedAt = a.now()
	t := checkTarget{profile: p, info: info, target: checks.Target{Exchange: ex, Creds: fresh, Profile: cp}}
	fmt.Fprintf(a.io.Err, "Checking the new key %s of %s…\n", newFP, p.Name)
	reports := runTargets(a.ctx, checks.NewSession(a.sessionOptions(o.timeout)), []checkTarget{t}, o.timeout, nil)
	if a.ctx.Err() != nil {
		return errInterrupted
	}
	if err := ui.WriteCheckText(a.io.Out, reports, ui.NewStyles(a.color()), exchangeNames(), a.termWidth()); err != nil {
		return err
	}
	if reports[0].Worst() == checks.Fail {
		return &exitError{code: exitFailed, err: fmt.Errorf("the new key %s failed its check (see above): %s still holds its old key %s, unchanged; fix the new key on %s, or create another, and run `keywarden rotate %s` again",
			newFP, p.Name, oldFP, info.Name, p.Name)}
	}

	// The swap. From here on the rotation is done even if interrupted:
	// the user must learn which key to delete.
	if err := st.Replace(p.Name, fresh, nil); err != nil {
		return fmt.Errorf("swap in the new key: %w (the profile still holds the old key %s)", err, oldFP)
	}
	a.recordHistory(p.Name, store.EventRotated, fmt.Sprintf("key %s replaced by %s", oldFP, newFP))
	a.remember(st, reports)
	fmt.Fprintf(a.io.Out, "\nRotated %s: key %s → %s. Restart its bots: `keywarden exec` hands them the new key from their next start.\n", p.Name, oldFP, newFP)
	writeDeleteSteps(a.io.Out, info, p, oldFP)
	return nil
}

// sameKey refuses a "new" key that is the old one.
func sameKey(old, fresh exchanges.Credentials) error {
	if fresh.Key == old.Key || (!fresh.Secret.IsZero() && fresh.Secret.Equal(old.Secret)) {
		return errors.New("this is the key the profile already holds: create a NEW key on the exchange first, then give that one")
	}
	return nil
}

// writeRotateGuide shows how to create the new key, in the exchange's own
// menu names.
func writeRotateGuide(w io.Writer, info exchanges.Info, p store.Profile) {
	g := info.Guide
	vars := map[string]string{"name": p.Name + "-" + time.Now().Format("20060102"), "ip": strings.Join(p.BotIPs, ", ")}
	if vars["ip"] == "" {
		vars["ip"] = "the bot machine's public IP"
	}
	fmt.Fprintf(w, "Rotate %s (%s %s, key %s): create a NEW key on %s first. The old key keeps working until you delete it.\n\n",
		p.Name, info.Name, p.Environment, p.Fingerprint, info.Name)
	if g.Where != "" {
		fmt.Fprintln(w, "  Where: "+g.Where)
	}
	if u := g.URL[exchanges.Environment(p.Environment)]; u != "" {
		fmt.Fprintln(w, "  Page:  "+u)
	}
	n := 1
	step := func(s string) {
		fmt.Fprintf(w, "  %d. %s\n", n, exchanges.Expand(s, vars))
		n++
	}
	for _, s := range g.Create {
		step(s)
	}
	if g.Read != "" {
		step("Permissions: " + g.Read)
	}
	for _, m := range p.Markets {
		if s := g.Trade[exchanges.Market(m)]; s != "" {
			step("For " + m + ": " + s)
		}
	}
	if len(g.KeepOff) > 0 {
		step("Keep off: " + strings.Join(g.KeepOff, "; "))
	}
	if g.IPWhitelist != "" {
		step(g.IPWhitelist)
	}
	for _, s := range g.Notes {
		fmt.Fprintln(w, "  Note: "+exchanges.Expand(s, vars))
	}
	fmt.Fprintln(w)
}

// writeDeleteSteps prints how to delete the old key on the exchange.
func writeDeleteSteps(w io.Writer, info exchanges.Info, p store.Profile, oldFP string) {
	fmt.Fprintf(w, "\nNow delete the OLD key %s on %s (it still works until you do):\n", oldFP, info.Name)
	steps := info.Guide.Delete
	if len(steps) == 0 {
		steps = []string{"Open " + info.Name + "'s API management page.", "Find the key whose API key starts and ends like {fingerprint}.", "Delete it."}
	}
	for i, s := range steps {
		fmt.Fprintf(w, "  %d. %s\n", i+1, exchanges.Expand(s, map[string]string{"fingerprint": oldFP, "name": p.Name}))
	}
	u := info.Guide.URL[exchanges.Environment(p.Environment)]
	if e, ok := info.Env(exchanges.Environment(p.Environment)); ok && u == "" {
		u = e.KeysAt
	}
	if u != "" {
		fmt.Fprintln(w, "  Page: "+u)
	}
}
