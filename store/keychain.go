package store

import (
	"fmt"
	"time"

	"github.com/99designs/keyring"
)

// keychainTimeout bounds one call into the system keychain. A call can
// wait on the keychain's own unlock prompt, which a person may need a
// while to answer, but never forever: GNOME Keyring asks again after a
// wrong password, and with no prompter (no display) nothing ever answers.
const keychainTimeout = 2 * time.Minute

// guardedRing is a system keychain whose every call is bounded by a
// timeout and cannot crash keywarden: the Secret Service client panics on
// a prompt whose D-Bus connection went away. A call that timed out keeps
// running in the background; the process ends soon after anyway.
type guardedRing struct {
	ring    keyring.Keyring
	timeout time.Duration
}

// guard runs fn with the timeout, turning a panic into an error.
func guard[T any](timeout time.Duration, what string, fn func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	ch := make(chan result, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				var zero T
				ch <- result{zero, fmt.Errorf("%w: %s: the keychain client failed (%v); unlock the keychain and try again, or use --backend file", ErrNoKeychain, what, r)}
			}
		}()
		v, err := fn()
		ch <- result{v, err}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-time.After(timeout):
		var zero T
		return zero, fmt.Errorf("%w: %s: no answer from the system keychain within %v: it may be waiting for its unlock prompt (a wrong password is asked again); unlock it (on the desktop, or with seahorse) and try again, or use --backend file",
			ErrNoKeychain, what, timeout)
	}
}

func (g guardedRing) Get(key string) (keyring.Item, error) {
	return guard(g.timeout, "read "+key, func() (keyring.Item, error) { return g.ring.Get(key) })
}

func (g guardedRing) GetMetadata(key string) (keyring.Metadata, error) {
	return guard(g.timeout, "read "+key, func() (keyring.Metadata, error) { return g.ring.GetMetadata(key) })
}

func (g guardedRing) Set(it keyring.Item) error {
	_, err := guard(g.timeout, "store "+it.Key, func() (struct{}, error) { return struct{}{}, g.ring.Set(it) })
	return err
}

func (g guardedRing) Remove(key string) error {
	_, err := guard(g.timeout, "remove "+key, func() (struct{}, error) { return struct{}{}, g.ring.Remove(key) })
	return err
}

func (g guardedRing) Keys() ([]string, error) {
	return guard(g.timeout, "list items", g.ring.Keys)
}
