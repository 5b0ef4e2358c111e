package bitget

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// The simulator's verifier accepts the reference's derived Bitget vector
// and nothing else.
func TestVerifyBitgetVector(t *testing.T) {
	const prehash = "1659076670000GET/api/v2/spot/account/assets?coin=USDT"
	const sig = "wgkMk4GuE/+mQZQLnIXrjGwkKw2SdT0LVC2S9uWUdgc="
	if !verifyBitget("secret", prehash, sig) {
		t.Fatal("vector rejected")
	}
	for _, bad := range []string{"", "wgkMk4GuE/+mQZQLnIXrjGwkKw2SdT0LVC2S9uWUdgd=", "wgkMk4GuE_-mQZQLnIXrjGwkKw2SdT0LVC2S9uWUdgc="} {
		if verifyBitget("secret", prehash, bad) {
			t.Errorf("accepted %q", bad)
		}
	}
	if verifyBitget("secret", "1659076670000GET/api/v2/spot/account/assets", sig) {
		t.Error("accepted a signature without its query")
	}
}

type bgReq struct {
	key, secret, pass, ts, path string
	demo                        bool
	sign                        string
}

func (q bgReq) do(t *testing.T, s *core.Sim) (int, string) {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, q.path, nil)
	if q.sign == "" && q.secret != "" {
		q.sign = bitgetSig(q.secret, q.ts+"GET"+q.path) // same HMAC-SHA256 base64 construction
	}
	for h, v := range map[string]string{"ACCESS-KEY": q.key, "ACCESS-SIGN": q.sign, "ACCESS-TIMESTAMP": q.ts, "ACCESS-PASSPHRASE": q.pass} {
		if v != "" {
			r.Header.Set(h, v)
		}
	}
	if q.demo {
		r.Header.Set("paptrading", "1")
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	var body struct {
		Code string `json:"code"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatalf("answer is not Bitget JSON: %s", w.Body.String())
	}
	return w.Code, body.Code
}

func TestBitgetAuthOrder(t *testing.T) {
	good := core.Key{Key: "bg_00000000000000000000000000000001", Secret: "secret", Passphrase: "Passphrase1",
		Permissions: []string{core.PermRead, core.PermSpot}, IPs: []string{core.DefaultClientIP}}
	demo := good
	demo.Key, demo.Environment = "bg_00000000000000000000000000000002", exchanges.Demo
	futOnly := good
	futOnly.Key, futOnly.Permissions = "bg_00000000000000000000000000000003", []string{core.PermFutures}
	otherIP := good
	otherIP.Key, otherIP.IPs = "bg_00000000000000000000000000000004", []string{"198.51.100.0/24"}
	s, err := newSim(core.Scenario{Exchange: "bitget", Keys: []core.Key{good, demo, futOnly, otherIP}})
	if err != nil {
		t.Fatal(err)
	}
	ms := func(d time.Duration) string { return strconv.FormatInt(time.Now().Add(d).UnixMilli(), 10) }
	base := bgReq{key: good.Key, secret: good.Secret, pass: good.Passphrase, ts: ms(0), path: "/api/v2/spot/account/info"}
	mod := func(f func(*bgReq)) bgReq { q := base; f(&q); return q }
	for _, tc := range []struct {
		name   string
		q      bgReq
		status int
		code   string
	}{
		{"good", base, 200, "00000"},
		{"no key", mod(func(q *bgReq) { q.key = "" }), 400, "40001"},
		{"no sign", mod(func(q *bgReq) { q.secret, q.sign = "", "" }), 400, "40003"},
		{"no passphrase", mod(func(q *bgReq) { q.pass = "" }), 400, "40011"},
		{"iso timestamp", mod(func(q *bgReq) { q.ts = "2020-12-08T09:08:57.715Z" }), 400, "40005"},
		{"31 s ahead", mod(func(q *bgReq) { q.ts = ms(31 * time.Second) }), 400, "40008"},
		{"31 s behind", mod(func(q *bgReq) { q.ts = ms(-31 * time.Second) }), 400, "40008"},
		{"malformed key", mod(func(q *bgReq) { q.key = "553c4b7e" }), 400, "40006"},
		{"unknown key", mod(func(q *bgReq) { q.key = "bg_0000000000000000000000000000000f" }), 400, "40037"},
		{"live key in demo", mod(func(q *bgReq) { q.demo = true }), 400, "40099"},
		{"demo key on live", mod(func(q *bgReq) { q.key = demo.Key }), 400, "40099"},
		{"demo key in demo", mod(func(q *bgReq) { q.key = demo.Key; q.demo = true }), 200, "00000"},
		{"wrong passphrase", mod(func(q *bgReq) { q.pass = "Passphrase2" }), 400, "40012"},
		{"wrong secret", mod(func(q *bgReq) { q.secret = "secreT" }), 400, "40009"},
		{"ip not whitelisted", mod(func(q *bgReq) { q.key = otherIP.Key }), 400, "40018"},
		{"no spot permission", mod(func(q *bgReq) { q.key = futOnly.Key }), 400, "40014"},
		{"futures key reads futures", mod(func(q *bgReq) { q.key = futOnly.Key; q.path = "/api/v2/mix/account/accounts?productType=USDT-FUTURES" }), 200, "00000"},
		{"public time", bgReq{path: "/api/v2/public/time"}, 200, "00000"},
		{"order endpoint does not exist here", mod(func(q *bgReq) { q.path = "/api/v2/spot/trade/place-order" }), 404, "40404"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, code := tc.q.do(t, s)
			if status != tc.status || code != tc.code {
				t.Errorf("got %d %s, want %d %s", status, code, tc.status, tc.code)
			}
		})
	}
}
