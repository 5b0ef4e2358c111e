package bitget

import (
	"strings"

	"github.com/keywarden/keywarden/exchanges"
)

// keyInfo turns the account information into facts. Bitget names each
// permission with a code: "…or"/"…r" read-only, "…ow"/"…w" read and write
// (docs: spot/account/Get-Account-Info). Spot trading is stow, futures
// orders coow (futures holdings cpow), margin trading smow, wallet
// transfer wtow, withdrawal wwow. Older keys show the legacy values
// "readonly" and "trade", which say nothing about withdrawals or
// transfers. The information answered, which needs spot read, so Read is
// on. Bitget tells neither when the key was created nor when it expires.
func (a accountInfo) keyInfo() exchanges.KeyInfo {
	has := map[string]bool{}
	for _, x := range a.Authorities {
		has[strings.ToLower(strings.TrimSpace(x))] = true
	}
	ips := splitIPs(a.IPs)
	k := exchanges.KeyInfo{
		Read:         exchanges.Yes,
		IPRestricted: exchanges.FlagOf(len(ips) > 0),
		IPs:          ips,
		IPListKnown:  true,
	}
	list := `"` + strings.Join(a.Authorities, ",") + `"`
	if len(a.Authorities) == 0 {
		list = "(none)"
	}
	if modern(has) {
		k.Trade = map[exchanges.Market]exchanges.Flag{
			exchanges.Spot:    exchanges.FlagOf(has["stow"]),
			exchanges.Futures: exchanges.FlagOf(has["coow"]),
			exchanges.Margin:  exchanges.FlagOf(has["smow"]),
		}
		k.Withdraw = exchanges.FlagOf(has["wwow"])
		k.Transfer = exchanges.FlagOf(has["wtow"])
		k.Evidence = append(k.Evidence, "permissions from spot/account/info authorities: "+list)
		if has["coow"] && !has["cpow"] {
			k.Evidence = append(k.Evidence, "futures holdings are read-only (no cpow): changing leverage or margin will be refused")
		}
		return k
	}
	trade := exchanges.FlagOf(has["trade"])
	k.Trade = map[exchanges.Market]exchanges.Flag{exchanges.Spot: trade, exchanges.Futures: trade, exchanges.Margin: trade}
	if has["withdraw"] {
		k.Withdraw = exchanges.Yes
	}
	if has["transfer"] {
		k.Transfer = exchanges.Yes
	}
	k.Evidence = append(k.Evidence, "legacy permissions from spot/account/info authorities: "+list+"; they do not say whether withdrawals or transfers are off")
	return k
}

// modern reports whether the authorities use Bitget's per-product codes.
func modern(has map[string]bool) bool {
	for _, c := range []string{"coor", "cpor", "stor", "smor", "ttor", "wtor", "taxr", "chor", "p2pr", "pllr",
		"coow", "cpow", "stow", "smow", "ttow", "wtow", "wwow", "chow", "p2pw", "p2p", "pllw", "taxw"} {
		if has[c] {
			return true
		}
	}
	return false
}
