package kucoin

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
	k := sampleKuCoin()
	k.Permissions = perms
	k.Balances = map[string]string{"USDT": "1000"}
	k.FuturesBalances = map[string]string{"USDT": "500"}
	return k
}

func signed(t testing.TB, s http.Handler, k core.Key, method, target, body string) (int, map[string]any) {
	t.Helper()
	ts := strconv.FormatInt(time.Now().UnixMilli(), 10)
	r := httptest.NewRequest(method, target, bytes.NewReader([]byte(body)))
	r.Header.Set("KC-API-KEY", k.Key)
	r.Header.Set("KC-API-SIGN", kucoinHMAC(k.Secret, ts+method+target+body))
	r.Header.Set("KC-API-TIMESTAMP", ts)
	r.Header.Set("KC-API-PASSPHRASE", kucoinHMAC(k.Secret, k.Passphrase))
	r.Header.Set("KC-API-KEY-VERSION", "2")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	var v map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &v)
	return w.Code, v
}

func TestHFSpotAndFuturesOrders(t *testing.T) {
	spotOnly, futOnly := tradeKey(core.PermRead, core.PermSpot), tradeKey(core.PermRead, core.PermFutures)
	s, err := newSim(core.Scenario{Exchange: "kucoin", Keys: []core.Key{spotOnly, futOnly}})
	if err != nil {
		t.Fatal(err)
	}
	spot := `{"clientOid":"c1","side":"buy","symbol":"BTC-USDT","type":"limit","price":"30000","size":"0.001"}`
	fut := `{"clientOid":"f1","side":"buy","symbol":"XBTUSDTM","type":"limit","price":"30000","size":5,"marginMode":"CROSS"}`
	code, v := signed(t, s, spotOnly, "POST", "/api/v1/hf/orders", spot)
	if code != 200 || v["code"] != "200000" {
		t.Fatalf("spot order: %d %v", code, v)
	}
	id := v["data"].(map[string]any)["orderId"].(string)
	if len(id) != 24 {
		t.Errorf("order id %q is not KuCoin's 24 hex digits", id)
	}
	if code, v := signed(t, s, spotOnly, "POST", "/api/v1/orders", fut); code != 403 || v["code"] != "400007" {
		t.Errorf("futures order with a spot key: %d %v", code, v)
	}
	if code, v := signed(t, s, futOnly, "POST", "/api/v1/hf/orders", spot); code != 403 || v["code"] != "400007" {
		t.Errorf("spot order with a futures key: %d %v", code, v)
	}
	code, v = signed(t, s, futOnly, "POST", "/api/v1/orders", fut)
	if code != 200 {
		t.Fatalf("futures order: %d %v", code, v)
	}
	fid := v["data"].(map[string]any)["orderId"].(string)
	if _, v := signed(t, s, futOnly, "GET", "/api/v1/orders/"+fid, ""); v["data"].(map[string]any)["status"] != "open" || v["data"].(map[string]any)["size"] != 5.0 {
		t.Errorf("futures order: %v", v)
	}
	if _, v := signed(t, s, futOnly, "GET", "/api/v1/account-overview?currency=USDT", ""); v["data"].(map[string]any)["orderMargin"] != 15.0 {
		t.Errorf("futures overview with the order resting: %v", v)
	}
	if _, v := signed(t, s, spotOnly, "GET", "/api/v1/hf/orders/"+id+"?symbol=BTC-USDT", ""); v["data"].(map[string]any)["active"] != true {
		t.Errorf("spot order: %v", v)
	}
	if _, v := signed(t, s, spotOnly, "GET", "/api/v1/accounts?type=trade_hf", ""); v["data"].([]any)[0].(map[string]any)["holds"] != "30" {
		t.Errorf("accounts: %v", v)
	}
	if _, v := signed(t, s, spotOnly, "DELETE", "/api/v1/hf/orders/"+id+"?symbol=BTC-USDT", ""); v["code"] != "200000" {
		t.Errorf("cancel: %v", v)
	}
	if _, v := signed(t, s, spotOnly, "DELETE", "/api/v1/hf/orders/"+id+"?symbol=BTC-USDT", ""); v["msg"] != "order_not_exist_or_not_allow_to_cancel" {
		t.Errorf("cancel twice: %v", v)
	}
	if _, v := signed(t, s, spotOnly, "POST", "/api/v1/hf/orders", strings.Replace(spot, `"0.001"`, `"1"`, 1)); v["code"] != "200004" {
		t.Errorf("insufficient: %v", v)
	}
}

func TestMaintenanceIsTheGatewaysHTMLPage(t *testing.T) {
	s, _ := newSim(core.Scenario{Exchange: "kucoin", Maintenance: "ongoing"})
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/market/stats?symbol=BTC-USDT", nil))
	if w.Code != 503 || !strings.Contains(w.Body.String(), "503 Service Temporarily Unavailable") {
		t.Errorf("%d %s", w.Code, w.Body.String())
	}
}

func FuzzOrderBody(f *testing.F) {
	f.Add(`{"clientOid":"c1","side":"buy","symbol":"BTC-USDT","type":"limit","price":"30000","size":"0.001"}`)
	f.Add(`{"clientOid":"f1","side":"sell","symbol":"XBTUSDTM","type":"market","size":1}`)
	k := tradeKey(core.PermRead, core.PermSpot, core.PermFutures)
	s, err := newSim(core.Scenario{Exchange: "kucoin", Keys: []core.Key{k}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, p := range []string{"/api/v1/hf/orders", "/api/v1/orders"} {
			if code, v := signed(t, s, k, "POST", p, body); v == nil || (code != 200 && code != 400) {
				t.Fatalf("%s %q: %d %v", p, body, code, v)
			}
		}
	})
}
