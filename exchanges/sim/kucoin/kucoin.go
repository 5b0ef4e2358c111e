// Package kucoin simulates KuCoin: the spot host's time, status,
// currencies, symbols, tickers, order books, key info, accounts and
// high-frequency (HF) spot orders, and the futures host's account
// overview (served on the same listener; KuCoin's paths do not overlap).
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
//  7. the permission the endpoint needs (400007, 403): General to read,
//     Spot to trade spot (the scenario's expiry takes trading away).
//
// Maintenance: /api/v1/status says "close" and every other endpoint
// answers HTTP 503 with the gateway's HTML page, as KuCoin does ("We're
// temporarily offline for maintenance"). Unknown paths answer 404000.
package kucoin

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

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

// auth checks a signed request as KuCoin does (see the package comment)
// and returns the key and the body.
func (h *kucoin) auth(w http.ResponseWriter, r *http.Request, sc *core.Scenario, perm string) (*core.Key, []byte, bool) {
	apiKey := r.Header.Get("KC-API-KEY")
	sig := r.Header.Get("KC-API-SIGN")
	tsText := r.Header.Get("KC-API-TIMESTAMP")
	pass := r.Header.Get("KC-API-PASSPHRASE")
	if apiKey == "" || sig == "" || tsText == "" || pass == "" {
		h.fail(w, kcMissing)
		return nil, nil, false
	}
	ts, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil {
		h.fail(w, kcTimestamp)
		return nil, nil, false
	}
	if d := sc.Now().UnixMilli() - ts; d > kucoinWindow || d < -kucoinWindow {
		h.fail(w, kcTimestamp)
		return nil, nil, false
	}
	k := sc.Key(apiKey)
	if k == nil {
		h.fail(w, kcNoKey)
		return nil, nil, false
	}
	switch r.Header.Get("KC-API-KEY-VERSION") {
	case "2", "3":
		if !hmac.Equal([]byte(pass), []byte(kucoinHMAC(k.Secret, k.Passphrase))) {
			h.fail(w, kcPassphrase)
			return nil, nil, false
		}
	default:
		// Version 1 (plain passphrase) does not exist for a v3 key.
		h.fail(w, kcPassphrase)
		return nil, nil, false
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		h.fail(w, kcSignature)
		return nil, nil, false
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
		return nil, nil, false
	}
	if !k.IPAllowed(sc.ClientIP) {
		h.fail(w, kucoinErr{http.StatusForbidden, "400006", "Invalid request ip, the current clientIp is:" + sc.ClientIP})
		return nil, nil, false
	}
	expired := perm != core.PermRead && !k.Expires.IsZero() && !k.Expires.After(sc.Now())
	if !k.Has(perm) || expired {
		h.fail(w, kcDenied)
		return nil, nil, false
	}
	return k, body, true
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
