// Package kucoin is the KuCoin adapter: spot, margin and the key's own
// description on the spot host (api.kucoin.com), the futures wallet on the
// futures host (api-futures.kucoin.com). Keys are version 2/3: the
// passphrase travels HMAC'd with the secret, never in plain text.
package kucoin

import (
	"errors"
	"regexp"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// The default hosts. KuCoin's sandbox (openapi-sandbox.kucoin.com) is gone
// from ccxt and from KuCoin's current docs, so only live is offered.
const (
	liveSpot    = "https://api.kucoin.com"
	liveFutures = "https://api-futures.kucoin.com"
)

// window is how far KC-API-TIMESTAMP may be from KuCoin's clock, either
// way (400002 beyond it).
const window = 5 * time.Second

var (
	keyRE = regexp.MustCompile(`^[0-9a-fA-F]{24}$`)
	uuid  = exchanges.UUID()
)

// Info describes KuCoin.
func Info() exchanges.Info {
	return exchanges.Info{
		ID:   "kucoin",
		Name: "KuCoin",
		Environments: []exchanges.EnvInfo{
			{ID: exchanges.Live, Name: "KuCoin", BaseURL: liveSpot, KeysAt: "https://www.kucoin.com/account/api",
				Note: "futures use the same key, on api-futures.kucoin.com; KuCoin no longer runs a public sandbox"},
		},
		Markets: []exchanges.Market{exchanges.Spot, exchanges.Futures, exchanges.Margin},
		Fields: []exchanges.Field{
			{ID: exchanges.FieldKey, Label: "API Key", Help: "24 hexadecimal characters, shown on API Management",
				Check: exchanges.Regexp(keyRE, "24 hexadecimal characters (0-9, a-f)")},
			{ID: exchanges.FieldSecret, Label: "API Secret", Secret: true,
				Help:  "a UUID like f03a5284-5c39-4aaa-9b20-dea10bdcf8e3, shown only once when the key is created",
				Check: uuid},
			{ID: exchanges.FieldPassphrase, Label: "API Passphrase", Secret: true,
				Help: "the passphrase you chose for this API key when you created it (KuCoin asks for 7 to 32 characters) — not your login password or trading password",
				// Looser than KuCoin's documented 7–32 so that a key made
				// under older rules is not refused here; a wrong one is
				// named by KuCoin's own 400004.
				Check: exchanges.Printable(1, 64)},
		},
		Validate: func(c exchanges.Credentials) error {
			p := c.Passphrase.Reveal()
			if p == c.Secret.Reveal() || p == c.Key {
				return &exchanges.FieldError{Field: exchanges.FieldPassphrase, Label: "API Passphrase",
					Reason: "is the same as the API Key or API Secret; it is the separate passphrase you typed when you created the key"}
			}
			if uuid(p) == nil {
				return &exchanges.FieldError{Field: exchanges.FieldPassphrase, Label: "API Passphrase",
					Reason: "looks like an API Secret (a UUID); paste the passphrase you chose for the key instead"}
			}
			return nil
		},
		Clock: exchanges.ClockWindow{Ahead: window, Behind: window,
			Rule: "KuCoin rejects a request whose KC-API-TIMESTAMP is more than 5 s from its clock, either way (400002)"},
		// §6.7: resource pools per 30 s (VIP0: spot 4000, management 2000
		// weight), per UID for private calls; api-key weighs 20, accounts 5.
		// 600/min is keywarden's cap.
		Budget:         exchanges.Budget{Concurrency: 10, PerMinute: 600},
		StatusPage:     "https://www.kucoin.com/announcement",
		UnrestrictedIP: "KuCoin accepts an unrestricted key from any address, so a leaked key works for anyone; it grants the withdrawal (Transfer) permission only to keys restricted to IPs",
		Guide:          guide(),
		Fixes:          fixes(),
	}
}

// errNoKey is returned when the API Key has the wrong shape to be sent.
var errNoKey = errors.New("the API Key is not 24 hexadecimal characters: it was not copied whole")
