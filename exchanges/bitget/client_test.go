package bitget

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/exchangetest"
	"github.com/keywarden/keywarden/exchanges/sim"
)

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return c
}

// A demo key on live Bitget, and a live key in demo trading, are answered
// 40099 and reported as the wrong environment.
func TestWrongEnvironment(t *testing.T) {
	for _, tc := range []struct{ key, adapter exchanges.Environment }{
		{exchanges.Demo, exchanges.Live},
		{exchanges.Live, exchanges.Demo},
	} {
		t.Run(string(tc.key)+" key on "+string(tc.adapter), func(t *testing.T) {
			sc := exchangetest.GoodScenario(t, "bitget", tc.adapter)
			sc.Keys[0].Environment = tc.key
			srv, err := sim.Listen(sc, "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			u, _ := url.Parse(srv.URL)
			ex := New(exchanges.Config{Environment: tc.adapter, BaseURL: u})
			_, err = ex.KeyInfo(ctx(t), exchangetest.CredsOf(sc.Keys[0]))
			if !errors.Is(err, exchanges.ErrWrongEnvironment) {
				t.Fatalf("got %v, want ErrWrongEnvironment", err)
			}
			if e, _ := exchanges.AsError(err); !strings.Contains(strings.ToLower(e.Cause), "is a "+string(tc.key)) {
				t.Errorf("cause %q does not name the key's environment", e.Cause)
			}
		})
	}
}

// Without a status endpoint, Status says so, and turns Bitget's upgrade
// answer into maintenance.
func TestStatus(t *testing.T) {
	for _, tc := range []struct {
		mode string
		want exchanges.StatusState
	}{{"", exchanges.StatusUnknown}, {"ongoing", exchanges.StatusMaintenance}} {
		t.Run("maintenance="+tc.mode, func(t *testing.T) {
			sc := exchangetest.GoodScenario(t, "bitget", exchanges.Live)
			sc.Maintenance = tc.mode
			f := exchangetest.Start(t, exchanges.Adapter{Info: Info, New: New}, sc, nil)
			s, err := f.Ex.Status(ctx(t))
			if err != nil || s.State != tc.want || s.Message == "" {
				t.Fatalf("status %+v, %v; want %v", s, err, tc.want)
			}
			if _, err := f.Ex.KeyInfo(ctx(t), f.Creds); tc.mode == "ongoing" && !errors.Is(err, exchanges.ErrUnavailable) {
				t.Errorf("KeyInfo during maintenance: %v", err)
			}
		})
	}
}

// Futures profiles read the USDT-M futures account too; a futures account
// the key may not read becomes a note, not a failure.
func TestBalanceFutures(t *testing.T) {
	sc := exchangetest.GoodScenario(t, "bitget", exchanges.Live)
	f := exchangetest.Start(t, exchanges.Adapter{Info: Info, New: New}, sc, []exchanges.Market{exchanges.Spot, exchanges.Futures})
	b, err := f.Ex.Balance(ctx(t), f.Creds)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Accounts) != 2 || b.Accounts[1] != "futures" || len(b.Notes) != 0 {
		t.Fatalf("balance %+v", b)
	}
	sc.Keys[0].Permissions = []string{sim.PermSpot}
	f = exchangetest.Start(t, exchanges.Adapter{Info: Info, New: New}, sc, []exchanges.Market{exchanges.Spot, exchanges.Futures})
	b, err = f.Ex.Balance(ctx(t), f.Creds)
	if err != nil || len(b.Notes) != 1 || len(b.Accounts) != 1 {
		t.Fatalf("balance %+v, %v", b, err)
	}
}

// The request carries Bitget's headers; demo adds paptrading on private
// requests, and the query is signed as sent.
func TestRequestShape(t *testing.T) {
	var got http.Header
	var query string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v2/mix/account/accounts" {
			got, query = r.Header.Clone(), r.URL.RawQuery
		}
		_, _ = w.Write([]byte(`{"code":"00000","msg":"success","data":[]}`))
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	now := time.UnixMilli(1659076670000)
	ex := New(exchanges.Config{Environment: exchanges.Demo, BaseURL: u, Markets: []exchanges.Market{exchanges.Futures}, Now: func() time.Time { return now }})
	if _, err := ex.Balance(ctx(t), exchanges.Credentials{Key: "bg_k", Secret: exchanges.NewSecret("secret"), Passphrase: exchanges.NewSecret("pass")}); err != nil {
		t.Fatal(err)
	}
	want := Sign([]byte("secret"), "1659076670000GET/api/v2/mix/account/accounts?productType=USDT-FUTURES")
	if query != "productType=USDT-FUTURES" || got.Get("ACCESS-SIGN") != want || got.Get("ACCESS-TIMESTAMP") != "1659076670000" ||
		got.Get("ACCESS-PASSPHRASE") != "pass" || got.Get("paptrading") != "1" || got.Get("ACCESS-KEY") != "bg_k" {
		t.Errorf("query %q headers %v", query, got)
	}
}
