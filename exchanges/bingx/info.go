// Package bingx is the BingX adapter: spot and USDⓈ-M perpetual futures
// on open-api.bingx.com, and the VST demo (virtual USDT perpetuals) on its
// own host. Keys are HMAC only; BingX signs the parameter string exactly
// as sent.
package bingx

import (
	"regexp"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// The default hosts.
const (
	liveHost = "https://open-api.bingx.com"
	demoHost = "https://open-api-vst.bingx.com"
)

// BingX's documented example key and secret are 83 letters and digits;
// the exact length rule is not published, so a range is accepted.
var credRE = regexp.MustCompile(`^[A-Za-z0-9]{32,128}$`)

// Info describes BingX.
func Info() exchanges.Info {
	return exchanges.Info{
		ID:   "bingx",
		Name: "BingX",
		Environments: []exchanges.EnvInfo{
			{ID: exchanges.Live, Name: "BingX", BaseURL: liveHost, KeysAt: "https://bingx.com/en/account/api"},
			{ID: exchanges.Demo, Name: "VST demo", BaseURL: demoHost, KeysAt: "https://bingx.com/en/account/api",
				Note: "the VST demo trades virtual USDT perpetual futures on its own host, with keys from the same API Management page"},
		},
		Markets: []exchanges.Market{exchanges.Spot, exchanges.Futures},
		Fields: []exchanges.Field{
			{ID: exchanges.FieldKey, Label: "API Key", Help: "letters and digits (83 for most keys), shown on API Management",
				Check: exchanges.Regexp(credRE, "32 to 128 letters and digits")},
			{ID: exchanges.FieldSecret, Label: "Secret Key", Secret: true,
				Help:  "letters and digits (83 for most keys), shown only once when the key is created",
				Check: exchanges.Regexp(credRE, "32 to 128 letters and digits")},
		},
		Validate: func(c exchanges.Credentials) error {
			if c.Key == c.Secret.Reveal() {
				return &exchanges.FieldError{Field: exchanges.FieldSecret, Label: "Secret Key", Reason: "is the same as the API Key; paste the Secret Key, which BingX shows only once when the key is created"}
			}
			return nil
		},
		Clock: exchanges.ClockWindow{Ahead: 5 * time.Second, Behind: recvWindow,
			Rule: "BingX rejects a request whose timestamp is more than 5 s from its clock (recvWindow 5000 ms unless the bot sends another)"},
		// §9.7: per UID per endpoint (5 req/s on the endpoints a check calls),
		// a lockout of 5 minutes when exceeded. 300/min is keywarden's cap.
		Budget:         exchanges.Budget{Concurrency: 5, PerMinute: 300},
		StatusPage:     "https://bingx.com/en/support/announcement",
		UnrestrictedIP: "BingX deletes a key with no IP bound and trading, transfer or sub-account permissions after 14 days without use, and never allows withdrawals without an IP binding",
		Guide:          guide(),
		Fixes:          fixes(),
	}
}
