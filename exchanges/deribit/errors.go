package deribit

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// Deribit answers every error as a JSON-RPC error object
// {"code": N, "message": "short_name", "data": {...}}, over HTTP 400 for
// most codes (401 for 13009 unauthorized); the code decides, the HTTP
// status only where no JSON-RPC body came back.

// stage says where an error came from: the same code means different
// things at login and on a private method.
type stage int

const (
	stagePublic stage = iota
	stageLogin
	stagePrivate
)

// defaultRateWait is how long to wait after too_many_requests when Deribit
// sends no Retry-After: its credit pool refills 10 000 credits a second
// and a request costs 500, so one second restores about 20 requests.
const defaultRateWait = time.Second

// check classifies an answer: nil for a JSON-RPC result, else an
// *exchanges.Error with Deribit's own code and message.
func check(op string, st stage) func(*exchanges.Response) error {
	return func(r *exchanges.Response) error {
		_, rerr, perr := parseEnvelope(r.Body)
		switch {
		case rerr != nil:
			return classify(op, st, r, rerr)
		case perr != nil && r.Status >= 200 && r.Status < 300:
			return &exchanges.Error{Class: exchanges.ErrMalformed, Op: op, HTTPStatus: r.Status, Cause: perr.Error()}
		case r.Status < 200 || r.Status >= 300:
			e := &exchanges.Error{Class: exchanges.HTTPClass(r.Status), Op: op, HTTPStatus: r.Status}
			if r.Status == http.StatusTooManyRequests {
				e.RetryAfter = retryAfter(r, nil)
			}
			if r.Status == http.StatusUnauthorized || r.Status == http.StatusForbidden {
				// Without Deribit's JSON-RPC body this is not Deribit
				// speaking (a proxy or a firewall in between).
				e.Class = exchanges.ErrUnavailable
				e.Cause = "refused without a Deribit error body (a proxy or firewall in between?)"
			}
			return e
		}
		return nil
	}
}

// classify maps one JSON-RPC error.
func classify(op string, st stage, r *exchanges.Response, rpc *rpcError) *exchanges.Error {
	code := *rpc.Code
	e := &exchanges.Error{Op: op, HTTPStatus: r.Status, Code: strconv.FormatInt(code, 10), Message: rpc.Message}
	reason := dataReason(rpc.Data)
	if reason != "" {
		e.Message = strings.TrimSpace(e.Message + " (" + reason + ")")
	}
	if mentionsIP(rpc.Message) || mentionsIP(reason) {
		e.Class = exchanges.ErrIPNotAllowed
		e.Cause = "Deribit refused this machine's IP for the key"
		return e
	}
	switch code {
	case 13004: // invalid_credentials
		e.Class = exchanges.ErrBadKey // narrowed by the caller at login
	case 13009: // unauthorized: bad signature, or a token Deribit no longer accepts
		e.Class = exchanges.ErrBadKey
		if st == stagePrivate {
			e.Cause = "Deribit no longer accepts the access token it gave at login"
		}
	case 13021: // forbidden
		if st == stageLogin {
			// The login itself carries no scope to refuse: what Deribit
			// checks there, beyond the credentials, is the key's IP
			// whitelist (the exact code for it is not documented).
			e.Class = exchanges.ErrIPNotAllowed
			e.Cause = "Deribit refused the login itself as forbidden: the key is restricted to other IPs"
		} else {
			e.Class = exchanges.ErrPermission
			e.Cause = "the key's scope does not allow this method"
		}
	case 13403, 11042, 13003, 13668, 13904: // scope_exceeded, permission_denied, tfa_required, security key errors
		e.Class = exchanges.ErrPermission
	case 10028, 10066, 12998, 13780: // too_many_requests and friends
		e.Class = exchanges.ErrRateLimited
		e.RetryAfter = retryAfter(r, rpc.Data)
	case 11051, 10041, 13028, 13503, 10040, 13025, 11094, 13888, 11056, 10048:
		// system_maintenance, settlement_in_progress, temporarily_unavailable,
		// unavailable, retry, method_switched_off_by_admin,
		// internal_server_error, timed_out, public requests disabled,
		// not_on_this_server
		e.Class = exchanges.ErrUnavailable
		if code == 11051 {
			e.Cause = "Deribit is in maintenance"
		}
	case 12005: // country_is_banned
		e.Class = exchanges.ErrUnavailable
		e.Cause = "Deribit refuses connections from this machine's country"
	case 13001, 13002, 11098, 10019: // account not activated, blocked, locked, locked by admin
		e.Class = exchanges.ErrBadKey
		e.Cause = "the Deribit account is blocked or locked: contact Deribit support"
	case -32601: // Method not found
		e.Class = exchanges.ErrUnsupported
	default:
		if r.Status >= 500 {
			e.Class = exchanges.ErrUnavailable
		} else {
			e.Class = exchanges.ErrMalformed
			e.Cause = "Deribit refused the request as keywarden sent it"
		}
	}
	return e
}

// retryAfter is Retry-After, Deribit's data.wait (seconds), or the
// credit-refill default.
func retryAfter(r *exchanges.Response, data json.RawMessage) time.Duration {
	if d := exchanges.RetryAfter(r.Header, r.Recv); d > 0 {
		return d
	}
	var v struct {
		Wait json.Number `json:"wait"`
	}
	if len(data) > 0 && json.Unmarshal(data, &v) == nil {
		if n, err := v.Wait.Int64(); err == nil && n > 0 && n < 3600 {
			return time.Duration(n) * time.Second
		}
	}
	return defaultRateWait
}

// dataReason is the short reason Deribit sometimes adds in data. Only the
// reason and the parameter name are read: data may echo request
// parameters, which keywarden never repeats.
func dataReason(data json.RawMessage) string {
	if len(data) == 0 {
		return ""
	}
	var v struct {
		Reason string `json:"reason"`
		Param  string `json:"param"`
	}
	if json.Unmarshal(data, &v) != nil {
		return ""
	}
	s := v.Reason
	if v.Param != "" {
		s = strings.TrimSpace(v.Param + ": " + s)
	}
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}

// mentionsIP reports whether Deribit's words name an IP restriction.
func mentionsIP(s string) bool {
	s = strings.ToLower(s)
	if strings.Contains(s, "whitelist") || strings.Contains(s, "ip address") {
		return true
	}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !(r >= 'a' && r <= 'z') }) {
		if w == "ip" {
			return true
		}
	}
	return false
}
