package store

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/99designs/keyring"
	"golang.org/x/crypto/argon2"
)

func readKF(t *testing.T, dir string) *keyringFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, keyringFileName))
	if err != nil {
		t.Fatal(err)
	}
	kf, err := parseKeyringFile("keyring.json", b)
	if err != nil {
		t.Fatal(err)
	}
	return kf
}

func TestShippedKDFParams(t *testing.T) {
	if p := defaultKDF(); p != (kdfParams{Time: 3, Memory: 64 * 1024, Threads: 4}) {
		t.Fatalf("default KDF = %+v, want t=3 m=64MiB p=4", p)
	}
	// A Store opened without the test hook writes them to keyring.json.
	dir := t.TempDir()
	s, err := Open(Options{Dir: dir, Passphrase: func(bool) (string, error) { return testPass, nil }})
	if err != nil {
		t.Fatal(err)
	}
	mustAdd(t, s, "main")
	kf := readKF(t, dir)
	if kf.KDF != "argon2id" || kf.Argon2 != argon2.Version || kf.Time != 3 || kf.Memory != 65536 || kf.Threads != 4 {
		t.Fatalf("keyring.json params = %+v", kf)
	}
	if len(kf.Salt) < 16 || len(kf.Salt) > 32 {
		t.Fatalf("salt of %d bytes", len(kf.Salt))
	}
	// The verifier is HMAC-SHA256(argon2id(pass), label) ...
	k := argon2.IDKey([]byte(testPass), kf.Salt, 3, 64*1024, 4, 32)
	m := hmac.New(sha256.New, k)
	m.Write([]byte("keywarden-verifier-v1"))
	if !hmac.Equal(m.Sum(nil), kf.Verifier) {
		t.Fatal("verifier is not HMAC-SHA256(k, keywarden-verifier-v1)")
	}
	// ... and keyring's own file backend opens the item with base64(k).
	ring, err := keyring.Open(keyring.Config{
		AllowedBackends:  []keyring.BackendType{keyring.FileBackend},
		FileDir:          filepath.Join(dir, kf.Items),
		FilePasswordFunc: keyring.FixedStringPrompt(base64.RawStdEncoding.EncodeToString(k)),
	})
	if err != nil {
		t.Fatal(err)
	}
	it, err := ring.Get("main")
	if err != nil {
		t.Fatalf("keyring.Get of our item: %v", err)
	}
	if c, err := decodeCreds("main", it.Data); err != nil || !sameCreds(c, creds("main")) {
		t.Fatalf("item content: %v", err)
	}
	if fi, _ := os.Stat(filepath.Join(dir, keyringFileName)); fi.Mode().Perm() != 0o600 {
		t.Fatalf("keyring.json mode %v", fi.Mode())
	}
}

func TestItemHeaderLeaksNothing(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, testPass)
	mustAdd(t, s, "main")
	b, err := os.ReadFile(filepath.Join(dir, "items.1", "main"))
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(string(b), ".")
	if len(parts) != 5 {
		t.Fatalf("item is not a 5-part JWE: %d parts", len(parts))
	}
	hb, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		t.Fatal(err)
	}
	var h map[string]any
	if err := json.Unmarshal(hb, &h); err != nil {
		t.Fatal(err)
	}
	for k := range h {
		switch k {
		case "alg", "enc", "p2c", "p2s":
		default:
			t.Errorf("plaintext header has %q (%v)", k, h[k])
		}
	}
	if h["alg"] != "PBES2-HS256+A128KW" || h["enc"] != "A256GCM" {
		t.Fatalf("header = %v", h)
	}
}

// TestWrongPassphraseChangesNothing: every operation refuses a wrong
// passphrase before touching any file.
func TestWrongPassphraseChangesNothing(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, testPass)
	mustAdd(t, s, "main")
	mustAdd(t, s, "second")
	// Leave leftovers that a successful write would clean up: they must
	// survive a wrong passphrase too.
	if err := os.WriteFile(filepath.Join(dir, tmpDirName, tempPrefix+"x"+tempSuffix), []byte("junk"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "items.7"), 0o700); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)

	ops := map[string]func(*Store) error{
		"add":         func(s *Store) error { return s.Add(profile("new"), creds("new")) },
		"credentials": func(s *Store) error { _, err := s.Credentials("main"); return err },
		"replace":     func(s *Store) error { return s.Replace("main", creds("other"), nil) },
		"change":      func(s *Store) error { return s.ChangePassphrase("a brand new passphrase") },
		"unlock":      func(s *Store) error { return s.Unlock() },
	}
	for name, op := range ops {
		w, r := openTest(t, dir, "not the passphrase")
		err := op(w)
		if !errors.Is(err, ErrWrongPassphrase) {
			t.Errorf("%s: err = %v, want ErrWrongPassphrase", name, err)
			continue
		}
		msg := err.Error()
		for _, want := range []string{"nothing was read or changed", "KEYWARDEN_PASSPHRASE", dir} {
			if !strings.Contains(msg, want) {
				t.Errorf("%s: message lacks %q: %s", name, want, msg)
			}
		}
		if strings.Contains(msg, "not the passphrase") {
			t.Errorf("%s: message shows the passphrase", name)
		}
		if r.askCount() != 1 {
			t.Errorf("%s: asked %d times", name, r.askCount())
		}
		// Not cached: a second try asks again.
		_ = op(w)
		if r.askCount() != 2 {
			t.Errorf("%s: wrong passphrase was cached", name)
		}
		if d := diffSnapshots(before, snapshot(t, dir)); d != "" {
			t.Fatalf("%s with a wrong passphrase changed files:\n%s", name, d)
		}
	}
	// The right one still works.
	if _, err := s.Credentials("main"); err != nil {
		t.Fatal(err)
	}
}

func TestPassphraseRules(t *testing.T) {
	t.Run("empty refused for a new keyring", func(t *testing.T) {
		dir := t.TempDir()
		s, _ := openTest(t, dir, "")
		if err := s.Add(profile("main"), creds("main")); !errors.Is(err, ErrEmptyPassphrase) {
			t.Fatalf("err = %v", err)
		}
		if _, err := os.Stat(filepath.Join(dir, keyringFileName)); !os.IsNotExist(err) {
			t.Fatal("keyring created with an empty passphrase")
		}
	})
	t.Run("empty refused for an existing keyring", func(t *testing.T) {
		dir := t.TempDir()
		s, _ := openTest(t, dir, testPass)
		mustAdd(t, s, "main")
		e, _ := openTest(t, dir, "")
		if _, err := e.Credentials("main"); !errors.Is(err, ErrEmptyPassphrase) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("short refused for a new keyring", func(t *testing.T) {
		dir := t.TempDir()
		s, _ := openTest(t, dir, "1234567")
		err := s.Add(profile("main"), creds("main"))
		if !errors.Is(err, ErrWeakPassphrase) || !strings.Contains(err.Error(), "at least 8 characters") {
			t.Fatalf("err = %v", err)
		}
		if err := s.Unlock(); !errors.Is(err, ErrWeakPassphrase) {
			t.Fatalf("unlock: %v", err)
		}
	})
	t.Run("8 characters accepted, counted as characters", func(t *testing.T) {
		s, _ := openTest(t, t.TempDir(), "pässwörd")
		mustAdd(t, s, "main")
	})
	t.Run("short refused for a change", func(t *testing.T) {
		dir := t.TempDir()
		s, _ := openTest(t, dir, testPass)
		mustAdd(t, s, "main")
		if err := s.ChangePassphrase("short"); !errors.Is(err, ErrWeakPassphrase) {
			t.Fatalf("err = %v", err)
		}
		if err := s.ChangePassphrase(""); !errors.Is(err, ErrEmptyPassphrase) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("existing keyring with a short passphrase opens", func(t *testing.T) {
		dir := t.TempDir()
		s, _ := openTest(t, dir, testPass)
		mustAdd(t, s, "main")
		// Rewrite keyring.json as an older keywarden with no length rule would.
		kf := readKF(t, dir)
		nkf, _, err := newKeyringFile("abc", *testKDF())
		if err != nil {
			t.Fatal(err)
		}
		nkf.Items = kf.Items
		if err := s.saveKeyring(nkf); err != nil {
			t.Fatal(err)
		}
		short, _ := openTest(t, dir, "abc")
		if err := short.Unlock(); err != nil {
			t.Fatalf("short passphrase of an existing keyring refused: %v", err)
		}
	})
}

func TestUnlockNewKeyringAsksWithConfirm(t *testing.T) {
	dir := t.TempDir()
	s, r := openTest(t, dir, testPass)
	if err := s.Unlock(); err != nil {
		t.Fatal(err)
	}
	if len(r.asks) != 1 || !r.asks[0] {
		t.Fatalf("asks = %v, want [true]", r.asks)
	}
	if _, err := os.Stat(filepath.Join(dir, keyringFileName)); !os.IsNotExist(err) {
		t.Fatal("Unlock wrote keyring.json before anything was stored")
	}
	mustAdd(t, s, "main") // uses the pending key: no second ask
	if len(r.asks) != 1 {
		t.Fatalf("asks = %v", r.asks)
	}
}

func TestChangePassphrase(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, testPass)
	for _, n := range []string{"a", "b", "c"} {
		mustAdd(t, s, n)
	}
	const newPass = "an entirely new passphrase"
	if err := s.ChangePassphrase(newPass); err != nil {
		t.Fatal(err)
	}
	// The same Store keeps working under the new key.
	mustAdd(t, s, "d")
	kf := readKF(t, dir)
	if kf.Items != "items.2" {
		t.Fatalf("current generation %q, want items.2", kf.Items)
	}
	if _, err := os.Stat(filepath.Join(dir, "items.1")); !os.IsNotExist(err) {
		t.Fatal("old generation not removed")
	}
	old, _ := openTest(t, dir, testPass)
	if _, err := old.Credentials("a"); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("old passphrase: %v", err)
	}
	nw, _ := openTest(t, dir, newPass)
	for _, n := range []string{"a", "b", "c", "d"} {
		if c, err := nw.Credentials(n); err != nil || !sameCreds(c, creds(n)) {
			t.Fatalf("%s under the new passphrase: %v", n, err)
		}
	}
}

func TestChangePassphraseUpgradesParams(t *testing.T) {
	dir := t.TempDir()
	weak := kdfParams{Time: 1, Memory: 32, Threads: 1}
	r := &recorder{}
	s, err := open(Options{Dir: dir, Passphrase: r.passphrase(testPass), Warn: r.warn}, hooks{kdf: &weak})
	if err != nil {
		t.Fatal(err)
	}
	mustAdd(t, s, "main")
	s2, r2 := openTest(t, dir, testPass) // configured with stronger params
	if err := s2.Unlock(); err != nil {
		t.Fatal(err)
	}
	if len(r2.warnings) != 1 || !strings.Contains(r2.warnings[0], "keywarden passphrase") {
		t.Fatalf("warnings = %q", r2.warnings)
	}
	if err := s2.ChangePassphrase(testPass); err != nil {
		t.Fatal(err)
	}
	if kf := readKF(t, dir); kf.params() != *testKDF() {
		t.Fatalf("params not upgraded: %+v", kf.params())
	}
}
