package store

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	jose "github.com/dvsekhvalnov/jose2go"

	"github.com/keywarden/keywarden/exchanges"
)

func TestPermissionsTightened(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("unix modes")
	}
	dir := filepath.Join(t.TempDir(), "kw")
	s, _ := openTest(t, dir, testPass)
	mustAdd(t, s, "main")
	loosen := map[string]fs.FileMode{
		dir:                                   0o755,
		filepath.Join(dir, profilesFileName):  0o644,
		filepath.Join(dir, keyringFileName):   0o664,
		filepath.Join(dir, "items.1"):         0o775,
		filepath.Join(dir, "items.1", "main"): 0o604,
		filepath.Join(dir, tmpDirName):        0o711,
		filepath.Join(dir, lockFileName):      0o700, // execute on a file is looser too
	}
	for p, m := range loosen {
		if err := os.Chmod(p, m); err != nil {
			t.Fatal(err)
		}
	}
	// Symlinks are not followed: the target outside must keep its mode.
	outside := filepath.Join(t.TempDir(), "outside")
	if err := os.WriteFile(outside, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}

	_, r := openTest(t, dir, testPass)
	for p, old := range loosen {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		want := fileMode
		if fi.IsDir() {
			want = dirMode
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", p, fi.Mode().Perm(), want)
		}
		msg := fmt.Sprintf("tightened permissions of %s from %04o to %04o", p, old, want)
		found := false
		for _, w := range r.warnings {
			found = found || w == msg
		}
		if !found {
			t.Errorf("no warning %q in %q", msg, r.warnings)
		}
	}
	if len(r.warnings) != len(loosen) {
		t.Errorf("%d warnings for %d loosened paths: %q", len(r.warnings), len(loosen), r.warnings)
	}
	if fi, _ := os.Stat(outside); fi.Mode().Perm() != 0o644 {
		t.Error("a symlink target outside the folder was changed")
	}
	// Nothing to say the second time.
	if _, r := openTest(t, dir, testPass); len(r.warnings) != 0 {
		t.Errorf("second open warned: %q", r.warnings)
	}
}

func TestNewFilesArePrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("unix modes")
	}
	dir := filepath.Join(t.TempDir(), "a", "kw") // parents created too
	s, _ := openTest(t, dir, testPass)
	mustAdd(t, s, "main")
	if err := s.ChangePassphrase("another long passphrase"); err != nil {
		t.Fatal(err)
	}
	mustAdd(t, s, "second")
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, _ := d.Info()
		want := fileMode
		if d.IsDir() {
			want = dirMode
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", p, fi.Mode().Perm(), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSecretsNeverOnDisk greps every file byte-wise for the secret values
// in every common encoding.
func TestSecretsNeverOnDisk(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, testPass)
	key := "PUBLICKEYvG7Hd8KqLm2Nx4Zp"
	secret := "s3cr3t-Zq9vW2xR7tY5uI1oP4aS6dF8gH0jK"
	pass := "okx-passphrase-Yh7Gb"
	c := exchanges.Credentials{Key: key, Secret: exchanges.NewSecret(secret), Passphrase: exchanges.NewSecret(pass)}
	if err := s.Add(profile("main"), c); err != nil {
		t.Fatal(err)
	}
	if err := s.Replace("main", c, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.ChangePassphrase("second keyring passphrase"); err != nil {
		t.Fatal(err)
	}
	var needles []string
	for _, v := range []string{secret, pass, testPass, "second keyring passphrase"} {
		b := []byte(v)
		needles = append(needles, v,
			base64.StdEncoding.EncodeToString(b), base64.RawStdEncoding.EncodeToString(b),
			base64.URLEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b),
			hex.EncodeToString(b), strings.ToUpper(hex.EncodeToString(b)))
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, n := range needles {
			if strings.Contains(string(b), n) {
				t.Errorf("%s contains a secret (form %q…)", p, n[:6])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	meta, err := os.ReadFile(filepath.Join(dir, profilesFileName))
	if err != nil {
		t.Fatal(err)
	}
	fp := exchanges.Fingerprint(key)
	if !strings.Contains(string(meta), fp) {
		t.Errorf("profiles.json lacks the fingerprint %q", fp)
	}
	if strings.Contains(string(meta), key) || strings.Contains(string(meta), key[4:len(key)-4]) {
		t.Error("profiles.json holds more of the key than its fingerprint")
	}
}

// TestErrorsHoldNoSecret: a damaged item's error never quotes its content.
func TestErrorsHoldNoSecret(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, testPass)
	mustAdd(t, s, "main")
	u, err := s.unlock(readKF(t, dir), nil)
	if err != nil {
		t.Fatal(err)
	}
	// An item that decrypts but holds malformed JSON built from the secret.
	bad := []byte(`{"v":1,"key":"k","secret":SECRET-VALUE-XYZ}`)
	if err := writeItem(dir, filepath.Join(dir, "items.1"), "main", bad, u.key); err != nil {
		t.Fatal(err)
	}
	_, err = s.Credentials("main")
	if !errors.Is(err, ErrCorrupt) || strings.Contains(err.Error(), "SECRET") || strings.Contains(err.Error(), "XYZ") {
		t.Fatalf("err = %v", err)
	}
	// An item whose decrypted payload is not even keyring JSON:
	// encoding/json would quote its first byte.
	tok, err := jose.EncryptBytes([]byte("SECRET-XYZ"), jose.PBES2_HS256_A128KW, jose.A256GCM, filePassword(u.key))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "items.1", "main"), []byte(tok), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = s.Credentials("main")
	if !errors.Is(err, ErrCorrupt) || strings.Contains(err.Error(), "'S'") || strings.Contains(err.Error(), "SECRET") {
		t.Fatalf("non-JSON payload: %v", err)
	}
	// A truncated item.
	if err := os.WriteFile(filepath.Join(dir, "items.1", "main"), []byte("eyJhbGciOi"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Credentials("main"); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("truncated item: %v", err)
	}
	// An item moved under another name is refused.
	mustAdd(t, s, "other")
	if err := os.Rename(filepath.Join(dir, "items.1", "other"), filepath.Join(dir, "items.1", "main")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Credentials("main"); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("swapped item: %v", err)
	}
}

// TestCleanupRemovesOnlyWhatItWrote: the clean-up after an interrupted
// run removes temp files, never an item because no profile names it, nor
// an item folder that no journal names.
func TestCleanupRemovesOnlyWhatItWrote(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, testPass)
	mustAdd(t, s, "main")
	items := filepath.Join(dir, "items.1")
	mk := func(p string, dir bool) {
		t.Helper()
		var err error
		if dir {
			err = os.MkdirAll(p, 0o700)
		} else if err = os.MkdirAll(filepath.Dir(p), 0o700); err == nil {
			err = os.WriteFile(p, []byte("x"), 0o600)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	leftovers := []string{
		filepath.Join(dir, tempPrefix+"profiles.json-123"+tempSuffix),
		filepath.Join(dir, tmpDirName, tempPrefix+"main-9"+tempSuffix),
	}
	kept := []string{
		filepath.Join(dir, "items.2", "main"), // no journal names it
		filepath.Join(items, "orphan"),        // no profile names it
		filepath.Join(items, ".DS_Store"), filepath.Join(items, "Sub"), filepath.Join(items, "a%2F.."),
		filepath.Join(dir, "notes.txt"), filepath.Join(dir, "items.x"),
	}
	for _, p := range append(leftovers, kept...) {
		mk(p, false)
	}
	mk(filepath.Join(items, "sub"), true)
	if got := itemNames(items); strings.Join(got, ",") != "main,orphan" {
		t.Fatalf("filtered keys = %v", got)
	}
	w, r := openTest(t, dir, testPass)
	if err := w.Update("main", func(p *Profile) error { p.BaseURL = "http://127.0.0.1:1"; return nil }); err != nil {
		t.Fatal(err)
	}
	for _, p := range leftovers {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("leftover %s not removed", p)
		}
	}
	for _, p := range kept {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s removed", p)
		}
	}
	if len(r.warnings) != 1 || !strings.Contains(r.warnings[0], "interrupted") {
		t.Errorf("warnings = %q", r.warnings)
	}
	if c, err := w.Credentials("main"); err != nil || !sameCreds(c, creds("main")) {
		t.Fatalf("main after cleanup: %v", err)
	}
}

// TestJournalFinishesInterruptedOperations plants the journal of each
// operation at the instants a crash can leave it, and checks that the next
// write finishes or undoes exactly that operation.
func TestJournalFinishesInterruptedOperations(t *testing.T) {
	setup := func(t *testing.T) (string, *Store) {
		dir := t.TempDir()
		s, _ := openTest(t, dir, testPass)
		mustAdd(t, s, "main")
		mustAdd(t, s, "gone")
		return dir, s
	}
	journalOf := func(t *testing.T, dir, doc string) {
		if err := os.WriteFile(filepath.Join(dir, journalFileName), []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write := func(t *testing.T, dir string) {
		w, _ := openTest(t, dir, testPass)
		if err := w.Update("main", func(p *Profile) error { p.BaseURL = ""; return nil }); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(dir, journalFileName)); !os.IsNotExist(err) {
			t.Fatalf("journal still there: %v", err)
		}
	}
	exists := func(p string) bool { _, err := os.Stat(p); return err == nil }

	t.Run("remove after the metadata went", func(t *testing.T) {
		dir, s := setup(t)
		if err := s.saveProfiles(&profilesFile{Profiles: []Profile{mustGet(t, s, "main")}}); err != nil {
			t.Fatal(err)
		}
		journalOf(t, dir, `{"op":"remove","profile":"gone"}`)
		write(t, dir)
		if exists(filepath.Join(dir, "items.1", "gone")) {
			t.Fatal("the removal was not finished")
		}
	})
	t.Run("remove before the metadata went", func(t *testing.T) {
		dir, _ := setup(t)
		journalOf(t, dir, `{"op":"remove","profile":"gone"}`)
		write(t, dir)
		if !exists(filepath.Join(dir, "items.1", "gone")) {
			t.Fatal("the item of a profile that still exists was removed")
		}
	})
	t.Run("remove with profiles.json moved away", func(t *testing.T) {
		dir, _ := setup(t)
		if err := os.Rename(filepath.Join(dir, profilesFileName), filepath.Join(dir, "saved.json")); err != nil {
			t.Fatal(err)
		}
		journalOf(t, dir, `{"op":"remove","profile":"gone"}`)
		w, _ := openTest(t, dir, testPass)
		if err := w.Add(profile("new"), creds("new")); err != nil {
			t.Fatal(err)
		}
		if !exists(filepath.Join(dir, "items.1", "gone")) || !exists(filepath.Join(dir, journalFileName)) {
			t.Fatal("a removal was finished without the profiles that prove it")
		}
	})
	t.Run("rekey before the switch", func(t *testing.T) {
		dir, _ := setup(t)
		if err := os.MkdirAll(filepath.Join(dir, "items.2"), 0o700); err != nil {
			t.Fatal(err)
		}
		journalOf(t, dir, `{"op":"rekey","from":"items.1","to":"items.2"}`)
		write(t, dir)
		if exists(filepath.Join(dir, "items.2")) || !exists(filepath.Join(dir, "items.1", "gone")) {
			t.Fatal("the incomplete generation was not undone")
		}
	})
	t.Run("rekey after the switch", func(t *testing.T) {
		dir, s := setup(t)
		if err := s.ChangePassphrase("another long passphrase"); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, "items.1"), 0o700); err != nil {
			t.Fatal(err)
		}
		journalOf(t, dir, `{"op":"rekey","from":"items.1","to":"items.2"}`)
		w, _ := openTest(t, dir, "another long passphrase")
		if err := w.Update("main", func(p *Profile) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if exists(filepath.Join(dir, "items.1")) || !exists(filepath.Join(dir, "items.2", "gone")) {
			t.Fatal("the old generation was not removed after the switch")
		}
	})
	t.Run("damaged journal is left alone", func(t *testing.T) {
		dir, _ := setup(t)
		if err := os.MkdirAll(filepath.Join(dir, "items.2"), 0o700); err != nil {
			t.Fatal(err)
		}
		journalOf(t, dir, `{"op":"rekey","from":"items.1","to":`)
		w, _ := openTest(t, dir, testPass)
		if err := w.Update("main", func(p *Profile) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if !exists(filepath.Join(dir, "items.2")) || !exists(filepath.Join(dir, journalFileName)) {
			t.Fatal("a damaged journal was acted on")
		}
	})
}

func mustGet(t *testing.T, s *Store, name string) Profile {
	t.Helper()
	p, err := s.Get(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
