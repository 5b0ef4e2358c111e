// Package bitget is the Bitget (API v2) adapter: spot and USDT-M futures
// on one host, HMAC keys with a passphrase, demo trading on the same host
// with the paptrading header.
package bitget

import (
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

const liveHost = "https://api.bitget.com"

var (
	keyRE    = regexp.MustCompile(`^bg_[A-Za-z0-9]{8,64}$`)
	secretRE = regexp.MustCompile(`^[A-Za-z0-9]{16,128}$`)
)

// Info describes Bitget.
func Info() exchanges.Info {
	return exchanges.Info{
		ID:   "bitget",
		Name: "Bitget",
		Environments: []exchanges.EnvInfo{
			{ID: exchanges.Live, Name: "live trading", BaseURL: liveHost, KeysAt: "https://www.bitget.com/account/newapi"},
			{ID: exchanges.Demo, Name: "Demo Trading", BaseURL: liveHost, KeysAt: "https://www.bitget.com/account/newapi",
				Note: "same host with the header paptrading: 1; create the key after switching to demo trading"},
		},
		Markets: []exchanges.Market{exchanges.Spot, exchanges.Futures, exchanges.Margin},
		Fields: []exchanges.Field{
			{ID: exchanges.FieldKey, Label: "API Key", Help: "starts with bg_",
				Check: exchanges.Regexp(keyRE, "bg_ followed by letters and digits")},
			{ID: exchanges.FieldSecret, Label: "Secret Key", Secret: true, Help: "letters and digits, shown once when the key is created",
				Check: checkSecret},
			{ID: exchanges.FieldPassphrase, Label: "Passphrase", Secret: true,
				Help:  "the API passphrase you set when creating this key (8–32 letters and digits) — not your login or fund password",
				Check: exchanges.Printable(1, 64)},
		},
		Validate: validate,
		Clock: exchanges.ClockWindow{Ahead: 30 * time.Second, Behind: 30 * time.Second,
			Rule: "Bitget rejects an ACCESS-TIMESTAMP far from its clock (40008 Request timestamp expired); about 30 s"},
		// §7.7: per endpoint per UID (account/info 1 req/s, assets 10 req/s);
		// a global per-IP limit is UNCONFIRMED. 600/min is keywarden's cap.
		Budget:         exchanges.Budget{Concurrency: 10, PerMinute: 600},
		StatusPage:     "https://www.bitget.com/support/announcement-center",
		UnrestrictedIP: "Bitget allows withdrawals only through a key bound to a whitelisted IP address; it publishes no expiry for keys without one",
		Guide:          guide(),
		Fixes:          fixes(),
	}
}

// checkSecret accepts a Secret Key and recognises the API Key pasted in
// its place.
func checkSecret(s string) error {
	if strings.HasPrefix(s, "bg_") {
		return errors.New("this is the API Key (it starts with bg_), not the Secret Key")
	}
	return exchanges.Regexp(secretRE, "16 to 128 letters and digits")(s)
}

// validate catches the usual mix-ups between the three values.
func validate(c exchanges.Credentials) error {
	if p := c.Passphrase.Reveal(); p == c.Secret.Reveal() || p == c.Key {
		return &exchanges.FieldError{Field: exchanges.FieldPassphrase, Label: "Passphrase", Reason: "is the same as the API Key or Secret Key; it is the passphrase you set when creating the key"}
	}
	return nil
}
