package kucoin

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// kucoin simulates KuCoin: the spot host's time, status, key-info and
// accounts endpoints, and the futures host's account overview (served on
// the same listener; KuCoin's paths do not overlap).
//
// Every simulated key is an API key of version 3 (what KuCoin issues
// today). A signed request is checked in this order, each failure
// answered with KuCoin's code, message and HTTP status:
//
//  1. KC-API-KEY, KC-API-SIGN, KC-API-TIMESTAMP, KC-API-PASSPHRASE present
//     (400001, 401);
//  2. KC-API-TIMESTAMP within 5 s of the exchange's clock, either way
//     (400002, 401);
//  3. the key is known in this environment (400003, 401);
//  4. the passphrase: a version 2/3 key needs KC-API-KEY-VERSION 2 or 3
//     and KC-API-PASSPHRASE = base64(HMAC-SHA256(secret, passphrase)); a
//     plain-text passphrase, or a missing or "1" version header, is
//     refused (400004, 401). It comes before the signature, as on KuCoin
//     (ccxt #9369: a request with both wrong got 400004), so a wrong
//     secret is refused here too;
//  5. KC-API-SIGN = base64(HMAC-SHA256(secret, timestamp + METHOD +
//     path[?query, not URL-encoded] + body)) (400005, 401);
//  6. the IP whitelist (400006, 403, naming the client IP as KuCoin does);
//  7. the permission the endpoint needs (400007, 403).
//
// Maintenance: /api/v1/status says "close" and every other endpoint
// answers HTTP 503 (KuCoin's docs: "temporarily offline for maintenance").
type kucoin struct{ st *core.State }

func newKuCoin(st *core.State) core.Handler { return &kucoin{st: st} }

func sampleKuCoin() core.Key {
	u := core.RandomHex(32)
	return core.Key{
		Key:        core.RandomHex(24),
		Secret:     u[:8] + "-" + u[8:12] + "-4" + u[13:16] + "-a" + u[17:20] + "-" + u[20:],
		Passphrase: "kw-" + core.RandomAlnum(13),
	}
}

// kucoinWindow is KuCoin's timestamp tolerance.
const kucoinWindow = 5000 // ms

type kucoinErr struct {
	status int
	code   string
	msg    string
}

var (
	kcMissing    = kucoinErr{http.StatusUnauthorized, "400001", "Any of KC-API-KEY, KC-API-SIGN, KC-API-TIMESTAMP, KC-API-PASSPHRASE is missing in your request header."}
	kcTimestamp  = kucoinErr{http.StatusUnauthorized, "400002", "Invalid KC-API-TIMESTAMP"}
	kcNoKey      = kucoinErr{http.StatusUnauthorized, "400003", "KC-API-KEY not exists"}
	kcPassphrase = kucoinErr{http.StatusUnauthorized, "400004", "Invalid KC-API-PASSPHRASE"}
	kcSignature  = kucoinErr{http.StatusUnauthorized, "400005", "Invalid KC-API-SIGN"}
	kcDenied     = kucoinErr{http.StatusForbidden, "400007", "Access denied, require more permission."}
	kcNotFound   = kucoinErr{http.StatusNotFound, "404000", "interface not exists"}
	kcMaint      = kucoinErr{http.StatusServiceUnavailable, "503000", "Service Unavailable -- We're temporarily offline for maintenance. Please try again later."}
)

func (h *kucoin) fail(w http.ResponseWriter, e kucoinErr) {
	core.Refuse(w, e.code)
	core.WriteJSON(w, e.status, map[string]any{"code": e.code, "msg": e.msg})
}

func (h *kucoin) ok(w http.ResponseWriter, data any) {
	core.WriteJSON(w, http.StatusOK, map[string]any{"code": "200000", "data": data})
}

// RateLimited answers as KuCoin does when a resource pool is used up:
// HTTP 429, code 429000, and the pool's countdown in gw-ratelimit-reset
// (milliseconds). KuCoin sends no Retry-After.
func (h *kucoin) RateLimited(w http.ResponseWriter, retryAfter time.Duration) {
	w.Header().Set("gw-ratelimit-limit", "2000")
	w.Header().Set("gw-ratelimit-remaining", "0")
	w.Header().Set("gw-ratelimit-reset", strconv.FormatInt(retryAfter.Milliseconds(), 10))
	h.fail(w, kucoinErr{http.StatusTooManyRequests, "429000", "Too Many Requests"})
}

func (h *kucoin) ServerError(w http.ResponseWriter) {
	h.fail(w, kucoinErr{http.StatusInternalServerError, "500000", "Internal Server Error"})
}

func (h *kucoin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		h.fail(w, kcNotFound)
		return
	}
	if r.URL.Path == "/api/v1/status" {
		switch {
		case h.st.Maintenance():
			h.ok(w, map[string]string{"status": "close", "msg": "system maintenance"})
		case h.st.Scenario().Maintenance == "announced":
			h.ok(w, map[string]string{"status": "open", "msg": "maintenance announced"})
		default:
			h.ok(w, map[string]string{"status": "open", "msg": ""})
		}
		return
	}
	if h.st.Maintenance() {
		h.fail(w, kcMaint)
		return
	}
	switch r.URL.Path {
	case "/api/v1/timestamp":
		core.WriteJSON(w, http.StatusOK, map[string]any{"code": "200000", "msg": "success", "data": h.st.Now().UnixMilli()})
	case "/api/v1/user/api-key":
		if k, ok := h.auth(w, r, core.PermRead); ok {
			h.apiKey(w, k)
		}
	case "/api/v1/accounts":
		if k, ok := h.auth(w, r, core.PermRead); ok {
			h.accounts(w, k)
		}
	case "/api/v1/account-overview":
		if k, ok := h.auth(w, r, core.PermRead); ok {
			h.futures(w, r, k)
		}
	default:
		h.fail(w, kcNotFound)
	}
}

// auth checks a signed request as KuCoin does (see the type's comment).
func (h *kucoin) auth(w http.ResponseWriter, r *http.Request, perm string) (*core.Key, bool) {
	apiKey := r.Header.Get("KC-API-KEY")
	sig := r.Header.Get("KC-API-SIGN")
	tsText := r.Header.Get("KC-API-TIMESTAMP")
	pass := r.Header.Get("KC-API-PASSPHRASE")
	if apiKey == "" || sig == "" || tsText == "" || pass == "" {
		h.fail(w, kcMissing)
		return nil, false
	}
	ts, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil {
		h.fail(w, kcTimestamp)
		return nil, false
	}
	if d := h.st.Now().UnixMilli() - ts; d > kucoinWindow || d < -kucoinWindow {
		h.fail(w, kcTimestamp)
		return nil, false
	}
	k := h.st.Key(apiKey)
	if k == nil {
		h.fail(w, kcNoKey)
		return nil, false
	}
	switch r.Header.Get("KC-API-KEY-VERSION") {
	case "2", "3":
		if !hmac.Equal([]byte(pass), []byte(kucoinHMAC(k.Secret, k.Passphrase))) {
			h.fail(w, kcPassphrase)
			return nil, false
		}
	default:
		// Version 1 (plain passphrase) does not exist for a v3 key.
		h.fail(w, kcPassphrase)
		return nil, false
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		h.fail(w, kcSignature)
		return nil, false
	}
	endpoint := r.URL.Path
	if r.URL.RawQuery != "" {
		q, err := url.QueryUnescape(r.URL.RawQuery)
		if err != nil {
			q = r.URL.RawQuery
		}
		endpoint += "?" + q
	}
	want := kucoinHMAC(k.Secret, tsText+r.Method+endpoint+string(body))
	if !hmac.Equal([]byte(sig), []byte(want)) {
		h.fail(w, kcSignature)
		return nil, false
	}
	if !k.IPAllowed(h.st.Scenario().ClientIP) {
		h.fail(w, kucoinErr{http.StatusForbidden, "400006", "Invalid request ip, the current clientIp is:" + h.st.Scenario().ClientIP})
		return nil, false
	}
	if !k.Has(perm) {
		h.fail(w, kcDenied)
		return nil, false
	}
	return k, true
}

// kucoinHMAC is base64(HMAC-SHA256(secret, msg)): KuCoin's signature and
// its version 2/3 passphrase.
func kucoinHMAC(secret, msg string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(msg))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// kucoinPermissions is the key's permission string in KuCoin's names.
func kucoinPermissions(k *core.Key) string {
	var p []string
	for _, x := range []struct{ perm, name string }{
		{core.PermRead, "General"}, {core.PermSpot, "Spot"}, {core.PermMargin, "Margin"}, {core.PermFutures, "Futures"},
		{core.PermTransfer, "InnerTransfer"}, {core.PermWithdraw, "Transfer"},
	} {
		if k.Has(x.perm) {
			p = append(p, x.name)
		}
	}
	return strings.Join(p, ",")
}

func (h *kucoin) apiKey(w http.ResponseWriter, k *core.Key) {
	v := map[string]any{
		"remark":     k.Label,
		"apiKey":     k.Key,
		"apiVersion": 3,
		"permission": kucoinPermissions(k),
		"createdAt":  k.Created.UnixMilli(),
		"uid":        165111215,
		"isMaster":   true,
	}
	if len(k.IPs) > 0 {
		v["ipWhitelist"] = strings.Join(k.IPs, ",")
	}
	h.ok(w, v)
}

func (h *kucoin) accounts(w http.ResponseWriter, k *core.Key) {
	out := []map[string]string{}
	for i, asset := range core.SortedKeys(k.Balances) {
		amt := k.Balances[asset]
		out = append(out, map[string]string{
			"id": "5bd6e9286d99522a52e458d" + strconv.Itoa(i%10), "currency": asset, "type": "trade",
			"balance": amt, "available": amt, "holds": "0",
		})
	}
	h.ok(w, out)
}

func (h *kucoin) futures(w http.ResponseWriter, r *http.Request, k *core.Key) {
	cur := r.URL.Query().Get("currency")
	if cur == "" {
		cur = "XBT"
	}
	amt := k.FuturesBalances[cur]
	if amt == "" {
		amt = "0"
	}
	// The futures host sends amounts as JSON numbers.
	n := kucoinNumber(amt)
	h.ok(w, map[string]any{
		"accountEquity": n, "unrealisedPNL": 0, "marginBalance": n, "positionMargin": 0,
		"orderMargin": 0, "frozenFunds": 0, "availableBalance": n, "currency": cur, "riskRatio": 0,
	})
}

// kucoinNumber writes a decimal string as a JSON number.
func kucoinNumber(s string) json.Number {
	if !exchanges.IsDecimal(s) {
		return "0"
	}
	return json.Number(s)
}
