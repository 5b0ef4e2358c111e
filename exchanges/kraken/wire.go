package kraken

import (
	"bytes"
	"encoding/json"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// The parsers below read Kraken's answers. Every answer is an envelope
// {"error": ["E<Class>:<message>", ...], "result": ...}; an error entry
// starting with "W" is a warning. Each parser is fuzzed: outside bytes may
// be anything, and a parser fails cleanly rather than panic or return a
// half-filled success.

// envelope is Kraken's answer before its result is read.
type envelope struct {
	Errors []string
	Result json.RawMessage
}

func parseEnvelope(body []byte) (envelope, error) {
	var v struct {
		Error  *[]string       `json:"error"`
		Result json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return envelope{}, errors.New("not the JSON Kraken sends")
	}
	if v.Error == nil && v.Result == nil {
		return envelope{}, errors.New("neither error nor result")
	}
	env := envelope{Result: v.Result}
	if v.Error != nil {
		env.Errors = *v.Error
	}
	return env, nil
}

// failures returns the error entries (class E), without warnings.
func (e envelope) failures() []string {
	var out []string
	for _, s := range e.Errors {
		if !strings.HasPrefix(s, "W") {
			out = append(out, s)
		}
	}
	return out
}

// result returns the result of a successful answer, or an error.
func (e envelope) result() ([]byte, error) {
	r := bytes.TrimSpace(e.Result)
	if len(r) == 0 || bytes.Equal(r, []byte("null")) {
		return nil, errors.New("no result")
	}
	return r, nil
}

func parseResult(body []byte, v any) error {
	env, err := parseEnvelope(body)
	if err != nil {
		return err
	}
	if f := env.failures(); len(f) > 0 {
		return errors.New("an error answer where a result was expected")
	}
	r, err := env.result()
	if err != nil {
		return err
	}
	if err := json.Unmarshal(r, v); err != nil {
		return errors.New("a result that is not what Kraken sends")
	}
	return nil
}

// parseTime reads GET /0/public/Time: {"unixtime": s, "rfc1123": "..."}.
func parseTime(body []byte) (time.Time, error) {
	var v struct {
		Unixtime *int64 `json:"unixtime"`
	}
	if err := parseResult(body, &v); err != nil {
		return time.Time{}, err
	}
	if v.Unixtime == nil || *v.Unixtime <= 0 || *v.Unixtime > 1e11 {
		return time.Time{}, errors.New("no unixtime")
	}
	return time.Unix(*v.Unixtime, 0), nil
}

// systemStatus is GET /0/public/SystemStatus. upcoming_maintenance and
// emergency are newer, lists whose entries' shape is not documented
// (UNCONFIRMED); only their presence is used.
type systemStatus struct {
	Status      string
	Timestamp   time.Time
	Upcoming    int
	Emergencies int
}

func parseStatus(body []byte) (systemStatus, error) {
	var v struct {
		Status    *string           `json:"status"`
		Timestamp string            `json:"timestamp"`
		Upcoming  []json.RawMessage `json:"upcoming_maintenance"`
		Emergency []json.RawMessage `json:"emergency"`
	}
	if err := parseResult(body, &v); err != nil {
		return systemStatus{}, err
	}
	if v.Status == nil || *v.Status == "" || len(*v.Status) > 64 {
		return systemStatus{}, errors.New("no status")
	}
	s := systemStatus{Status: *v.Status, Upcoming: len(v.Upcoming), Emergencies: len(v.Emergency)}
	if t, err := time.Parse(time.RFC3339, v.Timestamp); err == nil {
		s.Timestamp = t
	}
	return s, nil
}

// apiKeyInfo is POST /0/private/GetApiKeyInfo. Times are unix seconds,
// sent as strings ("0" when unset); numbers are accepted too.
type apiKeyInfo struct {
	Name        string
	Permissions []string
	IPs         []string
	IPListKnown bool
	NonceWindow int64
	Created     time.Time
	ValidUntil  time.Time
	ExpiryKnown bool
}

func parseAPIKeyInfo(body []byte) (apiKeyInfo, error) {
	var v struct {
		APIKeyName  string          `json:"apiKeyName"`
		Permissions *[]string       `json:"permissions"`
		IPAllowlist *[]string       `json:"ipAllowlist"`
		NonceWindow json.RawMessage `json:"nonceWindow"`
		CreatedTime json.RawMessage `json:"createdTime"`
		ValidUntil  json.RawMessage `json:"validUntil"`
	}
	if err := parseResult(body, &v); err != nil {
		return apiKeyInfo{}, err
	}
	if v.Permissions == nil {
		return apiKeyInfo{}, errors.New("no permissions")
	}
	k := apiKeyInfo{Name: v.APIKeyName, Permissions: *v.Permissions}
	if v.IPAllowlist != nil {
		k.IPs, k.IPListKnown = *v.IPAllowlist, true
	}
	if n, ok, err := unixField(v.NonceWindow); err != nil {
		return apiKeyInfo{}, errors.New("a nonceWindow that is not a number")
	} else if ok {
		k.NonceWindow = n
	}
	if s, ok, err := unixField(v.CreatedTime); err != nil {
		return apiKeyInfo{}, errors.New("a createdTime that is not unix seconds")
	} else if ok && s > 0 {
		k.Created = time.Unix(s, 0)
	}
	if s, ok, err := unixField(v.ValidUntil); err != nil {
		return apiKeyInfo{}, errors.New("a validUntil that is not unix seconds")
	} else if ok {
		k.ExpiryKnown = true
		if s > 0 {
			k.ValidUntil = time.Unix(s, 0)
		}
	}
	return k, nil
}

// unixField reads a non-negative integer sent as a JSON string or number;
// ok is false when the field is absent or null.
func unixField(raw json.RawMessage) (n int64, ok bool, err error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return 0, false, nil
	}
	s := string(raw)
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, false, err
		}
	}
	n, err = strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > 1e12 {
		return 0, false, errors.New("not a unix time")
	}
	return n, true, nil
}

func (k apiKeyInfo) has(p string) bool {
	for _, x := range k.Permissions {
		if x == p {
			return true
		}
	}
	return false
}

// suffixAccounts names the balance sub-accounts Kraken marks with an asset
// suffix; an asset without suffix is held in the spot wallet.
var suffixAccounts = map[string]string{
	".B": "yield-bearing",
	".F": "Kraken Rewards",
	".S": "staked",
	".M": "opt-in rewards",
	".T": "tokenized",
}

// parseBalance reads POST /0/private/Balance: asset → balance. Asset names
// are kept as Kraken sends them (XXBT, ZUSD, DOT.S). Kraken's Balance does
// not split free from held amounts, so Free stays empty.
func parseBalance(body []byte) ([]exchanges.Asset, error) {
	var v map[string]string
	if err := parseResult(body, &v); err != nil {
		return nil, err
	}
	if v == nil {
		return nil, errors.New("no balances")
	}
	var out []exchanges.Asset
	for asset, amt := range v {
		if asset == "" || len(asset) > 32 || !exchanges.IsDecimal(amt) {
			return nil, errors.New("a balance without asset or with a non-decimal amount")
		}
		if exchanges.IsZeroDecimal(amt) {
			continue
		}
		acct := "spot"
		if i := strings.LastIndexByte(asset, '.'); i > 0 {
			if a, ok := suffixAccounts[asset[i:]]; ok {
				acct = a
			}
		}
		out = append(out, exchanges.Asset{Asset: asset, Total: amt, Account: acct})
	}
	sortAssets(out)
	return out, nil
}

func sortAssets(a []exchanges.Asset) {
	sort.Slice(a, func(i, j int) bool { return a[i].Asset < a[j].Asset })
}

// parseAny accepts any successful answer (a probe that only needs to know
// whether Kraken allowed the request).
func parseAny(body []byte) error {
	var v json.RawMessage
	return parseResult(body, &v)
}
