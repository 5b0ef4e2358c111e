package bitmex

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// bitmex simulates BitMEX's REST API on /api/v1. Every answer carries an
// HTTP Date header from the simulated clock: BitMEX has no time endpoint,
// and clients read its clock there.
//
// A signed request is checked in this order, each failure answered with
// BitMEX's {"error":{"message","name"}} body: api-key header present
// (401 "Invalid API Key."), api-expires a number (400), api-expires not in
// the past on the exchange's clock (400 "This request has expired -
// `expires` is in the past. Current time: N"), api-expires at most a day
// ahead (400; BitMEX documents no upper bound, the day is the simulator's
// stand-in), key known in this environment (401 "Invalid API Key."),
// signature hex(HMAC-SHA256(secret, verb + path?query + expires + body))
// (401 "Signature not valid."), IP within the key's CIDR blocks (403
// "Access Denied": BitMEX does not document its message for this). Every
// key may read /apiKey, /user/margin and /user/wallet: BitMEX keys cannot
// lose the read permission, so core.PermRead is not consulted.
type bitmex struct{ st *core.State }

func newBitmex(st *core.State) core.Handler { return &bitmex{st: st} }

const bitmexSecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

func sampleBitmex() core.Key {
	return core.Key{Key: core.RandomAlnum(24), Secret: core.RandomFrom(bitmexSecretAlphabet, 48)}
}

func (b *bitmex) date(w http.ResponseWriter) {
	w.Header().Set("Date", b.st.Now().UTC().Format(http.TimeFormat))
}

func (b *bitmex) fail(w http.ResponseWriter, status int, msg, name string) {
	core.Refuse(w, name)
	b.date(w)
	core.WriteJSON(w, status, map[string]any{"error": map[string]string{"message": msg, "name": name}})
}

func (b *bitmex) ok(w http.ResponseWriter, v any) {
	b.date(w)
	w.Header().Set("X-Ratelimit-Limit", "120")
	w.Header().Set("X-Ratelimit-Remaining", "119")
	w.Header().Set("X-Ratelimit-Reset", strconv.FormatInt(b.st.Now().Add(time.Second).Unix(), 10))
	core.WriteJSON(w, http.StatusOK, v)
}

func (b *bitmex) RateLimited(w http.ResponseWriter, retryAfter time.Duration) {
	secs := int(math.Ceil(retryAfter.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	w.Header().Set("X-Ratelimit-Limit", "120")
	w.Header().Set("X-Ratelimit-Remaining", "0")
	w.Header().Set("X-Ratelimit-Reset", strconv.FormatInt(b.st.Now().Add(retryAfter).Unix(), 10))
	b.fail(w, http.StatusTooManyRequests, "Rate limit exceeded, retry in "+strconv.Itoa(secs)+" seconds.", "RateLimitError")
}

func (b *bitmex) ServerError(w http.ResponseWriter) {
	b.fail(w, http.StatusInternalServerError, "Server Error", "HTTPError")
}

func (b *bitmex) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/api/v1/announcement/urgent" && b.st.Scenario().Maintenance == "announced" {
		b.ok(w, []map[string]any{{"id": 1, "link": "https://blog.bitmex.com/", "title": "Scheduled Maintenance",
			"content": "<p>BitMEX will be unavailable for scheduled maintenance.</p>", "date": b.st.Now().UTC().Format(time.RFC3339)}})
		return
	}
	if b.st.Maintenance() {
		b.fail(w, http.StatusServiceUnavailable, "Service unavailable", "HTTPError")
		return
	}
	switch r.URL.Path {
	case "/api/v1/announcement/urgent":
		b.ok(w, []any{})
	case "/api/v1/wallet/assets":
		b.ok(w, []map[string]any{
			{"asset": "XBT", "currency": "XBt", "majorCurrency": "XBT", "name": "Bitcoin", "currencyType": "Crypto", "scale": "8", "enabled": true, "isMarginCurrency": true},
			{"asset": "USDT", "currency": "USDt", "majorCurrency": "USDT", "name": "Tether", "currencyType": "Crypto", "scale": "6", "enabled": true, "isMarginCurrency": true},
			{"asset": "ETH", "currency": "Gwei", "majorCurrency": "ETH", "name": "Ether", "currencyType": "Crypto", "scale": "9", "enabled": true, "isMarginCurrency": false},
		})
	case "/api/v1/apiKey":
		if _, ok := b.auth(w, r); ok {
			b.apiKeys(w)
		}
	case "/api/v1/user/margin", "/api/v1/user/wallet":
		if k, ok := b.auth(w, r); ok {
			b.wallet(w, r, k)
		}
	default:
		b.fail(w, http.StatusNotFound, "Not Found", "HTTPError")
	}
}

// auth checks a signed request as BitMEX does.
func (b *bitmex) auth(w http.ResponseWriter, r *http.Request) (*core.Key, bool) {
	id := r.Header.Get("api-key")
	if id == "" {
		b.fail(w, http.StatusUnauthorized, "Invalid API Key.", "HTTPError")
		return nil, false
	}
	expires, err := strconv.ParseInt(r.Header.Get("api-expires"), 10, 64)
	if err != nil {
		b.fail(w, http.StatusBadRequest, "Invalid api-expires: must be a UNIX timestamp in seconds.", "HTTPError")
		return nil, false
	}
	now := b.st.Now().Unix()
	if expires < now {
		b.fail(w, http.StatusBadRequest, "This request has expired - `expires` is in the past. Current time: "+strconv.FormatInt(now, 10), "HTTPError")
		return nil, false
	}
	k := b.st.Key(id)
	if k == nil {
		b.fail(w, http.StatusUnauthorized, "Invalid API Key.", "HTTPError")
		return nil, false
	}
	if !verifyBitmex(k.Secret, r.Method+r.URL.RequestURI()+strconv.FormatInt(expires, 10), r.Header.Get("api-signature")) {
		b.fail(w, http.StatusUnauthorized, "Signature not valid.", "HTTPError")
		return nil, false
	}
	if !k.IPAllowed(b.st.Scenario().ClientIP) {
		b.fail(w, http.StatusForbidden, "Access Denied", "HTTPError")
		return nil, false
	}
	return k, true
}

// verifyBitmex checks a hex HMAC-SHA256 signature of payload.
func verifyBitmex(secret, payload, sig string) bool {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(payload))
	return hmac.Equal([]byte(hex.EncodeToString(m.Sum(nil))), []byte(strings.ToLower(sig)))
}

// apiKeys answers GET /api/v1/apiKey: every key of the user, with its
// secret, as BitMEX's schema has it.
func (b *bitmex) apiKeys(w http.ResponseWriter) {
	out := []map[string]any{}
	for i := range b.st.Scenario().Keys {
		k := &b.st.Scenario().Keys[i]
		if k.Environment != b.st.Scenario().Environment {
			continue
		}
		perms := []string{}
		if k.Has(core.PermFutures) || k.Has(core.PermSpot) || k.Has(core.PermMargin) {
			perms = append(perms, "order")
		}
		if k.Has(core.PermWithdraw) {
			perms = append(perms, "withdraw")
		}
		cidrs := []string{}
		for _, ip := range k.IPs {
			if !strings.Contains(ip, "/") {
				if net.ParseIP(ip).To4() != nil {
					ip += "/32"
				} else {
					ip += "/128"
				}
			}
			cidrs = append(cidrs, ip)
		}
		cidr := ""
		if len(cidrs) > 0 {
			cidr = cidrs[0]
		}
		out = append(out, map[string]any{
			"id": k.Key, "secret": k.Secret, "name": k.Label, "nonce": 0, "cidr": cidr, "cidrs": cidrs,
			"targetAccountId": 0, "permissions": perms, "enabled": true, "userId": 100000 + i,
			"created": k.Created.UTC().Format("2006-01-02T15:04:05.000Z"),
		})
	}
	b.ok(w, out)
}

// bitmexUnits converts the scenario's assets into BitMEX currencies.
var bitmexUnits = map[string]struct {
	currency string
	scale    int
}{"BTC": {"XBt", 8}, "XBT": {"XBt", 8}, "USDT": {"USDt", 6}, "ETH": {"Gwei", 9}}

// wallet answers /user/margin and /user/wallet with currency=all (a list)
// or one currency (an object), amounts as integers in BitMEX's units.
func (b *bitmex) wallet(w http.ResponseWriter, r *http.Request, k *core.Key) {
	totals := map[string]int64{}
	for _, m := range []map[string]string{k.Balances, k.FuturesBalances} {
		for asset, amt := range m {
			u, ok := bitmexUnits[strings.ToUpper(asset)]
			if !ok {
				continue
			}
			totals[u.currency] += bitmexUnitsOf(amt, u.scale)
		}
	}
	row := func(cur string, n int64) map[string]any {
		v := json.Number(strconv.FormatInt(n, 10))
		if r.URL.Path == "/api/v1/user/wallet" {
			return map[string]any{"account": 100000, "currency": cur, "amount": v, "deposited": v, "withdrawn": 0,
				"transferIn": 0, "transferOut": 0, "pendingCredit": 0, "pendingDebit": 0, "confirmedDebit": 0,
				"timestamp": b.st.Now().UTC().Format(time.RFC3339)}
		}
		return map[string]any{"account": 100000, "currency": cur, "walletBalance": v, "marginBalance": v, "availableMargin": v,
			"withdrawableMargin": v, "unrealisedPnl": 0, "realisedPnl": 0, "initMargin": 0, "maintMargin": 0,
			"timestamp": b.st.Now().UTC().Format(time.RFC3339)}
	}
	cur := r.URL.Query().Get("currency")
	if cur == "" || cur == "all" {
		out := []map[string]any{}
		for _, c := range []string{"XBt", "USDt", "Gwei"} {
			out = append(out, row(c, totals[c]))
		}
		b.ok(w, out)
		return
	}
	b.ok(w, row(cur, totals[cur]))
}

// toUnits converts a decimal string into integer units of 10^-scale,
// truncating extra digits.
func bitmexUnitsOf(amt string, scale int) int64 {
	neg := strings.HasPrefix(amt, "-")
	intPart, frac, _ := strings.Cut(strings.TrimPrefix(amt, "-"), ".")
	if len(frac) > scale {
		frac = frac[:scale]
	}
	frac += strings.Repeat("0", scale-len(frac))
	n, err := strconv.ParseInt(intPart+frac, 10, 64)
	if err != nil {
		return 0
	}
	if neg {
		return -n
	}
	return n
}
