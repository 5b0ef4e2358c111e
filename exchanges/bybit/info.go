// Package bybit is the Bybit (API v5) adapter: mainnet (and its regional
// hosts through a base URL), testnet and Demo Trading; system-generated
// (HMAC) and self-generated (RSA) keys. Everything a bot trades sits in
// the Unified Trading Account, so one wallet read covers spot, margin and
// derivatives.
package bybit

import (
	"regexp"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// The default hosts.
const (
	liveHost = "https://api.bybit.com"
	testHost = "https://api-testnet.bybit.com"
	demoHost = "https://api-demo.bybit.com"
)

var (
	keyRE    = regexp.MustCompile(`^[A-Za-z0-9]{10,64}$`)
	secretRE = regexp.MustCompile(`^[A-Za-z0-9]{16,128}$`)
)

// Info describes Bybit.
func Info() exchanges.Info {
	return exchanges.Info{
		ID:   "bybit",
		Name: "Bybit",
		Environments: []exchanges.EnvInfo{
			{ID: exchanges.Live, Name: "mainnet", BaseURL: liveHost, KeysAt: "https://www.bybit.com/app/user/api-management",
				Note: "regional accounts use their own host (api.bybit.eu, api.bybit.nl, api.bybit.tr, api.bybit.kz, api.bybitgeorgia.ge, api.bybit.ae, api.bybit.id): set it with --base-url"},
			{ID: exchanges.Testnet, Name: "testnet", BaseURL: testHost, KeysAt: "https://testnet.bybit.com/app/user/api-management",
				Note: "keys come from testnet.bybit.com, a separate site with its own account"},
			{ID: exchanges.Demo, Name: "Demo Trading", BaseURL: demoHost, KeysAt: "https://www.bybit.com/app/user/api-management",
				Note: "create the key in your mainnet account after switching to Demo Trading (it has its own UID); the key-permission endpoint does not exist there"},
		},
		Markets: []exchanges.Market{exchanges.Spot, exchanges.Futures, exchanges.Margin},
		Fields: []exchanges.Field{
			{ID: exchanges.FieldKey, Label: "API Key", Help: "letters and digits (18 for most keys), shown on API Management",
				Check: exchanges.Regexp(keyRE, "10 to 64 letters and digits")},
			{ID: exchanges.FieldSecret, Label: "API Secret", Secret: true, Multiline: true,
				Help: "System-generated keys: the API Secret (letters and digits, 36 for most keys), shown once when the key is created. Self-generated keys: your RSA private key (-----BEGIN PRIVATE KEY-----)",
				Check: exchanges.OneOf("the API Secret (letters and digits) or an RSA private key in PEM form",
					exchanges.Regexp(secretRE, "16 to 128 letters and digits"),
					exchanges.PEMKey(exchanges.KeyRSA))},
		},
		Validate: func(c exchanges.Credentials) error {
			if c.Key == c.Secret.Reveal() {
				return &exchanges.FieldError{Field: exchanges.FieldSecret, Label: "API Secret", Reason: "is the same as the API Key; paste the API Secret, which Bybit shows only once when the key is created"}
			}
			return nil
		},
		Clock: exchanges.ClockWindow{Ahead: time.Second, Behind: recvWindow,
			Rule: "Bybit accepts server_time − recv_window ≤ timestamp < server_time + 1000 ms (recv_window 5000 ms unless the bot sends more)"},
		// §3.7: 600 requests per 5 s per IP (all of api.bybit.com); per UID
		// per endpoint (query-api 10/s). 500 in any minute is under the
		// per-IP limit even if all of them fall in the same 5 s.
		Budget:         exchanges.Budget{Concurrency: 10, PerMinute: 500},
		StatusPage:     "https://announcements.bybit.com",
		UnrestrictedIP: "Bybit invalidates a key with no IP bound after 90 days, and 7 days after the account password is changed",
		Guide:          guide(),
		Fixes:          fixes(),
	}
}
