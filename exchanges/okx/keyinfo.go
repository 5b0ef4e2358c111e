package okx

import (
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// idleExpiry is OKX's rule for keys with Trade or Withdraw and no bound IP:
// they expire after 14 days without a request that needs key
// authentication (docs-v5 Overview → API key security). Demo Trading keys
// never expire.
const idleExpiry = 14 * 24 * time.Hour

// accountModes names acctLv values, for the evidence line.
var accountModes = map[string]string{"1": "Spot mode", "2": "Futures mode", "3": "Multi-currency margin mode", "4": "Portfolio margin mode"}

// keyInfo turns the account configuration into facts. OKX has three
// permissions: read_only, trade and withdraw. Trade covers every market
// (spot, margin, derivatives) and also funding transfers, so Trade and
// Transfer follow it. The configuration answered, which needs Read, so
// Read is on whatever perm says. now is when the answer arrived: the
// signed request that read it counts as use of the key.
func (c accountConfig) keyInfo(demo bool, now time.Time) exchanges.KeyInfo {
	perms := map[string]bool{}
	for _, p := range splitList(c.Perm) {
		perms[p] = true
	}
	trade := exchanges.FlagOf(perms["trade"])
	ips := splitList(c.IP)
	k := exchanges.KeyInfo{
		Read:         exchanges.Yes,
		Trade:        map[exchanges.Market]exchanges.Flag{exchanges.Spot: trade, exchanges.Futures: trade, exchanges.Margin: trade},
		Withdraw:     exchanges.FlagOf(perms["withdraw"]),
		Transfer:     trade,
		IPRestricted: exchanges.FlagOf(len(ips) > 0),
		IPs:          ips,
		IPListKnown:  true,
		Label:        c.Label,
		ExpiryKnown:  true,
	}
	k.Evidence = append(k.Evidence, "permissions from account/config perm: "+quoteOr(c.Perm, "(empty)")+"; OKX's Trade permission covers spot, margin and derivatives, and funding transfers")
	if m, ok := accountModes[c.AcctLv]; ok {
		k.Evidence = append(k.Evidence, "account mode: "+m)
	}
	switch {
	case demo:
		k.Evidence = append(k.Evidence, "expiry: Demo Trading keys do not expire")
	case len(ips) > 0 || (!perms["trade"] && !perms["withdraw"]):
		k.Evidence = append(k.Evidence, "expiry: OKX lets only keys with Trade or Withdraw and no bound IP expire")
	default:
		k.IdleExpiry = idleExpiry
		k.Evidence = append(k.Evidence, "expiry: OKX deletes keys with Trade or Withdraw and no bound IP after 14 days without use; this check counted as use")
	}
	return k
}

func quoteOr(s, empty string) string {
	if s == "" {
		return empty
	}
	return `"` + s + `"`
}
