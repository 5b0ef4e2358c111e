package okx

import (
	"errors"
	"strconv"
	"strings"

	"github.com/keywarden/keywarden/exchanges"
)

// The parsers below read OKX's answers. Every answer is an envelope
// {"code":"0","msg":"","data":[...]}; code "0" is success. Each parser is
// fuzzed: outside bytes may be anything, and a parser must fail cleanly
// rather than panic or accept nonsense.

// decodeData checks the envelope says success and decodes its data.
func decodeData(body []byte, v any) error {
	return exchanges.DecodeCodeEnvelope(body, "0", "OKX", v)
}

// parseTime reads GET /api/v5/public/time: data[0].ts in milliseconds.
func parseTime(body []byte) (int64, error) {
	var v []struct {
		Ts string `json:"ts"`
	}
	if err := decodeData(body, &v); err != nil {
		return 0, err
	}
	if len(v) == 0 {
		return 0, errors.New("no time")
	}
	ms, err := strconv.ParseInt(v[0].Ts, 10, 64)
	if err != nil || ms <= 0 {
		return 0, errors.New("ts is not a time in milliseconds")
	}
	return ms, nil
}

// statusEvent is one entry of GET /api/v5/system/status.
type statusEvent struct {
	Title        string `json:"title"`
	State        string `json:"state"`
	Begin        string `json:"begin"`
	End          string `json:"end"`
	PreOpenBegin string `json:"preOpenBegin"`
	Href         string `json:"href"`
	ServiceType  string `json:"serviceType"`
	MaintType    string `json:"maintType"`
	Env          string `json:"env"`
}

func parseStatus(body []byte) ([]statusEvent, error) {
	var v []statusEvent
	if err := decodeData(body, &v); err != nil {
		return nil, err
	}
	for _, ev := range v {
		switch ev.State {
		case "scheduled", "ongoing", "pre_open", "completed", "canceled":
		default:
			return nil, errors.New("an event with an unknown state")
		}
		for _, ms := range []string{ev.Begin, ev.End, ev.PreOpenBegin} {
			if ms != "" && !isMillis(ms) {
				return nil, errors.New("an event time that is not in milliseconds")
			}
		}
	}
	return v, nil
}

func isMillis(s string) bool {
	n, err := strconv.ParseInt(s, 10, 64)
	return err == nil && n >= 0
}

// accountConfig is data[0] of GET /api/v5/account/config: the fields that
// describe the calling key and its account.
type accountConfig struct {
	Perm    string
	IP      string
	Label   string
	AcctLv  string
	UID     string
	MainUID string
}

func parseConfig(body []byte) (accountConfig, error) {
	var v []struct {
		Perm    *string `json:"perm"`
		IP      *string `json:"ip"`
		Label   string  `json:"label"`
		AcctLv  string  `json:"acctLv"`
		UID     string  `json:"uid"`
		MainUID string  `json:"mainUid"`
	}
	if err := decodeData(body, &v); err != nil {
		return accountConfig{}, err
	}
	if len(v) == 0 || v[0].Perm == nil || v[0].IP == nil {
		return accountConfig{}, errors.New("no perm or ip in the account configuration")
	}
	c := v[0]
	return accountConfig{Perm: *c.Perm, IP: *c.IP, Label: c.Label, AcctLv: c.AcctLv, UID: c.UID, MainUID: c.MainUID}, nil
}

// splitList splits OKX's comma-separated lists ("read_only,trade",
// "1.2.3.4,5.6.7.8"), dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// tradingBalance is data[0] of GET /api/v5/account/balance.
type tradingBalance struct {
	TotalEq string
	Assets  []exchanges.Asset
}

func parseBalance(body []byte) (tradingBalance, error) {
	var v []struct {
		TotalEq string `json:"totalEq"`
		Details []struct {
			Ccy      string `json:"ccy"`
			Eq       string `json:"eq"`
			CashBal  string `json:"cashBal"`
			AvailBal string `json:"availBal"`
		} `json:"details"`
	}
	if err := decodeData(body, &v); err != nil {
		return tradingBalance{}, err
	}
	var b tradingBalance
	if len(v) == 0 {
		return b, nil
	}
	if v[0].TotalEq != "" && !exchanges.IsDecimal(v[0].TotalEq) {
		return tradingBalance{}, errors.New("totalEq is not a decimal")
	}
	b.TotalEq = v[0].TotalEq
	for _, d := range v[0].Details {
		total := d.Eq
		if !exchanges.IsDecimal(total) {
			total = d.CashBal
		}
		if d.Ccy == "" || !exchanges.IsDecimal(total) {
			return tradingBalance{}, errors.New("a balance without currency or with a non-decimal amount")
		}
		free := d.AvailBal
		if !exchanges.IsDecimal(free) {
			free = ""
		}
		if exchanges.IsZeroDecimal(total) {
			continue
		}
		b.Assets = append(b.Assets, exchanges.Asset{Asset: d.Ccy, Free: free, Total: exchanges.AddDecimals(total), Account: "trading"})
	}
	return b, nil
}

// parseFunding reads GET /api/v5/asset/balances (the Funding account).
func parseFunding(body []byte) ([]exchanges.Asset, error) {
	var v []struct {
		Ccy      string `json:"ccy"`
		Bal      string `json:"bal"`
		AvailBal string `json:"availBal"`
	}
	if err := decodeData(body, &v); err != nil {
		return nil, err
	}
	var out []exchanges.Asset
	for _, d := range v {
		if d.Ccy == "" || !exchanges.IsDecimal(d.Bal) {
			return nil, errors.New("a funding balance without currency or with a non-decimal amount")
		}
		if exchanges.IsZeroDecimal(d.Bal) {
			continue
		}
		free := d.AvailBal
		if !exchanges.IsDecimal(free) {
			free = ""
		}
		out = append(out, exchanges.Asset{Asset: d.Ccy, Free: free, Total: exchanges.AddDecimals(d.Bal), Account: "funding"})
	}
	return out, nil
}
