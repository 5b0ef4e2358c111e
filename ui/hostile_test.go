package ui

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/keywarden/keywarden/checks"
	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/binance"
	"github.com/keywarden/keywarden/exchanges/exchangetest"
	"github.com/keywarden/keywarden/exchanges/sim"
)

// The live screen shows a hostile exchange's message, checked for real
// against a server that sends it, without any of its control bytes and
// clipped: on every row, with each row's detail selected in turn.
func TestHealthScreenShowsHostileTextSafely(t *testing.T) {
	srv := exchangetest.HostileBinance(t)
	base, _ := url.Parse(srv.URL)
	k, _ := sim.SampleKey("binance")
	target := checks.Target{
		Exchange: binance.New(exchanges.Config{Environment: exchanges.Live, BaseURL: base, Markets: []exchanges.Market{exchanges.Spot}}),
		Creds:    exchangetest.CredsOf(k),
		Profile:  checks.Profile{Name: "main", Environment: exchanges.Live, Markets: []exchanges.Market{exchanges.Spot}, AddedAt: time.Now()},
	}
	start := func(ctx context.Context) <-chan Event {
		ch := make(chan Event, 64)
		s := checks.NewSession(checks.Options{Timeout: 5 * time.Second, NTPServers: []string{"off"}, IPEchoURLs: []string{srv.URL + "/ip"}})
		go func() {
			defer close(ch)
			checks.Run(ctx, s, target, reporterFunc(func(ev Event) { ch <- ev }))
		}()
		return ch
	}
	for _, color := range []bool{false, true} {
		h := NewHealth([]HealthTarget{{Name: "main", ExchangeName: "Binance", Environment: "live"}}, start, color)
		d := drive(t, h, 100, 60)
		for end := time.Now().Add(5 * time.Second); h.Running() && time.Now().Before(end); {
			d.settle(20 * time.Millisecond)
		}
		if h.Running() {
			t.Fatal("the check did not finish")
		}
		seen := false
		for i := 0; i < len(checks.Table()); i++ {
			raw := h.View().Content
			for _, bad := range []string{"\x1b]", "[2J", "\x1b[H", "\x07", "pwned"} {
				if strings.Contains(raw, bad) {
					t.Errorf("row %d (colour %v): the screen holds %q", i, color, bad)
				}
			}
			if r, bad := exchangetest.Unsafe(ansi.Strip(raw)); bad {
				t.Errorf("row %d (colour %v): the screen holds control %U", i, color, r)
			}
			if m := regexp.MustCompile(`A{300,}`).FindString(ansi.Strip(raw)); m != "" {
				t.Errorf("row %d: the 20 KB message is shown %d characters long", i, len(m))
			}
			seen = seen || strings.Contains(strings.Join(strings.Fields(ansi.Strip(raw)), " "), "Key revoked.")
			d.send(key("down"))
		}
		if !seen {
			t.Errorf("the exchange's own words never showed:\n%s", screen(h))
		}
	}
}

// reporterFunc turns checks' results into screen events.
type reporterFunc func(Event)

func (f reporterFunc) Result(profile string, r checks.Result) { f(Event{Profile: profile, Result: &r}) }
func (f reporterFunc) Done(r checks.Report)                   { f(Event{Profile: r.Name, Report: &r}) }
