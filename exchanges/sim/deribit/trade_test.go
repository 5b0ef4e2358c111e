package deribit

import (
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

// dbRig is a simulator with one funded key and a caller signing every
// private call with the deri-hmac-sha256 header, as ccxt does.
type dbRig struct {
	s *core.Sim
	k core.Key
}

func newDeribitRig(t testing.TB, perms ...string) *dbRig {
	k := sampleDeribit()
	k.Permissions = perms
	k.Balances = map[string]string{"USDT": "10000", "BTC": "0.5"}
	k.FuturesBalances = map[string]string{"USDT": "5000"}
	s, err := newSim(core.Scenario{Exchange: "deribit", Keys: []core.Key{k}})
	if err != nil {
		t.Fatal(err)
	}
	return &dbRig{s: s, k: s.Scenario().Keys[0]}
}

func (d *dbRig) call(method string, q url.Values) (int, map[string]any) {
	uri := "/api/v2/" + method
	if len(q) > 0 {
		uri += "?" + q.Encode()
	}
	r := httptest.NewRequest(http.MethodGet, uri, nil)
	if strings.HasPrefix(method, "private/") {
		ts := strconv.FormatInt(time.Now().UnixMilli(), 10)
		sig := deribitHMACHex(d.k.Secret, ts+"\nn\nGET\n"+uri+"\n\n")
		r.Header.Set("Authorization", "deri-hmac-sha256 id="+d.k.Key+",ts="+ts+",sig="+sig+",nonce=n")
	}
	w := httptest.NewRecorder()
	d.s.ServeHTTP(w, r)
	var v map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &v)
	return w.Code, v
}

func res(v map[string]any) map[string]any { return obj(v["result"]) }

func TestDeribitMarketData(t *testing.T) {
	d := newDeribitRig(t, core.PermRead)
	_, v := d.call("public/get_instruments", nil)
	insts := list(v["result"])
	if len(insts) != 2 {
		t.Fatalf("instruments: %v", v)
	}
	if i := obj(insts[0]); i["instrument_name"] != "BTC_USDT" || i["kind"] != "spot" || i["min_trade_amount"] != 0.00001 || i["tick_size"] != 0.01 {
		t.Errorf("BTC_USDT: %v", i)
	}
	if _, v := d.call("public/get_instruments", url.Values{"currency": {"ETH"}, "kind": {"spot"}}); len(list(v["result"])) != 1 {
		t.Errorf("ETH instruments: %v", v)
	}
	if _, v := d.call("public/ticker", url.Values{"instrument_name": {"BTC_USDT"}}); res(v)["best_ask_price"] != 60000.01 || res(v)["last_price"] != 60000.0 {
		t.Errorf("ticker: %v", v)
	}
	if _, v := d.call("public/get_order_book", url.Values{"instrument_name": {"ETH_USDT"}, "depth": {"3"}}); len(list(res(v)["bids"])) != 3 {
		t.Errorf("book: %v", v)
	}
	if _, v := d.call("public/get_currencies", nil); len(list(v["result"])) != 3 {
		t.Errorf("currencies: %v", v)
	}
	if _, v := d.call("public/ticker", url.Values{"instrument_name": {"BTC-PERPETUAL"}}); deribitErrCode(v) != -32602 {
		t.Errorf("unknown instrument: %v", v)
	}
	if status, v := d.call("public/nothing", nil); status != 400 || deribitErrCode(v) != -32601 {
		t.Errorf("unknown method: %d %v", status, v)
	}
}

func TestDeribitOrderLifecycle(t *testing.T) {
	d := newDeribitRig(t, core.PermRead, core.PermSpot)
	_, v := d.call("private/get_account_summaries", nil)
	for _, s := range list(res(v)["summaries"]) {
		if s := obj(s); s["currency"] == "USDT" && s["equity"] != 15000.0 {
			t.Errorf("USDT summary holds both wallets: %v", s)
		}
	}
	_, v = d.call("private/buy", url.Values{"instrument_name": {"BTC_USDT"}, "amount": {"0.001"}, "type": {"limit"}, "price": {"30000"}})
	o := obj(res(v)["order"])
	if o["order_state"] != "open" || o["order_id"] != "BTC-1000000001" {
		t.Fatalf("buy: %v", v)
	}
	if _, v := d.call("private/get_account_summary", url.Values{"currency": {"USDT"}}); res(v)["available_funds"] != 14970.0 {
		t.Errorf("available after a 30 USDT order: %v", v)
	}
	if _, v := d.call("private/get_order_state", url.Values{"order_id": {"BTC-1000000001"}}); res(v)["price"] != 30000.0 {
		t.Errorf("order state: %v", v)
	}
	if _, v := d.call("private/get_open_orders_by_instrument", url.Values{"instrument_name": {"BTC_USDT"}}); len(list(v["result"])) != 1 {
		t.Errorf("open orders: %v", v)
	}
	if _, v := d.call("private/cancel", url.Values{"order_id": {"BTC-1000000001"}}); res(v)["order_state"] != "cancelled" {
		t.Errorf("cancel: %v", v)
	}
	if _, v := d.call("private/cancel", url.Values{"order_id": {"BTC-1000000001"}}); deribitErrCode(v) != 10010 {
		t.Errorf("cancel twice: %v", v)
	}
	if _, v := d.call("private/get_order_state", url.Values{"order_id": {"ETH-1000000001"}}); deribitErrCode(v) != 10004 {
		t.Errorf("an id of the wrong currency: %v", v)
	}
	if _, v := d.call("private/sell", url.Values{"instrument_name": {"BTC_USDT"}, "amount": {"5"}, "type": {"limit"}, "price": {"90000"}}); deribitErrCode(v) != 10009 {
		t.Errorf("selling more BTC than held: %v", v)
	}
	if _, v := d.call("private/buy", url.Values{"instrument_name": {"BTC_USDT"}, "amount": {"0.001"}, "type": {"stop_limit"}}); deribitErrCode(v) != -32602 {
		t.Errorf("stop orders are not simulated: %v", v)
	}
	// Without trade:read_write the scope refuses (13021).
	ro := newDeribitRig(t, core.PermRead)
	if _, v := ro.call("private/buy", url.Values{"instrument_name": {"BTC_USDT"}, "amount": {"0.001"}, "price": {"30000"}}); deribitErrCode(v) != 13021 {
		t.Errorf("read-only key: %v", v)
	}
	// A futures-only key trades no spot.
	fo := newDeribitRig(t, core.PermRead, core.PermFutures)
	if _, v := fo.call("private/buy", url.Values{"instrument_name": {"BTC_USDT"}, "amount": {"0.001"}, "price": {"30000"}}); deribitErrCode(v) != 13021 {
		t.Errorf("futures-only key on spot: %v", v)
	}
}

// The buy parameters are outside bytes: any query, signed, gets Deribit's
// JSON-RPC answer and never a negative balance.
func FuzzDeribitBuy(f *testing.F) {
	f.Add("instrument_name=BTC_USDT&amount=0.001&type=limit&price=30000")
	f.Add("instrument_name=ETH_USDT&amount=1e9&type=market&time_in_force=fill_or_kill")
	f.Add("instrument_name=BTC_USDT&amount=-0&price=NaN&post_only=true")
	f.Add("%zz")
	d := newDeribitRig(f, core.PermRead, core.PermSpot)
	f.Fuzz(func(t *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		status, v := d.call("private/buy", q)
		if status >= 500 || v["jsonrpc"] != "2.0" {
			t.Fatalf("%q: %d %v", query, status, v)
		}
		for _, b := range d.s.State().Accounts().Balances(&d.k, core.Spot) {
			if strings.HasPrefix(b.Free, "-") {
				t.Fatalf("%q: negative balance %+v", query, b)
			}
		}
	})
}

func list(v any) []any { l, _ := v.([]any); return l }

func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }
