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

// unreachable turns an error that kept a fact from being learned into a
// result that names why: a timeout, an outage, a refused redirect, a rate
// limit, an answer that could not be read. Timeouts, outages and redirects
// fail; the others leave the fact unknown (warn). Never a pass: callers
// whose fact must be verified (auth, balance) turn the warn into a fail.
func (f Facts) unreachable(r Result, what string, err error) Result {
	name := f.Info.Name
	r.Detail = errDetail(err)
	r.Status = Warn
	e, _ := exchanges.AsError(err)
	switch {
	case errors.Is(err, exchanges.ErrTimeout):
		r.Status, r.Cause = Fail, CauseTimeout
		r.Summary = fmt.Sprintf("timed out: %s did not answer %s in time", name, what)
		r.Fix = fmt.Sprintf("Check this machine's connection to %s (firewall, proxy, DNS) and %s; then run the check again, with a longer --timeout if the network is slow.", f.host(), statusPage(f.Info))
	case errors.Is(err, exchanges.ErrRedirect):
		r.Status, r.Cause = Fail, CauseRedirected
		to := "another host"
		if e != nil && e.Location != "" {
			to = e.Location
		}
		r.Summary = fmt.Sprintf("refused: the answer to %s redirected to %s, and keywarden never follows a redirect (it would carry the key there)", what, to)
		r.Fix = fmt.Sprintf("The request did not reach %s's API. Check the profile's base URL (`keywarden show %s`): it must be the API host itself, or a proxy that forwards requests rather than redirecting them. On a hotel or company network a login page may be intercepting requests.", name, f.Profile.Name)
	case errors.Is(err, exchanges.ErrRateLimited):
		r.Cause = CauseRateLimited
		wait := "in a minute"
		if e != nil && e.RetryAfter > 0 {
			wait = "in " + waitWords(e.RetryAfter)
		}
		r.Summary = fmt.Sprintf("rate-limited, try again %s: %s refused to answer %s", wait, name, what)
		r.Fix = f.fix(exchanges.FixRateLimited, nil)
	case errors.Is(err, exchanges.ErrUnavailable):
		r.Status, r.Cause = Fail, CauseUnreachable
		r.Summary = fmt.Sprintf("%s is unavailable: %s failed", name, what)
		r.Fix = fmt.Sprintf("Check %s for an outage and this machine's connection to %s; then run the check again.", statusPage(f.Info), f.host())
	case errors.Is(err, exchanges.ErrTooLarge):
		r.Cause = CauseUnreadable
		r.Summary = fmt.Sprintf("the exchange's answer could not be read: %s's answer to %s is larger than %d MiB", name, what, exchanges.MaxBody>>20)
		r.Fix = answerFix(f)
	case errors.Is(err, exchanges.ErrPermission):
		// Only an unexplained refusal gets here (see authOutcome).
		r.Cause = CauseUnreachable
		r.Summary = fmt.Sprintf("refused before %s said who was asking: %s was answered with a bare HTTP 403", name, what)
		r.Fix = fmt.Sprintf("A firewall, proxy or regional block answers like this, not %s's API: check this machine's network and the profile's base URL, then run the check again.", name)
	case errors.Is(err, exchanges.ErrUnsupported):
		r.Cause = CauseUnsupported
		r.Summary = fmt.Sprintf("not offered: %s has no endpoint for %s on %s", name, what, f.envName())
		r.Fix = "Check the profile's environment (`keywarden show " + f.Profile.Name + "`)."
	default:
		r.Cause = CauseUnreadable
		r.Summary = fmt.Sprintf("the exchange's answer could not be read: %s answered %s with something that is not its API's answer", name, what)
		r.Fix = answerFix(f)
	}
	return r
}

// answerFix is what to do about an answer that could not be read.
func answerFix(f Facts) string {
	return fmt.Sprintf("Check that the profile's base URL is %s's API (`keywarden show %s`): a proxy, a captive portal or a wrong host may be answering instead. Run the check again; if it persists, report it with the detail line.", f.Info.Name, f.Profile.Name)
}

// waitWords says how long to wait: "30 s", "5 min".
func waitWords(d time.Duration) string {
	switch {
	case d > 24*time.Hour:
		return "more than a day"
	case d >= 2*time.Minute:
		return fmt.Sprintf("%d min", int((d+time.Minute-1)/time.Minute))
	}
	return fmt.Sprintf("%d s", int((d+time.Second-1)/time.Second))
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
