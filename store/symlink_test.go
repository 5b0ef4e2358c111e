package store

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestSymlinksInsideAreRefused puts a symbolic link at each path the store
// uses, pointing outside the folder. Open must refuse it with a message
// naming the path. A store opened before the link was planted must refuse
// it wherever it uses that path (O_NOFOLLOW and Lstat at each use), and
// nothing may ever read or write through it or change the target.
func TestSymlinksInsideAreRefused(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges on Windows")
	}
	cases := map[string][]string{ // path → operations that must refuse it
		profilesFileName:                 {"list", "add", "credentials", "change"},
		keyringFileName:                  {"add", "credentials", "change"},
		lockFileName:                     {"list", "add", "credentials", "history", "append", "change"},
		historyFileName:                  {"history", "append"},
		journalFileName:                  {},
		"items.1":                        {"add", "credentials", "change"},
		filepath.Join("items.1", "main"): {"credentials", "change"},
		tmpDirName:                       {"add"},
	}
	for rel, mustRefuse := range cases {
		t.Run(rel, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "kw")
			s, _ := openTest(t, dir, testPass)
			mustAdd(t, s, "main")
			if err := s.AppendHistory(Event{Event: EventAdded, Profile: "main"}); err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Join(dir, tmpDirName), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, journalFileName), []byte(`{"op":"remove","profile":"gone"}`), 0o600); err != nil {
				t.Fatal(err)
			}
			early, _ := openTest(t, dir, testPass)
			path := filepath.Join(dir, rel)
			outside := filepath.Join(t.TempDir(), "target")
			if err := os.Rename(path, outside); err != nil {
				t.Fatal(err)
			}
			// The target is loose, as a planted or restored copy would be.
			mode := fs.FileMode(0o644)
			if fi, _ := os.Stat(outside); fi.IsDir() {
				mode = 0o755
			}
			if err := os.Chmod(outside, mode); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(outside, path); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, filepath.Dir(outside))
			unsafe := func(err error) bool {
				return errors.Is(err, ErrUnsafe) && strings.Contains(err.Error(), "symbolic link") && strings.Contains(err.Error(), path)
			}

			_, err := open(Options{Dir: dir, Passphrase: func(bool) (string, error) { return testPass, nil }}, hooks{kdf: testKDF()})
			if !unsafe(err) {
				t.Errorf("open: %v, want ErrUnsafe naming %s as a symbolic link", err, path)
			}
			ops := map[string]func() error{
				"list":        func() error { _, err := early.List(); return err },
				"add":         func() error { return early.Add(profile("new"), creds("new")) },
				"credentials": func() error { _, err := early.Credentials("main"); return err },
				"history":     func() error { _, err := early.History(""); return err },
				"append":      func() error { return early.AppendHistory(Event{Event: EventChecked, Profile: "main"}) },
				"change":      func() error { return early.ChangePassphrase("another long passphrase") },
			}
			for _, name := range []string{"list", "credentials", "history", "append", "add", "change"} {
				err := ops[name]()
				switch {
				case contains(mustRefuse, name) && !unsafe(err):
					t.Errorf("%s: %v, want ErrUnsafe naming %s as a symbolic link", name, err, path)
				case err != nil && !unsafe(err):
					t.Errorf("%s: %v", name, err)
				}
			}
			if d := diffSnapshots(before, snapshot(t, filepath.Dir(outside))); d != "" {
				t.Errorf("the target outside the folder changed:\n%s", d)
			}
			if fi, err := os.Stat(outside); err != nil || fi.Mode().Perm() != mode {
				t.Errorf("target mode changed: %v %v", fi.Mode(), err)
			}
		})
	}
}

// TestLockSymlinkCreatesNothing: a dangling symlink at lock must not
// create a file at its target.
func TestLockSymlinkCreatesNothing(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges on Windows")
	}
	dir := t.TempDir()
	s, _ := openTest(t, dir, testPass)
	mustAdd(t, s, "main")
	target := filepath.Join(t.TempDir(), "created-by-keywarden")
	lock := filepath.Join(dir, lockFileName)
	if err := os.Remove(lock); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, lock); err != nil {
		t.Fatal(err)
	}
	if _, err := s.List(); !errors.Is(err, ErrUnsafe) {
		t.Errorf("list through a symlinked lock: %v", err)
	}
	if _, err := os.Lstat(target); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a file was created at the lock symlink's target: %v", err)
	}
}

// TestSymlinkedFolderIsUsed: the keyring folder itself may be reached
// through a symlink (~/.config often is one); the store works in the
// folder it names.
func TestSymlinkedFolderIsUsed(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges on Windows")
	}
	real := filepath.Join(t.TempDir(), "real")
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Mkdir(real, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	s, _ := openTest(t, link, testPass)
	mustAdd(t, s, "main")
	if _, err := os.Stat(filepath.Join(real, profilesFileName)); err != nil {
		t.Fatalf("profiles.json not in the real folder: %v", err)
	}
	if c, err := s.Credentials("main"); err != nil || !sameCreds(c, creds("main")) {
		t.Fatalf("credentials: %v", err)
	}
}

// TestForeignFolderRefused: a keyring folder that belongs to another user
// is refused (that user could read or replace the keys).
func TestForeignFolderRefused(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("unix owners")
	}
	dir := t.TempDir()
	s, _ := openTest(t, dir, testPass)
	mustAdd(t, s, "main")
	before := snapshot(t, dir)
	_, err := open(Options{Dir: dir}, hooks{kdf: testKDF(), euid: func() int { return os.Geteuid() + 1 }})
	if !errors.Is(err, ErrUnsafe) || !strings.Contains(err.Error(), "belongs to") || !strings.Contains(err.Error(), dir) {
		t.Fatalf("open of another user's folder: %v", err)
	}
	if d := diffSnapshots(before, snapshot(t, dir)); d != "" {
		t.Fatalf("files changed:\n%s", d)
	}
}
