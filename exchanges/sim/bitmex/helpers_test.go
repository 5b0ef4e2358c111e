package bitmex

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// newSim is the simulator of this exchange alone, for handler tests.
func newSim(sc core.Scenario) (*core.Sim, error) { return core.New(sc, Exchange()) }

// deribitHMACHex is hex(HMAC-SHA256(secret, payload)), BitMEX's signature.
func bitmexSig(secret, payload string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(payload))
	return hex.EncodeToString(m.Sum(nil))
}
