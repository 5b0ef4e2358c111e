package checks

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// These came from reviewing the change: each failed before its fix.

// echoKey fails every signed request with a message that quotes the key,
// far enough in that the clip at 300 runes cuts the key in half.
type echoKey struct{ hostileExchange }

func (echoKey) err(c exchanges.Credentials) error {
	return &exchanges.Error{Class: exchanges.ErrBadKey, Op: "read", HTTPStatus: 401, Code: "-2014",
		Message: strings.Repeat("x", 270) + " key " + c.Key + " is not valid"}
}
func (e echoKey) KeyInfo(_ context.Context, c exchanges.Credentials) (exchanges.KeyInfo, error) {
	return exchanges.KeyInfo{}, e.err(c)
}
func (e echoKey) Balance(_ context.Context, c exchanges.Credentials) (exchanges.Balance, error) {
	return exchanges.Balance{}, e.err(c)
}

func TestScrubCoversAClippedKey(t *testing.T) {
	key := "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGhIjKlMnOpQrStUvWxYz01"
	s := NewSession(Options{Timeout: 2 * time.Second, NTPServers: []string{"off"}, IPEchoURLs: []string{"http://127.0.0.1:1"}})
	rep := Run(context.Background(), s, Target{Exchange: echoKey{}, Creds: exchanges.Credentials{Key: key, Secret: exchanges.NewSecret("s3cr3tvalue")},
		Profile: Profile{Name: "main", Environment: exchanges.Live, Markets: []exchanges.Market{exchanges.Spot}, AddedAt: time.Now()}}, nil)
	for _, c := range rep.Checks {
		if i := strings.Index(c.Detail, key[:12]); i >= 0 {
			t.Errorf("%s detail holds %q of the key: %q", c.ID, c.Detail[i:], c.Detail[max(0, i-20):])
		}
	}
}

func TestRedirectAndUnsupportedCausesListed(t *testing.T) {
	f := goodFacts()
	e := &exchanges.Error{Class: exchanges.ErrRedirect, Op: "read", HTTPStatus: 302, Location: "x"}
	f.Key = Fact[exchanges.KeyInfo]{Err: e, Done: true}
	f.Balance = Fact[exchanges.Balance]{Err: e, Done: true}
	f.Status = Fact[exchanges.Status]{Err: &exchanges.Error{Class: exchanges.ErrUnsupported}, Done: true}
	for id, r := range judgeAll(f) {
		if r.Status >= Warn && !slices.Contains(Causes(), r.Cause) {
			t.Errorf("%s: %s with cause %q, not in Causes()", id, r.Status, r.Cause)
		}
	}
	f = goodFacts()
	f.Balance = Fact[exchanges.Balance]{Err: &exchanges.Error{Class: exchanges.ErrUnsupported, Op: "read"}, Done: true}
	for id, r := range judgeAll(f) {
		if r.Status >= Warn && !slices.Contains(Causes(), r.Cause) {
			t.Errorf("%s: %s with cause %q, not in Causes()", id, r.Status, r.Cause)
		}
	}
}

// A connection cut mid-body: the echo answer read so far is parsed.
func TestEchoCutOffIsNotAnIP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "11")
		_, _ = w.Write([]byte("10.0.0.1"))
		w.(http.Flusher).Flush()
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	}))
	defer srv.Close()
	s := NewSession(Options{IPEchoURLs: []string{srv.URL}})
	ip, err := s.PublicIP(context.Background())
	if err == nil {
		t.Errorf("a cut-off answer was read as the IP %q", ip)
	}
}

func TestRedirectIsNotExchangeUp(t *testing.T) {
	f := goodFacts()
	e := &exchanges.Error{Class: exchanges.ErrRedirect, Op: "read", HTTPStatus: 302, Location: "portal.hotel"}
	f.Status = Fact[exchanges.Status]{Err: e, Done: true}
	f.Time = Fact[exchanges.TimeSample]{Err: e, Done: true}
	f.Key = Fact[exchanges.KeyInfo]{Err: e, Done: true}
	f.Balance = Fact[exchanges.Balance]{Err: e, Done: true}
	if m := measure(f); m.ExchangeUp {
		t.Errorf("every answer was a redirect elsewhere, yet ExchangeUp; auth says %q", judgeAll(f)["auth"].Summary)
	}
}

// TestCausesDocumented: the README's list of cause codes is the contract
// for metric labels and alert rules; it names every code, and no other.
func TestCausesDocumented(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Skip("no README beside the module")
	}
	s := string(b)
	i := strings.Index(s, "Cause codes: ")
	if i < 0 {
		t.Fatal("README has no \"Cause codes:\" list")
	}
	list := s[i:]
	list = list[:strings.Index(list, ".\n")]
	var doc []string
	for _, f := range strings.Split(list, "`")[1:] {
		if f != "" && !strings.ContainsAny(f, " ,\n") {
			doc = append(doc, f)
		}
	}
	slices.Sort(doc)
	code := slices.Clone(Causes())
	slices.Sort(code)
	if !slices.Equal(doc, code) {
		t.Errorf("README lists %v\ncode has     %v", doc, code)
	}
}
