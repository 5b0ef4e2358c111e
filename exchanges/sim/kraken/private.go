package kraken

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// A private request is checked in this order: maintenance
// (EService:Unavailable), POST (EGeneral:Invalid arguments), known method
// (EGeneral:Unknown method), API-Key known in this environment
// (EAPI:Invalid key), key not past its expiration date (EAPI:Invalid key,
// UNCONFIRMED), API-Sign = base64(HMAC-SHA512(base64decode(secret), path +
// SHA256(nonce + body))) over the exact body (EAPI:Invalid signature), nonce
// an unsigned integer higher than the key's last accepted nonce
// (EAPI:Invalid nonce; the simulated keys have no nonce window), IP
// allowlist (EGeneral:Permission denied, UNCONFIRMED: Kraken's string for
// an IP refusal is not documented), permission (EGeneral:Permission
// denied). A request refused for IP or permission still uses up its nonce.

// krakenPerms translates keywarden's permissions into Kraken's.
var krakenPerms = map[string][]string{
	core.PermRead:     {"query-funds", "query-open-trades", "query-closed-trades", "query-ledger"},
	core.PermSpot:     {"modify-trades", "close-trades"},
	core.PermMargin:   {"modify-trades", "close-trades"},
	core.PermWithdraw: {"withdraw-funds"},
	// Kraken spot keys have no futures or internal-transfer permission.
}

// privateCall is one authenticated private request.
type privateCall struct {
	w        http.ResponseWriter
	k        *core.Key
	form     url.Values
	nonce    uint64
	prevUse  time.Time
	usedOnce bool
}

// method is a private method: the Kraken permissions it needs and its
// handler. Withdrawal and transfer methods are deliberately absent
// (EGeneral:Unknown method).
type method struct {
	perms []string
	serve func(h *kraken, c privateCall)
}

func privateMethods() map[string]method {
	return map[string]method{
		"GetApiKeyInfo":     {nil, (*kraken).apiKeyInfo},
		"Balance":           {[]string{"query-funds"}, (*kraken).balance},
		"BalanceEx":         {[]string{"query-funds"}, (*kraken).balanceEx},
		"OpenOrders":        {[]string{"query-open-trades"}, (*kraken).openOrders},
		"ClosedOrders":      {[]string{"query-closed-trades"}, (*kraken).closedOrders},
		"QueryOrders":       {[]string{"query-open-trades", "query-closed-trades"}, (*kraken).queryOrders},
		"AddOrder":          {[]string{"modify-trades"}, (*kraken).addOrder},
		"CancelOrder":       {[]string{"close-trades"}, (*kraken).cancelOrder},
		"QueryLedgers":      {[]string{"query-ledger"}, func(h *kraken, c privateCall) { h.ok(c.w, map[string]any{}) }},
		"Ledgers":           {[]string{"query-ledger"}, func(h *kraken, c privateCall) { h.ok(c.w, map[string]any{"ledger": map[string]any{}, "count": 0}) }},
		"WithdrawAddresses": {[]string{"query-funds", "withdraw-funds"}, func(h *kraken, c privateCall) { h.ok(c.w, []any{}) }},
	}
}

func krakenPermissions(k *core.Key) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range k.Permissions {
		for _, kp := range krakenPerms[p] {
			if !seen[kp] {
				seen[kp] = true
				out = append(out, kp)
			}
		}
	}
	return out
}

func krakenHas(k *core.Key, perm string) bool {
	for _, p := range krakenPermissions(k) {
		if p == perm {
			return true
		}
	}
	return false
}

func (h *kraken) servePrivate(w http.ResponseWriter, r *http.Request, name string) {
	if r.Method != http.MethodPost {
		h.fail(w, http.StatusOK, "EGeneral:Invalid arguments")
		return
	}
	m, known := h.private[name]
	if !known {
		h.fail(w, http.StatusOK, "EGeneral:Unknown method")
		return
	}
	sc := h.st.Scenario()
	key := sc.Key(r.Header.Get("API-Key"))
	if key == nil || (!key.Expires.IsZero() && !sc.Now().Before(key.Expires)) {
		h.fail(w, http.StatusOK, "EAPI:Invalid key")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		h.fail(w, http.StatusOK, "EGeneral:Invalid arguments")
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		h.fail(w, http.StatusOK, "EGeneral:Invalid arguments")
		return
	}
	nonceStr := form.Get("nonce")
	if !verifyKraken(key.Secret, r.URL.Path, nonceStr, string(body), r.Header.Get("API-Sign")) {
		h.fail(w, http.StatusOK, "EAPI:Invalid signature")
		return
	}
	nonce, err := strconv.ParseUint(nonceStr, 10, 64)
	h.mu.Lock()
	if err != nil || nonce <= h.nonce[key.Key] {
		h.mu.Unlock()
		h.fail(w, http.StatusOK, "EAPI:Invalid nonce")
		return
	}
	h.nonce[key.Key] = nonce
	prevUse, used := h.lastUsed[key.Key]
	h.lastUsed[key.Key] = sc.Now()
	h.mu.Unlock()

	if !key.IPAllowed(sc.ClientIP) {
		h.fail(w, http.StatusOK, "EGeneral:Permission denied")
		return
	}
	for _, p := range m.perms {
		if !krakenHas(key, p) {
			h.fail(w, http.StatusOK, "EGeneral:Permission denied")
			return
		}
	}
	m.serve(h, privateCall{w: w, k: key, form: form, nonce: nonce, prevUse: prevUse, usedOnce: used})
}

// apiKeyInfo answers GetApiKeyInfo: times are unix seconds as strings,
// "0" when unset; an empty ipAllowlist means unrestricted.
func (h *kraken) apiKeyInfo(c privateCall) {
	k := c.k
	unix := func(t time.Time) string {
		if t.IsZero() {
			return "0"
		}
		return strconv.FormatInt(t.Unix(), 10)
	}
	ips := k.IPs
	if ips == nil {
		ips = []string{}
	}
	var lastUsed any
	if c.usedOnce {
		lastUsed = c.prevUse.Unix()
	}
	h.ok(c.w, map[string]any{
		"apiKeyName":   k.Label,
		"apiKey":       k.Key,
		"nonce":        strconv.FormatUint(c.nonce, 10),
		"nonceWindow":  0,
		"permissions":  krakenPermissions(k),
		"iban":         "AA12 N84G WBIK HYIO",
		"validUntil":   unix(k.Expires),
		"queryFrom":    "0",
		"queryTo":      "0",
		"createdTime":  unix(k.Created),
		"modifiedTime": unix(k.Created),
		"ipAllowlist":  ips,
		"lastUsed":     lastUsed,
	})
}

// verifyKraken checks API-Sign the way Kraken computes it; an
// implementation independent of the adapter's.
func verifyKraken(secret, path, nonce, body, sig string) bool {
	key, err := base64.StdEncoding.DecodeString(secret)
	if err != nil || sig == "" {
		return false
	}
	got, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		return false
	}
	digest := sha256.Sum256([]byte(nonce + body))
	mac := hmac.New(sha512.New, key)
	mac.Write(append([]byte(path), digest[:]...))
	return hmac.Equal(mac.Sum(nil), got)
}
