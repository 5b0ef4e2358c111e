package gate

import (
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// gtRig is a simulator with one funded key and a signed caller.
type gtRig struct {
	s *core.Sim
	k core.Key
}

func newGateRig(t testing.TB, perms ...string) *gtRig {
	k := sampleGate()
	k.Permissions = perms
	k.Balances = map[string]string{"USDT": "10000", "BTC": "0.5"}
	k.FuturesBalances = map[string]string{"USDT": "5000"}
	s, err := newSim(core.Scenario{Exchange: "gate", Keys: []core.Key{k}})
	if err != nil {
		t.Fatal(err)
	}
	return &gtRig{s: s, k: s.Scenario().Keys[0]}
}

// do sends a request signed as Gate's docs and ccxt sign it; it returns
// the status and the decoded body (any JSON).
func (g *gtRig) do(method, path, query, body string) (int, any) {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	h := sha512.Sum512([]byte(body))
	msg := method + "\n" + path + "\n" + query + "\n" + hex.EncodeToString(h[:]) + "\n" + ts
	target := path
	if query != "" {
		target += "?" + query
	}
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	r.Header.Set("KEY", g.k.Key)
	r.Header.Set("Timestamp", ts)
	r.Header.Set("SIGN", gateHMAC(g.k.Secret, msg))
	w := httptest.NewRecorder()
	g.s.ServeHTTP(w, r)
	var v any
	_ = json.Unmarshal(w.Body.Bytes(), &v)
	return w.Code, v
}

func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }
func list(v any) []any         { l, _ := v.([]any); return l }

func TestGateMarketData(t *testing.T) {
	g := newGateRig(t, core.PermRead)
	_, pairs := g.do("GET", "/api/v4/spot/currency_pairs", "", "")
	if p := first(pairs); p["id"] != "BTC_USDT" || p["amount_precision"] != 5.0 || p["min_quote_amount"] != "5" {
		t.Errorf("currency_pairs: %v", pairs)
	}
	_, cs := g.do("GET", "/api/v4/futures/usdt/contracts", "", "")
	if c := first(cs); c["name"] != "BTC_USDT" || c["quanto_multiplier"] != "0.001" || c["order_size_min"] != 1.0 || c["order_size_max"] != 1e6 {
		t.Errorf("contracts: %v", cs)
	}
	if _, v := g.do("GET", "/api/v4/futures/btc/contracts", "", ""); len(list(v)) != 0 {
		t.Errorf("BTC-settled contracts: %v", v)
	}
	if _, v := g.do("GET", "/api/v4/spot/tickers", "currency_pair=ETH_USDT", ""); first(v)["highest_bid"] != "2999.99" {
		t.Errorf("spot ticker: %v", v)
	}
	if _, v := g.do("GET", "/api/v4/futures/usdt/order_book", "contract=BTC_USDT&limit=2", ""); first(obj(v)["asks"])["s"] != 500.0 {
		t.Errorf("futures book (0.5 BTC is 500 contracts): %v", v)
	}
	if status, v := g.do("GET", "/api/v4/spot/tickers", "currency_pair=NOPE", ""); status != 400 || obj(v)["label"] != "INVALID_CURRENCY_PAIR" {
		t.Errorf("unknown pair: %d %v", status, v)
	}
}

func TestGateSpotOrderLifecycle(t *testing.T) {
	g := newGateRig(t, core.PermRead, core.PermSpot)
	status, v := g.do("POST", "/api/v4/spot/orders", "", `{"currency_pair":"BTC_USDT","type":"limit","account":"spot","side":"buy","amount":"0.001","price":"30000","text":"t-abc"}`)
	if status != 201 || obj(v)["status"] != "open" || obj(v)["left"] != "0.001" {
		t.Fatalf("create: %d %v", status, v)
	}
	id := obj(v)["id"].(string)
	if _, v := g.do("GET", "/api/v4/spot/orders/t-abc", "currency_pair=BTC_USDT", ""); obj(v)["id"] != id {
		t.Errorf("fetch by text: %v", v)
	}
	if _, v := g.do("GET", "/api/v4/spot/accounts", "currency=USDT", ""); first(v)["locked"] != "30" {
		t.Errorf("USDT locked by the order: %v", v)
	}
	if _, v := g.do("GET", "/api/v4/spot/open_orders", "", ""); len(list(first(v)["orders"])) != 1 {
		t.Errorf("open orders: %v", v)
	}
	if _, v := g.do("DELETE", "/api/v4/spot/orders/"+id, "currency_pair=BTC_USDT", ""); obj(v)["status"] != "cancelled" || obj(v)["finish_as"] != "cancelled" {
		t.Errorf("cancel: %v", v)
	}
	if status, v := g.do("DELETE", "/api/v4/spot/orders/"+id, "currency_pair=BTC_USDT", ""); status != 400 || obj(v)["label"] != "ORDER_CANCELLED" {
		t.Errorf("cancel twice: %d %v", status, v)
	}
	// A market buy's amount is its cost in USDT.
	_, v = g.do("POST", "/api/v4/spot/orders", "", `{"currency_pair":"BTC_USDT","type":"market","side":"buy","amount":"600.0001","time_in_force":"ioc"}`)
	if obj(v)["status"] != "closed" || obj(v)["filled_amount"] != "0.01" {
		t.Errorf("market buy: %v", v)
	}
	for _, tc := range []struct{ body, label string }{
		{`{"currency_pair":"BTC_USDT","type":"limit","side":"buy","amount":"1","price":"30000"}`, "BALANCE_NOT_ENOUGH"},
		{`{"currency_pair":"BTC_USDT","type":"limit","side":"buy","amount":"0.001","price":"60001","time_in_force":"poc"}`, "POC_FILL_IMMEDIATELY"},
		{`{"currency_pair":"BTC_USDT","type":"limit","side":"buy","amount":"0.0000001","price":"30000"}`, "INVALID_PRECISION"},
		{`{"currency_pair":"BTC_USDT","type":"limit","side":"buy","amount":"0.001","price":"30000","text":"no-prefix"}`, "INVALID_PARAM_VALUE"},
		{`{`, "INVALID_REQUEST_BODY"},
	} {
		if status, v := g.do("POST", "/api/v4/spot/orders", "", tc.body); status != 400 || obj(v)["label"] != tc.label {
			t.Errorf("%s: %d %v, want %s", tc.body, status, v, tc.label)
		}
	}
}

func TestGateFuturesOrderLifecycle(t *testing.T) {
	g := newGateRig(t, core.PermRead, core.PermFutures)
	if _, v := g.do("GET", "/api/v4/futures/usdt/accounts", "", ""); obj(v)["total"] != "5000" || obj(v)["available"] != "5000" {
		t.Errorf("futures account: %v", v)
	}
	status, v := g.do("POST", "/api/v4/futures/usdt/orders", "", `{"contract":"BTC_USDT","size":-5,"price":"90000","tif":"gtc","settle":"usdt"}`)
	if status != 201 || obj(v)["size"] != -5.0 || obj(v)["status"] != "open" {
		t.Fatalf("create a 5-contract sell: %d %v", status, v)
	}
	id := strconv.FormatFloat(obj(v)["id"].(float64), 'f', 0, 64)
	if _, v := g.do("GET", "/api/v4/futures/usdt/accounts", "", ""); obj(v)["order_margin"] != "45" {
		t.Errorf("margin of 0.005 BTC at 90000, 10x: %v", v)
	}
	if _, v := g.do("GET", "/api/v4/futures/usdt/orders", "contract=BTC_USDT&status=open", ""); len(list(v)) != 1 {
		t.Errorf("open futures orders: %v", v)
	}
	if _, v := g.do("DELETE", "/api/v4/futures/usdt/orders/"+id, "", ""); obj(v)["finish_as"] != "cancelled" || obj(v)["status"] != "finished" {
		t.Errorf("cancel: %v", v)
	}
	// A market order (price 0, ioc) fills and opens a position.
	if _, v := g.do("POST", "/api/v4/futures/usdt/orders", "", `{"contract":"BTC_USDT","size":2,"price":"0","tif":"ioc"}`); obj(v)["finish_as"] != "filled" {
		t.Errorf("market order: %v", v)
	}
	if _, v := g.do("GET", "/api/v4/futures/usdt/positions", "", ""); first(v)["size"] != 2.0 {
		t.Errorf("position: %v", v)
	}
	if _, v := g.do("POST", "/api/v4/futures/usdt/orders", "", `{"contract":"BTC_USDT","size":0,"close":true,"price":"0","tif":"ioc"}`); obj(v)["size"] != -2.0 {
		t.Errorf("close: %v", v)
	}
	if _, v := g.do("GET", "/api/v4/futures/usdt/positions", "", ""); len(list(v)) != 0 {
		t.Errorf("after closing: %v", v)
	}
}

// Trading needs the market's group read and write: read-only is
// READ_ONLY, absent is FORBIDDEN.
func TestGateTradePermissions(t *testing.T) {
	for _, tc := range []struct {
		perms []string
		path  string
		label string
	}{
		{[]string{core.PermRead}, "/api/v4/spot/orders", "READ_ONLY"},
		{[]string{core.PermRead, core.PermSpot}, "/api/v4/futures/usdt/orders", "READ_ONLY"},
		{[]string{core.PermFutures}, "/api/v4/spot/orders", "FORBIDDEN"},
	} {
		g := newGateRig(t, tc.perms...)
		if status, v := g.do("POST", tc.path, "", `{}`); status != 403 || obj(v)["label"] != tc.label {
			t.Errorf("%v on %s: %d %v, want %s", tc.perms, tc.path, status, v, tc.label)
		}
	}
}

// Order bodies are outside bytes: any body, signed, gets Gate's JSON with
// a 2xx or 4xx status and leaves no balance negative.
func FuzzGateOrders(f *testing.F) {
	f.Add(true, `{"currency_pair":"BTC_USDT","type":"limit","side":"buy","amount":"0.001","price":"30000"}`)
	f.Add(true, `{"currency_pair":"BTC_USDT","type":"market","side":"buy","amount":"1e9","time_in_force":"ioc"}`)
	f.Add(false, `{"contract":"BTC_USDT","size":-9223372036854775808,"price":"0","tif":"ioc","close":true}`)
	f.Add(false, `{"contract":"BTC_USDT","size":1.5,"price":"-1"}`)
	g := newGateRig(f, core.PermRead, core.PermSpot, core.PermFutures)
	f.Fuzz(func(t *testing.T, spot bool, body string) {
		path := "/api/v4/futures/usdt/orders"
		if spot {
			path = "/api/v4/spot/orders"
		}
		status, v := g.do("POST", path, "", body)
		if status >= 500 || v == nil {
			t.Fatalf("%q: %d %v", body, status, v)
		}
		for _, w := range []core.Kind{core.Spot, core.Perpetual} {
			for _, b := range g.s.State().Accounts().Balances(&g.k, w) {
				if strings.HasPrefix(b.Free, "-") {
					t.Fatalf("%q: negative balance %+v", body, b)
				}
			}
		}
	})
}

// first is a list's first object, nil when there is none.
func first(v any) map[string]any {
	if l := list(v); len(l) > 0 {
		return obj(l[0])
	}
	return nil
}
