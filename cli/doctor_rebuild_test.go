package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/sim"
	"github.com/keywarden/keywarden/store"
)

// oldItem is what Recoverable returns for a secret of an older keywarden.
func oldItem(t *testing.T, exchange string) store.Recovered {
	t.Helper()
	k, ok := sim.SampleKey(exchange)
	if !ok {
		t.Fatalf("no sample key for %s", exchange)
	}
	c := exchanges.Credentials{Key: k.Key, Secret: exchanges.NewSecret(k.Secret), Passphrase: exchanges.NewSecret(k.Passphrase)}
	return store.Recovered{
		Profile: store.Profile{Name: "old", Fingerprint: exchanges.Fingerprint(k.Key)},
		Creds:   c, Written: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC),
	}
}

// TestCompleteOldItems: what an old secret cannot tell comes from the
// history log (same profile and key), else the key's format when only one
// exchange accepts it, else stays unknown (no terminal to ask).
func TestCompleteOldItems(t *testing.T) {
	a := &app{io: &ioStreams{}}
	added := time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)

	f := oldItem(t, "gate") // Gate's format is not unique: Binance's is alike
	events := []store.Event{
		{Time: added.Add(-time.Hour), Event: store.EventAdded, Profile: "old", Exchange: "binance", Fingerprint: "AAAA…ZZZZ"}, // an earlier key
		{Time: added, Event: store.EventAdded, Profile: "old", Exchange: "gate", Fingerprint: f.Profile.Fingerprint},
		{Time: added.Add(time.Hour), Event: store.EventChecked, Profile: "old", Fingerprint: f.Profile.Fingerprint},
	}
	p, how := a.completeOld(f, events, false)
	if p.Exchange != "gate" || p.Environment != "live" || !p.AddedAt.Equal(added) || !strings.Contains(how, "history") {
		t.Errorf("from the history: %+v (%s)", p, how)
	}

	p, how = a.completeOld(oldItem(t, "kraken"), nil, false)
	if p.Exchange != "kraken" || !strings.Contains(how, "format") || !p.AddedAt.Equal(f.Written) {
		t.Errorf("from the format: %+v (%s)", p, how)
	}

	p, how = a.completeOld(oldItem(t, "binance"), nil, false)
	if p.Exchange != "" || p.Environment != "" || !strings.Contains(how, "keywarden doctor on a terminal") {
		t.Errorf("unknown: %+v (%s)", p, how)
	}
	if !strings.Contains(how, "markets, bot IPs and base URL") {
		t.Errorf("does not say what was not saved: %s", how)
	}
}

// TestUnknownExchangePointsToDoctor: check and rotate on a profile rebuilt
// without its exchange say how to give it.
func TestUnknownExchangePointsToDoctor(t *testing.T) {
	err := unknownExchange(store.Profile{Name: "old"})
	if err == nil || !strings.Contains(err.Error(), "keywarden doctor") || exitCode(err) != exitUsage {
		t.Fatalf("unknownExchange: %v", err)
	}
}
