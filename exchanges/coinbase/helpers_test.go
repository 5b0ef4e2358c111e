package coinbase

import (
	"strconv"
	"testing"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/exchangetest"
	"github.com/keywarden/keywarden/exchanges/sim"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// sampleCreds are fresh ECDSA credentials from the simulator's generator.
func sampleCreds(t *testing.T) (exchanges.Credentials, sim.Key) {
	t.Helper()
	k, ok := sim.SampleKey("coinbase")
	if !ok {
		t.Fatal("no coinbase simulator")
	}
	return exchangetest.CredsOf(k), k
}

// sampleKeyForFuzz is one PEM key from the simulator's generator.
func sampleKeyForFuzz() (string, bool) {
	k, ok := sim.SampleKey("coinbase")
	return k.Secret, ok
}
