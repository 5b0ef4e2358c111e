package bybit

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// Bybit answers most errors with HTTP 200 and a retCode in the body; the
// codes below are the ones its gateway returns before a request reaches
// the account (error.mdx; the gateway checks, in order: auth headers
// 10001, timestamp 10002, API key 10003 or expired 33004, bans 10008,
// region 10009, IP whitelist 10010, permission 10005, signature 10004).
// Bare HTTP statuses come from the edge: 403 for the IP rate limit or a
// restricted country, 429 for system protection, 5xx for outages.

// check classifies an answer: nil for success, else an *exchanges.Error
// with Bybit's own code and message.
func (c *client) check(op string) func(*exchanges.Response) error {
	return func(r *exchanges.Response) error {
		if e := classify(op, r); e != nil {
			return e
		}
		return nil
	}
}

var (
	originRE = regexp.MustCompile(`origin_string\[[^\]]*\]`)
	tsRE     = regexp.MustCompile(`req_timestamp\[(\d+)\],\s*server_timestamp\[(\d+)\],\s*recv_window\[(\d+)\]`)
)

func classify(op string, r *exchanges.Response) *exchanges.Error {
	body, ok := parseError(r.Body)
	if r.Status >= 200 && r.Status < 300 && (!ok || *body.RetCode == 0) {
		return nil // a body that is not Bybit's envelope is the parser's to refuse
	}
	e := &exchanges.Error{Op: op, HTTPStatus: r.Status}
	if !ok {
		return classifyHTTP(e, r)
	}
	code := *body.RetCode
	e.Code = strconv.Itoa(code)
	// The signature error quotes the signed string, which holds the API
	// key in full: keep the message, drop the quote.
	e.Message = originRE.ReplaceAllString(body.RetMsg, "origin_string[…]")
	switch code {
	case 0:
		// retCode 0 with a non-2xx status: trust the status.
		return classifyHTTP(e, r)
	case 10003:
		// Narrowed by the caller: unknown key, or a key of another
		// environment or regional site.
		e.Class = exchanges.ErrBadKey
	case 33004:
		e.Class = exchanges.ErrExpired
	case -2015:
		e.Class = exchanges.ErrBadKey
		if strings.Contains(strings.ToLower(body.RetMsg), "expired") {
			e.Class = exchanges.ErrExpired
		}
	case 10007:
		e.Class = exchanges.ErrBadKey
		e.Cause = "Bybit could not authenticate the key's user"
	case 10004:
		e.Class = exchanges.ErrBadSignature
	case 10002:
		e.Class = exchanges.ErrClockSkew
		e.Cause = skewCause(body.RetMsg)
	case 10010:
		e.Class = exchanges.ErrIPNotAllowed
	case 10005:
		e.Class = exchanges.ErrPermission
	case 10008:
		e.Class = exchanges.ErrPermission
		e.Cause = "Bybit has banned this account or this kind of account from the request"
	case 10024:
		e.Class = exchanges.ErrPermission
		e.Cause = "Bybit's compliance rules refuse this account the product"
	case 10009:
		e.Class = exchanges.ErrUnavailable
		e.Cause = "Bybit refuses requests from this IP's country or region"
	case 10006, 10018:
		e.Class = exchanges.ErrRateLimited
		e.RetryAfter = retryAfter(r, body.Time)
	case 10000, 10016, 5000:
		e.Class = exchanges.ErrUnavailable
	case 10017:
		e.Class = exchanges.ErrUnsupported
		e.Cause = "Bybit has no such route on this host"
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

// classifyHTTP explains a status that came without Bybit's envelope.
func classifyHTTP(e *exchanges.Error, r *exchanges.Response) *exchanges.Error {
	switch r.Status {
	case http.StatusForbidden:
		if strings.Contains(strings.ToLower(string(r.Body)), "too frequent") {
			e.Class = exchanges.ErrRateLimited
			e.Cause = "Bybit's IP rate limit (600 requests in 5 s): stop every bot on this IP and wait at least 10 minutes"
			e.RetryAfter = 10 * time.Minute
			return e
		}
		e.Class = exchanges.ErrUnavailable
		e.Cause = "HTTP 403 from Bybit's edge: the IP rate limit was breached, or the IP is in a country Bybit refuses (USA, mainland China)"
	case http.StatusTooManyRequests:
		e.Class = exchanges.ErrRateLimited
		e.RetryAfter = retryAfter(r, 0)
	case http.StatusNotFound:
		e.Class = exchanges.ErrUnsupported
		e.Cause = "Bybit has no such path on this host"
	default:
		e.Class = exchanges.HTTPClass(r.Status)
	}
	return e
}

// retryAfter is Retry-After, or Bybit's X-Bapi-Limit-Reset-Timestamp
// (milliseconds) measured against the answer's own server time, so that a
// skewed local clock does not distort the wait.
func retryAfter(r *exchanges.Response, serverMs int64) time.Duration {
	if d := exchanges.RetryAfter(r.Header, r.Recv); d > 0 {
		return d
	}
	reset, err := strconv.ParseInt(strings.TrimSpace(r.Header.Get("X-Bapi-Limit-Reset-Timestamp")), 10, 64)
	if err != nil || reset <= 0 {
		return 0
	}
	now := r.Recv.UnixMilli()
	if serverMs > 0 {
		now = serverMs
	}
	if d := time.Duration(reset-now) * time.Millisecond; d > 0 && d < time.Hour {
		return d
	}
	return 0
}

// skewCause reads the timestamps Bybit quotes in a 10002 answer.
func skewCause(msg string) string {
	m := tsRE.FindStringSubmatch(msg)
	if m == nil {
		return ""
	}
	req, _ := strconv.ParseInt(m[1], 10, 64)
	srv, _ := strconv.ParseInt(m[2], 10, 64)
	d := time.Duration(req-srv) * time.Millisecond
	switch {
	case d >= 0:
		return fmt.Sprintf("the request's timestamp was %s ahead of Bybit's clock (Bybit allows less than 1 s ahead)", d)
	default:
		return fmt.Sprintf("the request's timestamp was %s behind Bybit's clock (recv_window %s ms)", -d, m[3])
	}
}
