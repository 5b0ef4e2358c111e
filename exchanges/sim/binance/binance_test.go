package binance

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

func newSim(t testing.TB, keys ...core.Key) *core.Sim {
	t.Helper()
	s, err := core.New(core.Scenario{Exchange: "binance", Keys: keys}, Exchange())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func key(perms ...string) core.Key {
	k := sampleBinance()
	k.Permissions = perms
	k.Balances = map[string]string{"USDT": "1000", "BTC": "0.1"}
	k.FuturesBalances = map[string]string{"USDT": "500"}
	return k
}

// call signs params as Binance wants (in the body for POST, in the query
// otherwise) and returns the status and the decoded answer.
func call(t testing.TB, s http.Handler, k core.Key, method, path string, params url.Values) (int, map[string]any) {
	t.Helper()
	if params == nil {
		params = url.Values{}
	}
	params.Set("timestamp", strconv.FormatInt(time.Now().UnixMilli(), 10))
	payload := params.Encode()
	m := hmac.New(sha256.New, []byte(k.Secret))
	m.Write([]byte(payload))
	signed := payload + "&signature=" + hex.EncodeToString(m.Sum(nil))
	var r *http.Request
	if method == http.MethodPost {
		r = httptest.NewRequest(method, path, strings.NewReader(signed))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		r = httptest.NewRequest(method, path+"?"+signed, nil)
	}
	r.Header.Set("X-MBX-APIKEY", k.Key)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	var v map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &v)
	return w.Code, v
}

func limitBuy(symbol, qty, price string) url.Values {
	return url.Values{"symbol": {symbol}, "side": {"BUY"}, "type": {"LIMIT"}, "timeInForce": {"GTC"}, "quantity": {qty}, "price": {price}}
}

func TestSpotOrderLifecycleSignedInTheBody(t *testing.T) {
	k := key(core.PermRead, core.PermSpot)
	s := newSim(t, k)
	code, o := call(t, s, k, "POST", "/api/v3/order", limitBuy("BTCUSDT", "0.001", "30000"))
	if code != 200 || o["status"] != "NEW" || o["origQty"] != "0.00100000" {
		t.Fatalf("place: %d %v", code, o)
	}
	id := strconv.FormatInt(int64(o["orderId"].(float64)), 10)
	_, acct := call(t, s, k, "GET", "/api/v3/account", nil)
	for _, b := range acct["balances"].([]any) {
		if b := b.(map[string]any); b["asset"] == "USDT" && (b["free"] != "970.00000000" || b["locked"] != "30.00000000") {
			t.Errorf("USDT while the order rests: %v", b)
		}
	}
	if _, got := call(t, s, k, "GET", "/api/v3/order", url.Values{"symbol": {"BTCUSDT"}, "orderId": {id}}); got["status"] != "NEW" {
		t.Errorf("fetch: %v", got)
	}
	if _, list := callList(t, s, k, "/api/v3/openOrders", url.Values{"symbol": {"BTCUSDT"}}); len(list) != 1 {
		t.Errorf("open orders: %v", list)
	}
	if code, got := call(t, s, k, "DELETE", "/api/v3/order", url.Values{"symbol": {"BTCUSDT"}, "orderId": {id}}); code != 200 || got["status"] != "CANCELED" {
		t.Errorf("cancel: %d %v", code, got)
	}
	if code, got := call(t, s, k, "DELETE", "/api/v3/order", url.Values{"symbol": {"BTCUSDT"}, "orderId": {id}}); code != 400 || got["code"] != -2011.0 {
		t.Errorf("cancel twice: %d %v", code, got)
	}
	if code, got := call(t, s, k, "GET", "/api/v3/order", url.Values{"symbol": {"BTCUSDT"}, "orderId": {"42"}}); code != 400 || got["code"] != -2013.0 {
		t.Errorf("unknown order: %d %v", code, got)
	}
	// A market buy fills at the ask and moves the balances.
	mkt := url.Values{"symbol": {"BTCUSDT"}, "side": {"BUY"}, "type": {"MARKET"}, "quantity": {"0.01"}}
	if code, got := call(t, s, k, "POST", "/api/v3/order", mkt); code != 200 || got["status"] != "FILLED" || got["fills"] == nil {
		t.Errorf("market: %d %v", code, got)
	}
}

func callList(t testing.TB, s http.Handler, k core.Key, path string, p url.Values) (int, []any) {
	t.Helper()
	p.Set("timestamp", strconv.FormatInt(time.Now().UnixMilli(), 10))
	payload := p.Encode()
	m := hmac.New(sha256.New, []byte(k.Secret))
	m.Write([]byte(payload))
	r := httptest.NewRequest("GET", path+"?"+payload+"&signature="+hex.EncodeToString(m.Sum(nil)), nil)
	r.Header.Set("X-MBX-APIKEY", k.Key)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	var v []any
	_ = json.Unmarshal(w.Body.Bytes(), &v)
	return w.Code, v
}

// Trading needs the permission of the order's market; Binance answers
// -2015 for any refusal of key, IP or permission.
func TestTradePermissionPerMarket(t *testing.T) {
	spotOnly, futOnly, readOnly := key(core.PermRead, core.PermSpot), key(core.PermRead, core.PermFutures), key(core.PermRead)
	expired := key(core.PermRead, core.PermSpot)
	expired.Expires = time.Now().Add(-time.Hour)
	s := newSim(t, spotOnly, futOnly, readOnly, expired)
	fut := limitBuy("BTCUSDT", "0.005", "30000")
	for _, c := range []struct {
		name string
		k    core.Key
		path string
		p    url.Values
		code int
	}{
		{"spot key, spot order", spotOnly, "/api/v3/order", limitBuy("BTCUSDT", "0.001", "30000"), 200},
		{"spot key, futures order", spotOnly, "/fapi/v1/order", fut, 401},
		{"futures key, futures order", futOnly, "/fapi/v1/order", fut, 200},
		{"futures key, spot order", futOnly, "/api/v3/order", limitBuy("BTCUSDT", "0.001", "30000"), 401},
		{"read-only key, spot order", readOnly, "/api/v3/order", limitBuy("BTCUSDT", "0.001", "30000"), 401},
		{"read-only key reads", readOnly, "/api/v3/account", nil, 200},
		{"expired trading authority, order", expired, "/api/v3/order", limitBuy("BTCUSDT", "0.001", "30000"), 401},
		{"expired trading authority, read", expired, "/api/v3/account", nil, 200},
	} {
		code, v := call(t, s, c.k, map[bool]string{true: "POST", false: "GET"}[c.p != nil], c.path, c.p)
		if code != c.code || (c.code == 401 && v["code"] != -2015.0) {
			t.Errorf("%s: %d %v, want %d", c.name, code, v, c.code)
		}
	}
}

func TestOrderRefusals(t *testing.T) {
	k := key(core.PermRead, core.PermSpot, core.PermFutures)
	s := newSim(t, k)
	for _, c := range []struct {
		path string
		p    url.Values
		code float64
	}{
		{"/api/v3/order", limitBuy("BTCUSDT", "0.001", "30000.001"), -1013},
		{"/api/v3/order", limitBuy("BTCUSDT", "0.0000001", "30000"), -1013},
		{"/api/v3/order", limitBuy("BTCUSDT", "0.00001", "30000"), -1013},
		{"/api/v3/order", limitBuy("BTCUSDT", "1", "30000"), -2010},
		{"/api/v3/order", limitBuy("DOGEUSDT", "1", "1"), -1121},
		{"/api/v3/order", limitBuy("BTCUSDT", "1e-3", "30000"), -1100},
		{"/api/v3/order", url.Values{"symbol": {"BTCUSDT"}, "side": {"UP"}, "type": {"LIMIT"}}, -1117},
		{"/api/v3/order", url.Values{"symbol": {"BTCUSDT"}, "side": {"BUY"}, "type": {"LIMIT"}, "quantity": {"1"}, "price": {"1"}}, -1102},
		{"/fapi/v1/order", limitBuy("BTCUSDT", "0.001", "30000"), -4164},
		{"/fapi/v1/order", limitBuy("BTCUSDT", "1", "30000"), -2019},
	} {
		if code, v := call(t, s, k, "POST", c.path, c.p); code != 400 || v["code"] != c.code {
			t.Errorf("%s %v: %d %v, want %v", c.path, c.p, code, v, c.code)
		}
	}
}

func TestUnknownPathIsBinancesHTMLPage(t *testing.T) {
	s := newSim(t)
	for _, p := range []string{"/api/v3/nothing", "/fapi/v9/account", "/"} {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest("GET", p, nil))
		if w.Code != 404 || !strings.Contains(w.Header().Get("Content-Type"), "text/html") || !strings.Contains(w.Body.String(), "<title>Binance</title>") {
			t.Errorf("%s: %d %q %q", p, w.Code, w.Header().Get("Content-Type"), w.Body.String())
		}
	}
}

func TestMarketData(t *testing.T) {
	s := newSim(t)
	get := func(path string) any {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		var v any
		if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil || w.Code != 200 {
			t.Fatalf("%s: %d %s", path, w.Code, w.Body.String())
		}
		return v
	}
	info := get("/api/v3/exchangeInfo").(map[string]any)
	if n := len(info["symbols"].([]any)); n != 2 {
		t.Errorf("spot symbols: %d", n)
	}
	fut := get("/fapi/v1/exchangeInfo").(map[string]any)["symbols"].([]any)[0].(map[string]any)
	if fut["contractType"] != "PERPETUAL" || fut["marginAsset"] != "USDT" {
		t.Errorf("futures symbol: %v", fut)
	}
	if tk := get("/api/v3/ticker/24hr?symbol=ETHUSDT").(map[string]any); tk["lastPrice"] != "3000.00" || tk["bidPrice"] != "2999.99" {
		t.Errorf("ticker: %v", tk)
	}
	if b := get("/fapi/v1/depth?symbol=BTCUSDT&limit=5").(map[string]any); len(b["bids"].([]any)) != 5 {
		t.Errorf("depth: %v", b)
	}
}

// Order parameters come from the client: whatever they are, a signed
// request gets a JSON answer, never a panic.
func FuzzOrderParams(f *testing.F) {
	f.Add("BTCUSDT", "BUY", "LIMIT", "GTC", "0.001", "30000", "")
	f.Add("BTCUSDT", "SELL", "MARKET", "", "0.00001", "", "x")
	f.Add("ETHUSDT", "BUY", "LIMIT_MAKER", "", "99999999999999999999.99999999999999999999", "0.01", "c1")
	k := key(core.PermRead, core.PermSpot, core.PermFutures)
	s := newSim(f, k)
	f.Fuzz(func(t *testing.T, symbol, side, typ, tif, qty, price, client string) {
		p := url.Values{"symbol": {symbol}, "side": {side}, "type": {typ}, "timeInForce": {tif}, "quantity": {qty}, "price": {price}, "newClientOrderId": {client}}
		for _, path := range []string{"/api/v3/order", "/fapi/v1/order"} {
			code, v := call(t, s, k, "POST", path, p)
			if v == nil || (code != 200 && code != 400) {
				t.Fatalf("%s %v: %d %v", path, p, code, v)
			}
		}
	})
}
