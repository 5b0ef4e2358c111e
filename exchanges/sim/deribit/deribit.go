package deribit

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// deribit simulates Deribit's JSON-RPC over HTTP (/api/v2/<method>,
// parameters in the query), public/auth and the private methods the
// health check reads.
//
// public/auth with grant_type client_signature is checked in this order:
// parameters (-32602), client id known in this environment (13004
// invalid_credentials), timestamp within 60 s of the exchange's clock
// either way (13004), signature hex(HMAC-SHA256(secret,
// timestamp\nnonce\ndata)) (13004), IP whitelist (13021 forbidden).
// client_credentials compares the secret instead of a signature. The
// token carries the key's scope; without a "session:<name>" scope it is
// bound to the connection that asked for it, as on Deribit, and refused
// (13009 unauthorized) on any other.
//
// A private method accepts "Authorization: Bearer <token>" or the
// deri-hmac-sha256 header (same checks as client_signature, over
// timestamp\nnonce\nMETHOD\nURI\nbody\n); then the IP whitelist (13021),
// then the scope the method needs (13021). Deribit answers all of these
// with one code for an unknown client id, a wrong secret and a stale
// timestamp; which code it uses for an IP outside the whitelist is not
// documented (13021 here). HTTP statuses: 400, except 401 for 13009, 429
// for 10028, 500 for 11094 and 503 for 11051.
type deribit struct {
	st *core.State

	mu     sync.Mutex
	tokens map[string]deribitToken
}

type deribitToken struct {
	key     string
	scope   map[string]string
	session bool
	conn    string // the connection a connection-scoped token is bound to
	expires time.Time
}

func newDeribit(st *core.State) core.Handler {
	return &deribit{st: st, tokens: map[string]deribitToken{}}
}

const deribitAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

func sampleDeribit() core.Key {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return core.Key{Key: core.RandomFrom(deribitAlphabet, 8), Secret: base64.RawURLEncoding.EncodeToString(b)}
}

type deribitErr struct {
	code int
	msg  string
	data map[string]any
}

var (
	dbInvalidCredentials = deribitErr{code: 13004, msg: "invalid_credentials"}
	dbUnauthorized       = deribitErr{code: 13009, msg: "unauthorized"}
	dbForbidden          = deribitErr{code: 13021, msg: "forbidden"}
	dbAuthRequired       = deribitErr{code: 10000, msg: "authorization_required"}
	dbMaintenance        = deribitErr{code: 11051, msg: "system_maintenance"}
	dbMethodNotFound     = deribitErr{code: -32601, msg: "Method not found"}
)

func dbInvalidParams(param, reason string) deribitErr {
	return deribitErr{code: -32602, msg: "Invalid params", data: map[string]any{"param": param, "reason": reason}}
}

func (d *deribit) envelope(extra map[string]any) map[string]any {
	now := d.st.Now().UnixMicro()
	v := map[string]any{"jsonrpc": "2.0", "usIn": now, "usOut": now + 150, "usDiff": 150,
		"testnet": d.st.Scenario().Environment != exchanges.Live}
	for k, x := range extra {
		v[k] = x
	}
	return v
}

func (d *deribit) result(w http.ResponseWriter, v any) {
	core.WriteJSON(w, http.StatusOK, d.envelope(map[string]any{"result": v}))
}

func (d *deribit) fail(w http.ResponseWriter, e deribitErr) {
	core.Refuse(w, strconv.Itoa(e.code))
	status := http.StatusBadRequest
	switch e.code {
	case 13009:
		status = http.StatusUnauthorized
	case 10028:
		status = http.StatusTooManyRequests
	case 11094:
		status = http.StatusInternalServerError
	case 11051:
		status = http.StatusServiceUnavailable
	}
	body := map[string]any{"code": e.code, "message": e.msg}
	if e.data != nil {
		body["data"] = e.data
	}
	core.WriteJSON(w, status, d.envelope(map[string]any{"error": body}))
}

func (d *deribit) RateLimited(w http.ResponseWriter, retryAfter time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(retryAfter.Seconds()))))
	d.fail(w, deribitErr{code: 10028, msg: "too_many_requests"})
}

func (d *deribit) ServerError(w http.ResponseWriter) {
	d.fail(w, deribitErr{code: 11094, msg: "internal_server_error"})
}

func (d *deribit) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	method, ok := strings.CutPrefix(r.URL.Path, "/api/v2/")
	if !ok {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	switch method {
	case "public/get_time":
		d.result(w, d.st.Now().UnixMilli())
		return
	case "public/status":
		if d.st.Maintenance() {
			d.result(w, map[string]any{"locked": "true", "locked_indices": []string{"btc_usd", "eth_usd"}})
		} else {
			d.result(w, map[string]any{"locked": "false", "locked_indices": []string{}})
		}
		return
	}
	if d.st.Maintenance() {
		d.fail(w, dbMaintenance)
		return
	}
	switch method {
	case "public/auth":
		d.auth(w, r, q)
	case "private/list_api_keys":
		if k, ok := d.private(w, r, "account"); ok {
			d.listKeys(w, k)
		}
	case "private/get_account_summaries":
		if k, ok := d.private(w, r, "account"); ok {
			sums := []map[string]any{}
			for _, cur := range deribitCurrencies(k) {
				sums = append(sums, deribitSummary(k, cur))
			}
			d.result(w, map[string]any{"id": 1, "summaries": sums})
		}
	case "private/get_account_summary":
		if k, ok := d.private(w, r, "account"); ok {
			cur := q.Get("currency")
			if cur == "" {
				d.fail(w, dbInvalidParams("currency", "must be present"))
				return
			}
			d.result(w, deribitSummary(k, strings.ToUpper(cur)))
		}
	default:
		d.fail(w, dbMethodNotFound)
	}
}

// auth is public/auth.
func (d *deribit) auth(w http.ResponseWriter, r *http.Request, q url.Values) {
	grant := q.Get("grant_type")
	id := q.Get("client_id")
	if grant == "" || id == "" {
		d.fail(w, dbInvalidParams("grant_type", "grant_type and client_id are required"))
		return
	}
	k := d.st.Key(id)
	switch grant {
	case "client_signature":
		ts, err := strconv.ParseInt(q.Get("timestamp"), 10, 64)
		if err != nil || q.Get("signature") == "" {
			d.fail(w, dbInvalidParams("timestamp", "timestamp and signature are required"))
			return
		}
		if k == nil || !d.fresh(ts) || !verifyDeribit(k.Secret, strconv.FormatInt(ts, 10)+"\n"+q.Get("nonce")+"\n"+q.Get("data"), q.Get("signature")) {
			d.fail(w, dbInvalidCredentials)
			return
		}
	case "client_credentials":
		if k == nil || !hmac.Equal([]byte(k.Secret), []byte(q.Get("client_secret"))) {
			d.fail(w, dbInvalidCredentials)
			return
		}
	default:
		d.fail(w, dbInvalidParams("grant_type", "unsupported grant_type"))
		return
	}
	if !k.IPAllowed(d.st.Scenario().ClientIP) {
		d.fail(w, dbForbidden)
		return
	}
	granted, session := deribitScope(k), false
	var names []string
	for _, tok := range strings.Fields(q.Get("scope")) {
		name, level, _ := strings.Cut(tok, ":")
		if name == "session" && level != "" {
			session = true
			names = append(names, tok)
		}
		if max, ok := granted[name]; ok && deribitRank(level) < deribitRank(max) {
			granted[name] = level // a requested scope may only narrow
		}
	}
	if !session {
		names = append(names, "connection")
	}
	token := core.RandomFrom(deribitAlphabet, 40)
	d.mu.Lock()
	d.tokens[token] = deribitToken{key: k.Key, scope: granted, session: session, conn: r.RemoteAddr, expires: d.st.Now().Add(15 * time.Minute)}
	d.mu.Unlock()
	d.result(w, map[string]any{
		"access_token": token, "expires_in": 900, "refresh_token": core.RandomFrom(deribitAlphabet, 40),
		"scope": deribitScopeString(granted) + " " + strings.Join(names, " ") + " mainaccount", "token_type": "bearer",
		"enabled_features": []string{},
	})
}

// private authenticates a private method and checks that the granted
// scope reads area.
func (d *deribit) private(w http.ResponseWriter, r *http.Request, area string) (*core.Key, bool) {
	h := r.Header.Get("Authorization")
	var k *core.Key
	var scope map[string]string
	switch {
	case strings.HasPrefix(strings.ToLower(h), "bearer "):
		d.mu.Lock()
		t, ok := d.tokens[strings.TrimSpace(h[len("bearer "):])]
		d.mu.Unlock()
		if !ok || d.st.Now().After(t.expires) || (!t.session && t.conn != r.RemoteAddr) {
			d.fail(w, dbUnauthorized)
			return nil, false
		}
		k, scope = d.st.Key(t.key), t.scope
	case strings.HasPrefix(h, "deri-hmac-sha256 "):
		f := parseDeribitHeader(strings.TrimPrefix(h, "deri-hmac-sha256 "))
		ts, err := strconv.ParseInt(f["ts"], 10, 64)
		k = d.st.Key(f["id"])
		if err != nil || k == nil || !d.fresh(ts) ||
			!verifyDeribit(k.Secret, f["ts"]+"\n"+f["nonce"]+"\n"+r.Method+"\n"+r.URL.RequestURI()+"\n\n", f["sig"]) {
			d.fail(w, dbInvalidCredentials)
			return nil, false
		}
		scope = deribitScope(k)
	default:
		d.fail(w, dbAuthRequired)
		return nil, false
	}
	if k == nil {
		d.fail(w, dbUnauthorized)
		return nil, false
	}
	if !k.IPAllowed(d.st.Scenario().ClientIP) {
		d.fail(w, dbForbidden)
		return nil, false
	}
	if deribitRank(scope[area]) < deribitRank("read") {
		d.fail(w, dbForbidden)
		return nil, false
	}
	return k, true
}

// fresh reports whether a signed timestamp (ms) is within Deribit's 60 s.
func (d *deribit) fresh(ts int64) bool {
	diff := d.st.Now().UnixMilli() - ts
	return diff <= 60_000 && diff >= -60_000
}

// verifyDeribit checks a hex HMAC-SHA256 signature of payload.
func verifyDeribit(secret, payload, sig string) bool {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(payload))
	want := hex.EncodeToString(m.Sum(nil))
	return hmac.Equal([]byte(want), []byte(strings.ToLower(sig)))
}

// parseDeribitHeader splits "id=..,ts=..,sig=..,nonce=.." (spaces allowed).
func parseDeribitHeader(s string) map[string]string {
	out := map[string]string{}
	for _, part := range strings.Split(s, ",") {
		if k, v, ok := strings.Cut(strings.TrimSpace(part), "="); ok {
			out[k] = v
		}
	}
	return out
}

// deribitScope is the key's max_scope in Deribit's terms.
func deribitScope(k *core.Key) map[string]string {
	level := func(write bool) string {
		switch {
		case write:
			return "read_write"
		case k.Has(core.PermRead):
			return "read"
		}
		return "none"
	}
	account := "none"
	if k.Has(core.PermRead) {
		account = "read"
	}
	return map[string]string{
		"account":     account,
		"trade":       level(k.Has(core.PermFutures) || k.Has(core.PermSpot) || k.Has(core.PermMargin)),
		"wallet":      level(k.Has(core.PermWithdraw) || k.Has(core.PermTransfer)),
		"block_trade": level(false),
	}
}

func deribitScopeString(sc map[string]string) string {
	var parts []string
	for n, l := range sc {
		parts = append(parts, n+":"+l)
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

func deribitRank(level string) int {
	switch level {
	case "read":
		return 1
	case "read_write":
		return 2
	}
	return 0
}

// listKeys answers private/list_api_keys like Deribit: every key of the
// account, each with its client_secret.
func (d *deribit) listKeys(w http.ResponseWriter, _ *core.Key) {
	var out []map[string]any
	for i := range d.st.Scenario().Keys {
		k := &d.st.Scenario().Keys[i]
		if k.Environment != d.st.Scenario().Environment {
			continue
		}
		ips := k.IPs
		if ips == nil {
			ips = []string{}
		}
		out = append(out, map[string]any{
			"timestamp": k.Created.UnixMilli(), "max_scope": deribitScopeString(deribitScope(k)), "id": i + 1,
			"enabled": true, "default": false, "client_secret": k.Secret, "client_id": k.Key,
			"name": k.Label, "enabled_features": []string{}, "ip_whitelist": ips,
		})
	}
	d.result(w, out)
}

// deribitCurrencies are the currencies of the key's account summaries:
// Deribit's collateral currencies, held or not, and whatever else it holds.
func deribitCurrencies(k *core.Key) []string {
	set := map[string]bool{"BTC": true, "ETH": true, "USDC": true, "USDT": true}
	for _, m := range []map[string]string{k.Balances, k.FuturesBalances} {
		for a := range m {
			set[strings.ToUpper(a)] = true
		}
	}
	out := make([]string, 0, len(set))
	for a := range set {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// deribitSummary is one currency's account summary; amounts are JSON
// numbers, as Deribit sends them.
func deribitSummary(k *core.Key, cur string) map[string]any {
	var amounts []string
	for _, m := range []map[string]string{k.Balances, k.FuturesBalances} {
		for a, v := range m {
			if strings.EqualFold(a, cur) {
				amounts = append(amounts, v)
			}
		}
	}
	bal, zero := json.Number(exchanges.AddDecimals(amounts...)), json.Number("0")
	return map[string]any{
		"currency": cur, "balance": bal, "equity": bal, "available_funds": bal, "available_withdrawal_funds": bal,
		"margin_balance": bal, "initial_margin": zero, "maintenance_margin": zero, "total_pl": zero,
		"session_rpl": zero, "session_upl": zero, "delta_total": zero, "margin_model": "segregated_sm",
		"portfolio_margining_enabled": false, "cross_collateral_enabled": false,
	}
}
