package kraken

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// Kraken answers most errors with HTTP 200 and {"error": ["EAPI:Invalid
// key"]}; the message is the code. Kraken's error strings, as keywarden
// reads them:
const (
	errInvalidKey       = "EAPI:Invalid key"
	errInvalidSignature = "EAPI:Invalid signature"
	errInvalidNonce     = "EAPI:Invalid nonce"
	errPermission       = "EGeneral:Permission denied"
	errUnknownMethod    = "EGeneral:Unknown method"
	errLockout          = "EGeneral:Temporary lockout"
)

// rateLimitWait is how long to wait before retrying after "Rate limit
// exceeded" when no Retry-After header says otherwise: Kraken's per-key
// counter drains by 0.33 (Starter), 0.5 (Intermediate) or 1 (Pro) per
// second, so one point is back after at most 3 s.
const rateLimitWait = 3 * time.Second

// lockoutWait is reported with EGeneral:Temporary lockout. It exceeds
// exchanges.Send's longest wait on purpose: retrying a lockout prolongs it.
const lockoutWait = time.Minute

// check classifies an answer: nil for success, else an *exchanges.Error
// holding Kraken's own error strings.
func check(op string) func(*exchanges.Response) error {
	return func(r *exchanges.Response) error {
		if e := classify(op, r); e != nil {
			return e
		}
		return nil
	}
}

func classify(op string, r *exchanges.Response) *exchanges.Error {
	e := &exchanges.Error{Op: op, HTTPStatus: r.Status}
	env, perr := parseEnvelope(r.Body)
	var fails []string
	if perr == nil {
		fails = env.failures()
	}
	ok2xx := r.Status >= 200 && r.Status < 300
	switch {
	case ok2xx && perr == nil && len(fails) == 0:
		return nil
	case ok2xx && perr != nil:
		e.Class, e.Cause = exchanges.ErrMalformed, perr.Error()
		return e
	case len(fails) == 0:
		// A non-2xx answer without Kraken's error body: Cloudflare, a
		// proxy, or a missing route.
		e.Class = exchanges.HTTPClass(r.Status)
		switch {
		case e.Class == exchanges.ErrRateLimited:
			e.RetryAfter = retryAfter(r)
		case r.Status == http.StatusNotFound:
			e.Class, e.Cause = exchanges.ErrUnsupported, "no such endpoint on this host"
		case r.Status == http.StatusForbidden:
			e.Class = exchanges.ErrUnavailable
			e.Cause = "refused by Kraken's front end (HTTP 403), before the API saw the request"
		case r.Status == http.StatusUnauthorized:
			e.Class = exchanges.ErrBadKey
		}
		return e
	}
	e.Message = strings.Join(fails, "; ")
	first := fails[0]
	switch {
	case first == errInvalidKey:
		e.Class = exchanges.ErrBadKey
		e.Cause = "Kraken does not know this API Key: it was deleted, mistyped, has passed its expiration date, or is a Kraken Futures key (those work only on futures.kraken.com)"
	case first == errInvalidSignature:
		e.Class = exchanges.ErrBadSignature
		e.Cause = "Kraken knows the API Key but the signature did not verify: the Private Key is not the one created with this API Key, or two-factor authentication is on for the key (bots cannot send the code)"
	case first == errInvalidNonce:
		// Kraken's form of a clock problem: the nonce is a millisecond
		// timestamp, and a lower one than the key already used is refused.
		e.Class = exchanges.ErrClockSkew
		e.Cause = "Kraken refused keywarden's nonce (taken from this machine's clock, in milliseconds) because the key already used a higher one: another program using this key at the same moment, on a machine whose clock is ahead, or signing with larger nonces (microseconds) got there first"
	case first == errPermission:
		// Narrowed by the caller: a missing permission or, UNCONFIRMED,
		// a request from an IP outside the key's allowlist.
		e.Class = exchanges.ErrPermission
	case first == errUnknownMethod || first == "EAPI:Feature disabled":
		e.Class, e.Cause = exchanges.ErrUnsupported, "this Kraken deployment does not offer the method"
	case first == errLockout:
		e.Class, e.RetryAfter = exchanges.ErrRateLimited, lockoutWait
		e.Cause = "Kraken locked this key out for a while after too many failed requests; wait a few minutes before trying again"
	case strings.HasPrefix(first, "EService:") && strings.Contains(first, "Throttled"):
		e.Class, e.RetryAfter = exchanges.ErrRateLimited, throttledUntil(first, r.Recv)
		e.Cause = "too many requests of this key at once"
	case strings.HasSuffix(first, ":Rate limit exceeded") || first == "EGeneral:Too many requests":
		e.Class, e.RetryAfter = exchanges.ErrRateLimited, retryAfter(r)
		e.Cause = "the key's API call counter is full (every call adds to it; it drains by 0.33 to 1 per second depending on the verification tier)"
	case strings.HasPrefix(first, "EService:") || strings.HasSuffix(first, ":Internal error"):
		e.Class = exchanges.ErrUnavailable
	case first == "EAuth:Account temporary disabled" || first == "ETrade:User Locked" || strings.HasPrefix(first, "EAccount:"):
		e.Class, e.Cause = exchanges.ErrPermission, "Kraken restricts this account: contact Kraken support"
	default:
		e.Class = exchanges.ErrMalformed
		e.Cause = "unexpected answer"
		if r.Status >= 500 {
			e.Class, e.Cause = exchanges.ErrUnavailable, ""
		}
	}
	return e
}

// retryAfter honours a Retry-After header (Kraken sends none that is
// documented; a proxy may), else Kraken's counter drain time.
func retryAfter(r *exchanges.Response) time.Duration {
	if d := exchanges.RetryAfter(r.Header, r.Recv); d > 0 {
		return d
	}
	return rateLimitWait
}

// throttledUntil reads "EService: Throttled: <unix seconds>".
func throttledUntil(msg string, now time.Time) time.Duration {
	i := strings.LastIndexByte(msg, ':')
	if i < 0 {
		return rateLimitWait
	}
	ts, err := strconv.ParseInt(strings.TrimSpace(msg[i+1:]), 10, 64)
	if err != nil || ts <= 0 || ts > 1e11 {
		return rateLimitWait
	}
	if d := time.Unix(ts, 0).Sub(now); d > 0 {
		return d
	}
	return time.Second
}

// isKraken reports whether err carries Kraken's error string s.
func isKraken(err error, s string) bool {
	e, ok := exchanges.AsError(err)
	return ok && (e.Message == s || strings.HasPrefix(e.Message, s+"; "))
}
