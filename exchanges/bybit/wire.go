package bybit

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// The parsers below read Bybit's answers. Every answer is wrapped in
// {"retCode":N,"retMsg":"...","result":{...},"retExtInfo":{},"time":ms};
// retCode 0 is success. Each parser is fuzzed: outside bytes may be
// anything, and a parser must fail cleanly rather than panic or accept
// nonsense.

// envelope is Bybit's wrapper around every answer.
type envelope struct {
	RetCode *int            `json:"retCode"`
	RetMsg  string          `json:"retMsg"`
	Result  json.RawMessage `json:"result"`
	Time    int64           `json:"time"`
}

func decode(body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return errors.New("not the JSON Bybit sends")
	}
	return nil
}

// result unwraps a successful answer into v.
func result(body []byte, v any) (envelope, error) {
	var e envelope
	if err := decode(body, &e); err != nil {
		return e, err
	}
	if e.RetCode == nil {
		return e, errors.New("no retCode")
	}
	if *e.RetCode != 0 {
		return e, errors.New("retCode " + strconv.Itoa(*e.RetCode) + " in a success answer")
	}
	if len(e.Result) == 0 || bytes.Equal(e.Result, []byte("null")) {
		return e, errors.New("no result")
	}
	if err := decode(e.Result, v); err != nil {
		return e, err
	}
	return e, nil
}

// parseError reads an error answer: retCode and retMsg.
func parseError(body []byte) (envelope, bool) {
	var e envelope
	if json.Unmarshal(body, &e) != nil || e.RetCode == nil {
		return e, false
	}
	return e, true
}

// flexInt reads an integer Bybit sends either as a JSON number or as a
// string of digits (the docs and the examples disagree for some fields).
type flexInt struct {
	V   int64
	Set bool
}

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		return nil
	}
	s = strings.Trim(s, `"`)
	if s == "" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return errors.New("not an integer")
	}
	f.V, f.Set = n, true
	return nil
}

// parseTime reads GET /v5/market/time: the nanosecond reading when it is
// there, else the envelope's millisecond time, else whole seconds.
func parseTime(body []byte) (time.Time, time.Duration, error) {
	var r struct {
		TimeSecond flexInt `json:"timeSecond"`
		TimeNano   flexInt `json:"timeNano"`
	}
	e, err := result(body, &r)
	if err != nil {
		return time.Time{}, 0, err
	}
	switch {
	case r.TimeNano.Set && r.TimeNano.V > 0:
		return time.Unix(0, r.TimeNano.V), 0, nil
	case e.Time > 0:
		return time.UnixMilli(e.Time), 0, nil
	case r.TimeSecond.Set && r.TimeSecond.V > 0:
		return time.Unix(r.TimeSecond.V, 0), time.Second, nil
	}
	return time.Time{}, 0, errors.New("no timeNano, time or timeSecond")
}

// maintenance is one entry of GET /v5/system/status.
type maintenance struct {
	ID           string    `json:"id"`
	Title        string    `json:"title"`
	State        string    `json:"state"`
	Begin        flexInt   `json:"begin"`
	End          flexInt   `json:"end"`
	Href         string    `json:"href"`
	ServiceTypes []flexInt `json:"serviceTypes"`
	Product      []flexInt `json:"product"`
	UIDSuffix    []flexInt `json:"uidSuffix"`
	MaintainType flexInt   `json:"maintainType"`
	Env          flexInt   `json:"env"`
}

func parseStatus(body []byte) ([]maintenance, error) {
	var r struct {
		List *[]maintenance `json:"list"`
	}
	if _, err := result(body, &r); err != nil {
		return nil, err
	}
	if r.List == nil {
		return nil, errors.New("no list")
	}
	for _, m := range *r.List {
		switch m.State {
		case "scheduled", "ongoing", "completed", "canceled":
		default:
			return nil, errors.New("a maintenance with an unknown state")
		}
	}
	return *r.List, nil
}

// apiKeyInfo is GET /v5/user/query-api.
type apiKeyInfo struct {
	Note        string              `json:"note"`
	ReadOnly    *int                `json:"readOnly"`
	Permissions map[string][]string `json:"permissions"`
	IPs         *[]string           `json:"ips"`
	Type        int                 `json:"type"`
	DeadlineDay *int                `json:"deadlineDay"`
	ExpiredAt   string              `json:"expiredAt"`
	CreatedAt   string              `json:"createdAt"`
	UTA         *int                `json:"uta"`
	IsMaster    *bool               `json:"isMaster"`
}

func parseAPIKey(body []byte) (apiKeyInfo, error) {
	var k apiKeyInfo
	if _, err := result(body, &k); err != nil {
		return apiKeyInfo{}, err
	}
	if k.ReadOnly == nil || (*k.ReadOnly != 0 && *k.ReadOnly != 1) {
		return apiKeyInfo{}, errors.New("no readOnly 0 or 1")
	}
	if k.Permissions == nil {
		return apiKeyInfo{}, errors.New("no permissions")
	}
	return k, nil
}

func has(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// parseDate reads Bybit's datetime ("2023-02-15T03:13:24Z"). The Unix
// epoch is Bybit's "not applicable", reported as zero.
func parseDate(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil || t.Year() < 2000 {
		return time.Time{}
	}
	return t
}

// keyInfo turns query-api into facts. now is used only for deadlineDay,
// when Bybit gives the remaining days but no date; margin says whether
// the profile trades margin (for the evidence line).
func (k apiKeyInfo) keyInfo(now time.Time, margin bool) exchanges.KeyInfo {
	rw := *k.ReadOnly == 0
	p := k.Permissions
	trade := func(group, perm string) exchanges.Flag { return exchanges.FlagOf(rw && has(p[group], perm)) }
	ki := exchanges.KeyInfo{
		Read: exchanges.Yes,
		Trade: map[exchanges.Market]exchanges.Flag{
			exchanges.Spot:    trade("Spot", "SpotTrade"),
			exchanges.Margin:  trade("Spot", "SpotTrade"),
			exchanges.Futures: trade("ContractTrade", "Order"),
		},
		Withdraw: exchanges.FlagOf(rw && has(p["Wallet"], "Withdraw")),
		Transfer: exchanges.FlagOf(rw && (has(p["Wallet"], "AccountTransfer") ||
			has(p["Wallet"], "SubMemberTransfer") || has(p["Wallet"], "SubMemberTransferList"))),
		Label:   k.Note,
		Created: parseDate(k.CreatedAt),
	}
	if rw {
		ki.Evidence = append(ki.Evidence, "permissions from query-api (readOnly 0: Read-Write)")
	} else {
		ki.Evidence = append(ki.Evidence, "query-api says readOnly 1: a Read-Only key cannot trade, transfer or withdraw, whatever permission groups it lists")
	}
	ki.Evidence = append(ki.Evidence, "read: every Bybit key can read, and query-api answered")
	if margin && ki.Trade[exchanges.Margin] == exchanges.Yes {
		ki.Evidence = append(ki.Evidence, "margin: spot margin orders on the Unified Trading Account use the Spot Trade permission (spot margin must also be switched on for the account)")
	}
	if k.IPs != nil {
		ki.IPListKnown = true
		star := false
		for _, ip := range *k.IPs {
			ip = strings.TrimSpace(ip)
			switch ip {
			case "":
			case "*":
				star = true
			default:
				ki.IPs = append(ki.IPs, ip)
			}
		}
		if star {
			ki.IPs = nil
		}
		ki.IPRestricted = exchanges.FlagOf(len(ki.IPs) > 0)
	}
	if t := parseDate(k.ExpiredAt); !t.IsZero() {
		ki.Expires, ki.ExpiryKnown = t, true
	} else if k.DeadlineDay != nil && *k.DeadlineDay >= 0 && k.IPs != nil && ki.IPRestricted == exchanges.No {
		ki.Expires, ki.ExpiryKnown = now.Add(time.Duration(*k.DeadlineDay)*24*time.Hour), true
		ki.Evidence = append(ki.Evidence, "expiry from deadlineDay (days left), Bybit gave no date")
	} else if ki.IPRestricted == exchanges.Yes {
		// Bybit sets an expiry only for keys with no IP bound or after a
		// password change, and says so with expiredAt 1970 / deadlineDay -2.
		ki.ExpiryKnown = true
		ki.Evidence = append(ki.Evidence, "expiry: Bybit sets none for a key bound to IPs (expiredAt is empty)")
	}
	return ki
}

// accountInfo is GET /v5/account/info, read on Demo Trading where
// query-api does not exist.
type accountInfo struct {
	UnifiedMarginStatus *int   `json:"unifiedMarginStatus"`
	MarginMode          string `json:"marginMode"`
}

func parseAccountInfo(body []byte) (accountInfo, error) {
	var a accountInfo
	if _, err := result(body, &a); err != nil {
		return accountInfo{}, err
	}
	if a.UnifiedMarginStatus == nil {
		return accountInfo{}, errors.New("no unifiedMarginStatus")
	}
	return a, nil
}

// wallet is GET /v5/account/wallet-balance?accountType=UNIFIED.
type wallet struct {
	AccountType string `json:"accountType"`
	TotalEquity string `json:"totalEquity"`
	Coin        []struct {
		Coin                string `json:"coin"`
		WalletBalance       string `json:"walletBalance"`
		Locked              string `json:"locked"`
		AvailableToWithdraw string `json:"availableToWithdraw"`
	} `json:"coin"`
}

func parseWallet(body []byte) (wallet, error) {
	var r struct {
		List *[]wallet `json:"list"`
	}
	if _, err := result(body, &r); err != nil {
		return wallet{}, err
	}
	if r.List == nil || len(*r.List) == 0 {
		return wallet{}, errors.New("no account in list")
	}
	w := (*r.List)[0]
	for _, c := range w.Coin {
		if c.Coin == "" || !exchanges.IsDecimal(c.WalletBalance) {
			return wallet{}, errors.New("a coin without name or with a non-decimal walletBalance")
		}
	}
	return w, nil
}

// assets returns the non-zero holdings.
func (w wallet) assets() []exchanges.Asset {
	var out []exchanges.Asset
	for _, c := range w.Coin {
		if exchanges.IsZeroDecimal(c.WalletBalance) {
			continue
		}
		free := c.WalletBalance
		switch {
		case exchanges.IsDecimal(c.Locked) && !strings.HasPrefix(c.Locked, "-"):
			free = exchanges.AddDecimals(c.WalletBalance, "-"+c.Locked)
		case exchanges.IsDecimal(c.AvailableToWithdraw):
			free = c.AvailableToWithdraw
		}
		out = append(out, exchanges.Asset{Asset: c.Coin, Free: free, Total: c.WalletBalance, Account: "unified"})
	}
	return out
}
