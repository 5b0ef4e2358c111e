// Package okx simulates OKX API v5: time, status, currencies, instruments,
// tickers, books, balances and orders, in OKX's shapes.
//
// Live and Demo Trading share the host; a
// request belongs to Demo Trading when it carries x-simulated-trading: 1,
// and a key of the other environment is answered 50101.
//
// A private request is checked in this order, each failure answered with
// OKX's code, message and HTTP status: headers present (50103 key, 50104
// passphrase, 50106 sign, 50107 timestamp; 401), timestamp format (50112,
// 401), timestamp more than 30 s from the server clock either way (50102,
// 401), unknown key (50111, 401), key of the other environment (50101,
// 401), passphrase (50105, 401), signature (50113, 401), IP whitelist
// (50110, 401), permission (50120, 200; trading needs OKX's one "trade"
// permission, which any of the scenario's spot, futures or margin
// permissions grants). The signed string is timestamp + METHOD + path
// with its raw query + body. In maintenance every endpoint but the status
// answers 50001 (503). Order endpoints answer per-order errors in
// data[].sCode with code "1", as OKX does.
package okx

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/sim/core"
)

type okx struct{ st *core.State }

func newOKX(st *core.State) core.Handler { return &okx{st: st} }

// okxWindow is how far OK-ACCESS-TIMESTAMP may be from OKX's clock.
const okxWindow = 30 * time.Second

func sampleOKX() core.Key {
	u := core.RandomHex(32)
	return core.Key{
		Key:        u[:8] + "-" + u[8:12] + "-" + u[12:16] + "-" + u[16:20] + "-" + u[20:],
		Secret:     strings.ToUpper(core.RandomHex(32)),
		Passphrase: "Kw-" + core.RandomAlnum(13),
	}
}

type okxErr struct {
	status int
	code   string
	msg    string
}

var (
	okxNoKey        = okxErr{http.StatusUnauthorized, "50103", `Request header "OK-ACCESS-KEY" cannot be empty.`}
	okxNoPassphrase = okxErr{http.StatusUnauthorized, "50104", `Request header "OK-ACCESS-PASSPHRASE" cannot be empty.`}
	okxNoSign       = okxErr{http.StatusUnauthorized, "50106", `Request header "OK-ACCESS-SIGN" cannot be empty.`}
	okxNoTimestamp  = okxErr{http.StatusUnauthorized, "50107", `Request header "OK-ACCESS-TIMESTAMP" cannot be empty.`}
	okxBadTimestamp = okxErr{http.StatusUnauthorized, "50112", "Invalid OK-ACCESS-TIMESTAMP."}
	okxExpired      = okxErr{http.StatusUnauthorized, "50102", "Timestamp request expired."}
	okxBadKey       = okxErr{http.StatusUnauthorized, "50111", "Invalid OK-ACCESS-KEY."}
	okxWrongEnv     = okxErr{http.StatusUnauthorized, "50101", "APIKey does not match current environment."}
	okxPassphrase   = okxErr{http.StatusUnauthorized, "50105", `Request header "OK-ACCESS-PASSPHRASE" incorrect.`}
	okxSignature    = okxErr{http.StatusUnauthorized, "50113", "Invalid signature."}
	okxPermission   = okxErr{http.StatusOK, "50120", "This API key doesn't have permission to use this function"}
	okxUnavailable  = okxErr{http.StatusServiceUnavailable, "50001", "Service temporarily unavailable. Please try again later."}
	okxNotFound     = okxErr{http.StatusNotFound, "50005", "API endpoint is inactive or unavailable."}
)

func okxIPErr(ip string) okxErr {
	return okxErr{http.StatusUnauthorized, "50110", "Your IP " + ip + " is not included in your API key's IP whitelist."}
}

func (o *okx) fail(w http.ResponseWriter, e okxErr) {
	core.Refuse(w, e.code)
	core.WriteJSON(w, e.status, map[string]any{"code": e.code, "msg": e.msg, "data": []any{}})
}

func (o *okx) ok(w http.ResponseWriter, data any) {
	core.WriteJSON(w, http.StatusOK, map[string]any{"code": "0", "msg": "", "data": data})
}

func (o *okx) RateLimited(w http.ResponseWriter, retryAfter time.Duration) {
	// OKX documents no wait header; the simulator sends the standard one.
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(retryAfter.Seconds()))))
	o.fail(w, okxErr{http.StatusTooManyRequests, "50011", "Too Many Requests"})
}

func (o *okx) ServerError(w http.ResponseWriter) {
	o.fail(w, okxErr{http.StatusInternalServerError, "50026", "System error. Try again later"})
}

// env is the environment a request addresses.
func (o *okx) env(r *http.Request) exchanges.Environment {
	if r.Header.Get("x-simulated-trading") == "1" {
		return exchanges.Demo
	}
	return exchanges.Live
}

func (o *okx) status(w http.ResponseWriter, r *http.Request, sc *core.Scenario) {
	env := "1"
	if o.env(r) == exchanges.Demo {
		env = "2"
	}
	now := sc.Now()
	ms := func(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }
	event := func(state string, begin, end time.Time) map[string]string {
		return map[string]string{
			"title": "Trading account system upgrade", "state": state, "begin": ms(begin), "end": ms(end),
			"preOpenBegin": "", "href": "", "serviceType": "5", "system": "unified", "scheDesc": "",
			"maintType": "1", "env": env,
		}
	}
	events := []map[string]string{}
	switch sc.Maintenance {
	case "ongoing":
		events = append(events, event("ongoing", now.Add(-10*time.Minute), now.Add(50*time.Minute)))
	case "announced":
		events = append(events, event("scheduled", now.Add(24*time.Hour), now.Add(25*time.Hour)))
	}
	o.ok(w, events)
}

// verifyOKX checks a base64 HMAC-SHA256 of prehash, independently of the
// adapter's signer. The text is compared, not the decoded bytes: lenient
// base64 decoding would accept variants of the last character.
func verifyOKX(secret, prehash, sig string) bool {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(prehash))
	want := base64.StdEncoding.EncodeToString(m.Sum(nil))
	return hmac.Equal([]byte(want), []byte(sig))
}
