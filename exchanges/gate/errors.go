package gate

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// check classifies an answer: nil for a 2xx, else an *exchanges.Error
// with Gate's own label and message.
func check(op string) func(*exchanges.Response) error {
	return func(r *exchanges.Response) error {
		if r.Status >= 200 && r.Status < 300 {
			return nil
		}
		return classify(op, r)
	}
}

// classify maps Gate's labels (apiv4 "label list"; observed answers) into
// keywarden's classes.
func classify(op string, r *exchanges.Response) *exchanges.Error {
	e := &exchanges.Error{Op: op, HTTPStatus: r.Status}
	body, ok := parseError(r.Body)
	if ok {
		e.Code, e.Message = body.Label, body.Message
	}
	label := strings.ToUpper(body.Label)
	msg := strings.ToLower(body.Message)
	switch {
	case r.Status == http.StatusTooManyRequests || label == "TOO_MANY_REQUESTS":
		e.Class = exchanges.ErrRateLimited
		e.RetryAfter = retryAfter(r)
		return e
	case !ok:
		e.Class = exchanges.HTTPClass(r.Status)
		switch r.Status {
		case http.StatusForbidden:
			e.Class = exchanges.ErrUnavailable
			e.Cause = "refused before reaching Gate's API (HTTP 403 without a Gate label: a firewall or regional block)"
		case http.StatusNotFound:
			e.Class = exchanges.ErrUnsupported
		}
		return e
	}
	switch {
	case label == "INVALID_KEY" || label == "INVALID_CREDENTIALS":
		e.Class = exchanges.ErrBadKey
		e.Cause = "Gate does not know this API Key here: it was deleted, mistyped, or belongs to the other Gate environment"
	case label == "MISSING_REQUIRED_HEADER":
		e.Class = exchanges.ErrBadKey
		e.Cause = "a KEY, Timestamp or SIGN header was missing or empty"
	case label == "INVALID_SIGNATURE":
		e.Class = exchanges.ErrBadSignature
		e.Cause = "Gate knows the key, but the Secret Key does not match it"
	case label == "REQUEST_EXPIRED":
		e.Class = exchanges.ErrClockSkew
		e.Cause = "the Timestamp header is more than 60 s from Gate's clock"
	case strings.Contains(label, "EXPIRED") || (strings.Contains(msg, "key") && strings.Contains(msg, "expire")):
		// Gate documents no label for an expired key; its words are the
		// evidence.
		e.Class = exchanges.ErrExpired
	case label == "IP_FORBIDDEN" || (label == "FORBIDDEN" && strings.Contains(msg, "ip") && strings.Contains(msg, "whitelist")):
		e.Class = exchanges.ErrIPNotAllowed
		if ip := whitelistIP(body.Message); ip != "" {
			e.Cause = "Gate sees this machine as " + ip + ", which is not on the key's IP whitelist"
		}
	case label == "FORBIDDEN" || label == "READ_ONLY":
		e.Class = exchanges.ErrPermission
		if strings.Contains(msg, "account permission") {
			e.Cause = "the key has no Account permission: set Account to Read Only so keywarden can read its permissions and IP whitelist"
		}
	case label == "ACCOUNT_LOCKED" || label == "SUB_ACCOUNT_LOCKED" || label == "ACCOUNT_FROZEN":
		e.Class = exchanges.ErrBadKey
		e.Cause = "the Gate account is locked: contact Gate support"
	case label == "NOT_FOUND":
		e.Class = exchanges.ErrUnsupported
	case label == "TOO_BUSY" || label == "SERVER_ERROR" || label == "INTERNAL" || label == "INTERNAL_SERVER_ERROR" || r.Status >= 500:
		e.Class = exchanges.ErrUnavailable
	case r.Status == http.StatusUnauthorized:
		e.Class = exchanges.ErrBadKey
	default:
		e.Class = exchanges.ErrMalformed
		e.Cause = "unexpected answer"
	}
	return e
}

// whitelistIP extracts the address from "Request IP not in whitelist:
// 203.0.113.7".
func whitelistIP(msg string) string {
	i := strings.Index(strings.ToLower(msg), "whitelist:")
	if i < 0 {
		return ""
	}
	if ip := net.ParseIP(strings.TrimSpace(msg[i+len("whitelist:"):])); ip != nil {
		return ip.String()
	}
	return ""
}

// retryAfter reads Retry-After, or X-Gate-RateLimit-Reset-Timestamp (when
// the limit resets; Gate's docs do not say whether in seconds or
// milliseconds, so the size decides).
func retryAfter(r *exchanges.Response) time.Duration {
	if d := exchanges.RetryAfter(r.Header, r.Recv); d > 0 {
		return d
	}
	v := strings.TrimSpace(r.Header.Get("X-Gate-RateLimit-Reset-Timestamp"))
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	reset := time.Unix(n, 0)
	if n > 1e11 {
		reset = time.UnixMilli(n)
	}
	if d := reset.Sub(r.Recv); d > 0 && d < time.Hour {
		return d
	}
	return 0
}
