package kraken

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/exchangetest"
)

func TestStatusStates(t *testing.T) {
	for file, want := range map[string]exchanges.StatusState{
		"status_online.json":      exchanges.StatusNormal,
		"status_maintenance.json": exchanges.StatusMaintenance,
		"status_cancel_only.json": exchanges.StatusDegraded,
		"status_post_only.json":   exchanges.StatusDegraded,
		"status_upcoming.json":    exchanges.StatusAnnounced,
	} {
		body := testdata(t, file)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/0/public/SystemStatus" || r.Method != http.MethodGet {
				t.Errorf("%s %s", r.Method, r.URL.Path)
			}
			_, _ = w.Write(body)
		}))
		u, _ := url.Parse(srv.URL)
		st, err := New(exchanges.Config{BaseURL: u}).Status(testCtx(t))
		srv.Close()
		if err != nil || st.State != want || st.Message == "" || st.Source == "" {
			t.Errorf("%s: %+v, %v; want state %v", file, st, err, want)
		}
	}
}

// The simulator's maintenance modes reach Status as Kraken reports them.
func TestStatusAgainstSimulator(t *testing.T) {
	for mode, want := range map[string]exchanges.StatusState{"": exchanges.StatusNormal, "announced": exchanges.StatusAnnounced, "ongoing": exchanges.StatusMaintenance} {
		sc := exchangetest.GoodScenario(t, "kraken", exchanges.Live)
		sc.Maintenance = mode
		f := exchangetest.Start(t, adapter(), sc, []exchanges.Market{exchanges.Spot})
		st, err := f.Ex.Status(testCtx(t))
		if err != nil || st.State != want {
			t.Errorf("maintenance %q: %+v, %v", mode, st, err)
		}
	}
}

// A key past its expiration date, and one with a date ahead, as the
// simulator answers them.
func TestExpiryAgainstSimulator(t *testing.T) {
	sc := exchangetest.GoodScenario(t, "kraken", exchanges.Live)
	sc.Keys[0].Expires = time.Now().AddDate(0, 0, 10).Truncate(time.Second)
	f := exchangetest.Start(t, adapter(), sc, []exchanges.Market{exchanges.Spot})
	ki, err := f.Ex.KeyInfo(testCtx(t), f.Creds)
	if err != nil || !ki.ExpiryKnown || !ki.Expires.Equal(f.Key.Expires) || !ki.Created.Equal(f.Key.Created) {
		t.Errorf("KeyInfo: %+v, %v", ki, err)
	}
	if ki.Label != f.Key.Label || ki.IPRestricted != exchanges.No || !ki.IPListKnown {
		t.Errorf("label %q, ip %v/%v", ki.Label, ki.IPRestricted, ki.IPListKnown)
	}

	sc = exchangetest.GoodScenario(t, "kraken", exchanges.Live)
	sc.Keys[0].Expires = time.Now().Add(-time.Hour)
	f = exchangetest.Start(t, adapter(), sc, []exchanges.Market{exchanges.Spot})
	if _, err := f.Ex.KeyInfo(testCtx(t), f.Creds); !errors.Is(err, exchanges.ErrBadKey) {
		t.Errorf("expired key: %v, want ErrBadKey (Kraken does not say expired)", err)
	}
}
