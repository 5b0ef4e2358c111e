package store

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s, r := openTest(t, dir, testPass)
	for _, n := range []string{"okx", "binance-main", "a.b_c-1"} {
		mustAdd(t, s, n)
	}
	if got, want := listNames(t, s), []string{"a.b_c-1", "binance-main", "okx"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("List = %v, want %v (sorted)", got, want)
	}
	p, err := s.Get("okx")
	if err != nil {
		t.Fatal(err)
	}
	if p.Fingerprint != exchanges.Fingerprint(creds("okx").Key) || p.AddedAt.IsZero() || p.RotationDays != DefaultRotationDays {
		t.Fatalf("Get = %+v: fingerprint, added_at or rotation not set", p)
	}
	// A fresh Store (another process) reads them back.
	s2, _ := openTest(t, dir, testPass)
	for _, n := range []string{"okx", "binance-main", "a.b_c-1"} {
		c, err := s2.Credentials(n)
		if err != nil {
			t.Fatalf("credentials %s: %v", n, err)
		}
		if !sameCreds(c, creds(n)) {
			t.Fatalf("credentials %s differ", n)
		}
	}
	// The first Add asked once, with confirm (new keyring); nothing more.
	if len(r.asks) != 1 || !r.asks[0] {
		t.Fatalf("passphrase asks = %v, want [true]", r.asks)
	}
}

func TestKeyDerivedOncePerStore(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, testPass)
	mustAdd(t, s, "one")
	s2, r := openTest(t, dir, testPass)
	for i := 0; i < 3; i++ {
		if _, err := s2.Credentials("one"); err != nil {
			t.Fatal(err)
		}
	}
	mustAdd(t, s2, "two")
	if r.askCount() != 1 || r.asks[0] {
		t.Fatalf("asks = %v, want one ask without confirm", r.asks)
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, testPass)
	mustAdd(t, s, "main")
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"add existing", s.Add(profile("main"), creds("main")), ErrExists},
		{"get missing", func() error { _, err := s.Get("nope"); return err }(), ErrNotFound},
		{"credentials missing", func() error { _, err := s.Credentials("nope"); return err }(), ErrNotFound},
		{"remove missing", s.Remove("nope"), ErrNotFound},
		{"update missing", s.Update("nope", func(*Profile) error { return nil }), ErrNotFound},
		{"replace missing", s.Replace("nope", creds("x"), nil), ErrNotFound},
		{"bad name", s.Add(profile("Bad Name"), creds("x")), ErrBadName},
		{"dotdot", func() error { _, err := s.Credentials(".."); return err }(), ErrBadName},
		{"empty key", s.Add(profile("x"), exchanges.Credentials{Secret: exchanges.NewSecret("s")}), ErrBadInput},
		{"empty secret", s.Add(profile("x"), exchanges.Credentials{Key: "k"}), ErrBadInput},
		{"newline key", s.Add(profile("x"), exchanges.Credentials{Key: "k\n", Secret: exchanges.NewSecret("s")}), ErrBadInput},
		{"no exchange", s.Add(Profile{Name: "x"}, creds("x")), ErrBadInput},
		{"bad backend", func() error { _, err := Open(Options{Dir: dir, Backend: "gnome"}); return err }(), ErrBackend},
		{"no dir", func() error { _, err := Open(Options{}); return err }(), ErrBadInput},
		{"change on os", func() error {
			s, err := open(Options{Dir: t.TempDir(), Backend: BackendOS}, hooks{})
			if err != nil {
				return err
			}
			return s.ChangePassphrase("long enough pass")
		}(), ErrBackend},
		{"change without keyring", func() error {
			s, _ := openTest(t, t.TempDir(), testPass)
			return s.ChangePassphrase("long enough pass")
		}(), ErrNoKeyring},
		{"credentials without passphrase func", func() error {
			s, err := Open(Options{Dir: dir})
			if err != nil {
				return err
			}
			_, err = s.Credentials("main")
			return err
		}(), ErrNoPassphrase},
	}
	for _, c := range cases {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, c.err, c.want)
			continue
		}
		if msg := c.err.Error(); msg != strings.ToLower(msg[:1])+msg[1:] {
			t.Errorf("%s: error not lowercase: %q", c.name, msg)
		}
	}
	if got := listNames(t, s); !reflect.DeepEqual(got, []string{"main"}) {
		t.Fatalf("failed calls changed the profiles: %v", got)
	}
}

func TestValidName(t *testing.T) {
	good := []string{"a", "0", "binance-main", "okx.sub_1", strings.Repeat("a", 64)}
	bad := []string{"", ".", "..", "-a", ".a", "_a", "A", "a/b", "a%2f", "a b", "a:b", "é", strings.Repeat("a", 65), "a\x00"}
	for _, n := range good {
		if err := ValidName(n); err != nil {
			t.Errorf("ValidName(%q) = %v", n, err)
		}
	}
	for _, n := range bad {
		if err := ValidName(n); !errors.Is(err, ErrBadName) {
			t.Errorf("ValidName(%q) = %v, want ErrBadName", n, err)
		}
	}
	// A long invalid value (maybe a pasted secret) is not echoed.
	long := strings.Repeat("S", 80)
	if err := ValidName(long); strings.Contains(err.Error(), long) {
		t.Errorf("error echoes a long value: %v", err)
	}
}

func TestMetadataNeverAsksPassphrase(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, testPass)
	mustAdd(t, s, "main")
	mustAdd(t, s, "other")

	q := noAsk(t, dir)
	if _, err := q.List(); err != nil {
		t.Fatal(err)
	}
	if _, err := q.Get("main"); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	err := q.Update("main", func(p *Profile) error {
		p.LastCheck = &CheckSummary{At: at, Counts: map[string]int{"pass": 9, "warn": 1}, Worst: "warn", Summary: "ok"}
		p.BotIPs = []string{"203.0.113.7"}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := q.Get("main")
	if p.LastCheck == nil || p.LastCheck.Counts["warn"] != 1 || !p.LastCheck.At.Equal(at) || p.BotIPs[0] != "203.0.113.7" {
		t.Fatalf("update lost: %+v", p)
	}
}

// TestRemoveNeedsPassphrase: deleting a secret needs the passphrase, and a
// wrong one is refused before anything is read or written.
func TestRemoveNeedsPassphrase(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, testPass)
	mustAdd(t, s, "main")
	mustAdd(t, s, "other")
	before := snapshot(t, dir)
	w, r := openTest(t, dir, "not the passphrase")
	if err := w.Remove("other"); !errors.Is(err, ErrWrongPassphrase) || r.askCount() != 1 {
		t.Fatalf("remove with a wrong passphrase: %v (asked %d times)", err, r.askCount())
	}
	if d := diffSnapshots(before, snapshot(t, dir)); d != "" {
		t.Fatalf("remove with a wrong passphrase changed files:\n%s", d)
	}
	q, r := openTest(t, dir, testPass)
	if err := q.Remove("other"); err != nil || r.askCount() != 1 {
		t.Fatalf("remove: %v (asked %d times)", err, r.askCount())
	}
	if _, err := os.Stat(filepath.Join(dir, "items.1", "other")); !os.IsNotExist(err) {
		t.Fatalf("item of removed profile still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, journalFileName)); !os.IsNotExist(err) {
		t.Fatalf("journal left after a removal: %v", err)
	}
	if got := listNames(t, q); !reflect.DeepEqual(got, []string{"main"}) {
		t.Fatalf("List = %v", got)
	}
}

func TestUpdateGuards(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, testPass)
	mustAdd(t, s, "main")
	before := snapshot(t, dir)
	boom := errors.New("boom")
	if err := s.Update("main", func(p *Profile) error { p.Exchange = "okx"; return boom }); !errors.Is(err, boom) {
		t.Fatalf("fn error not returned: %v", err)
	}
	if err := s.Update("main", func(p *Profile) error { p.Name = "other"; return nil }); !errors.Is(err, ErrBadInput) {
		t.Fatalf("rename allowed: %v", err)
	}
	if err := s.Update("main", func(p *Profile) error { p.Fingerprint = "x"; return nil }); !errors.Is(err, ErrBadInput) {
		t.Fatalf("fingerprint change allowed: %v", err)
	}
	if d := diffSnapshots(before, snapshot(t, dir)); d != "" {
		t.Fatalf("refused updates changed files:\n%s", d)
	}
}

func TestReplace(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, testPass)
	mustAdd(t, s, "main")
	if err := s.Update("main", func(p *Profile) error {
		p.LastCheck = &CheckSummary{Worst: "fail"}
		p.KeyExpires = time.Now().Add(time.Hour)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	nc := creds("rotated")
	if err := s.Replace("main", nc, func(p *Profile) { p.Name = "hijack"; p.RotationDays = 30 }); err != nil {
		t.Fatal(err)
	}
	s2, _ := openTest(t, dir, testPass)
	c, err := s2.Credentials("main")
	if err != nil || !sameCreds(c, nc) {
		t.Fatalf("credentials after replace: %v", err)
	}
	p, _ := s2.Get("main")
	if p.Fingerprint != exchanges.Fingerprint(nc.Key) || p.RotatedAt.IsZero() || p.LastCheck != nil || !p.KeyExpires.IsZero() || p.RotationDays != 30 {
		t.Fatalf("metadata after replace: %+v", p)
	}
}

func TestRemoveMissingItemIsFine(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, testPass)
	mustAdd(t, s, "main")
	mustAdd(t, s, "keep")
	if err := os.Remove(filepath.Join(dir, "items.1", "main")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Credentials("main"); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("missing item: %v, want ErrCorrupt", err)
	}
	if err := s.Remove("main"); err != nil {
		t.Fatalf("remove with missing item: %v", err)
	}
	if got := listNames(t, s); !reflect.DeepEqual(got, []string{"keep"}) {
		t.Fatalf("List = %v", got)
	}
}

func TestBackendMismatch(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, testPass)
	mustAdd(t, s, "main")
	_, err := Open(Options{Dir: dir, Backend: BackendOS})
	if !errors.Is(err, ErrBackend) || !strings.Contains(err.Error(), "--backend file") {
		t.Fatalf("open with the other backend: %v", err)
	}
}

func TestMissingKeyringFileWithProfiles(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, testPass)
	mustAdd(t, s, "main")
	if err := os.Remove(filepath.Join(dir, keyringFileName)); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	s2, r := openTest(t, dir, testPass)
	if err := s2.Add(profile("new"), creds("new")); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "backup") {
		t.Fatalf("add without keyring.json: %v", err)
	}
	if _, err := s2.Credentials("main"); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("credentials without keyring.json: %v", err)
	}
	if r.askCount() != 0 {
		t.Fatalf("asked for a passphrase %d times", r.askCount())
	}
	if d := diffSnapshots(before, snapshot(t, dir)); d != "" {
		t.Fatalf("files changed:\n%s", d)
	}
}
