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

// okx simulates OKX API v5. Live and Demo Trading share the host; a
// request belongs to Demo Trading when it carries x-simulated-trading: 1,
// and a key of the other environment is answered 50101.
//
// A private request is checked in this order, each failure answered with
// OKX's code, message and HTTP status: headers present (50103 key, 50104
// passphrase, 50106 sign, 50107 timestamp; 401), timestamp format (50112,
// 401), timestamp more than 30 s from the server clock either way (50102,
// 401), unknown key (50111, 401), key of the other environment (50101,
// 401), passphrase (50105, 401), signature (50113, 401), IP whitelist
// (50110, 401), permission (50120, 200). The signed string is timestamp +
// METHOD + path with its raw query + body. In maintenance every endpoint
// but the status answers 50001 (503).
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

func (o *okx) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		o.fail(w, okxErr{http.StatusMethodNotAllowed, "50115", "Invalid request method."})
		return
	}
	if r.URL.Path == "/api/v5/system/status" {
		o.status(w, r)
		return
	}
	if o.st.Maintenance() {
		o.fail(w, okxUnavailable)
		return
	}
	switch r.URL.Path {
	case "/api/v5/public/time":
		o.ok(w, []map[string]string{{"ts": strconv.FormatInt(o.st.Now().UnixMilli(), 10)}})
	case "/api/v5/account/config":
		if k, ok := o.auth(w, r, core.PermRead); ok {
			o.config(w, k)
		}
	case "/api/v5/account/balance":
		if k, ok := o.auth(w, r, core.PermRead); ok {
			o.balance(w, k)
		}
	case "/api/v5/asset/balances":
		if k, ok := o.auth(w, r, core.PermRead); ok {
			o.funding(w, k)
		}
	default:
		o.fail(w, okxNotFound)
	}
}

// env is the environment a request addresses.
func (o *okx) env(r *http.Request) exchanges.Environment {
	if r.Header.Get("x-simulated-trading") == "1" {
		return exchanges.Demo
	}
	return exchanges.Live
}

func (o *okx) status(w http.ResponseWriter, r *http.Request) {
	env := "1"
	if o.env(r) == exchanges.Demo {
		env = "2"
	}
	now := o.st.Now()
	ms := func(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }
	event := func(state string, begin, end time.Time) map[string]string {
		return map[string]string{
			"title": "Trading account system upgrade", "state": state, "begin": ms(begin), "end": ms(end),
			"preOpenBegin": "", "href": "", "serviceType": "5", "system": "unified", "scheDesc": "",
			"maintType": "1", "env": env,
		}
	}
	events := []map[string]string{}
	switch o.st.Scenario().Maintenance {
	case "ongoing":
		events = append(events, event("ongoing", now.Add(-10*time.Minute), now.Add(50*time.Minute)))
	case "announced":
		events = append(events, event("scheduled", now.Add(24*time.Hour), now.Add(25*time.Hour)))
	}
	o.ok(w, events)
}

// auth checks a private request as OKX does.
func (o *okx) auth(w http.ResponseWriter, r *http.Request, perm string) (*core.Key, bool) {
	apiKey := r.Header.Get("OK-ACCESS-KEY")
	sign := r.Header.Get("OK-ACCESS-SIGN")
	ts := r.Header.Get("OK-ACCESS-TIMESTAMP")
	pass := r.Header.Get("OK-ACCESS-PASSPHRASE")
	for _, c := range []struct {
		v string
		e okxErr
	}{{apiKey, okxNoKey}, {pass, okxNoPassphrase}, {sign, okxNoSign}, {ts, okxNoTimestamp}} {
		if c.v == "" {
			o.fail(w, c.e)
			return nil, false
		}
	}
	t, err := time.Parse("2006-01-02T15:04:05.000Z", ts)
	if err != nil {
		o.fail(w, okxBadTimestamp)
		return nil, false
	}
	if d := o.st.Now().Sub(t); d > okxWindow || d < -okxWindow {
		o.fail(w, okxExpired)
		return nil, false
	}
	k := o.key(apiKey)
	if k == nil {
		o.fail(w, okxBadKey)
		return nil, false
	}
	if k.Environment != o.env(r) {
		o.fail(w, okxWrongEnv)
		return nil, false
	}
	if !hmac.Equal([]byte(pass), []byte(k.Passphrase)) {
		o.fail(w, okxPassphrase)
		return nil, false
	}
	requestPath := r.URL.Path
	if r.URL.RawQuery != "" {
		requestPath += "?" + r.URL.RawQuery
	}
	if !verifyOKX(k.Secret, ts+r.Method+requestPath, sign) {
		o.fail(w, okxSignature)
		return nil, false
	}
	if ip := o.st.Scenario().ClientIP; !k.IPAllowed(ip) {
		o.fail(w, okxIPErr(ip))
		return nil, false
	}
	if !k.Has(perm) {
		o.fail(w, okxPermission)
		return nil, false
	}
	return k, true
}

// key finds a key in any environment: OKX knows them all on one host and
// tells a key of the other environment apart (50101).
func (o *okx) key(id string) *core.Key {
	for i := range o.st.Scenario().Keys {
		if k := &o.st.Scenario().Keys[i]; k.Key == id {
			return k
		}
	}
	return nil
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

func okxPerm(k *core.Key) string {
	var p []string
	if k.Has(core.PermRead) {
		p = append(p, "read_only")
	}
	if k.Has(core.PermWithdraw) {
		p = append(p, "withdraw")
	}
	if k.Has(core.PermSpot) || k.Has(core.PermFutures) || k.Has(core.PermMargin) || k.Has(core.PermTransfer) {
		p = append(p, "trade")
	}
	return strings.Join(p, ",")
}

func (o *okx) config(w http.ResponseWriter, k *core.Key) {
	o.ok(w, []map[string]any{{
		"acctLv": "2", "acctStpMode": "cancel_maker", "autoLoan": false, "ctIsoMode": "automatic",
		"enableSpotBorrow": false, "greeksType": "PA", "feeType": "0", "ip": strings.Join(k.IPs, ","),
		"type": "0", "kycLv": "2", "label": k.Label, "level": "Lv1", "levelTmp": "", "liquidationGear": "-1",
		"mainUid": "44705892343619584", "mgnIsoMode": "automatic", "opAuth": "0", "perm": okxPerm(k),
		"posMode": "net_mode", "roleType": "0", "spotBorrowAutoRepay": false, "spotOffsetType": "",
		"spotRoleType": "0", "spotTraderInsts": []string{}, "stgyType": "0", "traderInsts": []string{},
		"uid": "44705892343619584", "settleCcy": "USDT", "settleCcyList": []string{"USD", "USDC", "USDG"},
	}})
}

// balance answers the Trading account: OKX's unified account holds the
// scenario's spot and futures balances alike.
func (o *okx) balance(w http.ResponseWriter, k *core.Key) {
	sum := map[string]string{}
	for _, m := range []map[string]string{k.Balances, k.FuturesBalances} {
		for ccy, amt := range m {
			sum[ccy] = exchanges.AddDecimals(sum[ccy], amt)
		}
	}
	details := []map[string]string{}
	total := "0"
	now := strconv.FormatInt(o.st.Now().UnixMilli(), 10)
	for _, ccy := range core.SortedKeys(sum) {
		amt := sum[ccy]
		if exchanges.IsZeroDecimal(amt) {
			continue
		}
		details = append(details, map[string]string{
			"ccy": ccy, "eq": amt, "cashBal": amt, "availBal": amt, "availEq": amt, "frozenBal": "0",
			"disEq": amt, "upl": "0", "eqUsd": amt, "uTime": now,
		})
		if ccy == "USDT" || ccy == "USDC" {
			total = exchanges.AddDecimals(total, amt)
		}
	}
	o.ok(w, []map[string]any{{
		"uTime": now, "totalEq": total, "isoEq": "0", "adjEq": "", "imr": "", "mmr": "", "mgnRatio": "",
		"notionalUsd": "", "ordFroz": "", "upl": "0", "details": details,
	}})
}

// funding answers the Funding account, empty: the scenario's balances all
// sit in the Trading account.
func (o *okx) funding(w http.ResponseWriter, _ *core.Key) {
	o.ok(w, []map[string]string{})
}
