package kraken

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// nonces hands out increasing nonces to a rig's callers.
var testNonce atomic.Uint64

func nextNonce() uint64 {
	testNonce.CompareAndSwap(0, uint64(time.Now().UnixMilli()))
	return testNonce.Add(1)
}

// post signs a private request with form parameters, as ccxt sends them.
func (r *krakenRig) post(method string, form url.Values) ([]string, map[string]any) {
	r.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	n := strconv.FormatUint(nextNonce(), 10)
	form.Set("nonce", n)
	body := form.Encode()
	path := "/0/private/" + method
	key, _ := base64.StdEncoding.DecodeString(r.key.Secret)
	req, _ := http.NewRequest(http.MethodPost, r.srv.URL+path, strings.NewReader(body))
	req.Header.Set("API-Key", r.key.Key)
	req.Header.Set("API-Sign", signForTest(key, path, n, body))
	return r.decode(req)
}

func (r *krakenRig) get(path string) ([]string, map[string]any) {
	r.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, r.srv.URL+path, nil)
	return r.decode(req)
}

func (r *krakenRig) decode(req *http.Request) ([]string, map[string]any) {
	r.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var v struct {
		Error  []string       `json:"error"`
		Result map[string]any `json:"result"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		r.t.Fatalf("%s: not Kraken's JSON: %s", req.URL.Path, b)
	}
	return v.Error, v.Result
}

func TestKrakenMarketData(t *testing.T) {
	r := newKrakenRig(t, nil)
	_, assets := r.get("/0/public/Assets")
	if a := obj(assets["XXBT"]); a["altname"] != "XBT" || assets["USDT"] == nil || assets["XETH"] == nil {
		t.Errorf("Assets: %v", assets)
	}
	_, pairs := r.get("/0/public/AssetPairs")
	p := obj(pairs["XBTUSDT"])
	if p["base"] != "XXBT" || p["quote"] != "USDT" || p["ordermin"] != "0.00001" || p["pair_decimals"] != 2.0 || p["lot_decimals"] != 5.0 {
		t.Errorf("AssetPairs XBTUSDT: %v", p)
	}
	_, tick := r.get("/0/public/Ticker?pair=XBTUSDT")
	if tk := obj(tick["XBTUSDT"]); fmt.Sprint(tk["a"]) != "[60000.01 1 0.25000]" || fmt.Sprint(tk["c"]) != "[60000.00 0.25000]" {
		t.Errorf("Ticker: %v", tick)
	}
	_, depth := r.get("/0/public/Depth?pair=ETHUSDT&count=2")
	if d := obj(depth["ETHUSDT"]); len(list(d["bids"])) != 2 {
		t.Errorf("Depth: %v", depth)
	}
	if errs, _ := r.get("/0/public/Ticker?pair=DOGEUSD"); len(errs) != 1 || errs[0] != "EQuery:Unknown asset pair" {
		t.Errorf("unknown pair: %v", errs)
	}
}

func TestKrakenOrderLifecycle(t *testing.T) {
	r := newKrakenRig(t, func(sc *core.Scenario) {
		sc.Keys[0].Balances = map[string]string{"USDT": "10000", "BTC": "0.5"}
	})
	order := url.Values{"pair": {"XBTUSDT"}, "type": {"buy"}, "ordertype": {"limit"}, "volume": {"0.001"}, "price": {"30000.00"}}
	errs, res := r.post("AddOrder", order)
	if len(errs) != 0 {
		t.Fatalf("AddOrder: %v", errs)
	}
	id := fmt.Sprint(list(res["txid"])...)
	if d := obj(res["descr"])["order"]; d != "buy 0.00100000 XBTUSDT @ limit 30000.00" {
		t.Errorf("descr %q", d)
	}
	_, bal := r.post("BalanceEx", nil)
	if u := obj(bal["USDT"]); u["hold_trade"] != "30.00000000" || u["balance"] != "10000.00000000" {
		t.Errorf("USDT after the order: %v", u)
	}
	_, q := r.post("QueryOrders", url.Values{"txid": {id}})
	if o := q[id].(map[string]any); o["status"] != "open" || o["vol"] != "0.00100000" {
		t.Errorf("QueryOrders: %v", q)
	}
	if _, open := r.post("OpenOrders", nil); len(obj(open["open"])) != 1 {
		t.Errorf("OpenOrders: %v", open)
	}
	if errs, res := r.post("CancelOrder", url.Values{"txid": {id}}); len(errs) != 0 || res["count"] != 1.0 {
		t.Errorf("CancelOrder: %v %v", errs, res)
	}
	if errs, _ := r.post("CancelOrder", url.Values{"txid": {id}}); len(errs) != 1 || errs[0] != "EOrder:Unknown order" {
		t.Errorf("cancelling twice: %v", errs)
	}
	if _, closed := r.post("ClosedOrders", nil); obj(closed["closed"])[id].(map[string]any)["status"] != "canceled" {
		t.Errorf("ClosedOrders: %v", closed)
	}
	// A validate-only order is described and never placed.
	order.Set("validate", "true")
	if errs, res := r.post("AddOrder", order); len(errs) != 0 || res["txid"] != nil {
		t.Errorf("validate: %v %v", errs, res)
	}
	if _, open := r.post("OpenOrders", nil); len(obj(open["open"])) != 0 {
		t.Errorf("a validate-only order rests: %v", open)
	}
	// A market buy fills at the ask.
	if errs, _ := r.post("AddOrder", url.Values{"pair": {"XBTUSDT"}, "type": {"buy"}, "ordertype": {"market"}, "volume": {"0.01"}}); len(errs) != 0 {
		t.Fatalf("market buy: %v", errs)
	}
	if _, bal := r.post("Balance", nil); bal["XXBT"] != "0.5100000000" || bal["USDT"] != "9399.99990000" {
		t.Errorf("balances after the fill: %v", bal)
	}
}

func TestKrakenOrderRefusals(t *testing.T) {
	r := newKrakenRig(t, func(sc *core.Scenario) { sc.Keys[0].Balances = map[string]string{"USDT": "10"} })
	for _, tc := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"pair": {"XBTUSDT"}, "type": {"buy"}, "ordertype": {"limit"}, "volume": {"0.001"}, "price": {"30000"}}, "EOrder:Insufficient funds"},
		{url.Values{"pair": {"XBTUSDT"}, "type": {"buy"}, "ordertype": {"limit"}, "volume": {"0.000001"}, "price": {"30000"}}, "EGeneral:Invalid arguments:volume"},
		{url.Values{"pair": {"XBTUSDT"}, "type": {"buy"}, "ordertype": {"limit"}, "volume": {"0.0001"}, "price": {"1"}}, "EOrder:Cost minimum not met"},
		{url.Values{"pair": {"XBTUSDT"}, "type": {"buy"}, "ordertype": {"stop-loss"}, "volume": {"0.0001"}, "price": {"1"}}, "EGeneral:Invalid arguments:ordertype"},
		{url.Values{"pair": {"NOPE"}, "type": {"buy"}, "ordertype": {"limit"}}, "EQuery:Unknown asset pair"},
	} {
		if errs, _ := r.post("AddOrder", tc.form); len(errs) != 1 || errs[0] != tc.want {
			t.Errorf("%v: %v, want %s", tc.form, errs, tc.want)
		}
	}
	ro := newKrakenRig(t, func(sc *core.Scenario) { sc.Keys[0].Permissions = []string{core.PermRead} })
	if errs, _ := ro.post("AddOrder", url.Values{"pair": {"XBTUSDT"}, "type": {"buy"}, "ordertype": {"limit"}, "volume": {"0.001"}, "price": {"30000"}}); len(errs) != 1 || errs[0] != "EGeneral:Permission denied" {
		t.Errorf("read-only key: %v", errs)
	}
}

func TestKrakenTxid(t *testing.T) {
	for _, n := range []int64{1, 1_000_000_001, 1<<40 + 7} {
		id := txid(n)
		if len(id) != 19 || id[0] != 'O' || id[6] != '-' || id[12] != '-' || parseTxid(id) != n {
			t.Errorf("txid(%d) = %s, parsed back %d", n, id, parseTxid(id))
		}
	}
	if parseTxid("OAAAAA-AAAAA-AAAAAA") != 0 || parseTxid("") != 0 {
		t.Error("a txid the simulator did not make was parsed")
	}
}

// AddOrder's form is outside bytes: any form, signed, gets Kraken's JSON
// and never a negative balance.
func FuzzKrakenAddOrder(f *testing.F) {
	f.Add("pair=XBTUSDT&type=buy&ordertype=limit&volume=0.001&price=30000")
	f.Add("pair=ETHUSDT&type=sell&ordertype=market&volume=1e3")
	f.Add("pair=XBTUSDT&type=buy&ordertype=limit&volume=-1&price=0&oflags=post,viqc&timeinforce=IOC")
	f.Add("%zz=&&&")
	f.Fuzz(func(t *testing.T, form string) {
		k := sampleKraken()
		k.Permissions = []string{core.PermRead, core.PermSpot}
		k.Balances = map[string]string{"USDT": "100", "BTC": "0.01"}
		s, err := newSim(core.Scenario{Exchange: "kraken", Keys: []core.Key{k}})
		if err != nil {
			t.Fatal(err)
		}
		body := "nonce=1&" + form
		key, _ := base64.StdEncoding.DecodeString(k.Secret)
		r, _ := http.NewRequest(http.MethodPost, "/0/private/AddOrder", strings.NewReader(body))
		r.Header.Set("API-Key", k.Key)
		r.Header.Set("API-Sign", signForTest(key, "/0/private/AddOrder", "1", body))
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != 200 || !json.Valid(w.Body.Bytes()) {
			t.Fatalf("%q: %d %s", form, w.Code, w.Body)
		}
		for _, b := range s.State().Accounts().Balances(&k, core.Spot) {
			if strings.HasPrefix(b.Free, "-") {
				t.Fatalf("%q: negative balance %+v", form, b)
			}
		}
	})
}

func list(v any) []any         { l, _ := v.([]any); return l }
func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }
