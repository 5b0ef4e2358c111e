package deribit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// The simulator's verifier against the reference's derived vector A.2
// (deri-hmac-sha256) and the client_signature value computed with openssl.
func TestVerifyDeribitVectors(t *testing.T) {
	payload := "1700000000000\n1700000000000\nGET\n/api/v2/private/get_account_summary?currency=BTC\n\n"
	if !verifyDeribit("secret", payload, "c97b3a772570281096733a842cf3a44cc5ae13607dc4461e7cdfeb0de4708347") {
		t.Error("A.2 vector not accepted")
	}
	if !verifyDeribit("secret", payload, "C97B3A772570281096733A842CF3A44CC5AE13607DC4461E7CDFEB0DE4708347") {
		t.Error("upper-case hex not accepted")
	}
	if verifyDeribit("secret2", payload, "c97b3a772570281096733a842cf3a44cc5ae13607dc4461e7cdfeb0de4708347") {
		t.Error("a wrong secret accepted")
	}
	if !verifyDeribit("secret", "1700000000000\nabcd1234\n", "4cfb37f87a5d474ee43f8c93c248dbb3492c2efdf312760732a1ad9a6818f558") {
		t.Error("client_signature vector not accepted")
	}
	h := parseDeribitHeader("id=TiA4AyLPq3, ts=1700000000000,sig=abc,nonce=n1")
	if h["id"] != "TiA4AyLPq3" || h["ts"] != "1700000000000" || h["sig"] != "abc" || h["nonce"] != "n1" {
		t.Errorf("header fields: %v", h)
	}
}

func TestSampleDeribit(t *testing.T) {
	k := sampleDeribit()
	if len(k.Key) != 8 || len(k.Secret) != 43 {
		t.Errorf("sample key %d/%d characters", len(k.Key), len(k.Secret))
	}
}

// deribitCall sends one GET to the simulator and decodes the answer.
func deribitCall(t *testing.T, h http.Handler, path string, q url.Values, hdr http.Header) (int, map[string]any) {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, path+"?"+q.Encode(), nil)
	for k, v := range hdr {
		r.Header[k] = v
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	var v map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("%s: not JSON: %s", path, w.Body)
	}
	return w.Code, v
}

func deribitErrCode(v map[string]any) int {
	e, _ := v["error"].(map[string]any)
	n, _ := e["code"].(float64)
	return int(n)
}

func TestDeribitAuthOrder(t *testing.T) {
	k := core.Key{Key: "TiA4AyLPq3", Secret: "secret-secret-secret-secret-secret-secret-1", Permissions: []string{core.PermRead, core.PermFutures}}
	sc := core.Scenario{Exchange: "deribit", Keys: []core.Key{k}}
	s, err := newSim(sc)
	if err != nil {
		t.Fatal(err)
	}
	sign := func(ts int64, secret string) url.Values {
		p := strconv.FormatInt(ts, 10) + "\nn1\n"
		return url.Values{"grant_type": {"client_signature"}, "client_id": {k.Key}, "timestamp": {strconv.FormatInt(ts, 10)},
			"nonce": {"n1"}, "signature": {deribitHMACHex(secret, p)}, "scope": {"session:test"}}
	}
	now := time.Now().UnixMilli()
	if code, v := deribitCall(t, s, "/api/v2/public/auth", sign(now, k.Secret), nil); code != 200 || v["result"] == nil {
		t.Fatalf("good login: %d %v", code, v)
	}
	if _, v := deribitCall(t, s, "/api/v2/public/auth", sign(now, "wrong"), nil); deribitErrCode(v) != 13004 {
		t.Errorf("wrong secret: %v", v)
	}
	if _, v := deribitCall(t, s, "/api/v2/public/auth", sign(now-61_000, k.Secret), nil); deribitErrCode(v) != 13004 {
		t.Errorf("stale timestamp: %v", v)
	}
	if _, v := deribitCall(t, s, "/api/v2/public/auth", sign(now+61_000, k.Secret), nil); deribitErrCode(v) != 13004 {
		t.Errorf("future timestamp: %v", v)
	}
	// The per-request header scheme works on private methods.
	ts := strconv.FormatInt(now, 10)
	uri := "/api/v2/private/get_account_summaries?"
	hdr := http.Header{"Authorization": {"deri-hmac-sha256 id=" + k.Key + ",ts=" + ts + ",sig=" +
		deribitHMACHex(k.Secret, ts+"\nn2\nGET\n"+uri+"\n\n") + ",nonce=n2"}}
	if code, v := deribitCall(t, s, "/api/v2/private/get_account_summaries", url.Values{}, hdr); code != 200 {
		t.Errorf("deri-hmac-sha256: %d %v", code, v)
	}
	if code, v := deribitCall(t, s, "/api/v2/private/get_account_summaries", url.Values{}, http.Header{"Authorization": {"Bearer nope"}}); code != 401 || deribitErrCode(v) != 13009 {
		t.Errorf("unknown token: %d %v", code, v)
	}
	// A key of another environment is unknown here.
	k2 := k
	k2.Environment = exchanges.Testnet
	s2, _ := newSim(core.Scenario{Exchange: "deribit", Keys: []core.Key{k2}})
	if _, v := deribitCall(t, s2, "/api/v2/public/auth", sign(now, k.Secret), nil); deribitErrCode(v) != 13004 {
		t.Errorf("testnet key on live: %v", v)
	}
}

func deribitHMACHex(secret, payload string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(payload))
	return hex.EncodeToString(m.Sum(nil))
}
