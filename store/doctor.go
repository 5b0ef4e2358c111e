package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// Report is what Diagnose found in a keyring folder: which files are
// missing or damaged, and which secrets the metadata lost track of. It
// names files, folders and profiles, never a secret.
type Report struct {
	// Dir is the keyring folder; Backend "file" or "os".
	Dir, Backend string
	// Profiles is the number of profiles in profiles.json.
	Profiles int
	// ProfilesMissing: there is no profiles.json (a new folder, or one
	// whose file was moved away).
	ProfilesMissing bool
	// ProfilesDamaged says what is wrong with profiles.json; "" if sound.
	ProfilesDamaged string
	// ProfilesNewer: profiles.json was written by a newer keywarden.
	ProfilesNewer bool
	// KeyringMissing: no keyring.json (file backend).
	KeyringMissing bool
	// KeyringDamaged says what is wrong with keyring.json; "" if sound.
	KeyringDamaged string
	// Items is the current item folder (file backend), e.g. "items.2".
	Items string
	// Orphans are the items that no profile names, sorted; with a damaged
	// profiles.json, every item.
	Orphans []string
	// NoSecret are the profiles whose item is missing.
	NoSecret []string
	// NoExchange are the profiles that do not name their exchange (rebuilt
	// from an item of an older keywarden).
	NoExchange []string
	// Generations are the item folders other than the current one.
	Generations []Generation
	// Temps are temp files left by an interrupted write.
	Temps []string
	// Journal describes an operation that did not finish; "" if none.
	Journal string
	// JournalDamaged says what is wrong with journal.json; "" if sound.
	JournalDamaged string
}

// Generation is an item folder and how many items it holds.
type Generation struct {
	Name  string
	Items int
}

// Healthy reports whether there is nothing to say.
func (r *Report) Healthy() bool {
	return r.ProfilesDamaged == "" && !r.ProfilesNewer && r.KeyringDamaged == "" && len(r.Orphans) == 0 &&
		len(r.NoSecret) == 0 && len(r.NoExchange) == 0 && len(r.Generations) == 0 && len(r.Temps) == 0 &&
		r.Journal == "" && r.JournalDamaged == "" && !(r.KeyringMissing && r.Profiles > 0 && r.Backend == BackendFile)
}

// Diagnose says what is wrong in the keyring folder. It asks for no
// passphrase and changes nothing; with the os backend it lists the items
// in the system keychain. Open the store with OpenRepair, so that a
// damaged profiles.json can be diagnosed.
func (s *Store) Diagnose() (*Report, error) {
	r := &Report{Dir: s.dir, Backend: s.backend}
	var ring vault
	if s.backend == BackendOS {
		kr, err := s.osKeyring()
		if err != nil {
			return nil, err
		}
		ring = &osVault{ring: kr}
	}
	err := s.locked(false, func() error {
		pf, err := s.loadRepairable()
		if err != nil {
			return err
		}
		r.Profiles, r.ProfilesMissing = len(pf.Profiles), pf.missing
		if df := pf.damaged; df != nil {
			r.ProfilesDamaged, r.ProfilesNewer = df.fault, df.newer
		}
		for _, p := range pf.Profiles {
			if p.Exchange == "" {
				r.NoExchange = append(r.NoExchange, p.Name)
			}
		}
		if s.backend == BackendFile {
			if err := s.diagnoseFiles(r); err != nil {
				return err
			}
		}
		if r.ProfilesNewer {
			return nil // which items it names is unknown here
		}
		var names []string
		switch {
		case ring != nil:
			if names, err = ring.names(); err != nil {
				return err
			}
		case r.Items != "":
			names = itemNames(filepath.Join(s.dir, r.Items))
		default:
			return nil // no keyring.json: which items are current is unknown
		}
		r.Orphans, r.NoSecret = compareNames(names, pf)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// diagnoseFiles fills in what the file backend keeps beside profiles.json.
func (s *Store) diagnoseFiles(r *Report) error {
	kf, err := s.readKeyring()
	var df *damagedFile
	switch {
	case errors.As(err, &df):
		r.KeyringDamaged = df.fault
	case err != nil:
		return err
	case kf == nil:
		r.KeyringMissing = true
	default:
		r.Items = kf.Items
	}
	if j, err := s.readJournal(); err != nil {
		r.JournalDamaged = err.Error()
	} else if j != nil {
		r.Journal = j.describe()
	}
	for _, d := range []string{s.dir, filepath.Join(s.dir, tmpDirName)} {
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			n := e.Name()
			switch {
			case isTemp(n):
				r.Temps = append(r.Temps, filepath.Join(d, n))
			case d == s.dir && e.IsDir() && generationPattern.MatchString(n) && n != r.Items:
				r.Generations = append(r.Generations, Generation{Name: n, Items: len(itemNames(filepath.Join(d, n)))})
			}
		}
	}
	return nil
}

// compareNames splits item names against the profiles: items no profile
// names, and profiles without an item.
func compareNames(items []string, pf *profilesFile) (orphans, noSecret []string) {
	have := map[string]bool{}
	for _, n := range items {
		have[n] = true
		if !pf.has(n) {
			orphans = append(orphans, n)
		}
	}
	for _, p := range pf.Profiles {
		if !have[p.Name] {
			noSecret = append(noSecret, p.Name)
		}
	}
	return orphans, noSecret
}

// UnnamedItems returns the items of the file keyring that no profile
// names (profiles.json lost track of them), for List's callers to point
// at doctor. It needs no passphrase. With the os backend it returns none:
// listing the system keychain may ask to unlock it; doctor does that.
func (s *Store) UnnamedItems() ([]string, error) {
	if s.backend != BackendFile {
		return nil, nil
	}
	var out []string
	err := s.locked(false, func() error {
		pf, err := s.loadProfiles()
		if err != nil {
			return err
		}
		kf := s.peekKeyring()
		if kf == nil {
			return nil
		}
		out, _ = compareNames(itemNames(filepath.Join(s.dir, kf.Items)), pf)
		return nil
	})
	return out, err
}

// Recovered is what an item that no profile names says about its profile.
type Recovered struct {
	// Profile is the metadata saved with the secret. Name and Fingerprint
	// are always set; for an item of an older keywarden (Complete false)
	// nothing else is.
	Profile Profile
	// Complete: the item carried its profile's metadata.
	Complete bool
	// Written is when the item was last written (zero if unknown).
	Written time.Time
	// Creds are the item's credentials, e.g. to tell an old item's
	// exchange by the shape of its key.
	Creds exchanges.Credentials
	// Err says why the item could not be read; then only Profile.Name is
	// set.
	Err error
}

// Recoverable decrypts every item that no profile names (every item, when
// profiles.json is damaged) and returns what each says about its profile,
// sorted by name. It asks for the passphrase and verifies it first; it
// writes nothing.
func (s *Store) Recoverable() ([]Recovered, error) {
	var out []Recovered
	err := s.secretOp(op{repair: true}, noNewer, func(v vault, pf *profilesFile) error {
		names, err := v.names()
		if err != nil {
			return err
		}
		orphans, _ := compareNames(names, pf)
		for _, n := range orphans {
			out = append(out, s.recover(v, n))
		}
		return nil
	})
	return out, err
}

// noNewer refuses to rebuild over a profiles.json of a newer keywarden.
func noNewer(pf *profilesFile) error {
	if pf.damaged != nil && pf.damaged.newer {
		return pf.damaged
	}
	return nil
}

// recover reads one orphan item.
func (s *Store) recover(v vault, name string) Recovered {
	r := Recovered{Profile: Profile{Name: name}}
	data, err := v.get(name)
	if err != nil {
		r.Err = err
		return r
	}
	defer wipe(data)
	c, p, err := decodeItem(name, data)
	if err != nil {
		r.Err = err
		return r
	}
	r.Creds = c
	if p != nil {
		r.Profile, r.Complete = cloneProfile(*p), true
	}
	r.Profile.Name, r.Profile.Fingerprint = name, exchanges.Fingerprint(c.Key)
	if fv, ok := v.(*fileVault); ok {
		if fi, err := os.Lstat(filepath.Join(fv.itemsDir(), name)); err == nil {
			r.Written = fi.ModTime().UTC().Truncate(time.Second)
		}
	}
	return r
}

// Restore adds profiles rebuilt from items that no profile names (see
// Recoverable) to profiles.json. Each must name such an item, which must
// decrypt; its Fingerprint is taken from the item, and the Exchange may be
// empty when nothing tells it. A damaged profiles.json is first renamed to
// profiles.json.damaged-TIME, whose name is returned, so nothing is lost.
// It asks for the passphrase if it is not verified yet.
func (s *Store) Restore(ps []Profile) (kept string, err error) {
	for _, p := range ps {
		if err := ValidName(p.Name); err != nil {
			return "", err
		}
		if p.RotationDays < 0 {
			return "", fmt.Errorf("%w: profile %q: negative rotation period", ErrBadInput, p.Name)
		}
	}
	err = s.secretOp(op{write: true, repair: true}, noNewer, func(v vault, pf *profilesFile) error {
		names, err := v.names()
		if err != nil {
			return err
		}
		orphans, _ := compareNames(names, pf)
		for _, p := range ps {
			r := s.recover(v, p.Name)
			switch {
			case !contains(orphans, p.Name):
				return fmt.Errorf("%w: %q is not a secret without a profile in %s; nothing was changed", ErrBadInput, p.Name, s.dir)
			case pf.has(p.Name):
				return fmt.Errorf("%w: %q given twice; nothing was changed", ErrBadInput, p.Name)
			case r.Err != nil:
				return fmt.Errorf("rebuild %s (nothing was changed): %w", p.Name, r.Err)
			}
			p = cloneProfile(p)
			p.Fingerprint, p.LastCheck = r.Profile.Fingerprint, nil
			if p.AddedAt.IsZero() {
				p.AddedAt = time.Now().UTC().Truncate(time.Second)
			}
			if p.RotationDays == 0 {
				p.RotationDays = DefaultRotationDays
			}
			pf.Profiles = append(pf.Profiles, p)
		}
		if pf.damaged != nil {
			kept = profilesFileName + ".damaged-" + time.Now().UTC().Format("20060102T150405Z")
			if err := os.Rename(filepath.Join(s.dir, profilesFileName), filepath.Join(s.dir, kept)); err != nil {
				return fmt.Errorf("keep the damaged profiles.json aside (nothing was changed): %w", err)
			}
		}
		return s.saveProfiles(pf)
	})
	return kept, err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
