// Package binance is the Binance adapter: spot and wallet endpoints on the
// spot host, USDⓈ-M futures on the futures host; HMAC, Ed25519 and RSA keys.
package binance

import (
	"regexp"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// The default hosts. Spot and wallet (SAPI) endpoints share a host; USDⓈ-M
// futures live on their own.
const (
	liveSpot    = "https://api.binance.com"
	liveFutures = "https://fapi.binance.com"
	testSpot    = "https://testnet.binance.vision"
	testFutures = "https://testnet.binancefuture.com"
	demoSpot    = "https://demo-api.binance.com"
	demoFutures = "https://demo-fapi.binance.com"
)

var keyRE = regexp.MustCompile(`^[A-Za-z0-9]{64}$`)

// Info describes Binance.
func Info() exchanges.Info {
	return exchanges.Info{
		ID:   "binance",
		Name: "Binance",
		Environments: []exchanges.EnvInfo{
			{ID: exchanges.Live, Name: "Binance", BaseURL: liveSpot, KeysAt: "https://www.binance.com/en/my/settings/api-management"},
			{ID: exchanges.Testnet, Name: "Spot Testnet", BaseURL: testSpot, KeysAt: "https://testnet.binance.vision",
				Note: "keys come from testnet.binance.vision (log in with GitHub); the wallet endpoints that show key permissions do not exist there"},
			{ID: exchanges.Demo, Name: "Demo Trading", BaseURL: demoSpot, KeysAt: "https://demo.binance.com/en/my/settings/api-management",
				Note: "keys are created on demo.binance.com; the wallet endpoints that show key permissions do not exist there"},
		},
		Markets: []exchanges.Market{exchanges.Spot, exchanges.Futures, exchanges.Margin},
		Fields: []exchanges.Field{
			{ID: exchanges.FieldKey, Label: "API Key", Help: "64 letters and digits, shown on the API Management page",
				Check: exchanges.Regexp(keyRE, "64 letters and digits")},
			{ID: exchanges.FieldSecret, Label: "Secret Key", Secret: true, Multiline: true,
				Help: "HMAC keys: the 64-character Secret Key, shown once when the key is created. Ed25519 or RSA keys: your private key file (-----BEGIN PRIVATE KEY-----)",
				Check: exchanges.OneOf("the 64-character Secret Key, or an Ed25519/RSA private key in PEM form",
					exchanges.Alnum(64), exchanges.PEMKey(exchanges.KeyEd25519, exchanges.KeyRSA))},
		},
		Validate: func(c exchanges.Credentials) error {
			if c.Key == c.Secret.Reveal() {
				return &exchanges.FieldError{Field: exchanges.FieldSecret, Label: "Secret Key", Reason: "is the same as the API Key; paste the Secret Key, which is shown only once when the key is created"}
			}
			return nil
		},
		Clock: exchanges.ClockWindow{Ahead: time.Second, Behind: recvWindow,
			Rule: "Binance rejects a request whose timestamp is more than 1 s ahead of its clock, or older than recvWindow (5 s unless the bot sets more, at most 60 s)"},
		// §1.7: 6000 request weight per minute per IP (spot), 2400 (futures).
		// The heaviest call a check makes, /api/v3/account, weighs 20:
		// 240 × 20 = 4800 < 6000; /fapi/v3/balance weighs 5: 1200 < 2400.
		Budget:         exchanges.Budget{Concurrency: 10, PerMinute: 240},
		StatusPage:     "https://www.binance.com/en/support/announcement",
		UnrestrictedIP: "Binance lets the Spot & Margin trading permission of an unrestricted key expire (see the expiry date on API Management), and never allows withdrawals without an IP restriction",
		Guide:          guide(),
		Fixes:          fixes(),
	}
}
