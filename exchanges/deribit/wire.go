package deribit

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/keywarden/keywarden/exchanges"
)

// The parsers below read Deribit's JSON-RPC answers. Each is fuzzed:
// outside bytes may be anything, and a parser must fail cleanly rather
// than panic or accept nonsense.

// rpcError is the error member of a JSON-RPC answer.
type rpcError struct {
	Code    *int64          `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// envelope is every Deribit answer: a result or an error, plus Deribit's
// own fields (usIn, usOut, testnet) that the adapter does not need.
type envelope struct {
	Result json.RawMessage `json:"result"`
	Error  *rpcError       `json:"error"`
}

// parseEnvelope splits an answer into its result or its error. An answer
// with neither, or with an error without a code, is malformed.
func parseEnvelope(body []byte) (json.RawMessage, *rpcError, error) {
	var e envelope
	if err := json.Unmarshal(body, &e); err != nil {
		return nil, nil, errors.New("not the JSON-RPC answer Deribit sends")
	}
	if e.Error != nil {
		if e.Error.Code == nil {
			return nil, nil, errors.New("an error without a code")
		}
		return nil, e.Error, nil
	}
	if len(e.Result) == 0 || bytes.Equal(e.Result, []byte("null")) {
		return nil, nil, errors.New("no result")
	}
	return e.Result, nil, nil
}

func decode(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return errors.New("the result is not shaped as Deribit documents it")
	}
	return nil
}

// parseTime reads public/get_time: the result is milliseconds.
func parseTime(result []byte) (int64, error) {
	var ms json.Number
	if err := decode(result, &ms); err != nil {
		return 0, err
	}
	n, err := ms.Int64()
	if err != nil || n <= 0 {
		return 0, errors.New("the time is not a positive number of milliseconds")
	}
	return n, nil
}

// status is public/status.
type status struct {
	Locked  string   // "false", "partial" or "true"
	Indices []string // locked currency indices
}

func parseStatus(result []byte) (status, error) {
	var v struct {
		Locked  json.RawMessage `json:"locked"`
		Indices []string        `json:"locked_indices"`
		Curr    []string        `json:"locked_currencies"`
	}
	if err := decode(result, &v); err != nil {
		return status{}, err
	}
	var s status
	var str string
	var b bool
	switch {
	case json.Unmarshal(v.Locked, &str) == nil:
		s.Locked = str
	case json.Unmarshal(v.Locked, &b) == nil:
		s.Locked = map[bool]string{true: "true", false: "false"}[b]
	}
	switch s.Locked {
	case "false", "partial", "true":
	default:
		return status{}, errors.New(`no "locked" of false, partial or true`)
	}
	s.Indices = append(v.Indices, v.Curr...)
	return s, nil
}

// auth is the result of public/auth. The token is a credential: it is
// kept in memory only and never appears in errors.
type auth struct {
	Token     string
	Scope     string
	ExpiresIn int64
}

func parseAuth(result []byte) (auth, error) {
	var v struct {
		AccessToken string      `json:"access_token"`
		TokenType   string      `json:"token_type"`
		Scope       string      `json:"scope"`
		ExpiresIn   json.Number `json:"expires_in"`
	}
	if err := decode(result, &v); err != nil {
		return auth{}, err
	}
	if v.AccessToken == "" || strings.ContainsAny(v.AccessToken, " \r\n\t") {
		return auth{}, errors.New("no usable access_token")
	}
	if v.TokenType != "" && !strings.EqualFold(v.TokenType, "bearer") {
		return auth{}, errors.New("a token that is not a bearer token")
	}
	exp, _ := v.ExpiresIn.Int64()
	return auth{Token: v.AccessToken, Scope: v.Scope, ExpiresIn: exp}, nil
}

// apiKey is one entry of private/list_api_keys, as far as keywarden reads
// it. The answer also holds every key's client_secret: this struct has no
// field for it, so it is never kept.
type apiKey struct {
	ClientID    string   `json:"client_id"`
	Name        string   `json:"name"`
	MaxScope    *string  `json:"max_scope"`
	Enabled     *bool    `json:"enabled"`
	Timestamp   int64    `json:"timestamp"`
	IPWhitelist []string `json:"ip_whitelist"`
}

// keyList is private/list_api_keys: the entry of one client id, or the
// request for a security-key (2FA) confirmation that Deribit answers
// instead when the account has security keys.
type keyList struct {
	Key      apiKey
	Found    bool
	Needs2FA bool
}

func parseKeys(result []byte, clientID string) (keyList, error) {
	trimmed := bytes.TrimSpace(result)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var v struct {
			Required *bool `json:"security_key_authorization_required"`
		}
		if err := decode(result, &v); err != nil {
			return keyList{}, err
		}
		if v.Required == nil || !*v.Required {
			return keyList{}, errors.New("neither a list of keys nor a security-key request")
		}
		return keyList{Needs2FA: true}, nil
	}
	var keys []apiKey
	if err := decode(result, &keys); err != nil {
		return keyList{}, err
	}
	for _, k := range keys {
		if k.ClientID == "" || k.MaxScope == nil {
			return keyList{}, errors.New("a key without client_id or max_scope")
		}
		if k.ClientID == clientID {
			return keyList{Key: k, Found: true}, nil
		}
	}
	return keyList{}, nil
}

// summary is one currency of private/get_account_summaries.
type summary struct {
	Currency  string
	Balance   string // decimal
	Available string // decimal, "" if not sent
	EquityUSD string // decimal, "" if not sent (cross-collateral accounts)
}

type rawSummary struct {
	Currency       string      `json:"currency"`
	Balance        json.Number `json:"balance"`
	AvailableFunds json.Number `json:"available_funds"`
	EquityUSD      json.Number `json:"total_equity_usd"`
}

func (r rawSummary) summary() (summary, error) {
	bal, ok := plainDecimal(r.Balance)
	if r.Currency == "" || !ok {
		return summary{}, errors.New("a summary without currency or balance")
	}
	s := summary{Currency: r.Currency, Balance: bal}
	if r.AvailableFunds != "" {
		if s.Available, ok = plainDecimal(r.AvailableFunds); !ok {
			return summary{}, errors.New("a non-decimal available_funds")
		}
	}
	if r.EquityUSD != "" {
		if s.EquityUSD, ok = plainDecimal(r.EquityUSD); !ok {
			return summary{}, errors.New("a non-decimal total_equity_usd")
		}
	}
	return s, nil
}

// parseSummaries reads private/get_account_summaries.
func parseSummaries(result []byte) ([]summary, error) {
	var v struct {
		Summaries *[]rawSummary `json:"summaries"`
	}
	if err := decode(result, &v); err != nil {
		return nil, err
	}
	if v.Summaries == nil {
		return nil, errors.New("no summaries")
	}
	out := make([]summary, 0, len(*v.Summaries))
	for _, r := range *v.Summaries {
		s, err := r.summary()
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// parseSummary reads private/get_account_summary (one currency).
func parseSummary(result []byte) (summary, error) {
	var r rawSummary
	if err := decode(result, &r); err != nil {
		return summary{}, err
	}
	return r.summary()
}

// expNumber is a JSON number in exponent form, e.g. 1.678e-05.
var expNumber = regexp.MustCompile(`^(-?)([0-9]{1,40})(?:\.([0-9]{1,40}))?[eE]([+-]?[0-9]{1,2})$`)

// plainDecimal turns a JSON number into a plain decimal string without
// going through a float: Deribit sends amounts as JSON numbers, which may
// use an exponent for small values.
func plainDecimal(n json.Number) (string, bool) {
	s := n.String()
	if exchanges.IsDecimal(s) {
		return s, true
	}
	m := expNumber.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	sign, intPart, frac := m[1], m[2], m[3]
	exp, err := strconv.Atoi(m[4]) // at most two digits: bounded
	if err != nil {
		return "", false
	}
	digits := intPart + frac
	point := len(intPart) + exp // position of the decimal point in digits
	var out string
	switch {
	case point <= 0:
		out = "0." + strings.Repeat("0", -point) + digits
	case point >= len(digits):
		out = digits + strings.Repeat("0", point-len(digits))
	default:
		out = digits[:point] + "." + digits[point:]
	}
	out = strings.TrimLeft(out, "0")
	if out == "" || out[0] == '.' {
		out = "0" + out
	}
	if strings.Contains(out, ".") {
		out = strings.TrimRight(strings.TrimRight(out, "0"), ".")
	}
	if sign == "-" && out != "0" {
		out = "-" + out
	}
	if !exchanges.IsDecimal(out) {
		return "", false
	}
	return out, true
}

// scope is a parsed scope string ("account:read trade:read_write
// wallet:none connection mainaccount").
type scope struct {
	access map[string]string // "account" → "read", "read_write" or "none"
	main   bool              // mainaccount: the key belongs to the main account
}

func parseScope(s string) scope {
	sc := scope{access: map[string]string{}}
	for _, tok := range strings.Fields(s) {
		if tok == "mainaccount" {
			sc.main = true
			continue
		}
		name, level, ok := strings.Cut(tok, ":")
		if !ok {
			continue
		}
		switch name {
		case "account", "trade", "wallet", "block_trade", "block_rfq", "custody":
			switch level {
			case "read", "read_write", "none":
				sc.access[name] = level
			}
		}
	}
	return sc
}

// level returns the access to name; absent is "" unless absentIsNone.
func (s scope) level(name string, absentIsNone bool) string {
	if l, ok := s.access[name]; ok {
		return l
	}
	if absentIsNone {
		return "none"
	}
	return ""
}
