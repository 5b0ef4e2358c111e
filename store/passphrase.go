package store

import (
	"fmt"
	"os"
	"path/filepath"
)

// Unlock asks for the passphrase now and verifies it (for a new keyring:
// asks with confirm=true and checks its strength), so that a caller can
// prompt before starting a screen. With the os backend it opens the system
// keychain and reports ErrNoKeychain if there is none.
func (s *Store) Unlock() error {
	if s.backend == BackendOS {
		_, err := s.osKeyring()
		return err
	}
	pf, err := s.loadProfiles()
	if err != nil {
		return err
	}
	_, err = s.prime(pf, true)
	return err
}

// ChangePassphrase re-encrypts every item under newPass, with a fresh salt
// and this keywarden's default KDF parameters. It asks for the current
// passphrase if the key is not derived yet. newPass must be at least
// MinPassphraseLen characters.
//
// It is atomic: every item is re-encrypted into a new generation folder
// items.N+1, which is fsynced; then keyring.json, which names the current
// folder together with the salt and verifier, is replaced by rename. A
// crash before that rename leaves the old keyring whole under the old
// passphrase; after it, the new one under the new passphrase. The old
// folder is deleted last (or by the next write if interrupted).
func (s *Store) ChangePassphrase(newPass string) error {
	if s.backend != BackendFile {
		return fmt.Errorf("%w: the os backend has no keywarden passphrase: the system keychain is unlocked by your login", ErrBackend)
	}
	if err := checkNewPassphrase(newPass); err != nil {
		return err
	}
	pf, err := s.loadProfiles()
	if err != nil {
		return err
	}
	if _, err := s.prime(pf, false); err != nil {
		return err
	}
	// Derive the new key before taking the lock: Argon2id takes a while.
	nkf, nkey, err := newKeyringFile(newPass, s.kdf)
	if err != nil {
		return err
	}
	return s.writeUnlocked(true, func(pf *profilesFile, u *unlocked) error {
		return s.rekey(u, pf, nkf, nkey)
	})
}

// writeUnlocked runs fn under the exclusive lock, with profiles.json and
// the key of the current keyring.json (from the cache: the caller verified
// the passphrase before taking the lock), after the clean-up. Without
// keyring.json, u is nil, or with needKeyring an error.
func (s *Store) writeUnlocked(needKeyring bool, fn func(*profilesFile, *unlocked) error) error {
	return s.locked(true, func() error {
		pf, err := s.loadProfiles()
		if err != nil {
			return err
		}
		kf, err := s.readKeyring()
		if err == nil && needKeyring {
			err = s.checkKeyring(kf, pf, false)
		}
		if err != nil {
			return err
		}
		var u *unlocked
		if kf != nil {
			if u, err = s.unlock(kf, pf); err != nil {
				return err
			}
		}
		s.cleanup(kf, pf)
		return fn(pf, u)
	})
}

// rekey builds the new generation and switches to it. Called under the
// exclusive lock. Every item of the folder is carried over, also those no
// profile names (they are kept for doctor), and items of older keywardens
// are upgraded to carry their profile's metadata.
func (s *Store) rekey(old *unlocked, pf *profilesFile, nkf *keyringFile, nkey []byte) error {
	oldDir := filepath.Join(s.dir, old.kf.Items)
	nkf.Items = s.nextGeneration(old.kf)
	newDir := filepath.Join(s.dir, nkf.Items)
	if err := checkDir(oldDir); err != nil {
		return err
	}
	if err := checkEntries(oldDir); err != nil { // an item left behind would be lost
		return err
	}
	if err := s.beginJournal(journal{Op: opRekey, From: old.kf.Items, To: nkf.Items}); err != nil {
		return fmt.Errorf("change passphrase (nothing was changed): %w", err)
	}
	if err := os.Mkdir(newDir, dirMode); err != nil {
		return fmt.Errorf("change passphrase: %w", err)
	}
	abort := func(err error) error {
		_ = os.RemoveAll(newDir)
		s.endJournal()
		return fmt.Errorf("change passphrase (nothing was changed): %w", err)
	}
	for _, name := range itemNames(oldDir) {
		data, err := readItem(oldDir, name, old.key)
		if err != nil {
			if !pf.has(name) {
				err = fmt.Errorf("%w; it belongs to no profile, and keywarden does not leave a secret behind: move the file out of the folder (it stays readable under the current passphrase), then change the passphrase", err)
			} else {
				err = fmt.Errorf("%w; or remove profile %q first", err, name)
			}
			return abort(err)
		}
		data, err = upgradeItem(name, data, pf)
		if err == nil {
			err = writeItem(s.dir, newDir, name, data, nkey)
		}
		wipe(data)
		if err != nil {
			return abort(err)
		}
	}
	if err := syncDir(newDir); err != nil {
		return abort(err)
	}
	if err := s.saveKeyring(nkf); err != nil { // the switch
		if cur := s.peekKeyring(); cur != nil && cur.Items == nkf.Items {
			// Renamed, but the folder sync failed: the journal finishes it.
			return fmt.Errorf("change passphrase: %w; the new passphrase is in effect", err)
		}
		return abort(err)
	}
	s.mu.Lock()
	s.key = &unlocked{kf: nkf, key: nkey}
	s.mu.Unlock()
	if err := os.RemoveAll(oldDir); err != nil {
		s.warn(fmt.Sprintf("the passphrase was changed, but the old item folder %s could not be removed (%v); the next change removes it", oldDir, err))
		return nil
	}
	_ = syncDir(s.dir)
	s.endJournal()
	return nil
}

// upgradeItem returns a version 1 item's plaintext with its profile's
// metadata added (version 2), when profiles.json has that profile; other
// items unchanged. The caller wipes both.
func upgradeItem(name string, data []byte, pf *profilesFile) ([]byte, error) {
	c, p, err := decodeItem(name, data)
	if err != nil {
		return nil, err
	}
	i := pf.find(name)
	if p != nil || i < 0 {
		return append([]byte(nil), data...), nil
	}
	return encodeItem(c, &pf.Profiles[i]), nil
}
