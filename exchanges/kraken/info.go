// Package kraken is the Kraken spot REST adapter.
//
// Kraken signs private requests with an always-increasing nonce instead of
// a timestamp (see nonce.go), sends every private call as a POST form, and
// answers errors with HTTP 200 and {"error": ["EAPI:Invalid key"]}. Key
// facts come from GetApiKeyInfo; where a deployment lacks it, from
// read-only probes (keyinfo.go). Nothing here can place, cancel or amend an
// order, withdraw or transfer.
package kraken

import (
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"

	"github.com/keywarden/keywarden/exchanges"
)

// liveURL is Kraken's spot REST host. Kraken has no spot sandbox: its demo
// environment is futures-only.
const liveURL = "https://api.kraken.com"

// keyRE is the public API Key: standard base64, 56 characters on the keys
// seen (length UNCONFIRMED, so a margin is allowed).
var keyRE = regexp.MustCompile(`^[A-Za-z0-9+/]{40,100}={0,2}$`)

// checkKey validates the API Key, and recognises a Private Key pasted into
// its place.
func checkKey(s string) error {
	if looksLikePrivateKey(s) {
		return errors.New("this is 88 characters of base64 decoding to 64 bytes: it looks like the Private Key; the API Key is the shorter public one")
	}
	return exchanges.Regexp(keyRE, "the API Key: about 56 characters of base64 (letters, digits, + and /)")(s)
}

func looksLikePrivateKey(s string) bool {
	b, err := base64.StdEncoding.DecodeString(s)
	return err == nil && len(s) == 88 && len(b) == 64
}

// Info describes Kraken.
func Info() exchanges.Info {
	return exchanges.Info{
		ID:   "kraken",
		Name: "Kraken",
		Environments: []exchanges.EnvInfo{
			{ID: exchanges.Live, Name: "Kraken", BaseURL: liveURL, KeysAt: "https://pro.kraken.com/app/settings/api",
				Note: "Kraken spot has no test environment; Kraken Futures keys (futures.kraken.com) are separate and do not work here"},
		},
		Markets: []exchanges.Market{exchanges.Spot, exchanges.Margin},
		Fields: []exchanges.Field{
			{ID: exchanges.FieldKey, Label: "API Key", Help: "the public key, about 56 characters of base64, shown in Settings → API",
				Check: checkKey},
			{ID: exchanges.FieldSecret, Label: "Private Key", Secret: true,
				Help:  "88 characters of base64 ending in ==, shown only once when the key is created",
				Check: checkSecret},
		},
		Validate: func(c exchanges.Credentials) error {
			if c.Key == c.Secret.Reveal() {
				return &exchanges.FieldError{Field: exchanges.FieldSecret, Label: "Private Key",
					Reason: "is the same as the API Key; paste the Private Key, which Kraken shows only once when the key is created"}
			}
			return nil
		},
		Clock: exchanges.ClockWindow{
			Rule: "Kraken signs with an always-increasing nonce, not a timestamp: no clock window, but a nonce lower than one the key already used is refused (EAPI:Invalid nonce)"},
		// §5.7: a per-key call counter (max 20, decaying 0.5/s or 1/s); a
		// check makes 3–4 calls per key. Nothing published per IP for
		// private calls: 300/min is keywarden's cap.
		Budget:         exchanges.Budget{Concurrency: 5, PerMinute: 300},
		StatusPage:     "https://status.kraken.com",
		UnrestrictedIP: "Kraken applies no extra rule to keys without an IP restriction: such a key works from any address until it is deleted or reaches its expiration date",
		Guide:          guide(),
		Fixes:          fixes(),
	}
}

// checkSecret validates the Private Key: standard base64 of 64 bytes.
func checkSecret(s string) error {
	if err := exchanges.Base64(64)(s); err != nil {
		if keyRE.MatchString(s) && !looksLikePrivateKey(s) {
			return fmt.Errorf("%w (is this the API Key? the Private Key is the longer one, 88 characters ending in ==)", err)
		}
		return err
	}
	return nil
}
