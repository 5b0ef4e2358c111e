package kraken

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/keywarden/keywarden/exchanges"
)

// permNames are Kraken's API key permissions (GetApiKeyInfo values) with
// the names its key settings page shows.
var permNames = map[string]string{
	"query-funds":         "Query Funds",
	"add-funds":           "Deposit Funds",
	"withdraw-funds":      "Withdraw Funds",
	"earn-funds":          "Earn Funds",
	"query-open-trades":   "Query Open Orders & Trades",
	"query-closed-trades": "Query Closed Orders & Trades",
	"modify-trades":       "Create & Modify Orders",
	"close-trades":        "Cancel/Close Orders",
	"query-ledger":        "Query Ledger Entries",
	"export-data":         "Export Data",
	"create-ws-token":     "WebSocket interface",
}

func permName(p string) string {
	if n, ok := permNames[p]; ok {
		return n
	}
	return p
}

// KeyInfo reads POST /0/private/GetApiKeyInfo, which needs no permission
// and lists the key's permissions, IP allowlist, creation and expiry.
// Where Kraken does not offer it (an older deployment answering
// EGeneral:Unknown method), the facts are inferred from read-only probes.
func (c *client) KeyInfo(ctx context.Context, creds exchanges.Credentials) (exchanges.KeyInfo, error) {
	info, err := c.apiKeyInfo(ctx, creds)
	switch {
	case err == nil:
		return keyInfoFrom(info, c.cfg.Trades(exchanges.Margin)), nil
	case errors.Is(err, exchanges.ErrUnsupported):
		return c.probeKeyInfo(ctx, creds)
	case isKraken(err, errPermission):
		// UNCONFIRMED: Kraken's own string for an IP refusal is not
		// documented; Permission denied on a method that needs no
		// permission can only be a refusal of the key itself.
		return exchanges.KeyInfo{}, ipRefused(err, "GetApiKeyInfo needs no permission, so Kraken refused the key itself: this IP is not on the key's IP allowlist")
	}
	return exchanges.KeyInfo{}, err
}

func (c *client) apiKeyInfo(ctx context.Context, creds exchanges.Credentials) (apiKeyInfo, error) {
	const op = "read api key info"
	resp, err := c.private(ctx, op, creds, "GetApiKeyInfo")
	if err != nil {
		return apiKeyInfo{}, err
	}
	info, err := parseAPIKeyInfo(resp.Body)
	if err != nil {
		return apiKeyInfo{}, exchanges.Malformed(op, err)
	}
	return info, nil
}

// keyInfoFrom turns GetApiKeyInfo's answer into facts. Trading needs
// Create & Modify Orders and Cancel/Close Orders; margin trading uses the
// same permissions (the account's margin eligibility is not a key fact,
// which the evidence says when the profile trades margin).
func keyInfoFrom(k apiKeyInfo, margin bool) exchanges.KeyInfo {
	trade := exchanges.FlagOf(k.has("modify-trades") && k.has("close-trades"))
	ki := exchanges.KeyInfo{
		Read:     exchanges.FlagOf(k.has("query-funds")),
		Trade:    map[exchanges.Market]exchanges.Flag{exchanges.Spot: trade, exchanges.Margin: trade},
		Withdraw: exchanges.FlagOf(k.has("withdraw-funds")),
		Created:  k.Created,
		Label:    k.Name,
	}
	if k.IPListKnown {
		ki.IPRestricted = exchanges.FlagOf(len(k.IPs) > 0)
		ki.IPs, ki.IPListKnown = k.IPs, true
	}
	if k.ExpiryKnown {
		ki.ExpiryKnown, ki.Expires = true, k.ValidUntil
	}
	var on []string
	for _, p := range k.Permissions {
		on = append(on, permName(p))
	}
	if len(on) == 0 {
		on = []string{"none"}
	}
	ki.Evidence = append(ki.Evidence, "Kraken lists the key's permissions: "+strings.Join(on, ", "))
	var missing []string
	for _, p := range []string{"modify-trades", "close-trades", "query-open-trades"} {
		if !k.has(p) {
			missing = append(missing, permName(p))
		}
	}
	if len(missing) > 0 {
		ki.Evidence = append(ki.Evidence, "off: "+strings.Join(missing, ", ")+" (a trading bot needs Create & Modify Orders, Cancel/Close Orders and Query Open Orders & Trades)")
	}
	if margin {
		ki.Evidence = append(ki.Evidence, "margin trading uses the same Create & Modify Orders permission; the account must also be eligible for margin, which the key does not show")
	}
	if k.NonceWindow > 0 {
		ki.Evidence = append(ki.Evidence, fmt.Sprintf("nonce window %d", k.NonceWindow))
	}
	return ki
}

// probeKeyInfo infers what it can from read-only requests, for Kraken
// deployments without GetApiKeyInfo. It never calls an order, cancel,
// withdrawal or transfer method: trading permission therefore stays
// unknown (only an order request could show it).
//
//   - Balance answers only with Query Funds;
//   - OpenOrders answers only with Query Open Orders & Trades;
//   - WithdrawAddresses answers only with Query Funds and Withdraw Funds,
//     so its success proves withdrawals are on;
//   - ClosedOrders is asked only when all the above were refused, to tell a
//     key without any query permission from a refused IP.
func (c *client) probeKeyInfo(ctx context.Context, creds exchanges.Credentials) (exchanges.KeyInfo, error) {
	ki := exchanges.KeyInfo{Trade: map[exchanges.Market]exchanges.Flag{}}
	probe := func(method string) (bool, error) {
		resp, err := c.private(ctx, "probe "+method, creds, method)
		if isKraken(err, errPermission) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if err := parseAny(resp.Body); err != nil {
			return false, exchanges.Malformed("probe "+method, err)
		}
		return true, nil
	}
	funds, err := probe("Balance")
	if err != nil {
		return ki, err
	}
	open, err := probe("OpenOrders")
	if err != nil {
		return ki, err
	}
	withdraw, err := probe("WithdrawAddresses")
	if err != nil {
		return ki, err
	}
	if !funds && !open && !withdraw {
		closed, err := probe("ClosedOrders")
		if err != nil {
			return ki, err
		}
		if !closed {
			return ki, &exchanges.Error{Class: exchanges.ErrIPNotAllowed, Op: "probe key", Message: errPermission, Cause: allRefused}
		}
	}
	const how = "this Kraken deployment has no GetApiKeyInfo; "
	ki.Read = exchanges.FlagOf(funds)
	ki.Evidence = append(ki.Evidence, how+"read inferred: Balance was "+answered(funds)+", OpenOrders was "+answered(open))
	switch {
	case withdraw:
		ki.Withdraw = exchanges.Yes
		ki.Evidence = append(ki.Evidence, "withdrawals inferred: WithdrawAddresses answered, which needs Withdraw Funds")
	case funds:
		ki.Withdraw = exchanges.No
		ki.Evidence = append(ki.Evidence, "withdrawals inferred: WithdrawAddresses was refused although Query Funds is on, so Withdraw Funds is off")
	default:
		ki.Evidence = append(ki.Evidence, "withdrawals unknown: WithdrawAddresses needs Query Funds too, which is off")
	}
	for _, m := range []exchanges.Market{exchanges.Spot, exchanges.Margin} {
		ki.Trade[m] = exchanges.Unknown
	}
	ki.Evidence = append(ki.Evidence, "trading unknown: only an order request could show Create & Modify Orders, and keywarden never sends one")
	return ki, nil
}

func answered(ok bool) string {
	if ok {
		return "answered"
	}
	return "refused"
}

// allRefused explains a key refused every read-only method of a Kraken
// deployment without GetApiKeyInfo. A key without any query permission
// would be refused the same way, but cannot run a bot either; an IP outside
// the allowlist is the likelier cause, and its fix is named first.
const allRefused = "Kraken refused every read-only request (Balance, OpenOrders, ClosedOrders) with Permission denied: this IP is not on the key's IP allowlist, or the key has no query permission at all"

// narrowPermission explains EGeneral:Permission denied on a method that
// needs permission perm. Kraken uses the same answer, UNCONFIRMED, for a
// request from an IP outside the key's allowlist; GetApiKeyInfo, which
// needs no permission, tells the two apart.
func (c *client) narrowPermission(ctx context.Context, creds exchanges.Credentials, orig error, perm, name string) error {
	e, _ := exchanges.AsError(orig)
	out := *e
	info, err := c.apiKeyInfo(ctx, creds)
	switch {
	case err == nil && !info.has(perm):
		out.Cause = "the key lacks " + name + " (GetApiKeyInfo lists its permissions)"
	case err == nil:
		out.Cause = "Kraken refused it although the key lists " + name
	case isKraken(err, errPermission):
		return ipRefused(orig, "GetApiKeyInfo, which needs no permission, was refused too: this IP is not on the key's IP allowlist")
	case errors.Is(err, exchanges.ErrUnsupported):
		// No GetApiKeyInfo here: another read-only method that answers
		// proves the key and this IP are accepted.
		for _, m := range []string{"OpenOrders", "ClosedOrders"} {
			ok, perr := c.answers(ctx, creds, m)
			if perr != nil {
				out.Cause = "the key lacks " + name + ", or this IP is not on the key's IP allowlist (Kraken answers both the same way)"
				return &out
			}
			if ok {
				out.Cause = "the key lacks " + name + " (" + m + " answered, so the key and this IP are accepted)"
				return &out
			}
		}
		return ipRefused(orig, allRefused)
	default:
		out.Cause = "the key lacks " + name
	}
	return &out
}

// answers reports whether a read-only method is allowed for the key.
func (c *client) answers(ctx context.Context, creds exchanges.Credentials, method string) (bool, error) {
	_, err := c.private(ctx, "probe "+method, creds, method)
	if isKraken(err, errPermission) {
		return false, nil
	}
	return err == nil, err
}

// ipRefused reclassifies a Permission denied answer as an IP refusal.
func ipRefused(orig error, cause string) error {
	e, ok := exchanges.AsError(orig)
	if !ok {
		return orig
	}
	out := *e
	out.Class, out.Cause = exchanges.ErrIPNotAllowed, cause
	return &out
}
