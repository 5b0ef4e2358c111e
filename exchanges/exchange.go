// Package exchanges defines what keywarden knows about an exchange: the
// small Exchange interface every adapter implements, the normalized facts
// adapters report (never verdicts: judging is the checks package's job),
// the error classes adapters map exchange errors into, and the static
// description of each exchange (credential fields, environments, the
// key-creation guide, the fixes in the exchange's own words).
//
// One package per exchange lives below this one; exchanges/all lists them
// explicitly. Adapters sign requests themselves with the standard library:
// no exchange SDKs.
package exchanges

import (
	"context"
	"net/http"
	"net/url"
	"time"
)

// Environment is where a key lives: the real exchange or a practice one.
type Environment string

// The environments an exchange may offer.
const (
	Live    Environment = "live"
	Testnet Environment = "testnet"
	Demo    Environment = "demo"
)

// Market is what a bot trades; it decides which trade permissions a key needs.
type Market string

// The markets a profile may trade.
const (
	Spot    Market = "spot"
	Futures Market = "futures"
	Margin  Market = "margin"
)

// AllMarkets lists the markets in display order.
var AllMarkets = []Market{Spot, Futures, Margin}

// Credentials are one key's values. Key is the public part (API key, key
// name, client id) and is shown to people only as a fingerprint.
type Credentials struct {
	Key        string
	Secret     Secret
	Passphrase Secret
}

// Fingerprint is what people see of a key: its first 4 and last 4
// characters, never any part of a secret. Short keys (Deribit client ids
// have 8 characters) show 2 and 2, so the fingerprint never is the key.
func Fingerprint(key string) string {
	r := []rune(key)
	switch {
	case len(r) >= 12:
		return string(r[:4]) + "…" + string(r[len(r)-4:])
	case len(r) >= 6:
		return string(r[:2]) + "…" + string(r[len(r)-2:])
	}
	return "…"
}

// Config is what an adapter needs to talk to one environment.
type Config struct {
	Environment Environment
	// BaseURL replaces the exchange's API host (a proxy, a regional host,
	// the simulator). Empty means the environment's default.
	BaseURL *url.URL
	// Markets the profile trades: some exchanges keep futures on another
	// host or endpoint.
	Markets []Market
	// HTTP is the client to use; nil means a default one. Deadlines come
	// from the context of each call.
	HTTP *http.Client
	// Now is the local clock, used to timestamp signed requests; nil means
	// time.Now. Tests use it to skew the client's clock.
	Now func() time.Time
	// UserAgent is sent on every request.
	UserAgent string
}

// Clock returns c.Now or time.Now.
func (c Config) Clock() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Client returns the client exchange requests go out on: c.HTTP (or the
// default client) made safe with SafeClient, so no redirect is ever
// followed, whatever client the caller handed in.
func (c Config) Client() *http.Client { return SafeClient(c.HTTP) }

// Trades reports whether the profile trades market m.
func (c Config) Trades(m Market) bool {
	for _, x := range c.Markets {
		if x == m {
			return true
		}
	}
	return false
}

// Exchange is one configured adapter. Adapters report facts; they never
// decide whether something is good or bad. Errors are classified into the
// sentinels of errors.go (see Error).
type Exchange interface {
	// Info is the exchange's static description.
	Info() Info
	// ServerTime reads the exchange's clock and records when the request
	// left and the answer arrived, so that the offset can be corrected by
	// half the round trip.
	ServerTime(ctx context.Context) (TimeSample, error)
	// Status reads the exchange's system status.
	Status(ctx context.Context) (Status, error)
	// KeyInfo reads what the exchange tells about the key itself.
	KeyInfo(ctx context.Context, creds Credentials) (KeyInfo, error)
	// Balance reads the account balance with the key.
	Balance(ctx context.Context, creds Credentials) (Balance, error)
}

// Adapter is one line of the registry in exchanges/all.
type Adapter struct {
	Info func() Info
	New  func(Config) Exchange
}

// TimeSample is one reading of the exchange's clock.
type TimeSample struct {
	Server time.Time // the exchange's time as it answered
	Sent   time.Time // local time the request left
	Recv   time.Time // local time the answer arrived
	// Source says where Server came from when it is not a time endpoint
	// (e.g. "HTTP Date header", which has 1 s resolution).
	Source string
	// Resolution is the precision of Server (zero: 1 ms or better).
	Resolution time.Duration
}

// Offset is local time minus server time, corrected by half the round
// trip: positive means the local clock is ahead.
func (t TimeSample) Offset() time.Duration {
	mid := t.Sent.Add(t.Recv.Sub(t.Sent) / 2)
	return mid.Sub(t.Server)
}

// RTT is the round trip of the time request.
func (t TimeSample) RTT() time.Duration { return t.Recv.Sub(t.Sent) }

// StatusState is the exchange's own view of its health.
type StatusState int

// The states an exchange may report.
const (
	StatusUnknown     StatusState = iota // the exchange has no status endpoint, or did not say
	StatusNormal                         // operating normally
	StatusAnnounced                      // maintenance announced for later
	StatusMaintenance                    // in maintenance now, or down
	StatusDegraded                       // partly working (cancel-only, post-only, locked instruments)
)

// Status is what the exchange says about itself.
type Status struct {
	State   StatusState
	Message string    // the exchange's own words, e.g. "system_maintenance"
	Since   time.Time // start of the maintenance, when told
	Until   time.Time // end of the maintenance, when told
	Source  string    // the endpoint or page the status came from
}

// Flag is a fact that may be unknown.
type Flag int8

// The values of a Flag.
const (
	Unknown Flag = iota
	Yes
	No
)

// FlagOf turns a bool into Yes or No.
func FlagOf(b bool) Flag {
	if b {
		return Yes
	}
	return No
}

func (f Flag) String() string {
	switch f {
	case Yes:
		return "yes"
	case No:
		return "no"
	}
	return "unknown"
}

// KeyInfo is what the exchange tells about a key, normalized. Every field
// is Unknown (or zero) where the exchange does not say.
type KeyInfo struct {
	Read     Flag
	Trade    map[Market]Flag
	Withdraw Flag
	Transfer Flag // internal transfers between accounts

	// IPRestricted says whether the key only works from listed IPs.
	IPRestricted Flag
	// IPs is the list, when the exchange reveals it (IPListKnown).
	IPs         []string
	IPListKnown bool

	Created time.Time // zero: unknown
	// Expiry: ExpiryKnown with a zero Expires means "does not expire".
	Expires     time.Time
	ExpiryKnown bool
	// ExpiryWhat names what expires when it is not the whole key, e.g.
	// "spot and margin trading permission".
	ExpiryWhat string
	// IdleExpiry is set when the exchange deletes this key after that long
	// without use (e.g. OKX: 14 days for a key with Trade and no IP), a
	// rule rather than a date.
	IdleExpiry time.Duration

	// Label is the key's name on the exchange, if any.
	Label string
	// Evidence lists how each fact was learned when it was inferred rather
	// than read (e.g. "withdraw inferred: WithdrawAddresses answered").
	Evidence []string
}

// TradeFor returns the trade flag for m.
func (k KeyInfo) TradeFor(m Market) Flag {
	if k.Trade == nil {
		return Unknown
	}
	return k.Trade[m]
}

// Asset is one holding.
type Asset struct {
	Asset string
	Free  string // decimal string as the exchange sent it
	Total string // free + locked, as a decimal string
	// Account is the sub-account or wallet ("spot", "futures", "funding").
	Account string
}

// Balance is what the key can read of the account.
type Balance struct {
	Assets []Asset
	// Totals are headline totals the exchange computes itself, e.g.
	// {"USD equity": "1234.5"}.
	Totals map[string]string
	// Accounts lists the wallets that were read, e.g. ["spot", "futures"].
	Accounts []string
	// Notes say what could not be read, e.g. a futures wallet the key
	// has no access to.
	Notes []string
}
