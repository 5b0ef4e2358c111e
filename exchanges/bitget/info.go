// Package bitget is the Bitget (API v2) adapter.
package bitget

import (
	"regexp"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// Info describes Bitget.
func Info() exchanges.Info {
	return exchanges.Info{
		ID:   "bitget",
		Name: "Bitget",
		Environments: []exchanges.EnvInfo{
			{ID: exchanges.Live, Name: "Bitget", BaseURL: "https://api.bitget.com", KeysAt: "https://www.bitget.com/account/newapi"},
			{ID: exchanges.Demo, Name: "Demo Trading", BaseURL: "https://api.bitget.com", KeysAt: "https://www.bitget.com/account/newapi",
				Note: "same host with the header paptrading: 1; create the key after switching to Demo mode"},
		},
		Markets: []exchanges.Market{exchanges.Spot, exchanges.Futures, exchanges.Margin},
		Fields: []exchanges.Field{
			{ID: exchanges.FieldKey, Label: "API Key", Help: "starts with bg_",
				Check: exchanges.Regexp(regexp.MustCompile(`^bg_[A-Za-z0-9]{8,64}$`), "bg_ followed by letters and digits")},
			{ID: exchanges.FieldSecret, Label: "Secret Key", Secret: true, Help: "letters and digits, shown once",
				Check: exchanges.Regexp(regexp.MustCompile(`^[A-Za-z0-9]{16,128}$`), "16 to 128 letters and digits")},
			{ID: exchanges.FieldPassphrase, Label: "Passphrase", Secret: true,
				Help:  "the API passphrase you set when creating this key (8–32 letters and digits) — not your login or fund password",
				Check: exchanges.Printable(1, 64)},
		},
		Clock:      exchanges.ClockWindow{Ahead: 30 * time.Second, Behind: 30 * time.Second, Rule: "Bitget rejects an ACCESS-TIMESTAMP far from its clock (40004 Request timestamp expired); about 30 s"},
		StatusPage: "https://www.bitget.com/support/announcement-center",
	}
}
