package cli

import (
	"bufio"
	"errors"
	"fmt"
	"strings"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/all"
	"github.com/keywarden/keywarden/store"
)

// rebuild restores the profiles of the secrets no profile names, saying
// for each where its metadata came from. ask: questions on the terminal
// for what an old secret cannot tell.
func (a *app) rebuild(st *store.Store, ask bool) error {
	found, err := st.Recoverable() // the passphrase is asked and verified here
	if err != nil {
		return err
	}
	events, _ := st.History("")
	var ps []store.Profile
	var lines []string
	for _, f := range found {
		name := f.Profile.Name
		if f.Err != nil {
			lines = append(lines, fmt.Sprintf("  %s: not rebuilt, the secret cannot be read (%v); it is kept as it is", name, f.Err))
			continue
		}
		p, how := f.Profile, "as saved with the secret"
		if !f.Complete {
			p, how = a.completeOld(f, events, ask)
		}
		ps = append(ps, p)
		lines = append(lines, fmt.Sprintf("  %s: %s, key %s (%s)", name, describeRebuilt(p), p.Fingerprint, how))
	}
	if len(ps) == 0 {
		fmt.Fprintln(a.io.Out, "\nNo profile was rebuilt:")
		fmt.Fprintln(a.io.Out, strings.Join(lines, "\n"))
		return nil
	}
	kept, err := st.Restore(ps)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.io.Out, "\nRebuilt %s from the secrets in the keyring:\n%s\n", plural(len(ps), "profile"), strings.Join(lines, "\n"))
	if kept != "" {
		fmt.Fprintf(a.io.Out, "The damaged profiles.json is kept as %s.\n", kept)
	}
	for _, p := range ps {
		a.recordHistory(p.Name, store.EventAdded, "profile rebuilt from its secret by keywarden doctor, key "+p.Fingerprint)
	}
	return nil
}

// unknownExchange is the error for a profile whose exchange this
// keywarden does not know, or that names none (rebuilt from an old item).
func unknownExchange(p store.Profile) error {
	if p.Exchange == "" {
		return usageErr(fmt.Errorf("profile %s does not name its exchange (it was rebuilt from a secret saved by an older keywarden): run `keywarden doctor` on a terminal to give it", p.Name))
	}
	return usageErr(fmt.Errorf("profile %s: unknown exchange %q (this keywarden knows %s)", p.Name, p.Exchange, all.Known()))
}

// describeRebuilt is "Binance live" or "exchange unknown".
func describeRebuilt(p store.Profile) string {
	if p.Exchange == "" {
		return "exchange unknown"
	}
	name := p.Exchange
	if ad, ok := all.Lookup(p.Exchange); ok {
		name = ad.Info().Name
	}
	return strings.TrimSpace(name + " " + p.Environment)
}

// completeOld fills in what a secret of an older keywarden does not carry:
// the exchange from the history log (an event of the same profile and
// key), else from the key's format when exactly one exchange accepts it,
// else from the person on the terminal; the environment is the exchange's
// default; when it was added from the history, else the file's time.
// Markets, bot IPs and base URL stay empty (the defaults).
func (a *app) completeOld(f store.Recovered, events []store.Event, ask bool) (store.Profile, string) {
	p := f.Profile
	how := []string{}
	for _, e := range events {
		if e.Profile != p.Name || e.Fingerprint != p.Fingerprint {
			continue
		}
		if p.Exchange == "" && e.Exchange != "" {
			p.Exchange = e.Exchange
		}
		if (e.Event == store.EventAdded || e.Event == store.EventRotated) && p.AddedAt.IsZero() {
			p.AddedAt = e.Time
		}
	}
	switch {
	case p.Exchange != "":
		how = append(how, "exchange from the history log")
	default:
		if id := exchangeByFormat(f.Creds); id != "" {
			p.Exchange = id
			how = append(how, "exchange told by the key's format")
		} else if ask {
			if p.Exchange = a.askExchange(p.Name, p.Fingerprint); p.Exchange != "" {
				how = append(how, "exchange as you said")
			}
		}
	}
	if ad, ok := all.Lookup(p.Exchange); ok {
		p.Environment = string(ad.Info().Environments[0].ID)
		how = append(how, "environment assumed "+p.Environment)
	} else {
		p.Exchange = ""
		how = append(how, "exchange unknown: run keywarden doctor on a terminal to give it")
	}
	if p.AddedAt.IsZero() {
		p.AddedAt = f.Written
	}
	how = append(how, "an older secret: markets, bot IPs and base URL were not saved with it")
	return p, strings.Join(how, "; ")
}

// exchangeByFormat returns the one exchange whose credential rules accept
// c, or "" when none or several do.
func exchangeByFormat(c exchanges.Credentials) string {
	id := ""
	for _, ad := range all.Adapters() {
		if exchanges.ValidateCredentials(ad.Info(), c) == nil {
			if id != "" {
				return ""
			}
			id = ad.Info().ID
		}
	}
	return id
}

// askExchange asks on the terminal which exchange a key belongs to; ""
// when there is no terminal or no answer.
func (a *app) askExchange(name, fingerprint string) string {
	for tries := 0; tries < 3; tries++ {
		answer, err := a.askLine(fmt.Sprintf("Exchange of %s (key %s)? One of %s; Enter leaves it unknown: ", name, fingerprint, all.Known()))
		answer = strings.ToLower(strings.TrimSpace(answer))
		if err != nil || answer == "" {
			return ""
		}
		if _, ok := all.Lookup(answer); ok {
			return answer
		}
		fmt.Fprintf(a.io.Err, "%q is not an exchange keywarden knows.\n", answer)
	}
	return ""
}

// askMissingExchanges asks, on the terminal, for the exchange of every
// profile that does not name one, and saves each answer. It returns how
// many it set.
func (a *app) askMissingExchanges(st *store.Store) (int, error) {
	r, err := st.Diagnose()
	if err != nil || len(r.NoExchange) == 0 {
		return 0, err
	}
	n := 0
	for _, name := range r.NoExchange {
		p, err := st.Get(name)
		if err != nil {
			return n, err
		}
		id := a.askExchange(name, p.Fingerprint)
		if id == "" {
			continue
		}
		ad, _ := all.Lookup(id)
		err = st.Update(name, func(p *store.Profile) error {
			p.Exchange, p.Environment = id, string(ad.Info().Environments[0].ID)
			return nil
		})
		if err != nil {
			return n, err
		}
		fmt.Fprintf(a.io.Out, "  %s: exchange set to %s, environment %s.\n", name, ad.Info().Name, ad.Info().Environments[0].ID)
		n++
	}
	return n, nil
}

// askLine asks a question on the terminal and returns the answer line.
func (a *app) askLine(question string) (string, error) {
	if a.io.OpenTTY == nil {
		return "", usageErr(errors.New("not on a terminal"))
	}
	tty, err := a.io.OpenTTY()
	if err != nil {
		return "", usageErr(errors.New("not on a terminal"))
	}
	defer tty.Close()
	fmt.Fprint(tty, question)
	ch := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(tty).ReadString('\n')
		ch <- line
	}()
	select {
	case line := <-ch:
		return strings.TrimSpace(line), nil
	case <-a.ctx.Done():
		return "", errInterrupted
	}
}
