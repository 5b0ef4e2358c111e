package checks

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/binance"
)

// redirector answers every request with a redirect to a second server,
// which counts what reaches it.
func redirector(t *testing.T) (first *httptest.Server, secondHost string, reached *atomic.Int32) {
	t.Helper()
	reached = &atomic.Int32{}
	second := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		_, _ = w.Write([]byte("198.51.100.99"))
	}))
	t.Cleanup(second.Close)
	first = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, second.URL+r.URL.RequestURI(), http.StatusFound)
	}))
	t.Cleanup(first.Close)
	u, _ := url.Parse(second.URL)
	return first, u.Host, reached
}

// The IP echo answer decides which IP a whitelist is judged against: a
// redirect to another host is refused, whatever client the caller gave.
func TestPublicIPRefusesRedirects(t *testing.T) {
	first, host, reached := redirector(t)
	follow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}
	s := NewSession(Options{IPEchoURLs: []string{first.URL}, HTTP: follow})
	ip, err := s.PublicIP(context.Background())
	if err == nil {
		t.Fatalf("got %q from a redirect", ip)
	}
	if !strings.Contains(err.Error(), host) || !strings.Contains(err.Error(), "redirect") {
		t.Errorf("the error does not name the redirect's host %s: %v", host, err)
	}
	if n := reached.Load(); n != 0 {
		t.Errorf("%d requests reached the redirect's host", n)
	}
}

// A base URL that redirects: every check that needed the exchange fails,
// auth names the host the redirect pointed to, and nothing reaches it.
func TestCheckReportsARefusedRedirect(t *testing.T) {
	first, host, reached := redirector(t)
	r := newRig(t, goodBinance(t), []exchanges.Market{exchanges.Spot}, 5*time.Second)
	u, _ := url.Parse(first.URL)
	r.target.Exchange = binanceAt(u)
	rep := Run(context.Background(), r.session, r.target, nil)
	auth := find(rep, "auth")
	if auth.Status != Fail || !strings.Contains(auth.Summary, host) || !strings.Contains(auth.Summary, "redirect") {
		t.Errorf("auth = %s %q, want a fail naming %s", auth.Status, auth.Summary, host)
	}
	if auth.Fix == "" {
		t.Error("auth has no fix")
	}
	for _, c := range rep.Checks {
		if c.Status == Pass && c.ID != "key_age" && c.ID != "clock" {
			t.Errorf("%s passed although every answer was a redirect: %s", c.ID, c.Summary)
		}
	}
	if st := find(rep, "exchange_status"); st.Status != Fail {
		t.Errorf("exchange_status = %s %q", st.Status, st.Summary)
	}
	if n := reached.Load(); n != 0 {
		t.Errorf("%d requests reached the redirect's host", n)
	}
}

func binanceAt(u *url.URL) exchanges.Exchange {
	return binance.New(exchanges.Config{Environment: exchanges.Live, BaseURL: u, Markets: []exchanges.Market{exchanges.Spot}})
}

// An IP echo answer longer than any address is refused, not read cut off:
// its first bytes could parse as someone else's IP.
func TestPublicIPRefusesALongAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(strings.Repeat(" ", 249) + "1.2.3.45"))
	}))
	defer srv.Close()
	s := NewSession(Options{IPEchoURLs: []string{srv.URL}})
	if ip, err := s.PublicIP(context.Background()); err == nil || !strings.Contains(err.Error(), "longer than an IP address") {
		t.Errorf("got %q, %v; want the answer refused as too long", ip, err)
	}
}
