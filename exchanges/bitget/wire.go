package bitget

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/keywarden/keywarden/exchanges"
)

// The parsers below read Bitget's answers. Every answer is an envelope
// {"code":"00000","msg":"success","requestTime":ms,"data":...}; "00000" is
// success. Each parser is fuzzed: outside bytes may be anything, and a
// parser must fail cleanly rather than panic or accept nonsense.

const success = "00000"

// decodeData checks the envelope says success and decodes its data.
func decodeData(body []byte, v any) error {
	return exchanges.DecodeCodeEnvelope(body, success, "Bitget", v)
}

// parseTime reads GET /api/v2/public/time: data.serverTime in milliseconds.
func parseTime(body []byte) (int64, error) {
	var v struct {
		ServerTime json.RawMessage `json:"serverTime"`
	}
	if err := decodeData(body, &v); err != nil {
		return 0, err
	}
	s := strings.Trim(string(v.ServerTime), `"`)
	ms, err := strconv.ParseInt(s, 10, 64)
	if err != nil || ms <= 0 {
		return 0, errors.New("serverTime is not a time in milliseconds")
	}
	return ms, nil
}

// accountInfo is data of GET /api/v2/spot/account/info: the calling key's
// authorities and IP whitelist.
type accountInfo struct {
	UserID      string
	IPs         string
	Authorities []string
}

func parseAccountInfo(body []byte) (accountInfo, error) {
	var v struct {
		UserID      json.RawMessage `json:"userId"`
		IPs         *string         `json:"ips"`
		Authorities *[]string       `json:"authorities"`
	}
	if err := decodeData(body, &v); err != nil {
		return accountInfo{}, err
	}
	if v.Authorities == nil {
		return accountInfo{}, errors.New("no authorities in the account information")
	}
	a := accountInfo{Authorities: *v.Authorities, UserID: strings.Trim(string(v.UserID), `"`)}
	if v.IPs != nil {
		a.IPs = *v.IPs
	}
	for _, x := range a.Authorities {
		if x == "" {
			return accountInfo{}, errors.New("an empty authority")
		}
	}
	return a, nil
}

// splitIPs splits the ips string (comma-separated) into addresses.
func splitIPs(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseSpotAssets reads GET /api/v2/spot/account/assets.
func parseSpotAssets(body []byte) ([]exchanges.Asset, error) {
	var v []struct {
		Coin      string `json:"coin"`
		Available string `json:"available"`
		Frozen    string `json:"frozen"`
		Locked    string `json:"locked"`
	}
	if err := decodeData(body, &v); err != nil {
		return nil, err
	}
	var out []exchanges.Asset
	for _, a := range v {
		if a.Coin == "" || !exchanges.IsDecimal(a.Available) {
			return nil, errors.New("an asset without coin or with a non-decimal amount")
		}
		parts := []string{a.Available}
		for _, x := range []string{a.Frozen, a.Locked} {
			if x == "" {
				continue
			}
			if !exchanges.IsDecimal(x) {
				return nil, errors.New("a non-decimal frozen or locked amount")
			}
			parts = append(parts, x)
		}
		total := exchanges.AddDecimals(parts...)
		if exchanges.IsZeroDecimal(total) {
			continue
		}
		out = append(out, exchanges.Asset{Asset: a.Coin, Free: a.Available, Total: total, Account: "spot"})
	}
	return out, nil
}

// parseFuturesAccounts reads GET /api/v2/mix/account/accounts.
func parseFuturesAccounts(body []byte) ([]exchanges.Asset, error) {
	var v []struct {
		MarginCoin    string `json:"marginCoin"`
		Available     string `json:"available"`
		AccountEquity string `json:"accountEquity"`
	}
	if err := decodeData(body, &v); err != nil {
		return nil, err
	}
	var out []exchanges.Asset
	for _, a := range v {
		if a.MarginCoin == "" || !exchanges.IsDecimal(a.AccountEquity) {
			return nil, errors.New("a futures account without margin coin or equity")
		}
		if exchanges.IsZeroDecimal(a.AccountEquity) {
			continue
		}
		free := a.Available
		if !exchanges.IsDecimal(free) {
			free = ""
		}
		out = append(out, exchanges.Asset{Asset: a.MarginCoin, Free: free, Total: exchanges.AddDecimals(a.AccountEquity), Account: "futures"})
	}
	return out, nil
}
