package bybit

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

func tradeKey(perms ...string) core.Key {
	k := sampleBybit()
	k.Permissions = perms
	k.IPs = []string{core.DefaultClientIP}
	k.Balances = map[string]string{"USDT": "1000"}
	k.FuturesBalances = map[string]string{"USDT": "500"}
	return k
}

// signed sends a request signed as Bybit wants: GET signs the query, POST
// the body.
func signed(t testing.TB, s http.Handler, k core.Key, method, path, query, body string) map[string]any {
	t.Helper()
	ts := strconv.FormatInt(time.Now().UnixMilli(), 10)
	payload := ts + k.Key + "5000" + query
	if method == "POST" {
		payload = ts + k.Key + "5000" + body
	}
	m := hmac.New(sha256.New, []byte(k.Secret))
	m.Write([]byte(payload))
	target := path
	if query != "" {
		target += "?" + query
	}
	r := httptest.NewRequest(method, target, bytes.NewReader([]byte(body)))
	r.Header.Set("X-BAPI-API-KEY", k.Key)
	r.Header.Set("X-BAPI-TIMESTAMP", ts)
	r.Header.Set("X-BAPI-RECV-WINDOW", "5000")
	r.Header.Set("X-BAPI-SIGN", hex.EncodeToString(m.Sum(nil)))
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	var v map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("%s %s: %d %q", method, path, w.Code, w.Body.String())
	}
	return v
}

func TestOrdersAndPermissionPerCategory(t *testing.T) {
	spotOnly, futOnly := tradeKey(core.PermRead, core.PermSpot), tradeKey(core.PermRead, core.PermFutures)
	s, err := newSim(core.Scenario{Exchange: "bybit", Keys: []core.Key{spotOnly, futOnly}})
	if err != nil {
		t.Fatal(err)
	}
	spot := `{"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.001","price":"30000","timeInForce":"GTC"}`
	linear := `{"category":"linear","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.005","price":"30000","timeInForce":"GTC"}`
	v := signed(t, s, spotOnly, "POST", "/v5/order/create", "", spot)
	if v["retCode"] != 0.0 {
		t.Fatalf("spot order: %v", v)
	}
	id := v["result"].(map[string]any)["orderId"].(string)
	if v := signed(t, s, spotOnly, "POST", "/v5/order/create", "", linear); v["retCode"] != 10005.0 {
		t.Errorf("linear order with a spot key: %v", v)
	}
	if v := signed(t, s, futOnly, "POST", "/v5/order/create", "", spot); v["retCode"] != 10005.0 {
		t.Errorf("spot order with a futures key: %v", v)
	}
	if v := signed(t, s, futOnly, "POST", "/v5/order/create", "", linear); v["retCode"] != 0.0 {
		t.Errorf("linear order with a futures key: %v", v)
	}
	v = signed(t, s, spotOnly, "GET", "/v5/order/realtime", "category=spot&orderId="+id, "")
	if list := v["result"].(map[string]any)["list"].([]any); len(list) != 1 || list[0].(map[string]any)["orderStatus"] != "New" {
		t.Errorf("realtime: %v", v)
	}
	v = signed(t, s, spotOnly, "GET", "/v5/account/wallet-balance", "accountType=UNIFIED", "")
	coin := v["result"].(map[string]any)["list"].([]any)[0].(map[string]any)["coin"].([]any)[0].(map[string]any)
	if coin["walletBalance"] != "1500" || coin["locked"] != "30" || coin["availableToWithdraw"] != "1470" {
		t.Errorf("wallet with the order resting: %v", coin)
	}
	if v := signed(t, s, spotOnly, "POST", "/v5/order/cancel", "", `{"category":"spot","symbol":"BTCUSDT","orderId":"`+id+`"}`); v["retCode"] != 0.0 {
		t.Errorf("cancel: %v", v)
	}
	if v := signed(t, s, spotOnly, "POST", "/v5/order/cancel", "", `{"category":"spot","symbol":"BTCUSDT","orderId":"`+id+`"}`); v["retCode"] != 170213.0 {
		t.Errorf("cancel twice: %v", v)
	}
	for body, want := range map[string]float64{
		`{"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"1","price":"30000"}`:         170131,
		`{"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.0000001","price":"30000"}`: 170137,
		`{"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.00001","price":"30000"}`:   170140,
		`{"category":"spot","symbol":"DOGEUSDT","side":"Buy","orderType":"Limit","qty":"1","price":"1"}`:            10001,
		`{"category":"option","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"1","price":"1"}`:           10001,
	} {
		if v := signed(t, s, spotOnly, "POST", "/v5/order/create", "", body); v["retCode"] != want {
			t.Errorf("%s: %v, want %v", body, v, want)
		}
	}
}

func TestUnknownRoute(t *testing.T) {
	s, _ := newSim(core.Scenario{Exchange: "bybit"})
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest("GET", "/v5/nothing", nil))
	var v map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil || w.Code != 404 || v["retCode"] != 10017.0 {
		t.Errorf("%d %s", w.Code, w.Body.String())
	}
}

func FuzzOrderBody(f *testing.F) {
	f.Add(`{"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.001","price":"30000"}`)
	f.Add(`{"category":"linear","symbol":"BTCUSDT","side":"Sell","orderType":"Market","qty":"0.001"}`)
	f.Add(`{"category":"spot","symbol":"BTCUSDT","orderId":"1000000001"}`)
	k := tradeKey(core.PermRead, core.PermSpot, core.PermFutures)
	s, err := newSim(core.Scenario{Exchange: "bybit", Keys: []core.Key{k}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, p := range []string{"/v5/order/create", "/v5/order/cancel"} {
			if v := signed(t, s, k, "POST", p, "", body); v["retCode"] == nil {
				t.Fatalf("%s %q: %v", p, body, v)
			}
		}
	})
}
