package bitmex

import (
	"bytes"
	"encoding/json"
	"errors"
	"net"
	"regexp"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// The parsers below read BitMEX's answers. Each is fuzzed: outside bytes
// may be anything, and a parser must fail cleanly rather than panic or
// accept nonsense.

func decode(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return errors.New("not the JSON BitMEX sends")
	}
	return nil
}

// errorBody is BitMEX's error answer: {"error":{"message","name"}}.
type errorBody struct {
	Message string
	Name    string
}

func parseError(body []byte) (errorBody, bool) {
	var v struct {
		Error *struct {
			Message *string `json:"message"`
			Name    string  `json:"name"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &v) != nil || v.Error == nil || v.Error.Message == nil {
		return errorBody{}, false
	}
	return errorBody{Message: *v.Error.Message, Name: v.Error.Name}, true
}

// announcement is one urgent (banner) announcement.
type announcement struct {
	Title   string `json:"title"`
	Content string `json:"content"`
}

func parseAnnouncements(body []byte) ([]announcement, error) {
	var v []announcement
	if !bytes.HasPrefix(bytes.TrimSpace(body), []byte("[")) {
		return nil, errors.New("not a list of announcements")
	}
	if err := decode(body, &v); err != nil {
		return nil, err
	}
	if v == nil {
		v = []announcement{}
	}
	return v, nil
}

// apiKey is one entry of GET /api/v1/apiKey as far as keywarden reads it.
// BitMEX's schema also has the key's secret: this struct has no field for
// it, so it is never kept.
type apiKey struct {
	ID          string            `json:"id"`
	Name        string            `json:"name"`
	CIDR        string            `json:"cidr"`
	CIDRs       []string          `json:"cidrs"`
	Permissions []json.RawMessage `json:"permissions"`
	Enabled     *bool             `json:"enabled"`
	Created     string            `json:"created"`
}

// key is an apiKey, checked.
type key struct {
	Name        string
	Permissions []string
	PermsKnown  bool     // every permission was a plain name
	IPs         []string // the IPs and CIDR blocks it is restricted to; none: any IP
	Created     time.Time
	Disabled    bool
}

func parseKeys(body []byte, id string) (key, bool, error) {
	var keys []apiKey
	if !bytes.HasPrefix(bytes.TrimSpace(body), []byte("[")) {
		return key{}, false, errors.New("not a list of API keys")
	}
	if err := decode(body, &keys); err != nil {
		return key{}, false, err
	}
	for _, k := range keys {
		if k.ID == "" {
			return key{}, false, errors.New("an API key without id")
		}
		if k.ID != id {
			continue
		}
		out := key{Name: k.Name, PermsKnown: true, Disabled: k.Enabled != nil && !*k.Enabled}
		for _, raw := range k.Permissions {
			var p string
			if json.Unmarshal(raw, &p) != nil {
				out.PermsKnown = false
				continue
			}
			out.Permissions = append(out.Permissions, p)
		}
		cidrs := k.CIDRs
		if len(cidrs) == 0 && k.CIDR != "" {
			cidrs = []string{k.CIDR}
		}
		for _, c := range cidrs {
			if c = strings.TrimSpace(c); !allIPs(c) {
				out.IPs = append(out.IPs, c)
			}
		}
		if k.Created != "" {
			t, err := time.Parse(time.RFC3339Nano, k.Created)
			if err != nil {
				return key{}, false, errors.New("a created date that is not RFC 3339")
			}
			out.Created = t
		}
		return out, true, nil
	}
	return key{}, false, nil
}

// allIPs reports whether a CIDR entry allows every address: BitMEX
// documents blank or 0.0.0.0/0 for "all IPs", and older keys show 0.0.0.0.
func allIPs(c string) bool {
	switch c {
	case "", "0.0.0.0", "0.0.0.0/0", "::/0", "::":
		return true
	}
	if _, n, err := net.ParseCIDR(c); err == nil {
		ones, _ := n.Mask.Size()
		return ones == 0
	}
	return false
}

// margin is one currency of GET /api/v1/user/margin, in BitMEX's integer
// units (XBt = satoshi, USDt = millionths of a USDT, Gwei).
type margin struct {
	Currency        string
	WalletBalance   string // integer
	AvailableMargin string // integer, "" if not sent
}

var integerRE = regexp.MustCompile(`^-?[0-9]{1,30}$`)

func parseMargins(body []byte) ([]margin, error) {
	type raw struct {
		Currency        string      `json:"currency"`
		WalletBalance   json.Number `json:"walletBalance"`
		AvailableMargin json.Number `json:"availableMargin"`
	}
	var list []raw
	trimmed := bytes.TrimSpace(body)
	switch {
	case bytes.HasPrefix(trimmed, []byte("[")):
		if err := decode(body, &list); err != nil {
			return nil, err
		}
	case bytes.HasPrefix(trimmed, []byte("{")):
		var one raw
		if err := decode(body, &one); err != nil {
			return nil, err
		}
		list = []raw{one}
	default:
		return nil, errors.New("not the margin BitMEX sends")
	}
	out := make([]margin, 0, len(list))
	for _, r := range list {
		if r.Currency == "" || !integerRE.MatchString(r.WalletBalance.String()) {
			return nil, errors.New("a margin without currency or integer walletBalance")
		}
		m := margin{Currency: r.Currency, WalletBalance: r.WalletBalance.String()}
		if r.AvailableMargin != "" {
			if !integerRE.MatchString(r.AvailableMargin.String()) {
				return nil, errors.New("a non-integer availableMargin")
			}
			m.AvailableMargin = r.AvailableMargin.String()
		}
		out = append(out, m)
	}
	return out, nil
}

// unit is how a BitMEX currency converts to the asset people know.
type unit struct {
	Asset string // "XBT"
	Scale int    // 8: the amount is in 1e-8 of the asset
}

// knownUnits are BitMEX's documented units; others come from
// GET /api/v1/wallet/assets.
var knownUnits = map[string]unit{
	"XBt":  {"XBT", 8},
	"USDt": {"USDT", 6},
	"Gwei": {"ETH", 9},
}

// parseAssets reads GET /api/v1/wallet/assets: each currency's asset and
// scale.
func parseAssets(body []byte) (map[string]unit, error) {
	var v []struct {
		Asset    string      `json:"asset"`
		Currency string      `json:"currency"`
		Major    string      `json:"majorCurrency"`
		Scale    json.Number `json:"scale"`
	}
	if !bytes.HasPrefix(bytes.TrimSpace(body), []byte("[")) {
		return nil, errors.New("not a list of assets")
	}
	if err := decode(body, &v); err != nil {
		return nil, err
	}
	out := map[string]unit{}
	for _, a := range v {
		n, err := a.Scale.Int64()
		if a.Currency == "" || err != nil || n < 0 || n > 18 {
			continue
		}
		name := a.Major
		if name == "" {
			name = a.Asset
		}
		if name == "" {
			continue
		}
		out[a.Currency] = unit{Asset: strings.ToUpper(name), Scale: int(n)}
	}
	return out, nil
}

// scaleInt turns an integer amount of 10^-scale units into a decimal
// string, by moving the decimal point: no float is involved.
func scaleInt(s string, scale int) (string, bool) {
	if !integerRE.MatchString(s) || scale < 0 || scale > 18 {
		return "", false
	}
	neg := strings.HasPrefix(s, "-")
	digits := strings.TrimLeft(strings.TrimPrefix(s, "-"), "0")
	if len(digits) <= scale {
		digits = strings.Repeat("0", scale-len(digits)+1) + digits
	}
	out := digits
	if scale > 0 {
		out = digits[:len(digits)-scale] + "." + digits[len(digits)-scale:]
		out = strings.TrimRight(strings.TrimRight(out, "0"), ".")
	}
	if neg && out != "0" {
		out = "-" + out
	}
	return out, exchanges.IsDecimal(out)
}
