package bitmex

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// BitMEX answers errors as {"error":{"message":"...","name":"HTTPError"}}
// with the HTTP status saying the class: 400 for a bad or expired request,
// 401 for an unknown key or a wrong signature, 403 for what the key may
// not do (and, as an HTML page from its front end, for an IP BitMEX banned
// after too many errors), 429 for the rate limit, 503 when overloaded or
// down. The message tells the rest; Code keeps the HTTP status, which is
// what BitMEX's own documentation refers to.

// defaultRateWait is waited after a 429 without Retry-After or
// x-ratelimit-reset.
const defaultRateWait = time.Second

// check classifies an answer: nil for 2xx, else an *exchanges.Error.
// signedRead marks the signed read endpoints, which every BitMEX key may
// call whatever its permissions.
func check(op string, signedRead bool) func(*exchanges.Response) error {
	return func(r *exchanges.Response) error {
		if r.Status >= 200 && r.Status < 300 {
			return nil
		}
		return classify(op, signedRead, r)
	}
}

var currentTimeRE = regexp.MustCompile(`Current time: ([0-9]{9,11})`)

func classify(op string, signedRead bool, r *exchanges.Response) *exchanges.Error {
	e := &exchanges.Error{Op: op, HTTPStatus: r.Status, Code: strconv.Itoa(r.Status)}
	body, ok := parseError(r.Body)
	if ok {
		e.Message = body.Message
	}
	msg := strings.ToLower(body.Message)
	switch {
	case r.Status == http.StatusTooManyRequests || body.Name == "RateLimitError":
		e.Class = exchanges.ErrRateLimited
		e.RetryAfter = retryAfter(r)
	case !ok:
		e.Class = exchanges.HTTPClass(r.Status)
		switch r.Status {
		case http.StatusForbidden:
			e.Class = exchanges.ErrUnavailable
			e.Cause = "BitMEX's front end refused this IP without an API answer: BitMEX bans an IP for an hour after many 4xx/5xx answers in a short time, and blocks some regions"
		case http.StatusUnauthorized:
			e.Class = exchanges.ErrBadKey
		}
	case strings.Contains(msg, "expires") || strings.Contains(msg, "nonce"):
		e.Class = exchanges.ErrClockSkew
		e.Cause = clockCause(body.Message, r.Recv)
	case strings.Contains(msg, "signature not valid"):
		e.Class = exchanges.ErrBadSignature
		e.Cause = "BitMEX knows the key ID, and the Secret does not match it"
	case strings.Contains(msg, "invalid api key"):
		e.Class = exchanges.ErrBadKey // narrowed by the caller
	case strings.Contains(msg, "disabled"):
		e.Class = exchanges.ErrBadKey
		e.Cause = "the key is disabled on BitMEX"
	case strings.Contains(msg, "restricted") && !mentionsIP(msg):
		e.Class = exchanges.ErrBadKey
		e.Cause = "BitMEX restricted the account: contact BitMEX support"
	case mentionsIP(msg):
		e.Class = exchanges.ErrIPNotAllowed
	case r.Status == http.StatusUnauthorized:
		e.Class = exchanges.ErrBadKey
	case r.Status == http.StatusForbidden && signedRead:
		// Every BitMEX key may read this endpoint: a 403 here is not a
		// missing permission. What remains is the key's IP restriction
		// (BitMEX does not document the message it uses for it).
		e.Class = exchanges.ErrIPNotAllowed
		e.Cause = "every BitMEX key may read this, so the 403 came from the key's IP restriction (CIDR)"
	case r.Status == http.StatusForbidden:
		e.Class = exchanges.ErrPermission
	case r.Status >= 500:
		e.Class = exchanges.ErrUnavailable
		if r.Status == http.StatusServiceUnavailable {
			e.Cause = "BitMEX is overloaded or down (it asks to retry after at least 500 ms)"
		}
	case r.Status == http.StatusNotFound:
		e.Class = exchanges.ErrUnsupported
	default:
		e.Class = exchanges.ErrMalformed
		e.Cause = "BitMEX refused the request as keywarden sent it"
	}
	return e
}

// clockCause explains an expired request with the clock BitMEX quoted.
func clockCause(msg string, recv time.Time) string {
	base := "BitMEX rejects a request once its api-expires is in the past on BitMEX's clock"
	m := currentTimeRE.FindStringSubmatch(msg)
	if m == nil || recv.IsZero() {
		return base + ": this machine's clock is off"
	}
	sec, _ := strconv.ParseInt(m[1], 10, 64)
	off := recv.Sub(time.Unix(sec, 0)).Round(time.Second)
	switch {
	case strings.Contains(strings.ToLower(msg), "future"):
		return fmt.Sprintf("this machine's clock is about %s ahead of BitMEX's (BitMEX said Current time: %d)", off, sec)
	case off < 0:
		return fmt.Sprintf("%s: this machine's clock is about %s behind BitMEX's (BitMEX said Current time: %d)", base, -off, sec)
	}
	return fmt.Sprintf("%s (BitMEX said Current time: %d)", base, sec)
}

// retryAfter is Retry-After, or the wait until x-ratelimit-reset (Unix
// seconds), or the default.
func retryAfter(r *exchanges.Response) time.Duration {
	if d := exchanges.RetryAfter(r.Header, r.Recv); d > 0 {
		return d
	}
	if n, err := strconv.ParseInt(strings.TrimSpace(r.Header.Get("X-Ratelimit-Reset")), 10, 64); err == nil {
		if d := time.Unix(n, 0).Sub(r.Recv); d > 0 && d < time.Hour {
			return d.Round(time.Second) + time.Second
		}
	}
	return defaultRateWait
}

// mentionsIP reports whether BitMEX's words name an IP restriction.
func mentionsIP(s string) bool {
	s = strings.ToLower(s)
	if strings.Contains(s, "cidr") || strings.Contains(s, "ip address") || strings.Contains(s, "whitelist") {
		return true
	}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !(r >= 'a' && r <= 'z') }) {
		if w == "ip" {
			return true
		}
	}
	return false
}
