package bitmex

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// bxRig is a simulator with one funded key and a signed caller.
type bxRig struct {
	s *core.Sim
	k core.Key
}

func newBitmexRig(t testing.TB, mutate func(*core.Scenario), perms ...string) *bxRig {
	k := sampleBitmex()
	k.Permissions = perms
	k.Balances = map[string]string{"USDT": "10000", "BTC": "0.5"}
	k.FuturesBalances = map[string]string{"USDT": "5000"}
	sc := core.Scenario{Exchange: "bitmex", Keys: []core.Key{k}}
	if mutate != nil {
		mutate(&sc)
	}
	s, err := newSim(sc)
	if err != nil {
		t.Fatal(err)
	}
	return &bxRig{s: s, k: s.Scenario().Keys[0]}
}

// do signs verb + path?query + expires + body; tamper changes the body
// after signing.
func (b *bxRig) do(method, target, body, contentType string, tamper bool) (int, any) {
	expires := strconv.FormatInt(time.Now().Unix()+60, 10)
	sig := bitmexSig(b.k.Secret, method+target+expires+body)
	if tamper {
		body += " "
	}
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	r.Header.Set("api-key", b.k.Key)
	r.Header.Set("api-expires", expires)
	r.Header.Set("api-signature", sig)
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	w := httptest.NewRecorder()
	b.s.ServeHTTP(w, r)
	var v any
	_ = json.Unmarshal(w.Body.Bytes(), &v)
	return w.Code, v
}

func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }
func list(v any) []any         { l, _ := v.([]any); return l }
func errMsg(v any) string      { m, _ := obj(obj(v)["error"])["message"].(string); return m }

func TestBitmexMarketData(t *testing.T) {
	b := newBitmexRig(t, nil, core.PermRead)
	_, v := b.do("GET", "/api/v1/instrument/active", "", "", false)
	if len(list(v)) != 3 {
		t.Fatalf("instruments: %v", v)
	}
	for _, i := range list(v) {
		i := obj(i)
		switch i["symbol"] {
		case "XBT_USDT":
			if i["typ"] != "IFXXXP" || i["underlyingToPositionMultiplier"] != 1e5 || i["lotSize"] != 1.0 {
				t.Errorf("XBT_USDT: %v", i)
			}
		case "XBTUSDT":
			if i["typ"] != "FFWCSX" || i["settlCurrency"] != "USDt" || i["lotSize"] != 1000.0 || i["underlyingToPositionMultiplier"] != 1e6 {
				t.Errorf("XBTUSDT: %v", i)
			}
		}
	}
	_, v = b.do("GET", "/api/v1/orderBook/L2?symbol=XBTUSDT&depth=2", "", "", false)
	if l := list(v); len(l) != 4 || obj(l[0])["side"] != "Sell" || obj(l[0])["price"] != 60000.2 || obj(l[2])["size"] != 500000.0 {
		t.Errorf("L2 book (0.5 BTC is 500000 units): %v", v)
	}
	if status, v := b.do("GET", "/api/v1/nothing", "", "", false); status != 404 || errMsg(v) != "Not Found" {
		t.Errorf("unknown path: %d %v", status, v)
	}
}

func TestBitmexOrderLifecycle(t *testing.T) {
	b := newBitmexRig(t, nil, core.PermSpot, core.PermFutures)
	if _, v := b.do("GET", "/api/v1/user/margin?currency=USDt", "", "", false); obj(v)["walletBalance"] != 15e9 {
		t.Errorf("one USDT wallet for spot and derivatives, in USDt: %v", v)
	}
	status, v := b.do("POST", "/api/v1/order", `{"symbol":"XBTUSDT","side":"Sell","orderQty":5000,"price":90000,"ordType":"Limit"}`, "application/json", false)
	if status != 200 || obj(v)["ordStatus"] != "New" || obj(v)["leavesQty"] != 5000.0 {
		t.Fatalf("create: %d %v", status, v)
	}
	id := obj(v)["orderID"].(string)
	if _, v := b.do("GET", "/api/v1/user/margin?currency=USDt", "", "", false); obj(v)["availableMargin"] != 14955e6 {
		t.Errorf("margin of 0.005 BTC at 90000, 10x: %v", v)
	}
	f := url.QueryEscape(`{"open":true}`)
	if _, v := b.do("GET", "/api/v1/order?symbol=XBTUSDT&filter="+f, "", "", false); len(list(v)) != 1 || first(v)["orderID"] != id {
		t.Errorf("open orders: %v", v)
	}
	if _, v := b.do("DELETE", "/api/v1/order", `{"orderID":"`+id+`"}`, "application/json", false); first(v)["ordStatus"] != "Canceled" {
		t.Errorf("cancel: %v", v)
	}
	if _, v := b.do("DELETE", "/api/v1/order", "orderID="+id, "application/x-www-form-urlencoded", false); !strings.Contains(str(first(v)["error"]), "existing state: Canceled") {
		t.Errorf("cancel twice: %v", v)
	}
	if status, v := b.do("DELETE", "/api/v1/order", `{"orderID":"nope"}`, "application/json", false); status != 404 {
		t.Errorf("cancel unknown: %d %v", status, v)
	}
	// A form-encoded spot market buy fills at the ask.
	if _, v := b.do("POST", "/api/v1/order", "symbol=XBT_USDT&side=Buy&orderQty=1000&ordType=Market", "application/x-www-form-urlencoded", false); obj(v)["ordStatus"] != "Filled" || obj(v)["avgPx"] != 60000.01 {
		t.Errorf("market buy of 0.01 BTC: %v", v)
	}
	for _, tc := range []struct{ body, msg string }{
		{`{"symbol":"XBTUSDT","side":"Buy","orderQty":1500,"price":30000}`, "Invalid orderQty"},
		{`{"symbol":"XBTUSDT","side":"Buy","orderQty":1000,"price":30000.05}`, "Invalid price tickSize"},
		{`{"symbol":"XBT_USDT","side":"Buy","orderQty":100000000,"price":30000}`, "Account has insufficient Available Balance"},
		{`{"symbol":"XBTUSDT","side":"Buy","orderQty":5000,"price":60001,"execInst":"ParticipateDoNotInitiate"}`, "Order had execInst of ParticipateDoNotInitiate"},
		{`{"symbol":"XBTUSD","side":"Buy","orderQty":1}`, "Invalid symbol"},
	} {
		if status, v := b.do("POST", "/api/v1/order", tc.body, "application/json", false); status != 400 || !strings.HasPrefix(errMsg(v), tc.msg) {
			t.Errorf("%s: %d %v, want %s", tc.body, status, v, tc.msg)
		}
	}
}

func str(v any) string { s, _ := v.(string); return s }

func TestBitmexPipeline(t *testing.T) {
	b := newBitmexRig(t, nil, core.PermSpot)
	if status, v := b.do("POST", "/api/v1/order", `{"symbol":"XBT_USDT","side":"Buy","orderQty":100,"price":30000}`, "application/json", true); status != 401 || errMsg(v) != "Signature not valid." {
		t.Errorf("a body changed after signing: %d %v", status, v)
	}
	if status, v := b.do("POST", "/api/v1/order", `{"symbol":"XBTUSDT","side":"Buy","orderQty":5000,"price":30000}`, "application/json", false); status != 403 || errMsg(v) != "Access Denied" {
		t.Errorf("a spot-only key on the perpetual: %d %v", status, v)
	}
	ro := newBitmexRig(t, nil, core.PermRead)
	if status, v := ro.do("POST", "/api/v1/order", `{"symbol":"XBT_USDT","side":"Buy","orderQty":100,"price":30000}`, "application/json", false); status != 403 {
		t.Errorf("a key without order: %d %v", status, v)
	}
	// An exchange clock ahead of the caller's makes api-expires past.
	ahead := newBitmexRig(t, func(sc *core.Scenario) { sc.ClockOffset = core.Duration(2 * time.Minute) }, core.PermSpot)
	if status, v := ahead.do("GET", "/api/v1/user/wallet?currency=all", "", "", false); status != 400 || !strings.HasPrefix(errMsg(v), "This request has expired") {
		t.Errorf("clock behind the exchange: %d %v", status, v)
	}
	behind := newBitmexRig(t, func(sc *core.Scenario) { sc.ClockOffset = core.Duration(-2 * time.Minute) }, core.PermSpot)
	if status, v := behind.do("GET", "/api/v1/user/wallet?currency=all", "", "", false); status != 200 {
		t.Errorf("clock ahead of the exchange (BitMEX sets no upper bound): %d %v", status, v)
	}
	if n := parseOrderID(orderID(1_000_000_042)); n != 1_000_000_042 || parseOrderID("6df4d3c6-cf85-426d-a3c6-00003b9aca01x") != 0 {
		t.Errorf("order ids: %d", n)
	}
}

// Order bodies are outside bytes: any body, signed, as JSON or a form,
// gets BitMEX's JSON with a 2xx or 4xx status and no negative balance.
func FuzzBitmexOrder(f *testing.F) {
	f.Add(`{"symbol":"XBTUSDT","side":"Buy","orderQty":1000,"price":30000}`, false)
	f.Add(`{"symbol":"XBT_USDT","side":"Sell","orderQty":1e30,"ordType":"Market"}`, false)
	f.Add("symbol=XBTUSDT&side=Buy&orderQty=-1&price=NaN&execInst=ReduceOnly,ParticipateDoNotInitiate", true)
	f.Add(`{"orderQty":"9223372036854775808"}`, false)
	b := newBitmexRig(f, nil, core.PermSpot, core.PermFutures)
	f.Fuzz(func(t *testing.T, body string, form bool) {
		ct := "application/json"
		if form {
			ct = "application/x-www-form-urlencoded"
		}
		status, v := b.do("POST", "/api/v1/order", body, ct, false)
		if status >= 500 || v == nil {
			t.Fatalf("%q: %d %v", body, status, v)
		}
		for _, w := range []core.Kind{core.Spot, core.Perpetual} {
			for _, bal := range b.s.State().Accounts().Balances(&b.k, w) {
				if strings.HasPrefix(bal.Free, "-") {
					t.Fatalf("%q: negative balance %+v", body, bal)
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
