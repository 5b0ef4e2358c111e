package store

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"unicode/utf8"
)

// unlocked is a derived key and the keyring.json it opens.
type unlocked struct {
	kf  *keyringFile
	key []byte
	// pending: a new keyring whose keyring.json is not written yet.
	pending bool
}

// readKeyring reads keyring.json; nil, nil if it does not exist. The file
// is only ever replaced by rename, so reading it without the lock sees
// either the old or the new version.
func (s *Store) readKeyring() (*keyringFile, error) {
	path := filepath.Join(s.dir, keyringFileName)
	data, err := readCapped(path, maxMetaFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return parseKeyringFile(path, data)
}

// peekKeyring is readKeyring for housekeeping: nil on any error.
func (s *Store) peekKeyring() *keyringFile {
	kf, err := s.readKeyring()
	if err != nil {
		return nil
	}
	return kf
}

// checkKeyring refuses to go on without keyring.json unless a new keyring
// may be created, and never creates one beside profiles that would then
// have no secret.
func (s *Store) checkKeyring(kf *keyringFile, pf *profilesFile, create bool) error {
	if kf != nil {
		return nil
	}
	if len(pf.Profiles) > 0 {
		return fmt.Errorf("%w: %s is missing but profiles.json lists %d profiles: their secrets cannot be decrypted without it; restore it from a backup of the folder, or remove those profiles to start a new keyring",
			ErrCorrupt, filepath.Join(s.dir, keyringFileName), len(pf.Profiles))
	}
	if !create {
		return fmt.Errorf("%w in %s: add a profile first (keywarden setup, or keywarden add)", ErrNoKeyring, s.dir)
	}
	return nil
}

// prime derives the key for the current keyring.json (or a new keyring)
// before any lock is taken, so that a person typing a passphrase never
// blocks other processes. It reads nothing but keyring.json and writes
// nothing.
func (s *Store) prime(pf *profilesFile, create bool) (*unlocked, error) {
	kf, err := s.readKeyring()
	if err != nil {
		return nil, err
	}
	if err := s.checkKeyring(kf, pf, create); err != nil {
		return nil, err
	}
	return s.unlock(kf, pf)
}

// unlock returns the key for kf (nil: a new keyring), from the cache when
// it matches, else by asking for the passphrase and running Argon2id once.
// For an existing keyring the verifier is checked here, before any item is
// touched; a wrong passphrase is never cached.
func (s *Store) unlock(kf *keyringFile, pf *profilesFile) (*unlocked, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.key; u != nil {
		if kf == nil && u.pending {
			return u, nil
		}
		if kf != nil && !u.pending && u.kf.sameKey(kf) {
			return &unlocked{kf: kf, key: u.key}, nil
		}
	}
	if kf == nil {
		pass, err := s.askPass(true)
		if err != nil {
			return nil, err
		}
		if err := checkNewPassphrase(pass); err != nil {
			return nil, err
		}
		nkf, key, err := newKeyringFile(pass, s.kdf)
		if err != nil {
			return nil, err
		}
		s.key = &unlocked{kf: nkf, key: key, pending: true}
		return s.key, nil
	}
	pass, err := s.askPass(false)
	if err != nil {
		return nil, err
	}
	if pass == "" {
		return nil, fmt.Errorf("unlock the keyring in %s: %w: type the keyring's passphrase", s.dir, ErrEmptyPassphrase)
	}
	key := deriveKey(pass, kf)
	if !checkKey(key, kf) {
		hint := ""
		if pf != nil && len(pf.Profiles) == 0 && !pf.missing && len(itemNames(filepath.Join(s.dir, kf.Items))) == 0 {
			hint = fmt.Sprintf("; the keyring holds no profiles: to start over with a new passphrase, delete %s", filepath.Join(s.dir, keyringFileName))
		}
		return nil, fmt.Errorf("unlock the keyring in %s: %w: nothing was read or changed; type it again (it is case-sensitive), and if KEYWARDEN_PASSPHRASE is set, it may hold an old passphrase%s",
			s.dir, ErrWrongPassphrase, hint)
	}
	if kf.params().weaker(s.kdf) {
		s.warn(fmt.Sprintf("the keyring in %s uses weaker key-stretching parameters than this keywarden's default; change the passphrase (keywarden passphrase) to upgrade them", s.dir))
	}
	s.key = &unlocked{kf: kf, key: key}
	return s.key, nil
}

// askPass calls Options.Passphrase.
func (s *Store) askPass(confirm bool) (string, error) {
	if s.ask == nil {
		return "", fmt.Errorf("%w: the keyring in %s needs its passphrase: set KEYWARDEN_PASSPHRASE, or run on a terminal to be asked", ErrNoPassphrase, s.dir)
	}
	pass, err := s.ask(confirm)
	if err != nil {
		return "", fmt.Errorf("keyring passphrase: %w", err)
	}
	return pass, nil
}

// checkNewPassphrase applies the rules for a passphrase that will protect
// the keyring from now on. Existing keyrings open whatever the length.
func checkNewPassphrase(pass string) error {
	if pass == "" {
		return fmt.Errorf("%w: choose a keyring passphrase of at least %d characters", ErrEmptyPassphrase, MinPassphraseLen)
	}
	if utf8.RuneCountInString(pass) < MinPassphraseLen {
		return fmt.Errorf("%w: a keyring passphrase needs at least %d characters; a few unrelated words make a strong one that is easy to type", ErrWeakPassphrase, MinPassphraseLen)
	}
	return nil
}

// withSecrets runs fn under the exclusive lock with the vault unlocked.
// pre is checked before the passphrase is asked and again under the lock.
// create allows a new keyring.
func (s *Store) withSecrets(create bool, pre func(*profilesFile) error, fn func(vault, *profilesFile) error) error {
	return s.secretOp(op{write: true, create: create}, pre, fn)
}

// withSecretsRead runs fn under the shared lock with the vault unlocked.
func (s *Store) withSecretsRead(pre func(*profilesFile) error, fn func(vault, *profilesFile) error) error {
	return s.secretOp(op{}, pre, fn)
}

// op says how secretOp runs: under the exclusive lock (write), whether it
// may create a keyring, and whether a damaged profiles.json is tolerated
// (repair: fn sees no profiles and pf.damaged set).
type op struct{ write, create, repair bool }

func (s *Store) secretOp(o op, pre func(*profilesFile) error, fn func(vault, *profilesFile) error) error {
	load := s.loadProfiles
	if o.repair {
		load = s.loadRepairable
	}
	pf, err := load()
	if err != nil {
		return err
	}
	if err := pre(pf); err != nil {
		return err
	}
	if s.backend == BackendOS {
		ring, err := s.osKeyring()
		if err != nil {
			return err
		}
		return s.locked(o.write, func() error {
			pf, err := load()
			if err == nil {
				err = pre(pf)
			}
			if err != nil {
				return err
			}
			return fn(&osVault{ring: ring}, pf)
		})
	}
	if _, err := s.prime(pf, o.create); err != nil {
		return err
	}
	return s.locked(o.write, func() error {
		pf, err := load()
		if err == nil {
			err = pre(pf)
		}
		if err != nil {
			return err
		}
		kf, err := s.readKeyring()
		if err == nil {
			err = s.checkKeyring(kf, pf, o.create)
		}
		if err != nil {
			return err
		}
		u, err := s.unlock(kf, pf) // from the cache unless keyring.json changed meanwhile
		if err != nil {
			return err
		}
		if o.write {
			s.cleanup(kf, pf)
		}
		return fn(&fileVault{s: s, u: u}, pf)
	})
}
