package bitmex

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// expiresLead is how far in the future keywarden sets api-expires: the
// 5 s that BitMEX's reference market maker and ccxt use, so the clock is
// judged as strictly as the bots are.
const expiresLead = 5 * time.Second

type client struct {
	cfg  exchanges.Config
	base *url.URL
}

// New returns the BitMEX adapter for cfg. With a base URL override, every
// path goes to that host.
func New(cfg exchanges.Config) exchanges.Exchange {
	c := &client{cfg: cfg, base: cfg.BaseURL}
	if c.base == nil {
		c.base, _ = url.Parse(hostOf(cfg.Environment))
	}
	return c
}

func hostOf(env exchanges.Environment) string {
	if env == exchanges.Testnet {
		return testHost
	}
	return liveHost
}

func (c *client) Info() exchanges.Info { return Info() }

func (c *client) envName() string {
	if e, ok := Info().Env(c.cfg.Environment); ok {
		return e.Name
	}
	return "BitMEX"
}

const urgentPath = "/api/v1/announcement/urgent"

// ServerTime reads BitMEX's clock from the HTTP Date header of a small
// public answer: BitMEX has no time endpoint. Date has whole seconds, so
// Server is the middle of that second and Resolution one second. A
// refusal in BitMEX's JSON (401/403) still carries BitMEX's Date.
func (c *client) ServerTime(ctx context.Context) (exchanges.TimeSample, error) {
	const op = "read server time"
	resp, err := exchanges.Send(ctx, c.cfg, op, c.get(urgentPath, ""), func(r *exchanges.Response) error {
		if _, ok := parseError(r.Body); ok && (r.Status == http.StatusUnauthorized || r.Status == http.StatusForbidden) {
			return nil
		}
		if err := check(op, false)(r); err != nil {
			return err
		}
		if _, err := parseAnnouncements(r.Body); err != nil {
			return exchanges.Malformed(op, err)
		}
		return nil
	})
	if err != nil {
		return exchanges.TimeSample{}, err
	}
	date, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return exchanges.TimeSample{}, exchanges.Malformed(op, errors.New("no HTTP Date header"))
	}
	return exchanges.TimeSample{
		Server: date.Add(500 * time.Millisecond), Sent: resp.Sent, Recv: resp.Recv,
		Source: "HTTP Date header of GET " + urgentPath, Resolution: time.Second,
	}, nil
}

// Status: BitMEX has no status endpoint. The urgent (banner)
// announcements are read instead: one about maintenance is reported as
// announced; otherwise the state stays unknown, with what was verified.
// A 503 is BitMEX saying it is down or overloaded.
func (c *client) Status(ctx context.Context) (exchanges.Status, error) {
	const op = "read urgent announcements"
	resp, err := exchanges.Send(ctx, c.cfg, op, c.get(urgentPath, ""), check(op, false))
	src := "GET " + urgentPath
	if e, ok := exchanges.AsError(err); ok && e.HTTPStatus == http.StatusServiceUnavailable {
		st := exchanges.StatusMaintenance
		if strings.Contains(strings.ToLower(e.Message), "overload") {
			st = exchanges.StatusDegraded
		}
		msg := e.Message
		if msg == "" {
			msg = "HTTP 503"
		}
		return exchanges.Status{State: st, Message: msg, Source: src}, nil
	}
	if e, ok := exchanges.AsError(err); ok && e.Message != "" && (e.HTTPStatus == http.StatusUnauthorized || e.HTTPStatus == http.StatusForbidden) {
		return exchanges.Status{State: exchanges.StatusUnknown, Source: src,
			Message: "BitMEX publishes no status endpoint; its API answered, but would not show announcements without a key"}, nil
	}
	if err != nil {
		return exchanges.Status{}, err
	}
	list, err := parseAnnouncements(resp.Body)
	if err != nil {
		return exchanges.Status{}, exchanges.Malformed(op, err)
	}
	for _, a := range list {
		if text := strings.ToLower(a.Title + " " + a.Content); strings.Contains(text, "maintenance") {
			return exchanges.Status{State: exchanges.StatusAnnounced, Message: a.Title, Source: src}, nil
		}
	}
	return exchanges.Status{State: exchanges.StatusUnknown, Source: src,
		Message: "BitMEX publishes no status endpoint; its API answered and shows no urgent announcement"}, nil
}

// KeyInfo reads GET /api/v1/apiKey and picks the key's own entry: its
// permissions, CIDR restriction and creation date.
func (c *client) KeyInfo(ctx context.Context, creds exchanges.Credentials) (exchanges.KeyInfo, error) {
	const op = "read api keys"
	resp, err := c.signed(ctx, op, creds, "/api/v1/apiKey", "")
	if err != nil {
		return exchanges.KeyInfo{}, err
	}
	k, found, err := parseKeys(resp.Body, creds.Key)
	if err != nil {
		return exchanges.KeyInfo{}, exchanges.Malformed(op, err)
	}
	if !found {
		// A list without the caller's own key does not show what it may
		// do, nor that a BitMEX API answered: nothing is claimed.
		return exchanges.KeyInfo{Read: exchanges.Unknown, Evidence: []string{
			"read: /api/v1/apiKey answered the signed request",
			"the key's ID is not in the list /api/v1/apiKey returned, so its permissions are unknown",
		}}, nil
	}
	return k.keyInfo(), nil
}

func (k key) keyInfo() exchanges.KeyInfo {
	ki := exchanges.KeyInfo{
		// Every BitMEX key reads; the signed read just succeeded.
		Read:        exchanges.Yes,
		Label:       k.Name,
		IPListKnown: true,
		IPs:         k.IPs,
		Created:     k.Created,
		// BitMEX keys have no expiry date.
		ExpiryKnown: true,
	}
	if len(k.Permissions) == 0 {
		ki.Evidence = []string{"permissions from /api/v1/apiKey: none (the key only reads)"}
	} else {
		ki.Evidence = []string{"permissions from /api/v1/apiKey: " + strings.Join(k.Permissions, ", ")}
	}
	ki.IPRestricted = exchanges.FlagOf(len(k.IPs) > 0)
	if k.PermsKnown {
		has := func(p string) bool {
			for _, x := range k.Permissions {
				if strings.EqualFold(x, p) {
					return true
				}
			}
			return false
		}
		ki.Trade = map[exchanges.Market]exchanges.Flag{exchanges.Futures: exchanges.FlagOf(has("order"))}
		ki.Withdraw = exchanges.FlagOf(has("withdraw"))
		if has("orderCancel") && !has("order") {
			ki.Evidence = append(ki.Evidence, "orderCancel only cancels orders: it is not a trading permission")
		}
	} else {
		ki.Evidence = append(ki.Evidence, "a permission entry was not a plain name: trade and withdraw are unknown")
	}
	if k.Disabled {
		ki.Evidence = append(ki.Evidence, "/api/v1/apiKey shows the key as disabled")
	}
	return ki
}

// Balance reads GET /api/v1/user/margin?currency=all: the wallet balance
// and available margin of every currency, in BitMEX's integer units.
func (c *client) Balance(ctx context.Context, creds exchanges.Credentials) (exchanges.Balance, error) {
	const op = "read margin"
	resp, err := c.signed(ctx, op, creds, "/api/v1/user/margin", "currency=all")
	if err != nil {
		return exchanges.Balance{}, err
	}
	margins, err := parseMargins(resp.Body)
	if err != nil {
		return exchanges.Balance{}, exchanges.Malformed(op, err)
	}
	units := knownUnits
	for _, m := range margins {
		if _, ok := units[m.Currency]; !ok {
			units = c.assetUnits(ctx)
			break
		}
	}
	b := exchanges.Balance{Accounts: []string{"margin"}}
	for _, m := range margins {
		u, ok := units[m.Currency]
		if !ok {
			b.Notes = append(b.Notes, m.Currency+" left out: its unit is unknown")
			continue
		}
		total, ok1 := scaleInt(m.WalletBalance, u.Scale)
		free, ok2 := total, true
		if m.AvailableMargin != "" {
			free, ok2 = scaleInt(m.AvailableMargin, u.Scale)
		}
		if !ok1 || !ok2 {
			return exchanges.Balance{}, exchanges.Malformed(op, errors.New("an amount out of range"))
		}
		if exchanges.IsZeroDecimal(total) {
			continue
		}
		b.Assets = append(b.Assets, exchanges.Asset{Asset: u.Asset, Free: free, Total: total, Account: "margin"})
	}
	return b, nil
}

// assetUnits adds the scales of GET /api/v1/wallet/assets to the known
// units; on any failure the known units alone are used.
func (c *client) assetUnits(ctx context.Context) map[string]unit {
	out := map[string]unit{}
	for k, v := range knownUnits {
		out[k] = v
	}
	const op = "read wallet assets"
	resp, err := exchanges.Send(ctx, c.cfg, op, c.get("/api/v1/wallet/assets", ""), check(op, false))
	if err != nil {
		return out
	}
	more, err := parseAssets(resp.Body)
	if err != nil {
		return out
	}
	for k, v := range more {
		if _, ok := out[k]; !ok {
			out[k] = v
		}
	}
	return out
}

func (c *client) get(path, rawQuery string) func() (*http.Request, error) {
	return func() (*http.Request, error) {
		req, err := http.NewRequest(http.MethodGet, exchanges.JoinURL(c.base, path, rawQuery), nil)
		if err == nil {
			req.Header.Set("Accept", "application/json")
		}
		return req, err
	}
}

// signed sends a signed GET. An "Invalid API Key." is narrowed down to a
// key of the other environment where that can be checked.
func (c *client) signed(ctx context.Context, op string, creds exchanges.Credentials, path, rawQuery string) (*exchanges.Response, error) {
	resp, err := c.signedOn(ctx, op, c.base, creds, path, rawQuery)
	if e, ok := exchanges.AsError(err); ok && errors.Is(err, exchanges.ErrBadKey) && e.Cause == "" {
		return resp, c.narrow(ctx, creds, e)
	}
	return resp, err
}

func (c *client) signedOn(ctx context.Context, op string, base *url.URL, creds exchanges.Credentials, path, rawQuery string) (*exchanges.Response, error) {
	secret := []byte(creds.Secret.Reveal())
	signedPath := path
	if rawQuery != "" {
		signedPath += "?" + rawQuery
	}
	return exchanges.Send(ctx, c.cfg, op, func() (*http.Request, error) {
		req, err := http.NewRequest(http.MethodGet, exchanges.JoinURL(base, path, rawQuery), nil)
		if err != nil {
			return nil, err
		}
		expires := c.cfg.Clock().Add(expiresLead).Unix()
		req.Header.Set("Accept", "application/json")
		req.Header.Set("api-expires", strconv.FormatInt(expires, 10))
		req.Header.Set("api-key", creds.Key)
		req.Header.Set("api-signature", Sign(secret, http.MethodGet, signedPath, expires, ""))
		return req, nil
	}, check(op, true))
}

// narrow looks for the key on BitMEX's other environment (only without a
// base URL override): an answer other than "Invalid API Key." there means
// the key belongs to it.
func (c *client) narrow(ctx context.Context, creds exchanges.Credentials, orig *exchanges.Error) error {
	e := *orig
	if c.cfg.BaseURL == nil {
		for _, env := range Info().Environments {
			if env.ID == c.cfg.Environment || (c.cfg.Environment == "" && env.ID == exchanges.Live) {
				continue
			}
			u, _ := url.Parse(env.BaseURL)
			_, err := c.signedOn(ctx, "probe "+env.Name, u, creds, "/api/v1/apiKey", "")
			e2, _ := exchanges.AsError(err)
			if err == nil || (e2 != nil && !errors.Is(err, exchanges.ErrBadKey) && !errors.Is(err, exchanges.ErrUnavailable) && !errors.Is(err, exchanges.ErrRateLimited)) {
				e.Class = exchanges.ErrWrongEnvironment
				e.Cause = "the key ID is known on BitMEX " + env.Name + ", not on " + c.envName()
				return &e
			}
		}
	}
	e.Cause = "BitMEX does not know this key ID on " + c.envName() + ": it was deleted, mistyped, or made on the other environment"
	return &e
}
