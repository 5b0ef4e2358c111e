package bybit

import (
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// The verifier against the reference's derived Bybit vector (A.2).
func TestVerifyBybitVector(t *testing.T) {
	payload := "1658384314791XXXXXXXXXX5000accountType=UNIFIED"
	const sig = "5b3d9ccb7153b38ece8c418861d91c92a7d92b850dc4317aaaf7aecf43bc91ab"
	if !verifyBybit("secret", payload, sig) {
		t.Error("derived vector refused")
	}
	if verifyBybit("secret", payload+"&coin=BTC", sig) || verifyBybit("secreT", payload, sig) {
		t.Error("a wrong payload or secret was accepted")
	}
}

func TestVerifyBybitRSA(t *testing.T) {
	k, _ := rsa.GenerateKey(rand.Reader, 2048)
	der, _ := x509.MarshalPKCS8PrivateKey(k)
	pemKey := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	h := sha256.Sum256([]byte("payload"))
	sig, _ := rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, h[:])
	if !verifyBybit(pemKey, "payload", base64.StdEncoding.EncodeToString(sig)) {
		t.Error("RSA signature refused")
	}
	if verifyBybit(pemKey, "other", base64.StdEncoding.EncodeToString(sig)) {
		t.Error("RSA signature of another payload accepted")
	}
}

type bybitReq struct {
	key, secret, query string
	ts                 int64
	sig                string // overrides the computed signature
}

func (q bybitReq) do(t *testing.T, h http.Handler, path string) (int, map[string]any) {
	t.Helper()
	ts := strconv.FormatInt(q.ts, 10)
	sig := q.sig
	if sig == "" {
		m := hmac.New(sha256.New, []byte(q.secret))
		m.Write([]byte(ts + q.key + "5000" + q.query))
		sig = hex.EncodeToString(m.Sum(nil))
	}
	r := httptest.NewRequest(http.MethodGet, path+"?"+q.query, nil)
	r.Header.Set("X-BAPI-API-KEY", q.key)
	r.Header.Set("X-BAPI-TIMESTAMP", ts)
	r.Header.Set("X-BAPI-RECV-WINDOW", "5000")
	r.Header.Set("X-BAPI-SIGN", sig)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	var body map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &body)
	return w.Code, body
}

func retCode(body map[string]any) int {
	f, _ := body["retCode"].(float64)
	return int(f)
}

// The gateway's order: timestamp before key, key before IP, IP and
// permission before the signature.
func TestBybitCheckOrder(t *testing.T) {
	good := core.Key{Key: "AbCdEfGhIjKlMnOpQr", Secret: "s3cretS3cretS3cretS3cretS3cretS3cret", Permissions: []string{core.PermRead, core.PermSpot}}
	walled := core.Key{Key: "WalledWalledWalled", Secret: "w4lledW4lledW4lledW4lledW4lledW4lled", Permissions: []string{core.PermRead}, IPs: []string{"198.51.100.7"}}
	testnetKey := core.Key{Key: "TestnetTestnetTest", Secret: "t3stnetT3stnetT3stnetT3stnetT3stnet", Environment: exchanges.Testnet}
	s, err := newSim(core.Scenario{Exchange: "bybit", Keys: []core.Key{good, walled, testnetKey}})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UnixMilli()
	const q = "accountType=UNIFIED"
	for _, tc := range []struct {
		name string
		req  bybitReq
		want int
	}{
		{"good", bybitReq{key: good.Key, secret: good.Secret, query: q, ts: now}, 0},
		{"ahead 1s", bybitReq{key: good.Key, secret: good.Secret, query: q, ts: now + 1500}, 10002},
		{"stale", bybitReq{key: good.Key, secret: good.Secret, query: q, ts: now - 6000}, 10002},
		{"unknown key, stale", bybitReq{key: "UnknownUnknownUnkn", secret: "x", query: q, ts: now - 6000}, 10002},
		{"unknown key", bybitReq{key: "UnknownUnknownUnkn", secret: "x", query: q, ts: now}, 10003},
		{"other environment", bybitReq{key: testnetKey.Key, secret: testnetKey.Secret, query: q, ts: now}, 10003},
		{"wrong secret", bybitReq{key: good.Key, secret: "wrong", query: q, ts: now}, 10004},
		{"IP before signature", bybitReq{key: walled.Key, secret: "wrong", query: q, ts: now}, 10010},
		{"signature over the query as sent", bybitReq{key: good.Key, secret: good.Secret, query: q, ts: now, sig: "00"}, 10004},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := tc.req.do(t, s, "/v5/account/wallet-balance")
			if status != 200 || retCode(body) != tc.want {
				t.Errorf("HTTP %d retCode %d (%v), want 200 %d", status, retCode(body), body["retMsg"], tc.want)
			}
		})
	}
	status, body := bybitReq{key: good.Key, secret: good.Secret, ts: now}.do(t, s, "/v5/user/query-api")
	if status != 200 || retCode(body) != 0 {
		t.Fatalf("query-api: %d %v", status, body)
	}
	res := body["result"].(map[string]any)
	if res["readOnly"].(float64) != 0 || res["ips"].([]any)[0] != "*" {
		t.Errorf("query-api result %v", res)
	}
}

func TestBybitDemoAndMaintenance(t *testing.T) {
	k := core.Key{Key: "AbCdEfGhIjKlMnOpQr", Secret: "s3cretS3cretS3cretS3cretS3cretS3cret", Permissions: []string{core.PermRead}}
	demo, _ := newSim(core.Scenario{Exchange: "bybit", Environment: exchanges.Demo, Keys: []core.Key{k}})
	if status, body := (bybitReq{key: k.Key, secret: k.Secret, ts: time.Now().UnixMilli()}).do(t, demo, "/v5/user/query-api"); status != 404 || retCode(body) != 10017 {
		t.Errorf("demo query-api: %d %v", status, body)
	}
	if _, body := (bybitReq{key: k.Key, secret: k.Secret, ts: time.Now().UnixMilli()}).do(t, demo, "/v5/account/info"); retCode(body) != 0 {
		t.Errorf("demo account/info: %v", body)
	}
	m, _ := newSim(core.Scenario{Exchange: "bybit", Maintenance: "ongoing", Keys: []core.Key{k}})
	w := httptest.NewRecorder()
	m.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/v5/market/time", nil))
	if w.Code != http.StatusServiceUnavailable {
		t.Errorf("maintenance: HTTP %d", w.Code)
	}
	w = httptest.NewRecorder()
	m.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/v5/system/status", nil))
	var st struct {
		Result struct {
			List []struct{ State string } `json:"list"`
		} `json:"result"`
	}
	if json.Unmarshal(w.Body.Bytes(), &st) != nil || len(st.Result.List) != 1 || st.Result.List[0].State != "ongoing" {
		t.Errorf("status during maintenance: %s", w.Body.String())
	}
}

func TestSampleBybitPassesInfoShape(t *testing.T) {
	k := sampleBybit()
	if len(k.Key) != 18 || len(k.Secret) != 36 {
		t.Errorf("sample key %d/%d characters", len(k.Key), len(k.Secret))
	}
}
