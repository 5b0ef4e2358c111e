package bitget

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// newSim is the simulator of this exchange alone, for handler tests.
func newSim(sc core.Scenario) (*core.Sim, error) { return core.New(sc, Exchange()) }

// okxSig is base64(HMAC-SHA256(secret, prehash)), Bitget's signature.
func bitgetSig(secret, prehash string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(prehash))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}
