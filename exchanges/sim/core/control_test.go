package core

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fake is a minimal exchange for the framework's tests: /time answers
// the clock, /trade needs a known key (header X-Key) with spot
// permission, anything else is the exchange's own not-found.
type fake struct{ st *State }

func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sc := f.st.Scenario()
	switch r.URL.Path {
	case "/time":
		WriteJSON(w, 200, map[string]int64{"ms": sc.Now().UnixMilli()})
	case "/trade":
		k := sc.Key(r.Header.Get("X-Key"))
		switch {
		case k == nil:
			Refuse(w, "BADKEY")
			WriteJSON(w, 401, map[string]string{"err": "BADKEY"})
		case !k.IPAllowed(sc.ClientIP):
			Refuse(w, "BADIP")
			WriteJSON(w, 200, map[string]string{"err": "BADIP"})
		case !k.Has(PermSpot):
			Refuse(w, "NOPERM")
			WriteJSON(w, 200, map[string]string{"err": "NOPERM"})
		default:
			WriteJSON(w, 200, map[string]string{"ok": "yes"})
		}
	default:
		Refuse(w, "NOTFOUND")
		WriteJSON(w, 404, map[string]string{"err": "NOTFOUND"})
	}
}
func (f *fake) RateLimited(w http.ResponseWriter, _ time.Duration) {
	WriteJSON(w, 429, map[string]string{"err": "SLOW"})
}
func (f *fake) ServerError(w http.ResponseWriter) {
	WriteJSON(w, 500, map[string]string{"err": "OOPS"})
}

var fakeExchange = Exchange{ID: "fake", New: func(st *State) Handler { return &fake{st: st} },
	Sample: func() Key { return Key{Key: RandomAlnum(16), Secret: RandomAlnum(32)} }}

func fakeScenario() Scenario {
	return Scenario{Exchange: "fake", Keys: []Key{
		{Key: "alice", Secret: "alice-secret-0123456789", Permissions: []string{PermRead, PermSpot}, Balances: map[string]string{"USDT": "100"}},
		{Key: "bob", Secret: "bob-secret-0123456789", Permissions: []string{PermRead, PermSpot}},
	}}
}

func newFake(t testing.TB) *Sim {
	t.Helper()
	s, err := New(fakeScenario(), fakeExchange)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// do sends a request from loopback and returns the status and body.
func do(s http.Handler, method, path, body string, hdr ...string) (int, string) {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.RemoteAddr = "127.0.0.1:50000"
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w.Code, w.Body.String()
}

func scenarioJSON(t testing.TB, s *Sim) string {
	t.Helper()
	b, err := json.Marshal(s.Scenario())
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPatchTakesTradingAwayFromTheFirstKey(t *testing.T) {
	s := newFake(t)
	if code, body := do(s, "GET", "/trade", "", "X-Key", "alice"); !strings.Contains(body, `"ok"`) {
		t.Fatalf("before: %d %s", code, body)
	}
	code, body := do(s, "PATCH", "/_sim/scenario", `{"keys":[{"permissions":["read"]}]}`)
	if code != 200 {
		t.Fatalf("PATCH: %d %s", code, body)
	}
	sc := s.Scenario()
	if got := sc.Keys[0].Permissions; len(got) != 1 || got[0] != PermRead {
		t.Errorf("alice's permissions = %v", got)
	}
	if sc.Keys[0].Secret != "alice-secret-0123456789" || sc.Keys[0].Balances["USDT"] != "100" {
		t.Errorf("the patch changed more than the permissions: %+v", sc.Keys[0])
	}
	if !sc.Keys[1].Has(PermSpot) {
		t.Errorf("bob lost his permission: %+v", sc.Keys[1])
	}
	if _, body := do(s, "GET", "/trade", "", "X-Key", "alice"); !strings.Contains(body, "NOPERM") {
		t.Errorf("after: %s", body)
	}
	if _, body := do(s, "GET", "/trade", "", "X-Key", "bob"); !strings.Contains(body, `"ok"`) {
		t.Errorf("bob after: %s", body)
	}
}

func TestPatchKeysByIndex(t *testing.T) {
	s := newFake(t)
	code, body := do(s, "PATCH", "/_sim/scenario",
		`{"keys":[null,{"ips":["198.51.100.7"],"balances":{"BTC":"1"}},{"key":"carol","secret":"carol-secret","permissions":["read"]}]}`)
	if code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	sc := s.Scenario()
	if len(sc.Keys) != 3 || sc.Keys[2].Key != "carol" || sc.Keys[2].Environment != "live" {
		t.Fatalf("keys: %+v", sc.Keys)
	}
	if len(sc.Keys[0].IPs) != 0 || len(sc.Keys[1].IPs) != 1 || sc.Keys[1].Balances["BTC"] != "1" {
		t.Errorf("keys: %+v", sc.Keys)
	}
	// RFC 7396 inside a key: null removes a field, maps merge.
	if code, body := do(s, "PATCH", "/_sim/scenario", `{"keys":[{"balances":{"USDT":null,"ETH":"2"}}]}`); code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	if b := s.Scenario().Keys[0].Balances; b["USDT"] != "" || b["ETH"] != "2" {
		t.Errorf("balances after merge: %v", b)
	}
	if _, body := do(s, "GET", "/trade", "", "X-Key", "bob"); !strings.Contains(body, "BADIP") {
		t.Errorf("bob, now IP-restricted: %s", body)
	}
}

func TestBadScenarioIsRefusedAndTheOldOneStays(t *testing.T) {
	for name, c := range map[string]struct{ method, body, want string }{
		"not json":         {"PATCH", `{"maintenance":`, "scenario patch"},
		"not an object":    {"PATCH", `["maintenance"]`, "must be a JSON object"},
		"unknown field":    {"PATCH", `{"maintenence":"ongoing"}`, `unknown field "maintenence"`},
		"bad value":        {"PATCH", `{"maintenance":"soon"}`, "maintenance must be"},
		"bad duration":     {"PATCH", `{"clock_offset":"3 seconds"}`, "duration"},
		"bad key element":  {"PATCH", `{"keys":[5]}`, "scenario"},
		"bad permission":   {"PATCH", `{"keys":[{"permissions":["fly"]}]}`, "unknown permission"},
		"key without id":   {"PATCH", `{"keys":[null,null,{"secret":"x"}]}`, "needs key and secret"},
		"other exchange":   {"PATCH", `{"exchange":"binance"}`, "cannot replace"},
		"two documents":    {"PATCH", `{} {}`, "more than one"},
		"negative latency": {"PATCH", `{"latency":"-1s"}`, "latency"},
		"bad balance":      {"PATCH", `{"keys":[{"balances":{"USDT":"1e9"}}]}`, "plain non-negative decimal"},
		"put incomplete":   {"PUT", `{"keys":[]}`, `"exchange" is required`},
		"put typo":         {"PUT", `{"exchange":"fake","hang":true,"typo":1}`, "unknown field"},
		"too large":        {"PUT", `{"exchange":"fake","keys":[{"key":"` + strings.Repeat("k", maxControlBody) + `"}]}`, "at most"},
	} {
		t.Run(name, func(t *testing.T) {
			s := newFake(t)
			before := scenarioJSON(t, s)
			code, body := do(s, c.method, "/_sim/scenario", c.body)
			var e struct{ Error string }
			_ = json.Unmarshal([]byte(body), &e)
			if code < 400 || !strings.Contains(e.Error, c.want) {
				t.Errorf("got %d %s, want an error containing %q", code, body, c.want)
			}
			if after := scenarioJSON(t, s); after != before {
				t.Errorf("the scenario changed:\n%s\n%s", before, after)
			}
			if code, _ := do(s, "GET", "/trade", "", "X-Key", "alice"); code != 200 {
				t.Errorf("the old scenario no longer serves: %d", code)
			}
		})
	}
}

func TestPutReplacesTheScenario(t *testing.T) {
	s := newFake(t)
	code, body := do(s, "PUT", "/_sim/scenario", `{"exchange":"fake","keys":[{"key":"dave","secret":"d","permissions":["read","spot"],"label":"\u001b[31mred\u001b[0m"}]}`)
	if code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	if _, body := do(s, "GET", "/trade", "", "X-Key", "alice"); !strings.Contains(body, "BADKEY") {
		t.Errorf("alice survived a PUT: %s", body)
	}
	if l := s.Scenario().Keys[0].Label; strings.ContainsRune(l, 0x1b) {
		t.Errorf("label not cleaned: %q", l)
	}
	if code, body := do(s, "DELETE", "/_sim/scenario", ""); code != 405 || !strings.Contains(body, "PATCH") {
		t.Errorf("DELETE: %d %s", code, body)
	}
	if code, _ := do(s, "GET", "/_sim/nothing", ""); code != 404 {
		t.Errorf("unknown control path: %d", code)
	}
}

func TestControlAnswersLoopbackOnly(t *testing.T) {
	s := newFake(t)
	for _, remote := range []string{"192.0.2.1:1234", "10.0.0.2:80", "[2001:db8::1]:443", "garbage"} {
		for _, c := range []struct{ method, path, body string }{
			{"GET", "/_sim/scenario", ""}, {"PATCH", "/_sim/scenario", `{"hang":true}`}, {"GET", "/_sim/requests", ""}, {"GET", "/_sim/ip", ""},
		} {
			r := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
			r.RemoteAddr = remote
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			if w.Code != http.StatusForbidden {
				t.Errorf("%s %s from %s: %d", c.method, c.path, remote, w.Code)
			}
		}
	}
	if s.Scenario().Hang {
		t.Error("a refused client changed the scenario")
	}
	if code, _ := do(s, "GET", "/_sim/scenario", "", ""); code != 200 {
		t.Errorf("loopback refused: %d", code)
	}
	r := httptest.NewRequest("GET", "/_sim/scenario", nil)
	r.RemoteAddr = "[::1]:5000"
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != 200 {
		t.Errorf("::1 refused: %d", w.Code)
	}
}

// Every fault of the scenario can be switched on and off mid-run.
func TestFaultsSwitchMidRun(t *testing.T) {
	s := newFake(t)
	patch := func(p string) {
		t.Helper()
		if code, body := do(s, "PATCH", "/_sim/scenario", p); code != 200 {
			t.Fatalf("PATCH %s: %d %s", p, code, body)
		}
	}
	get := func() (int, string) { return do(s, "GET", "/trade", "", "X-Key", "alice") }

	patch(`{"rate_limit_first":2,"retry_after":"3s"}`)
	for i := range 2 {
		if code, body := get(); code != 429 {
			t.Fatalf("request %d after rate_limit_first:2: %d %s", i+1, code, body)
		}
	}
	if code, _ := get(); code != 200 {
		t.Errorf("third request: %d", code)
	}
	patch(`{"rate_limit_first":0,"server_error_first":1}`)
	if code, _ := get(); code != 500 {
		t.Errorf("server_error_first: %d", code)
	}
	patch(`{"server_error_first":0,"malformed":true}`)
	if _, body := get(); json.Valid([]byte(body)) {
		t.Errorf("malformed answered valid JSON: %s", body)
	}
	patch(`{"malformed":false,"maintenance":"ongoing"}`)
	if !s.State().Maintenance() {
		t.Error("maintenance not on")
	}
	patch(`{"maintenance":null,"clock_offset":"-90s"}`)
	if d := time.Since(s.State().Now()); d < 89*time.Second || d > 91*time.Second {
		t.Errorf("clock_offset -90s: the exchange is %v behind", d)
	}
	patch(`{"client_ip":"198.51.100.44"}`)
	if _, body := do(s, "GET", "/_sim/ip", ""); strings.TrimSpace(body) != "198.51.100.44" {
		t.Errorf("ip echo: %q", body)
	}
	patch(`{"client_ip":null,"latency":"200ms"}`)
	start := time.Now()
	if code, _ := get(); code != 200 || time.Since(start) < 190*time.Millisecond {
		t.Errorf("latency: %d after %v", code, time.Since(start))
	}
	patch(`{"latency":null,"hang":true}`)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	r := httptest.NewRequest("GET", "/trade", nil).WithContext(ctx)
	w := httptest.NewRecorder()
	start = time.Now()
	s.ServeHTTP(w, r)
	if time.Since(start) < 90*time.Millisecond || w.Body.Len() != 0 {
		t.Errorf("hang answered after %v: %q", time.Since(start), w.Body.String())
	}
	patch(`{"hang":false}`)
	if code, _ := get(); code != 200 {
		t.Errorf("after every fault is off: %d", code)
	}
}

func TestRequestLog(t *testing.T) {
	s := newFake(t)
	secret := s.Scenario().Keys[0].Secret
	do(s, "GET", "/trade?signature=abcdef0123&secret="+secret, "", "X-Key", "alice")
	do(s, "GET", "/trade", "", "X-Key", "mallory")
	do(s, "PATCH", "/_sim/scenario", `{"keys":[{"permissions":["read"]}],"rate_limit_first":1}`)
	do(s, "GET", "/trade", "", "X-Key", "alice")
	do(s, "GET", "/trade", "", "X-Key", "alice")
	do(s, "POST", "/nowhere", secret)
	_, body := do(s, "GET", "/_sim/requests", "")
	if strings.Contains(body, secret) || strings.Contains(body, "abcdef0123") || strings.Contains(body, "?") {
		t.Fatalf("the log holds a secret or a query string: %s", body)
	}
	var log struct{ Requests []Request }
	if err := json.Unmarshal([]byte(body), &log); err != nil {
		t.Fatal(err)
	}
	want := []struct{ verdict, code string }{{"accepted", ""}, {"refused", "BADKEY"}, {"rate_limited", ""}, {"refused", "NOPERM"}, {"refused", "NOTFOUND"}}
	if len(log.Requests) != len(want) {
		t.Fatalf("%d entries: %s", len(log.Requests), body)
	}
	for i, w := range want {
		if e := log.Requests[i]; e.Verdict != w.verdict || e.Code != w.code || e.Seq != int64(i+1) || e.Path == "" {
			t.Errorf("entry %d = %+v, want %+v", i, e, w)
		}
	}
	_, body = do(s, "GET", "/_sim/requests?since=4", "")
	if err := json.Unmarshal([]byte(body), &log); err != nil || len(log.Requests) != 1 || log.Requests[0].Seq != 5 {
		t.Errorf("since=4: %s", body)
	}
	if s.Requests() != 5 {
		t.Errorf("Requests() = %d; the control endpoint must not count", s.Requests())
	}
}

func TestRequestLogIsBounded(t *testing.T) {
	l := newRequestLog(3)
	r := httptest.NewRequest("GET", "/x", nil)
	for range 10 {
		l.add(r, &recorder{status: 200}, time.Now())
	}
	got := l.Since(0)
	if len(got) != 3 || got[0].Seq != 8 || got[2].Seq != 10 {
		t.Errorf("%+v", got)
	}
}

// Scenario swaps race with requests and with each other; run with -race.
func TestConcurrentPatchesAndRequests(t *testing.T) {
	s := newFake(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for j := range 50 {
				do(s, "PATCH", "/_sim/scenario", fmt.Sprintf(`{"latency":"%dus","keys":[{"label":"w%d-%d"}]}`, j, i, j))
			}
		}()
		go func() {
			defer wg.Done()
			for range 50 {
				do(s, "GET", "/trade", "", "X-Key", "alice")
				do(s, "GET", "/_sim/requests", "")
			}
		}()
	}
	wg.Wait()
	if s.Requests() != 400 {
		t.Errorf("Requests() = %d", s.Requests())
	}
}

func FuzzControlPatch(f *testing.F) {
	for _, seed := range []string{
		`{"keys":[{"permissions":["read"]}]}`, `{"maintenance":"ongoing"}`, `{"keys":[null,{"ips":["10.0.0.1/8"]}]}`,
		`{"clock_offset":"-3s","latency":5}`, `{"keys":null}`, `{"exchange":"x"}`, `[]`, `null`, `{"keys":[{"balances":{"A":null}}]}`,
		`{"rate_limit_first":3,"retry_after":"2s"}`, `{"keys":[{},{},{"key":"k","secret":"s"}]}`,
	} {
		f.Add([]byte(seed))
	}
	s := newFake(f)
	f.Fuzz(func(t *testing.T, patch []byte) {
		before := scenarioJSON(t, s)
		r := httptest.NewRequest("PATCH", "/_sim/scenario", bytes.NewReader(patch))
		r.RemoteAddr = "127.0.0.1:1"
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		switch w.Code {
		case 200:
			sc := s.Scenario()
			if sc.Exchange != "fake" || sc.ClientIP == "" {
				t.Fatalf("accepted a patch into an invalid scenario: %s", scenarioJSON(t, s))
			}
			if err := sc.Validate(); err != nil {
				t.Fatalf("the accepted scenario does not validate: %v", err)
			}
		case 400, 413:
			var e struct{ Error string }
			if json.Unmarshal(w.Body.Bytes(), &e) != nil || e.Error == "" {
				t.Fatalf("refusal without an error message: %s", w.Body.String())
			}
			if after := scenarioJSON(t, s); after != before {
				t.Fatalf("a refused patch changed the scenario")
			}
		default:
			t.Fatalf("status %d", w.Code)
		}
		// Back to the start for the next input.
		if err := s.SetScenario(fakeScenario()); err != nil {
			t.Fatal(err)
		}
	})
}

// A caller that changes the copy Scenario() returns changes nothing in
// force.
func TestScenarioReturnsACopy(t *testing.T) {
	s := newFake(t)
	sc := s.Scenario()
	sc.Keys[0].Permissions[1] = PermWithdraw
	sc.Keys[0].Balances["USDT"] = "0"
	if k := s.State().Scenario().Keys[0]; k.Permissions[1] != PermSpot || k.Balances["USDT"] != "100" {
		t.Errorf("the scenario in force changed: %+v", k)
	}
}
