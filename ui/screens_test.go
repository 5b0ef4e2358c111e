package ui

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/checks"
)

// manual is a run whose events the test sends one by one.
type manual struct {
	ch  chan Event
	ctx context.Context
}

func (m *manual) start(ctx context.Context) <-chan Event {
	m.ch, m.ctx = make(chan Event, 64), ctx
	return m.ch
}

func result(id string, s checks.Status, summary, fix, detail string) *checks.Result {
	for _, c := range checks.Table() {
		if c.ID == id {
			return &checks.Result{ID: id, Title: c.Title, Status: s, Summary: summary, Fix: fix, Detail: detail}
		}
	}
	return nil
}

func TestHealthScreenResolvesRows(t *testing.T) {
	run := &manual{}
	h := NewHealth([]HealthTarget{{Name: "main", ExchangeName: "Binance", Environment: "live"}}, run.start, false)
	d := drive(t, h, 80, 24)
	v := screen(h)
	if strings.Count(v, "checking…") != 10 || !strings.Contains(v, "main · Binance live") {
		t.Fatalf("before any result, every row should spin:\n%s", v)
	}
	// One result arrives: its row resolves, the others keep spinning.
	run.ch <- Event{Profile: "main", Result: result("auth", checks.Fail, "rejected: this machine's IP 203.0.113.10 is not on the key's whitelist",
		"On API Management click Edit restrictions and add 203.0.113.10.", "-2015 Invalid API-key, IP, or permissions for action.")}
	d.settle(200 * time.Millisecond)
	v = screen(h)
	if strings.Count(v, "checking…") != 9 || !strings.Contains(v, "✗ Authentication") || !strings.Contains(v, "→ On API Management") {
		t.Fatalf("after one result:\n%s", v)
	}
	for _, c := range checks.Table() {
		if c.ID != "auth" {
			run.ch <- Event{Profile: "main", Result: result(c.ID, checks.Pass, c.ID+" fine", "", "")}
		}
	}
	rep := checks.Report{Name: "main", Counts: checks.Counts{Pass: 9, Fail: 1}}
	run.ch <- Event{Profile: "main", Report: &rep}
	close(run.ch)
	d.settle(500 * time.Millisecond)
	v = screen(h)
	if h.Running() || !strings.Contains(v, "9 passed · 1 failed") || !strings.Contains(v, "r run again") {
		t.Fatalf("after the run:\n%s", v)
	}
	fits(t, v, 80)
	if n := strings.Count(v, "\n") + 1; n > 24 {
		t.Errorf("%d lines on a 24-line screen", n)
	}
	// Arrows select a row; its detail shows in the footer.
	for i := 0; i < 2; i++ {
		d.send(key("down"))
	}
	if v := screen(h); !strings.Contains(v, "Authentication: -2015 Invalid API-key") {
		t.Errorf("the selected row's detail is not shown:\n%s", v)
	}
	// r starts a new run: the rows spin again.
	d.send(key("r"))
	if !h.Running() || strings.Count(screen(h), "checking…") != 10 {
		t.Errorf("r did not start a new run:\n%s", screen(h))
	}
	// q quits and cancels the run.
	d.send(key("q"))
	if !d.quit || !h.Quitting() || run.ctx.Err() == nil {
		t.Error("q did not quit and cancel the run")
	}
}

func TestHealthScreenScrollsManyProfiles(t *testing.T) {
	var targets []HealthTarget
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		targets = append(targets, HealthTarget{Name: n, ExchangeName: "Binance", Environment: "live"})
	}
	run := &manual{}
	h := NewHealth(targets, run.start, false)
	d := drive(t, h, 80, 24)
	for i := 0; i < 45; i++ {
		d.send(key("down"))
	}
	v := screen(h)
	if n := strings.Count(v, "\n") + 1; n > 24 {
		t.Errorf("%d lines on a 24-line screen", n)
	}
	if !strings.Contains(v, "e · Binance live") {
		t.Errorf("the selected row of the last profile is not in view:\n%s", v)
	}
}

func TestHomeMenus(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	profiles := []ProfileView{
		{Name: "main", Exchange: "binance", Environment: "live", Fingerprint: "vmPU…Eh8A", AddedAt: now.Add(-time.Hour), RotationDays: 90},
		{Name: "okx-bot", Exchange: "okx", Environment: "demo", Fingerprint: "37c5…8418", AddedAt: now, RotationDays: 90,
			LastCheck: &LastCheck{At: now.Add(-3 * time.Hour), Worst: "fail", Summary: "8 passed, 2 failed"}},
	}
	h := NewHome(profiles, false, now)
	d := drive(t, h, 80, 24)
	v := screen(h)
	for _, s := range []string{"Set up a new key", "Check a key…", "Check all keys", "Manage keys…", "Try the demo", "2 keys"} {
		if !strings.Contains(v, s) {
			t.Errorf("home lacks %q:\n%s", s, v)
		}
	}
	fits(t, v, 80)
	d.send(key("down"), key("enter")) // Check a key…
	if v := screen(h); !strings.Contains(v, "Check which key?") || !strings.Contains(v, "fail 3h ago") {
		t.Errorf("check menu:\n%s", v)
	}
	d.send(key("down"), key("enter"))
	if !d.quit || h.Action() != (HomeAction{Kind: "check", Profile: "okx-bot"}) {
		t.Errorf("action %+v", h.Action())
	}

	// Manage → a profile → remove asks first; anything but y cancels.
	h = NewHome(profiles, false, now)
	d = drive(t, h, 80, 24)
	d.send(key("down"), key("down"), key("down"), key("enter"), key("enter"))
	if v := screen(h); !strings.Contains(v, "Key          vmPU…Eh8A") || !strings.Contains(v, "Remove it") {
		t.Errorf("profile menu:\n%s", v)
	}
	d.send(key("down"), key("enter"))
	if !strings.Contains(screen(h), "Remove main and its secrets") {
		t.Errorf("no confirmation:\n%s", screen(h))
	}
	d.send(key("n"))
	if d.quit || strings.Contains(screen(h), "Remove main and its secrets") {
		t.Error("n did not cancel")
	}
	d.send(key("enter"), key("y"))
	if !d.quit || h.Action() != (HomeAction{Kind: "remove", Profile: "main"}) {
		t.Errorf("action %+v", h.Action())
	}
	// esc from the top quits.
	h = NewHome(nil, false, now)
	d = drive(t, h, 80, 24)
	d.send(key("esc"))
	if !d.quit || h.Action().Kind != "quit" {
		t.Error("esc did not quit")
	}
}

func TestCheckTextWraps(t *testing.T) {
	rep := checks.Report{Name: "main", Exchange: "binance", Environment: "live", Checks: []checks.Result{
		*result("auth", checks.Fail, "rejected: this machine's IP 203.0.113.10 is not on the key's whitelist, which is a long sentence",
			"On API Management click Edit restrictions for this key, under Restrict access to trusted IPs only add 203.0.113.10, click Confirm and Save.", "detail"),
	}, Counts: checks.Counts{Fail: 1}}
	var narrow, pipe bytes.Buffer
	_ = WriteCheckText(&narrow, []checks.Report{rep}, NewStyles(false), nil, 80)
	fits(t, narrow.String(), 80)
	_ = WriteCheckText(&pipe, []checks.Report{rep}, NewStyles(false), nil, 0)
	if strings.Count(pipe.String(), "\n") != 5 {
		t.Errorf("off a terminal each item is one line:\n%s", pipe.String())
	}
	if strings.Contains(pipe.String(), "\x1b") {
		t.Error("escape codes without colour")
	}
}
