package checks

import (
	"errors"
	"fmt"
	"net"
	"sort"
	"strings"

	"github.com/keywarden/keywarden/exchanges"
)

// botIPs are the IPs the key must work from: the profile's, or this
// machine's public IP.
func (f Facts) botIPs() []string {
	if len(f.Profile.BotIPs) > 0 {
		return f.Profile.BotIPs
	}
	if f.PublicIP.Err == nil && f.PublicIP.Value != "" {
		return []string{f.PublicIP.Value}
	}
	return nil
}

func judgeIP(f Facts) Result {
	r := Result{ID: "ip_whitelist"}
	if _, err := authOutcome(f); errors.Is(err, exchanges.ErrIPNotAllowed) {
		r.Status, r.Cause = Fail, CauseIPNotAllowed
		r.Summary = fmt.Sprintf("this machine's IP %s is not on the key's whitelist", f.ipVar())
		r.Detail = errDetail(err)
		r.Fix = f.fix(exchanges.FixIPMissing, map[string]string{"ip": f.ipVar(), "ips": f.ipVar()})
		return r
	}
	r, ok := afterAuth(f, "ip_whitelist")
	if !ok {
		return r
	}
	bots := f.botIPs()
	ips := strings.Join(bots, ", ")
	if ips == "" {
		ips = "the bot's IP"
	}
	vars := map[string]string{"ips": ips, "ip": ips}
	if f.Key.Err != nil {
		r.Status, r.Cause = Warn, CauseIPUnknown
		r.Summary = f.Info.Name + " did not say whether the key is IP-restricted"
		r.Detail = joinDetail(errDetail(f.Key.Err), proven(f.hereIfAccepted()))
		r.Fix = f.fix(exchanges.FixIPUnknown, vars)
		return r
	}
	k := f.Key.Value
	restricted := k.IPRestricted
	if restricted == exchanges.Unknown && k.IPListKnown {
		restricted = exchanges.FlagOf(len(k.IPs) > 0)
	}
	switch restricted {
	case exchanges.No:
		r.Status, r.Cause = Warn, CauseIPUnrestricted
		r.Summary = "the key works from any IP"
		r.Detail = f.Info.UnrestrictedIP
		r.Fix = f.fix(exchanges.FixIPUnrestricted, vars)
		return r
	case exchanges.Unknown:
		r.Status, r.Cause = Warn, CauseIPUnknown
		r.Summary = f.Info.Name + " does not tell whether the key is IP-restricted"
		r.Detail = joinDetail(f.evidence("ip"), proven(f.hereIfAccepted()))
		r.Fix = f.fix(exchanges.FixIPUnknown, vars)
		return r
	}
	if len(bots) == 0 {
		r.Status, r.Cause = Warn, CauseBotIPUnknown
		r.Summary = "restricted, but the bot's IP is unknown: this machine's public IP could not be read"
		r.Detail = errDetail(f.PublicIP.Err)
		r.Fix = "Set the bot's IP on the profile (`keywarden add … --bot-ip IP`) or let keywarden reach the IP echo service (--ip-echo-url)."
		return r
	}
	if k.IPListKnown {
		var missing []string
		for _, ip := range bots {
			if !ipListed(ip, k.IPs) {
				missing = append(missing, ip)
			}
		}
		r.Detail = "whitelist: " + strings.Join(k.IPs, ", ")
		if len(missing) > 0 {
			r.Status, r.Cause = Fail, CauseIPMissing
			r.Summary = "restricted, but " + strings.Join(missing, ", ") + " is missing from the whitelist"
			r.Fix = f.fix(exchanges.FixIPMissing, map[string]string{"ips": strings.Join(missing, ", "), "ip": strings.Join(missing, ", ")})
			return r
		}
		r.Status = Pass
		r.Summary = "restricted to a whitelist that includes " + ips
		return r
	}
	// The exchange hides the list. A signed request from this machine was
	// accepted, which proves this machine's IP is on it; other bot IPs
	// cannot be verified.
	here := ""
	if f.PublicIP.Err == nil {
		here = f.PublicIP.Value
	}
	var unverified []string
	for _, ip := range bots {
		if ip != here {
			unverified = append(unverified, ip)
		}
	}
	if len(unverified) > 0 {
		r.Status, r.Cause = Warn, CauseIPUnknown
		r.Summary = "restricted, but " + f.Info.Name + " does not reveal the whitelist: could not verify " + strings.Join(unverified, ", ")
		r.Detail = joinDetail(f.evidence("ip"), proven(here))
		r.Fix = "Open the key on " + f.Info.Name + "'s API page and verify that " + strings.Join(unverified, ", ") + " is listed, or run `keywarden check` on the bot's machine."
		return r
	}
	r.Status = Pass
	r.Summary = "restricted; this machine (" + here + ") is allowed"
	r.Detail = joinDetail(proven(here), f.evidence("ip"))
	return r
}

// hereIfAccepted is this machine's IP when a signed request from it was
// accepted (so it is on any whitelist), else "".
func (f Facts) hereIfAccepted() string {
	if ok, _ := authOutcome(f); ok && f.PublicIP.Err == nil {
		return f.PublicIP.Value
	}
	return ""
}

func proven(ip string) string {
	if ip == "" {
		return ""
	}
	return "a signed request from " + ip + " was accepted, so it is on the whitelist"
}

func ipListed(ip string, list []string) bool {
	addr := net.ParseIP(ip)
	for _, x := range list {
		if x == ip {
			return true
		}
		if _, n, err := net.ParseCIDR(x); err == nil && addr != nil && n.Contains(addr) {
			return true
		}
	}
	return false
}

func judgeBalance(f Facts) Result {
	r, ok := afterAuth(f, "balance")
	if !ok {
		return r
	}
	if err := f.Balance.Err; err != nil {
		if errors.Is(err, exchanges.ErrPermission) {
			r.Status, r.Cause = Fail, CauseReadMissing
			r.Summary = "the balance cannot be read: the key lacks permission"
			r.Detail = errDetail(err)
			r.Fix = f.fix(exchanges.FixReadMissing, nil)
			return r
		}
		r = f.unreachable(r, "the balance", err)
		r.Status = Fail
		return r
	}
	b := f.Balance.Value
	r.Detail = strings.Join(b.Notes, "; ")
	if len(b.Assets) == 0 {
		r.Status, r.Cause = Warn, CauseBalanceEmpty
		r.Summary = "the account is empty"
		if len(b.Accounts) > 0 {
			r.Summary += " (" + strings.Join(b.Accounts, ", ") + ")"
		}
		r.Fix = f.fix(exchanges.FixBalanceEmpty, nil)
		return r
	}
	r.Status = Pass
	assets := sortedAssets(b.Assets)
	count := map[string]int{}
	for _, a := range assets {
		count[a.Asset]++
	}
	var shown []string
	for i, a := range assets {
		if i == 3 {
			shown = append(shown, "…")
			break
		}
		s := a.Total + " " + a.Asset
		if count[a.Asset] > 1 && a.Account != "" {
			s += " (" + a.Account + ")"
		}
		shown = append(shown, s)
	}
	r.Summary = fmt.Sprintf("%d %s: %s", len(assets), pluralWord(len(assets), "holding", "holdings"), strings.Join(shown, ", "))
	for _, k := range sortedMapKeys(b.Totals) {
		r.Summary += fmt.Sprintf("; %s %s", k, b.Totals[k])
	}
	var all []string
	for i, a := range assets {
		if i == 20 {
			all = append(all, fmt.Sprintf("and %d more", len(assets)-20))
			break
		}
		all = append(all, a.Account+" "+a.Asset+" "+a.Total)
	}
	r.Detail = joinDetail(strings.Join(all, ", "), r.Detail)
	return r
}

// sortedAssets puts the usual quote currencies first, then by name.
func sortedAssets(in []exchanges.Asset) []exchanges.Asset {
	rank := map[string]int{"USDT": 0, "USDC": 1, "USD": 2, "ZUSD": 2, "FDUSD": 3, "EUR": 4, "ZEUR": 4,
		"BTC": 5, "XBT": 5, "XXBT": 5, "XBt": 5, "ETH": 6, "XETH": 6}
	out := append([]exchanges.Asset(nil), in...)
	sort.SliceStable(out, func(i, j int) bool {
		ri, oki := rank[out[i].Asset]
		rj, okj := rank[out[j].Asset]
		switch {
		case oki && okj:
			return ri < rj
		case oki != okj:
			return oki
		}
		return out[i].Asset < out[j].Asset
	})
	return out
}

func sortedMapKeys(m map[string]string) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
