package coinbase

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// How Coinbase refuses, as far as it is known:
//
//   - a JWT it does not accept (unknown key name, wrong private key, bad
//     signature, nbf in the future, exp in the past, wrong uri) gets HTTP
//     401 with the bare text "Unauthorized" — one answer for every cause
//     (coinbase-advanced-py issue #132: "The 401 body is a bare
//     Unauthorized"); the older gateway words are ids such as
//     invalid_token, expired_token, revoked_token, authentication_error;
//   - a request from an IP outside the key's allowlist: UNCONFIRMED. The
//     same host's older API answered 401 {"errors":[{"id":
//     "authentication_error","message":"IP blocked"}]}; any refusal whose
//     words mention the IP or the allowlist is read as that;
//   - a missing permission: 403 {"error":"PERMISSION_DENIED",
//     "error_details":"Missing required scopes","message":"…"};
//   - too many requests: 429 (rate_limit_exceeded / RESOURCE_EXHAUSTED),
//     with Retry-After or the x-ratelimit-reset header;
//   - maintenance and outages: 5xx.

// check classifies an answer: nil for 2xx, else an *exchanges.Error with
// Coinbase's own code and message.
func check(op string) func(*exchanges.Response) error {
	return func(r *exchanges.Response) error {
		if r.Status >= 200 && r.Status < 300 {
			return nil
		}
		return classify(op, r)
	}
}

var (
	ipWords      = regexp.MustCompile(`(?i)(\bip\b|ip address|allow ?list|white ?list)`)
	scopeWords   = regexp.MustCompile(`(?i)(permission_denied|invalid_scope|missing required scopes|permission is required|insufficient.?scope)`)
	expiredWords = regexp.MustCompile(`(?i)(expired_token|token (is )?expired|timestamp expired)`)
	revokedWords = regexp.MustCompile(`(?i)(revoked)`)
)

func classify(op string, r *exchanges.Response) *exchanges.Error {
	e := &exchanges.Error{Op: op, HTTPStatus: r.Status}
	body, ok := parseError(r.Body)
	if ok {
		e.Code, e.Message = body.Code, body.Message
	}
	words := e.Code + " " + e.Message
	switch {
	case r.Status == http.StatusTooManyRequests || strings.EqualFold(e.Code, "RESOURCE_EXHAUSTED") || strings.EqualFold(e.Code, "rate_limit_exceeded"):
		e.Class = exchanges.ErrRateLimited
		e.RetryAfter = retryAfter(r.Header, r.Recv)
	case r.Status >= 500:
		e.Class = exchanges.ErrUnavailable
		if r.Status == http.StatusServiceUnavailable {
			e.Cause = "Coinbase is in maintenance or overloaded (HTTP 503)"
		}
	case (r.Status == http.StatusUnauthorized || r.Status == http.StatusForbidden) && ok && ipWords.MatchString(words):
		e.Class = exchanges.ErrIPNotAllowed
		e.Cause = "Coinbase refused the request for this machine's IP: it is not on the key's IP allowlist"
	case r.Status == http.StatusUnauthorized && expiredWords.MatchString(words):
		e.Class = exchanges.ErrClockSkew
		e.Cause = "Coinbase says the JWT has expired: its exp (2 minutes after this machine's clock) is already past on Coinbase's clock"
	case r.Status == http.StatusUnauthorized && revokedWords.MatchString(words):
		e.Class = exchanges.ErrBadKey
		e.Cause = "Coinbase says the key was revoked (deleted)"
	case r.Status == http.StatusUnauthorized:
		// Narrowed by the caller with the server's clock.
		e.Class = exchanges.ErrBadKey
	case r.Status == http.StatusForbidden && ok && scopeWords.MatchString(words):
		e.Class = exchanges.ErrPermission
	case r.Status == http.StatusForbidden && ok:
		e.Class = exchanges.ErrPermission
	case r.Status == http.StatusForbidden:
		e.Class = exchanges.ErrUnavailable
		e.Cause = "refused before it reached Coinbase's API (HTTP 403 without Coinbase's error body: a firewall, proxy or regional block)"
	case r.Status == http.StatusNotFound:
		e.Class = exchanges.ErrMalformed
		e.Cause = "no such endpoint on this host (HTTP 404): is the base URL Coinbase's API?"
	default:
		e.Class = exchanges.ErrMalformed
		e.Cause = "unexpected answer"
	}
	return e
}

// retryAfter reads Retry-After, else x-ratelimit-reset (Coinbase's SDK
// names the header; its unit is UNCONFIRMED: a value that looks like a
// Unix time is read as one, a small one as seconds to wait).
func retryAfter(h http.Header, now time.Time) time.Duration {
	if d := exchanges.RetryAfter(h, now); d > 0 {
		return d
	}
	v := strings.TrimSpace(h.Get("X-Ratelimit-Reset"))
	if v == "" {
		return 0
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f <= 0 || f > 1e13 {
		return 0
	}
	switch {
	case f > 1e11: // Unix milliseconds
		return max(time.UnixMilli(int64(f)).Sub(now), 0)
	case f > 1e9: // Unix seconds
		return max(time.Unix(int64(f), 0).Sub(now), 0)
	}
	return time.Duration(f * float64(time.Second))
}

// narrow explains a bare 401 with evidence. Coinbase gives one answer for
// every JWT it refuses, so the only cause keywarden can prove is the
// clock: it reads Coinbase's time (a public endpoint) and compares. The
// key itself was already checked locally (a damaged private key never
// gets this far), so what remains is a key Coinbase does not accept.
func (c *client) narrow(ctx context.Context, s *Signer, orig *exchanges.Error) error {
	e := *orig
	ts, err := c.ServerTime(ctx)
	if err == nil {
		off := ts.Offset()
		w := Info().Clock
		switch {
		case off > w.Ahead:
			e.Class = exchanges.ErrClockSkew
			e.Cause = fmt.Sprintf("this machine's clock is %s ahead of Coinbase's, so the JWT's nbf lies in Coinbase's future", off.Round(100*time.Millisecond))
			return &e
		case -off >= w.Behind:
			e.Class = exchanges.ErrClockSkew
			e.Cause = fmt.Sprintf("this machine's clock is %s behind Coinbase's, so the JWT had expired (exp = nbf + 120 s) before it arrived", (-off).Round(100*time.Millisecond))
			return &e
		}
	}
	e.Class = exchanges.ErrBadKey
	e.Cause = "Coinbase refused the JWT without saying why: the API key name is unknown or deleted, the private key is not the one of this key, or the key's IP allowlist does not include this machine"
	if err == nil {
		e.Cause += " (this machine's clock agrees with Coinbase's, so the clock is not the cause)"
	}
	if s != nil && s.Alg() == AlgEdDSA {
		e.Cause += "; if key and private key are right, create an ECDSA key: some Coinbase APIs refuse Ed25519 keys"
	}
	return &e
}
