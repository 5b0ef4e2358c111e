package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"charm.land/huh/v2"

	"github.com/keywarden/keywarden/exchanges"
)

// RunSetupAccessible is the wizard as plain, one-question-at-a-time
// prompts for screen readers (huh's accessible mode): the same steps and
// the same checks, no screen drawing. Every answer is validated again
// after each prompt, since huh's accessible mode drops field errors.
func RunSetupAccessible(ctx context.Context, cfg WizardConfig, in io.Reader, out io.Writer) (WizardResult, error) {
	w := NewWizard(cfg)
	say := func(s string) { fmt.Fprintln(out, s) }
	ask := func(f huh.Field) error {
		return huh.NewForm(huh.NewGroup(f)).WithAccessible(true).WithInput(in).WithOutput(out).RunWithContext(ctx)
	}
	abort := func(err error) (WizardResult, error) {
		if errors.Is(err, huh.ErrUserAborted) || ctx.Err() != nil {
			return WizardResult{Aborted: true, Interrupted: true}, nil
		}
		return WizardResult{Aborted: true}, err
	}
	say("keywarden setup. Answer each question; Ctrl+C leaves without saving anything.")
	for _, s := range []step{stepExchange, stepEnv, stepMarkets} {
		if w.skip(s) {
			continue
		}
		if f := w.buildForm(s); f != nil {
			if err := ask(f.GetFocusedField()); err != nil {
				return abort(err)
			}
		}
	}
	if len(w.markets) == 0 {
		w.markets = []string{string(w.info().Markets[0])}
	}
	if cfg.PublicIP != nil {
		w.thisIP, w.ipErr = cfg.PublicIP(ctx)
	}
	w.ipDone = true
	if w.ipErr == nil {
		use := true
		if err := ask(huh.NewConfirm().Title("Will the bot run on this machine, public IP " + w.thisIP + "?").Value(&use)); err != nil {
			return abort(err)
		}
		w.ipChoice = map[bool]string{true: "here", false: "other"}[use]
	} else {
		say("This machine's public IP could not be looked up.")
		w.ipChoice = "other"
	}
	for w.ipChoice == "other" && net.ParseIP(strings.TrimSpace(w.botIP)) == nil {
		if err := ask(huh.NewInput().Title("The bot server's public IP address:").Value(&w.botIP)); err != nil {
			return abort(err)
		}
		if net.ParseIP(strings.TrimSpace(w.botIP)) == nil {
			say("That is not an IP address, like 203.0.113.7. Try again.")
		}
	}
	w.botIP = strings.TrimSpace(w.botIP)

	for {
		for _, p := range w.guideText() {
			indent := ""
			if p.mark != "" {
				indent = strings.Repeat(" ", len([]rune(p.mark))+1)
			}
			for i, l := range wrap(p.text, 78-len(indent)) {
				if i == 0 && p.mark != "" {
					l = p.mark + " " + l
				} else {
					l = indent + l
				}
				say(l)
			}
		}
		created := true
		if err := ask(huh.NewConfirm().Title("Is the key created?").Affirmative("Yes, go on").Negative("Show the guide again").Value(&created)); err != nil {
			return abort(err)
		}
		if created {
			break
		}
	}
	if err := askCredentials(ctx, w, ask, say); err != nil {
		return abort(err)
	}
	for {
		if w.name == "" {
			w.name = w.defaultName()
		}
		if err := ask(huh.NewInput().Title("Name this key in keywarden (Enter keeps " + w.name + "):").Value(&w.name)); err != nil {
			return abort(err)
		}
		if cfg.NameError == nil || cfg.NameError(w.name) == nil {
			break
		}
		say(cfg.NameError(w.name).Error())
		w.name = ""
	}
	if err := cfg.Save(w.Setup(), false); err != nil {
		return WizardResult{Aborted: true}, err
	}
	w.saved = true
	for {
		h := runPlainCheck(ctx, w, out)
		w.health = h
		action := "done"
		if err := ask(huh.NewSelect[string]().Title("What next?").Options(
			huh.NewOption("Done", "done"),
			huh.NewOption("I fixed it on the exchange: check again", "again"),
			huh.NewOption("Re-enter the credentials", "creds"),
		).Value(&action)); err != nil || action == "done" {
			break
		}
		if action == "creds" {
			w.creds.Reset()
			if err := askCredentials(ctx, w, ask, say); err != nil {
				break
			}
			if err := cfg.Save(w.Setup(), true); err != nil {
				say("Could not save: " + err.Error())
			}
		}
	}
	return WizardResult{Saved: true, Setup: w.Setup(), Health: w.health}, nil
}

// askCredentials asks each field masked, cleans and checks it, and asks
// again until the set is valid.
func askCredentials(ctx context.Context, w *Wizard, ask func(huh.Field) error, say func(string)) error {
	if w.creds == nil {
		w.creds = NewCreds(w.info(), w.st)
	}
	c := w.creds
	for tries := 0; ; tries++ {
		for i, f := range c.fields {
			for {
				var v string
				if err := ask(huh.NewInput().Title(f.Label + " (" + f.Help + "):").EchoMode(huh.EchoModePassword).Value(&v)); err != nil {
					return err
				}
				c.focus = i
				c.paste(v)
				if len(c.notes[i]) > 0 {
					say("Removed from what you pasted: " + strings.Join(c.notes[i], ", ") + ".")
				}
				if c.check(i) {
					if f.ID == exchanges.FieldKey {
						say("Key " + exchanges.Fingerprint(c.values[i]) + " accepted.")
					}
					break
				}
				if c.values[i] == "" {
					say(f.Label + " is empty (masked input needs a terminal). Paste it again.")
				} else {
					say(f.Label + ": " + c.errs[i] + ". Paste it again.")
				}
			}
		}
		if sw := c.swapped(); sw != "" {
			say(sw + ".")
			c.Reset()
			continue
		}
		if err := exchanges.ValidateCredentials(c.info, c.Credentials()); err != nil {
			say(err.Error() + ".")
			c.Reset()
			if tries > 5 {
				return err
			}
			continue
		}
		return nil
	}
}

// runPlainCheck runs the health check and prints it as text.
func runPlainCheck(ctx context.Context, w *Wizard, out io.Writer) *Health {
	s := w.Setup()
	h := NewHealth([]HealthTarget{{Name: s.Name, ExchangeName: s.Info.Name, Environment: string(s.Env)}}, w.cfg.Check(s), false)
	h.results, h.reports = nil, nil
	h.startRun()
	for {
		ev, ok := <-h.events
		if !ok {
			break
		}
		h.apply(ev)
	}
	h.running = false
	reports, _ := h.Reports()
	fmt.Fprintln(out)
	_ = WriteCheckText(out, reports, NewStyles(false), map[string]string{s.Info.ID: s.Info.Name}, 0)
	return h
}
