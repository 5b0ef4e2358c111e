package deribit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
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

func scenario(t *testing.T, perms ...string) sim.Scenario {
	sc := exchangetest.GoodScenario(t, "deribit", exchanges.Live)
	if perms != nil {
		sc.Keys[0].Permissions = perms
	}
	return sc
}

// serve runs the simulator behind wrap (nil: as is) on 127.0.0.1 and
// returns an adapter pointed at it.
func serve(t *testing.T, sc sim.Scenario, hc *http.Client, wrap func(http.Handler) http.Handler) exchanges.Exchange {
	t.Helper()
	s, err := sim.New(sc)
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = s
	if wrap != nil {
		h = wrap(s)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	return New(exchanges.Config{Environment: sc.Environment, BaseURL: u, HTTP: hc, Markets: []exchanges.Market{exchanges.Futures}})
}

// A wrong Client Secret is reported as a refused Client ID / Client Secret
// pair, with the reason the two cannot be told apart; the clock is ruled
// out first.
func TestWrongSecret(t *testing.T) {
	sc := scenario(t)
	creds := exchangetest.CredsOf(sc.Keys[0])
	creds.Secret = exchanges.NewSecret(strings.Repeat("A", 43))
	f := exchangetest.Start(t, adapter(), sc, []exchanges.Market{exchanges.Futures})
	_, err := f.Ex.KeyInfo(ctx(t), creds)
	e, ok := exchanges.AsError(err)
	if !ok || !errors.Is(err, exchanges.ErrBadKey) || e.Code != "13004" || !strings.Contains(e.Cause, "wrong Client Secret") {
		t.Fatalf("got %v", err)
	}
	exchangetest.NoSecretIn(t, err.Error(), creds)
}

// A clock behind by more than 60 s is named as the cause.
func TestClockBehind(t *testing.T) {
	sc := scenario(t)
	sc.ClockOffset = sim.Duration(75 * time.Second)
	f := exchangetest.Start(t, adapter(), sc, []exchanges.Market{exchanges.Futures})
	_, err := f.Ex.Balance(ctx(t), f.Creds)
	if e, _ := exchanges.AsError(err); !errors.Is(err, exchanges.ErrClockSkew) || !strings.Contains(e.Cause, "behind") {
		t.Fatalf("got %v", err)
	}
}

// Every fact of a key with an IP whitelist, read from list_api_keys; the
// Client Secrets in that answer (this key's and the others') are kept
// nowhere.
func TestKeyInfoFromList(t *testing.T) {
	sc := scenario(t, sim.PermRead, sim.PermFutures)
	sc.Keys[0].IPs = []string{sim.DefaultClientIP, "198.51.100.0/24"}
	sc.Keys[0].Label = "bot-1"
	other, _ := sim.SampleKey("deribit")
	other.Permissions = []string{sim.PermRead, sim.PermWithdraw}
	sc.Keys = append(sc.Keys, other)
	f := exchangetest.Start(t, adapter(), sc, []exchanges.Market{exchanges.Futures})
	ki, err := f.Ex.KeyInfo(ctx(t), f.Creds)
	if err != nil {
		t.Fatal(err)
	}
	if ki.Read != exchanges.Yes || ki.TradeFor(exchanges.Futures) != exchanges.Yes || ki.Withdraw != exchanges.No || ki.Transfer != exchanges.No {
		t.Errorf("permissions: %+v", ki)
	}
	if ki.IPRestricted != exchanges.Yes || !ki.IPListKnown || strings.Join(ki.IPs, ",") != sim.DefaultClientIP+",198.51.100.0/24" {
		t.Errorf("ip whitelist: %+v", ki)
	}
	if !ki.Created.Equal(f.Key.Created) || !ki.ExpiryKnown || !ki.Expires.IsZero() || ki.Label != "bot-1" {
		t.Errorf("dates/label: created %v want %v, %+v", ki.Created, f.Key.Created, ki)
	}
	bal, err := f.Ex.Balance(ctx(t), f.Creds)
	if err != nil {
		t.Fatal(err)
	}
	all := fmt.Sprintf("%+v %#v %+v %#v", ki, ki, bal, bal)
	for _, s := range []string{f.Key.Secret, other.Secret} {
		if strings.Contains(all, s) {
			t.Errorf("a Client Secret was kept in the facts")
		}
	}
	if len(bal.Assets) != 2 || bal.Accounts[0] != "main account" {
		t.Errorf("balance: %+v", bal)
	}
}

// Without account:read, list_api_keys and the summaries are refused: the
// login's scope still tells the permissions, and the balance is a
// permission error.
func TestKeyWithoutAccountRead(t *testing.T) {
	f := exchangetest.Start(t, adapter(), scenario(t, sim.PermFutures), []exchanges.Market{exchanges.Futures})
	ki, err := f.Ex.KeyInfo(ctx(t), f.Creds)
	if err != nil {
		t.Fatal(err)
	}
	if ki.Read != exchanges.No || ki.TradeFor(exchanges.Futures) != exchanges.Yes || ki.Withdraw != exchanges.No || ki.IPListKnown {
		t.Errorf("facts from the token scope: %+v", ki)
	}
	if _, err := f.Ex.Balance(ctx(t), f.Creds); !errors.Is(err, exchanges.ErrPermission) {
		t.Errorf("balance: got %v, want ErrPermission", err)
	}
}

// When Deribit asks for a security-key confirmation before listing keys,
// the login's scope is used and the whitelist stays unknown.
func TestListKeysNeedsSecurityKey(t *testing.T) {
	tfa := readTestdata(t, "list_api_keys_tfa.json")
	sc := scenario(t)
	ex := serve(t, sc, nil, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/v2/private/list_api_keys" {
				_, _ = w.Write(tfa)
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	ki, err := ex.KeyInfo(ctx(t), exchangetest.CredsOf(sc.Keys[0]))
	if err != nil {
		t.Fatal(err)
	}
	if ki.IPListKnown || ki.IPRestricted != exchanges.Unknown || ki.TradeFor(exchanges.Futures) != exchanges.Yes || ki.Withdraw != exchanges.No {
		t.Errorf("facts: %+v", ki)
	}
	if !strings.Contains(strings.Join(ki.Evidence, " "), "security-key") {
		t.Errorf("evidence does not say why: %v", ki.Evidence)
	}
}

// KeyInfo and Balance run concurrently in a health check: they share one
// login, and its token (session-scoped) works on any connection, even
// with keep-alives off.
func TestOneLoginAcrossConnections(t *testing.T) {
	var logins atomic.Int32
	sc := scenario(t)
	ex := serve(t, sc, &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/v2/public/auth" {
				logins.Add(1)
				if !strings.Contains(r.URL.Query().Get("scope"), "session:") {
					t.Errorf("login without a session scope: the token would be bound to one connection")
				}
				if r.URL.Query().Get("client_secret") != "" {
					t.Errorf("the Client Secret was sent")
				}
			}
			next.ServeHTTP(w, r)
		})
	})
	creds := exchangetest.CredsOf(sc.Keys[0])
	var wg sync.WaitGroup
	errs := make([]error, 2)
	wg.Add(2)
	go func() { defer wg.Done(); _, errs[0] = ex.KeyInfo(ctx(t), creds) }()
	go func() { defer wg.Done(); _, errs[1] = ex.Balance(ctx(t), creds) }()
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("KeyInfo: %v; Balance: %v", errs[0], errs[1])
	}
	if n := logins.Load(); n != 1 {
		t.Errorf("%d logins, want 1", n)
	}
}

// With the platform locked, the status says maintenance and private
// methods are unavailable.
func TestMaintenance(t *testing.T) {
	sc := scenario(t)
	sc.Maintenance = "ongoing"
	f := exchangetest.Start(t, adapter(), sc, []exchanges.Market{exchanges.Futures})
	st, err := f.Ex.Status(ctx(t))
	if err != nil || st.State != exchanges.StatusMaintenance {
		t.Errorf("status: %+v, %v", st, err)
	}
	if _, err := f.Ex.KeyInfo(ctx(t), f.Creds); !errors.Is(err, exchanges.ErrUnavailable) {
		t.Errorf("KeyInfo: got %v, want ErrUnavailable", err)
	}
	sc.Maintenance = ""
	f = exchangetest.Start(t, adapter(), sc, []exchanges.Market{exchanges.Futures})
	if st, err := f.Ex.Status(ctx(t)); err != nil || st.State != exchanges.StatusNormal {
		t.Errorf("status: %+v, %v", st, err)
	}
}

// A testnet key checked as a live profile is named as such: the adapter
// tries the same login on the other environment. The real hosts are
// routed to two simulators.
func TestWrongEnvironment(t *testing.T) {
	key, _ := sim.SampleKey("deribit")
	key.Environment = exchanges.Testnet
	hosts := map[string]string{}
	for env, host := range map[exchanges.Environment]string{exchanges.Live: "www.deribit.com", exchanges.Testnet: "test.deribit.com"} {
		srv, err := sim.Listen(sim.Scenario{Exchange: "deribit", Environment: env, Keys: []sim.Key{key}}, "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = srv.Close() })
		hosts[host] = strings.TrimPrefix(srv.URL, "http://")
	}
	hc := &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
		r = r.Clone(r.Context())
		r.URL.Scheme, r.URL.Host = "http", hosts[r.URL.Host]
		return http.DefaultTransport.RoundTrip(r)
	})}
	ex := New(exchanges.Config{Environment: exchanges.Live, HTTP: hc})
	_, err := ex.KeyInfo(ctx(t), exchangetest.CredsOf(key))
	if e, _ := exchanges.AsError(err); !errors.Is(err, exchanges.ErrWrongEnvironment) || !strings.Contains(e.Cause, "Testnet") {
		t.Fatalf("got %v", err)
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// Where get_account_summaries is missing (-32601), the balance is read
// one collateral currency at a time.
func TestSummariesOneByOne(t *testing.T) {
	missing := readTestdata(t, "error_method_not_found.json")
	sc := scenario(t)
	ex := serve(t, sc, nil, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/v2/private/get_account_summaries" {
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write(missing)
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	bal, err := ex.Balance(ctx(t), exchangetest.CredsOf(sc.Keys[0]))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, a := range bal.Assets {
		got[a.Asset] = a.Total
	}
	if got["USDT"] != "1750.5" || got["BTC"] != "0.015" || len(got) != 2 {
		t.Errorf("balance: %+v", bal.Assets)
	}
}
