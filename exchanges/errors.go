package exchanges

import (
	"errors"
	"fmt"
	"time"
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
		ErrUnavailable, ErrUnsupported, ErrMalformed} {
		if errors.Is(err, c) {
			return c
		}
	}
	return nil
}

// Malformed is the error for an answer a parser could not read.
func Malformed(op string, err error) error {
	return &Error{Class: ErrMalformed, Op: op, Cause: err.Error()}
}
