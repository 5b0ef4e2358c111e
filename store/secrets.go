package store

import (
	"fmt"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// Add stores a new profile and its credentials. It fails with ErrExists if
// the name is taken, and asks for the passphrase (confirm=true if this
// creates the keyring). The store sets p.Fingerprint from c.Key, and
// AddedAt and RotationDays when they are zero. An item of that name that
// no profile names (profiles.json lost track of it) is never overwritten:
// Add fails with ErrExists and points to doctor.
func (s *Store) Add(p Profile, c exchanges.Credentials) error {
	if err := ValidName(p.Name); err != nil {
		return err
	}
	if err := validateCreds(c); err != nil {
		return err
	}
	p = cloneProfile(p)
	p.Fingerprint = exchanges.Fingerprint(c.Key)
	if p.AddedAt.IsZero() {
		p.AddedAt = time.Now().UTC().Truncate(time.Second)
	}
	if p.RotationDays == 0 {
		p.RotationDays = DefaultRotationDays
	}
	p.LastCheck = nil
	if err := validateProfile(p); err != nil {
		return err
	}
	exists := func(pf *profilesFile) error {
		if pf.has(p.Name) {
			return fmt.Errorf("%w: a profile named %q is already in %s; pick another name, or remove it first (keywarden remove %s)", ErrExists, p.Name, s.dir, p.Name)
		}
		return nil
	}
	data := encodeItem(c, &p)
	defer wipe(data)
	return s.withSecrets(true, exists, func(v vault, pf *profilesFile) error {
		switch found, err := hasItem(v, p.Name); {
		case err != nil:
			return err
		case found:
			return fmt.Errorf("%w: the keyring in %s holds a secret named %q that no profile names (profiles.json lost track of it); nothing was changed: run `keywarden doctor` to rebuild its profile, or pick another name",
				ErrExists, s.dir, p.Name)
		}
		if err := v.put(p.Name, data); err != nil {
			return err
		}
		pf.Profiles = append(pf.Profiles, p)
		return s.saveProfiles(pf)
	})
}

// Replace swaps the credentials of an existing profile (key rotation): the
// new item replaces the old one atomically, then the metadata is updated:
// Fingerprint from c.Key, RotatedAt now, KeyCreated, KeyExpires and
// LastCheck cleared (they described the old key), then fn if not nil.
func (s *Store) Replace(name string, c exchanges.Credentials, fn func(*Profile)) error {
	if err := ValidName(name); err != nil {
		return err
	}
	if err := validateCreds(c); err != nil {
		return err
	}
	return s.withSecrets(false, s.mustExist(name), func(v vault, pf *profilesFile) error {
		i := pf.find(name)
		p := cloneProfile(pf.Profiles[i])
		p.Fingerprint = exchanges.Fingerprint(c.Key)
		p.RotatedAt = time.Now().UTC().Truncate(time.Second)
		p.KeyCreated, p.KeyExpires, p.LastCheck = time.Time{}, time.Time{}, nil
		if fn != nil {
			fn(&p)
		}
		p.Name, p.Fingerprint = name, exchanges.Fingerprint(c.Key)
		if err := validateProfile(p); err != nil {
			return err
		}
		data := encodeItem(c, &p)
		defer wipe(data)
		if err := v.put(name, data); err != nil {
			return err
		}
		pf.Profiles[i] = p
		return s.saveProfiles(pf)
	})
}

// Credentials returns a profile's credentials, asking for the passphrase
// if the key is not derived yet.
func (s *Store) Credentials(name string) (exchanges.Credentials, error) {
	if err := ValidName(name); err != nil {
		return exchanges.Credentials{}, err
	}
	var c exchanges.Credentials
	err := s.withSecretsRead(s.mustExist(name), func(v vault, pf *profilesFile) error {
		data, err := v.get(name)
		if err != nil {
			return err
		}
		defer wipe(data)
		c, err = decodeCreds(name, data)
		return err
	})
	return c, err
}

// mustExist is a precondition: the profile exists.
func (s *Store) mustExist(name string) func(*profilesFile) error {
	return func(pf *profilesFile) error {
		if !pf.has(name) {
			return s.notFound(name)
		}
		return nil
	}
}
