package core

import (
	"errors"
	"testing"
	"time"
)

func balanceOf(t *testing.T, a *Accounts, k *Key, w Kind, asset string) Balance {
	t.Helper()
	for _, b := range a.Balances(k, w) {
		if b.Asset == asset {
			return b
		}
	}
	return Balance{Asset: asset, Free: "0", Used: "0", Total: "0"}
}

func TestLimitOrderRestsReservesAndCancels(t *testing.T) {
	a := newAccounts()
	k := &Key{Key: "k", Balances: map[string]string{"USDT": "1000", "BTC": "0.5"}}
	now := time.Now()
	o, err := a.Place(k, OrderRequest{Symbol: "BTC/USDT", Side: Buy, Type: Limit, Price: "30000.00", Qty: "0.001", ClientID: "c1"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != Open || o.Filled != "0" || o.ID == 0 {
		t.Errorf("placed %+v", o)
	}
	if b := balanceOf(t, a, k, Spot, "USDT"); b.Free != "970" || b.Used != "30" || b.Total != "1000" {
		t.Errorf("USDT while the buy rests: %+v", b)
	}
	if got, err := a.Find("k", 0, "c1"); err != nil || got.ID != o.ID {
		t.Errorf("by client id: %+v %v", got, err)
	}
	if len(a.Orders("k", "BTC/USDT", true)) != 1 || len(a.Orders("k", "ETH/USDT", true)) != 0 || len(a.Orders("other", "", false)) != 0 {
		t.Error("open orders listed wrong")
	}
	if _, err := a.Place(k, OrderRequest{Symbol: "BTC/USDT", Side: Buy, Type: Limit, Price: "30000.00", Qty: "0.001", ClientID: "c1"}, now); !isReason(err, ReasonDuplicateClientID) {
		t.Errorf("duplicate client id: %v", err)
	}
	c, err := a.Cancel("k", o.ID, "", now)
	if err != nil || c.Status != Canceled {
		t.Fatalf("cancel: %+v %v", c, err)
	}
	if b := balanceOf(t, a, k, Spot, "USDT"); b.Free != "1000" || b.Used != "0" {
		t.Errorf("USDT after cancel: %+v", b)
	}
	if _, err := a.Cancel("k", o.ID, "", now); !errors.Is(err, ErrNotOpen) {
		t.Errorf("second cancel: %v", err)
	}
	if _, err := a.Cancel("k", 42, "", now); !errors.Is(err, ErrNoSuchOrder) {
		t.Errorf("unknown order: %v", err)
	}
	if _, err := a.Find("someone-else", o.ID, ""); !errors.Is(err, ErrNoSuchOrder) {
		t.Errorf("another key found the order: %v", err)
	}
}

func TestMarketOrderFillsAtTheTicker(t *testing.T) {
	a := newAccounts()
	k := &Key{Key: "k", Balances: map[string]string{"USDT": "1000"}}
	o, err := a.Place(k, OrderRequest{Symbol: "BTC/USDT", Side: Buy, Type: MarketOrd, Qty: "0.01"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	// The ask is one tick above the 60000.00 mid.
	if o.Status != Filled || o.Filled != "0.01" || o.AvgPrice != "60000.01" {
		t.Errorf("%+v", o)
	}
	if b := balanceOf(t, a, k, Spot, "USDT"); b.Total != "399.9999" {
		t.Errorf("USDT after buying 0.01 at 60000.01: %+v", b)
	}
	if b := balanceOf(t, a, k, Spot, "BTC"); b.Total != "0.01" || b.Free != "0.01" {
		t.Errorf("BTC: %+v", b)
	}
	// A limit sell below the bid crosses and fills at the bid.
	s, err := a.Place(k, OrderRequest{Symbol: "BTC/USDT", Side: Sell, Type: Limit, Price: "50000.00", Qty: "0.01"}, time.Now())
	if err != nil || s.Status != Filled || s.AvgPrice != "59999.99" {
		t.Errorf("crossing sell: %+v %v", s, err)
	}
	if b := balanceOf(t, a, k, Spot, "USDT"); b.Total != "999.9998" {
		t.Errorf("USDT after the round trip: %+v", b)
	}
}

func TestOrderValidation(t *testing.T) {
	a := newAccounts()
	k := &Key{Key: "k", Balances: map[string]string{"USDT": "100"}, FuturesBalances: map[string]string{"USDT": "20"}}
	for _, c := range []struct {
		req  OrderRequest
		want Reason
	}{
		{OrderRequest{Symbol: "DOGE/USDT", Side: Buy, Type: Limit, Price: "1", Qty: "1"}, ReasonUnknownSymbol},
		{OrderRequest{Symbol: "BTC/USDT", Side: Buy, Type: Limit, Price: "1e3", Qty: "0.001"}, ReasonBadPrice},
		{OrderRequest{Symbol: "BTC/USDT", Side: Buy, Type: Limit, Price: "30000", Qty: "-1"}, ReasonBadQty},
		{OrderRequest{Symbol: "BTC/USDT", Side: Buy, Type: Limit, Price: "30000.001", Qty: "0.001"}, ReasonPriceTick},
		{OrderRequest{Symbol: "BTC/USDT", Side: Buy, Type: Limit, Price: "30000", Qty: "0.000015"}, ReasonQtyStep},
		{OrderRequest{Symbol: "BTC/USDT:USDT", Side: Buy, Type: Limit, Price: "30000", Qty: "0.0001"}, ReasonQtyStep},
		{OrderRequest{Symbol: "BTC/USDT", Side: Buy, Type: Limit, Price: "30000", Qty: "9001"}, ReasonMaxQty},
		{OrderRequest{Symbol: "BTC/USDT", Side: Buy, Type: Limit, Price: "100", Qty: "0.001"}, ReasonMinNotional},
		{OrderRequest{Symbol: "BTC/USDT", Side: Buy, Type: Limit, Price: "30000", Qty: "0.01"}, ReasonInsufficient},
		{OrderRequest{Symbol: "BTC/USDT", Side: Sell, Type: Limit, Price: "90000", Qty: "0.001"}, ReasonInsufficient},
		{OrderRequest{Symbol: "BTC/USDT", Side: Buy, Type: Limit, Price: "70000", Qty: "0.001", PostOnly: true}, ReasonWouldTake},
		{OrderRequest{Symbol: "BTC/USDT:USDT", Side: Buy, Type: Limit, Price: "30000", Qty: "0.01"}, ReasonInsufficient},
	} {
		if _, err := a.Place(k, c.req, time.Now()); !isReason(err, c.want) {
			t.Errorf("%+v: got %v, want reason %d", c.req, err, c.want)
		}
	}
	if len(a.Orders("k", "", false)) != 0 {
		t.Error("a refused order was kept")
	}
	// Perpetual: price × amount / Leverage of margin.
	o, err := a.Place(k, OrderRequest{Symbol: "BTC/USDT:USDT", Side: Sell, Type: Limit, Price: "90000.0", Qty: "0.002"}, time.Now())
	if err != nil || o.Status != Open {
		t.Fatalf("%+v %v", o, err)
	}
	if b := balanceOf(t, a, k, Perpetual, "USDT"); b.Used != "18" || b.Free != "2" {
		t.Errorf("futures USDT: %+v", b)
	}
	if b := balanceOf(t, a, k, Spot, "USDT"); b.Used != "0" {
		t.Errorf("a futures order reserved spot funds: %+v", b)
	}
}

func isReason(err error, r Reason) bool {
	var oe *OrderError
	return errors.As(err, &oe) && oe.Reason == r
}

func TestMarketData(t *testing.T) {
	m, ok := MarketOf("BTC/USDT:USDT")
	if !ok || m.PricePlaces() != 1 || m.QtyPlaces() != 3 {
		t.Fatalf("%+v", m)
	}
	tk := m.Ticker(time.Now())
	if tk.Bid != "59999.9" || tk.Ask != "60000.1" || tk.Last != "60000.0" || tk.Open != "58800.0" {
		t.Errorf("%+v", tk)
	}
	b := m.Book(3, time.Now())
	if len(b.Bids) != 3 || b.Bids[0].Price != "59999.9" || b.Asks[2].Price != "60000.3" || b.Asks[2].Qty != "1.500" {
		t.Errorf("%+v", b)
	}
	if len(MarketsOf(Spot)) != 2 || len(MarketsOf(Perpetual)) != 1 || len(Currencies()) != 3 {
		t.Error("the fixed world changed")
	}
}

// TestReduceOnlyNeedsAPositionToReduce: a reduce-only order skips the
// margin only when it closes part of an opposite position; on spot, or
// with no position, an empty account cannot place it.
func TestReduceOnlyNeedsAPositionToReduce(t *testing.T) {
	a := newAccounts()
	broke := &Key{Key: "broke"}
	for _, sym := range []string{"BTC/USDT", "BTC/USDT:USDT"} {
		req := OrderRequest{Symbol: sym, Side: Sell, Type: Limit, Price: "90000.0", Qty: "0.002", ReduceOnly: true}
		if sym == "BTC/USDT" {
			req.Price = "90000.00"
		}
		if _, err := a.Place(broke, req, time.Now()); !isReason(err, ReasonInsufficient) {
			t.Errorf("%s: a reduce-only order with nothing to reduce, from an empty account: %v", sym, err)
		}
	}
	k := &Key{Key: "k", FuturesBalances: map[string]string{"USDT": "1000"}}
	if _, err := a.Place(k, OrderRequest{Symbol: "BTC/USDT:USDT", Side: Buy, Type: MarketOrd, Qty: "0.002"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	k.FuturesBalances = map[string]string{"USDT": "0"}
	if _, err := a.Place(k, OrderRequest{Symbol: "BTC/USDT:USDT", Side: Sell, Type: Limit, Price: "90000.0", Qty: "0.002", ReduceOnly: true}, time.Now()); err != nil {
		t.Errorf("closing the long with a reduce-only sell: %v", err)
	}
}

func TestUUIDOrderID(t *testing.T) {
	for _, n := range []int64{1, 1000000001, 1 << 40} {
		id := UUIDOrderID("x", n)
		if len(id) != 36 || ParseUUIDOrderID("x", id) != n || ParseUUIDOrderID("y", id) != 0 {
			t.Errorf("%d: %s does not round-trip in its own namespace only", n, id)
		}
	}
	if ParseUUIDOrderID("x", "not-an-id") != 0 {
		t.Error("garbage parsed")
	}
}
