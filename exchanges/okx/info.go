// Package okx is the OKX (API v5) adapter. One host serves live and Demo
// Trading (told apart by the x-simulated-trading header) and one unified
// Trading account serves spot, margin and derivatives, so a single Trade
// permission and a single balance cover every market. Keys are HMAC keys
// with a passphrase; the key's own facts come from GET /api/v5/account/config.
package okx

import (
	"errors"
	"regexp"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

const liveHost = "https://www.okx.com"

// Info describes OKX.
func Info() exchanges.Info {
	return exchanges.Info{
		ID:   "okx",
		Name: "OKX",
		Environments: []exchanges.EnvInfo{
			{ID: exchanges.Live, Name: "live trading", BaseURL: liveHost, KeysAt: "https://www.okx.com/account/my-api",
				Note: "EEA accounts (my.okx.com) use https://eea.okx.com and US/AU accounts (app.okx.com) https://us.okx.com: set it with --base-url"},
			{ID: exchanges.Demo, Name: "Demo Trading", BaseURL: liveHost, KeysAt: "https://www.okx.com/account/my-api",
				Note: "same host with the header x-simulated-trading: 1; create the key in Demo Trading (Trade → Demo Trading → Personal Center → Demo Trading API)"},
		},
		Markets: []exchanges.Market{exchanges.Spot, exchanges.Futures, exchanges.Margin},
		Fields: []exchanges.Field{
			{ID: exchanges.FieldKey, Label: "API key", Help: "a UUID like 37c541a1-…-10fe7a038418",
				Check: exchanges.UUID()},
			{ID: exchanges.FieldSecret, Label: "Secret key", Secret: true, Help: "32 hexadecimal characters, shown with the API key when the key is created",
				Check: checkSecret},
			{ID: exchanges.FieldPassphrase, Label: "Passphrase", Secret: true,
				Help:  "the API passphrase you chose when creating this key — not your login or trading password",
				Check: exchanges.Printable(1, 64)},
		},
		Clock: exchanges.ClockWindow{Ahead: 30 * time.Second, Behind: 30 * time.Second, Rule: "OKX rejects a request whose OK-ACCESS-TIMESTAMP is more than 30 s from its clock (50102)"},
		// §2.3, §2.7: private limits are per User ID and per endpoint (the
		// tightest a check calls, account/config, 5 req/2 s per UID); public
		// ones per IP (time 10 req/2 s, status 1 req/5 s: serve asks those
		// once per environment for every key). 600/min is keywarden's cap.
		Budget:         exchanges.Budget{Concurrency: 10, PerMinute: 600},
		StatusPage:     "https://www.okx.com/status",
		UnrestrictedIP: "OKX deletes a key with Trade or Withdraw permission and no IP address bound after 14 days without use (Demo Trading keys excepted)",
		Validate:       validate,
		Guide:          guide(),
		Fixes:          fixes(),
	}
}

// validate catches the usual mix-ups between the three values.
func validate(c exchanges.Credentials) error {
	if p := c.Passphrase.Reveal(); p == c.Secret.Reveal() || p == c.Key {
		return &exchanges.FieldError{Field: exchanges.FieldPassphrase, Label: "Passphrase", Reason: "is the same as the API key or Secret key; it is the passphrase you chose when creating the key"}
	}
	return nil
}

var secretRE = regexp.MustCompile(`^[0-9A-Fa-f]{32}$`)

// checkSecret accepts the 32 hexadecimal characters of a Secret key and
// recognises the API key pasted in its place.
func checkSecret(s string) error {
	if exchanges.UUID()(s) == nil {
		return errors.New("this is an API key (a UUID), not the Secret key; the Secret key is 32 hexadecimal characters")
	}
	return exchanges.Regexp(secretRE, "32 hexadecimal characters")(s)
}
