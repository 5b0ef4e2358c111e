package bingx

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// bxRig is a simulator with one funded key and a caller that signs as
// ccxt does: parameters sorted, the decoded values signed, the encoded
// ones sent.
type bxRig struct {
	s *core.Sim
	k core.Key
}

func newBingXRig(t testing.TB, perms ...string) *bxRig {
	k := sampleBingX()
	k.Permissions = perms
	k.Balances = map[string]string{"USDT": "10000", "BTC": "0.5"}
	k.FuturesBalances = map[string]string{"USDT": "5000"}
	s, err := newSim(core.Scenario{Exchange: "bingx", Keys: []core.Key{k}})
	if err != nil {
		t.Fatal(err)
	}
	return &bxRig{s: s, k: s.Scenario().Keys[0]}
}

func (b *bxRig) do(method, path string, params map[string]string, signed bool) (int, map[string]any) {
	if params == nil {
		params = map[string]string{}
	}
	params["timestamp"] = strconv.FormatInt(time.Now().UnixMilli(), 10)
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var raw, enc []string
	for _, k := range keys {
		raw = append(raw, k+"="+params[k])
		enc = append(enc, k+"="+url.QueryEscape(params[k]))
	}
	q := strings.Join(enc, "&")
	if signed {
		m := hmac.New(sha256.New, []byte(b.k.Secret))
		m.Write([]byte(strings.Join(raw, "&")))
		q += "&signature=" + hex.EncodeToString(m.Sum(nil))
	}
	r := httptest.NewRequest(method, path+"?"+q, nil)
	if signed {
		r.Header.Set("X-BX-APIKEY", b.k.Key)
	}
	w := httptest.NewRecorder()
	b.s.ServeHTTP(w, r)
	var v map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &v)
	return w.Code, v
}

func code(v map[string]any) int { n, _ := v["code"].(float64); return int(n) }
func data(v map[string]any) map[string]any {
	m := obj(v["data"])
	return m
}

func TestBingXMarketData(t *testing.T) {
	b := newBingXRig(t, core.PermRead)
	_, v := b.do("GET", "/openApi/spot/v1/common/symbols", nil, false)
	if s := first(data(v)["symbols"]); s["symbol"] != "BTC-USDT" || s["stepSize"] != "0.00001" || s["status"] != 1.0 {
		t.Errorf("spot symbols: %v", v)
	}
	_, v = b.do("GET", "/openApi/swap/v2/quote/contracts", nil, false)
	if c := first(v["data"]); c["symbol"] != "BTC-USDT" || c["currency"] != "USDT" || c["quantityPrecision"] != 3.0 {
		t.Errorf("contracts: %v", v)
	}
	if _, v := b.do("GET", "/openApi/spot/v1/ticker/24hr", map[string]string{"symbol": "BTC-USDT"}, false); first(v["data"])["askPrice"] != "60000.01" {
		t.Errorf("spot ticker: %v", v)
	}
	if _, v := b.do("GET", "/openApi/swap/v2/quote/ticker", map[string]string{"symbol": "BTC-USDT"}, false); data(v)["lastQty"] == nil {
		t.Errorf("swap ticker: %v", v)
	}
	if _, v := b.do("GET", "/openApi/swap/v2/quote/depth", map[string]string{"symbol": "BTC-USDT", "limit": "5"}, false); len(list(data(v)["bids"])) != 5 {
		t.Errorf("swap depth: %v", v)
	}
	if _, v := b.do("GET", "/openApi/wallets/v1/capital/config/getall", nil, true); len(list(v["data"])) != 3 {
		t.Errorf("coins: %v", v)
	}
	if status, v := b.do("GET", "/openApi/nothing", nil, false); status != 404 || code(v) != 100404 {
		t.Errorf("unknown path: %d %v", status, v)
	}
}

func TestBingXOrderLifecycle(t *testing.T) {
	b := newBingXRig(t, core.PermRead, core.PermSpot, core.PermFutures)
	// A client order id with characters that need encoding: signed
	// decoded, sent encoded.
	_, v := b.do("POST", "/openApi/spot/v1/trade/order", map[string]string{"symbol": "BTC-USDT", "side": "BUY", "type": "LIMIT",
		"quantity": "0.001", "price": "30000", "newClientOrderId": "bot:1/a b"}, true)
	if code(v) != 0 || data(v)["status"] != "PENDING" {
		t.Fatalf("spot order: %v", v)
	}
	id := strconv.FormatFloat(data(v)["orderId"].(float64), 'f', 0, 64)
	if _, v := b.do("GET", "/openApi/spot/v1/account/balance", nil, true); !strings.Contains(mustJSON(v), `"asset":"USDT","displayName":"USDT","free":"9970","locked":"30"`) {
		t.Errorf("spot balance with the order: %v", v)
	}
	if _, v := b.do("GET", "/openApi/spot/v1/trade/query", map[string]string{"symbol": "BTC-USDT", "orderId": id}, true); data(v)["clientOrderID"] != "bot:1/a b" {
		t.Errorf("query: %v", v)
	}
	if _, v := b.do("GET", "/openApi/spot/v1/trade/openOrders", nil, true); len(list(data(v)["orders"])) != 1 {
		t.Errorf("open orders: %v", v)
	}
	if _, v := b.do("POST", "/openApi/spot/v1/trade/cancel", map[string]string{"symbol": "BTC-USDT", "orderId": id}, true); data(v)["status"] != "CANCELED" {
		t.Errorf("cancel: %v", v)
	}
	if _, v := b.do("GET", "/openApi/spot/v1/trade/query", map[string]string{"symbol": "ETH-USDT", "orderId": id}, true); code(v) != 100404 {
		t.Errorf("an order of another symbol: %v", v)
	}
	_, v = b.do("POST", "/openApi/swap/v2/trade/order", map[string]string{"symbol": "BTC-USDT", "side": "SELL", "positionSide": "BOTH",
		"type": "LIMIT", "quantity": "0.005", "price": "90000"}, true)
	o := obj(data(v)["order"])
	if code(v) != 0 || o["status"] != "NEW" {
		t.Fatalf("swap order: %v", v)
	}
	sid := strconv.FormatFloat(o["orderId"].(float64), 'f', 0, 64)
	if _, v := b.do("GET", "/openApi/swap/v3/user/balance", nil, true); first(v["data"])["usedMargin"] != "45" {
		t.Errorf("swap margin: %v", v)
	}
	if _, v := b.do("DELETE", "/openApi/swap/v2/trade/order", map[string]string{"symbol": "BTC-USDT", "orderId": sid}, true); obj(data(v)["order"])["status"] != "CANCELLED" {
		t.Errorf("swap cancel: %v", v)
	}
	if _, v := b.do("DELETE", "/openApi/swap/v2/trade/order", map[string]string{"symbol": "BTC-USDT", "orderId": sid}, true); code(v) != 80018 {
		t.Errorf("swap cancel twice: %v", v)
	}
	if _, v := b.do("POST", "/openApi/spot/v1/trade/order", map[string]string{"symbol": "BTC-USDT", "side": "BUY", "type": "LIMIT", "quantity": "1", "price": "30000"}, true); code(v) != 100202 {
		t.Errorf("insufficient: %v", v)
	}
	if _, v := b.do("POST", "/openApi/swap/v2/trade/order", map[string]string{"symbol": "BTC-USDT", "side": "BUY", "type": "LIMIT", "quantity": "0.001", "price": "30000"}, true); code(v) != 110425 {
		t.Errorf("below the minimum notional: %v", v)
	}
}

func TestBingXTradePermissionPerMarket(t *testing.T) {
	spotOnly := newBingXRig(t, core.PermRead, core.PermSpot)
	if _, v := spotOnly.do("POST", "/openApi/swap/v2/trade/order", map[string]string{"symbol": "BTC-USDT", "side": "BUY", "type": "LIMIT", "quantity": "0.005", "price": "30000"}, true); code(v) != 100004 {
		t.Errorf("a spot-only key on the perpetual: %v", v)
	}
	ro := newBingXRig(t, core.PermRead)
	if _, v := ro.do("POST", "/openApi/spot/v1/trade/order", map[string]string{"symbol": "BTC-USDT", "side": "BUY", "type": "LIMIT", "quantity": "0.001", "price": "30000"}, true); code(v) != 100004 {
		t.Errorf("a read-only key on spot: %v", v)
	}
}

func mustJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

// Order parameters are outside bytes: any values, signed, get BingX's
// JSON and never a negative balance.
func FuzzBingXOrders(f *testing.F) {
	f.Add(true, "BUY", "LIMIT", "0.001", "30000", "GTC")
	f.Add(false, "SELL", "MARKET", "1e9", "", "IOC")
	f.Add(true, "BUY", "MARKET", "", "-1", "PostOnly")
	b := newBingXRig(f, core.PermRead, core.PermSpot, core.PermFutures)
	f.Fuzz(func(t *testing.T, spot bool, side, typ, qty, price, tif string) {
		path := "/openApi/swap/v2/trade/order"
		if spot {
			path = "/openApi/spot/v1/trade/order"
		}
		status, v := b.do("POST", path, map[string]string{"symbol": "BTC-USDT", "side": side, "type": typ, "quantity": qty,
			"price": price, "timeInForce": tif, "quoteOrderQty": qty}, true)
		if status >= 500 || v["code"] == nil {
			t.Fatalf("%v: %d %v", []string{side, typ, qty, price, tif}, status, v)
		}
		for _, w := range []core.Kind{core.Spot, core.Perpetual} {
			for _, bal := range b.s.State().Accounts().Balances(&b.k, w) {
				if strings.HasPrefix(bal.Free, "-") {
					t.Fatalf("negative balance %+v", bal)
				}
			}
		}
	})
}

func list(v any) []any { l, _ := v.([]any); return l }

func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }

// first is a list's first object, nil when there is none.
func first(v any) map[string]any {
	if l := list(v); len(l) > 0 {
		return obj(l[0])
	}
	return nil
}
