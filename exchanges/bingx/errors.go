package bingx

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// BingX answers errors with {"code":N,"msg":"..."} (usually HTTP 200);
// the codes are those of its docs' error tables and common error codes.
// Bare HTTP statuses: 429 rate limit, 418 banned after ignoring 429s, 403
// its web firewall (mostly too many requests: a 5-minute ban), 5xx
// outages.

// check classifies an answer: nil for success, else an *exchanges.Error
// with BingX's own code and message.
func (c *client) check(op string) func(*exchanges.Response) error {
	return func(r *exchanges.Response) error {
		if e := classify(op, r); e != nil {
			return e
		}
		return nil
	}
}

// untilRE finds the end of a BingX rate-limit ban, quoted in ms.
var untilRE = regexp.MustCompile(`(?i)(?:unblocked after|retry after time:?)\s*(\d{13})`)

func classify(op string, r *exchanges.Response) *exchanges.Error {
	body, ok := parseError(r.Body)
	if r.Status >= 200 && r.Status < 300 && (!ok || body.Code.V == 0) {
		return nil // a body that is not BingX's envelope is the parser's to refuse
	}
	e := &exchanges.Error{Op: op, HTTPStatus: r.Status}
	if !ok || body.Code.V == 0 {
		return classifyHTTP(e, r)
	}
	e.Code = strconv.FormatInt(body.Code.V, 10)
	e.Message = body.Msg
	msg := strings.ToLower(body.Msg)
	switch body.Code.V {
	case 100413:
		e.Class = exchanges.ErrBadKey
		if strings.Contains(msg, "null") {
			e.Cause = "no API key reached BingX"
		}
	case 100001, 100412:
		e.Class = exchanges.ErrBadSignature
	case 100421, 80014, 109400:
		// 100421 is also "The current system is busy" in BingX's
		// common codes; 80014 and 109400 are also plain parameter errors.
		switch {
		case strings.Contains(msg, "timestamp"):
			e.Class = exchanges.ErrClockSkew
		case strings.Contains(msg, "busy"):
			e.Class = exchanges.ErrUnavailable
		default:
			e.Class = exchanges.ErrMalformed
			e.Cause = "unexpected answer"
		}
	case 100419:
		e.Class = exchanges.ErrIPNotAllowed
	case 100004:
		e.Class = exchanges.ErrPermission
	case 100414:
		e.Class = exchanges.ErrPermission
		e.Cause = "BingX reports the account as abnormal: contact BingX support"
	case 100410:
		e.Class = exchanges.ErrRateLimited
		e.RetryAfter = retryAfter(r, body)
	case 100500, 100503, 80012:
		e.Class = exchanges.ErrUnavailable
	case 100404:
		e.Class = exchanges.ErrUnsupported
		e.Cause = "BingX has no such endpoint on this host"
	default:
		if r.Status >= 500 {
			e.Class = exchanges.ErrUnavailable
		} else {
			e.Class = exchanges.ErrMalformed
			e.Cause = "unexpected answer"
		}
	}
	return e
}

func classifyHTTP(e *exchanges.Error, r *exchanges.Response) *exchanges.Error {
	switch r.Status {
	case http.StatusTooManyRequests:
		e.Class = exchanges.ErrRateLimited
		e.RetryAfter = retryAfter(r, envelope{})
	case 418:
		e.Class = exchanges.ErrRateLimited
		e.Cause = "this IP is banned for a while after ignoring 429 answers"
		e.RetryAfter = retryAfter(r, envelope{})
	case http.StatusForbidden:
		e.Class = exchanges.ErrRateLimited
		e.Cause = "HTTP 403 from BingX's firewall: usually too many requests, banned for 5 minutes"
		e.RetryAfter = 5 * time.Minute
	case http.StatusNotFound:
		e.Class = exchanges.ErrUnsupported
		e.Cause = "BingX has no such path on this host"
	default:
		e.Class = exchanges.HTTPClass(r.Status)
	}
	return e
}

// retryAfter is Retry-After, the unblock time BingX quotes in the message,
// or X-RateLimit-Requests-Expire (the end of the window, in ms); times are
// measured against the answer's own timestamp when it has one.
func retryAfter(r *exchanges.Response, body envelope) time.Duration {
	if d := exchanges.RetryAfter(r.Header, r.Recv); d > 0 {
		return d
	}
	now := r.Recv.UnixMilli()
	if body.Timestamp > 0 {
		now = body.Timestamp
	}
	until := int64(0)
	if m := untilRE.FindStringSubmatch(body.Msg); m != nil {
		until, _ = strconv.ParseInt(m[1], 10, 64)
	} else if v, err := strconv.ParseInt(strings.TrimSpace(r.Header.Get("X-RateLimit-Requests-Expire")), 10, 64); err == nil {
		until = v
	}
	if d := time.Duration(until-now) * time.Millisecond; until > 0 && d > 0 && d < time.Hour {
		return d
	}
	return 0
}
