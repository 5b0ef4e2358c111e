package bingx

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// The verifier against BingX's recomputed example (reference A.4) and the
// derived vector (A.2); the published value, which does not reproduce, is
// refused.
func TestVerifyBingXVectors(t *testing.T) {
	const secret = "mheO6dR8ovSsxZQCOYEFCtelpuxcWGTfHw7te326y6jOwq5WpvFQ9JNljoTwBXZGv5It07m9RXSPpDQEK2w"
	if !verifyBingX(secret, "recvWindow=0&symbol=BTC-USDT&timestamp=1696751141337", "f8d883609dfd31c824feb4de865b071008dedb1d461451fa70847875c8e7a7a2") {
		t.Error("recomputed A.4 vector refused")
	}
	if !verifyBingX(secret, "timestamp=1696751141337", "B1206765E9BD1CC8EF850965FC5C1EDCE909192AC61A811E6616A9930B8BF64C") {
		t.Error("derived vector (uppercase hex) refused")
	}
	if verifyBingX(secret, "recvWindow=0&symbol=BTC-USDT&timestamp=1696751141337", "1e63e8cfd1c04919881e60cf369e404b9b7c87d3a09bc300f1abfdcce7da57e8") {
		t.Error("the published, non-reproducing value was accepted")
	}
}

func bingxDo(t *testing.T, h http.Handler, key, secret, path string, ts int64, badSig bool) (int, int, map[string]any) {
	t.Helper()
	q := "recvWindow=5000&timestamp=" + strconv.FormatInt(ts, 10)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(q))
	sig := hex.EncodeToString(m.Sum(nil))
	if badSig { // another first digit: "00"+sig[2:] was the real signature once in 256 runs
		first := "0"
		if sig[0] == '0' {
			first = "1"
		}
		sig = first + sig[1:]
	}
	r := httptest.NewRequest(http.MethodGet, path+"?"+q+"&signature="+sig, nil)
	if key != "" {
		r.Header.Set("X-BX-APIKEY", key)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	var body map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &body)
	code, _ := body["code"].(float64)
	return w.Code, int(code), body
}

func TestBingXChecks(t *testing.T) {
	good := core.Key{Key: core.RandomAlnum(83), Secret: core.RandomAlnum(83), Permissions: []string{core.PermRead, core.PermSpot}, IPs: []string{core.DefaultClientIP}}
	walled := core.Key{Key: core.RandomAlnum(83), Secret: core.RandomAlnum(83), Permissions: []string{core.PermRead}, IPs: []string{"198.51.100.7"}}
	noRead := core.Key{Key: core.RandomAlnum(83), Secret: core.RandomAlnum(83), Permissions: []string{core.PermSpot}}
	demoKey := core.Key{Key: core.RandomAlnum(83), Secret: core.RandomAlnum(83), Permissions: []string{core.PermRead}, Environment: exchanges.Demo}
	s, err := newSim(core.Scenario{Exchange: "bingx", Keys: []core.Key{good, walled, noRead, demoKey}})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UnixMilli()
	const path = "/openApi/v1/account/apiPermissions"
	for _, tc := range []struct {
		name   string
		key    core.Key
		ts     int64
		badSig bool
		want   int
	}{
		{"good", good, now, false, 0},
		{"no key", core.Key{Secret: good.Secret}, now, false, 100413},
		{"stale", good, now - 6000, false, 100421},
		{"ahead", good, now + 6000, false, 100421},
		{"unknown key", core.Key{Key: core.RandomAlnum(83), Secret: "x"}, now, false, 100413},
		{"other environment", demoKey, now, false, 100413},
		{"wrong signature", good, now, true, 100001},
		{"signature before IP", walled, now, true, 100001},
		{"IP", walled, now, false, 100419},
		{"permission", noRead, now, false, 100004},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, code, body := bingxDo(t, s, tc.key.Key, tc.key.Secret, path, tc.ts, tc.badSig)
			if status != 200 || code != tc.want {
				t.Errorf("HTTP %d code %d (%v), want 200 %d", status, code, body["msg"], tc.want)
			}
		})
	}
	_, _, body := bingxDo(t, s, good.Key, good.Secret, path, now, false)
	data := body["data"].(map[string]any)
	if got := data["permissions"].([]any); len(got) != 2 || got[0].(float64) != 1 || got[1].(float64) != 2 {
		t.Errorf("permissions %v", got)
	}
	if ips := data["ipAddresses"].([]any); len(ips) != 1 || ips[0] != core.DefaultClientIP {
		t.Errorf("ipAddresses %v", ips)
	}
}

func TestBingXMaintenanceAndRateLimit(t *testing.T) {
	m, _ := newSim(core.Scenario{Exchange: "bingx", Maintenance: "ongoing"})
	w := httptest.NewRecorder()
	m.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/openApi/swap/v2/server/time", nil))
	if w.Code != http.StatusServiceUnavailable {
		t.Errorf("maintenance: HTTP %d", w.Code)
	}
	rl, _ := newSim(core.Scenario{Exchange: "bingx", RateLimitFirst: 1, RetryAfter: core.Duration(2 * time.Second)})
	w = httptest.NewRecorder()
	rl.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/openApi/swap/v2/server/time", nil))
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "2" || w.Header().Get("X-RateLimit-Requests-Expire") == "" {
		t.Errorf("rate limit: HTTP %d headers %v", w.Code, w.Header())
	}
}

func TestSampleBingX(t *testing.T) {
	if k := sampleBingX(); len(k.Key) != 83 || len(k.Secret) != 83 {
		t.Errorf("sample %d/%d", len(k.Key), len(k.Secret))
	}
}
