// Package bitmex is the BitMEX adapter: REST on /api/v1 with the
// api-expires / api-key / api-signature headers. BitMEX has no time and no
// status endpoint: its clock comes from the HTTP Date header, its state
// from the urgent announcements. GET /api/v1/apiKey tells the key's
// permissions (order, orderCancel, withdraw) and CIDR restriction.
package bitmex

import (
	"regexp"

	"github.com/keywarden/keywarden/exchanges"
)

// The default hosts; testnet is a separate account with its own keys.
const (
	liveHost = "https://www.bitmex.com"
	testHost = "https://testnet.bitmex.com"
)

// A key ID is 24 characters and a secret 48 characters of URL-safe base64
// (BitMEX's documented example: LAqUlngMIQkIUjXMUreyu3qn and
// chNOOS4KvNXR_Xq4k4c9qsfoKWvnDecLATCRlcBwyKDYnWgO).
var (
	keyIDRE  = regexp.MustCompile(`^[A-Za-z0-9_-]{24}$`)
	secretRE = regexp.MustCompile(`^[A-Za-z0-9_-]{48}$`)
)

// Info describes BitMEX.
func Info() exchanges.Info {
	return exchanges.Info{
		ID:   "bitmex",
		Name: "BitMEX",
		Environments: []exchanges.EnvInfo{
			{ID: exchanges.Live, Name: "BitMEX", BaseURL: liveHost, KeysAt: "https://www.bitmex.com/app/apiKeys"},
			{ID: exchanges.Testnet, Name: "Testnet", BaseURL: testHost, KeysAt: "https://testnet.bitmex.com/app/apiKeys",
				Note: "testnet.bitmex.com is a separate account with its own keys: live keys do not work there, and the other way round"},
		},
		Markets: []exchanges.Market{exchanges.Futures},
		Fields: []exchanges.Field{
			{ID: exchanges.FieldKey, Label: "ID", Help: "the key's ID: 24 letters and digits, shown on the API Keys page",
				Check: exchanges.Regexp(keyIDRE, "the key's ID: 24 letters, digits, _ or -")},
			{ID: exchanges.FieldSecret, Label: "Secret", Secret: true, Help: "48 letters, digits, _ and -, shown when the key is created",
				Check: exchanges.Regexp(secretRE, "the Secret: 48 letters, digits, _ or -")},
		},
		Validate: func(c exchanges.Credentials) error {
			if c.Key == c.Secret.Reveal() {
				return &exchanges.FieldError{Field: exchanges.FieldSecret, Label: "Secret", Reason: "is the same as the ID; paste the key's Secret"}
			}
			return nil
		},
		Clock: exchanges.ClockWindow{Ahead: exchanges.NoLimit, Behind: expiresLead,
			Rule: "BitMEX rejects a request once its api-expires is in the past on BitMEX's clock (HTTP 400 \"This request has expired - `expires` is in the past. Current time: …\"). Bots set api-expires about 5 s ahead (ccxt's default and BitMEX's market maker), so a clock more than 5 s behind fails; a clock ahead only lengthens each request's validity, and BitMEX documents no upper bound"},
		// §11.7: 120 requests/min per account when authenticated, 30/min per
		// IP unauthenticated (status and time: serve asks those once per
		// environment for every key). 600/min is keywarden's cap for signed
		// requests across accounts.
		Budget:     exchanges.Budget{Concurrency: 10, PerMinute: 600},
		StatusPage: "https://status.bitmex.com",
		Guide:      guide(),
		Fixes:      fixes(),
	}
}
