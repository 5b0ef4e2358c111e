package exchanges

import (
	"fmt"
	"strings"
	"time"
)

// Info is an exchange's static description: everything keywarden shows or
// validates without touching the network.
type Info struct {
	ID   string // "binance"
	Name string // "Binance"
	// Environments the exchange offers, the default first.
	Environments []EnvInfo
	// Markets the adapter can check trade permission for.
	Markets []Market
	// Fields are the credential values a key needs, in input order.
	Fields []Field
	// Validate checks the fields together (e.g. a swapped key and secret),
	// after each field passed its own validator. Nil: nothing to check.
	Validate func(Credentials) error
	// Clock is the exchange's timestamp window.
	Clock ClockWindow
	// StatusPage is where people read about incidents.
	StatusPage string
	// UnrestrictedIP says what the exchange does to keys with no IP
	// whitelist (e.g. expiry), in a sentence; empty if nothing.
	UnrestrictedIP string
	// Guide is the key-creation walk-through.
	Guide Guide
	// Budget is how hard keywarden serve may use the exchange from one
	// machine, below the exchange's published limits.
	Budget Budget
	// Fixes are what to do about each problem, in the exchange's own words
	// and menu names. Placeholders: {ip} {ips} {market} {permission} (the
	// Guide's Trade entry for the market) {env} {date} {days} {what} {name}
	// (the profile). A missing entry falls back to a generic text in checks.
	Fixes map[Problem]string
}

// Budget bounds the requests one machine sends to an exchange, every key
// together: at most Concurrency in flight, at most PerMinute in any 60
// seconds (so also in any shorter window). It is set below the exchange's
// published per-IP limit; where the exchange limits only per account or per
// key, PerMinute is keywarden's own polite cap, since one check asks each
// private endpoint once (twice after a Retry-After) per key per interval.
// Per-endpoint limits on public endpoints (status, time) are kept by serve
// asking them once per exchange and environment for every key at once.
type Budget struct {
	Concurrency int
	PerMinute   int
}

// The budget of an exchange whose Info sets none.
const (
	DefaultConcurrency = 4
	DefaultPerMinute   = 120
)

// OrDefault returns b with the defaults where it leaves a field zero.
func (b Budget) OrDefault() Budget {
	if b.Concurrency <= 0 {
		b.Concurrency = DefaultConcurrency
	}
	if b.PerMinute <= 0 {
		b.PerMinute = DefaultPerMinute
	}
	return b
}

// Env returns the description of environment e.
func (i Info) Env(e Environment) (EnvInfo, bool) {
	for _, x := range i.Environments {
		if x.ID == e {
			return x, true
		}
	}
	return EnvInfo{}, false
}

// Field returns the field with the given id.
func (i Info) Field(id string) (Field, bool) {
	for _, f := range i.Fields {
		if f.ID == id {
			return f, true
		}
	}
	return Field{}, false
}

// HasMarket reports whether the adapter checks market m.
func (i Info) HasMarket(m Market) bool {
	for _, x := range i.Markets {
		if x == m {
			return true
		}
	}
	return false
}

// EnvInfo is one environment of an exchange.
type EnvInfo struct {
	ID      Environment
	Name    string // "Spot Testnet"
	BaseURL string // the default API host
	// KeysAt is where keys for this environment are created.
	KeysAt string
	Note   string
}

// The credential field ids, as used in the JSON that `add` reads.
const (
	FieldKey        = "key"
	FieldSecret     = "secret"
	FieldPassphrase = "passphrase"
)

// Field is one credential value.
type Field struct {
	ID     string // FieldKey, FieldSecret or FieldPassphrase
	Label  string // the exchange's name for it: "API Key", "Secret Key"
	Secret bool   // masked on input, never shown
	// Help says what the value looks like and where it is shown.
	Help string
	// Multiline values (PEM private keys) keep their inner newlines.
	Multiline bool
	// Check validates the value; its error names the problem and never
	// contains the value.
	Check func(string) error
}

// NoLimit marks a side of a ClockWindow on which the exchange rejects
// nothing (BitMEX: a clock ahead only lengthens api-expires).
const NoLimit time.Duration = -1

// ClockWindow is how far a request timestamp may be from the exchange's
// clock before the exchange rejects it. Both zero: the exchange signs with
// a nonce and has no window at all.
type ClockWindow struct {
	Ahead  time.Duration // how far the local clock may run ahead (NoLimit: any)
	Behind time.Duration // how far it may lag behind (NoLimit: any)
	// Rule is the exchange's rule in its own terms, for the detail line.
	Rule string
}

// Problem names something a check found wrong, for which the exchange's
// Info carries a fix.
type Problem string

// The problems checks can report.
const (
	FixMaintenance      Problem = "maintenance"
	FixClock            Problem = "clock"
	FixBadKey           Problem = "bad_key"
	FixExpired          Problem = "expired"
	FixBadSignature     Problem = "bad_signature"
	FixBadPassphrase    Problem = "bad_passphrase"
	FixIPNotAllowed     Problem = "ip_not_allowed"
	FixWrongEnvironment Problem = "wrong_environment"
	FixReadMissing      Problem = "read_missing"
	FixTradeMissing     Problem = "trade_missing"
	FixWithdrawOn       Problem = "withdraw_on"
	FixWithdrawUnknown  Problem = "withdraw_unknown"
	FixIPUnrestricted   Problem = "ip_unrestricted"
	FixIPMissing        Problem = "ip_missing"
	FixIPUnknown        Problem = "ip_unknown"
	FixBalanceEmpty     Problem = "balance_empty"
	FixKeyOld           Problem = "key_old"
	FixKeyExpiring      Problem = "key_expiring"
	FixRateLimited      Problem = "rate_limited"
)

// Guide walks a person through creating a key on the exchange's website.
// Texts use the exchange's own words and menu names.
type Guide struct {
	// Where is how to reach the API management page, e.g.
	// "Profile icon → Account → API Management".
	Where string
	// URL of that page for each environment.
	URL map[Environment]string
	// Create is how to start a new key there, including the key type to
	// choose; {name} is the suggested key name.
	Create []string
	// Read names the read permission to keep on.
	Read string
	// Trade names the box to tick for each market.
	Trade map[Market]string
	// KeepOff lists the boxes that must stay off (withdrawals, transfers).
	KeepOff []string
	// IPWhitelist says where the IP restriction is set; {ip} is the IP.
	IPWhitelist string
	// Notes are exchange-specific warnings (passphrase, key types, 2FA).
	Notes []string
	// Delete is how to delete an old key (used after a rotation).
	Delete []string
}

// Expand replaces {placeholders} in s with values from vars.
func Expand(s string, vars map[string]string) string {
	for k, v := range vars {
		s = strings.ReplaceAll(s, "{"+k+"}", v)
	}
	return s
}

// FieldError says what is wrong with one credential field. It never holds
// the value.
type FieldError struct {
	Field  string // field id
	Label  string // the exchange's name for it
	Reason string
}

func (e *FieldError) Error() string {
	name := e.Label
	if name == "" {
		name = e.Field
	}
	return fmt.Sprintf("%s (%q): %s", name, e.Field, e.Reason)
}

// ValidateCredentials checks every field of c against info and then the
// cross-field rule. It returns the first problem as a *FieldError.
func ValidateCredentials(info Info, c Credentials) error {
	values := map[string]string{
		FieldKey:        c.Key,
		FieldSecret:     c.Secret.Reveal(),
		FieldPassphrase: c.Passphrase.Reveal(),
	}
	for _, f := range info.Fields {
		v := values[f.ID]
		if v == "" {
			return &FieldError{Field: f.ID, Label: f.Label, Reason: "missing"}
		}
		if f.Check != nil {
			if err := f.Check(v); err != nil {
				return &FieldError{Field: f.ID, Label: f.Label, Reason: err.Error()}
			}
		}
	}
	for id, v := range values {
		if v == "" {
			continue
		}
		if _, ok := info.Field(id); !ok {
			return &FieldError{Field: id, Reason: info.Name + " keys have no " + id}
		}
	}
	if info.Validate != nil {
		return info.Validate(c)
	}
	return nil
}
