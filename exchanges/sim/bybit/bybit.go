// Package bybit simulates Bybit v5 (a unified trading account): time and
// system status, coins, instruments, tickers, order books, the signed
// query-api, account/info and wallet-balance endpoints, and spot and
// linear orders, in Bybit's shapes.
//
// A signed request is checked in the order of Bybit's gateway, each
// failure answered with HTTP 200 and Bybit's retCode and retMsg: the
// X-BAPI-API-KEY, X-BAPI-TIMESTAMP and X-BAPI-SIGN headers (10001); the
// timestamp, refused when ts ≥ server+1000 or ts < server−recv_window
// (10002, quoting both timestamps); the API key, unknown here or of
// another environment (10003); its expiry (33004); the IP whitelist
// (10010); the permission (10005: an order needs the trade permission of
// its category, spot or linear); and last the signature over
// timestamp+apiKey+recvWindow+queryString (GET) or +body (POST),
// HMAC-SHA256 hex or RSA-SHA256 base64 (10004). Every Bybit key can read, so the read permission of the
// scenario is not checked. Demo Trading has no query-api (route not
// found). Maintenance answers HTTP 503 with retCode 10016 everywhere but
// the status endpoint, which lists the maintenance as ongoing. Unknown
// paths answer HTTP 404 with retCode 10017 "Route not found.".
package bybit

import (
	"crypto"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/sim/core"
)

type bybit struct{ st *core.State }

func newBybit(st *core.State) core.Handler { return &bybit{st: st} }

func sampleBybit() core.Key {
	return core.Key{Key: core.RandomAlnum(18), Secret: core.RandomAlnum(36)}
}

const (
	bybitMsgKey     = "API key is invalid."
	bybitMsgExpired = "Your api key has expired."
	bybitMsgIP      = "Unmatched IP, please check your API key's bound IP addresses."
	bybitMsgPerm    = "Permission denied, please check your API key permissions."
	bybitMsgTime    = "invalid request, please check your server timestamp or recv_window param. "
)

func (b *bybit) answer(w http.ResponseWriter, status, code int, msg string, result any) {
	if code != 0 {
		core.Refuse(w, strconv.Itoa(code))
	}
	if result == nil {
		result = map[string]any{}
	}
	core.WriteJSON(w, status, map[string]any{"retCode": code, "retMsg": msg, "result": result,
		"retExtInfo": map[string]any{}, "time": b.st.Now().UnixMilli()})
}

func (b *bybit) fail(w http.ResponseWriter, code int, msg string) { b.answer(w, 200, code, msg, nil) }

func (b *bybit) RateLimited(w http.ResponseWriter, retryAfter time.Duration) {
	reset := b.st.Now().Add(retryAfter).UnixMilli()
	w.Header().Set("X-Bapi-Limit", "10")
	w.Header().Set("X-Bapi-Limit-Status", "0")
	w.Header().Set("X-Bapi-Limit-Reset-Timestamp", strconv.FormatInt(reset, 10))
	b.fail(w, 10006, "Too many visits. Exceeded the API Rate Limit.")
}

func (b *bybit) ServerError(w http.ResponseWriter) {
	b.answer(w, http.StatusInternalServerError, 10016, "Internal System Error.", nil)
}

// verifyBybit checks an HMAC-SHA256 (hex) or RSA-SHA256 (base64)
// signature of payload.
func verifyBybit(secret, payload, sig string) bool {
	if !exchanges.LooksLikePEM(secret) {
		m := hmac.New(sha256.New, []byte(secret))
		m.Write([]byte(payload))
		return hmac.Equal([]byte(hex.EncodeToString(m.Sum(nil))), []byte(strings.ToLower(sig)))
	}
	raw, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		return false
	}
	key, _, err := exchanges.ParsePrivateKey(secret)
	if err != nil {
		return false
	}
	rk, ok := key.(*rsa.PrivateKey)
	if !ok {
		return false
	}
	h := sha256.Sum256([]byte(payload))
	return rsa.VerifyPKCS1v15(&rk.PublicKey, crypto.SHA256, h[:], raw) == nil
}

// expiry is Bybit's rule: a key with no IP bound expires 90 days after
// creation; the scenario's Expires overrides it.
func (b *bybit) expiry(k *core.Key) time.Time {
	if !k.Expires.IsZero() {
		return k.Expires
	}
	if len(k.IPs) == 0 {
		return k.Created.Add(90 * 24 * time.Hour)
	}
	return time.Time{}
}

func queryAPI(b *bybit, w http.ResponseWriter, q *req) {
	k := q.key
	list := func(ok bool, v ...string) []string {
		if !ok {
			return []string{}
		}
		return v
	}
	wallet := []string{}
	if k.Has(core.PermTransfer) {
		wallet = append(wallet, "AccountTransfer", "SubMemberTransfer")
	}
	if k.Has(core.PermWithdraw) {
		wallet = append(wallet, "Withdraw")
	}
	readOnly := 1
	for _, p := range []string{core.PermSpot, core.PermMargin, core.PermFutures, core.PermTransfer, core.PermWithdraw} {
		if k.Has(p) {
			readOnly = 0
		}
	}
	ips := k.IPs
	if len(ips) == 0 {
		ips = []string{"*"}
	}
	expiredAt, deadline := "1970-01-01T00:00:00Z", -2
	if exp := b.expiry(k); !exp.IsZero() {
		expiredAt = exp.UTC().Format(time.RFC3339)
		deadline = int(time.Until(exp).Hours() / 24)
	}
	b.answer(w, 200, 0, "", map[string]any{
		"id": "13770661", "note": k.Label, "apiKey": k.Key, "readOnly": readOnly, "secret": "",
		"permissions": map[string]any{
			"ContractTrade": list(k.Has(core.PermFutures), "Order", "Position"),
			"Spot":          list(k.Has(core.PermSpot) || k.Has(core.PermMargin), "SpotTrade"),
			"Wallet":        wallet,
			"Options":       []string{},
			"Derivatives":   []string{"DerivativesTrade"},
			"CopyTrading":   []string{}, "BlockTrade": []string{}, "Exchange": []string{},
			"NFT": []string{}, "Affiliate": []string{}, "Earn": []string{},
		},
		"ips": ips, "type": 1, "deadlineDay": deadline, "expiredAt": expiredAt,
		"createdAt": k.Created.UTC().Format(time.RFC3339), "unified": 0, "uta": 1,
		"userID": 24617703, "inviterID": 0, "vipLevel": "No VIP", "mktMakerLevel": "0",
		"affiliateID": 0, "rsaPublicKey": "", "isMaster": true, "parentUid": "0",
		"kycLevel": "LEVEL_DEFAULT", "kycRegion": "",
	})
}

func (b *bybit) status(w http.ResponseWriter, sc *core.Scenario) {
	list := []map[string]any{}
	env := 1
	if sc.Environment == exchanges.Demo {
		env = 2
	}
	now := sc.Now()
	entry := func(state string, begin, end time.Time) map[string]any {
		return map[string]any{"id": "4d95b2a0-587f-11f0-bcc9-56f28c94d6ea", "title": "System maintenance",
			"state": state, "begin": strconv.FormatInt(begin.UnixMilli(), 10), "end": strconv.FormatInt(end.UnixMilli(), 10),
			"href": "", "serviceTypes": []int{1, 2, 3, 4, 5}, "product": []int{1, 2, 3, 4}, "uidSuffix": []int{},
			"maintainType": 1, "env": env}
	}
	switch sc.Maintenance {
	case "ongoing":
		list = append(list, entry("ongoing", now.Add(-10*time.Minute), now.Add(50*time.Minute)))
	case "announced":
		list = append(list, entry("scheduled", now.Add(2*time.Hour), now.Add(3*time.Hour)))
	}
	b.answer(w, 200, 0, "", map[string]any{"list": list})
}
