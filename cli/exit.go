package cli

import (
	"context"
	"errors"
	"strings"

	"charm.land/huh/v2"

	"github.com/keywarden/keywarden/store"
)

// The exit codes of the spec, in one place.
const (
	exitOK          = 0
	exitFailed      = 1   // a check failed (or warned, with --strict)
	exitUsage       = 2   // usage, configuration, keyring or input error
	exitInterrupted = 130 // Ctrl+C
)

// exitError carries an exit code. With a nil err nothing more is printed:
// the command already said what happened (a failed check).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageErr marks bad input: exit 2, with the message as given.
func usageErr(err error) error { return &exitError{code: exitUsage, err: err} }

// exitCode maps any error from a command to the spec's exit codes.
func exitCode(err error) int {
	var ee *exitError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, context.Canceled), errors.Is(err, huh.ErrUserAborted), errors.Is(err, errInterrupted):
		return exitInterrupted
	case isStoreError(err), isCobraUsage(err):
		return exitUsage
	}
	return exitUsage
}

var errInterrupted = errors.New("interrupted")

func isStoreError(err error) bool {
	for _, s := range []error{store.ErrNotFound, store.ErrExists, store.ErrBadName, store.ErrBadInput,
		store.ErrWrongPassphrase, store.ErrEmptyPassphrase, store.ErrWeakPassphrase, store.ErrNoPassphrase,
		store.ErrNoKeyring, store.ErrNoKeychain, store.ErrBackend, store.ErrCorrupt} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// isCobraUsage recognises cobra's flag and argument errors.
func isCobraUsage(err error) bool {
	s := err.Error()
	for _, p := range []string{"unknown flag", "unknown shorthand flag", "flag needs an argument", "invalid argument",
		"unknown command", "accepts ", "requires at least", "requires at most", "required flag"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
