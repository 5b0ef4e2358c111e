package store

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"sort"

	"github.com/99designs/keyring"
)

// osBackends are the system keychains the os backend may use: never the
// file backend (that is BackendFile), keyctl (lost at logout) or pass.
func osBackends() []keyring.BackendType {
	return []keyring.BackendType{
		keyring.KeychainBackend,
		keyring.WinCredBackend,
		keyring.SecretServiceBackend,
		keyring.KWalletBackend,
	}
}

// osKeyring opens the system keychain once per Store.
func (s *Store) osKeyring() (keyring.Keyring, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.osRing != nil {
		return s.osRing, nil
	}
	open := s.openOS
	if open == nil {
		open = func() (keyring.Keyring, error) {
			return keyring.Open(keyring.Config{
				AllowedBackends:                osBackends(),
				ServiceName:                    ServiceName,
				KeychainSynchronizable:         false, // never to iCloud
				KeychainAccessibleWhenUnlocked: true,
				LibSecretCollectionName:        ServiceName,
				KWalletAppID:                   ServiceName,
				KWalletFolder:                  ServiceName,
				WinCredPrefix:                  ServiceName,
			})
		}
	}
	timeout := keychainTimeout
	if s.keychainTimeout > 0 {
		timeout = s.keychainTimeout
	}
	r, err := guard(timeout, "open", open)
	if errors.Is(err, ErrNoKeychain) {
		return nil, err // timed out or crashed: the error says so
	}
	if err != nil {
		return nil, fmt.Errorf("%w (%s); use --backend file", ErrNoKeychain, noKeychainWhy())
	}
	s.osRing = guardedRing{ring: r, timeout: timeout}
	return s.osRing, nil
}

// noKeychainWhy says why this platform may lack a keychain.
func noKeychainWhy() string {
	switch runtime.GOOS {
	case "darwin":
		return "the macOS keychain needs a keywarden built with cgo, and this build has none"
	case "windows":
		return "the Windows Credential Manager could not be opened"
	default:
		return "secret-service and kwallet need a D-Bus session bus with a keyring daemon running, and none was reachable"
	}
}

// osVault keeps items in the system keychain.
type osVault struct{ ring keyring.Keyring }

func (v *osVault) get(name string) ([]byte, error) {
	it, err := v.ring.Get(name)
	if errors.Is(err, keyring.ErrKeyNotFound) {
		return nil, fmt.Errorf("%w: profile %q has no secret in the system keychain (service %q); remove the profile and add it again", ErrCorrupt, name, ServiceName)
	}
	if err != nil {
		return nil, fmt.Errorf("read the secret of %q from the system keychain: %w", name, err)
	}
	// A copy: the caller wipes what it gets, and a backend may keep the
	// slice it returned (the in-memory one does).
	return bytes.Clone(it.Data), nil
}

func (v *osVault) put(name string, data []byte) error {
	err := v.ring.Set(keyring.Item{
		Key:                         name,
		Data:                        bytes.Clone(data), // the caller wipes data
		Label:                       "keywarden: " + name,
		Description:                 "API credentials of the keywarden profile " + name,
		KeychainNotSynchronizable:   true,
		KeychainNotTrustApplication: true,
	})
	if err != nil {
		return fmt.Errorf("store the secret of %q in the system keychain: %w", name, err)
	}
	return nil
}

func (v *osVault) names() ([]string, error) {
	keys, err := v.ring.Keys()
	if err != nil {
		return nil, fmt.Errorf("list the items in the system keychain: %w", err)
	}
	var out []string
	for _, k := range keys {
		if ValidName(k) == nil {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out, nil
}

// remove deletes an item; a missing one is not an error (keyring's
// backends report it as ErrKeyNotFound or as a file error).
func (v *osVault) remove(name string) error {
	err := v.ring.Remove(name)
	if err == nil || errors.Is(err, keyring.ErrKeyNotFound) || errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return fmt.Errorf("remove the secret of %q from the system keychain: %w", name, err)
}
