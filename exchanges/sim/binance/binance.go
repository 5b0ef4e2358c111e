// Package binance simulates Binance spot, wallet (SAPI) and USDⓈ-M
// futures on one listener (their paths do not overlap): what ccxt and
// keywarden call, in Binance's own shapes and error codes.
//
// A signed request is checked in this order, each failure answered with
// Binance's code, message and HTTP status: API-key format (-2014, 401),
// mandatory parameters (-1102, 400), recvWindow (-1131, 400), timestamp
// ahead by 1000 ms or older than recvWindow (-1021, 400), unknown key
// (-2015, 401), signature (-1022, 400), IP restriction (-2015, 401),
// permission for that endpoint and market, and the expiry of the trading
// permission (-2015, 401). The signed payload is the query string
// concatenated with the request body, exactly as sent, without the
// signature parameter.
//
// In maintenance /sapi/v1/system/status says so and every other endpoint
// answers HTTP 503 {"code":1,"msg":"System is under maintenance."}.
// Unknown paths get Binance's HTML error page with HTTP 404.
package binance

import (
	"crypto"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/sim/core"
)

type binance struct{ st *core.State }

func newBinance(st *core.State) core.Handler { return &binance{st: st} }

var binanceKeyRE = regexp.MustCompile(`^[A-Za-z0-9]{64}$`)

func sampleBinance() core.Key {
	return core.Key{Key: core.RandomAlnum(64), Secret: core.RandomAlnum(64)}
}

type binanceErr struct {
	status int
	code   int
	msg    string
}

var (
	bnKeyFormat = binanceErr{http.StatusUnauthorized, -2014, "API-key format invalid."}
	bnRejected  = binanceErr{http.StatusUnauthorized, -2015, "Invalid API-key, IP, or permissions for action."}
	bnSignature = binanceErr{http.StatusBadRequest, -1022, "Signature for this request is not valid."}
	bnAhead     = binanceErr{http.StatusBadRequest, -1021, "Timestamp for this request was 1000ms ahead of the server's time."}
	bnOutside   = binanceErr{http.StatusBadRequest, -1021, "Timestamp for this request is outside of the recvWindow."}
	bnRecv      = binanceErr{http.StatusBadRequest, -1131, "recvWindow must be less than 60000"}
	// ccxt knows this answer from Binance's maintenance windows and maps
	// it to OnMaintenance.
	bnMaintenance = binanceErr{http.StatusServiceUnavailable, 1, "System is under maintenance."}
)

func bnMandatory(p string) binanceErr {
	return binanceErr{http.StatusBadRequest, -1102, "Mandatory parameter '" + p + "' was not sent, was empty/null, or malformed."}
}

func (b *binance) fail(w http.ResponseWriter, e binanceErr) {
	core.Refuse(w, strconv.Itoa(e.code))
	core.WriteJSON(w, e.status, map[string]any{"code": e.code, "msg": e.msg})
}

func (b *binance) RateLimited(w http.ResponseWriter, retryAfter time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(retryAfter.Seconds()))))
	b.fail(w, binanceErr{http.StatusTooManyRequests, -1003,
		"Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API."})
}

func (b *binance) ServerError(w http.ResponseWriter) {
	b.fail(w, binanceErr{http.StatusInternalServerError, -1001, "Internal error; unable to process your request. Please try again."})
}

// verifyBinance checks an HMAC (hex, case-insensitive), Ed25519 or RSA
// (base64, percent-encoded) signature.
func verifyBinance(secret, payload, sig string) bool {
	if !exchanges.LooksLikePEM(secret) {
		m := hmac.New(sha256.New, []byte(secret))
		m.Write([]byte(payload))
		want := hex.EncodeToString(m.Sum(nil))
		return hmac.Equal([]byte(want), []byte(strings.ToLower(sig)))
	}
	raw, err := url.QueryUnescape(sig)
	if err != nil {
		return false
	}
	sigBytes, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		return false
	}
	key, _, err := exchanges.ParsePrivateKey(secret)
	if err != nil {
		return false
	}
	switch k := key.(type) {
	case ed25519.PrivateKey:
		return ed25519.Verify(k.Public().(ed25519.PublicKey), []byte(payload), sigBytes)
	case *rsa.PrivateKey:
		h := sha256.Sum256([]byte(payload))
		return rsa.VerifyPKCS1v15(&k.PublicKey, crypto.SHA256, h[:], sigBytes) == nil
	}
	return false
}
