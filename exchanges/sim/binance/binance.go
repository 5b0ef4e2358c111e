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

// binance simulates Binance spot, wallet (SAPI) and USDⓈ-M futures.
//
// A signed request is checked in this order, each failure answered with
// Binance's code, message and HTTP status: API-key format (-2014, 401),
// mandatory parameters (-1102, 400), recvWindow (-1131, 400), timestamp
// ahead by 1000 ms or older than recvWindow (-1021, 400), unknown key
// (-2015, 401), signature (-1022, 400), IP restriction (-2015, 401),
// permission (-2015, 401). The signed payload is the query string exactly
// as sent, without the signature parameter.
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
	bnShutdown  = binanceErr{http.StatusServiceUnavailable, -1016, "This service is no longer available."}
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

func (b *binance) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	live := b.st.Scenario().Environment == exchanges.Live
	if r.URL.Path == "/sapi/v1/system/status" && live {
		if b.st.Maintenance() {
			core.WriteJSON(w, 200, map[string]any{"status": 1, "msg": "system_maintenance"})
		} else {
			core.WriteJSON(w, 200, map[string]any{"status": 0, "msg": "normal"})
		}
		return
	}
	if b.st.Maintenance() {
		b.fail(w, bnShutdown)
		return
	}
	switch r.URL.Path {
	case "/api/v3/time", "/fapi/v1/time":
		core.WriteJSON(w, 200, map[string]any{"serverTime": b.st.Now().UnixMilli()})
	case "/api/v3/ping", "/fapi/v1/ping":
		core.WriteJSON(w, 200, map[string]any{})
	case "/api/v3/account":
		if k, ok := b.auth(w, r, core.PermRead); ok {
			b.account(w, r, k)
		}
	case "/sapi/v1/account/apiRestrictions":
		if !live {
			http.NotFound(w, r)
			return
		}
		if k, ok := b.auth(w, r, core.PermRead); ok {
			b.restrictions(w, k)
		}
	case "/fapi/v2/balance", "/fapi/v3/balance":
		if k, ok := b.auth(w, r, core.PermFutures); ok {
			b.futuresBalance(w, k)
		}
	default:
		http.NotFound(w, r)
	}
}

// auth checks a signed request as Binance does.
func (b *binance) auth(w http.ResponseWriter, r *http.Request, perm string) (*core.Key, bool) {
	apiKey := r.Header.Get("X-MBX-APIKEY")
	if !binanceKeyRE.MatchString(apiKey) {
		b.fail(w, bnKeyFormat)
		return nil, false
	}
	payload, sig, q, ok := splitSignature(r.URL.RawQuery)
	if !ok || sig == "" {
		b.fail(w, bnMandatory("signature"))
		return nil, false
	}
	ts, err := strconv.ParseInt(q.Get("timestamp"), 10, 64)
	if err != nil {
		b.fail(w, bnMandatory("timestamp"))
		return nil, false
	}
	if ts > 1e15 { // microseconds
		ts /= 1000
	}
	window := 5000.0
	if v := q.Get("recvWindow"); v != "" {
		window, err = strconv.ParseFloat(v, 64)
		if err != nil || window <= 0 {
			b.fail(w, bnMandatory("recvWindow"))
			return nil, false
		}
		if window > 60000 {
			b.fail(w, bnRecv)
			return nil, false
		}
	}
	now := b.st.Now().UnixMilli()
	if ts >= now+1000 {
		b.fail(w, bnAhead)
		return nil, false
	}
	if float64(now-ts) > window {
		b.fail(w, bnOutside)
		return nil, false
	}
	k := b.st.Key(apiKey)
	if k == nil {
		b.fail(w, bnRejected)
		return nil, false
	}
	if !verifyBinance(k.Secret, payload, sig) {
		b.fail(w, bnSignature)
		return nil, false
	}
	if !k.IPAllowed(b.st.Scenario().ClientIP) || !k.Has(perm) {
		b.fail(w, bnRejected)
		return nil, false
	}
	return k, true
}

// splitSignature removes the signature parameter from a raw query and
// returns the signed payload, the signature and the parsed query.
func splitSignature(raw string) (payload, sig string, q url.Values, ok bool) {
	var parts []string
	for _, p := range strings.Split(raw, "&") {
		if strings.HasPrefix(p, "signature=") {
			sig = strings.TrimPrefix(p, "signature=")
			continue
		}
		parts = append(parts, p)
	}
	q, err := url.ParseQuery(raw)
	return strings.Join(parts, "&"), sig, q, err == nil
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

func (b *binance) restrictions(w http.ResponseWriter, k *core.Key) {
	v := map[string]any{
		"ipRestrict":                   len(k.IPs) > 0,
		"createTime":                   k.Created.UnixMilli(),
		"enableReading":                k.Has(core.PermRead),
		"enableSpotAndMarginTrading":   k.Has(core.PermSpot) || k.Has(core.PermMargin),
		"enableMargin":                 k.Has(core.PermMargin),
		"enableFutures":                k.Has(core.PermFutures),
		"enableWithdrawals":            k.Has(core.PermWithdraw),
		"enableInternalTransfer":       k.Has(core.PermTransfer),
		"permitsUniversalTransfer":     k.Has(core.PermTransfer),
		"enableVanillaOptions":         false,
		"enablePortfolioMarginTrading": false,
		"enableFixApiTrade":            false,
		"enableFixReadOnly":            false,
	}
	if !k.Expires.IsZero() {
		v["tradingAuthorityExpirationTime"] = k.Expires.UnixMilli()
	}
	core.WriteJSON(w, 200, v)
}

func (b *binance) account(w http.ResponseWriter, r *http.Request, k *core.Key) {
	omitZero := r.URL.Query().Get("omitZeroBalances") == "true"
	balances := []map[string]string{}
	for _, asset := range core.SortedKeys(k.Balances) {
		amt := k.Balances[asset]
		if omitZero && exchanges.IsZeroDecimal(amt) {
			continue
		}
		balances = append(balances, map[string]string{"asset": asset, "free": amt, "locked": "0.00000000"})
	}
	core.WriteJSON(w, 200, map[string]any{
		"makerCommission": 10, "takerCommission": 10, "buyerCommission": 0, "sellerCommission": 0,
		"canTrade": k.Has(core.PermSpot) || k.Has(core.PermMargin), "canWithdraw": true, "canDeposit": true,
		"brokered": false, "requireSelfTradePrevention": false, "preventSor": false,
		"updateTime": b.st.Now().UnixMilli(), "accountType": "SPOT",
		"balances": balances, "permissions": []string{"SPOT"}, "uid": 354937868,
	})
}

func (b *binance) futuresBalance(w http.ResponseWriter, k *core.Key) {
	out := []map[string]any{}
	for _, asset := range core.SortedKeys(k.FuturesBalances) {
		amt := k.FuturesBalances[asset]
		out = append(out, map[string]any{
			"accountAlias": "SgsR", "asset": asset, "balance": amt, "crossWalletBalance": amt,
			"crossUnPnl": "0.00000000", "availableBalance": amt, "maxWithdrawAmount": amt,
			"marginAvailable": true, "updateTime": b.st.Now().UnixMilli(),
		})
	}
	core.WriteJSON(w, 200, out)
}
