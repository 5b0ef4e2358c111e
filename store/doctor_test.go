package store

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// richProfile has every field an item carries.
func richProfile(name string) Profile {
	return Profile{
		Name: name, Exchange: "okx", Environment: "demo", BaseURL: "http://127.0.0.1:9",
		Markets: []string{"spot", "futures"}, BotIPs: []string{"203.0.113.9"},
		AddedAt: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC), RotationDays: 30,
		KeyCreated: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
	}
}

// addV1 writes an item as keywarden versions before items carried their
// profile did, and its profile.
func addV1(t *testing.T, s *Store, dir, name string) {
	t.Helper()
	mustAdd(t, s, name)
	u, err := s.unlock(readKF(t, dir), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeItem(dir, filepath.Join(dir, u.kf.Items), name, encodeItem(creds(name), nil), u.key); err != nil {
		t.Fatal(err)
	}
}

func TestRebuildFromItems(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, testPass)
	for _, n := range []string{"alpha", "bravo"} {
		if err := s.Add(richProfile(n), creds(n)); err != nil {
			t.Fatal(err)
		}
	}
	addV1(t, s, dir, "old")
	want := map[string]Profile{}
	for _, n := range []string{"alpha", "bravo"} {
		want[n] = mustGet(t, s, n)
	}
	if err := os.Remove(filepath.Join(dir, profilesFileName)); err != nil {
		t.Fatal(err)
	}

	d := noAsk(t, dir)
	r, err := d.Diagnose()
	if err != nil {
		t.Fatal(err)
	}
	if !r.ProfilesMissing || !reflect.DeepEqual(r.Orphans, []string{"alpha", "bravo", "old"}) || r.Healthy() {
		t.Fatalf("diagnose: %+v", r)
	}
	if names, err := d.UnnamedItems(); err != nil || len(names) != 3 {
		t.Fatalf("unnamed items: %v %v", names, err)
	}

	w, rec := openTest(t, dir, testPass)
	found, err := w.Recoverable()
	if err != nil || len(found) != 3 || rec.askCount() != 1 {
		t.Fatalf("recoverable: %d, %v (asked %d)", len(found), err, rec.askCount())
	}
	var ps []Profile
	for _, f := range found {
		if f.Err != nil {
			t.Fatalf("%s: %v", f.Profile.Name, f.Err)
		}
		if !sameCreds(f.Creds, creds(f.Profile.Name)) {
			t.Errorf("%s: wrong credentials", f.Profile.Name)
		}
		switch f.Profile.Name {
		case "old":
			if f.Complete || f.Profile.Exchange != "" || f.Profile.Fingerprint == "" || f.Written.IsZero() {
				t.Errorf("old item: %+v", f)
			}
		default:
			if !f.Complete || !reflect.DeepEqual(f.Profile, want[f.Profile.Name]) {
				t.Errorf("%s: rebuilt %+v\nwant %+v", f.Profile.Name, f.Profile, want[f.Profile.Name])
			}
		}
		ps = append(ps, f.Profile)
	}
	before := snapshot(t, dir)
	if _, err := w.Restore(append(ps, Profile{Name: "nosuch"})); err == nil {
		t.Fatal("restore of a name without an item accepted")
	}
	if _, err := w.Restore([]Profile{ps[0], ps[0]}); err == nil {
		t.Fatal("restore of a name twice accepted")
	}
	if d := diffSnapshots(before, snapshot(t, dir)); d != "" {
		t.Fatalf("a refused restore changed files:\n%s", d)
	}
	if kept, err := w.Restore(ps); err != nil || kept != "" {
		t.Fatalf("restore: %q %v", kept, err)
	}
	for _, n := range []string{"alpha", "bravo", "old"} {
		if c, err := w.Credentials(n); err != nil || !sameCreds(c, creds(n)) {
			t.Fatalf("%s after the rebuild: %v", n, err)
		}
	}
	if p := mustGet(t, w, "alpha"); !reflect.DeepEqual(p, want["alpha"]) {
		t.Errorf("alpha after the rebuild: %+v", p)
	}
	r, _ = w.Diagnose()
	if !reflect.DeepEqual(r.NoExchange, []string{"old"}) || len(r.Orphans) != 0 {
		t.Errorf("diagnose after the rebuild: %+v", r)
	}
	if _, err := w.Restore([]Profile{ps[0]}); err == nil {
		t.Fatal("restore over an existing profile accepted")
	}
}

func TestRebuildKeepsDamagedProfilesAside(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, testPass)
	mustAdd(t, s, "main")
	bad := []byte(`{"version":1,"profiles":[{"name":"main"`)
	if err := os.WriteFile(filepath.Join(dir, profilesFileName), bad, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(Options{Dir: dir}); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "keywarden doctor") || strings.Contains(err.Error(), "move it away") {
		t.Fatalf("open of a damaged profiles.json: %v", err)
	}
	w, err := open(Options{Dir: dir, Passphrase: func(bool) (string, error) { return testPass, nil }}, hooks{kdf: testKDF(), repair: true})
	if err != nil {
		t.Fatal(err)
	}
	r, err := w.Diagnose()
	if err != nil || r.ProfilesDamaged == "" || !reflect.DeepEqual(r.Orphans, []string{"main"}) {
		t.Fatalf("diagnose: %+v %v", r, err)
	}
	found, err := w.Recoverable()
	if err != nil || len(found) != 1 {
		t.Fatalf("recoverable: %v %v", found, err)
	}
	kept, err := w.Restore([]Profile{found[0].Profile})
	if err != nil || !strings.HasPrefix(kept, "profiles.json.damaged-") {
		t.Fatalf("restore: %q %v", kept, err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, kept)); err != nil || string(b) != string(bad) {
		t.Fatalf("the damaged file was not kept as it was: %v", err)
	}
	s2, _ := openTest(t, dir, testPass)
	if c, err := s2.Credentials("main"); err != nil || !sameCreds(c, creds("main")) {
		t.Fatalf("after the rebuild: %v", err)
	}
}

func TestRebuildRefusesNewerProfiles(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, testPass)
	mustAdd(t, s, "main")
	newer := []byte(`{"version":9,"profiles":[]}`)
	if err := os.WriteFile(filepath.Join(dir, profilesFileName), newer, 0o600); err != nil {
		t.Fatal(err)
	}
	w, err := open(Options{Dir: dir, Passphrase: func(bool) (string, error) { return testPass, nil }}, hooks{kdf: testKDF(), repair: true})
	if err != nil {
		t.Fatal(err)
	}
	if r, err := w.Diagnose(); err != nil || !r.ProfilesNewer || len(r.Orphans) != 0 {
		t.Fatalf("diagnose: %+v %v", r, err)
	}
	if _, err := w.Recoverable(); err == nil || !strings.Contains(err.Error(), "upgrade keywarden") {
		t.Fatalf("recoverable over a newer profiles.json: %v", err)
	}
	if _, err := w.Restore([]Profile{{Name: "main"}}); err == nil {
		t.Fatal("restore over a newer profiles.json accepted")
	}
}

func TestRebuildWrongPassphraseChangesNothing(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, testPass)
	mustAdd(t, s, "main")
	if err := os.Remove(filepath.Join(dir, profilesFileName)); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	w, _ := openTest(t, dir, "not the passphrase")
	if _, err := w.Recoverable(); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("recoverable: %v", err)
	}
	if _, err := w.Restore([]Profile{{Name: "main", Exchange: "binance"}}); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("restore: %v", err)
	}
	if err := w.Unlock(); !errors.Is(err, ErrWrongPassphrase) || strings.Contains(err.Error(), "delete") {
		t.Fatalf("a wrong passphrase beside secrets without profiles advises deleting: %v", err)
	}
	if d := diffSnapshots(before, snapshot(t, dir)); d != "" {
		t.Fatalf("files changed:\n%s", d)
	}
}

// TestOrphansSurviveWritesAndPassphraseChange: items no profile names are
// never deleted by a later write, never overwritten by an add of the same
// name, and carried over (old ones upgraded) by a passphrase change.
func TestOrphansSurviveWritesAndPassphraseChange(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, testPass)
	mustAdd(t, s, "orphan")
	addV1(t, s, dir, "old")
	if err := s.saveProfiles(&profilesFile{Profiles: []Profile{mustGet(t, s, "old")}}); err != nil {
		t.Fatal(err)
	}
	mustAdd(t, s, "other")
	if err := s.Add(profile("orphan"), creds("intruder")); !errors.Is(err, ErrExists) || !strings.Contains(err.Error(), "keywarden doctor") {
		t.Fatalf("add over an orphan item: %v", err)
	}
	if err := s.ChangePassphrase("another long passphrase"); err != nil {
		t.Fatal(err)
	}
	w, _ := openTest(t, dir, "another long passphrase")
	found, err := w.Recoverable()
	if err != nil || len(found) != 1 || found[0].Profile.Name != "orphan" || !sameCreds(found[0].Creds, creds("orphan")) {
		t.Fatalf("orphan after a passphrase change: %+v %v", found, err)
	}
	kf := readKF(t, dir)
	u, err := w.unlock(kf, nil)
	if err != nil {
		t.Fatal(err)
	}
	data, err := readItem(filepath.Join(dir, kf.Items), "old", u.key)
	if err != nil {
		t.Fatal(err)
	}
	if _, p, err := decodeItem("old", data); err != nil || p == nil || p.Exchange != "binance" {
		t.Fatalf("old item not upgraded to carry its profile: %+v %v", p, err)
	}
}
