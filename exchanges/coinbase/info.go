// Package coinbase is the Coinbase Advanced Trade adapter for CDP API
// keys (Coinbase Developer Platform).
//
// Every request carries a fresh JWT (ES256 for ECDSA keys, EdDSA for
// Ed25519 keys) that names the method, host and path it is good for; see
// sign.go. Coinbase tells a key's permissions (key_permissions) but not
// its IP allowlist, creation date or expiry, and it refuses every bad JWT
// with the same bare 401: errors.go says how each answer is read and what
// evidence narrows it down. Status comes from status.coinbase.com
// (status.go), never from a guess.
package coinbase

import (
	"errors"
	"regexp"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

var (
	keyNameRE = regexp.MustCompile(`^(organizations/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/apiKeys/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$`)
	// legacyKeyRE is the shape of the API keys coinbase.com issued before
	// CDP (16 letters and digits, used with CB-ACCESS-* HMAC headers).
	legacyKeyRE = regexp.MustCompile(`^[A-Za-z0-9]{16}$`)
)

// checkKeyName accepts an ECDSA key name or an Ed25519 key id.
func checkKeyName(s string) error {
	if legacyKeyRE.MatchString(s) {
		return errors.New("this looks like a legacy Coinbase API key; keywarden needs a CDP API key from portal.cdp.coinbase.com (its name is organizations/…/apiKeys/… or a key id)")
	}
	return exchanges.Regexp(keyNameRE, "the API key name organizations/{org id}/apiKeys/{key id}, or the key id (a UUID)")(s)
}

var secretShape = exchanges.OneOf("an EC (P-256) private key in PEM form (-----BEGIN EC PRIVATE KEY-----) or an Ed25519 private key in base64 (88 characters)",
	exchanges.PEMKey(exchanges.KeyECP256, exchanges.KeyEd25519), exchanges.Base64(64, 32))

// checkSecret accepts a CDP private key whose parts agree.
func checkSecret(s string) error {
	if err := secretShape(s); err != nil {
		return err
	}
	return CheckPrivateKey(s)
}

// Info describes Coinbase Advanced Trade.
func Info() exchanges.Info {
	return exchanges.Info{
		ID:   "coinbase",
		Name: "Coinbase Advanced",
		Environments: []exchanges.EnvInfo{
			{ID: exchanges.Live, Name: "Coinbase Advanced Trade", BaseURL: liveBase, KeysAt: "https://portal.cdp.coinbase.com/projects/api-keys",
				Note: "Coinbase has no practice environment for Advanced Trade keys: its sandbox answers canned data without checking keys"},
		},
		Markets: []exchanges.Market{exchanges.Spot, exchanges.Futures},
		Fields: []exchanges.Field{
			{ID: exchanges.FieldKey, Label: "API key name",
				Help:  "ECDSA keys: the API key name organizations/{org id}/apiKeys/{key id}. Ed25519 keys: the API key id (a UUID). Both are in the key's JSON download",
				Check: checkKeyName},
			{ID: exchanges.FieldSecret, Label: "Private key", Secret: true, Multiline: true,
				Help:  "ECDSA keys: the whole -----BEGIN EC PRIVATE KEY----- … -----END EC PRIVATE KEY----- block (\\n escapes from the JSON file are fine). Ed25519 keys: the base64 private key (88 characters). Coinbase shows it only once",
				Check: checkSecret},
		},
		Clock: exchanges.ClockWindow{Ahead: 5 * time.Second, Behind: jwtLifetime,
			Rule: "each request's JWT is valid from nbf (this machine's time) to exp, 120 s later, on Coinbase's clock; a clock ahead makes nbf lie in Coinbase's future (keywarden allows 5 s, Coinbase's own tolerance is not published)"},
		// §4.7: private 30 req/s per user, public 10 req/s per IP (both
		// UNCONFIRMED). Nothing per IP for signed requests: 600/min is
		// keywarden's cap, 10/s.
		Budget:     exchanges.Budget{Concurrency: 10, PerMinute: 600},
		StatusPage: "https://status.coinbase.com",
		Guide:      guide(),
		Fixes:      fixes(),
	}
}
