// Package sim is the exchange simulator: an HTTP server that answers like a
// real exchange, driven by a Scenario. It verifies API keys, signatures,
// timestamps and receive windows the way each exchange does, and answers
// with the exchange's own error bodies and HTTP statuses, so adapters and
// the health check can be tested end to end without the internet.
//
// One Scenario model serves every exchange; each exchange has a handler
// (binance.go, …) that translates the scenario into its wire format. The
// common layer (sim.go) adds latency, hangs, rate limits, 5xx answers and
// malformed bodies. The simulator also answers this machine's "public IP"
// (the client IP the scenario pretends to see) and, on UDP, NTP with the
// scenario's clock offset.
package sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
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
	Created time.Time `json:"created,omitempty"`
	Expires time.Time `json:"expires,omitempty"`
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
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sc); err != nil {
		return Scenario{}, fmt.Errorf("scenario: %w", err)
	}
	return sc, sc.Validate()
}

// Validate checks the scenario and fills defaults.
func (sc *Scenario) Validate() error {
	if sc.Exchange == "" {
		return errors.New(`scenario: "exchange" is required`)
	}
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
	for i := range sc.Keys {
		k := &sc.Keys[i]
		if k.Key == "" || k.Secret == "" {
			return fmt.Errorf("scenario: key %d needs key and secret", i+1)
		}
		if k.Environment == "" {
			k.Environment = sc.Environment
		}
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
