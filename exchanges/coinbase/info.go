// Package coinbase is the Coinbase Advanced Trade adapter (CDP API keys).
package coinbase

import (
	"regexp"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

var keyNameRE = regexp.MustCompile(`^(organizations/[0-9a-fA-F-]{36}/apiKeys/[0-9a-fA-F-]{36}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$`)

// Info describes Coinbase Advanced Trade.
func Info() exchanges.Info {
	return exchanges.Info{
		ID:   "coinbase",
		Name: "Coinbase Advanced",
		Environments: []exchanges.EnvInfo{
			{ID: exchanges.Live, Name: "Coinbase Advanced Trade", BaseURL: "https://api.coinbase.com", KeysAt: "https://portal.cdp.coinbase.com/projects/api-keys"},
		},
		Markets: []exchanges.Market{exchanges.Spot, exchanges.Futures},
		Fields: []exchanges.Field{
			{ID: exchanges.FieldKey, Label: "API key name", Help: "organizations/{org id}/apiKeys/{key id} for ECDSA keys, or the key id (a UUID) for Ed25519 keys",
				Check: exchanges.Regexp(keyNameRE, "organizations/…/apiKeys/… or a key id (UUID)")},
			{ID: exchanges.FieldSecret, Label: "Private key", Secret: true, Multiline: true,
				Help: "ECDSA keys: -----BEGIN EC PRIVATE KEY----- … (paste it whole). Ed25519 keys: the base64 private key (88 characters)",
				Check: exchanges.OneOf("an EC (P-256) private key in PEM form or a base64 Ed25519 private key",
					exchanges.PEMKey(exchanges.KeyECP256, exchanges.KeyEd25519), exchanges.Base64(64, 32))},
		},
		Clock: exchanges.ClockWindow{Ahead: 5 * time.Second, Behind: 120 * time.Second,
			Rule: "Coinbase accepts a JWT from its nbf (the local time it was made) until exp, 120 s later"},
		StatusPage: "https://status.coinbase.com",
	}
}
