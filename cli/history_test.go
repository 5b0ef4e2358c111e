package cli

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/store"
	"github.com/keywarden/keywarden/ui"
)

func TestHistoryCommand(t *testing.T) {
	c := newCLI(t)
	k := addSampleProfile(t, c, "main")
	addSampleProfile(t, c, "other")
	if _, e, code := c.run("", "exec", "main", "--", os.Args[0], "__child__", "touch", t.TempDir()+"/x", "--secret-looking-arg"); code != 0 {
		t.Fatal(e)
	}
	if _, e, code := c.run("", "remove", "other", "--yes"); code != 0 {
		t.Fatal(e)
	}
	out, _, code := c.run("", "history", "--json")
	if code != 0 {
		t.Fatal(out)
	}
	var doc struct {
		Events []struct {
			Event, Profile, Exchange, Fingerprint, Detail string
		} `json:"events"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range doc.Events {
		got = append(got, e.Profile+":"+e.Event+":"+e.Exchange)
	}
	want := "main:added:binance other:added:binance main:exec:binance other:removed:binance"
	if strings.Join(got, " ") != want {
		t.Errorf("events %v, want %s", got, want)
	}
	if strings.Contains(out, "--secret-looking-arg") || strings.Contains(out, os.Args[0]) {
		t.Error("exec's arguments or full path logged")
	}
	raw, _ := os.ReadFile(c.env["KEYWARDEN_DIR"] + "/history.jsonl")
	if strings.Contains(string(raw), k.Secret) || strings.Contains(string(raw), k.Key) {
		t.Error("a secret or a whole key in the log")
	}
	text, _, _ := c.run("", "history", "other")
	if !strings.Contains(text, "removed") || !strings.Contains(text, "added") || strings.Contains(text, "main") {
		t.Errorf("history other:\n%s", text)
	}
	if _, e, code := c.run("", "history", "ghost"); code != 2 || !strings.Contains(e, "no profile and no history") {
		t.Errorf("history ghost: %d %q", code, e)
	}
}

func TestParseCheckDetail(t *testing.T) {
	w, s, c := parseCheckDetail("warn: 9 passed, 1 warning, 2 failed, 1 skipped")
	if w != "warn" || s != "9 passed, 1 warning, 2 failed, 1 skipped" || c["pass"] != 9 || c["warn"] != 1 || c["fail"] != 2 || c["skip"] != 1 {
		t.Errorf("%q %q %v", w, s, c)
	}
	if w, s, _ := parseCheckDetail("odd"); w != "" || s != "odd" {
		t.Errorf("%q %q", w, s)
	}
}

// list shows the last check of the current key from the history, when it
// is newer than the one the profile remembers.
func TestLastChecksFromHistory(t *testing.T) {
	now := time.Date(2026, 11, 21, 6, 0, 0, 0, time.UTC)
	ps := []store.Profile{{Name: "main", Fingerprint: "new1…new2"}}
	events := []store.Event{
		{Time: now.Add(-3 * time.Hour), Event: store.EventChecked, Profile: "main", Fingerprint: "new1…new2", Result: "pass", Detail: "10 passed"},
		{Time: now.Add(-1 * time.Hour), Event: store.EventChecked, Profile: "main", Fingerprint: "old1…old2", Result: "fail", Detail: "old key"},
		{Time: now.Add(-2 * time.Hour), Event: store.EventChecked, Profile: "main", Fingerprint: "new1…new2", Result: "warn", Detail: "9 passed, 1 warning", Counts: map[string]int{"pass": 9, "warn": 1}},
		{Time: now, Event: store.EventExec, Profile: "main", Fingerprint: "new1…new2"},
		{Time: now, Event: store.EventChecked, Profile: "gone", Result: "pass"},
	}
	last := lastChecks(events, ps)
	if e := last["main"]; e.Result != "warn" || len(last) != 1 {
		t.Fatalf("%+v", last)
	}
	v := withHistoryCheck(ui.ProfileView{Name: "main"}, last)
	if v.LastCheck == nil || v.LastCheck.Worst != "warn" || v.LastCheck.Summary != "9 passed, 1 warning" || v.LastCheck.Counts["warn"] != 1 {
		t.Errorf("%+v", v.LastCheck)
	}
	newer := &ui.LastCheck{At: now, Worst: "pass"}
	if v := withHistoryCheck(ui.ProfileView{Name: "main", LastCheck: newer}, last); v.LastCheck != newer {
		t.Error("an older history event replaced a newer remembered check")
	}
}
