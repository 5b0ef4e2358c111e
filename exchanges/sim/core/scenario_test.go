package core

import (
	"strings"
	"testing"
	"time"
)

func TestParseScenario(t *testing.T) {
	sc, err := ParseScenario([]byte(`{"exchange":"binance","clock_offset":"-3s","latency":"100ms","keys":[{"key":"k","secret":"s","permissions":["read","spot"],"ips":["203.0.113.0/24"]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if sc.ClockOffset.D() != -3*time.Second || sc.Latency.D() != 100*time.Millisecond || sc.ClientIP != DefaultClientIP {
		t.Errorf("%+v", sc)
	}
	if !sc.Keys[0].IPAllowed("203.0.113.99") || sc.Keys[0].IPAllowed("198.51.100.1") {
		t.Error("CIDR whitelist")
	}
	for in, want := range map[string]string{
		`{"exchange":"binance","typo":1}`:             "unknown field",
		`{"keys":[]}`:                                 `"exchange" is required`,
		`{"exchange":"binance","client_ip":"nope"}`:   "not an IP",
		`{"exchange":"binance","maintenance":"soon"}`: "maintenance must be",
		`{"exchange":"binance","keys":[{"key":"k","secret":"s","permissions":["fly"]}]}`: "unknown permission",
		`{"exchange":"binance","clock_offset":"3 seconds"}`:                              "duration",
	} {
		if _, err := ParseScenario([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", in, err, want)
		}
	}
}

func FuzzParseScenario(f *testing.F) {
	f.Add([]byte(`{"exchange":"binance","keys":[{"key":"k","secret":"s","permissions":["read"]}]}`))
	f.Add([]byte(`{"exchange":"x","latency":5}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		sc, err := ParseScenario(b)
		if err == nil && (sc.Exchange == "" || sc.ClientIP == "") {
			t.Fatal("accepted an incomplete scenario")
		}
	})
}
