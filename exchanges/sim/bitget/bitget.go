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

// bitget simulates Bitget API v2. Live and demo trading share the host; a
// private request belongs to demo trading when it carries paptrading: 1,
// and a key of the other environment is answered 40099.
//
// A private request is checked in this order, each failure answered with
// Bitget's code and message (HTTP 400, as Bitget answers them): headers
// present (40001 key, 40003 sign, 40011 passphrase, 40005 timestamp),
// timestamp format (40005), timestamp more than 30 s from the server clock
// either way (40008), key format (40006), unknown key (40037), key of the
// other environment (40099), passphrase (40012), signature (40009), IP
// whitelist (40018), permission (40014). The signed string is timestamp +
// METHOD + path + "?" + raw query (when there is one) + body. In
// maintenance every endpoint answers 40200.
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

func (b *bitget) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if b.st.Maintenance() {
		b.fail(w, bgMaintenance)
		return
	}
	if r.Method != http.MethodGet {
		b.fail(w, bgErr("40103", "Request method cannot be empty"))
		return
	}
	switch r.URL.Path {
	case "/api/v2/public/time":
		now := strconv.FormatInt(b.st.Now().UnixMilli(), 10)
		b.ok(w, map[string]string{"serverTime": now})
	case "/api/v2/spot/account/info":
		if k, ok := b.auth(w, r, core.PermSpot); ok {
			b.info(w, k)
		}
	case "/api/v2/spot/account/assets":
		if k, ok := b.auth(w, r, core.PermSpot); ok {
			b.spotAssets(w, k)
		}
	case "/api/v2/mix/account/accounts":
		if k, ok := b.auth(w, r, core.PermFutures); ok {
			b.futuresAccounts(w, r, k)
		}
	default:
		b.fail(w, bgNotFound)
	}
}

func (b *bitget) env(r *http.Request) exchanges.Environment {
	if r.Header.Get("paptrading") == "1" {
		return exchanges.Demo
	}
	return exchanges.Live
}

// auth checks a private request as Bitget does. product is the market whose
// read (or read/write) permission the endpoint needs.
func (b *bitget) auth(w http.ResponseWriter, r *http.Request, product string) (*core.Key, bool) {
	apiKey := r.Header.Get("ACCESS-KEY")
	sign := r.Header.Get("ACCESS-SIGN")
	ts := r.Header.Get("ACCESS-TIMESTAMP")
	pass := r.Header.Get("ACCESS-PASSPHRASE")
	for _, c := range []struct {
		v string
		e bitgetErr
	}{{apiKey, bgNoKey}, {sign, bgNoSign}, {pass, bgNoPass}, {ts, bgBadTime}} {
		if c.v == "" {
			b.fail(w, c.e)
			return nil, false
		}
	}
	ms, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || ms <= 0 {
		b.fail(w, bgBadTime)
		return nil, false
	}
	if d := b.st.Now().Sub(time.UnixMilli(ms)); d > bitgetWindow || d < -bitgetWindow {
		b.fail(w, bgExpired)
		return nil, false
	}
	if !bitgetKeyRE.MatchString(apiKey) {
		b.fail(w, bgBadKey)
		return nil, false
	}
	var k *core.Key
	for i := range b.st.Scenario().Keys {
		if b.st.Scenario().Keys[i].Key == apiKey {
			k = &b.st.Scenario().Keys[i]
		}
	}
	if k == nil {
		b.fail(w, bgNoSuchKey)
		return nil, false
	}
	if k.Environment != b.env(r) {
		b.fail(w, bgWrongEnv)
		return nil, false
	}
	if !hmac.Equal([]byte(pass), []byte(k.Passphrase)) {
		b.fail(w, bgPassphrase)
		return nil, false
	}
	prehash := ts + r.Method + r.URL.Path
	if r.URL.RawQuery != "" {
		prehash += "?" + r.URL.RawQuery
	}
	if !verifyBitget(k.Secret, prehash, sign) {
		b.fail(w, bgSignature)
		return nil, false
	}
	if !k.IPAllowed(b.st.Scenario().ClientIP) {
		b.fail(w, bgIP)
		return nil, false
	}
	if !k.Has(core.PermRead) && !k.Has(product) {
		b.fail(w, bgPermission)
		return nil, false
	}
	return k, true
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

func (b *bitget) info(w http.ResponseWriter, k *core.Key) {
	ips := ""
	for i, ip := range k.IPs {
		if i > 0 {
			ips += ","
		}
		ips += ip
	}
	b.ok(w, map[string]any{
		"userId": "1234567890", "inviterId": "", "ips": ips, "authorities": bitgetAuthorities(k),
		"parentId": 1234567890, "traderType": "not_trader", "channelCode": "", "channel": "",
		"regisTime": strconv.FormatInt(k.Created.Add(-365*24*time.Hour).UnixMilli(), 10),
	})
}

func (b *bitget) spotAssets(w http.ResponseWriter, k *core.Key) {
	out := []map[string]string{}
	now := strconv.FormatInt(b.st.Now().UnixMilli(), 10)
	for _, coin := range core.SortedKeys(k.Balances) {
		amt := k.Balances[coin]
		if exchanges.IsZeroDecimal(amt) {
			continue
		}
		out = append(out, map[string]string{"coin": coin, "available": amt, "frozen": "0", "locked": "0", "limitAvailable": "0", "uTime": now})
	}
	b.ok(w, out)
}

func (b *bitget) futuresAccounts(w http.ResponseWriter, r *http.Request, k *core.Key) {
	if r.URL.Query().Get("productType") == "" {
		b.fail(w, bgErr("40019", "Parameter productType cannot be empty"))
		return
	}
	out := []map[string]any{}
	for _, coin := range core.SortedKeys(k.FuturesBalances) {
		amt := k.FuturesBalances[coin]
		out = append(out, map[string]any{
			"marginCoin": coin, "locked": "0", "available": amt, "crossedMaxAvailable": amt, "isolatedMaxAvailable": amt,
			"maxTransferOut": amt, "accountEquity": amt, "usdtEquity": amt, "btcEquity": "0", "crossedRiskRate": "0",
			"crossedMarginLeverage": 20, "isolatedLongLever": 20, "isolatedShortLever": 20, "marginMode": "crossed",
			"posMode": "one_way_mode", "unrealizedPL": "", "coupon": "0", "crossedUnrealizedPL": "0", "isolatedUnrealizedPL": "",
			"assetMode": "single",
		})
	}
	b.ok(w, out)
}
