package store

import "errors"

// Sentinel errors. Every error the store returns for one of these causes
// wraps the sentinel (match with errors.Is) and adds what happened, why, and
// the fix. The caller maps all of them to exit code 2. No error ever holds
// a secret value.
var (
	// ErrNotFound: no profile of that name.
	ErrNotFound = errors.New("profile not found")
	// ErrExists: Add of a name that is already taken.
	ErrExists = errors.New("profile already exists")
	// ErrBadName: a profile name outside [a-z0-9][a-z0-9._-]{0,63}.
	ErrBadName = errors.New("invalid profile name")
	// ErrBadInput: a profile or credentials value the store refuses.
	ErrBadInput = errors.New("invalid input")
	// ErrWrongPassphrase: the passphrase does not open the keyring; nothing
	// was read or written.
	ErrWrongPassphrase = errors.New("wrong passphrase")
	// ErrEmptyPassphrase: an empty passphrase, always refused.
	ErrEmptyPassphrase = errors.New("empty passphrase")
	// ErrWeakPassphrase: a new passphrase shorter than MinPassphraseLen.
	ErrWeakPassphrase = errors.New("passphrase too short")
	// ErrNoPassphrase: a passphrase is needed but Options.Passphrase is nil.
	ErrNoPassphrase = errors.New("no passphrase available")
	// ErrNoKeyring: an operation that needs an existing keyring found none.
	ErrNoKeyring = errors.New("no keyring yet")
	// ErrNoKeychain: the os backend found no system keychain.
	ErrNoKeychain = errors.New("no system keychain found")
	// ErrBackend: an unknown backend, an operation the backend does not
	// support, or a folder whose profiles live in the other backend.
	ErrBackend = errors.New("keyring backend mismatch")
	// ErrCorrupt: a keywarden file is damaged or missing; the message names
	// it and says how to recover.
	ErrCorrupt = errors.New("keyring data damaged")
	// ErrUnsafe: the keyring folder is not safe to use: a symbolic link or
	// a special file where keywarden keeps its files, or a folder that
	// belongs to another user. Nothing was read or written through it.
	ErrUnsafe = errors.New("keyring folder unsafe")
)
