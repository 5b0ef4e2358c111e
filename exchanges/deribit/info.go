// Package deribit is the Deribit adapter.
package deribit

import (
	"regexp"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// Info describes Deribit.
func Info() exchanges.Info {
	return exchanges.Info{
		ID:   "deribit",
		Name: "Deribit",
		Environments: []exchanges.EnvInfo{
			{ID: exchanges.Live, Name: "Deribit", BaseURL: "https://www.deribit.com", KeysAt: "https://www.deribit.com/account/BTC/api"},
			{ID: exchanges.Testnet, Name: "Testnet", BaseURL: "https://test.deribit.com", KeysAt: "https://test.deribit.com/account/BTC/api",
				Note: "a separate account with its own keys"},
		},
		Markets: []exchanges.Market{exchanges.Futures},
		Fields: []exchanges.Field{
			{ID: exchanges.FieldKey, Label: "Client Id", Help: "about 8 to 10 characters, e.g. TiA4AyLPq3",
				Check: exchanges.Regexp(regexp.MustCompile(`^[A-Za-z0-9_-]{6,32}$`), "6 to 32 letters, digits, _ or -")},
			{ID: exchanges.FieldSecret, Label: "Client Secret", Secret: true, Help: "about 43 characters of letters, digits, _ and -",
				Check: exchanges.Regexp(regexp.MustCompile(`^[A-Za-z0-9_-]{20,128}$`), "20 to 128 letters, digits, _ or -")},
		},
		Clock:      exchanges.ClockWindow{Ahead: 60 * time.Second, Behind: 60 * time.Second, Rule: "Deribit checks the ts of a signed request against its clock"},
		StatusPage: "https://status.deribit.com",
	}
}
