package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/exchanges/exchangetest"
	"github.com/keywarden/keywarden/exchanges/sim"
)

// recoveryFixture adds n Binance profiles against one simulator that knows
// all their keys, and returns the CLI and the profile names.
func recoveryFixture(t *testing.T, n int) (*cli, *sim.Server, []string) {
	t.Helper()
	c := newCLI(t)
	sc := exchangetest.GoodScenario(t, "binance", "live")
	for len(sc.Keys) < n+1 { // one spare key for a later add
		k, _ := sim.SampleKey("binance")
		k.Permissions = sc.Keys[0].Permissions
		sc.Keys = append(sc.Keys, k)
	}
	srv := c.simFor(sc)
	var names []string
	for i := 0; i < n; i++ {
		name := []string{"alpha", "bravo", "charlie", "delta"}[i]
		k := srv.Scenario().Keys[i]
		if _, e, code := c.run(credsJSON(k), "add", name, "--exchange", "binance", "--base-url", srv.URL, "--markets", "spot"); code != 0 {
			t.Fatalf("add %s: exit %d: %s", name, code, e)
		}
		names = append(names, name)
	}
	return c, srv, names
}

// allAuthPass runs `check --all --json` and requires that exactly names
// were checked and that every key was accepted by the simulator: proof
// that each secret is back, unchanged.
func allAuthPass(t *testing.T, c *cli, names []string) {
	t.Helper()
	out, e, code := c.run("", "check", "--all", "--json")
	if code != 0 {
		t.Fatalf("check --all: exit %d: %s\n%s", code, e, out)
	}
	d := parseDoc(t, out)
	var got []string
	for _, p := range d.Profiles {
		got = append(got, p.Name)
		for _, ch := range p.Checks {
			if ch.ID == "auth" && ch.Status != "pass" {
				t.Errorf("%s: auth %s: %s %s", p.Name, ch.Status, ch.Summary, ch.Detail)
			}
		}
	}
	sort.Strings(got)
	want := append([]string(nil), names...)
	sort.Strings(want)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("checked %v, want %v", got, want)
	}
}

// TestRecoveryAfterDamagedProfiles follows, through the CLI, what a user
// does when profiles.json is damaged: read the advice, move the file away
// anyway (the advice of older versions), add a key, run doctor. Every
// secret must come back, with the metadata it was saved with.
func TestRecoveryAfterDamagedProfiles(t *testing.T) {
	c, srv, names := recoveryFixture(t, 3)
	dir := c.env["KEYWARDEN_DIR"]
	prof := filepath.Join(dir, "profiles.json")
	if err := os.WriteFile(prof, []byte(`{"version":1,"profiles":[{"name":`), 0o600); err != nil {
		t.Fatal(err)
	}

	_, e, code := c.run("", "list")
	if code != 2 || !strings.Contains(e, "keywarden doctor") || strings.Contains(e, "move it away") {
		t.Fatalf("list on a damaged profiles.json: exit %d: %s", code, e)
	}

	// The old advice: move it away to start with no profiles.
	if err := os.Rename(prof, prof+".bak"); err != nil {
		t.Fatal(err)
	}
	if _, e, code := c.run(credsJSON(srv.Scenario().Keys[3]), "add", "delta", "--exchange", "binance", "--base-url", srv.URL); code != 0 {
		t.Fatalf("add after moving profiles.json away: exit %d: %s", code, e)
	}
	if strings.Contains(e, "removed") || strings.Contains(e, "cleaned up") {
		t.Fatalf("add removed something: %s", e)
	}
	out, e, code := c.run("", "list")
	if code != 0 || !strings.Contains(out, "delta") || !strings.Contains(e, "3 secrets") || !strings.Contains(e, "keywarden doctor") {
		t.Fatalf("list before doctor: exit %d\n%s\n%s", code, out, e)
	}

	// doctor without --yes off a terminal reports and changes nothing.
	before := snapshot(t, dir)
	out, e, code = c.run("", "doctor")
	if code != 1 || !strings.Contains(out, "alpha") || !strings.Contains(out+e, "--yes") {
		t.Fatalf("doctor: exit %d\n%s\n%s", code, out, e)
	}
	if after := snapshot(t, dir); after != before {
		t.Fatalf("doctor without --yes changed the folder")
	}

	out, e, code = c.run("", "doctor", "--yes")
	if code != 0 {
		t.Fatalf("doctor --yes: exit %d\n%s\n%s", code, out, e)
	}
	for _, n := range names {
		if !strings.Contains(out, n) {
			t.Errorf("doctor --yes does not say it rebuilt %s:\n%s", n, out)
		}
	}
	allAuthPass(t, c, append(names, "delta"))

	// The metadata saved with each secret came back too.
	out, _, _ = c.run("", "list", "--json")
	var doc struct {
		Profiles []struct {
			Name    string   `json:"name"`
			BaseURL string   `json:"base_url"`
			Markets []string `json:"markets"`
		} `json:"profiles"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("list --json: %v\n%s", err, out)
	}
	for _, p := range doc.Profiles {
		if p.BaseURL != srv.URL || (p.Name != "delta" && strings.Join(p.Markets, ",") != "spot") {
			t.Errorf("%s: base URL %q, markets %v after the rebuild, want %q and [spot]", p.Name, p.BaseURL, p.Markets, srv.URL)
		}
	}

	// A healthy folder: doctor says so and exits 0.
	if out, e, code := c.run("", "doctor"); code != 0 {
		t.Fatalf("doctor on a repaired folder: exit %d\n%s\n%s", code, out, e)
	}
}

// TestDoctorRebuildsFromDamagedProfiles follows the new advice directly:
// the damaged file is kept aside and the profiles are rebuilt.
func TestDoctorRebuildsFromDamagedProfiles(t *testing.T) {
	c, _, names := recoveryFixture(t, 2)
	dir := c.env["KEYWARDEN_DIR"]
	if err := os.WriteFile(filepath.Join(dir, "profiles.json"), []byte("\x00garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, e, code := c.run("", "doctor")
	if code != 1 || !strings.Contains(out, "profiles.json") || !strings.Contains(out, "damaged") {
		t.Fatalf("doctor: exit %d\n%s\n%s", code, out, e)
	}
	out, e, code = c.run("", "doctor", "--yes")
	if code != 0 {
		t.Fatalf("doctor --yes: exit %d\n%s\n%s", code, out, e)
	}
	kept, _ := filepath.Glob(filepath.Join(dir, "profiles.json.damaged-*"))
	if len(kept) != 1 || !strings.Contains(out, filepath.Base(kept[0])) {
		t.Fatalf("the damaged file was not kept aside and named (%v):\n%s", kept, out)
	}
	allAuthPass(t, c, names)
}

// TestDoctorWrongPassphraseChangesNothing: the rebuild is refused before
// anything is read or written.
func TestDoctorWrongPassphraseChangesNothing(t *testing.T) {
	c, _, _ := recoveryFixture(t, 2)
	dir := c.env["KEYWARDEN_DIR"]
	if err := os.Remove(filepath.Join(dir, "profiles.json")); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	c.env["KEYWARDEN_PASSPHRASE"] = "not the passphrase"
	if _, e, code := c.run("", "doctor", "--yes"); code != 2 || !strings.Contains(e, "wrong passphrase") {
		t.Fatalf("doctor --yes with a wrong passphrase: exit %d: %s", code, e)
	}
	if after := snapshot(t, dir); after != before {
		t.Fatal("doctor with a wrong passphrase changed the folder")
	}
}
