package kucoin

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// errPassphraseOrSecret is 400004's class. KuCoin checks
// KC-API-PASSPHRASE before KC-API-SIGN (ccxt issue #9369: a request with
// both wrong got 400004), and for version 2/3 keys that header is an HMAC
// keyed with the API Secret, so a wrong secret fails there too. No
// read-only request can tell the two apart; the error matches both
// ErrBadPassphrase and ErrBadSignature.
var errPassphraseOrSecret = fmt.Errorf("%w, or %w", exchanges.ErrBadPassphrase, exchanges.ErrBadSignature)

// check classifies an answer: nil for a 2xx with code 200000, else an
// *exchanges.Error keeping KuCoin's own code and message.
func check(op string) func(*exchanges.Response) error {
	return func(r *exchanges.Response) error {
		if r.Status >= 200 && r.Status < 300 {
			if e, err := exchanges.ParseCodeEnvelope(r.Body, "KuCoin"); err != nil || e.Code == codeOK {
				// A body that is not KuCoin's JSON is the parser's to
				// report as malformed.
				return nil
			}
		}
		return classify(op, r)
	}
}

// classify maps KuCoin's codes (docs "Errors"; ccxt kucoin.js exceptions;
// observed messages) into keywarden's classes.
func classify(op string, r *exchanges.Response) *exchanges.Error {
	e := &exchanges.Error{Op: op, HTTPStatus: r.Status}
	body, err := exchanges.ParseCodeEnvelope(r.Body, "KuCoin")
	ok := err == nil
	code := ""
	if ok {
		code = body.Code
		e.Code, e.Message = code, body.Msg
	}
	msg := strings.ToLower(e.Message)
	switch {
	case r.Status == http.StatusTooManyRequests || code == "429000" || code == "200002":
		e.Class = exchanges.ErrRateLimited
		e.RetryAfter = retryAfter(r)
		if code == "429000" && e.RetryAfter == 0 {
			e.Cause = "KuCoin is overloaded or this account used up its resource pool for the 30 s window"
		}
		return e
	case !ok:
		e.Class = exchanges.HTTPClass(r.Status)
		switch r.Status {
		case http.StatusServiceUnavailable:
			e.Cause = "KuCoin is temporarily offline for maintenance (HTTP 503)"
		case http.StatusForbidden:
			e.Class = exchanges.ErrUnavailable
			e.Cause = "refused by KuCoin's firewall before reaching the API (HTTP 403 without a KuCoin error)"
		case http.StatusNotFound:
			e.Class = exchanges.ErrUnsupported
		}
		return e
	case strings.Contains(msg, "expire") && strings.HasPrefix(code, "4000"):
		// KuCoin documents no code for an expired key (sub-account keys
		// may be created with an expiry); its message is the evidence.
		e.Class = exchanges.ErrExpired
		return e
	}
	switch code {
	case "400001":
		e.Class = exchanges.ErrBadKey
		e.Cause = "a KC-API header was missing or empty"
	case "400002":
		e.Class = exchanges.ErrClockSkew
		e.Cause = "KC-API-TIMESTAMP is more than 5 s from KuCoin's clock"
	case "400003":
		e.Class = exchanges.ErrBadKey
		e.Cause = "KuCoin does not know this API Key: it was deleted, mistyped, or belongs to another KuCoin site"
	case "400004":
		e.Class = errPassphraseOrSecret
		e.Cause = "KuCoin checks the API Passphrase with the API Secret, so one of them is wrong: the passphrase is the one chosen for this key (not the login or trading password), the secret is the UUID shown once at creation"
	case "400005":
		e.Class = exchanges.ErrBadSignature
		e.Cause = "KuCoin knows the key, but the API Secret does not match it"
	case "400006":
		e.Class = exchanges.ErrIPNotAllowed
		if ip := clientIP(e.Message); ip != "" {
			e.Cause = "KuCoin sees this machine as " + ip + ", which is not on the key's IP whitelist"
		}
	case "400007":
		e.Class = exchanges.ErrPermission
		e.Cause = "the key lacks the permission this endpoint needs"
	case "411100":
		e.Class = exchanges.ErrBadKey
		e.Cause = "the KuCoin account is frozen: contact KuCoin support"
	case "400303", "400500", "600004":
		e.Class = exchanges.ErrPermission
		e.Cause = "KuCoin refuses this account or region (KYC or location restriction)"
	case "404000":
		e.Class = exchanges.ErrUnsupported
	case "500000", "503000":
		e.Class = exchanges.ErrUnavailable
	default:
		switch {
		case r.Status == http.StatusServiceUnavailable:
			e.Class = exchanges.ErrUnavailable
			e.Cause = "KuCoin is temporarily offline for maintenance"
		case r.Status >= 500:
			e.Class = exchanges.ErrUnavailable
		case r.Status == http.StatusUnauthorized:
			e.Class = exchanges.ErrBadKey
		default:
			e.Class = exchanges.ErrMalformed
			e.Cause = "unexpected answer"
		}
	}
	return e
}

// clientIP extracts the address from 400006's message, "Invalid request
// ip, the current clientIp is:203.0.113.7".
func clientIP(msg string) string {
	i := strings.LastIndex(msg, ":")
	if i < 0 || !strings.Contains(strings.ToLower(msg), "clientip") {
		return ""
	}
	if ip := net.ParseIP(strings.TrimSpace(msg[i+1:])); ip != nil {
		return ip.String()
	}
	// An IPv6 address has colons of its own: take what follows "is:".
	if j := strings.Index(msg, "is:"); j >= 0 {
		if ip := net.ParseIP(strings.TrimSpace(msg[j+3:])); ip != nil {
			return ip.String()
		}
	}
	return ""
}

// retryAfter reads Retry-After, or KuCoin's gw-ratelimit-reset (the
// milliseconds until the resource pool refills).
func retryAfter(r *exchanges.Response) time.Duration {
	if d := exchanges.RetryAfter(r.Header, r.Recv); d > 0 {
		return d
	}
	if v := strings.TrimSpace(r.Header.Get("gw-ratelimit-reset")); v != "" {
		if ms, err := strconv.ParseInt(v, 10, 64); err == nil && ms > 0 && ms < int64(time.Hour/time.Millisecond) {
			return time.Duration(ms) * time.Millisecond
		}
	}
	return 0
}
