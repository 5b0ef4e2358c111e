package okx

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

func tradeKey(perms ...string) core.Key {
	k := sampleOKX()
	k.Permissions = perms
	k.Balances = map[string]string{"USDT": "1000"}
	k.FuturesBalances = map[string]string{"USDT": "500"}
	return k
}

// signed sends a request signed as OKX wants and decodes the answer.
func signed(t testing.TB, s http.Handler, k core.Key, method, path, body string) (int, map[string]any) {
	t.Helper()
	ts := time.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	m := hmac.New(sha256.New, []byte(k.Secret))
	m.Write([]byte(ts + method + path + body))
	r := httptest.NewRequest(method, path, bytes.NewReader([]byte(body)))
	r.Header.Set("OK-ACCESS-KEY", k.Key)
	r.Header.Set("OK-ACCESS-SIGN", base64.StdEncoding.EncodeToString(m.Sum(nil)))
	r.Header.Set("OK-ACCESS-TIMESTAMP", ts)
	r.Header.Set("OK-ACCESS-PASSPHRASE", k.Passphrase)
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	var v map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &v)
	return w.Code, v
}

func sCode(v map[string]any) string {
	d, _ := v["data"].([]any)
	if len(d) == 0 {
		return ""
	}
	c, _ := d[0].(map[string]any)["sCode"].(string)
	return c
}

func TestOrderLifecycle(t *testing.T) {
	k := tradeKey(core.PermRead, core.PermSpot)
	s, err := newSim(core.Scenario{Exchange: "okx", Keys: []core.Key{k}})
	if err != nil {
		t.Fatal(err)
	}
	code, v := signed(t, s, k, "POST", "/api/v5/trade/batch-orders", `[{"instId":"BTC-USDT","tdMode":"cash","side":"buy","ordType":"limit","sz":"0.001","px":"30000"}]`)
	if code != 200 || v["code"] != "0" || sCode(v) != "0" {
		t.Fatalf("place: %d %v", code, v)
	}
	id := v["data"].([]any)[0].(map[string]any)["ordId"].(string)
	if _, v := signed(t, s, k, "GET", "/api/v5/trade/order?instId=BTC-USDT&ordId="+id, ""); v["code"] != "0" || v["data"].([]any)[0].(map[string]any)["state"] != "live" {
		t.Errorf("fetch: %v", v)
	}
	if _, v := signed(t, s, k, "GET", "/api/v5/account/balance", ""); v["code"] != "0" {
		t.Errorf("balance: %v", v)
	} else if d := v["data"].([]any)[0].(map[string]any)["details"].([]any)[0].(map[string]any); d["ccy"] != "USDT" || d["frozenBal"] != "30" || d["availBal"] != "1470" {
		t.Errorf("USDT with the order resting: %v", d)
	}
	if _, v := signed(t, s, k, "POST", "/api/v5/trade/cancel-order", `{"instId":"BTC-USDT","ordId":"`+id+`"}`); v["code"] != "0" {
		t.Errorf("cancel: %v", v)
	}
	if _, v := signed(t, s, k, "POST", "/api/v5/trade/cancel-order", `{"instId":"BTC-USDT","ordId":"`+id+`"}`); v["code"] != "1" || sCode(v) != "51400" {
		t.Errorf("cancel twice: %v", v)
	}
	if _, v := signed(t, s, k, "GET", "/api/v5/trade/order?instId=BTC-USDT&ordId=42", ""); v["code"] != "51603" {
		t.Errorf("unknown order: %v", v)
	}
	// The perpetual is quoted in contracts of 0.01 BTC: 1 contract at
	// 30000 is 300 USDT of notional.
	_, v = signed(t, s, k, "POST", "/api/v5/trade/order", `{"instId":"BTC-USDT-SWAP","tdMode":"cross","side":"buy","ordType":"limit","sz":"1","px":"30000"}`)
	if sCode(v) != "0" {
		t.Errorf("swap order with spot and trade permission (OKX has one trade permission): %v", v)
	}
	for body, want := range map[string]string{
		`{"instId":"BTC-USDT","tdMode":"cash","side":"buy","ordType":"limit","sz":"1","px":"30000"}`:         "51008",
		`{"instId":"BTC-USDT","tdMode":"cash","side":"buy","ordType":"limit","sz":"0.000001","px":"30000"}`:  "51121",
		`{"instId":"BTC-USDT","tdMode":"cash","side":"buy","ordType":"limit","sz":"0.00001","px":"30000"}`:   "51020",
		`{"instId":"DOGE-USDT","tdMode":"cash","side":"buy","ordType":"limit","sz":"1","px":"1"}`:            "51001",
		`{"instId":"BTC-USDT-SWAP","tdMode":"cash","side":"buy","ordType":"limit","sz":"1","px":"30000"}`:    "51000",
		`{"instId":"BTC-USDT","tdMode":"cash","side":"buy","ordType":"post_only","sz":"0.001","px":"70000"}`: "51024",
	} {
		if _, v := signed(t, s, k, "POST", "/api/v5/trade/order", body); v["code"] != "1" || sCode(v) != want {
			t.Errorf("%s: %v, want sCode %s", body, v, want)
		}
	}
}

func TestTradingNeedsTheTradePermission(t *testing.T) {
	readOnly := tradeKey(core.PermRead)
	expired := tradeKey(core.PermRead, core.PermSpot)
	expired.Expires = time.Now().Add(-time.Minute)
	s, err := newSim(core.Scenario{Exchange: "okx", Keys: []core.Key{readOnly, expired}})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []core.Key{readOnly, expired} {
		code, v := signed(t, s, k, "POST", "/api/v5/trade/order", `{"instId":"BTC-USDT","tdMode":"cash","side":"buy","ordType":"limit","sz":"0.001","px":"30000"}`)
		if code != 200 || v["code"] != "50120" {
			t.Errorf("%s: %d %v", k.Label, code, v)
		}
		if _, v := signed(t, s, k, "GET", "/api/v5/account/balance", ""); v["code"] != "0" {
			t.Errorf("read: %v", v)
		}
	}
}

func FuzzOrderBody(f *testing.F) {
	f.Add(`{"instId":"BTC-USDT","tdMode":"cash","side":"buy","ordType":"limit","sz":"0.001","px":"30000"}`)
	f.Add(`[{"instId":"BTC-USDT-SWAP","tdMode":"cross","side":"sell","ordType":"market","sz":"1"}]`)
	f.Add(`{"instId":"ETH-USDT","ordId":"1000000001"}`)
	k := tradeKey(core.PermRead, core.PermSpot, core.PermFutures)
	s, err := newSim(core.Scenario{Exchange: "okx", Keys: []core.Key{k}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, p := range []string{"/api/v5/trade/order", "/api/v5/trade/batch-orders", "/api/v5/trade/cancel-order", "/api/v5/trade/cancel-batch-orders"} {
			code, v := signed(t, s, k, "POST", p, body)
			if v == nil || (code != 200 && code != 400) {
				t.Fatalf("%s %q: %d %v", p, body, code, v)
			}
		}
	})
}
