package deribit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

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
// documented (13021 here).

// auth is public/auth.
func (d *deribit) auth(c call) {
	w, r := c.w, c.r
	q := r.URL.Query()
	grant := q.Get("grant_type")
	id := q.Get("client_id")
	if grant == "" || id == "" {
		d.fail(w, dbInvalidParams("grant_type", "grant_type and client_id are required"))
		return
	}
	sc := d.st.Scenario()
	k := sc.Key(id)
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
	if !k.IPAllowed(sc.ClientIP) {
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
	d.tokens[token] = deribitToken{key: k.Key, scope: granted, session: session, conn: r.RemoteAddr, expires: sc.Now().Add(15 * time.Minute)}
	d.mu.Unlock()
	d.result(w, map[string]any{
		"access_token": token, "expires_in": 900, "refresh_token": core.RandomFrom(deribitAlphabet, 40),
		"scope": deribitScopeString(granted) + " " + strings.Join(names, " ") + " mainaccount", "token_type": "bearer",
		"enabled_features": []string{},
	})
}

// private authenticates a private method and checks that the granted
// scope reaches level in area.
func (d *deribit) private(w http.ResponseWriter, r *http.Request, area, level string) (*core.Key, bool) {
	h := r.Header.Get("Authorization")
	sc := d.st.Scenario()
	var k *core.Key
	var scope map[string]string
	switch {
	case strings.HasPrefix(strings.ToLower(h), "bearer "):
		d.mu.Lock()
		t, ok := d.tokens[strings.TrimSpace(h[len("bearer "):])]
		d.mu.Unlock()
		if !ok || sc.Now().After(t.expires) || (!t.session && t.conn != r.RemoteAddr) {
			d.fail(w, dbUnauthorized)
			return nil, false
		}
		k, scope = sc.Key(t.key), t.scope
	case strings.HasPrefix(h, "deri-hmac-sha256 "):
		f := parseDeribitHeader(strings.TrimPrefix(h, "deri-hmac-sha256 "))
		ts, err := strconv.ParseInt(f["ts"], 10, 64)
		k = sc.Key(f["id"])
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
	if !k.IPAllowed(sc.ClientIP) {
		d.fail(w, dbForbidden)
		return nil, false
	}
	if deribitRank(scope[area]) < deribitRank(level) {
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
func (d *deribit) listKeys(c call) {
	sc := d.st.Scenario()
	var out []map[string]any
	for i := range sc.Keys {
		k := &sc.Keys[i]
		if k.Environment != sc.Environment {
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
	d.result(c.w, out)
}
