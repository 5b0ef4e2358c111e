package coinbase

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/exchangetest"
)

// Every page of accounts is read, and the futures balance summary only
// when the profile trades futures.
func TestBalancePagesAndFutures(t *testing.T) {
	sc := exchangetest.GoodScenario(t, "coinbase", exchanges.Live)
	sc.Keys[0].Balances = map[string]string{}
	for i := range 600 {
		sc.Keys[0].Balances[fmt.Sprintf("C%03d", i)] = "1"
	}
	sc.Keys[0].Balances["ZERO"] = "0"
	sc.Keys[0].FuturesBalances = map[string]string{"USD": "250.5"}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	f := exchangetest.Start(t, adapter(), sc, []exchanges.Market{exchanges.Spot})
	b, err := f.Ex.Balance(ctx, f.Creds)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Assets) != 600 || strings.Join(b.Accounts, ",") != "spot" {
		t.Errorf("spot only: %d assets, accounts %v", len(b.Assets), b.Accounts)
	}
	if n := f.Server.Requests(); n != 3 {
		t.Errorf("%d requests for 601 accounts, want 3 pages of 250", n)
	}

	f = exchangetest.Start(t, adapter(), sc, []exchanges.Market{exchanges.Spot, exchanges.Futures})
	b, err = f.Ex.Balance(ctx, f.Creds)
	if err != nil {
		t.Fatal(err)
	}
	last := b.Assets[len(b.Assets)-1]
	if len(b.Assets) != 601 || last != (exchanges.Asset{Asset: "USD", Free: "250.5", Total: "250.5", Account: "futures"}) {
		t.Errorf("with futures: %d assets, last %+v", len(b.Assets), last)
	}
}

// A cursor that never ends is followed a bounded number of times.
func TestBalanceBoundedPaging(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := n.Add(1)
		fmt.Fprintf(w, `{"accounts":[{"currency":"C%d","available_balance":{"value":"1","currency":"C"}}],"has_next":true,"cursor":"c%d"}`, i, i)
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	creds, _ := sampleCreds(t)
	b, err := New(exchanges.Config{BaseURL: u}).Balance(context.Background(), creds)
	if err != nil {
		t.Fatal(err)
	}
	if n.Load() != maxPages || len(b.Assets) != maxPages || len(b.Notes) != 1 {
		t.Errorf("%d requests, %d assets, notes %v", n.Load(), len(b.Assets), b.Notes)
	}
}

// A futures summary that cannot be read is a note, not a failure.
func TestBalanceFuturesErrorIsANote(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == pathFutures {
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"error":"NOT_FOUND","error_details":"FCM account not found","message":"FCM account not found"}`))
			return
		}
		_, _ = w.Write([]byte(`{"accounts":[{"currency":"BTC","available_balance":{"value":"1","currency":"BTC"}}],"has_next":false,"cursor":""}`))
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	creds, _ := sampleCreds(t)
	b, err := New(exchanges.Config{BaseURL: u, Markets: []exchanges.Market{exchanges.Futures}}).Balance(context.Background(), creds)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Assets) != 1 || len(b.Notes) != 1 || !strings.Contains(b.Notes[0], "FCM account not found") {
		t.Errorf("balance %+v", b)
	}
}
