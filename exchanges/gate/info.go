// Package gate is the Gate (API v4) adapter. Every path lives under
// /api/v4 on one host per environment; the signature covers that full
// path. Key facts come from two reads: /account/detail (the calling key's
// IP whitelist) and /account/main_keys (permissions and creation time of
// the main account's keys, matched to the calling one).
package gate

import (
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// The default roots. Gate documents its base URLs with the /api/v4
// prefix; the adapter accepts a base URL with or without it.
const (
	liveRoot    = "https://api.gateio.ws/api/v4"
	testnetRoot = "https://api-testnet.gateapi.io/api/v4"
)

// window is how far Timestamp may be from Gate's clock, either way
// (REQUEST_EXPIRED beyond it).
const window = 60 * time.Second

var (
	keyCheck    = exchanges.Hex(32)
	secretCheck = exchanges.Hex(64)
)

// Info describes Gate.
func Info() exchanges.Info {
	return exchanges.Info{
		ID:   "gate",
		Name: "Gate",
		Environments: []exchanges.EnvInfo{
			{ID: exchanges.Live, Name: "Gate", BaseURL: liveRoot, KeysAt: "https://www.gate.com/myaccount/api_key_manage"},
			{ID: exchanges.Testnet, Name: "Gate TestNet", BaseURL: testnetRoot, KeysAt: "https://www.gate.com/myaccount/api_key_manage",
				Note: "TestNet needs its own keys (Futures TestNet APIKeys, created on the same API Key Management page); live keys are unknown there"},
		},
		Markets: []exchanges.Market{exchanges.Spot, exchanges.Futures, exchanges.Margin},
		Fields: []exchanges.Field{
			{ID: exchanges.FieldKey, Label: "API Key", Help: "32 hexadecimal characters, shown on API Key Management", Check: keyCheck},
			{ID: exchanges.FieldSecret, Label: "Secret Key", Secret: true, Help: "64 hexadecimal characters, shown only once when the key is created", Check: secretCheck},
		},
		Clock: exchanges.ClockWindow{Ahead: window, Behind: window,
			Rule: "Gate rejects a request whose Timestamp header is more than 60 s from its clock, either way (REQUEST_EXPIRED)"},
		// §10.7: public 200 req/10 s per endpoint per IP; private 150–200
		// req/10 s per endpoint per UID (wallet balances 80). 600/min is
		// keywarden's cap.
		Budget:         exchanges.Budget{Concurrency: 10, PerMinute: 600},
		StatusPage:     "https://www.gate.com/announcements",
		UnrestrictedIP: "Gate accepts a key without an IP whitelist from any address, so a leaked key works for anyone",
		Guide:          guide(),
		Fixes:          fixes(),
	}
}
