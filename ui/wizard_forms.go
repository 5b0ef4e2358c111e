package ui

import (
	"errors"
	"fmt"
	"net"
	"strings"

	"charm.land/huh/v2"

	"github.com/keywarden/keywarden/exchanges"
)

// buildForm returns the form of step s, or nil while it cannot be built
// yet (the bot-IP step waits for the public IP lookup).
func (w *Wizard) buildForm(s step) *huh.Form {
	info := w.info()
	var field huh.Field
	switch s {
	case stepExchange:
		var opts []huh.Option[string]
		for _, i := range w.cfg.Exchanges {
			opts = append(opts, huh.NewOption(i.Name, i.ID))
		}
		if w.exID == "" && len(opts) > 0 {
			w.exID = opts[0].Value
		}
		field = huh.NewSelect[string]().Title("Which exchange will the bot trade on?").Options(opts...).Value(&w.exID).Height(min(len(opts)+2, 13))
	case stepEnv:
		var opts []huh.Option[string]
		for _, e := range info.Environments {
			label := string(e.ID)
			if e.Name != "" && !strings.EqualFold(e.Name, info.Name) {
				label += " — " + e.Name
			}
			opts = append(opts, huh.NewOption(label, string(e.ID)))
		}
		if w.env == "" {
			w.env = string(info.Environments[0].ID)
		}
		field = huh.NewSelect[string]().Title("Where does the bot trade?").
			Description("live is real money; testnet and demo are practice accounts with their own keys").
			Options(opts...).Value(&w.env)
	case stepMarkets:
		var opts []huh.Option[string]
		for _, m := range info.Markets {
			opts = append(opts, huh.NewOption(marketLabel(m), string(m)).Selected(m == info.Markets[0] || contains(w.markets, string(m))))
		}
		field = huh.NewMultiSelect[string]().Title("Which markets will the bot trade?").
			Description("they decide which trade permissions the key needs (x toggles, enter goes on)").
			Options(opts...).Value(&w.markets).Height(len(opts) + 4).
			Validate(func(v []string) error {
				if len(v) == 0 {
					return errors.New("choose at least one market")
				}
				return nil
			})
	case stepIP:
		if !w.ipDone {
			return nil
		}
		here := "This machine"
		if w.ipErr == nil {
			here += " (" + w.thisIP + ")"
		} else {
			here += " (its public IP could not be looked up)"
		}
		if w.ipChoice == "" {
			w.ipChoice = "here"
			if w.ipErr != nil {
				w.ipChoice = "other"
			}
		}
		choose := huh.NewSelect[string]().Title("Where will the bot run?").
			Description("the key will be restricted to this IP address").
			Options(huh.NewOption(here, "here"), huh.NewOption("Another server: I'll type its public IP", "other")).
			Value(&w.ipChoice)
		ipInput := huh.NewInput().Title("The bot server's public IP").
			Description("IPv4 or IPv6, e.g. 203.0.113.7 — run `curl -4 ifconfig.me` on that server to see it").
			Value(&w.botIP).Validate(func(s string) error {
			s = strings.TrimSpace(s)
			if net.ParseIP(s) == nil {
				return errors.New("not an IP address")
			}
			return nil
		})
		return w.newForm(
			huh.NewGroup(choose),
			huh.NewGroup(ipInput).WithHideFunc(func() bool { return w.ipChoice != "other" }),
		)
	case stepName:
		if w.name == "" {
			w.name = w.defaultName()
		}
		in := huh.NewInput().Title("Name this key in keywarden").
			Description("lowercase letters, digits, . _ and -; you will use it as `keywarden check " + w.name + "`").
			Value(&w.name).Validate(func(s string) error {
			if w.cfg.NameError != nil {
				return w.cfg.NameError(s)
			}
			return nil
		})
		if w.saveErr != "" {
			in.Description("could not save: " + w.saveErr)
		}
		field = in
	default:
		return nil
	}
	return w.newForm(huh.NewGroup(field))
}

func (w *Wizard) newForm(groups ...*huh.Group) *huh.Form {
	theme := huh.ThemeFunc(huh.ThemeCharm)
	if !w.cfg.Color {
		theme = huh.ThemeFunc(huh.ThemeBase)
	}
	return huh.NewForm(groups...).WithTheme(theme).WithShowHelp(true).WithWidth(min(w.width, 100))
}

// defaultName is the exchange id, with the environment when it is not
// live, and a number when that is taken.
func (w *Wizard) defaultName() string {
	base := w.exID
	if w.env != "" && w.env != string(exchanges.Live) {
		base += "-" + w.env
	}
	name := base
	for i := 2; w.cfg.NameError != nil && w.cfg.NameError(name) != nil && i < 100; i++ {
		name = fmt.Sprintf("%s-%d", base, i)
	}
	return name
}

func marketLabel(m exchanges.Market) string {
	switch m {
	case exchanges.Spot:
		return "spot"
	case exchanges.Futures:
		return "futures / perpetuals"
	case exchanges.Margin:
		return "margin"
	}
	return string(m)
}

func contains(v []string, s string) bool {
	for _, x := range v {
		if x == s {
			return true
		}
	}
	return false
}
