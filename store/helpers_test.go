package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/keywarden/keywarden/exchanges"
)

// testKDF is a cheap Argon2id for tests; only the test hook can set it.
func testKDF() *kdfParams { return &kdfParams{Time: 1, Memory: 64, Threads: 1} }

const testPass = "correct horse battery"

// recorder counts passphrase requests and collects warnings.
type recorder struct {
	mu       sync.Mutex
	asks     []bool
	warnings []string
}

func (r *recorder) warn(m string) { r.mu.Lock(); r.warnings = append(r.warnings, m); r.mu.Unlock() }

func (r *recorder) passphrase(p string) func(bool) (string, error) {
	return func(confirm bool) (string, error) {
		r.mu.Lock()
		r.asks = append(r.asks, confirm)
		r.mu.Unlock()
		return p, nil
	}
}

func (r *recorder) askCount() int { r.mu.Lock(); defer r.mu.Unlock(); return len(r.asks) }

// openTest opens dir with the test KDF and passphrase pass.
func openTest(t testing.TB, dir, pass string) (*Store, *recorder) {
	t.Helper()
	r := &recorder{}
	s, err := open(Options{Dir: dir, Passphrase: r.passphrase(pass), Warn: r.warn}, hooks{kdf: testKDF()})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return s, r
}

// noAsk opens dir with a Passphrase func that fails the test if called.
func noAsk(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := open(Options{Dir: dir, Passphrase: func(bool) (string, error) {
		t.Errorf("passphrase asked")
		return "", errors.New("no")
	}}, hooks{kdf: testKDF()})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// creds returns deterministic credentials for a profile name.
func creds(name string) exchanges.Credentials {
	return exchanges.Credentials{
		Key:        "PUBKEY-" + name + "-0123456789",
		Secret:     exchanges.NewSecret("SECRET-" + name + "-s3cr3t"),
		Passphrase: exchanges.NewSecret("PASS-" + name),
	}
}

func profile(name string) Profile {
	return Profile{Name: name, Exchange: "binance", Environment: "live", Markets: []string{"spot"}}
}

func mustAdd(t testing.TB, s *Store, name string) {
	t.Helper()
	if err := s.Add(profile(name), creds(name)); err != nil {
		t.Fatalf("add %s: %v", name, err)
	}
}

// sameCreds compares two credentials including secrets.
func sameCreds(a, b exchanges.Credentials) bool {
	return a.Key == b.Key && a.Secret.Equal(b.Secret) && a.Passphrase.Equal(b.Passphrase)
}

// snapshot hashes every file (name, mode, content) below dir.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		h := sha256.New()
		if fi.Mode().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			h.Write(b)
		}
		rel, _ := filepath.Rel(dir, p)
		out[rel] = fmt.Sprintf("%v %s", fi.Mode(), hex.EncodeToString(h.Sum(nil)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func diffSnapshots(a, b map[string]string) string {
	var d []string
	for k, v := range a {
		if b[k] != v {
			d = append(d, "changed or removed: "+k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			d = append(d, "added: "+k)
		}
	}
	sort.Strings(d)
	return strings.Join(d, "\n")
}

// listNames returns the names of every profile.
func listNames(t testing.TB, s *Store) []string {
	t.Helper()
	ps, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	var n []string
	for _, p := range ps {
		n = append(n, p.Name)
	}
	return n
}
