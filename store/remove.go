package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Remove deletes a profile and its secret. Deleting a secret needs proof
// that the caller may: with the file backend it asks for the passphrase
// and verifies it before anything is read or written (a wrong one changes
// nothing); with the os backend the system keychain decides. Only a
// profile whose keyring.json is gone (nothing left to decrypt or verify
// against) is removed without one.
//
// With the file backend the journal records the removal, then the
// metadata goes, then the item: an interruption leaves an item that the
// next write removes, as asked. With the os backend the keychain item goes
// first, so a keychain failure changes nothing.
func (s *Store) Remove(name string) error {
	if err := ValidName(name); err != nil {
		return err
	}
	if s.backend == BackendOS {
		return s.removeOS(name)
	}
	pf, err := s.loadProfiles()
	if err != nil {
		return err
	}
	if !pf.has(name) {
		return s.notFound(name)
	}
	kf, err := s.readKeyring()
	if err != nil {
		return err
	}
	if kf != nil {
		if _, err := s.unlock(kf, pf); err != nil {
			return err
		}
	}
	return s.writeUnlocked(false, func(pf *profilesFile, u *unlocked) error {
		i := pf.find(name)
		if i < 0 {
			return s.notFound(name)
		}
		if u != nil {
			if err := s.beginJournal(journal{Op: opRemove, Profile: name}); err != nil {
				return err
			}
		}
		pf.Profiles = append(pf.Profiles[:i], pf.Profiles[i+1:]...)
		if err := s.saveProfiles(pf); err != nil {
			return err
		}
		if u == nil {
			return nil
		}
		if err := removeItem(filepath.Join(s.dir, u.kf.Items), name); err != nil {
			return err
		}
		s.endJournal()
		return nil
	})
}

// removeOS removes a profile whose secret is in the system keychain.
func (s *Store) removeOS(name string) error {
	ring, err := s.osKeyring()
	if err != nil {
		return err
	}
	return s.locked(true, func() error {
		pf, err := s.loadProfiles()
		if err != nil {
			return err
		}
		i := pf.find(name)
		if i < 0 {
			return s.notFound(name)
		}
		if err := (&osVault{ring: ring}).remove(name); err != nil {
			return err
		}
		pf.Profiles = append(pf.Profiles[:i], pf.Profiles[i+1:]...)
		return s.saveProfiles(pf)
	})
}

// removeItem deletes one item file; a missing item is not an error.
func removeItem(dir, name string) error {
	if err := ValidName(name); err != nil {
		return err
	}
	if err := checkDir(dir); err != nil {
		return err
	}
	err := os.Remove(filepath.Join(dir, name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("remove secret of %q: %w", name, err)
	}
	return syncDir(dir)
}
