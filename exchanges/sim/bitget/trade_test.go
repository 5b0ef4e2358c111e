package bitget

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

func tradeKey(perms ...string) core.Key {
	k := sampleBitget()
	k.Permissions = perms
	k.Balances = map[string]string{"USDT": "1000"}
	k.FuturesBalances = map[string]string{"USDT": "500"}
	return k
}

func signed(t testing.TB, s http.Handler, k core.Key, method, target, body string) (int, map[string]any) {
	t.Helper()
	ts := strconv.FormatInt(time.Now().UnixMilli(), 10)
	r := httptest.NewRequest(method, target, bytes.NewReader([]byte(body)))
	prehash := ts + method + r.URL.Path
	if r.URL.RawQuery != "" {
		prehash += "?" + r.URL.RawQuery
	}
	r.Header.Set("ACCESS-KEY", k.Key)
	r.Header.Set("ACCESS-SIGN", bitgetSig(k.Secret, prehash+body))
	r.Header.Set("ACCESS-TIMESTAMP", ts)
	r.Header.Set("ACCESS-PASSPHRASE", k.Passphrase)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	var v map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &v)
	return w.Code, v
}

func TestSpotAndMixOrders(t *testing.T) {
	spotOnly, futOnly := tradeKey(core.PermRead, core.PermSpot), tradeKey(core.PermRead, core.PermFutures)
	s, err := newSim(core.Scenario{Exchange: "bitget", Keys: []core.Key{spotOnly, futOnly}})
	if err != nil {
		t.Fatal(err)
	}
	spot := `{"symbol":"BTCUSDT","side":"buy","orderType":"limit","force":"gtc","price":"30000","size":"0.001"}`
	mix := `{"symbol":"BTCUSDT","productType":"USDT-FUTURES","marginMode":"crossed","marginCoin":"USDT","side":"buy","orderType":"limit","force":"gtc","price":"30000","size":"0.005"}`
	code, v := signed(t, s, spotOnly, "POST", "/api/v2/spot/trade/place-order", spot)
	if code != 200 || v["code"] != "00000" {
		t.Fatalf("spot order: %d %v", code, v)
	}
	id := v["data"].(map[string]any)["orderId"].(string)
	if code, v := signed(t, s, spotOnly, "POST", "/api/v2/mix/order/place-order", mix); code != 400 || v["code"] != "40014" {
		t.Errorf("mix order with a spot key: %d %v", code, v)
	}
	if code, v := signed(t, s, futOnly, "POST", "/api/v2/spot/trade/place-order", spot); code != 400 || v["code"] != "40014" {
		t.Errorf("spot order with a futures key: %d %v", code, v)
	}
	code, v = signed(t, s, futOnly, "POST", "/api/v2/mix/order/place-order", mix)
	if code != 200 {
		t.Fatalf("mix order with a futures key: %d %v", code, v)
	}
	mixID := v["data"].(map[string]any)["orderId"].(string)
	if _, v := signed(t, s, futOnly, "GET", "/api/v2/mix/order/detail?symbol=BTCUSDT&productType=USDT-FUTURES&orderId="+mixID, ""); v["data"].(map[string]any)["state"] != "live" {
		t.Errorf("mix detail: %v", v)
	}
	if _, v := signed(t, s, spotOnly, "GET", "/api/v2/spot/trade/orderInfo?orderId="+id, ""); v["data"].([]any)[0].(map[string]any)["status"] != "live" {
		t.Errorf("spot orderInfo: %v", v)
	}
	_, v = signed(t, s, spotOnly, "GET", "/api/v2/spot/account/assets", "")
	if a := v["data"].([]any)[0].(map[string]any); a["coin"] != "USDT" || a["available"] != "970" || a["frozen"] != "30" {
		t.Errorf("assets with the order resting: %v", a)
	}
	if _, v := signed(t, s, spotOnly, "POST", "/api/v2/spot/trade/cancel-order", `{"symbol":"BTCUSDT","orderId":"`+id+`"}`); v["code"] != "00000" {
		t.Errorf("cancel: %v", v)
	}
	if code, v := signed(t, s, spotOnly, "POST", "/api/v2/spot/trade/cancel-order", `{"symbol":"BTCUSDT","orderId":"`+id+`"}`); code != 400 || v["code"] != "43001" {
		t.Errorf("cancel twice: %d %v", code, v)
	}
	if code, v := signed(t, s, spotOnly, "POST", "/api/v2/spot/trade/place-order", strings.Replace(spot, `"0.001"`, `"1"`, 1)); code != 400 || v["code"] != "43012" {
		t.Errorf("insufficient: %d %v", code, v)
	}
}

func TestUnknownPath(t *testing.T) {
	s, _ := newSim(core.Scenario{Exchange: "bitget"})
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest("GET", "/api/v2/nothing", nil))
	if w.Code != 404 || !strings.Contains(w.Body.String(), `"40404"`) {
		t.Errorf("%d %s", w.Code, w.Body.String())
	}
}

func FuzzOrderBody(f *testing.F) {
	f.Add(`{"symbol":"BTCUSDT","side":"buy","orderType":"limit","force":"gtc","price":"30000","size":"0.001"}`)
	f.Add(`{"symbol":"BTCUSDT","productType":"USDT-FUTURES","side":"sell","orderType":"market","size":"0.001"}`)
	f.Add(`{"symbol":"BTCUSDT","orderId":"1000000001"}`)
	k := tradeKey(core.PermRead, core.PermSpot, core.PermFutures)
	s, err := newSim(core.Scenario{Exchange: "bitget", Keys: []core.Key{k}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, p := range []string{"/api/v2/spot/trade/place-order", "/api/v2/mix/order/place-order", "/api/v2/spot/trade/cancel-order", "/api/v2/mix/order/cancel-order"} {
			if code, v := signed(t, s, k, "POST", p, body); v == nil || (code != 200 && code != 400) {
				t.Fatalf("%s %q: %d %v", p, body, code, v)
			}
		}
	})
}
