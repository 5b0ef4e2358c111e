package binance

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// The parsers below read Binance's answers. Each is fuzzed: outside bytes
// may be anything, and a parser must fail cleanly rather than panic or
// accept nonsense.

func decode(body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return errors.New("not the JSON Binance sends")
	}
	return nil
}

func parseTime(body []byte) (int64, error) {
	var v struct {
		ServerTime *int64 `json:"serverTime"`
	}
	if err := decode(body, &v); err != nil {
		return 0, err
	}
	if v.ServerTime == nil || *v.ServerTime <= 0 {
		return 0, errors.New("no serverTime")
	}
	return *v.ServerTime, nil
}

type systemStatus struct {
	Status *int   `json:"status"`
	Msg    string `json:"msg"`
}

type statusValue struct {
	Status int
	Msg    string
}

func parseStatus(body []byte) (statusValue, error) {
	var v systemStatus
	if err := decode(body, &v); err != nil {
		return statusValue{}, err
	}
	if v.Status == nil {
		return statusValue{}, errors.New("no status")
	}
	return statusValue{Status: *v.Status, Msg: v.Msg}, nil
}

// restrictions is GET /sapi/v1/account/apiRestrictions.
type restrictions struct {
	IPRestrict                     *bool  `json:"ipRestrict"`
	CreateTime                     int64  `json:"createTime"`
	EnableReading                  *bool  `json:"enableReading"`
	EnableSpotAndMarginTrading     *bool  `json:"enableSpotAndMarginTrading"`
	EnableMargin                   *bool  `json:"enableMargin"`
	EnableFutures                  *bool  `json:"enableFutures"`
	EnableWithdrawals              *bool  `json:"enableWithdrawals"`
	EnableInternalTransfer         *bool  `json:"enableInternalTransfer"`
	PermitsUniversalTransfer       *bool  `json:"permitsUniversalTransfer"`
	TradingAuthorityExpirationTime *int64 `json:"tradingAuthorityExpirationTime"`
}

func parseRestrictions(body []byte) (restrictions, error) {
	var r restrictions
	if err := decode(body, &r); err != nil {
		return r, err
	}
	if r.EnableReading == nil || r.IPRestrict == nil || r.EnableWithdrawals == nil {
		return r, errors.New("no enableReading, ipRestrict or enableWithdrawals")
	}
	return r, nil
}

func flag(b *bool) exchanges.Flag {
	if b == nil {
		return exchanges.Unknown
	}
	return exchanges.FlagOf(*b)
}

func (r restrictions) keyInfo() exchanges.KeyInfo {
	k := exchanges.KeyInfo{
		Read:         flag(r.EnableReading),
		Withdraw:     flag(r.EnableWithdrawals),
		IPRestricted: flag(r.IPRestrict),
		Trade: map[exchanges.Market]exchanges.Flag{
			exchanges.Spot:    flag(r.EnableSpotAndMarginTrading),
			exchanges.Futures: flag(r.EnableFutures),
		},
	}
	margin := flag(r.EnableSpotAndMarginTrading)
	if margin == exchanges.Yes && r.EnableMargin != nil {
		margin = flag(r.EnableMargin)
	}
	k.Trade[exchanges.Margin] = margin
	switch {
	case r.EnableInternalTransfer == nil && r.PermitsUniversalTransfer == nil:
	case (r.EnableInternalTransfer != nil && *r.EnableInternalTransfer) || (r.PermitsUniversalTransfer != nil && *r.PermitsUniversalTransfer):
		k.Transfer = exchanges.Yes
	default:
		k.Transfer = exchanges.No
	}
	if r.CreateTime > 0 {
		k.Created = time.UnixMilli(r.CreateTime)
	}
	k.ExpiryKnown = true
	if t := r.TradingAuthorityExpirationTime; t != nil && *t > 0 {
		k.Expires = time.UnixMilli(*t)
		k.ExpiryWhat = "Spot & Margin trading permission"
	}
	return k
}

type account struct {
	CanTrade    bool `json:"canTrade"`
	CanWithdraw bool `json:"canWithdraw"`
	Balances    []struct {
		Asset  string `json:"asset"`
		Free   string `json:"free"`
		Locked string `json:"locked"`
	} `json:"balances"`
}

func parseAccount(body []byte) (account, error) {
	var a account
	var probe struct {
		Balances *json.RawMessage `json:"balances"`
	}
	if err := decode(body, &probe); err != nil {
		return a, err
	}
	if probe.Balances == nil {
		return a, errors.New("no balances")
	}
	if err := decode(body, &a); err != nil {
		return a, err
	}
	for _, b := range a.Balances {
		if b.Asset == "" || !exchanges.IsDecimal(b.Free) || !exchanges.IsDecimal(b.Locked) {
			return a, errors.New("a balance without asset or with a non-decimal amount")
		}
	}
	return a, nil
}

// assets returns the non-zero holdings.
func (a account) assets() []exchanges.Asset {
	var out []exchanges.Asset
	for _, b := range a.Balances {
		total := exchanges.AddDecimals(b.Free, b.Locked)
		if exchanges.IsZeroDecimal(total) {
			continue
		}
		out = append(out, exchanges.Asset{Asset: b.Asset, Free: b.Free, Total: total, Account: "spot"})
	}
	return out
}

func parseFuturesBalance(body []byte) ([]exchanges.Asset, error) {
	var v []struct {
		Asset            string `json:"asset"`
		Balance          string `json:"balance"`
		AvailableBalance string `json:"availableBalance"`
	}
	if err := decode(body, &v); err != nil {
		return nil, err
	}
	var out []exchanges.Asset
	for _, b := range v {
		if b.Asset == "" || !exchanges.IsDecimal(b.Balance) {
			return nil, errors.New("a futures balance without asset or amount")
		}
		if exchanges.IsZeroDecimal(b.Balance) {
			continue
		}
		out = append(out, exchanges.Asset{Asset: b.Asset, Free: b.AvailableBalance, Total: b.Balance, Account: "futures"})
	}
	return out, nil
}

// errorBody is Binance's error answer.
type errorBody struct {
	Code *int   `json:"code"`
	Msg  string `json:"msg"`
}

func parseError(body []byte) (errorBody, bool) {
	var e errorBody
	if json.Unmarshal(body, &e) != nil || e.Code == nil {
		return e, false
	}
	return e, true
}
