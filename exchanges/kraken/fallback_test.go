package kraken

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// fakeKraken is a minimal Kraken for cases the simulator does not model:
// a deployment without GetApiKeyInfo, refused nonces, a clock that lags.
// It checks the signature and the nonce order like Kraken, and records
// every method called.
type fakeKraken struct {
	t      *testing.T
	secret string
	// perms the key holds; ipRefused refuses every private call.
	perms     map[string]bool
	ipRefused bool
	// legacy answers GetApiKeyInfo with EGeneral:Unknown method.
	legacy bool
	// refuseNonces answers the first n private calls with EAPI:Invalid nonce.
	refuseNonces int
	// offset is the fake's clock minus the real time.
	offset time.Duration

	mu        sync.Mutex
	last      uint64
	methods   []string
	nonces    []uint64
	badNonces int
}

var fakeNeeds = map[string][]string{
	"GetApiKeyInfo":     nil,
	"Balance":           {"query-funds"},
	"OpenOrders":        {"query-open-trades"},
	"ClosedOrders":      {"query-closed-trades"},
	"WithdrawAddresses": {"query-funds", "withdraw-funds"},
}

func (f *fakeKraken) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reply := func(v map[string]any) { _ = json.NewEncoder(w).Encode(v) }
	fail := func(s string) { reply(map[string]any{"error": []string{s}}) }
	if r.URL.Path == "/0/public/Time" {
		reply(map[string]any{"error": []string{}, "result": map[string]any{"unixtime": time.Now().Add(f.offset).Unix()}})
		return
	}
	if r.UserAgent() == "" {
		f.t.Errorf("a request without User-Agent")
	}
	method := strings.TrimPrefix(r.URL.Path, "/0/private/")
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	f.mu.Lock()
	defer f.mu.Unlock()
	f.methods = append(f.methods, method)
	needs, known := fakeNeeds[method]
	if !known || r.Method != http.MethodPost {
		f.t.Errorf("keywarden called %s %s, which is not a read-only method it may use", r.Method, method)
		fail("EGeneral:Unknown method")
		return
	}
	want, _ := Sign(f.secret, r.URL.Path, form.Get("nonce"), string(body))
	if r.Header.Get("API-Sign") != want {
		fail("EAPI:Invalid signature")
		return
	}
	n, err := strconv.ParseUint(form.Get("nonce"), 10, 64)
	if err != nil || n <= f.last {
		f.badNonces++
		fail("EAPI:Invalid nonce")
		return
	}
	f.last = n
	f.nonces = append(f.nonces, n)
	if f.refuseNonces > 0 {
		f.refuseNonces--
		fail("EAPI:Invalid nonce")
		return
	}
	if method == "GetApiKeyInfo" && f.legacy {
		fail("EGeneral:Unknown method")
		return
	}
	if f.ipRefused {
		fail("EGeneral:Permission denied")
		return
	}
	for _, p := range needs {
		if !f.perms[p] {
			fail("EGeneral:Permission denied")
			return
		}
	}
	var perms []string
	for p := range f.perms {
		perms = append(perms, p)
	}
	results := map[string]any{
		"GetApiKeyInfo":     map[string]any{"apiKeyName": "bot", "permissions": perms, "validUntil": "0", "createdTime": "1688000000", "ipAllowlist": []string{}},
		"Balance":           map[string]string{"ZUSD": "10.0000"},
		"OpenOrders":        map[string]any{"open": map[string]any{}},
		"ClosedOrders":      map[string]any{"closed": map[string]any{}, "count": 0},
		"WithdrawAddresses": []any{},
	}
	reply(map[string]any{"error": []string{}, "result": results[method]})
}

func (f *fakeKraken) called() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.methods...)
}

func startFake(t *testing.T, f *fakeKraken) (exchanges.Exchange, exchanges.Credentials) {
	t.Helper()
	f.t = t
	f.secret = base64.StdEncoding.EncodeToString([]byte(strings.Repeat("k", 64)))
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	// A fresh key per test: the key lock and nonce order are per key.
	key := base64.StdEncoding.EncodeToString([]byte(t.Name() + strings.Repeat("x", 42)))[:56]
	return New(exchanges.Config{BaseURL: u}), exchanges.Credentials{Key: key, Secret: exchanges.NewSecret(f.secret)}
}

func perms(p ...string) map[string]bool {
	m := map[string]bool{}
	for _, x := range p {
		m[x] = true
	}
	return m
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// A deployment without GetApiKeyInfo: facts come from read-only probes,
// trading stays unknown, and no order, cancel or withdrawal method is
// ever called (fakeKraken fails the test on any other method).
func TestFallbackProbes(t *testing.T) {
	for _, tc := range []struct {
		name           string
		perms          map[string]bool
		read, withdraw exchanges.Flag
	}{
		{"funds and withdraw", perms("query-funds", "query-open-trades", "withdraw-funds", "modify-trades"), exchanges.Yes, exchanges.Yes},
		{"funds only", perms("query-funds", "query-open-trades", "modify-trades"), exchanges.Yes, exchanges.No},
		{"no funds", perms("query-open-trades", "withdraw-funds"), exchanges.No, exchanges.Unknown},
		{"closed orders only", perms("query-closed-trades"), exchanges.No, exchanges.Unknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeKraken{legacy: true, perms: tc.perms}
			ex, creds := startFake(t, f)
			ki, err := ex.KeyInfo(testCtx(t), creds)
			if err != nil {
				t.Fatalf("KeyInfo: %v", err)
			}
			if ki.Read != tc.read || ki.Withdraw != tc.withdraw {
				t.Errorf("read %v withdraw %v, want %v %v", ki.Read, ki.Withdraw, tc.read, tc.withdraw)
			}
			for _, m := range []exchanges.Market{exchanges.Spot, exchanges.Margin} {
				if ki.TradeFor(m) != exchanges.Unknown {
					t.Errorf("Trade[%s] = %v: it cannot be proven without an order request", m, ki.TradeFor(m))
				}
			}
			if ki.IPRestricted != exchanges.Unknown || ki.ExpiryKnown || !ki.Created.IsZero() {
				t.Errorf("facts the probes cannot show were reported: %+v", ki)
			}
			if len(ki.Evidence) == 0 {
				t.Errorf("inferred facts without evidence")
			}
			_, err = ex.Balance(testCtx(t), creds)
			if tc.read == exchanges.Yes && err != nil {
				t.Errorf("Balance: %v", err)
			}
			if tc.read == exchanges.No && !errors.Is(err, exchanges.ErrPermission) {
				t.Errorf("Balance without Query Funds: %v, want ErrPermission", err)
			}
		})
	}
}

// Every read-only method refused: an IP outside the allowlist, for
// KeyInfo and Balance alike (auth must fail, not pass on a permission
// error).
func TestFallbackAllRefused(t *testing.T) {
	f := &fakeKraken{legacy: true, ipRefused: true, perms: perms("query-funds")}
	ex, creds := startFake(t, f)
	if _, err := ex.KeyInfo(testCtx(t), creds); !errors.Is(err, exchanges.ErrIPNotAllowed) {
		t.Errorf("KeyInfo: %v, want ErrIPNotAllowed", err)
	}
	if _, err := ex.Balance(testCtx(t), creds); !errors.Is(err, exchanges.ErrIPNotAllowed) {
		t.Errorf("Balance: %v, want ErrIPNotAllowed", err)
	}
}

// With GetApiKeyInfo, a Balance refused for lack of Query Funds is a
// permission problem; refused together with GetApiKeyInfo, an IP one.
func TestBalanceNarrowing(t *testing.T) {
	f := &fakeKraken{perms: perms("modify-trades")}
	ex, creds := startFake(t, f)
	_, err := ex.Balance(testCtx(t), creds)
	if e, ok := exchanges.AsError(err); !errors.Is(err, exchanges.ErrPermission) || !ok || !strings.Contains(e.Cause, "Query Funds") {
		t.Errorf("Balance without Query Funds: %v", err)
	}
	f = &fakeKraken{ipRefused: true, perms: perms("query-funds")}
	ex, creds = startFake(t, f)
	if _, err := ex.Balance(testCtx(t), creds); !errors.Is(err, exchanges.ErrIPNotAllowed) {
		t.Errorf("Balance from a refused IP: %v, want ErrIPNotAllowed", err)
	}
}
