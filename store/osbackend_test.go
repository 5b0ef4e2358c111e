package store

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/99designs/keyring"
)

// openOSTest opens dir with the os backend on an in-memory keychain.
func openOSTest(t *testing.T, dir string, ring keyring.Keyring) *Store {
	t.Helper()
	s, err := open(Options{Dir: dir, Backend: BackendOS, Passphrase: func(bool) (string, error) {
		t.Error("the os backend asked for a passphrase")
		return "", errors.New("no")
	}}, hooks{openOS: func() (keyring.Keyring, error) { return ring, nil }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestOSBackend(t *testing.T) {
	dir := t.TempDir()
	ring := keyring.NewArrayKeyring(nil)
	s := openOSTest(t, dir, ring)
	mustAdd(t, s, "main")
	mustAdd(t, s, "other")
	if keys, _ := ring.Keys(); !slices.Equal(keys, []string{"main", "other"}) && !slices.Equal(keys, []string{"other", "main"}) {
		t.Fatalf("keychain keys = %v", keys)
	}
	if c, err := openOSTest(t, dir, ring).Credentials("main"); err != nil || !sameCreds(c, creds("main")) {
		t.Fatalf("credentials: %v", err)
	}
	if err := s.Replace("main", creds("new"), nil); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Credentials("main"); !sameCreds(c, creds("new")) {
		t.Fatal("replace did not reach the keychain")
	}
	if err := ring.Remove("other"); err != nil { // already gone from the keychain
		t.Fatal(err)
	}
	if err := s.Remove("other"); err != nil {
		t.Fatalf("remove of a profile whose item is gone: %v", err)
	}
	if err := s.Unlock(); err != nil {
		t.Fatal(err)
	}
	// Metadata stays in Dir; no keyring files there.
	for _, n := range []string{keyringFileName, "items.1", tmpDirName} {
		if _, err := os.Stat(filepath.Join(dir, n)); !os.IsNotExist(err) {
			t.Errorf("%s exists with the os backend", n)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, profilesFileName)); !strings.Contains(string(b), `"backend": "os"`) {
		t.Errorf("profiles.json does not record the backend:\n%s", b)
	}
}

func TestOSBackendNoKeychain(t *testing.T) {
	for _, b := range keyring.AvailableBackends() {
		if slices.Contains(osBackends(), b) {
			t.Skipf("this machine has a system keychain (%s): not touching it", b)
		}
	}
	dir := t.TempDir()
	s, err := Open(Options{Dir: dir, Backend: BackendOS})
	if err != nil {
		t.Fatalf("open needs no keychain: %v", err)
	}
	if _, err := s.List(); err != nil {
		t.Fatalf("list needs no keychain: %v", err)
	}
	for name, err := range map[string]error{
		"unlock": s.Unlock(),
		"add":    s.Add(profile("main"), creds("main")),
	} {
		if !errors.Is(err, ErrNoKeychain) || !strings.Contains(err.Error(), "--backend file") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, profilesFileName)); !os.IsNotExist(err) {
		t.Error("a failed add wrote profiles.json")
	}
}

func TestOSBackendsExcludeFileKeyctlPass(t *testing.T) {
	for _, b := range osBackends() {
		if b == keyring.FileBackend || b == keyring.KeyCtlBackend || b == keyring.PassBackend {
			t.Fatalf("os backends include %s", b)
		}
	}
}

// stuckRing is a keychain whose Get waits forever (an unlock prompt nobody
// answers) and whose Set panics (the Secret Service client on a vanished
// D-Bus connection).
type stuckRing struct{ keyring.Keyring }

func (stuckRing) Get(string) (keyring.Item, error) { select {} }
func (stuckRing) Set(keyring.Item) error           { panic("close of closed channel") }

// TestOSBackendBoundedAndNoPanic: a keychain call that never returns ends
// in a clear error after the timeout, and one that panics in an error.
func TestOSBackendBoundedAndNoPanic(t *testing.T) {
	dir := t.TempDir()
	ring := stuckRing{keyring.NewArrayKeyring(nil)}
	s, err := open(Options{Dir: dir, Backend: BackendOS}, hooks{
		openOS:          func() (keyring.Keyring, error) { return ring, nil },
		keychainTimeout: 50 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Add(profile("main"), creds("main")); !errors.Is(err, ErrNoKeychain) || !strings.Contains(err.Error(), "failed") {
		t.Fatalf("add through a panicking keychain: %v", err)
	}
	if len(listNames(t, s)) != 0 {
		t.Fatal("a profile was saved although its secret was not")
	}
	if err := s.saveProfiles(&profilesFile{Profiles: []Profile{{Name: "main", Exchange: "binance", Fingerprint: "x"}}}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = s.Credentials("main")
	if !errors.Is(err, ErrNoKeychain) || !strings.Contains(err.Error(), "unlock") || time.Since(start) > 5*time.Second {
		t.Fatalf("credentials from a keychain that never answers: %v after %v", err, time.Since(start))
	}
}
