package deribit

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// Deribit's permissions are scopes: account, trade and wallet, each none,
// read or read_write. trade:read_write places and cancels orders on every
// instrument; wallet:read_write withdraws and transfers between accounts.

// fromKey turns the key's own list_api_keys entry into facts: max_scope is
// the key's configuration, ip_whitelist its IP restriction.
func fromKey(k apiKey) exchanges.KeyInfo {
	// Deribit documents that a scope missing from max_scope is none.
	ki := permissions(parseScope(*k.MaxScope), true)
	ki.Label = k.Name
	ki.IPListKnown = true
	ki.IPRestricted = exchanges.FlagOf(len(k.IPWhitelist) > 0)
	ki.IPs = append([]string(nil), k.IPWhitelist...)
	if k.Timestamp > 0 {
		ki.Created = time.UnixMilli(k.Timestamp)
	}
	// Deribit keys have no expiry date.
	ki.ExpiryKnown = true
	// Created is Deribit's timestamp for the key, which later edits of
	// the key also move: the key may be older, never younger.
	ki.Evidence = []string{"permissions from the key's max_scope in private/list_api_keys (" + *k.MaxScope + ")"}
	if k.Enabled != nil && !*k.Enabled {
		ki.Evidence = append(ki.Evidence, "list_api_keys shows the key as disabled")
	}
	return ki
}

// fromScope is what the login alone tells: the scope Deribit granted the
// token, which never exceeds the key's max_scope. The IP whitelist and the
// key's date stay unknown.
func fromScope(tokenScope, why string) exchanges.KeyInfo {
	ki := permissions(parseScope(tokenScope), false)
	ki.ExpiryKnown = true
	ki.Evidence = []string{
		"permissions from the scope Deribit granted at login (\"" + tokenScope + "\"); " + why,
		"IP whitelist and creation date unknown: only private/list_api_keys shows them",
	}
	return ki
}

func permissions(sc scope, absentIsNone bool) exchanges.KeyInfo {
	flag := func(name, yes string) exchanges.Flag {
		switch l := sc.level(name, absentIsNone); {
		case l == "":
			return exchanges.Unknown
		case yes == "read":
			return exchanges.FlagOf(l == "read" || l == "read_write")
		default:
			return exchanges.FlagOf(l == yes)
		}
	}
	wallet := flag("wallet", "read_write")
	return exchanges.KeyInfo{
		Read:     flag("account", "read"),
		Trade:    map[exchanges.Market]exchanges.Flag{exchanges.Futures: flag("trade", "read_write")},
		Withdraw: wallet,
		Transfer: wallet,
	}
}

// balanceOf turns the per-currency summaries into holdings. Deribit keeps
// one margin account per currency, in the main account or a subaccount.
func balanceOf(sums []summary, main bool) exchanges.Balance {
	acct := "subaccount"
	if main {
		acct = "main account"
	}
	b := exchanges.Balance{Accounts: []string{acct}}
	for _, s := range sums {
		if s.EquityUSD != "" && b.Totals == nil {
			b.Totals = map[string]string{"total equity (USD)": s.EquityUSD}
		}
		if exchanges.IsZeroDecimal(s.Balance) {
			continue
		}
		free := s.Available
		if free == "" {
			free = s.Balance
		}
		b.Assets = append(b.Assets, exchanges.Asset{Asset: s.Currency, Free: free, Total: s.Balance, Account: acct})
	}
	return b
}

// narrow turns a refused login (13004 invalid_credentials, 13009
// unauthorized) into its one cause, with read-only evidence:
//
//  1. Deribit's clock (public/get_time): a signed timestamp more than 60 s
//     off is refused, so a clock that far off is the cause;
//  2. without a base URL override, the same login on Deribit's other
//     environment: accepted there means the key belongs to it;
//  3. otherwise Deribit does not accept the Client ID and Client Secret
//     together. It answers alike for an unknown Client ID, a wrong Client
//     Secret and a disabled key, so the three cannot be told apart.
func (c *client) narrow(ctx context.Context, creds exchanges.Credentials, orig *exchanges.Error) error {
	e := *orig
	if ts, err := c.ServerTime(ctx); err == nil {
		off, slack := ts.Offset(), ts.RTT()/2
		w := Info().Clock
		switch {
		case off-slack > w.Ahead:
			e.Class = exchanges.ErrClockSkew
			e.Cause = fmt.Sprintf("this machine's clock is %s ahead of Deribit's, and Deribit refuses a signed login more than %s off", off.Round(time.Second), w.Ahead)
			return &e
		case -off-slack > w.Behind:
			e.Class = exchanges.ErrClockSkew
			e.Cause = fmt.Sprintf("this machine's clock is %s behind Deribit's, and Deribit refuses a signed login older than %s", (-off).Round(time.Second), w.Behind)
			return &e
		}
	}
	if c.cfg.BaseURL == nil {
		for _, env := range Info().Environments {
			if env.ID == c.cfg.Environment || (c.cfg.Environment == "" && env.ID == exchanges.Live) {
				continue
			}
			u, _ := url.Parse(env.BaseURL)
			_, err := c.authRequest(ctx, "probe "+env.Name, u, creds)
			if e2, ok := exchanges.AsError(err); err == nil || (ok && e2.Code == "13021") {
				e.Class = exchanges.ErrWrongEnvironment
				e.Cause = "the key logs in on Deribit " + env.Name + ", not on " + c.envName()
				return &e
			}
		}
	}
	e.Class = exchanges.ErrBadKey
	e.Cause = "Deribit (" + c.base.Host + ") does not accept this Client ID with this Client Secret" +
		": it answers alike for an unknown Client ID, a wrong Client Secret and a disabled key"
	return &e
}
