// Package gate is the Gate (API v4) adapter.
package gate

import (
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// Info describes Gate.
func Info() exchanges.Info {
	return exchanges.Info{
		ID:   "gate",
		Name: "Gate",
		Environments: []exchanges.EnvInfo{
			{ID: exchanges.Live, Name: "Gate", BaseURL: "https://api.gateio.ws", KeysAt: "https://www.gate.com/myaccount/api_key_manage"},
			{ID: exchanges.Testnet, Name: "Futures TestNet", BaseURL: "https://api-testnet.gateapi.io", KeysAt: "https://www.gate.com/myaccount/api_key_manage",
				Note: "needs separate Futures TestNet APIKeys"},
		},
		Markets: []exchanges.Market{exchanges.Spot, exchanges.Futures, exchanges.Margin},
		Fields: []exchanges.Field{
			{ID: exchanges.FieldKey, Label: "API Key", Help: "32 hexadecimal characters", Check: exchanges.Hex(32)},
			{ID: exchanges.FieldSecret, Label: "Secret Key", Secret: true, Help: "64 hexadecimal characters, shown once", Check: exchanges.Hex(64)},
		},
		Clock:      exchanges.ClockWindow{Ahead: 60 * time.Second, Behind: 60 * time.Second, Rule: "Gate rejects a Timestamp more than 60 s from its clock (REQUEST_EXPIRED)"},
		StatusPage: "https://www.gate.com/announcements",
	}
}
