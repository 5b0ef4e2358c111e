// Package kraken is the Kraken spot REST adapter.
package kraken

import (
	"regexp"

	"github.com/keywarden/keywarden/exchanges"
)

// Info describes Kraken.
func Info() exchanges.Info {
	return exchanges.Info{
		ID:   "kraken",
		Name: "Kraken",
		Environments: []exchanges.EnvInfo{
			{ID: exchanges.Live, Name: "Kraken", BaseURL: "https://api.kraken.com", KeysAt: "https://pro.kraken.com/app/settings/api"},
		},
		Markets: []exchanges.Market{exchanges.Spot, exchanges.Margin},
		Fields: []exchanges.Field{
			{ID: exchanges.FieldKey, Label: "API Key", Help: "the public key, 56 characters of base64",
				Check: exchanges.Regexp(regexp.MustCompile(`^[A-Za-z0-9+/=]{40,80}$`), "40 to 80 base64 characters")},
			{ID: exchanges.FieldSecret, Label: "Private Key", Secret: true, Help: "88 characters of base64 ending in ==, shown once",
				Check: exchanges.Base64(64)},
		},
		Clock:      exchanges.ClockWindow{Rule: "Kraken signs with an always-increasing nonce, not a timestamp: the clock only matters if the key has a nonce window"},
		StatusPage: "https://status.kraken.com",
	}
}
