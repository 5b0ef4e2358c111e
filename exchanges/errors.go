package exchanges

import (
	"errors"
	"fmt"
	"time"

	"github.com/keywarden/keywarden/internal/textsafe"
)

// The classes every exchange error is mapped into at the adapter boundary.
// Match them with errors.Is; the exchange's own code and message stay in
// the *Error that wraps them.
var (
	ErrBadKey           = errors.New("api key rejected")
	ErrBadSignature     = errors.New("signature rejected (wrong secret)")
	ErrBadPassphrase    = errors.New("passphrase rejected")
	ErrIPNotAllowed     = errors.New("ip address not allowed for this key")
	ErrPermission       = errors.New("key lacks the permission for this request")
	ErrClockSkew        = errors.New("request timestamp outside the exchange's window")
	ErrWrongEnvironment = errors.New("key belongs to another environment")
	ErrRateLimited      = errors.New("rate limited")
	ErrUnavailable      = errors.New("exchange unavailable")
	// ErrExpired: the key existed but has expired. It also matches ErrBadKey.
	ErrExpired = fmt.Errorf("key expired: %w", ErrBadKey)
	// ErrUnsupported: this environment or exchange has no such endpoint.
	ErrUnsupported = errors.New("not offered by this exchange or environment")
	// ErrTimeout: no answer before the deadline. It also matches ErrUnavailable.
	ErrTimeout = fmt.Errorf("timed out: %w", ErrUnavailable)
	// ErrMalformed: the answer could not be understood.
	ErrMalformed = errors.New("malformed response")
	// ErrRedirect: the answer was a redirect, which is never followed: it
	// would carry the key, the signature and the passphrase to whatever
	// host the redirect names.
	ErrRedirect = errors.New("redirect refused")
	// ErrTooLarge: the answer was longer than MaxBody and was not read. It
	// also matches ErrMalformed.
	ErrTooLarge = fmt.Errorf("answer too large: %w", ErrMalformed)
)

// Error is an exchange error, classified. Its text keeps the exchange's own
// code and message, so a person can look them up.
type Error struct {
	Class      error  // one of the sentinels above
	Op         string // what we were doing, e.g. "read api restrictions"
	HTTPStatus int    // 0 if none
	Code       string // the exchange's own code, e.g. "-2015"
	Message    string // the exchange's own message
	// Cause narrows Class down when follow-up evidence was gathered, e.g.
	// "the key exists, but not for this IP".
	Cause string
	// RetryAfter is set for ErrRateLimited when the exchange said how long
	// to wait.
	RetryAfter time.Duration
	// Location is, for ErrRedirect, the host the refused redirect pointed
	// to (cleaned; never its path or query).
	Location string
}

func (e *Error) Error() string {
	s := e.Op + ": " + e.Class.Error()
	if e.Code != "" || e.Message != "" {
		s += " (exchange said"
		if e.Code != "" {
			s += " " + e.Code
		}
		if e.Message != "" {
			s += fmt.Sprintf(" %q", e.Message)
		}
		s += ")"
	} else if e.HTTPStatus != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.HTTPStatus)
	}
	if e.Cause != "" {
		s += ": " + e.Cause
	}
	return s
}

// Unwrap returns the class, so errors.Is works.
func (e *Error) Unwrap() error { return e.Class }

// Detail is the exchange's own code and message, for a detail line.
func (e *Error) Detail() string {
	switch {
	case e.Code != "" && e.Message != "":
		return e.Code + " " + e.Message
	case e.Message != "":
		return e.Message
	case e.Code != "":
		return e.Code
	case e.HTTPStatus != 0:
		return fmt.Sprintf("HTTP %d", e.HTTPStatus)
	}
	return ""
}

// AsError returns the *Error in err's chain, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// ClassOf returns which sentinel err belongs to, or nil.
func ClassOf(err error) error {
	for _, c := range []error{ErrExpired, ErrTimeout, ErrBadKey, ErrBadSignature, ErrBadPassphrase,
		ErrIPNotAllowed, ErrPermission, ErrClockSkew, ErrWrongEnvironment, ErrRateLimited,
		ErrUnavailable, ErrUnsupported, ErrRedirect, ErrTooLarge, ErrMalformed} {
		if errors.Is(err, c) {
			return c
		}
	}
	return nil
}

// Malformed is the error for an answer a parser could not read.
func Malformed(op string, err error) error {
	return &Error{Class: ErrMalformed, Op: op, Cause: textsafe.Line(err.Error())}
}

// CleanError makes the text of err safe to show: an *Error's code,
// message and cause came from the exchange and may hold escape sequences,
// bidi controls or megabytes of noise (see internal/textsafe). The *Error
// in err's chain comes back cleaned (a copy: err itself is not changed),
// still matching its class with errors.Is; any other error comes back
// with its text cleaned and err as its cause. nil stays nil.
//
// exchanges.Send applies it to every classified answer, and the checks
// package to every error an adapter returns, so an adapter that builds an
// error outside Send cannot leak raw text either.
func CleanError(err error) error {
	if err == nil {
		return nil
	}
	e, ok := AsError(err)
	if !ok {
		return &cleanError{msg: textsafe.Line(err.Error()), err: err}
	}
	c := *e
	c.Code = textsafe.Clean(e.Code, maxCode)
	c.Message = textsafe.Line(e.Message)
	c.Cause = textsafe.Line(e.Cause)
	c.Op = textsafe.Line(e.Op)
	c.Location = textsafe.Clean(e.Location, maxHost)
	if err == error(e) {
		return &c
	}
	// Wrapped: the wrapper's text may quote the raw message.
	return &cleanError{msg: textsafe.Line(err.Error()), err: &c}
}

// maxCode bounds an exchange's error code: real ones are a few characters.
const maxCode = 40

// maxHost bounds a host name shown to people (DNS allows 253 characters).
const maxHost = 100

// cleanError is an error whose text was cleaned; it unwraps to the
// (cleaned) *Error or the original error.
type cleanError struct {
	msg string
	err error
}

func (e *cleanError) Error() string { return e.msg }
func (e *cleanError) Unwrap() error { return e.err }
