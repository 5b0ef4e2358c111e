// Package bitget simulates Bitget API v2: time, coins, spot symbols and
// USDT-M contracts, tickers, order books, spot and futures accounts, and
// spot and futures orders, in Bitget's shapes.
//
// Live and demo trading share the host; a
// private request belongs to demo trading when it carries paptrading: 1,
// and a key of the other environment is answered 40099.
//
// A private request is checked in this order, each failure answered with
// Bitget's code and message (HTTP 400, as Bitget answers them): headers
// present (40001 key, 40003 sign, 40011 passphrase, 40005 timestamp),
// timestamp format (40005), timestamp more than 30 s from the server clock
// either way (40008), key format (40006), unknown key (40037), key of the
// other environment (40099), passphrase (40012), signature (40009), IP
// whitelist (40018), permission (40014: reading needs read or the
// market's trade permission; an order the trade permission of its
// market, spot or futures). The signed string is timestamp +
// METHOD + path + "?" + raw query (when there is one) + body. In
// maintenance every endpoint answers 40200.
package bitget

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/sim/core"
)

type bitget struct{ st *core.State }

func newBitget(st *core.State) core.Handler { return &bitget{st: st} }

// bitgetWindow is how far ACCESS-TIMESTAMP may be from Bitget's clock
// (UNCONFIRMED; a Bitget-derived platform documents 30 s).
const bitgetWindow = 30 * time.Second

var bitgetKeyRE = regexp.MustCompile(`^bg_[0-9a-f]{32}$`)

func sampleBitget() core.Key {
	return core.Key{Key: "bg_" + core.RandomHex(32), Secret: core.RandomHex(64), Passphrase: "Kw" + core.RandomAlnum(14)}
}

type bitgetErr struct {
	status int
	code   string
	msg    string
}

func bgErr(code, msg string) bitgetErr { return bitgetErr{http.StatusBadRequest, code, msg} }

var (
	bgNoKey       = bgErr("40001", "ACCESS_KEY cannot be empty")
	bgNoSign      = bgErr("40003", "Signature cannot be empty")
	bgNoPass      = bgErr("40011", "ACCESS_PASSPHRASE cannot be empty")
	bgBadTime     = bgErr("40005", "Invalid ACCESS_TIMESTAMP")
	bgExpired     = bgErr("40008", "Request timestamp expired")
	bgBadKey      = bgErr("40006", "Invalid ACCESS_KEY")
	bgNoSuchKey   = bgErr("40037", "Apikey does not exist")
	bgWrongEnv    = bgErr("40099", "exchange environment is incorrect")
	bgPassphrase  = bgErr("40012", "apikey/password is incorrect")
	bgSignature   = bgErr("40009", "sign signature error")
	bgIP          = bgErr("40018", "Invalid IP")
	bgPermission  = bgErr("40014", "Incorrect permissions")
	bgMaintenance = bitgetErr{http.StatusServiceUnavailable, "40200", "The server is being upgraded. Please try again later."}
	bgNotFound    = bitgetErr{http.StatusNotFound, "40404", "Request URL NOT FOUND"}
)

func (b *bitget) fail(w http.ResponseWriter, e bitgetErr) {
	core.Refuse(w, e.code)
	core.WriteJSON(w, e.status, map[string]any{"code": e.code, "msg": e.msg, "requestTime": b.st.Now().UnixMilli(), "data": nil})
}

func (b *bitget) ok(w http.ResponseWriter, data any) {
	core.WriteJSON(w, http.StatusOK, map[string]any{"code": "00000", "msg": "success", "requestTime": b.st.Now().UnixMilli(), "data": data})
}

func (b *bitget) RateLimited(w http.ResponseWriter, retryAfter time.Duration) {
	// Bitget documents HTTP 429 but no wait header; the simulator sends
	// the standard one.
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(retryAfter.Seconds()))))
	b.fail(w, bitgetErr{http.StatusTooManyRequests, "429", "Too Many Requests"})
}

func (b *bitget) ServerError(w http.ResponseWriter) {
	b.fail(w, bitgetErr{http.StatusInternalServerError, "40015", "System is abnormal, please try again later"})
}

func (b *bitget) env(r *http.Request) exchanges.Environment {
	if r.Header.Get("paptrading") == "1" {
		return exchanges.Demo
	}
	return exchanges.Live
}

// verifyBitget checks a base64 HMAC-SHA256 of prehash, independently of the
// adapter's signer; the text is compared, not leniently decoded bytes.
func verifyBitget(secret, prehash, sig string) bool {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(prehash))
	want := base64.StdEncoding.EncodeToString(m.Sum(nil))
	return hmac.Equal([]byte(want), []byte(sig))
}

// bitgetAuthorities translates a key's permissions into Bitget's codes:
// read gives the read-only codes of spot, futures and margin; each trade
// permission its read/write code.
func bitgetAuthorities(k *core.Key) []string {
	out := []string{}
	add := func(on bool, codes ...string) {
		if on {
			out = append(out, codes...)
		}
	}
	add(k.Has(core.PermRead), "stor", "coor", "cpor", "smor")
	add(k.Has(core.PermSpot), "stow")
	add(k.Has(core.PermFutures), "coow", "cpow")
	add(k.Has(core.PermMargin), "smow")
	add(k.Has(core.PermTransfer), "wtow")
	add(k.Has(core.PermWithdraw), "wwow")
	return out
}
