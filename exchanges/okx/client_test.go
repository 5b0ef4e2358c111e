package okx

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

// A Demo Trading key on live OKX, and a live key in Demo Trading, are
// answered 50101 and reported as the wrong environment.
func TestWrongEnvironment(t *testing.T) {
	for _, tc := range []struct{ key, adapter exchanges.Environment }{
		{exchanges.Demo, exchanges.Live},
		{exchanges.Live, exchanges.Demo},
	} {
		t.Run(string(tc.key)+" key on "+string(tc.adapter), func(t *testing.T) {
			sc := exchangetest.GoodScenario(t, "okx", tc.adapter)
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
			if e, _ := exchanges.AsError(err); e.Code != "50101" {
				t.Errorf("code %q", e.Code)
			}
		})
	}
}

func TestMaintenance(t *testing.T) {
	for _, tc := range []struct {
		mode string
		want exchanges.StatusState
	}{{"ongoing", exchanges.StatusMaintenance}, {"announced", exchanges.StatusAnnounced}, {"", exchanges.StatusNormal}} {
		t.Run(tc.mode, func(t *testing.T) {
			sc := exchangetest.GoodScenario(t, "okx", exchanges.Live)
			sc.Maintenance = tc.mode
			f := exchangetest.Start(t, exchanges.Adapter{Info: Info, New: New}, sc, []exchanges.Market{exchanges.Spot})
			s, err := f.Ex.Status(ctx(t))
			if err != nil || s.State != tc.want {
				t.Fatalf("status %+v, %v; want %v", s, err, tc.want)
			}
			_, err = f.Ex.KeyInfo(ctx(t), f.Creds)
			if tc.mode == "ongoing" && !errors.Is(err, exchanges.ErrUnavailable) {
				t.Errorf("KeyInfo during maintenance: %v", err)
			}
			if tc.mode != "ongoing" && err != nil {
				t.Errorf("KeyInfo: %v", err)
			}
		})
	}
}

// The sim's IP answer names the caller's IP, and keywarden keeps it.
func TestIPNotAllowedKeepsOKXMessage(t *testing.T) {
	sc := exchangetest.GoodScenario(t, "okx", exchanges.Live)
	sc.Keys[0].IPs = []string{"198.51.100.7"}
	f := exchangetest.Start(t, exchanges.Adapter{Info: Info, New: New}, sc, nil)
	_, err := f.Ex.Balance(ctx(t), f.Creds)
	e, ok := exchanges.AsError(err)
	if !ok || !errors.Is(err, exchanges.ErrIPNotAllowed) || !strings.Contains(e.Message, sim.DefaultClientIP) {
		t.Fatalf("got %v", err)
	}
}

// An empty Trading account sends keywarden to the Funding account, whose
// holdings become a note (not assets the bot can trade).
func TestBalanceEmptyTradingReadsFunding(t *testing.T) {
	var paths []string
	demo := ""
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path)
		demo = r.Header.Get(demoHeader)
		if r.Header.Get("OK-ACCESS-SIGN") == "" || r.Header.Get("OK-ACCESS-PASSPHRASE") != "pass-phrase" {
			t.Errorf("unsigned request to %s", r.URL.Path)
		}
		switch r.URL.Path {
		case "/api/v5/account/balance":
			_, _ = w.Write([]byte(`{"code":"0","msg":"","data":[{"totalEq":"0","details":[]}]}`))
		case "/api/v5/asset/balances":
			_, _ = w.Write(read(t, "funding.json"))
		}
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	ex := New(exchanges.Config{Environment: exchanges.Demo, BaseURL: u})
	b, err := ex.Balance(ctx(t), exchanges.Credentials{Key: "k", Secret: exchanges.NewSecret("s"), Passphrase: exchanges.NewSecret("pass-phrase")})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Assets) != 0 || len(b.Notes) != 1 || !strings.Contains(b.Notes[0], "37.11827078 ETH") {
		t.Errorf("balance = %+v", b)
	}
	if strings.Join(paths, " ") != "/api/v5/account/balance /api/v5/asset/balances" || demo != "1" {
		t.Errorf("paths %v, demo header %q", paths, demo)
	}
}
