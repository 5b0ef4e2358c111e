package cli

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/all"
	"github.com/keywarden/keywarden/internal/botconfig"
)

// found is one credential in a file: the values of one exchange, in one
// docker-compose service (or the whole file).
type found struct {
	exchange string // exchange id; "" if the file does not say
	service  string
	group    string
	style    string // the exec env-style whose names the file uses, or ""
	values   map[string]botconfig.Value
}

func (f found) where() string {
	names := []string{}
	for _, fld := range []string{botconfig.FieldKey, botconfig.FieldSecret, botconfig.FieldPassphrase} {
		if v, ok := f.values[fld]; ok {
			names = append(names, v.Name)
		}
	}
	s := strings.Join(names, ", ")
	if f.service != "" {
		s += " (service " + f.service + ")"
	}
	return s
}

// pick groups the values of a file into credentials and returns the one
// to import: the only one, or the one of --exchange.
func pick(vs []botconfig.Value, exchangeFlag string) (found, error) {
	groups := map[string]*found{}
	var order []string
	for _, v := range vs {
		if placeholder(v.Value) && v.Field != botconfig.FieldExchange {
			continue
		}
		k := v.Service + "\x00" + v.Group
		g := groups[k]
		if g == nil {
			g = &found{service: v.Service, group: v.Group, values: map[string]botconfig.Value{}}
			groups[k] = g
			order = append(order, k)
		}
		if _, dup := g.values[v.Field]; !dup {
			g.values[v.Field] = v
		}
		if v.Style != "" {
			g.style = v.Style
		}
	}
	var cands []found
	for _, k := range order {
		g := groups[k]
		_, hasKey := g.values[botconfig.FieldKey]
		_, hasSecret := g.values[botconfig.FieldSecret]
		if !hasKey && !hasSecret {
			continue
		}
		switch g.group {
		case "FREQTRADE", "EXCHANGE", "":
			if e, ok := g.values[botconfig.FieldExchange]; ok {
				g.exchange = exchangeID(e.Value)
			}
		default:
			g.exchange = exchangeID(g.group)
			if g.exchange == "" {
				continue // POSTGRES_PASSWORD, TELEGRAM_KEY…: not an exchange's
			}
		}
		if exchangeFlag != "" && g.exchange != "" && g.exchange != exchangeFlag {
			continue
		}
		if g.exchange == "" {
			g.exchange = exchangeFlag
		}
		cands = append(cands, *g)
	}
	switch {
	case len(cands) == 1:
		if cands[0].exchange == "" {
			return found{}, usageErr(fmt.Errorf("the file does not say which exchange %s is for: give --exchange, one of %s", cands[0].where(), all.Known()))
		}
		return cands[0], nil
	case len(cands) == 0 && exchangeFlag != "":
		return found{}, usageErr(fmt.Errorf("no %s key in the file (variables like %s_API_KEY and %s_API_SECRET, or freqtrade's exchange.key and exchange.secret)", exchangeFlag, strings.ToUpper(exchangeFlag), strings.ToUpper(exchangeFlag)))
	case len(cands) == 0:
		return found{}, usageErr(errors.New("no exchange key in the file: looked for variables like BINANCE_API_KEY / BINANCE_API_SECRET, EXCHANGE_API_KEY, FREQTRADE__EXCHANGE__KEY, and freqtrade's exchange.key / exchange.secret"))
	}
	var list []string
	for _, c := range cands {
		list = append(list, c.where())
	}
	sort.Strings(list)
	return found{}, usageErr(fmt.Errorf("the file holds %d keys (%s): import one at a time with --exchange", len(cands), strings.Join(list, "; ")))
}

// exchangeID recognises an exchange in a name as a file writes it:
// "binance", "OKX", "gateio", "MY_BOT_BYBIT".
func exchangeID(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, tok := range append([]string{s}, strings.FieldsFunc(s, func(r rune) bool { return r == '_' || r == '-' || r == '.' })...) {
		if ad, ok := all.Lookup(tok); ok {
			return ad.Info().ID
		}
		for id, names := range exchangeAliases {
			for _, n := range names {
				if tok == n {
					return id
				}
			}
		}
	}
	return ""
}

// exchangeAliases are other names ccxt and bots use for an exchange.
var exchangeAliases = map[string][]string{
	"okx": {"okex", "okx5"}, "gate": {"gateio", "gate.io"}, "kucoin": {"kucoinfutures"},
	"binance": {"binanceusdm", "binancecoinm", "binanceus"}, "coinbase": {"coinbaseadvanced", "coinbasepro", "cdp"},
}

// placeholder reports whether a value is a reference or a stand-in, not a
// key: ${VAR}, $VAR, <your key>, "your_api_key", "changeme".
func placeholder(v string) bool {
	l := strings.ToLower(strings.TrimSpace(v))
	if l == "" || strings.HasPrefix(l, "$") || strings.HasPrefix(l, "<") || strings.HasPrefix(l, "{{") {
		return true
	}
	for _, s := range []string{"your", "xxxx", "changeme", "change_me", "placeholder", "replace", "example"} {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

// credentials validates the values as `add` does.
func (f found) credentials(info exchanges.Info) (exchanges.Credentials, []string, error) {
	get := func(field string) *string {
		if v, ok := f.values[field]; ok {
			s := v.Value
			return &s
		}
		return nil
	}
	c, notes, err := cleanCredentials(info, get(botconfig.FieldKey), get(botconfig.FieldSecret), get(botconfig.FieldPassphrase))
	if err != nil {
		return c, nil, usageErr(fmt.Errorf("%s in the file: %w; nothing was changed", f.where(), err))
	}
	return c, notes, nil
}
