// Package bingx is the BingX adapter.
package bingx

import (
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// Info describes BingX.
func Info() exchanges.Info {
	return exchanges.Info{
		ID:   "bingx",
		Name: "BingX",
		Environments: []exchanges.EnvInfo{
			{ID: exchanges.Live, Name: "BingX", BaseURL: "https://open-api.bingx.com", KeysAt: "https://bingx.com/en/account/api"},
			{ID: exchanges.Demo, Name: "VST demo", BaseURL: "https://open-api-vst.bingx.com", KeysAt: "https://bingx.com/en/account/api"},
		},
		Markets: []exchanges.Market{exchanges.Spot, exchanges.Futures},
		Fields: []exchanges.Field{
			{ID: exchanges.FieldKey, Label: "API Key", Help: "letters and digits (about 83)", Check: exchanges.Alnum(0)},
			{ID: exchanges.FieldSecret, Label: "Secret Key", Secret: true, Help: "letters and digits (about 83), shown once", Check: exchanges.Alnum(0)},
		},
		Validate: func(c exchanges.Credentials) error {
			if c.Key == c.Secret.Reveal() {
				return &exchanges.FieldError{Field: exchanges.FieldSecret, Label: "Secret Key", Reason: "is the same as the API Key"}
			}
			return nil
		},
		Clock:          exchanges.ClockWindow{Ahead: 5 * time.Second, Behind: 5 * time.Second, Rule: "BingX rejects a timestamp more than 5 s from its clock (recvWindow 5000 ms by default)"},
		StatusPage:     "https://bingx.com/en/support",
		UnrestrictedIP: "BingX deletes a key with trading or transfer permission and no IP bound after 14 days without use",
	}
}
