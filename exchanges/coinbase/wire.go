package coinbase

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/keywarden/keywarden/exchanges"
)

// The parsers below read Coinbase's answers. Each is fuzzed: outside bytes
// may be anything, and a parser must fail cleanly rather than panic or
// return a half-filled success.

func decode(body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return errors.New("not the JSON Coinbase sends")
	}
	return nil
}

// epoch is a number Coinbase sends as a JSON string ("1731424981") or,
// defensively, as a JSON number.
type epoch struct {
	v  int64
	ok bool
}

func (e *epoch) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "null" || s == "" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return errors.New("not an epoch")
	}
	e.v, e.ok = n, true
	return nil
}

// parseTime reads GET /api/v3/brokerage/time:
// {"iso":"2024-11-12T15:23:01.123Z","epochSeconds":"1731424981","epochMillis":"1731424981123"}.
func parseTime(body []byte) (time.Time, time.Duration, error) {
	var v struct {
		ISO          string `json:"iso"`
		EpochSeconds epoch  `json:"epochSeconds"`
		EpochMillis  epoch  `json:"epochMillis"`
	}
	if err := decode(body, &v); err != nil {
		return time.Time{}, 0, err
	}
	switch {
	case v.EpochMillis.ok && v.EpochMillis.v < 1e14:
		return time.UnixMilli(v.EpochMillis.v), 0, nil
	case v.ISO != "":
		t, err := time.Parse(time.RFC3339Nano, v.ISO)
		if err != nil || t.Unix() <= 0 {
			return time.Time{}, 0, errors.New("iso is not an RFC 3339 time")
		}
		return t, 0, nil
	case v.EpochSeconds.ok && v.EpochSeconds.v < 1e11:
		return time.Unix(v.EpochSeconds.v, 0), time.Second, nil
	}
	return time.Time{}, 0, errors.New("no epochMillis, iso or epochSeconds")
}

// permissions is GET /api/v3/brokerage/key_permissions.
type permissions struct {
	CanView       *bool  `json:"can_view"`
	CanTrade      *bool  `json:"can_trade"`
	CanTransfer   *bool  `json:"can_transfer"`
	CanReceive    *bool  `json:"can_receive"`
	PortfolioUUID string `json:"portfolio_uuid"`
	PortfolioType string `json:"portfolio_type"`
}

func parsePermissions(body []byte) (permissions, error) {
	var p permissions
	if err := decode(body, &p); err != nil {
		return permissions{}, err
	}
	if p.CanView == nil || p.CanTrade == nil || p.CanTransfer == nil {
		return permissions{}, errors.New("no can_view, can_trade or can_transfer")
	}
	return p, nil
}

// keyInfo turns the permissions into facts. Coinbase has one Trade
// permission for everything the key's portfolio trades (spot, futures,
// perpetuals), and one Transfer permission for withdrawals and transfers.
// The API tells nothing about the key's IP allowlist, creation or expiry.
func (p permissions) keyInfo() exchanges.KeyInfo {
	trade := exchanges.FlagOf(*p.CanTrade)
	transfer := exchanges.FlagOf(*p.CanTransfer)
	k := exchanges.KeyInfo{
		Read:     exchanges.FlagOf(*p.CanView),
		Trade:    map[exchanges.Market]exchanges.Flag{exchanges.Spot: trade, exchanges.Futures: trade},
		Withdraw: transfer,
		Transfer: transfer,
		Evidence: []string{"can_trade from GET /api/v3/brokerage/key_permissions: Coinbase has one Trade permission for spot and futures"},
	}
	if p.PortfolioType != "" || p.PortfolioUUID != "" {
		k.Label = strings.TrimSpace(p.PortfolioType + " portfolio " + shortID(p.PortfolioUUID))
	}
	return k
}

func shortID(id string) string {
	if len(id) > 8 {
		return id[:8] + "…"
	}
	return id
}

type money struct {
	Value    string `json:"value"`
	Currency string `json:"currency"`
}

// account is one entry of GET /api/v3/brokerage/accounts.
type account struct {
	Currency         string `json:"currency"`
	AvailableBalance *money `json:"available_balance"`
	Hold             *money `json:"hold"`
	Type             string `json:"type"`
}

type accountsPage struct {
	Accounts []account
	HasNext  bool
	Cursor   string
}

func parseAccounts(body []byte) (accountsPage, error) {
	var v struct {
		Accounts *[]account `json:"accounts"`
		HasNext  bool       `json:"has_next"`
		Cursor   string     `json:"cursor"`
	}
	if err := decode(body, &v); err != nil {
		return accountsPage{}, err
	}
	if v.Accounts == nil {
		return accountsPage{}, errors.New("no accounts")
	}
	for _, a := range *v.Accounts {
		if a.Currency == "" || a.AvailableBalance == nil || !exchanges.IsDecimal(a.AvailableBalance.Value) {
			return accountsPage{}, errors.New("an account without currency or with a non-decimal available_balance")
		}
		if a.Hold != nil && a.Hold.Value != "" && !exchanges.IsDecimal(a.Hold.Value) {
			return accountsPage{}, errors.New("an account with a non-decimal hold")
		}
	}
	if v.HasNext && v.Cursor == "" {
		return accountsPage{}, errors.New("has_next without a cursor")
	}
	return accountsPage{Accounts: *v.Accounts, HasNext: v.HasNext, Cursor: v.Cursor}, nil
}

// assets returns the non-zero holdings: available plus hold.
func (p accountsPage) assets() []exchanges.Asset {
	var out []exchanges.Asset
	for _, a := range p.Accounts {
		hold := "0"
		if a.Hold != nil && a.Hold.Value != "" {
			hold = a.Hold.Value
		}
		total := exchanges.AddDecimals(a.AvailableBalance.Value, hold)
		if exchanges.IsZeroDecimal(total) {
			continue
		}
		out = append(out, exchanges.Asset{Asset: a.Currency, Free: a.AvailableBalance.Value, Total: total, Account: "spot"})
	}
	return out
}

// futuresSummary is GET /api/v3/brokerage/cfm/balance_summary (US futures).
type futuresSummary struct {
	CFMUSD      money
	BuyingPower string
}

func parseFuturesSummary(body []byte) (futuresSummary, error) {
	var v struct {
		Summary *struct {
			CFMUSD      *money `json:"cfm_usd_balance"`
			BuyingPower *money `json:"futures_buying_power"`
		} `json:"balance_summary"`
	}
	if err := decode(body, &v); err != nil {
		return futuresSummary{}, err
	}
	if v.Summary == nil || v.Summary.CFMUSD == nil || !exchanges.IsDecimal(v.Summary.CFMUSD.Value) {
		return futuresSummary{}, errors.New("no balance_summary.cfm_usd_balance")
	}
	f := futuresSummary{CFMUSD: *v.Summary.CFMUSD}
	if f.CFMUSD.Currency == "" {
		f.CFMUSD.Currency = "USD"
	}
	if b := v.Summary.BuyingPower; b != nil && exchanges.IsDecimal(b.Value) {
		f.BuyingPower = b.Value
	}
	return f, nil
}

// errorBody is what Coinbase says when it refuses: the brokerage API's
// {"error":"PERMISSION_DENIED","error_details":"…","message":"…"}, the
// older gateway's {"errors":[{"id":"…","message":"…"}]}, or a bare text
// such as "Unauthorized".
type errorBody struct {
	Code    string
	Message string
}

func parseError(body []byte) (errorBody, bool) {
	t := bytes.TrimSpace(body)
	if len(t) == 0 {
		return errorBody{}, false
	}
	if t[0] == '{' {
		var v struct {
			Error        any    `json:"error"`
			ErrorDetails string `json:"error_details"`
			Message      string `json:"message"`
			Errors       []struct {
				ID      string `json:"id"`
				Message string `json:"message"`
			} `json:"errors"`
		}
		if json.Unmarshal(t, &v) != nil {
			return errorBody{}, false
		}
		e := errorBody{Message: clip(v.Message)}
		if s, ok := v.Error.(string); ok {
			e.Code = clip(s)
		}
		if e.Message == "" {
			e.Message = clip(v.ErrorDetails)
		}
		if len(v.Errors) > 0 {
			if e.Code == "" {
				e.Code = clip(v.Errors[0].ID)
			}
			if e.Message == "" {
				e.Message = clip(v.Errors[0].Message)
			}
		}
		return e, e.Code != "" || e.Message != ""
	}
	if t[0] == '<' || !utf8.Valid(t) {
		return errorBody{}, false // an HTML error page or binary: not Coinbase's words
	}
	m := clip(string(t))
	return errorBody{Message: m}, m != ""
}

// clip keeps an exchange's message short and printable for a detail line.
func clip(s string) string {
	s = strings.Map(func(r rune) rune {
		if !unicode.IsPrint(r) {
			return ' '
		}
		return r
	}, strings.TrimSpace(s))
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}
