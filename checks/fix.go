package checks

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// genericFixes are used where an exchange's Info has no words of its own.
var genericFixes = map[exchanges.Problem]string{
	exchanges.FixMaintenance:      "The exchange is in maintenance: wait for it to end (see its status page); the bot cannot trade until then.",
	exchanges.FixClock:            "Turn on automatic time sync. Linux: `sudo timedatectl set-ntp true` (or install chrony); macOS: System Settings → General → Date & Time → Set time automatically; Windows: Settings → Time & language → Date & time → Sync now.",
	exchanges.FixBadKey:           "The exchange does not know this API key: copy it again from the exchange's API management page, or create a new key and run `keywarden rotate {name}`.",
	exchanges.FixExpired:          "The key has expired: create a new key on the exchange and run `keywarden rotate {name}`.",
	exchanges.FixBadSignature:     "The secret does not match the key: secrets are shown only once, so create a new key on the exchange and run `keywarden rotate {name}`.",
	exchanges.FixBadPassphrase:    "The API passphrase is wrong (it is the passphrase typed when the key was created, not the login password): run `keywarden rotate {name}` with the right one, or create a new key.",
	exchanges.FixIPNotAllowed:     "Add {ip} to the key's IP whitelist on the exchange's API management page.",
	exchanges.FixWrongEnvironment: "The key was made for another environment: create it where the bot trades, or change the profile's environment (now {env}).",
	exchanges.FixReadMissing:      "Turn on the key's read permission on the exchange's API management page.",
	exchanges.FixTradeMissing:     "Turn on the {market} trading permission ({permission}) on the exchange's API management page.",
	exchanges.FixWithdrawOn:       "Turn off the withdrawal permission on the exchange's API management page: a trading bot never needs it.",
	exchanges.FixWithdrawUnknown:  "Open the key on the exchange's API management page and verify by hand that withdrawals are off.",
	exchanges.FixIPUnrestricted:   "Restrict the key to {ips} on the exchange's API management page.",
	exchanges.FixIPMissing:        "Add {ips} to the key's IP whitelist on the exchange's API management page.",
	exchanges.FixIPUnknown:        "Open the key on the exchange's API management page and verify that it is restricted to {ips}.",
	exchanges.FixBalanceEmpty:     "The account holds nothing: deposit or transfer funds before the bot trades.",
	exchanges.FixKeyOld:           "Create a new key, switch the bot with `keywarden rotate {name}`, then delete the old key on the exchange.",
	exchanges.FixKeyExpiring:      "The {what} expires on {date}: create a new key and run `keywarden rotate {name}` before then.",
	exchanges.FixRateLimited:      "The exchange is rate-limiting this machine: slow the bots down and run the check again after a minute.",
}

// fix returns the words for problem p, from the exchange or generic, with
// placeholders filled.
func (f Facts) fix(p exchanges.Problem, vars map[string]string) string {
	t, ok := f.Info.Fixes[p]
	if !ok {
		t = genericFixes[p]
	}
	all := map[string]string{"name": f.Profile.Name, "env": f.envName()}
	for k, v := range vars {
		all[k] = v
	}
	return exchanges.Expand(t, all)
}

// envName is the environment as people know it: "live", or "testnet
// (Spot Testnet)" where the exchange has its own name for it.
func (f Facts) envName() string {
	id := string(f.Profile.Environment)
	if id == "" {
		id = string(exchanges.Live)
	}
	if e, ok := f.Info.Env(f.Profile.Environment); ok && e.Name != "" && e.Name != f.Info.Name &&
		!strings.EqualFold(e.Name, id) && !strings.Contains(strings.ToLower(e.Name), strings.ToLower(f.Info.Name)) {
		return id + " (" + e.Name + ")"
	}
	return id
}

// evidence returns the adapter's evidence lines that concern topic ("read",
// "trade", "withdraw", "ip", "age", "expiry"). Adapters start a line with
// its topic ("withdrawals: …", "expiry: …"); a line about permissions in
// general belongs to read, trade and withdraw.
func (f Facts) evidence(topic string) string {
	if f.Key.Err != nil {
		return ""
	}
	var out []string
	for _, line := range f.Key.Value.Evidence {
		if evidenceTopic(line)[topic] {
			out = append(out, line)
		}
	}
	return strings.Join(out, "; ")
}

func evidenceTopic(line string) map[string]bool {
	l := strings.ToLower(line)
	head := l
	if i := strings.IndexAny(l, ":("); i >= 0 {
		head = l[:i]
	}
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(head, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has("withdraw"):
		return map[string]bool{"withdraw": true}
	case has("expir", "deadline"):
		return map[string]bool{"expiry": true}
	case has("created", "creation"):
		return map[string]bool{"age": true}
	case strings.Contains(l, "whitelist") || strings.Contains(l, "allowlist") || has("ip "):
		return map[string]bool{"ip": true}
	case has("read"):
		return map[string]bool{"read": true}
	case has("margin", "trad", "spot", "futures", "perpetual"):
		return map[string]bool{"trade": true}
	}
	return map[string]bool{"read": true, "trade": true, "withdraw": true}
}

// unreachable turns a transport-level error into a result: timeouts and
// outages fail, a rate limit or an odd answer leaves the fact unknown.
func (f Facts) unreachable(r Result, what string, err error) Result {
	name := f.Info.Name
	switch {
	case errors.Is(err, exchanges.ErrTimeout):
		r.Status, r.Cause = Fail, CauseTimeout
		r.Summary = fmt.Sprintf("timed out: %s did not answer %s in time", name, what)
		r.Fix = fmt.Sprintf("Check this machine's connection to %s (firewall, proxy, DNS) and %s; then run the check again, with a longer --timeout if the network is slow.", f.host(), statusPage(f.Info))
	case errors.Is(err, exchanges.ErrRateLimited):
		r.Status, r.Cause = Warn, CauseRateLimited
		r.Summary = fmt.Sprintf("rate limited: %s refused to answer %s", name, what)
		r.Fix = f.fix(exchanges.FixRateLimited, nil)
	case errors.Is(err, exchanges.ErrUnavailable):
		r.Status, r.Cause = Fail, CauseUnreachable
		r.Summary = fmt.Sprintf("%s is unavailable: %s failed", name, what)
		r.Fix = fmt.Sprintf("Check %s for an outage and this machine's connection to %s; then run the check again.", statusPage(f.Info), f.host())
	default:
		r.Status, r.Cause = Warn, CauseUnreadable
		r.Summary = fmt.Sprintf("unknown: %s gave an answer keywarden could not read for %s", name, what)
		r.Fix = "Run the check again; if it persists, report it with the detail line."
	}
	r.Detail = errDetail(err)
	return r
}

func (f Facts) host() string {
	if e, ok := f.Info.Env(f.Profile.Environment); ok {
		return strings.TrimPrefix(strings.TrimPrefix(e.BaseURL, "https://"), "http://")
	}
	return "the exchange"
}

func statusPage(i exchanges.Info) string {
	if i.StatusPage != "" {
		return i.StatusPage
	}
	return i.Name + "'s status page"
}

// errDetail is the exchange's own code and message, and what follow-up
// evidence found, for the detail line. It never contains a secret: adapter
// errors carry codes, messages and causes only.
func errDetail(err error) string {
	if e, ok := exchanges.AsError(err); ok {
		d := e.Detail()
		if e.Cause != "" {
			if d != "" {
				d += " — "
			}
			d += e.Cause
		}
		if d != "" {
			return d
		}
	}
	return err.Error()
}

func days(d time.Duration) int { return int(d.Hours() / 24) }

// daysLeft rounds up: something due in 4.9 days is due "in 5 days".
func daysLeft(d time.Duration) int { return int((d + 24*time.Hour - time.Nanosecond).Hours() / 24) }

func dayWord(n int) string {
	switch n {
	case 0:
		return "less than a day"
	case 1:
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

func date(t time.Time) string { return t.UTC().Format("2006-01-02") }
