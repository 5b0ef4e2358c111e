// Package deribit is the Deribit adapter: JSON-RPC over HTTP GET on
// /api/v2. The key logs in with public/auth (grant_type client_signature,
// so the Client Secret never travels); the token's scope and the key's
// own entry of private/list_api_keys are the permission facts. Deribit is
// a derivatives exchange: trade:read_write covers every instrument.
package deribit

import (
	"regexp"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// The default hosts; testnet is a separate account with its own keys.
const (
	liveHost = "https://www.deribit.com"
	testHost = "https://test.deribit.com"
)

// Client IDs in Deribit's documentation and in the wild are 8 or 10
// characters (TiA4AyLPq3, aD-KFx-H, 1sXMQBhM); secrets are 43 characters
// of URL-safe base64 (32 random bytes). The bounds leave room for other
// lengths without accepting something else entirely.
var (
	clientIDRE     = regexp.MustCompile(`^[A-Za-z0-9_-]{6,16}$`)
	clientSecretRE = regexp.MustCompile(`^[A-Za-z0-9_-]{32,64}$`)
)

// Info describes Deribit.
func Info() exchanges.Info {
	return exchanges.Info{
		ID:   "deribit",
		Name: "Deribit",
		Environments: []exchanges.EnvInfo{
			{ID: exchanges.Live, Name: "Deribit", BaseURL: liveHost, KeysAt: "https://www.deribit.com/account/BTC/api"},
			{ID: exchanges.Testnet, Name: "Testnet", BaseURL: testHost, KeysAt: "https://test.deribit.com/account/BTC/api",
				Note: "test.deribit.com is a separate account with its own keys: live keys do not work there, and the other way round"},
		},
		Markets: []exchanges.Market{exchanges.Futures},
		Fields: []exchanges.Field{
			{ID: exchanges.FieldKey, Label: "Client ID", Help: "8 to 10 letters, digits, _ or -, e.g. TiA4AyLPq3, shown on the API page",
				Check: exchanges.Regexp(clientIDRE, "the Client ID: 6 to 16 letters, digits, _ or -")},
			{ID: exchanges.FieldSecret, Label: "Client Secret", Secret: true,
				Help:  "43 letters, digits, _ and -, shown next to the Client ID on the API page",
				Check: exchanges.Regexp(clientSecretRE, "the Client Secret: 32 to 64 letters, digits, _ or -")},
		},
		Validate: func(c exchanges.Credentials) error {
			if c.Key == c.Secret.Reveal() {
				return &exchanges.FieldError{Field: exchanges.FieldSecret, Label: "Client Secret", Reason: "is the same as the Client ID; paste the Client Secret"}
			}
			return nil
		},
		Clock: exchanges.ClockWindow{Ahead: 60 * time.Second, Behind: 60 * time.Second,
			Rule: "Deribit accepts a signed timestamp for 60 s after it was made (client_signature login and deri-hmac-sha256 header); how far ahead it may be is not documented, keywarden assumes the same 60 s"},
		// §8.7: credits per sub-account (≈20 req/s sustained), at most 32
		// connections per IP: 8 in flight; 600/min is keywarden's cap.
		Budget:     exchanges.Budget{Concurrency: 8, PerMinute: 600},
		StatusPage: "https://status.deribit.com",
		Guide:      guide(),
		Fixes:      fixes(),
	}
}
