// Package bitmex is the BitMEX adapter.
package bitmex

import (
	"regexp"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// Info describes BitMEX.
func Info() exchanges.Info {
	return exchanges.Info{
		ID:   "bitmex",
		Name: "BitMEX",
		Environments: []exchanges.EnvInfo{
			{ID: exchanges.Live, Name: "BitMEX", BaseURL: "https://www.bitmex.com", KeysAt: "https://www.bitmex.com/app/apiKeys"},
			{ID: exchanges.Testnet, Name: "Testnet", BaseURL: "https://testnet.bitmex.com", KeysAt: "https://testnet.bitmex.com/app/apiKeys",
				Note: "a separate account with its own keys"},
		},
		Markets: []exchanges.Market{exchanges.Futures},
		Fields: []exchanges.Field{
			{ID: exchanges.FieldKey, Label: "ID", Help: "the key ID, 24 characters",
				Check: exchanges.Regexp(regexp.MustCompile(`^[A-Za-z0-9_-]{24}$`), "24 letters, digits, _ or -")},
			{ID: exchanges.FieldSecret, Label: "Secret", Secret: true, Help: "48 characters of letters, digits, _ and -, shown once",
				Check: exchanges.Regexp(regexp.MustCompile(`^[A-Za-z0-9_-]{48}$`), "48 letters, digits, _ or -")},
		},
		Clock:      exchanges.ClockWindow{Ahead: 60 * time.Second, Behind: 60 * time.Second, Rule: "BitMEX rejects a request whose api-expires is already past on its clock"},
		StatusPage: "https://status.bitmex.com",
	}
}
