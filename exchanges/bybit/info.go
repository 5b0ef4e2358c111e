// Package bybit is the Bybit (API v5) adapter.
package bybit

import (
	"regexp"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// Info describes Bybit.
func Info() exchanges.Info {
	return exchanges.Info{
		ID:   "bybit",
		Name: "Bybit",
		Environments: []exchanges.EnvInfo{
			{ID: exchanges.Live, Name: "Bybit", BaseURL: "https://api.bybit.com", KeysAt: "https://www.bybit.com/app/user/api-management",
				Note: "regional accounts use their own host (api.bybit.nl, api.bybit.tr, api.bybit.kz, api.bybit.eu, …): set it with --base-url"},
			{ID: exchanges.Testnet, Name: "Testnet", BaseURL: "https://api-testnet.bybit.com", KeysAt: "https://testnet.bybit.com/app/user/api-management"},
			{ID: exchanges.Demo, Name: "Demo Trading", BaseURL: "https://api-demo.bybit.com", KeysAt: "https://www.bybit.com/app/user/api-management",
				Note: "create the key in your mainnet account after switching to Demo Trading; the key-permission endpoint does not exist there"},
		},
		Markets: []exchanges.Market{exchanges.Spot, exchanges.Futures, exchanges.Margin},
		Fields: []exchanges.Field{
			{ID: exchanges.FieldKey, Label: "API Key", Help: "letters and digits (about 18), shown on API Management",
				Check: exchanges.Regexp(regexp.MustCompile(`^[A-Za-z0-9]{10,64}$`), "10 to 64 letters and digits")},
			{ID: exchanges.FieldSecret, Label: "API Secret", Secret: true, Multiline: true,
				Help: "System-generated keys: the API Secret (letters and digits), shown once. Self-generated (RSA) keys: your RSA private key (PEM)",
				Check: exchanges.OneOf("the API Secret (letters and digits) or an RSA private key in PEM form",
					exchanges.Regexp(regexp.MustCompile(`^[A-Za-z0-9]{16,128}$`), "16 to 128 letters and digits"),
					exchanges.PEMKey(exchanges.KeyRSA))},
		},
		Clock: exchanges.ClockWindow{Ahead: time.Second, Behind: 5 * time.Second,
			Rule: "Bybit accepts server_time − recv_window ≤ timestamp < server_time + 1000 ms (recv_window 5000 ms by default)"},
		StatusPage:     "https://bybit-exchange.github.io/docs/v5/system-status",
		UnrestrictedIP: "Bybit invalidates a key with no IP bound after 90 days (and 7 days after a password change)",
	}
}
