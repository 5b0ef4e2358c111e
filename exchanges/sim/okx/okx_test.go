package okx

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// The simulator's verifier accepts the reference's derived OKX vector (the
// docs' sample secret and pre-hash) and nothing else.
func TestVerifyOKXVector(t *testing.T) {
	const secret = "22582BD0CFF14C41EDBF1AB98506286D"
	const prehash = "2020-12-08T09:08:57.715ZGET/api/v5/account/balance?ccy=BTC"
	const sig = "HiZhvSfMtWJA3uUIVXV3a/bSXNPCWvYFXoGCVS8V4zY="
	if !verifyOKX(secret, prehash, sig) {
		t.Fatal("published-shape vector rejected")
	}
	for _, bad := range []string{"", "not base64!", "HiZhvSfMtWJA3uUIVXV3a/bSXNPCWvYFXoGCVS8V4zZ="} {
		if verifyOKX(secret, prehash, bad) {
			t.Errorf("accepted %q", bad)
		}
	}
	if verifyOKX(secret, prehash+"x", sig) {
		t.Error("accepted a signature of another pre-hash")
	}
}

type okxReq struct {
	key, secret, pass, ts, path string
	demo                        bool
	sign                        string
}

func (q okxReq) do(t *testing.T, s *core.Sim) (int, string, string) {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, q.path, nil)
	if q.sign == "" && q.secret != "" {
		m := hmac.New(sha256.New, []byte(q.secret))
		m.Write([]byte(q.ts + "GET" + q.path))
		q.sign = base64.StdEncoding.EncodeToString(m.Sum(nil))
	}
	for h, v := range map[string]string{"OK-ACCESS-KEY": q.key, "OK-ACCESS-SIGN": q.sign, "OK-ACCESS-TIMESTAMP": q.ts, "OK-ACCESS-PASSPHRASE": q.pass} {
		if v != "" {
			r.Header.Set(h, v)
		}
	}
	if q.demo {
		r.Header.Set("x-simulated-trading", "1")
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	var body struct {
		Code string `json:"code"`
		Msg  string `json:"msg"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatalf("answer is not OKX JSON: %s", w.Body.String())
	}
	return w.Code, body.Code, body.Msg
}

// Each mistake gets OKX's code and HTTP status, in the documented order.
func TestOKXAuthOrder(t *testing.T) {
	good := core.Key{Key: "37c541a1-0000-4000-8000-10fe7a038418", Secret: "22582BD0CFF14C41EDBF1AB98506286D", Passphrase: "Pass-1234",
		Permissions: []string{core.PermRead, core.PermSpot}, IPs: []string{core.DefaultClientIP}}
	demoKey := good
	demoKey.Key = "11111111-2222-4333-8444-555555555555"
	demoKey.Environment = exchanges.Demo
	noRead := good
	noRead.Key = "99999999-2222-4333-8444-555555555555"
	noRead.Permissions = []string{core.PermSpot}
	otherIP := good
	otherIP.Key = "88888888-2222-4333-8444-555555555555"
	otherIP.IPs = []string{"198.51.100.7"}
	s, err := newSim(core.Scenario{Exchange: "okx", Keys: []core.Key{good, demoKey, noRead, otherIP}})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	base := okxReq{key: good.Key, secret: good.Secret, pass: good.Passphrase, ts: now, path: "/api/v5/account/config"}
	mod := func(f func(*okxReq)) okxReq { q := base; f(&q); return q }
	for _, tc := range []struct {
		name   string
		q      okxReq
		status int
		code   string
	}{
		{"good", base, 200, "0"},
		{"no key", mod(func(q *okxReq) { q.key = "" }), 401, "50103"},
		{"no passphrase", mod(func(q *okxReq) { q.pass = "" }), 401, "50104"},
		{"no timestamp", mod(func(q *okxReq) { q.ts = "" }), 401, "50107"},
		{"unix timestamp", mod(func(q *okxReq) { q.ts = "1700000000" }), 401, "50112"},
		{"31 s ahead", mod(func(q *okxReq) { q.ts = time.Now().Add(31 * time.Second).UTC().Format("2006-01-02T15:04:05.000Z") }), 401, "50102"},
		{"31 s behind", mod(func(q *okxReq) { q.ts = time.Now().Add(-31 * time.Second).UTC().Format("2006-01-02T15:04:05.000Z") }), 401, "50102"},
		{"unknown key", mod(func(q *okxReq) { q.key = "00000000-0000-4000-8000-000000000000" }), 401, "50111"},
		{"live key in demo", mod(func(q *okxReq) { q.demo = true }), 401, "50101"},
		{"demo key on live", mod(func(q *okxReq) { q.key = demoKey.Key }), 401, "50101"},
		{"demo key in demo", mod(func(q *okxReq) { q.key = demoKey.Key; q.demo = true }), 200, "0"},
		{"wrong passphrase", mod(func(q *okxReq) { q.pass = "Pass-12345" }), 401, "50105"},
		{"wrong secret", mod(func(q *okxReq) { q.secret = "22582BD0CFF14C41EDBF1AB98506286E" }), 401, "50113"},
		{"query not signed", mod(func(q *okxReq) { q.sign = okxSig(good.Secret, now+"GET/api/v5/account/config"); q.path += "?ccy=BTC" }), 401, "50113"},
		{"ip not whitelisted", mod(func(q *okxReq) { q.key = otherIP.Key }), 401, "50110"},
		{"no read permission", mod(func(q *okxReq) { q.key = noRead.Key }), 200, "50120"},
		{"public time needs nothing", okxReq{path: "/api/v5/public/time"}, 200, "0"},
		{"unknown path", mod(func(q *okxReq) { q.path = "/api/v5/nothing/here" }), 404, "50005"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, code, msg := tc.q.do(t, s)
			if status != tc.status || code != tc.code {
				t.Errorf("got %d %s %q, want %d %s", status, code, msg, tc.status, tc.code)
			}
		})
	}
}

func okxSig(secret, prehash string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(prehash))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}
