package gate

import (
	"bytes"
	"encoding/json"
	"errors"
	"net"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// Gate answers plain JSON on success and {"label":..,"message":..} with a
// non-2xx status on failure. The parsers below read each endpoint; each is
// fuzzed, and on error returns a zero value, never a half-filled one.

func decode(body []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(v); err != nil || d.More() || len(bytes.TrimSpace(body[d.InputOffset():])) != 0 {
		return errors.New("not the JSON Gate sends")
	}
	return nil
}

// parseTime reads GET /spot/time: {"server_time": <ms>}.
func parseTime(body []byte) (time.Time, error) {
	var v struct {
		ServerTime *json.Number `json:"server_time"`
	}
	if err := decode(body, &v); err != nil {
		return time.Time{}, err
	}
	if v.ServerTime == nil {
		return time.Time{}, errors.New("no server_time")
	}
	n, err := v.ServerTime.Int64()
	if err != nil || n <= 0 {
		return time.Time{}, errors.New("server_time is not a positive integer")
	}
	return time.UnixMilli(n), nil
}

// detail is GET /account/detail: the calling key's IP whitelist (empty:
// no IP check).
type detail struct {
	IPs []string
	// IPKnown is false when the answer had no ip_whitelist field.
	IPKnown bool
}

func parseDetail(body []byte) (detail, error) {
	var v struct {
		UserID      *json.Number     `json:"user_id"`
		IPWhitelist *json.RawMessage `json:"ip_whitelist"`
	}
	if err := decode(body, &v); err != nil {
		return detail{}, err
	}
	if v.UserID == nil {
		return detail{}, errors.New("no user_id")
	}
	d := detail{}
	if v.IPWhitelist != nil && string(*v.IPWhitelist) != "null" {
		if err := json.Unmarshal(*v.IPWhitelist, &d.IPs); err != nil {
			return detail{}, errors.New("ip_whitelist is not a list of addresses")
		}
		d.IPKnown = true
	} else if v.IPWhitelist != nil {
		d.IPKnown = true // null: no whitelist
	}
	return d, nil
}

// mainKey is one entry of GET /account/main_keys. Gate's docs show an
// array of every main-account key, each with a masked "key"
// ("c5dcfbf1f3a7*****") and created_at in seconds; its SDKs model one
// object whose "key" is {"mode":1} and whose dates are strings. Both are
// read.
type mainKey struct {
	State       *int            `json:"state"`
	Mode        *int            `json:"mode"`
	Name        json.RawMessage `json:"name"`
	IPWhitelist []string        `json:"ip_whitelist"`
	Perms       *[]perm         `json:"perms"`
	Key         json.RawMessage `json:"key"`
	CreatedAt   json.RawMessage `json:"created_at"`
}

type perm struct {
	Name     string `json:"name"`
	ReadOnly *bool  `json:"read_only"`
}

// parseMainKeys returns the entries, whether the answer was one object.
func parseMainKeys(body []byte) ([]mainKey, bool, error) {
	t := bytes.TrimLeft(body, " \t\r\n")
	if len(t) > 0 && t[0] == '{' {
		var k mainKey
		if err := decode(body, &k); err != nil {
			return nil, false, err
		}
		if err := k.validate(); err != nil {
			return nil, false, err
		}
		return []mainKey{k}, true, nil
	}
	var v []mainKey
	if err := decode(body, &v); err != nil {
		return nil, false, err
	}
	if v == nil {
		return nil, false, errors.New("no key list")
	}
	for i := range v {
		if err := v[i].validate(); err != nil {
			return nil, false, err
		}
	}
	return v, false, nil
}

func (k mainKey) validate() error {
	if k.Perms == nil {
		return errors.New("a key without perms")
	}
	for _, p := range *k.Perms {
		if p.Name == "" {
			return errors.New("a permission without a name")
		}
	}
	if _, err := k.created(); err != nil {
		return err
	}
	return nil
}

// maskedKey is the entry's key string ("" when it is absent or the
// {"mode":1} object of the SDK model).
func (k mainKey) maskedKey() string {
	var s string
	if json.Unmarshal(k.Key, &s) != nil {
		return ""
	}
	return s
}

// matches reports whether the masked key of the entry is the caller's:
// its visible part is a prefix of the full key (Gate shows the first 12
// characters). A visible part shorter than 8 characters proves nothing.
func (k mainKey) matches(key string) bool {
	vis := strings.TrimRight(k.maskedKey(), "*")
	if len(vis) < 8 || strings.Contains(vis, "*") {
		return false
	}
	return strings.HasPrefix(strings.ToLower(key), strings.ToLower(vis))
}

// created reads created_at: seconds as a number or a string (milliseconds
// are recognised by size).
func (k mainKey) created() (time.Time, error) {
	raw := bytes.TrimSpace(k.CreatedAt)
	if len(raw) == 0 || string(raw) == "null" || string(raw) == `""` {
		return time.Time{}, nil
	}
	s := strings.Trim(string(raw), `"`)
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, errors.New("created_at is not a unix time")
	}
	if n > 1e11 {
		return time.UnixMilli(n), nil
	}
	return time.Unix(n, 0), nil
}

func (k mainKey) label() string {
	var s string
	if json.Unmarshal(k.Name, &s) == nil {
		return s
	}
	var v []string
	if json.Unmarshal(k.Name, &v) == nil {
		return strings.Join(v, " ")
	}
	return ""
}

// pick finds the calling key among the entries. A single object is the
// caller's own (unless it names another key); in a list, the entry whose
// masked key is a prefix of the caller's, if exactly one is.
func pick(entries []mainKey, object bool, key string) (mainKey, string) {
	if object {
		if s := entries[0].maskedKey(); s != "" && !entries[0].matches(key) {
			return mainKey{}, "Gate's key list does not include this key"
		}
		return entries[0], ""
	}
	var found []mainKey
	for _, e := range entries {
		if e.matches(key) {
			found = append(found, e)
		}
	}
	switch {
	case len(found) == 1:
		return found[0], ""
	case len(found) > 1:
		return mainKey{}, "several of Gate's keys start like this one, so its permissions cannot be told apart"
	case len(entries) == 1 && entries[0].maskedKey() == "":
		return entries[0], ""
	}
	return mainKey{}, "Gate listed " + strconv.Itoa(len(entries)) + " main-account keys, none of them this one (a sub-account key?)"
}

// writable is Yes for read and write, No for read only, Unknown when Gate
// did not say; absent groups are off.
func writable(perms []perm, match func(string) bool) exchanges.Flag {
	f := exchanges.No
	for _, p := range perms {
		if !match(strings.ToLower(p.Name)) {
			continue
		}
		switch {
		case p.ReadOnly == nil:
			if f == exchanges.No {
				f = exchanges.Unknown
			}
		case !*p.ReadOnly:
			return exchanges.Yes
		}
	}
	return f
}

func named(names ...string) func(string) bool {
	return func(n string) bool {
		for _, x := range names {
			if n == x {
				return true
			}
		}
		return false
	}
}

func anyFlag(flags ...exchanges.Flag) exchanges.Flag {
	out := exchanges.No
	for _, f := range flags {
		if f == exchanges.Yes {
			return exchanges.Yes
		}
		if f == exchanges.Unknown {
			out = exchanges.Unknown
		}
	}
	return out
}

// permFacts fills the permission facts of ki from the key's perms.
//
// The withdrawal group: Gate's web page has a "Withdraw" group and its
// error says "does not have withdraw permission", but its documented perms
// names (wallet, spot, futures, delivery, earn, custody, options, account,
// loan, margin, unified, copy, pilot, otc, alpha, crossx) do not include
// one. Any perm whose name contains "withdraw" is read as that group; as
// the list holds only the groups switched on (Gate's example shows two),
// its absence is read as withdrawals off, and that reading is stated in
// the evidence.
func permFacts(ki *exchanges.KeyInfo, perms []perm) {
	var desc []string
	for _, p := range perms {
		mode := "read and write"
		switch {
		case p.ReadOnly == nil:
			mode = "access not stated"
		case *p.ReadOnly:
			mode = "read only"
		}
		desc = append(desc, p.Name+" ("+mode+")")
	}
	sort.Strings(desc)
	if len(desc) == 0 {
		desc = []string{"none"}
	}
	ki.Evidence = append(ki.Evidence, "permissions from GET /api/v4/account/main_keys: "+strings.Join(desc, ", "))
	ki.Read = exchanges.FlagOf(len(perms) > 0)
	spot := writable(perms, named("spot"))
	ki.Trade = map[exchanges.Market]exchanges.Flag{
		exchanges.Spot:    spot,
		exchanges.Margin:  anyFlag(spot, writable(perms, named("margin", "unified"))),
		exchanges.Futures: writable(perms, named("futures")),
	}
	ki.Transfer = writable(perms, named("wallet"))
	ki.Withdraw = writable(perms, func(n string) bool { return strings.Contains(n, "withdraw") })
	if ki.Withdraw == exchanges.No {
		ki.Evidence = append(ki.Evidence, "withdrawals: no Withdraw group with write access among the key's permissions")
	}
}

// ipFacts fills the IP facts from a whitelist (empty: no IP check).
func ipFacts(ki *exchanges.KeyInfo, list []string) {
	var ips []string
	for _, ip := range list {
		if ip = strings.TrimSpace(ip); ip != "" {
			ips = append(ips, ip)
		}
	}
	ki.IPRestricted = exchanges.FlagOf(len(ips) > 0)
	ki.IPListKnown = true
	for _, ip := range ips {
		if net.ParseIP(ip) == nil {
			if _, _, err := net.ParseCIDR(ip); err != nil {
				ki.IPListKnown = false
				ki.Evidence = append(ki.Evidence, "Gate's IP whitelist holds entries that are not addresses, so it cannot be compared")
				return
			}
		}
	}
	ki.IPs = ips
}

// spotAccount is one entry of GET /spot/accounts.
type spotAccount struct {
	Currency  string `json:"currency"`
	Available string `json:"available"`
	Locked    string `json:"locked"`
}

func parseSpotAccounts(body []byte) ([]exchanges.Asset, error) {
	var v []spotAccount
	if err := decode(body, &v); err != nil {
		return nil, err
	}
	if v == nil {
		return nil, errors.New("no account list")
	}
	var out []exchanges.Asset
	for _, a := range v {
		if a.Currency == "" || !exchanges.IsDecimal(a.Available) || (a.Locked != "" && !exchanges.IsDecimal(a.Locked)) {
			return nil, errors.New("an account without currency or with a non-decimal amount")
		}
		total := exchanges.AddDecimals(a.Available, a.Locked)
		if exchanges.IsZeroDecimal(total) {
			continue
		}
		out = append(out, exchanges.Asset{Asset: a.Currency, Free: a.Available, Total: total, Account: "spot"})
	}
	return out, nil
}

// parseFuturesAccount reads GET /futures/usdt/accounts.
func parseFuturesAccount(body []byte) (*exchanges.Asset, error) {
	var v struct {
		Total     string `json:"total"`
		Available string `json:"available"`
		Currency  string `json:"currency"`
	}
	if err := decode(body, &v); err != nil {
		return nil, err
	}
	if !exchanges.IsDecimal(v.Total) || (v.Available != "" && !exchanges.IsDecimal(v.Available)) {
		return nil, errors.New("a futures account without a decimal total")
	}
	if v.Currency == "" {
		v.Currency = "USDT"
	}
	if exchanges.IsZeroDecimal(v.Total) {
		return nil, nil
	}
	return &exchanges.Asset{Asset: v.Currency, Free: v.Available, Total: v.Total, Account: "futures"}, nil
}

// errorBody is Gate's error answer.
type errorBody struct {
	Label   string `json:"label"`
	Message string `json:"message"`
}

func parseError(body []byte) (errorBody, bool) {
	var e errorBody
	if json.Unmarshal(body, &e) != nil || e.Label == "" {
		return errorBody{}, false
	}
	return e, true
}
