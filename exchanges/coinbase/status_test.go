package coinbase

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

func TestStatusSummaryStates(t *testing.T) {
	for _, tc := range []struct {
		file  string
		state exchanges.StatusState
		msg   string
	}{
		{"status_operational.json", exchanges.StatusNormal, "Advanced Trade: operational"},
		{"status_advanced_degraded.json", exchanges.StatusDegraded, "Advanced Trade: degraded performance"},
		{"status_advanced_major_outage.json", exchanges.StatusMaintenance, "Advanced Trade: major outage"},
		// Another product's outage is never reported as Advanced Trade down.
		{"status_other_product_outage.json", exchanges.StatusDegraded, "may concern another Coinbase product"},
		{"status_no_component_operational.json", exchanges.StatusNormal, "All Systems Operational"},
		{"status_advanced_maintenance_scheduled.json", exchanges.StatusAnnounced, "Scheduled maintenance of Advanced Trade"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			s, err := parseStatusSummary(body)
			if err != nil {
				t.Fatal(err)
			}
			st := s.state()
			if st.State != tc.state || !strings.Contains(st.Message, tc.msg) {
				t.Errorf("state %v %q, want %v %q", st.State, st.Message, tc.state, tc.msg)
			}
			if tc.state == exchanges.StatusAnnounced && (st.Since.IsZero() || st.Until.IsZero()) {
				t.Errorf("maintenance window not read: %+v", st)
			}
		})
	}
}

// statusServer serves a status page (or fails with pageStatus) and the
// API's time endpoint.
func statusClient(t *testing.T, pageStatus int, page string) exchanges.Exchange {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v2/summary.json":
			w.WriteHeader(pageStatus)
			_, _ = w.Write([]byte(page))
		case pathTime:
			_, _ = w.Write([]byte(`{"epochMillis":"` + itoa(time.Now().UnixMilli()) + `"}`))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	c := &client{base: u, statusURL: srv.URL + "/api/v2/summary.json"}
	return c
}

func TestStatusReadsThePage(t *testing.T) {
	body, _ := os.ReadFile(filepath.Join("testdata", "status_advanced_degraded.json"))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	st, err := statusClient(t, 200, string(body)).Status(ctx)
	if err != nil || st.State != exchanges.StatusDegraded || !strings.HasPrefix(st.Source, "status.coinbase.com") {
		t.Fatalf("Status = %+v, %v", st, err)
	}
}

// An unreadable status page never becomes "normal", nor a failure of the
// exchange: the API host is probed and the state is unknown.
func TestStatusFallsBackToUnknown(t *testing.T) {
	for _, tc := range []struct {
		code int
		body string
	}{
		{500, "oops"},
		{200, "<html>not json</html>"},
		{200, `{"status":{}}`},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		st, err := statusClient(t, tc.code, tc.body).Status(ctx)
		cancel()
		if err != nil || st.State != exchanges.StatusUnknown || !strings.Contains(st.Message, "status.coinbase.com could not be read") {
			t.Errorf("%d %q: Status = %+v, %v", tc.code, tc.body, st, err)
		}
	}
}

// With a base URL override the status page is not consulted at all.
func TestStatusWithBaseURLIsUnknown(t *testing.T) {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		if r.URL.Path != pathTime {
			t.Errorf("unexpected request %s", r.URL.Path)
		}
		_, _ = w.Write([]byte(`{"epochMillis":"` + itoa(time.Now().UnixMilli()) + `"}`))
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	ex := New(exchanges.Config{BaseURL: u})
	st, err := ex.Status(context.Background())
	if err != nil || st.State != exchanges.StatusUnknown || hits != 1 {
		t.Fatalf("Status = %+v, %v (%d requests)", st, err, hits)
	}
	if c := ex.(*client); c.statusURL != "" {
		t.Errorf("status page URL set with a base URL override: %q", c.statusURL)
	}
	if c := New(exchanges.Config{}).(*client); c.statusURL != statusPageURL || c.base.Host != "api.coinbase.com" {
		t.Errorf("default client: %q %q", c.statusURL, c.base)
	}
}
