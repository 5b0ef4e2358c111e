// Package kucoin is the KuCoin (spot, API key version 2/3) adapter.
package kucoin

import (
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// Info describes KuCoin.
func Info() exchanges.Info {
	return exchanges.Info{
		ID:   "kucoin",
		Name: "KuCoin",
		Environments: []exchanges.EnvInfo{
			{ID: exchanges.Live, Name: "KuCoin", BaseURL: "https://api.kucoin.com", KeysAt: "https://www.kucoin.com/account/api"},
		},
		Markets: []exchanges.Market{exchanges.Spot, exchanges.Futures, exchanges.Margin},
		Fields: []exchanges.Field{
			{ID: exchanges.FieldKey, Label: "API Key", Help: "24 hexadecimal characters", Check: exchanges.Hex(24)},
			{ID: exchanges.FieldSecret, Label: "API Secret", Secret: true, Help: "a UUID like f03a5284-5c39-4aaa-9b20-dea10bdcf8e3, shown once", Check: exchanges.UUID()},
			{ID: exchanges.FieldPassphrase, Label: "API Passphrase", Secret: true,
				Help:  "the passphrase you typed when creating this API key — not your login password or trading password",
				Check: exchanges.Printable(1, 64)},
		},
		Clock:      exchanges.ClockWindow{Ahead: 5 * time.Second, Behind: 5 * time.Second, Rule: "KuCoin rejects a KC-API-TIMESTAMP more than 5 s from its clock (400002)"},
		StatusPage: "https://status.kucoin.com",
	}
}
