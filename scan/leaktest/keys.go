// Package leaktest makes leaked keys to look for, and text that looks like
// them but is not, for the scanner's recall and precision tests and for
// the side-by-side benchmark with gitleaks (scripts/scan-vs-gitleaks).
//
// Keys have the shapes of each supported exchange's real keys (the
// scanner's tests check them against the exchanges' own validators); they
// are generated from a seeded source, so a test sees the same keys on
// every run, except Coinbase's EC private key, which the standard library
// always draws fresh. Files plant them in the config formats trading bots
// use, and say where each value is (path and line), so that a finding can
// be matched to what was planted without printing any value.
package leaktest

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"strings"

	"github.com/keywarden/keywarden/exchanges/sim"
)

// Exchanges are the exchange ids keys are made for (ccxt's ids too).
var Exchanges = []string{"binance", "bingx", "bitget", "bitmex", "bybit", "coinbase", "deribit", "gate", "kraken", "kucoin", "okx"}

// Key is one exchange key's values.
type Key struct {
	Exchange, Key, Secret, Passphrase string
}

const (
	alnum   = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	urlSafe = alnum + "-_"
	hexLow  = "0123456789abcdef"
)

func pick(rng *mrand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return string(b)
}

func randBytes(rng *mrand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

func uuid(rng *mrand.Rand) string {
	u := pick(rng, hexLow, 32)
	return u[:8] + "-" + u[8:12] + "-4" + u[13:16] + "-a" + u[17:20] + "-" + u[20:]
}

// NewKey makes a key of the exchange, shaped like the exchange's own.
func NewKey(rng *mrand.Rand, exchange string) Key {
	k := Key{Exchange: exchange}
	switch exchange {
	case "binance":
		k.Key, k.Secret = pick(rng, alnum, 64), pick(rng, alnum, 64)
	case "bingx":
		k.Key, k.Secret = pick(rng, alnum, 64), pick(rng, alnum, 64)
	case "bitget":
		k.Key, k.Secret, k.Passphrase = "bg_"+pick(rng, hexLow, 32), pick(rng, hexLow, 64), Passphrase(rng)
	case "bitmex":
		k.Key, k.Secret = pick(rng, alnum, 24), pick(rng, urlSafe, 48)
	case "bybit":
		k.Key, k.Secret = pick(rng, alnum, 18), pick(rng, alnum, 36)
	case "coinbase":
		k.Key, k.Secret = "organizations/"+uuid(rng)+"/apiKeys/"+uuid(rng), ecPEM()
	case "deribit":
		k.Key, k.Secret = pick(rng, urlSafe, 8), base64.RawURLEncoding.EncodeToString(randBytes(rng, 32))
	case "gate":
		k.Key, k.Secret = pick(rng, hexLow, 32), pick(rng, hexLow, 64)
	case "kraken":
		k.Key, k.Secret = base64.StdEncoding.EncodeToString(randBytes(rng, 42)), base64.StdEncoding.EncodeToString(randBytes(rng, 64))
	case "kucoin":
		k.Key, k.Secret, k.Passphrase = pick(rng, hexLow, 24), uuid(rng), Passphrase(rng)
	case "okx":
		k.Key, k.Secret, k.Passphrase = uuid(rng), strings.ToUpper(hex.EncodeToString(randBytes(rng, 16))), Passphrase(rng)
	default:
		panic("leaktest: no key shape for " + exchange)
	}
	return k
}

// ecPEM is a fresh P-256 private key in SEC1 PEM form (Coinbase CDP), as
// the exchange simulator makes them.
func ecPEM() string {
	k, _ := sim.SampleKey("coinbase")
	return k.Secret
}

var passWords = []string{"moon", "lambo", "hodl", "satoshi", "river", "tiger", "orange", "castle", "winter", "falcon", "Grid", "Scalp", "Alpha", "Delta"}

// Passphrase makes a passphrase as people choose them: words, digits and
// a sign, or a run of mixed characters; 8 to 24 characters, no spaces or
// quotes, starting with a letter.
func Passphrase(rng *mrand.Rand) string {
	const signs = "!@%^&*-_+.="
	if rng.IntN(3) == 0 {
		return pick(rng, alnum[:52], 1) + pick(rng, alnum+signs, 9+rng.IntN(10))
	}
	var sb strings.Builder
	for sb.Len() < 8 {
		w := passWords[rng.IntN(len(passWords))]
		if rng.IntN(2) == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		sb.WriteString(w)
		if rng.IntN(2) == 0 {
			sb.WriteByte(signs[rng.IntN(len(signs))])
		}
	}
	fmt.Fprintf(&sb, "%d", rng.IntN(10000))
	return sb.String()
}

// envName is the exchange's prefix in environment variables.
func envName(exchange string) string { return strings.ToUpper(exchange) }
