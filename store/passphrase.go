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
	return s.locked(true, func() error {
		pf, err := s.loadProfiles()
		if err != nil {
			return err
		}
		kf, err := s.readKeyring()
		if err == nil {
			err = s.checkKeyring(kf, pf, false)
		}
		if err != nil {
			return err
		}
		u, err := s.unlock(kf, pf)
		if err != nil {
			return err
		}
		s.cleanup(kf, pf)
		return s.rekey(u, pf, nkf, nkey)
	})
}

// rekey builds the new generation and switches to it. Called under the
// exclusive lock.
func (s *Store) rekey(old *unlocked, pf *profilesFile, nkf *keyringFile, nkey []byte) error {
	oldDir := filepath.Join(s.dir, old.kf.Items)
	nkf.Items = s.nextGeneration(old.kf)
	newDir := filepath.Join(s.dir, nkf.Items)
	if err := os.Mkdir(newDir, dirMode); err != nil {
		return fmt.Errorf("change passphrase: %w", err)
	}
	abort := func(err error) error {
		_ = os.RemoveAll(newDir)
		return fmt.Errorf("change passphrase (nothing was changed): %w", err)
	}
	for _, p := range pf.Profiles {
		data, err := readItem(oldDir, p.Name, old.key)
		if err != nil {
			return abort(fmt.Errorf("%w; or remove profile %q first", err, p.Name))
		}
		err = writeItem(s.dir, newDir, p.Name, data, nkey)
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
			// Renamed, but the folder sync failed: keep both folders.
			return fmt.Errorf("change passphrase: %w; the new passphrase is in effect", err)
		}
		return abort(err)
	}
	s.mu.Lock()
	s.key = &unlocked{kf: nkf, key: nkey}
	s.mu.Unlock()
	if err := os.RemoveAll(oldDir); err != nil {
		s.warn(fmt.Sprintf("the passphrase was changed, but the old item folder %s could not be removed (%v); the next change removes it", oldDir, err))
	}
	_ = syncDir(s.dir)
	return nil
}
