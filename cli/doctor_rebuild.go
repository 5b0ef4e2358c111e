package cli

import (
	"bufio"
	"errors"
	"fmt"
	"strings"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/all"
	"github.com/keywarden/keywarden/internal/textsafe"
	"github.com/keywarden/keywarden/store"
	"github.com/keywarden/keywarden/ui"
)

// rebuild restores the profiles of the secrets no profile names, saying
// for each where its metadata came from. ask: questions on the terminal
// for what an old secret cannot tell. It returns the names rebuilt.
func (a *app) rebuild(st *store.Store, ask bool) ([]string, error) {
	found, err := st.Recoverable() // the passphrase is asked and verified here
	if err != nil {
		return nil, err
	}
	events, _ := st.History("")
	var ps []store.Profile
	var views []ui.Rebuilt
	for _, f := range found {
		name := f.Profile.Name
		if f.Err != nil {
			views = append(views, ui.Rebuilt{Name: name, What: "not rebuilt", Failed: true,
				How: fmt.Sprintf("the secret cannot be read (%v); it is kept as it is", f.Err)})
			continue
		}
		p, how := f.Profile, "as saved with the secret"
		if !f.Complete {
			p, how = a.completeOld(f, events, ask)
		}
		ps = append(ps, p)
		views = append(views, ui.Rebuilt{Name: name, What: describeRebuilt(p), Fingerprint: p.Fingerprint, How: how})
	}
	kept := ""
	if len(ps) > 0 {
		if kept, err = st.Restore(ps); err != nil {
			return nil, err
		}
	}
	if err := ui.WriteRebuilt(a.io.Out, views, kept, a.termWidth()); err != nil {
		return nil, err
	}
	var names []string
	for _, p := range ps {
		a.recordHistory(p.Name, store.EventAdded, "profile rebuilt from its secret by keywarden doctor")
		names = append(names, p.Name)
	}
	return names, nil
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
			how = append(how, "exchange recognised by the key's format")
		} else if ask {
			if p.Exchange = a.askExchange(p.Name, f.Creds); p.Exchange != "" {
				how = append(how, "exchange as you said")
			}
		}
	}
	if ad, ok := all.Lookup(p.Exchange); ok {
		p.Environment = string(ad.Info().Environments[0].ID)
		how = append(how, "environment assumed "+p.Environment)
	} else {
		p.Exchange = ""
		how = append(how, "exchange unknown: keywarden doctor on a terminal asks for it")
	}
	if p.AddedAt.IsZero() {
		p.AddedAt = f.Written
	}
	how = append(how, "markets, bot IPs and base URL were not saved with secrets of older keywardens")
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

// askExchange asks on the terminal which exchange a key belongs to, and
// refuses one whose credential format the key does not have; "" when
// there is no terminal or no answer.
func (a *app) askExchange(name string, c exchanges.Credentials) string {
	for tries := 0; tries < 3; tries++ {
		answer, err := a.askLine(fmt.Sprintf("Exchange of %s (key %s)? One of %s; Enter leaves it unknown: ", name, exchanges.Fingerprint(c.Key), all.Known()))
		answer = strings.ToLower(strings.TrimSpace(answer))
		if err != nil || answer == "" {
			return ""
		}
		ad, ok := all.Lookup(answer)
		if !ok {
			fmt.Fprintf(a.io.Err, "%q is not an exchange keywarden knows.\n", textsafe.Line(answer))
			continue
		}
		if err := exchanges.ValidateCredentials(ad.Info(), c); err != nil {
			fmt.Fprintf(a.io.Err, "The key of %s does not fit %s: %v.\n", name, ad.Info().Name, err)
			continue
		}
		return answer
	}
	return ""
}

// askMissingExchanges asks, on the terminal, for the exchange of every
// profile that does not name one (except those in skip: just asked), and
// saves each answer. It returns how many it set.
func (a *app) askMissingExchanges(st *store.Store, skip []string) (int, error) {
	r, err := st.Diagnose()
	if err != nil || len(r.NoExchange) == 0 {
		return 0, err
	}
	n := 0
	for _, name := range r.NoExchange {
		if contains(skip, name) {
			continue
		}
		c, err := st.Credentials(name) // asks for the passphrase once
		if err != nil {
			return n, err
		}
		id := a.askExchange(name, c)
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

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
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
