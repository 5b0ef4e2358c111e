package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"github.com/keywarden/keywarden/checks"
	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/all"
	"github.com/keywarden/keywarden/store"
	"github.com/keywarden/keywarden/ui"
)

type setupOptions struct {
	exchange, env, name string
	accessible          bool
}

func newSetupCmd(a *app) *cobra.Command {
	var o setupOptions
	cmd := &cobra.Command{
		Use:   "setup",
		Short: "Create a key step by step: guide, masked input, save, then the live health screen",
		Long: `The wizard: choose the exchange, the environment and the markets the bot trades;
follow the exchange's own key-creation guide (which permissions to tick, what
stays off, the IP whitelist with this machine's public IP); paste the key into
masked input; name it; and land on the live health screen.

Ctrl+C or Esc before the key is saved saves nothing. Screen readers: set
ACCESSIBLE=1 (or pass --accessible) for plain prompts.`,
		Args: exactArgs(0, "setup takes no arguments; use --exchange, --env, --name"),
		RunE: func(cmd *cobra.Command, _ []string) error { return runSetup(a, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.exchange, "exchange", "", "exchange id: "+all.Known())
	f.StringVar(&o.env, "env", "", "environment: live, testnet or demo")
	f.StringVar(&o.name, "name", "", "profile name (default: the exchange's id)")
	f.BoolVar(&o.accessible, "accessible", false, "plain prompts for screen readers (also ACCESSIBLE=1)")
	return cmd
}

// accessible reports whether to use plain prompts instead of screens.
func (a *app) accessible(flag bool) bool {
	return flag || a.getenv("ACCESSIBLE") != "" || a.getenv("TERM") == "dumb"
}

func runSetup(a *app, o setupOptions) error {
	if o.exchange != "" {
		ad, ok := all.Lookup(o.exchange)
		if !ok {
			return usageErr(fmt.Errorf("unknown exchange %q: use one of %s", o.exchange, all.Known()))
		}
		if o.env != "" {
			if _, ok := ad.Info().Env(exchanges.Environment(o.env)); !ok {
				return usageErr(fmt.Errorf("%s has no %q environment: use %s", ad.Info().Name, o.env, envList(ad.Info())))
			}
		}
	}
	if o.name != "" {
		if err := store.ValidName(o.name); err != nil {
			return usageErr(err)
		}
	}
	if !a.io.InTTY || !a.io.OutTTY {
		return usageErr(errors.New("setup is interactive and needs a terminal; to add a key from a script, use `keywarden add NAME --exchange ID < key.json`"))
	}
	st, err := a.openStore()
	if err != nil {
		return err
	}
	// The passphrase is asked now, before any screen owns the terminal.
	if err := st.Unlock(); err != nil {
		return err
	}
	sess := checks.NewSession(a.sessionOptions(15 * time.Second))
	cfg := a.wizardConfig(st, sess, nil)
	cfg.Exchange, cfg.Env, cfg.Name = o.exchange, o.env, o.name
	res, err := a.runWizard(st, cfg, a.accessible(o.accessible))
	if err != nil || !res.Saved || res.Health == nil {
		return err
	}
	reports, _ := res.Health.Reports()
	return checkExit(reports, false)
}

// wizardConfig wires the wizard to the keyring and the checks. baseURLs
// (the demo's simulators) replace each exchange's host when given.
func (a *app) wizardConfig(st *store.Store, sess *checks.Session, baseURLs map[string]string) ui.WizardConfig {
	var infos []exchanges.Info
	for _, ad := range all.Adapters() {
		if ad.New != nil && (baseURLs == nil || baseURLs[ad.Info().ID] != "") {
			infos = append(infos, ad.Info())
		}
	}
	profileOf := func(s ui.Setup) store.Profile {
		p := store.Profile{Name: s.Name, Exchange: s.Info.ID, Environment: string(s.Env), BotIPs: s.BotIPs, BaseURL: baseURLs[s.Info.ID]}
		for _, m := range s.Markets {
			p.Markets = append(p.Markets, string(m))
		}
		return p
	}
	return ui.WizardConfig{
		Exchanges: infos,
		PublicIP:  sess.PublicIP,
		NameError: func(name string) error {
			if err := store.ValidName(name); err != nil {
				return errors.New("use lowercase letters, digits, . _ and - (up to 64), starting with a letter or digit")
			}
			if _, err := st.Get(name); err == nil {
				return fmt.Errorf("%q is taken; choose another name (to replace its key, use `keywarden rotate %s`)", name, name)
			}
			return nil
		},
		Save: func(s ui.Setup, replace bool) error {
			if replace {
				err := st.Replace(s.Name, s.Creds, nil)
				if err == nil {
					a.recordHistory(s.Name, "rotated", "credentials re-entered in setup, key "+exchanges.Fingerprint(s.Creds.Key))
				}
				return err
			}
			err := st.Add(profileOf(s), s.Creds)
			if err == nil {
				a.recordHistory(s.Name, "added", fmt.Sprintf("%s %s, key %s (setup)", s.Info.Name, s.Env, exchanges.Fingerprint(s.Creds.Key)))
			}
			return err
		},
		Check: func(s ui.Setup) ui.StartFunc {
			p, err := st.Get(s.Name)
			if err != nil {
				p = profileOf(s)
			}
			ad, _ := all.Lookup(s.Info.ID)
			ex, err := a.exchange(ad, p)
			if err != nil {
				return failedStart()
			}
			t := checkTarget{profile: p, info: s.Info, target: checks.Target{Exchange: ex, Creds: s.Creds, Profile: checkProfile(p)}}
			return a.startFunc([]checkTarget{t}, sess, 15*time.Second)
		},
		Color: a.color(),
	}
}

// failedStart is a run that cannot start (the profile's base URL does
// not parse): it ends at once, and the screen shows the rows as not run.
func failedStart() ui.StartFunc {
	return func(context.Context) <-chan ui.Event {
		ch := make(chan ui.Event)
		close(ch)
		return ch
	}
}

// runWizard runs the wizard (screens, or plain prompts for screen
// readers), then prints the outcome and remembers the check. A result
// that was not saved comes back with a nil error (Esc) or an interrupt.
func (a *app) runWizard(st *store.Store, cfg ui.WizardConfig, accessible bool) (ui.WizardResult, error) {
	var res ui.WizardResult
	var err error
	if accessible {
		res, err = ui.RunSetupAccessible(a.ctx, cfg, a.io.In, a.io.Err)
	} else {
		w := ui.NewWizard(cfg)
		p := tea.NewProgram(w, tea.WithContext(a.ctx), tea.WithOutput(a.io.Err))
		_, err = p.Run()
		res = w.Result()
		if err != nil && (errors.Is(err, tea.ErrProgramKilled) || errors.Is(err, tea.ErrInterrupted)) {
			err = nil
			if !res.Saved {
				res = ui.WizardResult{Aborted: true, Interrupted: true}
			}
		}
	}
	if err != nil {
		return res, fmt.Errorf("setup: %w", err)
	}
	if res.Aborted || !res.Saved {
		fmt.Fprintln(a.io.Err, "Setup cancelled: nothing was saved.")
		if res.Interrupted {
			return res, &exitError{code: exitInterrupted}
		}
		return res, nil
	}
	var reports []checks.Report
	if res.Health != nil {
		reports, _ = res.Health.Reports()
	}
	if len(reports) > 0 {
		_ = ui.WriteCheckText(a.io.Out, reports, ui.NewStyles(a.color()), exchangeNames(), a.termWidth())
		a.remember(st, reports)
	}
	if cfg.DemoKeys == nil {
		fmt.Fprintf(a.io.Out, "\nSaved %s (%s %s, key %s).\nCheck it any time with `keywarden check %s`; run your bot with `keywarden exec %s -- <command>`.\n",
			res.Setup.Name, res.Setup.Info.Name, res.Setup.Env, exchanges.Fingerprint(res.Setup.Creds.Key), res.Setup.Name, res.Setup.Name)
	}
	return res, nil
}
