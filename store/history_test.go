package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestHistoryAppendAndRead(t *testing.T) {
	dir := t.TempDir()
	s := noAsk(t, dir) // the log never needs the passphrase
	at := time.Date(2026, 11, 21, 5, 0, 0, 500, time.FixedZone("x", 3600))
	events := []Event{
		{Time: at, Event: EventAdded, Profile: "main", Exchange: "binance", Fingerprint: "abcd…wxyz", Detail: "Binance live"},
		{Event: EventChecked, Profile: "main", Result: "warn", Counts: map[string]int{"pass": 9, "warn": 1}, Detail: "9 passed,\n1 warning"},
		{Event: EventExec, Profile: "other", Detail: "freqtrade"},
	}
	for _, e := range events {
		if err := s.AppendHistory(e); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.History("")
	if err != nil || len(all) != 3 {
		t.Fatalf("History(\"\") = %d events, %v", len(all), err)
	}
	if !all[0].Time.Equal(at.Truncate(time.Second)) || all[0].Time.Location() != time.UTC {
		t.Errorf("time not kept in UTC whole seconds: %v", all[0].Time)
	}
	if all[1].Time.IsZero() || all[1].Detail != "9 passed, 1 warning" || all[1].Counts["warn"] != 1 {
		t.Errorf("second event: %+v", all[1])
	}
	mine, _ := s.History("main")
	if len(mine) != 2 || mine[0].Event != EventAdded || mine[1].Event != EventChecked {
		t.Errorf("History(main) = %+v", mine)
	}
	fi, err := os.Stat(filepath.Join(dir, historyFileName))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("history mode %04o, want 0600", fi.Mode().Perm())
	}
}

func TestHistoryRefusesBadEvents(t *testing.T) {
	s := noAsk(t, t.TempDir())
	if err := s.AppendHistory(Event{Event: "exploded", Profile: "main"}); !errors.Is(err, ErrBadInput) {
		t.Errorf("unknown event: %v", err)
	}
	if err := s.AppendHistory(Event{Event: EventAdded, Profile: "../x"}); !errors.Is(err, ErrBadName) {
		t.Errorf("bad name: %v", err)
	}
	if _, err := s.History("NOPE"); !errors.Is(err, ErrBadName) {
		t.Errorf("History(bad name): %v", err)
	}
	long := strings.Repeat("é", 1000)
	if err := s.AppendHistory(Event{Event: EventExec, Profile: "main", Detail: long}); err != nil {
		t.Fatal(err)
	}
	ev, _ := s.History("main")
	if n := len([]rune(ev[0].Detail)); n != maxHistoryDetail {
		t.Errorf("detail of %d characters kept, want %d", n, maxHistoryDetail)
	}
}

// A crash mid-write leaves a torn last line: it is skipped, and the next
// event starts on a line of its own.
func TestHistoryTornLine(t *testing.T) {
	dir := t.TempDir()
	s, rec := openTest(t, dir, testPass)
	if err := s.AppendHistory(Event{Event: EventAdded, Profile: "main"}); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(dir, historyFileName), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.WriteString(`{"time":"2026-11-21T05:00:00Z","event":"chec`)
	_ = f.Close()
	if err := s.AppendHistory(Event{Event: EventRemoved, Profile: "main"}); err != nil {
		t.Fatal(err)
	}
	ev, err := s.History("main")
	if err != nil {
		t.Fatal(err)
	}
	if len(ev) != 2 || ev[0].Event != EventAdded || ev[1].Event != EventRemoved {
		t.Fatalf("events after a torn line: %+v", ev)
	}
	if w := strings.Join(rec.warnings, "\n"); !strings.Contains(w, "skipped 1 damaged line") {
		t.Errorf("warnings: %q", rec.warnings)
	}
}

func TestHistoryLongLineSkipped(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, testPass)
	junk := strings.Repeat("x", maxHistoryLine*3) + "\n"
	if err := os.WriteFile(filepath.Join(dir, historyFileName), []byte(junk), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.AppendHistory(Event{Event: EventAdded, Profile: "main"}); err != nil {
		t.Fatal(err)
	}
	ev, err := s.History("")
	if err != nil || len(ev) != 1 {
		t.Fatalf("History = %+v, %v", ev, err)
	}
}

// Appends from many goroutines (each with its own lock handle, like
// processes) never interleave within a line.
func TestHistoryConcurrentAppends(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := noAsk(t, dir)
			for i := 0; i < 25; i++ {
				if err := s.AppendHistory(Event{Event: EventExec, Profile: fmt.Sprintf("p%d", g), Detail: strings.Repeat("d", 200)}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	ev, err := noAsk(t, dir).History("")
	if err != nil || len(ev) != 200 {
		t.Fatalf("%d events, %v", len(ev), err)
	}
}

func FuzzParseEvent(f *testing.F) {
	f.Add([]byte(`{"time":"2026-11-21T05:00:00Z","event":"added","profile":"main","exchange":"binance","fingerprint":"abcd…wxyz"}`))
	f.Add([]byte(`{"time":"2026-11-21T05:00:00Z","event":"checked","profile":"main","result":"warn","counts":{"pass":9,"warn":1}}`))
	f.Add([]byte(`{"time":"2026-11-21T05:00:00Z","event":"checked","profile":"main","secret":"x"}`))
	f.Add([]byte(`{"event":"added","profile":"main"}`))
	f.Add([]byte("\xff{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := ParseEvent(data)
		if err != nil {
			if strings.Contains(err.Error(), string(data)) && len(data) > 8 {
				t.Fatalf("error quotes its input: %v", err)
			}
			return
		}
		if !knownEvent(e.Event) || ValidName(e.Profile) != nil || e.Time.IsZero() {
			t.Fatalf("accepted an invalid event: %+v", e)
		}
	})
}

func FuzzReadLines(f *testing.F) {
	f.Add([]byte("a\nb\n\nc"), 4)
	f.Add([]byte(strings.Repeat("z", 100)+"\nq"), 10)
	f.Fuzz(func(t *testing.T, data []byte, max int) {
		if max < 1 || max > 1<<20 {
			return
		}
		var got []string
		if err := readLines(strings.NewReader(string(data)), max, func(l []byte) { got = append(got, string(l)) }); err != nil {
			t.Fatal(err)
		}
		var want []string
		parts := strings.Split(string(data), "\n")
		if len(parts) > 0 && parts[len(parts)-1] == "" {
			parts = parts[:len(parts)-1]
		}
		for _, p := range parts {
			if len(p) <= max {
				want = append(want, p)
			}
		}
		if strings.Join(got, "\x00") != strings.Join(want, "\x00") || len(got) != len(want) {
			t.Fatalf("readLines(%q, %d) = %q, want %q", data, max, got, want)
		}
	})
}
