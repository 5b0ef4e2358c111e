package sim

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestWatchReloadsAndKeepsTheOldScenarioOnABadFile(t *testing.T) {
	sc, _ := Default("binance")
	s, err := New(sc)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "scenario.json")
	// Written as careful editors do (a temporary file renamed over the
	// old one); half-written files are covered by the empty-file rule.
	write := func(body string) {
		t.Helper()
		tmp := path + ".tmp"
		if err := os.WriteFile(tmp, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, path); err != nil {
			t.Fatal(err)
		}
	}
	k := s.Scenario().Keys[0]
	write(`{"exchange":"binance","keys":[{"key":"` + k.Key + `","secret":"` + k.Secret + `","permissions":["read","spot"]}]}`)
	_, loaded, err := ReadScenarioFile(path)
	if err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	var msgs []string
	report := func(m string) {
		mu.Lock()
		defer mu.Unlock()
		msgs = append(msgs, m)
	}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(3 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				mu.Lock()
				defer mu.Unlock()
				t.Fatalf("%s: not within 3s; reports: %q", what, msgs)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	count := func() int { mu.Lock(); defer mu.Unlock(); return len(msgs) }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go Watch(ctx, s, path, loaded, 10*time.Millisecond, report)

	write(`{"exchange":"binance","maintenance":"ongoing","keys":[{"key":"` + k.Key + `","secret":"` + k.Secret + `","permissions":["read"]}]}`)
	waitFor("reload", func() bool { return s.Scenario().Maintenance == "ongoing" })
	waitFor("reload reported", func() bool { return count() == 1 })

	write(`{"exchange":"binance","maintenance":"maybe"}`)
	waitFor("bad file reported", func() bool { return count() == 2 })
	time.Sleep(50 * time.Millisecond) // several more polls of the same bad file
	mu.Lock()
	if len(msgs) != 2 || !strings.Contains(msgs[1], "maintenance must be") || !strings.Contains(msgs[1], "previous scenario stays") {
		t.Errorf("reports: %q", msgs)
	}
	mu.Unlock()
	if s.Scenario().Maintenance != "ongoing" || len(s.Scenario().Keys) != 1 {
		t.Errorf("a bad file changed the scenario: %+v", s.Scenario())
	}
	write(`{"exchange":"okx"}`)
	waitFor("other exchange refused", func() bool { return count() == 3 })
	write(`{"exchange":"binance"}`)
	waitFor("good again", func() bool { return len(s.Scenario().Keys) == 0 })
	n := count()
	write("")
	time.Sleep(60 * time.Millisecond)
	if count() != n {
		mu.Lock()
		t.Errorf("an empty file (one being written) was reported: %q", msgs[n:])
		mu.Unlock()
	}
}
