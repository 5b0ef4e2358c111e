package bitmex

import (
	"context"
	"errors"
	"fmt"
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

var futures = []exchanges.Market{exchanges.Futures}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return c
}

func scenario(t *testing.T) sim.Scenario {
	return exchangetest.GoodScenario(t, "bitmex", exchanges.Live)
}

// A clock behind by more than the 5 s api-expires lead is refused by
// BitMEX; the adapter names the clock, with BitMEX's own time.
func TestClockBehind(t *testing.T) {
	sc := scenario(t)
	sc.ClockOffset = sim.Duration(9 * time.Second)
	f := exchangetest.Start(t, adapter(), sc, futures)
	_, err := f.Ex.KeyInfo(ctx(t), f.Creds)
	if e, _ := exchanges.AsError(err); !errors.Is(err, exchanges.ErrClockSkew) || !strings.Contains(e.Cause, "behind") {
		t.Fatalf("got %v", err)
	}
	ts, err := f.Ex.ServerTime(ctx(t))
	if err != nil || ts.Resolution != time.Second || !strings.Contains(ts.Source, "Date") {
		t.Fatalf("ServerTime: %+v %v", ts, err)
	}
	if off := ts.Offset(); off > -8*time.Second || off < -10*time.Second {
		t.Errorf("offset %v, want about -9s", off)
	}
	// A clock ahead is not refused (within BitMEX's unknown bound).
	sc = scenario(t)
	sc.ClockOffset = sim.Duration(-2 * time.Minute)
	f = exchangetest.Start(t, adapter(), sc, futures)
	if _, err := f.Ex.KeyInfo(ctx(t), f.Creds); err != nil {
		t.Errorf("a clock 2 min ahead: %v", err)
	}
}

// Every fact of a restricted key; the secrets in /apiKey (this key's and
// the others') are kept nowhere.
func TestKeyInfoFacts(t *testing.T) {
	sc := scenario(t)
	sc.Keys[0].Permissions = []string{sim.PermRead, sim.PermFutures}
	sc.Keys[0].IPs = []string{sim.DefaultClientIP, "198.51.100.0/24"}
	sc.Keys[0].Label = "bot-1"
	other, _ := sim.SampleKey("bitmex")
	other.Permissions = []string{sim.PermRead, sim.PermWithdraw}
	sc.Keys = append(sc.Keys, other)
	f := exchangetest.Start(t, adapter(), sc, futures)
	ki, err := f.Ex.KeyInfo(ctx(t), f.Creds)
	if err != nil {
		t.Fatal(err)
	}
	if ki.Read != exchanges.Yes || ki.TradeFor(exchanges.Futures) != exchanges.Yes || ki.Withdraw != exchanges.No || ki.Label != "bot-1" {
		t.Errorf("permissions: %+v", ki)
	}
	if ki.IPRestricted != exchanges.Yes || strings.Join(ki.IPs, ",") != sim.DefaultClientIP+"/32,198.51.100.0/24" {
		t.Errorf("ips: %+v", ki.IPs)
	}
	if !ki.Created.Equal(f.Key.Created) || !ki.ExpiryKnown {
		t.Errorf("created %v, want %v", ki.Created, f.Key.Created)
	}
	bal, err := f.Ex.Balance(ctx(t), f.Creds)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, a := range bal.Assets {
		got[a.Asset] = a.Total
	}
	if got["USDT"] != "1750.5" || got["XBT"] != "0.015" || len(got) != 2 {
		t.Errorf("balance: %+v", bal.Assets)
	}
	all := fmt.Sprintf("%+v %#v %+v %#v", ki, ki, bal, bal)
	for _, s := range []string{f.Key.Secret, other.Secret} {
		if strings.Contains(all, s) {
			t.Error("a Secret was kept in the facts")
		}
	}
}

// A currency outside the documented units is scaled with
// /api/v1/wallet/assets; one still unknown is left out with a note.
func TestUnknownUnits(t *testing.T) {
	margins := `[{"currency":"XBt","walletBalance":100000000,"availableMargin":50000000},` +
		`{"currency":"LAMp","walletBalance":2500000000,"availableMargin":2500000000},` +
		`{"currency":"FOOx","walletBalance":7,"availableMargin":7}]`
	assets := readTestdata(t, "wallet_assets.json")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v1/user/margin":
			_, _ = w.Write([]byte(margins))
		case "/api/v1/wallet/assets":
			_, _ = w.Write(assets)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	ex := New(exchanges.Config{Environment: exchanges.Live, BaseURL: u})
	bal, err := ex.Balance(ctx(t), exchanges.Credentials{Key: "LAqUlngMIQkIUjXMUreyu3qn", Secret: exchanges.NewSecret("x")})
	if err != nil {
		t.Fatal(err)
	}
	want := []exchanges.Asset{{Asset: "XBT", Free: "0.5", Total: "1", Account: "margin"}, {Asset: "SOL", Free: "2.5", Total: "2.5", Account: "margin"}}
	if fmt.Sprint(bal.Assets) != fmt.Sprint(want) || len(bal.Notes) != 1 || !strings.Contains(bal.Notes[0], "FOOx") {
		t.Errorf("balance: %+v", bal)
	}
}

// A 403 HTML page from BitMEX's front end (an IP ban) is not read as the
// key's IP restriction.
func TestFrontEndBan(t *testing.T) {
	page := readTestdata(t, "forbidden.html")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write(page)
	}))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	ex := New(exchanges.Config{Environment: exchanges.Live, BaseURL: u})
	_, err := ex.KeyInfo(ctx(t), exchanges.Credentials{Key: "LAqUlngMIQkIUjXMUreyu3qn", Secret: exchanges.NewSecret("x")})
	if !errors.Is(err, exchanges.ErrUnavailable) {
		t.Fatalf("got %v", err)
	}
}

func TestStatus(t *testing.T) {
	for _, tc := range []struct {
		maint string
		want  exchanges.StatusState
	}{{"", exchanges.StatusUnknown}, {"announced", exchanges.StatusAnnounced}, {"ongoing", exchanges.StatusMaintenance}} {
		sc := scenario(t)
		sc.Maintenance = tc.maint
		f := exchangetest.Start(t, adapter(), sc, futures)
		st, err := f.Ex.Status(ctx(t))
		if err != nil || st.State != tc.want || st.Message == "" {
			t.Errorf("maintenance %q: %+v %v", tc.maint, st, err)
		}
	}
}

// A testnet key checked as a live profile is named as such. The real
// hosts are routed to two simulators.
func TestWrongEnvironment(t *testing.T) {
	key, _ := sim.SampleKey("bitmex")
	key.Environment = exchanges.Testnet
	hosts := map[string]string{}
	for env, host := range map[exchanges.Environment]string{exchanges.Live: "www.bitmex.com", exchanges.Testnet: "testnet.bitmex.com"} {
		srv, err := sim.Listen(sim.Scenario{Exchange: "bitmex", Environment: env, Keys: []sim.Key{key}}, "127.0.0.1:0")
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
	// A key known nowhere stays a bad key.
	other, _ := sim.SampleKey("bitmex")
	_, err = ex.KeyInfo(ctx(t), exchangetest.CredsOf(other))
	if !errors.Is(err, exchanges.ErrBadKey) || errors.Is(err, exchanges.ErrWrongEnvironment) {
		t.Fatalf("unknown key: got %v", err)
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// Should BitMEX ask for a key to show announcements, the clock still comes
// from the answer's Date header and the status stays unknown.
func TestAnnouncementsNeedAKey(t *testing.T) {
	body := readTestdata(t, "error_invalid_key.json")
	date := time.Now().Add(-3 * time.Second).UTC().Format(http.TimeFormat)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", date)
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	ex := New(exchanges.Config{Environment: exchanges.Live, BaseURL: u})
	st, err := ex.Status(ctx(t))
	if err != nil || st.State != exchanges.StatusUnknown {
		t.Errorf("status: %+v %v", st, err)
	}
	ts, err := ex.ServerTime(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if off := ts.Offset(); off < 1500*time.Millisecond || off > 4*time.Second {
		t.Errorf("offset %v, want about 2.5s", off)
	}
}

// TestKeyNotListedClaimsNothing: an /api/v1/apiKey list without the
// caller's key (an empty [] from something that is not BitMEX, say) does
// not count as the read permission.
func TestKeyNotListedClaimsNothing(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`[]`))
	}))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	ex := New(exchanges.Config{Environment: exchanges.Live, BaseURL: u})
	ki, err := ex.KeyInfo(ctx(t), exchanges.Credentials{Key: "LAqUlngMIQkIUjXMUreyu3qn", Secret: exchanges.NewSecret("x")})
	if err != nil {
		t.Fatal(err)
	}
	if ki.Read != exchanges.Unknown {
		t.Errorf("read %v from a list without the key", ki.Read)
	}
}
