package all

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/sim"
)

// catcher is the second host of a redirect attack: it records every
// request that reaches it, with its headers.
type catcher struct {
	mu   sync.Mutex
	seen []string
}

func (c *catcher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var hs []string
	for k := range r.Header {
		hs = append(hs, k)
	}
	sort.Strings(hs)
	c.seen = append(c.seen, r.Method+" "+r.URL.Path+" headers "+strings.Join(hs, ","))
}

func (c *catcher) requests() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.seen...)
}

// TestNoAdapterFollowsARedirect points every adapter at a base URL that
// answers each request with a redirect to a second host. Nothing may reach
// the second host (no request, so no key header, no signature, no
// Referer), whatever client the caller configured, and the error names
// the host the redirect pointed to.
func TestNoAdapterFollowsARedirect(t *testing.T) {
	for _, code := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		for _, ad := range Adapters() {
			info := ad.Info()
			t.Run(info.ID+"/"+http.StatusText(code), func(t *testing.T) {
				t.Parallel()
				evil := &catcher{}
				second := httptest.NewServer(evil)
				defer second.Close()
				target, _ := url.Parse(second.URL)
				first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, second.URL+r.URL.RequestURI(), code)
				}))
				defer first.Close()
				base, _ := url.Parse(first.URL)
				k, ok := sim.SampleKey(info.ID)
				if !ok {
					t.Fatalf("no sample key for %s", info.ID)
				}
				creds := exchanges.Credentials{Key: k.Key, Secret: exchanges.NewSecret(k.Secret), Passphrase: exchanges.NewSecret(k.Passphrase)}
				// Both the default client and one that follows redirects
				// with a cookie jar, as a caller might hand in.
				for _, hc := range []*http.Client{nil, {CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}} {
					ex := ad.New(exchanges.Config{Environment: exchanges.Live, BaseURL: base, Markets: info.Markets, HTTP: hc})
					ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
					calls := map[string]func() error{
						"ServerTime": func() error { _, err := ex.ServerTime(ctx); return err },
						"Status":     func() error { _, err := ex.Status(ctx); return err },
						"KeyInfo":    func() error { _, err := ex.KeyInfo(ctx, creds); return err },
						"Balance":    func() error { _, err := ex.Balance(ctx, creds); return err },
					}
					for name, call := range calls {
						err := call()
						if err == nil {
							t.Errorf("%s: no error for an answer that only redirects", name)
							continue
						}
						if !errors.Is(err, exchanges.ErrRedirect) {
							t.Errorf("%s: got %v, want ErrRedirect", name, err)
						}
						if !strings.Contains(err.Error(), target.Host) {
							t.Errorf("%s: the error does not name the redirect's host %s: %v", name, target.Host, err)
						}
					}
					cancel()
				}
				if got := evil.requests(); len(got) != 0 {
					t.Errorf("%d requests reached the second host: %s", len(got), strings.Join(got, "; "))
				}
			})
		}
	}
}

// TestAdaptersSendOnlyThroughTheSharedTransport keeps the rule at its
// depth: an adapter that made its own HTTP calls would bypass the refusal
// of redirects, the size bound and the cleaning of the exchange's words.
// Every request must go through exchanges.Send (which uses Config.Client).
func TestAdaptersSendOnlyThroughTheSharedTransport(t *testing.T) {
	forbidden := []string{"http.Get(", "http.Post(", "http.Head(", "http.PostForm(", "http.DefaultClient", ".HTTP.Do(", "Client().Do(", "&http.Client{", "http.Client{",
		"http.DefaultTransport", ".Transport.RoundTrip(", "net.Dial", "tls.Dial"}
	for _, ad := range Adapters() {
		dir := filepath.Join("..", ad.Info().ID)
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no sources in %s", ad.Info().ID, dir)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, bad := range forbidden {
				if strings.Contains(string(b), bad) {
					t.Errorf("%s calls %s: send through exchanges.Send instead", f, bad)
				}
			}
		}
	}
}
