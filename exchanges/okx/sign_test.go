package okx

import (
	"testing"
	"time"
)

// OKX publishes no signature, only the sample secret and the pre-hash
// shape (docs-v5 "REST Authentication"); the expected value is the
// reference's derived vector (A.2), which ccxt and an independent
// implementation agree on.
func TestSignDerivedVector(t *testing.T) {
	secret := []byte("22582BD0CFF14C41EDBF1AB98506286D")
	got := Sign(secret, "2020-12-08T09:08:57.715Z", "GET", "/api/v5/account/balance?ccy=BTC", "")
	if want := "HiZhvSfMtWJA3uUIVXV3a/bSXNPCWvYFXoGCVS8V4zY="; got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
}

// The timestamp is the docs' example format: UTC, milliseconds, Z.
func TestTimestamp(t *testing.T) {
	ts := time.Date(2020, 12, 8, 17, 8, 57, 715_400_000, time.FixedZone("CST", 8*3600))
	if got, want := Timestamp(ts), "2020-12-08T09:08:57.715Z"; got != want {
		t.Errorf("Timestamp = %s, want %s", got, want)
	}
	if got, want := Timestamp(time.Date(2021, 1, 2, 3, 4, 5, 0, time.UTC)), "2021-01-02T03:04:05.000Z"; got != want {
		t.Errorf("Timestamp = %s, want %s (milliseconds always three digits)", got, want)
	}
}
