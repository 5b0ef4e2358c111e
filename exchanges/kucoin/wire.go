package kucoin

import (
	"encoding/json"
	"errors"
	"net"
	"sort"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// KuCoin wraps every answer in {"code":"200000","data":...} on success and
// {"code":"<code>","msg":"..."} on failure. The parsers below read the
// data of each endpoint; each is fuzzed, so outside bytes can never panic
// or yield a half-filled success.

// codeOK is KuCoin's success code.
const codeOK = "200000"

// decodeData checks the answer says success and decodes its data.
func decodeData(body []byte, v any) error {
	return exchanges.DecodeCodeEnvelope(body, codeOK, "KuCoin", v)
}

// parseTime reads GET /api/v1/timestamp: data is milliseconds.
func parseTime(body []byte) (time.Time, error) {
	var ms json.Number
	if err := decodeData(body, &ms); err != nil {
		return time.Time{}, err
	}
	n, err := ms.Int64()
	if err != nil || n <= 0 {
		return time.Time{}, errors.New("timestamp is not a positive integer")
	}
	return time.UnixMilli(n), nil
}

// status is GET /api/v1/status.
type status struct {
	Status string `json:"status"` // open, close, cancelonly
	Msg    string `json:"msg"`
}

func parseStatus(body []byte) (status, error) {
	var s status
	if err := decodeData(body, &s); err != nil {
		return status{}, err
	}
	if s.Status == "" {
		return status{}, errors.New("no status")
	}
	return s, nil
}

// apiKey is GET /api/v1/user/api-key.
type apiKey struct {
	Remark      string       `json:"remark"`
	APIKey      string       `json:"apiKey"`
	APIVersion  json.Number  `json:"apiVersion"`
	Permission  *string      `json:"permission"`
	IPWhitelist *string      `json:"ipWhitelist"`
	CreatedAt   *json.Number `json:"createdAt"`
	IsMaster    *bool        `json:"isMaster"`
	SubName     string       `json:"subName"`
}

func parseAPIKey(body []byte) (apiKey, error) {
	var k apiKey
	if err := decodeData(body, &k); err != nil {
		return apiKey{}, err
	}
	if k.Permission == nil {
		return apiKey{}, errors.New("no permission")
	}
	if k.CreatedAt != nil {
		if n, err := k.CreatedAt.Int64(); err != nil || n < 0 {
			return apiKey{}, errors.New("createdAt is not a time in milliseconds")
		}
	}
	return k, nil
}

// splitList splits KuCoin's comma-separated strings ("General,Spot",
// "1.2.3.4,5.6.7.8"); spaces and semicolons are tolerated, since the
// separator of ipWhitelist is not documented.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' }) {
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

// keyInfo turns the key's description into facts.
func (k apiKey) keyInfo() exchanges.KeyInfo {
	perms := map[string]bool{}
	for _, p := range splitList(*k.Permission) {
		perms[strings.ToLower(p)] = true
	}
	has := func(names ...string) bool {
		for _, n := range names {
			if perms[strings.ToLower(n)] {
				return true
			}
		}
		return false
	}
	ki := exchanges.KeyInfo{
		Read:     exchanges.FlagOf(has("General")),
		Withdraw: exchanges.FlagOf(has("Transfer", "Withdraw", "Withdrawal")),
		Transfer: exchanges.FlagOf(has("InnerTransfer", "FlexTransfer")),
		Trade:    map[exchanges.Market]exchanges.Flag{},
		Label:    k.Remark,
	}
	ki.Evidence = append(ki.Evidence, "permissions from GET /api/v1/user/api-key: "+strings.Join(splitList(*k.Permission), ", "))
	// Keys made before 2023 carry the single "Trade" permission, which
	// covered spot orders; what it grants on margin and futures is not
	// documented, so those stay unknown. "Unified" keys trade KuCoin's
	// unified account through that one permission.
	legacy := has("Trade")
	unified := has("Unified")
	market := func(m exchanges.Market, name string) {
		switch {
		case has(name):
			ki.Trade[m] = exchanges.Yes
		case m == exchanges.Spot && legacy:
			ki.Trade[m] = exchanges.Yes
			ki.Evidence = append(ki.Evidence, "spot trading from the older Trade permission")
		case legacy || unified:
			ki.Trade[m] = exchanges.Unknown
			ki.Evidence = append(ki.Evidence, string(m)+": KuCoin does not document whether the key's Trade/Unified permission covers it")
		default:
			ki.Trade[m] = exchanges.No
		}
	}
	market(exchanges.Spot, "Spot")
	market(exchanges.Margin, "Margin")
	market(exchanges.Futures, "Futures")

	ips := ""
	if k.IPWhitelist != nil {
		ips = *k.IPWhitelist
	}
	list := splitList(ips)
	ki.IPRestricted = exchanges.FlagOf(len(list) > 0)
	ki.IPListKnown = true
	for _, ip := range list {
		if net.ParseIP(ip) == nil {
			if _, _, err := net.ParseCIDR(ip); err != nil {
				// KuCoin's own examples show masked entries ("10.**.1"):
				// a list that cannot be compared is not claimed known.
				ki.IPListKnown = false
				ki.Evidence = append(ki.Evidence, "KuCoin masked the IP whitelist, so it cannot be compared")
				break
			}
		}
	}
	if ki.IPListKnown {
		ki.IPs = list
	}
	if k.CreatedAt != nil {
		if n, _ := k.CreatedAt.Int64(); n > 0 {
			ki.Created = time.UnixMilli(n)
		}
	}
	if v := k.APIVersion.String(); v != "" {
		ki.Evidence = append(ki.Evidence, "API key version "+v)
	}
	if k.SubName != "" {
		ki.Evidence = append(ki.Evidence, "a key of sub-account "+k.SubName)
	}
	return ki
}

// account is one entry of GET /api/v1/accounts.
type account struct {
	Currency  string `json:"currency"`
	Type      string `json:"type"` // main (Funding), trade (Trading), margin, ...
	Balance   string `json:"balance"`
	Available string `json:"available"`
	Holds     string `json:"holds"`
}

func parseAccounts(body []byte) ([]account, error) {
	var v []account
	if err := decodeData(body, &v); err != nil {
		// An account without any wallet answers an empty list, never
		// null; null is as malformed as a missing data field.
		return nil, err
	}
	for _, a := range v {
		if a.Currency == "" || a.Type == "" || !exchanges.IsDecimal(a.Balance) || !exchanges.IsDecimal(a.Available) {
			return nil, errors.New("an account without currency or type, or with a non-decimal amount")
		}
	}
	return v, nil
}

// assets returns the non-zero holdings and the wallets seen.
func assets(v []account) ([]exchanges.Asset, []string) {
	var out []exchanges.Asset
	seen := map[string]bool{}
	for _, a := range v {
		seen[a.Type] = true
		if exchanges.IsZeroDecimal(a.Balance) {
			continue
		}
		out = append(out, exchanges.Asset{Asset: a.Currency, Free: a.Available, Total: a.Balance, Account: a.Type})
	}
	var types []string
	for t := range seen {
		types = append(types, t)
	}
	sort.Strings(types)
	return out, types
}

// futuresOverview is GET /api/v1/account-overview on the futures host.
// Its amounts are JSON numbers, read as written.
type futuresOverview struct {
	AccountEquity    json.Number `json:"accountEquity"`
	AvailableBalance json.Number `json:"availableBalance"`
	Currency         string      `json:"currency"`
}

func parseFuturesOverview(body []byte) (*exchanges.Asset, error) {
	var f futuresOverview
	if err := decodeData(body, &f); err != nil {
		return nil, err
	}
	eq, av := f.AccountEquity.String(), f.AvailableBalance.String()
	if f.Currency == "" || !exchanges.IsDecimal(eq) || (av != "" && !exchanges.IsDecimal(av)) {
		return nil, errors.New("a futures account without currency or with a non-decimal amount")
	}
	if exchanges.IsZeroDecimal(eq) {
		return nil, nil
	}
	return &exchanges.Asset{Asset: f.Currency, Free: av, Total: eq, Account: "futures"}, nil
}
