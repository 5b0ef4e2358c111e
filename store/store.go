package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/99designs/keyring"
	"github.com/gofrs/flock"

	_ "github.com/keywarden/keywarden/internal/dbusguard" // before keyring's init: no dbus-launch
)

// The backends a Store can keep secrets in.
const (
	// BackendFile is the encrypted file keyring in Options.Dir (default).
	BackendFile = "file"
	// BackendOS is the system keychain: macOS keychain, Windows credential
	// manager, secret-service or kwallet.
	BackendOS = "os"
)

// ServiceName is the service (collection, folder, prefix) under which the
// os backend files keywarden's items.
const ServiceName = "keywarden"

const (
	lockFileName    = "lock"
	tmpDirName      = "tmp"
	journalFileName = "journal.json"
)

// Options configure Open.
type Options struct {
	// Dir is where the keyring and profiles live, e.g.
	// ~/.config/keywarden; created 0700 if missing.
	Dir string
	// Backend is BackendFile ("" means file) or BackendOS.
	Backend string
	// Passphrase is called lazily, only when a secret must be read or
	// written and the key is not yet derived; confirm is true when a NEW
	// keyring is being created (the caller should ask twice on a
	// terminal). Never called by the os backend.
	Passphrase func(confirm bool) (string, error)
	// Warn receives notices, e.g. "tightened permissions of X from 0755
	// to 0700". Nil discards them. The store itself never prints.
	Warn func(msg string)
}

// hooks are test-only knobs, set through open by the package's tests.
type hooks struct {
	kdf    *kdfParams                      // cheaper Argon2id for tests
	openOS func() (keyring.Keyring, error) // stand-in system keychain
	euid   func() int                      // stand-in user id
	repair bool                            // OpenRepair
	// keychainTimeout replaces keychainTimeout (tests).
	keychainTimeout time.Duration
}

// Store is an opened keyring folder. Its methods are safe for concurrent
// use, and every method takes the folder's lock, so several processes may
// use the same folder at once.
type Store struct {
	dir     string
	backend string
	ask     func(bool) (string, error)
	warn    func(string)
	kdf     kdfParams
	openOS  func() (keyring.Keyring, error)
	// keychainTimeout bounds each system keychain call; 0 is the default.
	keychainTimeout time.Duration

	mu     sync.Mutex // guards key and osRing; never held while waiting for the file lock
	key    *unlocked
	osRing keyring.Keyring
}

// Open opens (creating if needed) the keyring folder opts.Dir. It asks for
// no passphrase. It tightens loose permissions, reporting them to
// opts.Warn, and fails if the folder's profiles belong to the other
// backend.
func Open(opts Options) (*Store, error) { return open(opts, hooks{}) }

func open(opts Options, h hooks) (*Store, error) {
	if opts.Dir == "" {
		return nil, fmt.Errorf("%w: no keyring folder given; pass --dir or set KEYWARDEN_DIR", ErrBadInput)
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("keyring folder %s: %w", opts.Dir, err)
	}
	backend := opts.Backend
	if backend == "" {
		backend = BackendFile
	}
	if backend != BackendFile && backend != BackendOS {
		return nil, fmt.Errorf("%w: unknown backend %q: use %q or %q", ErrBackend, clip(backend), BackendFile, BackendOS)
	}
	s := &Store{dir: dir, backend: backend, ask: opts.Passphrase, warn: opts.Warn, kdf: defaultKDF(), openOS: h.openOS, keychainTimeout: h.keychainTimeout}
	if s.warn == nil {
		s.warn = func(string) {}
	}
	if h.kdf != nil {
		s.kdf = *h.kdf
	}
	if s.dir, err = resolveDir(dir); err != nil {
		return nil, err
	}
	euid := os.Geteuid
	if h.euid != nil {
		euid = h.euid
	}
	if err := checkFolder(s.dir, euid()); err != nil {
		return nil, err
	}
	if err := tightenTree(s.dir, s.warn); err != nil {
		return nil, err
	}
	if h.repair {
		return s, nil
	}
	if _, err := s.loadProfiles(); err != nil {
		return nil, err
	}
	return s, nil
}

// OpenRepair is Open for `keywarden doctor`: a damaged or missing
// profiles.json is no error, so that Diagnose can say what is wrong and
// Restore can rebuild the profiles. Everything else is refused as by Open.
func OpenRepair(opts Options) (*Store, error) { return open(opts, hooks{repair: true}) }

// Dir returns the keyring folder, as an absolute path.
func (s *Store) Dir() string { return s.dir }

// Backend returns BackendFile or BackendOS.
func (s *Store) Backend() string { return s.backend }

// locked runs fn holding the folder's lock: exclusive if write, else
// shared. Separate flock handles conflict even inside one process, so
// goroutines are serialised like processes are.
func (s *Store) locked(write bool, fn func() error) error {
	path := filepath.Join(s.dir, lockFileName)
	fl := flock.New(path, flock.SetFlag(os.O_CREATE|os.O_RDONLY|oNoFollow))
	lock := fl.RLock
	if write {
		lock = fl.Lock
	}
	if err := lock(); err != nil {
		if isLinkErr(err) {
			return unsafeLink(path)
		}
		return fmt.Errorf("lock keyring folder %s: %w", s.dir, err)
	}
	defer fl.Unlock()
	return fn()
}

// loadProfiles reads profiles.json; a missing file is no profiles.
func (s *Store) loadProfiles() (*profilesFile, error) {
	path := filepath.Join(s.dir, profilesFileName)
	data, err := readCapped(path, maxMetaFile)
	if errors.Is(err, fs.ErrNotExist) {
		return &profilesFile{Version: profilesVersion, Backend: s.backend, missing: true}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read profiles: %w", err)
	}
	pf, err := parseProfiles(path, data)
	if err != nil {
		return nil, err
	}
	if pf.Backend != "" && pf.Backend != s.backend && len(pf.Profiles) > 0 {
		return nil, fmt.Errorf("%w: the profiles in %s keep their secrets in the %q backend, not %q: pass --backend %s (or set KEYWARDEN_BACKEND=%s)",
			ErrBackend, s.dir, pf.Backend, s.backend, pf.Backend, pf.Backend)
	}
	return pf, nil
}

// loadRepairable is loadProfiles that turns a damaged profiles.json into
// no profiles, with pf.damaged saying why (doctor's rebuild).
func (s *Store) loadRepairable() (*profilesFile, error) {
	pf, err := s.loadProfiles()
	var df *damagedFile
	if errors.As(err, &df) {
		return &profilesFile{Version: profilesVersion, Backend: s.backend, damaged: df}, nil
	}
	return pf, err
}

// saveProfiles replaces profiles.json atomically.
func (s *Store) saveProfiles(pf *profilesFile) error {
	pf.Backend = s.backend
	data, err := encodeProfiles(pf)
	if err != nil {
		return err
	}
	return writeAtomic(s.dir, s.dir, profilesFileName, data)
}

func (s *Store) notFound(name string) error {
	return fmt.Errorf("%w: no profile named %q in %s; list the names with `keywarden list`", ErrNotFound, name, s.dir)
}

// List returns every profile, sorted by name. It never asks for the
// passphrase.
func (s *Store) List() ([]Profile, error) {
	var out []Profile
	err := s.locked(false, func() error {
		pf, err := s.loadProfiles()
		if err == nil {
			out = pf.Profiles
		}
		return err
	})
	return out, err
}

// Get returns one profile's metadata, or an error wrapping ErrNotFound. It
// never asks for the passphrase.
func (s *Store) Get(name string) (Profile, error) {
	if err := ValidName(name); err != nil {
		return Profile{}, err
	}
	var p Profile
	err := s.locked(false, func() error {
		pf, err := s.loadProfiles()
		if err != nil {
			return err
		}
		i := pf.find(name)
		if i < 0 {
			return s.notFound(name)
		}
		p = pf.Profiles[i]
		return nil
	})
	return p, err
}

// Update changes a profile's metadata through fn, atomically. It never
// asks for the passphrase. fn may not change Name or Fingerprint (use
// Replace for a new key); if fn returns an error nothing is written.
func (s *Store) Update(name string, fn func(*Profile) error) error {
	if err := ValidName(name); err != nil {
		return err
	}
	return s.locked(true, func() error {
		pf, err := s.loadProfiles()
		if err != nil {
			return err
		}
		s.cleanup(s.peekKeyring(), pf)
		i := pf.find(name)
		if i < 0 {
			return s.notFound(name)
		}
		p := cloneProfile(pf.Profiles[i])
		if err := fn(&p); err != nil {
			return err
		}
		if p.Name != name || p.Fingerprint != pf.Profiles[i].Fingerprint {
			return fmt.Errorf("%w: update of profile %q may not change its name or fingerprint; add a new profile, or use rotate for a new key", ErrBadInput, name)
		}
		if err := validateProfile(p); err != nil {
			return err
		}
		pf.Profiles[i] = p
		return s.saveProfiles(pf)
	})
}
