package bingx

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// The parsers below read BingX's answers, wrapped in
// {"code":0,"msg":"","data":...} (sometimes with "timestamp" or
// "debugMsg" beside them); code 0 is success. Each parser is fuzzed:
// outside bytes may be anything, and a parser must fail cleanly rather
// than panic or accept nonsense.

// flexInt reads an integer BingX sends as a JSON number or a string.
type flexInt struct {
	V   int64
	Set bool
}

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "null" || s == "" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return errors.New("not an integer")
	}
	f.V, f.Set = n, true
	return nil
}

// envelope is BingX's wrapper.
type envelope struct {
	Code      flexInt         `json:"code"`
	Msg       string          `json:"msg"`
	Data      json.RawMessage `json:"data"`
	Timestamp int64           `json:"timestamp"`
}

func decode(body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return errors.New("not the JSON BingX sends")
	}
	return nil
}

func present(raw json.RawMessage) bool {
	return len(raw) > 0 && !bytes.Equal(raw, []byte("null"))
}

// data unwraps a successful answer into v.
func data(body []byte, v any) error {
	var e envelope
	if err := decode(body, &e); err != nil {
		return err
	}
	if !e.Code.Set {
		return errors.New("no code")
	}
	if e.Code.V != 0 {
		return errors.New("code " + strconv.FormatInt(e.Code.V, 10) + " in a success answer")
	}
	if !present(e.Data) {
		return errors.New("no data")
	}
	return decode(e.Data, v)
}

// parseError reads an error answer.
func parseError(body []byte) (envelope, bool) {
	var e envelope
	if json.Unmarshal(body, &e) != nil || !e.Code.Set {
		return envelope{}, false
	}
	return e, true
}

func parseTime(body []byte) (time.Time, error) {
	var d struct {
		ServerTime flexInt `json:"serverTime"`
	}
	if err := data(body, &d); err != nil {
		return time.Time{}, err
	}
	if !d.ServerTime.Set || d.ServerTime.V <= 0 {
		return time.Time{}, errors.New("no serverTime")
	}
	return time.UnixMilli(d.ServerTime.V), nil
}

// BingX's permission codes (GET /openApi/v1/account/apiPermissions).
const (
	permSpot     = 1
	permRead     = 2
	permFutures  = 3
	permUniversl = 4
	permWithdraw = 5
	permSubXfer  = 7
)

var permNames = map[int64]string{permSpot: "spot trading", permRead: "read", permFutures: "perpetual futures trading",
	permUniversl: "universal transfer", permWithdraw: "withdraw", permSubXfer: "sub-account transfer"}

// permissions is GET /openApi/v1/account/apiPermissions: the integer
// form of the official docs, or (parsed defensively, as one third-party
// description has it) Binance-style booleans.
type permissions struct {
	APIKey      string     `json:"apiKey"`
	Permissions *[]flexInt `json:"permissions"`
	IPAddresses *[]string  `json:"ipAddresses"`
	Note        string     `json:"note"`

	EnableReading              *bool `json:"enableReading"`
	EnableSpotAndMarginTrading *bool `json:"enableSpotAndMarginTrading"`
	EnableFutures              *bool `json:"enableFutures"`
	EnableWithdrawals          *bool `json:"enableWithdrawals"`
	PermitsUniversalTransfer   *bool `json:"permitsUniversalTransfer"`
	IPRestrict                 *bool `json:"ipRestrict"`
}

func parsePermissions(body []byte) (permissions, error) {
	var p permissions
	if err := data(body, &p); err != nil {
		return permissions{}, err
	}
	if p.Permissions == nil && p.EnableReading == nil {
		return permissions{}, errors.New("no permissions")
	}
	return p, nil
}

func flag(b *bool) exchanges.Flag {
	if b == nil {
		return exchanges.Unknown
	}
	return exchanges.FlagOf(*b)
}

// keyInfo turns the permissions into facts.
func (p permissions) keyInfo() exchanges.KeyInfo {
	k := exchanges.KeyInfo{Label: p.Note}
	if p.Permissions == nil {
		// Boolean form: only what it says.
		k.Read = flag(p.EnableReading)
		k.Trade = map[exchanges.Market]exchanges.Flag{
			exchanges.Spot:    flag(p.EnableSpotAndMarginTrading),
			exchanges.Futures: flag(p.EnableFutures),
		}
		k.Withdraw = flag(p.EnableWithdrawals)
		k.Transfer = flag(p.PermitsUniversalTransfer)
		k.IPRestricted = flag(p.IPRestrict)
		k.Evidence = append(k.Evidence, "permissions from apiPermissions (boolean form)")
	} else {
		has := map[int64]bool{}
		var listed []string
		for _, c := range *p.Permissions {
			has[c.V] = true
			name, ok := permNames[c.V]
			if !ok {
				name = "unknown"
			}
			listed = append(listed, strconv.FormatInt(c.V, 10)+" "+name)
		}
		k.Read = exchanges.Unknown
		if has[permRead] {
			k.Read = exchanges.Yes
		}
		k.Trade = map[exchanges.Market]exchanges.Flag{
			exchanges.Spot:    exchanges.FlagOf(has[permSpot]),
			exchanges.Futures: exchanges.FlagOf(has[permFutures]),
		}
		k.Withdraw = exchanges.FlagOf(has[permWithdraw])
		k.Transfer = exchanges.FlagOf(has[permUniversl] || has[permSubXfer])
		if len(listed) == 0 {
			listed = []string{"none"}
		}
		k.Evidence = append(k.Evidence, "apiPermissions lists: "+strings.Join(listed, ", "))
	}
	if p.IPAddresses != nil {
		for _, ip := range *p.IPAddresses {
			if ip = strings.TrimSpace(ip); ip != "" {
				k.IPs = append(k.IPs, ip)
			}
		}
		k.IPListKnown = true
		k.IPRestricted = exchanges.FlagOf(len(k.IPs) > 0)
	}
	// bingx.com/en/account/api: keys bound to an IP, or with read
	// permission only, have no expiration; unbound keys with other
	// permissions are deleted after 14 days without use (no date to
	// report).
	readOnly := k.Trade[exchanges.Spot] == exchanges.No && k.Trade[exchanges.Futures] == exchanges.No &&
		k.Withdraw == exchanges.No && k.Transfer == exchanges.No
	if k.IPRestricted == exchanges.Yes || (readOnly && p.Permissions != nil) {
		k.ExpiryKnown = true
		k.Evidence = append(k.Evidence, "expiry: BingX sets none for keys bound to an IP or with read permission only")
	} else if k.IPRestricted == exchanges.No {
		k.IdleExpiry = 14 * 24 * time.Hour
	}
	return k
}

// restrictions is GET /openApi/v1/account/apiRestrictions, read only for
// the key's creation time. One live report has its fields beside
// code/msg rather than under data: both are accepted.
type restrictions struct {
	CreateTime flexInt `json:"createTime"`
}

func parseRestrictions(body []byte) (time.Time, error) {
	var r restrictions
	if err := data(body, &r); err != nil {
		var top struct {
			Code flexInt `json:"code"`
			restrictions
		}
		if decode(body, &top) != nil || (top.Code.Set && top.Code.V != 0) {
			return time.Time{}, err
		}
		r = top.restrictions
	}
	if !r.CreateTime.Set || r.CreateTime.V <= 0 {
		return time.Time{}, errors.New("no createTime")
	}
	t := time.UnixMilli(r.CreateTime.V)
	if t.Year() < 2015 || t.Year() > 2200 {
		return time.Time{}, errors.New("createTime out of range")
	}
	return t, nil
}

// spotBalance is GET /openApi/spot/v1/account/balance.
type spotBalance []struct {
	Asset  string `json:"asset"`
	Free   string `json:"free"`
	Locked string `json:"locked"`
}

func parseSpotBalance(body []byte) ([]exchanges.Asset, error) {
	var d struct {
		Balances *spotBalance `json:"balances"`
	}
	if err := data(body, &d); err != nil {
		return nil, err
	}
	if d.Balances == nil {
		return nil, errors.New("no balances")
	}
	var out []exchanges.Asset
	for _, b := range *d.Balances {
		if b.Asset == "" || !exchanges.IsDecimal(b.Free) || !exchanges.IsDecimal(b.Locked) {
			return nil, errors.New("a balance without asset or with a non-decimal amount")
		}
		total := exchanges.AddDecimals(b.Free, b.Locked)
		if exchanges.IsZeroDecimal(total) {
			continue
		}
		out = append(out, exchanges.Asset{Asset: b.Asset, Free: b.Free, Total: total, Account: "spot"})
	}
	return out, nil
}

// futuresAsset is one entry of GET /openApi/swap/v3/user/balance.
type futuresAsset struct {
	Asset           string `json:"asset"`
	Balance         string `json:"balance"`
	Equity          string `json:"equity"`
	AvailableMargin string `json:"availableMargin"`
}

// parseFuturesBalance reads the perpetual account: an array of assets
// (observed live), or an object holding "balance" (older answers).
func parseFuturesBalance(body []byte) ([]exchanges.Asset, error) {
	var raw json.RawMessage
	if err := data(body, &raw); err != nil {
		return nil, err
	}
	var list []futuresAsset
	if err := json.Unmarshal(raw, &list); err != nil {
		var obj struct {
			Balance json.RawMessage `json:"balance"`
		}
		if decode(raw, &obj) != nil || !present(obj.Balance) {
			return nil, errors.New("no balance list")
		}
		if json.Unmarshal(obj.Balance, &list) != nil {
			var one futuresAsset
			if decode(obj.Balance, &one) != nil {
				return nil, errors.New("no balance list")
			}
			list = []futuresAsset{one}
		}
	}
	var out []exchanges.Asset
	for _, a := range list {
		if a.Asset == "" || !exchanges.IsDecimal(a.Balance) {
			return nil, errors.New("a futures balance without asset or amount")
		}
		if exchanges.IsZeroDecimal(a.Balance) {
			continue
		}
		free := a.Balance
		if exchanges.IsDecimal(a.AvailableMargin) {
			free = a.AvailableMargin
		}
		out = append(out, exchanges.Asset{Asset: a.Asset, Free: free, Total: a.Balance, Account: "futures"})
	}
	return out, nil
}
