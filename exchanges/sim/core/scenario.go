// Package core is the exchange simulator's framework, shared by every
// exchange's simulation under exchanges/sim/<id>: the scenario model and
// its validation, the state a running simulator holds (the scenario in
// force, swapped atomically, and each key's orders and fills), the HTTP
// layer that applies the scenario's faults before an exchange sees a
// request, the control endpoint (/_sim/...), the request log, the NTP
// server, and one market-data model (currencies, markets, tickers, order
// books) that each exchange only translates into its wire format.
//
// An exchange package imports core and nothing of the adapters: its
// verifiers are independent implementations of the exchange's rules, so a
// bug in an adapter's signer cannot be mirrored by the simulator.
package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/internal/textsafe"
)

// Permissions a simulated key can hold, in keywarden's terms; each handler
// translates them into its exchange's own.
const (
	PermRead     = "read"
	PermSpot     = "spot"
	PermFutures  = "futures"
	PermMargin   = "margin"
	PermWithdraw = "withdraw"
	PermTransfer = "transfer"
)

// DefaultClientIP is the public IP the simulator pretends to see.
const DefaultClientIP = "203.0.113.10"

// Scenario describes one simulated exchange and what goes wrong with it.
type Scenario struct {
	// Exchange is the exchange id, e.g. "binance".
	Exchange string `json:"exchange"`
	// Environment the simulator pretends to be (default "live").
	Environment exchanges.Environment `json:"environment,omitempty"`
	// Keys the exchange knows.
	Keys []Key `json:"keys"`
	// ClientIP is the caller's IP as the exchange sees it.
	ClientIP string `json:"client_ip,omitempty"`
	// ClockOffset is the exchange's clock minus the real time: "-3s" makes
	// the exchange run 3 s behind, so the caller looks 3 s ahead.
	ClockOffset Duration `json:"clock_offset,omitempty"`
	// Latency is added before every answer.
	Latency Duration `json:"latency,omitempty"`
	// Maintenance: "" (none), "announced" (scheduled, still working) or
	// "ongoing" (status says maintenance; other endpoints answer 503).
	Maintenance string `json:"maintenance,omitempty"`
	// RateLimitFirst answers the first N requests with the exchange's
	// rate-limit error and Retry-After.
	RateLimitFirst int      `json:"rate_limit_first,omitempty"`
	RetryAfter     Duration `json:"retry_after,omitempty"`
	// ServerErrorFirst answers the first N requests with HTTP 500.
	ServerErrorFirst int `json:"server_error_first,omitempty"`
	// Hang accepts requests and never answers.
	Hang bool `json:"hang,omitempty"`
	// Malformed answers 200 with a body that is not valid JSON.
	Malformed bool `json:"malformed,omitempty"`
}

// Key is one API key the simulated exchange knows.
type Key struct {
	Key        string `json:"key"`
	Secret     string `json:"secret"`
	Passphrase string `json:"passphrase,omitempty"`
	// Environment the key was created in (default: the scenario's). A key
	// of another environment is unknown to this one.
	Environment exchanges.Environment `json:"environment,omitempty"`
	Label       string                `json:"label,omitempty"`
	// Permissions: read, spot, futures, margin, withdraw, transfer.
	Permissions []string `json:"permissions"`
	// IPs the key is restricted to; empty means unrestricted.
	IPs []string `json:"ips,omitempty"`
	// Created and Expires; Expires is the exchange's own notion (for
	// Binance, the trading authority expiration).
	Created time.Time `json:"created,omitzero"`
	Expires time.Time `json:"expires,omitzero"`
	// Balances: asset → amount as a decimal string.
	Balances map[string]string `json:"balances,omitempty"`
	// FuturesBalances: asset → amount in the futures wallet.
	FuturesBalances map[string]string `json:"futures_balances,omitempty"`
}

// Has reports whether the key holds permission p.
func (k *Key) Has(p string) bool {
	for _, x := range k.Permissions {
		if x == p {
			return true
		}
	}
	return false
}

// Duration is a time.Duration written as "3s", "-1.5s", "100ms" in JSON.
type Duration time.Duration

// D returns the time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON reads "3s" (or a number of milliseconds).
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var ms float64
		if err := json.Unmarshal(b, &ms); err != nil {
			return errors.New(`a duration must be a string like "3s" or "-250ms"`)
		}
		*d = Duration(ms * float64(time.Millisecond))
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("duration %q: use a form like \"3s\" or \"-250ms\"", s)
	}
	*d = Duration(v)
	return nil
}

// LoadScenario reads a scenario file.
func LoadScenario(path string) (Scenario, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Scenario{}, fmt.Errorf("read scenario: %w", err)
	}
	return ParseScenario(b)
}

// ParseScenario parses and checks a scenario. Unknown fields are refused so
// that a typo does not silently change the simulation.
func ParseScenario(b []byte) (Scenario, error) {
	var sc Scenario
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sc); err != nil {
		return Scenario{}, fmt.Errorf("scenario: %w", err)
	}
	if err := dec.Decode(new(any)); err != io.EOF {
		return Scenario{}, errors.New("scenario: more than one JSON document")
	}
	if err := sc.Validate(); err != nil {
		return Scenario{}, err
	}
	return sc, nil
}

// Validate checks the scenario and fills defaults.
func (sc *Scenario) Validate() error {
	if sc.Exchange == "" {
		return errors.New(`scenario: "exchange" is required`)
	}
	sc.Exchange = textsafe.Line(sc.Exchange)
	if sc.Environment == "" {
		sc.Environment = exchanges.Live
	}
	if sc.ClientIP == "" {
		sc.ClientIP = DefaultClientIP
	}
	if net.ParseIP(sc.ClientIP) == nil {
		return fmt.Errorf("scenario: client_ip %q is not an IP address", sc.ClientIP)
	}
	switch sc.Maintenance {
	case "", "announced", "ongoing":
	default:
		return fmt.Errorf(`scenario: maintenance must be "", "announced" or "ongoing", not %q`, sc.Maintenance)
	}
	if sc.RetryAfter == 0 {
		sc.RetryAfter = Duration(time.Second)
	}
	if err := sc.checkBounds(); err != nil {
		return err
	}
	for i := range sc.Keys {
		k := &sc.Keys[i]
		if k.Key == "" || k.Secret == "" {
			return fmt.Errorf("scenario: key %d needs key and secret", i+1)
		}
		if err := k.checkBounds(); err != nil {
			return fmt.Errorf("scenario: key %d: %w", i+1, err)
		}
		if k.Environment == "" {
			k.Environment = sc.Environment
		}
		// Labels are printed (the check's detail lines, the simulator's
		// banner): cleaned once, here.
		k.Label = textsafe.Line(k.Label)
		for _, p := range k.Permissions {
			switch p {
			case PermRead, PermSpot, PermFutures, PermMargin, PermWithdraw, PermTransfer:
			default:
				return fmt.Errorf("scenario: key %d: unknown permission %q (use read, spot, futures, margin, withdraw, transfer)", i+1, p)
			}
		}
		for _, ip := range k.IPs {
			if net.ParseIP(ip) == nil {
				if _, _, err := net.ParseCIDR(ip); err != nil {
					return fmt.Errorf("scenario: key %d: %q is not an IP address or CIDR range", i+1, ip)
				}
			}
		}
		if k.Created.IsZero() {
			k.Created = time.Now().Add(-30 * 24 * time.Hour).Truncate(time.Second)
		}
	}
	return nil
}

// IPAllowed reports whether ip may use k.
func (k *Key) IPAllowed(ip string) bool {
	if len(k.IPs) == 0 {
		return true
	}
	addr := net.ParseIP(ip)
	for _, x := range k.IPs {
		if x == ip {
			return true
		}
		if _, n, err := net.ParseCIDR(x); err == nil && addr != nil && n.Contains(addr) {
			return true
		}
	}
	return false
}

// Limits on a scenario: it may come from a file or from any process on
// this machine through the control endpoint, so it is bounded like any
// outside input.
const (
	maxKeys      = 1000 // a fleet: serve's benchmark puts 1,000 profiles on 11 exchanges
	maxListLen   = 64
	maxAssets    = 2000
	maxFieldLen  = 8192
	maxFaultTime = time.Hour
	maxCount     = 1_000_000
)

func (sc *Scenario) checkBounds() error {
	if len(sc.Keys) > maxKeys {
		return fmt.Errorf("scenario: %d keys; at most %d", len(sc.Keys), maxKeys)
	}
	if d := sc.ClockOffset.D(); d > 365*24*time.Hour || d < -365*24*time.Hour {
		return fmt.Errorf("scenario: clock_offset %v is beyond a year", d)
	}
	for _, f := range []struct {
		name string
		d    Duration
	}{{"latency", sc.Latency}, {"retry_after", sc.RetryAfter}} {
		if f.d < 0 || f.d.D() > maxFaultTime {
			return fmt.Errorf("scenario: %s %v must be between 0 and %v", f.name, f.d.D(), maxFaultTime)
		}
	}
	for _, f := range []struct {
		name string
		n    int
	}{{"rate_limit_first", sc.RateLimitFirst}, {"server_error_first", sc.ServerErrorFirst}} {
		if f.n < 0 || f.n > maxCount {
			return fmt.Errorf("scenario: %s %d must be between 0 and %d", f.name, f.n, maxCount)
		}
	}
	return nil
}

func (k *Key) checkBounds() error {
	if len(k.Key) > maxFieldLen || len(k.Secret) > maxFieldLen || len(k.Passphrase) > maxFieldLen {
		return fmt.Errorf("key, secret and passphrase are limited to %d bytes", maxFieldLen)
	}
	if len(k.Permissions) > maxListLen || len(k.IPs) > maxListLen {
		return fmt.Errorf("at most %d permissions and %d IPs", maxListLen, maxListLen)
	}
	for name, m := range map[string]map[string]string{"balances": k.Balances, "futures_balances": k.FuturesBalances} {
		if len(m) > maxAssets {
			return fmt.Errorf("%s: at most %d assets", name, maxAssets)
		}
		for asset, amt := range m {
			if !assetRE.MatchString(asset) {
				return fmt.Errorf("%s: asset %q must be 1 to 24 letters, digits, dots, dashes or underscores", name, textsafe.Line(asset))
			}
			if !exchanges.IsDecimal(amt) || strings.HasPrefix(amt, "-") {
				return fmt.Errorf("%s: %s amount %q must be a plain non-negative decimal like \"1250.50\"", name, asset, textsafe.Line(amt))
			}
		}
	}
	return nil
}

var assetRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,23}$`)

// Now is the simulated exchange's clock under this scenario.
func (sc *Scenario) Now() time.Time { return time.Now().Add(sc.ClockOffset.D()) }

// Key returns the key with the given id in the simulated environment, or
// nil. Keys of other environments are unknown here, as on a real exchange.
func (sc *Scenario) Key(id string) *Key {
	for i := range sc.Keys {
		k := &sc.Keys[i]
		if k.Key == id && k.Environment == sc.Environment {
			return k
		}
	}
	return nil
}

// AnyKey returns the key with the given id in any environment, for
// exchanges that serve live and demo on one host and tell them apart.
func (sc *Scenario) AnyKey(id string) *Key {
	for i := range sc.Keys {
		if k := &sc.Keys[i]; k.Key == id {
			return k
		}
	}
	return nil
}

// InMaintenance reports whether the exchange is in maintenance now.
func (sc *Scenario) InMaintenance() bool { return sc.Maintenance == "ongoing" }

// clone is a deep copy, so that a caller's changes never reach a
// scenario that running requests share. Every field has a JSON form.
func (sc *Scenario) clone() Scenario {
	var out Scenario
	b, err := json.Marshal(sc)
	if err == nil {
		err = json.Unmarshal(b, &out)
	}
	if err != nil {
		panic("core: scenario does not round-trip through JSON: " + err.Error())
	}
	return out
}
