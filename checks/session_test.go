package checks

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim"
)

func TestPublicIPFallback(t *testing.T) {
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) }))
	defer bad.Close()
	good := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(" 198.51.100.4\n")) }))
	defer good.Close()
	s := NewSession(Options{IPEchoURLs: []string{bad.URL, good.URL}})
	ip, err := s.PublicIP(context.Background())
	if err != nil || ip != "198.51.100.4" {
		t.Fatalf("got %q, %v", ip, err)
	}
	// Asked once per session.
	bad.Close()
	good.Close()
	if ip2, _ := s.PublicIP(context.Background()); ip2 != ip {
		t.Fatalf("second call %q", ip2)
	}
}

func TestNTPFromSimulator(t *testing.T) {
	srv, err := sim.ServeNTP("127.0.0.1:0", -3*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	s := NewSession(Options{NTPServers: []string{srv.Addr}})
	n, err := s.NTP(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// The server runs 3 s behind, so this machine looks 3 s ahead.
	if n.Offset < 2900*time.Millisecond || n.Offset > 3100*time.Millisecond {
		t.Errorf("offset %v, want about +3s", n.Offset)
	}
}

func TestNTPUnreachableAndOff(t *testing.T) {
	// A UDP port that answers nothing.
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	s := NewSession(Options{NTPServers: []string{pc.LocalAddr().String()}, Timeout: 600 * time.Millisecond})
	start := time.Now()
	if _, err := s.NTP(context.Background()); err == nil || !strings.Contains(err.Error(), "no NTP server answered") {
		t.Errorf("got %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Errorf("NTP took %v", time.Since(start))
	}
	off := NewSession(Options{NTPServers: []string{"off"}})
	if v, _ := off.NTP(context.Background()); !v.Disabled {
		t.Error("off did not disable NTP")
	}
}

func FuzzParseEchoIP(f *testing.F) {
	for _, s := range []string{"1.2.3.4", "  ::1\n", "<html>", "", "1.2.3.4.5", "2001:db8::1%eth0"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ip, err := ParseEchoIP(b)
		if err == nil && net.ParseIP(ip) == nil {
			t.Fatalf("accepted %q", ip)
		}
	})
}
