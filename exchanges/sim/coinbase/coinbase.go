package coinbase

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math"
	"math/big"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// coinbase simulates Coinbase Advanced Trade with CDP API keys.
//
// Every answer first passes maintenance (503 UNAVAILABLE for every path)
// and routing (404 NOT_FOUND). GET /api/v3/brokerage/time is public. A
// signed request is checked in this order, each failure answered as
// Coinbase does, with HTTP 401 and the bare text "Unauthorized" unless
// noted:
//
//  1. an "Authorization: Bearer <JWT>" header;
//  2. the JWT's shape: three base64url parts, a JSON header whose alg is
//     ES256 or EdDSA and whose kid is set, JSON claims;
//  3. kid names a key of this environment (keys of other environments are
//     unknown);
//  4. alg fits the key (ES256 for an EC P-256 key, EdDSA for Ed25519);
//  5. the signature, verified with the key's public key (ES256 as raw
//     r‖s, RFC 7518 §3.4);
//  6. the claims: sub equals kid, iss is "cdp", nbf is at most 5 s in the
//     future and exp is still ahead on the simulated clock;
//  7. uri is exactly "<METHOD> <Host><path>" of this request, the Host as
//     the client addressed it (query excluded);
//  8. the key's IP allowlist: 401 {"errors":[{"id":"authentication_error",
//     "message":"IP blocked"}]} (Coinbase's answer here is UNCONFIRMED; this
//     is the shape its older API on the same host used);
//  9. the permission: 403 {"error":"PERMISSION_DENIED","error_details":
//     "Missing required scopes",…}.
type coinbase struct{ st *core.State }

func newCoinbase(st *core.State) core.Handler { return &coinbase{st: st} }

// cbNBFLeeway is how far in the future a JWT's nbf may be.
const cbNBFLeeway = 5 * time.Second

func randomUUID() string {
	h := core.RandomHex(32)
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:]
}

// sampleCoinbase is an ECDSA CDP key: the key name and a SEC1 PEM private
// key, as the portal's JSON download holds them.
func sampleCoinbase() core.Key {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic("sim: no randomness: " + err.Error())
	}
	der, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		panic("sim: " + err.Error())
	}
	return core.Key{
		Key:    "organizations/" + randomUUID() + "/apiKeys/" + randomUUID(),
		Secret: string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der})),
	}
}

func (c *coinbase) text(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(msg + "\n"))
}

func (c *coinbase) unauthorized(w http.ResponseWriter) {
	c.text(w, http.StatusUnauthorized, "Unauthorized")
}

func (c *coinbase) brokerageErr(w http.ResponseWriter, status int, code, msg string) {
	core.Refuse(w, code)
	core.WriteJSON(w, status, map[string]string{"error": code, "error_details": msg, "message": msg})
}

func (c *coinbase) RateLimited(w http.ResponseWriter, retryAfter time.Duration) {
	secs := int(math.Ceil(retryAfter.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	w.Header().Set("X-Ratelimit-Limit", "30")
	w.Header().Set("X-Ratelimit-Remaining", "0")
	w.Header().Set("X-Ratelimit-Reset", strconv.FormatInt(c.st.Now().Add(retryAfter).Unix(), 10))
	core.WriteJSON(w, http.StatusTooManyRequests, map[string]any{
		"errors": []map[string]string{{"id": "rate_limit_exceeded", "message": "Too many requests"}},
	})
}

func (c *coinbase) ServerError(w http.ResponseWriter) {
	c.brokerageErr(w, http.StatusInternalServerError, "INTERNAL", "internal error")
}

func (c *coinbase) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if c.st.Maintenance() {
		c.brokerageErr(w, http.StatusServiceUnavailable, "UNAVAILABLE", "Coinbase is down for scheduled maintenance")
		return
	}
	if r.Method != http.MethodGet {
		c.brokerageErr(w, http.StatusNotFound, "NOT_FOUND", "Not Found")
		return
	}
	switch r.URL.Path {
	case "/api/v3/brokerage/time":
		now := c.st.Now()
		core.WriteJSON(w, 200, map[string]string{
			"iso":          now.UTC().Format("2006-01-02T15:04:05.000Z"),
			"epochSeconds": strconv.FormatInt(now.Unix(), 10),
			"epochMillis":  strconv.FormatInt(now.UnixMilli(), 10),
		})
	case "/api/v3/brokerage/key_permissions":
		if k, ok := c.auth(w, r, ""); ok {
			c.permissions(w, k)
		}
	case "/api/v3/brokerage/accounts":
		if k, ok := c.auth(w, r, core.PermRead); ok {
			c.accounts(w, r, k)
		}
	case "/api/v3/brokerage/cfm/balance_summary":
		if k, ok := c.auth(w, r, core.PermRead); ok {
			c.futuresSummary(w, k)
		}
	default:
		c.brokerageErr(w, http.StatusNotFound, "NOT_FOUND", "Not Found")
	}
}

// auth checks a signed request as Coinbase does (see the type's comment).
func (c *coinbase) auth(w http.ResponseWriter, r *http.Request, perm string) (*core.Key, bool) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		c.unauthorized(w)
		return nil, false
	}
	jwt, err := parseCBJWT(tok)
	if err != nil {
		c.unauthorized(w)
		return nil, false
	}
	k := c.st.Key(jwt.header.Kid)
	if k == nil {
		c.unauthorized(w)
		return nil, false
	}
	pub, alg, err := cbPublicKey(k.Secret)
	if err != nil || alg != jwt.header.Alg || !verifyJWS(alg, pub, jwt.signingInput, jwt.sig) {
		c.unauthorized(w)
		return nil, false
	}
	now := c.st.Now()
	cl := jwt.claims
	if cl.Sub != jwt.header.Kid || cl.Iss != "cdp" || cl.NBF == nil || cl.Exp == nil ||
		time.Unix(*cl.NBF, 0).After(now.Add(cbNBFLeeway)) || !time.Unix(*cl.Exp, 0).After(now) ||
		cl.URI != r.Method+" "+r.Host+r.URL.Path {
		c.unauthorized(w)
		return nil, false
	}
	if !k.IPAllowed(c.st.Scenario().ClientIP) {
		core.WriteJSON(w, http.StatusUnauthorized, map[string]any{
			"errors": []map[string]string{{"id": "authentication_error", "message": "IP blocked"}},
		})
		return nil, false
	}
	if perm != "" && !k.Has(perm) {
		c.brokerageErr(w, http.StatusForbidden, "PERMISSION_DENIED", "Missing required scopes")
		return nil, false
	}
	return k, true
}

type cbJWT struct {
	header struct {
		Alg string `json:"alg"`
		Kid string `json:"kid"`
	}
	claims struct {
		Sub string `json:"sub"`
		Iss string `json:"iss"`
		NBF *int64 `json:"nbf"`
		Exp *int64 `json:"exp"`
		URI string `json:"uri"`
	}
	signingInput []byte
	sig          []byte
}

func parseCBJWT(tok string) (*cbJWT, error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return nil, errors.New("not three parts")
	}
	var j cbJWT
	dec := base64.RawURLEncoding
	h, err1 := dec.DecodeString(parts[0])
	cl, err2 := dec.DecodeString(parts[1])
	sig, err3 := dec.DecodeString(parts[2])
	if err := errors.Join(err1, err2, err3); err != nil {
		return nil, err
	}
	if json.Unmarshal(h, &j.header) != nil || json.Unmarshal(cl, &j.claims) != nil {
		return nil, errors.New("not JSON")
	}
	if (j.header.Alg != "ES256" && j.header.Alg != "EdDSA") || j.header.Kid == "" {
		return nil, errors.New("bad header")
	}
	j.signingInput = []byte(parts[0] + "." + parts[1])
	j.sig = sig
	return &j, nil
}

// cbPublicKey derives the public key from a stored CDP private key: a PEM
// EC P-256 (or Ed25519) key, or base64 of an Ed25519 seed (32 bytes) or
// seed‖public key (64 bytes), whose public half is the key Coinbase holds.
func cbPublicKey(secret string) (any, string, error) {
	if exchanges.LooksLikePEM(secret) {
		k, _, err := exchanges.ParsePrivateKey(secret)
		if err != nil {
			return nil, "", err
		}
		switch k := k.(type) {
		case *ecdsa.PrivateKey:
			return &k.PublicKey, "ES256", nil
		case ed25519.PrivateKey:
			return k.Public(), "EdDSA", nil
		}
		return nil, "", errors.New("not a CDP key type")
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(secret))
	if err != nil {
		return nil, "", err
	}
	switch len(raw) {
	case 32:
		return ed25519.NewKeyFromSeed(raw).Public(), "EdDSA", nil
	case 64:
		return ed25519.PublicKey(raw[32:]), "EdDSA", nil
	}
	return nil, "", errors.New("not an Ed25519 key")
}

// verifyJWS checks a JWS signature: ES256 as raw r‖s over SHA-256, or
// EdDSA (Ed25519) over the signing input itself.
func verifyJWS(alg string, pub any, signingInput, sig []byte) bool {
	switch alg {
	case "ES256":
		k, ok := pub.(*ecdsa.PublicKey)
		if !ok || len(sig) != 64 {
			return false
		}
		h := sha256.Sum256(signingInput)
		return ecdsa.Verify(k, h[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:]))
	case "EdDSA":
		k, ok := pub.(ed25519.PublicKey)
		return ok && len(k) == ed25519.PublicKeySize && ed25519.Verify(k, signingInput, sig)
	}
	return false
}

// cbPortfolio is the key's portfolio id, stable for a key.
func cbPortfolio(k *core.Key) string {
	h := sha256.Sum256([]byte("portfolio:" + k.Key))
	x := fmt.Sprintf("%x", h[:16])
	return x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

func (c *coinbase) permissions(w http.ResponseWriter, k *core.Key) {
	core.WriteJSON(w, 200, map[string]any{
		"can_view":       k.Has(core.PermRead),
		"can_trade":      k.Has(core.PermSpot) || k.Has(core.PermFutures) || k.Has(core.PermMargin),
		"can_transfer":   k.Has(core.PermWithdraw) || k.Has(core.PermTransfer),
		"can_receive":    false,
		"portfolio_uuid": cbPortfolio(k),
		"portfolio_type": "DEFAULT",
	})
}

// accounts pages through the key's balances as Coinbase does: limit
// (default 49, at most 250) and an opaque cursor.
func (c *coinbase) accounts(w http.ResponseWriter, r *http.Request, k *core.Key) {
	limit := 49
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			c.brokerageErr(w, http.StatusBadRequest, "INVALID_ARGUMENT", "invalid limit")
			return
		}
		limit = min(n, 250)
	}
	start := 0
	if v := r.URL.Query().Get("cursor"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			c.brokerageErr(w, http.StatusBadRequest, "INVALID_ARGUMENT", "invalid cursor")
			return
		}
		start = n
	}
	assets := core.SortedKeys(k.Balances)
	sort.Strings(assets)
	end := min(start+limit, len(assets))
	start = min(start, end)
	list := []map[string]any{}
	created := k.Created.UTC().Format(time.RFC3339)
	for _, a := range assets[start:end] {
		h := sha256.Sum256([]byte("account:" + k.Key + a))
		id := fmt.Sprintf("%x", h[:16])
		list = append(list, map[string]any{
			"uuid":              id[:8] + "-" + id[8:12] + "-" + id[12:16] + "-" + id[16:20] + "-" + id[20:32],
			"name":              a + " Wallet",
			"currency":          a,
			"available_balance": map[string]string{"value": k.Balances[a], "currency": a},
			"default":           true, "active": true, "created_at": created, "updated_at": created, "deleted_at": nil,
			"type":                "ACCOUNT_TYPE_CRYPTO",
			"ready":               true,
			"hold":                map[string]string{"value": "0", "currency": a},
			"retail_portfolio_id": cbPortfolio(k),
			"platform":            "ACCOUNT_PLATFORM_CONSUMER",
		})
	}
	next := ""
	if end < len(assets) {
		next = strconv.Itoa(end)
	}
	core.WriteJSON(w, 200, map[string]any{"accounts": list, "has_next": next != "", "cursor": next, "size": len(list)})
}

// futuresSummary answers the US futures balance from the key's USD futures
// balance (zero when it has none).
func (c *coinbase) futuresSummary(w http.ResponseWriter, k *core.Key) {
	usd := k.FuturesBalances["USD"]
	if usd == "" {
		usd = "0"
	}
	m := func(v string) map[string]string { return map[string]string{"value": v, "currency": "USD"} }
	spot := exchanges.AddDecimals(k.Balances["USD"], "0")
	core.WriteJSON(w, 200, map[string]any{"balance_summary": map[string]any{
		"futures_buying_power": m(usd), "total_usd_balance": m(exchanges.AddDecimals(spot, usd)),
		"cbi_usd_balance": m(spot), "cfm_usd_balance": m(usd),
		"total_open_orders_hold_amount": m("0"), "unrealized_pnl": m("0"), "daily_realized_pnl": m("0"),
		"initial_margin": m("0"), "available_margin": m(usd), "liquidation_threshold": m("0"),
		"liquidation_buffer_amount": m(usd), "liquidation_buffer_percentage": "1000",
	}})
}
