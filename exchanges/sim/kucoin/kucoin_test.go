package kucoin

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// The simulator's own KuCoin HMAC against KuCoin's published vector
// (reference A.1) and the derived GET and v2/v3 passphrase vectors (A.2).
func TestKuCoinHMACVectors(t *testing.T) {
	const secret = "f03a5284-5c39-4aaa-9b20-dea10bdcf8e3"
	for _, tc := range []struct{ msg, want string }{
		{`1547015186532POST/api/v1/deposit-addresses{"currency":"BTC"}`, "7QP/oM0ykidMdrfNEUmng8eZjg/ZvPafjIqmxiVfYu4="},
		{"1547015186532GET/api/v1/accounts", "LzU6+3FbWQMNM8RFHTcMr6MopjKAd/KBTPL3dipxL6o="},
		{"Ab12345678)(*&^%$#@", "F2p2bNS1bBehHvC/Z4YkB7l1Wd0Pq2iV/oLHM/DyE+I="},
	} {
		if got := kucoinHMAC(secret, tc.msg); got != tc.want {
			t.Errorf("kucoinHMAC(%q) = %s, want %s", tc.msg, got, tc.want)
		}
	}
}

type kcReq struct {
	key, secret, passphrase string
	version                 string
	plainPassphrase         bool
	skew                    time.Duration
	path                    string
	badSign                 bool
}

func kucoinCall(t *testing.T, sc core.Scenario, q kcReq) (int, string, string) {
	t.Helper()
	s, err := newSim(sc)
	if err != nil {
		t.Fatal(err)
	}
	if q.path == "" {
		q.path = "/api/v1/accounts"
	}
	ts := strconv.FormatInt(time.Now().Add(q.skew).UnixMilli(), 10)
	r := httptest.NewRequest(http.MethodGet, q.path, nil)
	sign := kucoinHMAC(q.secret, ts+"GET"+q.path)
	if q.badSign {
		sign = kucoinHMAC(q.secret, ts+"GET/other")
	}
	pass := kucoinHMAC(q.secret, q.passphrase)
	if q.plainPassphrase {
		pass = q.passphrase
	}
	r.Header.Set("KC-API-KEY", q.key)
	r.Header.Set("KC-API-SIGN", sign)
	r.Header.Set("KC-API-TIMESTAMP", ts)
	r.Header.Set("KC-API-PASSPHRASE", pass)
	if q.version != "" {
		r.Header.Set("KC-API-KEY-VERSION", q.version)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	var body struct{ Code, Msg string }
	_ = json.Unmarshal(w.Body.Bytes(), &body)
	return w.Code, body.Code, body.Msg
}

func TestKuCoinAuthOrder(t *testing.T) {
	k := sampleKuCoin()
	k.Permissions = []string{core.PermRead}
	good := kcReq{key: k.Key, secret: k.Secret, passphrase: k.Passphrase, version: "2"}
	sc := core.Scenario{Exchange: "kucoin", Keys: []core.Key{k}}
	mut := func(f func(*kcReq)) kcReq { q := good; f(&q); return q }
	for _, tc := range []struct {
		name   string
		sc     func(*core.Scenario)
		q      kcReq
		status int
		code   string
	}{
		{"good, version 2", nil, good, 200, "200000"},
		{"good, version 3", nil, mut(func(q *kcReq) { q.version = "3" }), 200, "200000"},
		{"plain passphrase for a v3 key", nil, mut(func(q *kcReq) { q.plainPassphrase = true }), 401, "400004"},
		{"no version header", nil, mut(func(q *kcReq) { q.version = "" }), 401, "400004"},
		{"version 1", nil, mut(func(q *kcReq) { q.version = "1" }), 401, "400004"},
		{"wrong passphrase", nil, mut(func(q *kcReq) { q.passphrase = "Wrong-Passphrase-1" }), 401, "400004"},
		{"wrong secret fails at the passphrase", nil, mut(func(q *kcReq) { q.secret = sampleKuCoin().Secret }), 401, "400004"},
		{"wrong signature", nil, mut(func(q *kcReq) { q.badSign = true }), 401, "400005"},
		{"6 s ahead", nil, mut(func(q *kcReq) { q.skew = 6 * time.Second }), 401, "400002"},
		{"6 s behind", nil, mut(func(q *kcReq) { q.skew = -6 * time.Second }), 401, "400002"},
		{"unknown key", nil, mut(func(q *kcReq) { q.key = core.RandomHex(24) }), 401, "400003"},
		{"stale beats unknown key", nil, mut(func(q *kcReq) { q.key = core.RandomHex(24); q.skew = time.Minute }), 401, "400002"},
		{"ip not allowed", func(sc *core.Scenario) { sc.Keys[0].IPs = []string{"198.51.100.7"} }, good, 403, "400006"},
		{"no General", func(sc *core.Scenario) { sc.Keys[0].Permissions = []string{core.PermSpot} }, good, 403, "400007"},
		{"other environment", func(sc *core.Scenario) { sc.Keys[0].Environment = "demo" }, good, 401, "400003"},
		{"unknown path", nil, mut(func(q *kcReq) { q.path = "/api/v1/nothing-here" }), 404, "404000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := sc
			s.Keys = append([]core.Key(nil), sc.Keys...)
			if tc.sc != nil {
				tc.sc(&s)
			}
			status, code, msg := kucoinCall(t, s, tc.q)
			if status != tc.status || code != tc.code {
				t.Errorf("HTTP %d code %s (%s), want %d %s", status, code, msg, tc.status, tc.code)
			}
			if code == "400006" && msg != "Invalid request ip, the current clientIp is:"+core.DefaultClientIP {
				t.Errorf("400006 message %q", msg)
			}
		})
	}
}

func TestKuCoinMaintenance(t *testing.T) {
	k := sampleKuCoin()
	s, err := newSim(core.Scenario{Exchange: "kucoin", Keys: []core.Key{k}, Maintenance: "ongoing"})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/api/v1/status", nil))
	if w.Code != 200 || !json.Valid(w.Body.Bytes()) || !strings.Contains(w.Body.String(), `"close"`) {
		t.Errorf("status during maintenance: %d %s", w.Code, w.Body)
	}
	w = httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/api/v1/timestamp", nil))
	if w.Code != http.StatusServiceUnavailable {
		t.Errorf("timestamp during maintenance: %d", w.Code)
	}
}
