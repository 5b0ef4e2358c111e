package coinbase

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/keywarden/keywarden/exchanges"
)

// liveBase is the Advanced Trade API host.
const liveBase = "https://api.coinbase.com"

// Paging of GET /accounts: Coinbase's maximum page, and a bound on pages
// so that a misbehaving cursor cannot loop forever.
const (
	pageLimit = 250
	maxPages  = 20
)

// The endpoints, all read-only.
const (
	pathTime        = "/api/v3/brokerage/time"
	pathPermissions = "/api/v3/brokerage/key_permissions"
	pathAccounts    = "/api/v3/brokerage/accounts"
	pathFutures     = "/api/v3/brokerage/cfm/balance_summary"
)

type client struct {
	cfg  exchanges.Config
	base *url.URL
	// statusURL is status.coinbase.com's summary, read only for the real
	// API host; empty with a base URL override.
	statusURL string
}

// New returns the Coinbase Advanced Trade adapter for cfg. With a base URL
// override every path goes to that host, and the JWT's uri names it.
func New(cfg exchanges.Config) exchanges.Exchange {
	c := &client{cfg: cfg}
	if cfg.BaseURL != nil {
		c.base = cfg.BaseURL
		return c
	}
	c.base, _ = url.Parse(liveBase)
	c.statusURL = statusPageURL
	return c
}

func (c *client) Info() exchanges.Info { return Info() }

// ServerTime reads GET /api/v3/brokerage/time, bypassing the 1 s cache of
// public endpoints.
func (c *client) ServerTime(ctx context.Context) (exchanges.TimeSample, error) {
	const op = "read server time"
	resp, err := c.public(ctx, op, pathTime)
	if err != nil {
		return exchanges.TimeSample{}, err
	}
	t, res, err := parseTime(resp.Body)
	if err != nil {
		return exchanges.TimeSample{}, exchanges.Malformed(op, err)
	}
	return exchanges.TimeSample{Server: t, Sent: resp.Sent, Recv: resp.Recv, Resolution: res, Source: "GET " + pathTime}, nil
}

// Status reads status.coinbase.com (see status.go). When that page cannot
// be read, or with a base URL override, the API host is probed instead and
// the state is unknown: it is never reported normal unread.
func (c *client) Status(ctx context.Context) (exchanges.Status, error) {
	note := "Coinbase Advanced Trade has no status endpoint, and status.coinbase.com describes api.coinbase.com, not this base URL"
	if c.statusURL != "" {
		st, err := c.statusPage(ctx)
		if err == nil {
			return st, nil
		}
		note = "status.coinbase.com could not be read (" + errText(err) + ")"
	}
	if _, err := c.public(ctx, "probe api host", pathTime); err != nil {
		return exchanges.Status{}, err
	}
	return exchanges.Status{State: exchanges.StatusUnknown, Source: "GET " + pathTime,
		Message: note + "; the API host answered"}, nil
}

func (c *client) statusPage(ctx context.Context) (exchanges.Status, error) {
	const op = "read status.coinbase.com"
	resp, err := exchanges.Send(ctx, c.cfg, op, func() (*http.Request, error) {
		req, err := http.NewRequest(http.MethodGet, c.statusURL, nil)
		if err == nil {
			req.Header.Set("Accept", "application/json")
		}
		return req, err
	}, func(r *exchanges.Response) error {
		if r.Status >= 200 && r.Status < 300 {
			return nil
		}
		return &exchanges.Error{Class: exchanges.HTTPClass(r.Status), Op: op, HTTPStatus: r.Status}
	})
	if err != nil {
		return exchanges.Status{}, err
	}
	s, err := parseStatusSummary(resp.Body)
	if err != nil {
		return exchanges.Status{}, exchanges.Malformed(op, err)
	}
	return s.state(), nil
}

// KeyInfo reads GET /api/v3/brokerage/key_permissions.
func (c *client) KeyInfo(ctx context.Context, creds exchanges.Credentials) (exchanges.KeyInfo, error) {
	const op = "read key permissions"
	resp, err := c.signed(ctx, op, creds, pathPermissions, nil)
	if err != nil {
		return exchanges.KeyInfo{}, err
	}
	p, err := parsePermissions(resp.Body)
	if err != nil {
		return exchanges.KeyInfo{}, exchanges.Malformed(op, err)
	}
	return p.keyInfo(), nil
}

// Balance reads every account of the key's portfolio (paged), and the US
// futures balance summary when the profile trades futures.
func (c *client) Balance(ctx context.Context, creds exchanges.Credentials) (exchanges.Balance, error) {
	type result struct {
		asset *exchanges.Asset
		err   error
	}
	futCh := make(chan result, 1)
	if c.cfg.Trades(exchanges.Futures) {
		go func() {
			a, err := c.futures(ctx, creds)
			futCh <- result{a, err}
		}()
	}
	b := exchanges.Balance{Accounts: []string{"spot"}}
	cursor := ""
	for page := 0; ; page++ {
		if page == maxPages {
			b.Notes = append(b.Notes, fmt.Sprintf("only the first %d accounts were read", maxPages*pageLimit))
			break
		}
		q := url.Values{"limit": {fmt.Sprint(pageLimit)}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		resp, err := c.signed(ctx, "read accounts", creds, pathAccounts, q)
		if err != nil {
			return exchanges.Balance{}, err
		}
		p, err := parseAccounts(resp.Body)
		if err != nil {
			return exchanges.Balance{}, exchanges.Malformed("read accounts", err)
		}
		b.Assets = append(b.Assets, p.assets()...)
		if !p.HasNext || p.Cursor == cursor {
			break
		}
		cursor = p.Cursor
	}
	if c.cfg.Trades(exchanges.Futures) {
		r := <-futCh
		switch {
		case r.err != nil:
			b.Notes = append(b.Notes, "futures balance not read: "+errText(r.err))
		default:
			b.Accounts = append(b.Accounts, "futures")
			if r.asset != nil {
				b.Assets = append(b.Assets, *r.asset)
			}
		}
	}
	return b, nil
}

func (c *client) futures(ctx context.Context, creds exchanges.Credentials) (*exchanges.Asset, error) {
	const op = "read futures balance"
	resp, err := c.signed(ctx, op, creds, pathFutures, nil)
	if err != nil {
		return nil, err
	}
	f, err := parseFuturesSummary(resp.Body)
	if err != nil {
		return nil, exchanges.Malformed(op, err)
	}
	if exchanges.IsZeroDecimal(f.CFMUSD.Value) {
		return nil, nil
	}
	free := f.BuyingPower
	if free == "" {
		free = f.CFMUSD.Value
	}
	return &exchanges.Asset{Asset: f.CFMUSD.Currency, Free: free, Total: f.CFMUSD.Value, Account: "futures"}, nil
}

func (c *client) public(ctx context.Context, op, path string) (*exchanges.Response, error) {
	return exchanges.Send(ctx, c.cfg, op, func() (*http.Request, error) {
		req, err := http.NewRequest(http.MethodGet, exchanges.JoinURL(c.base, path, ""), nil)
		if err == nil {
			req.Header.Set("Accept", "application/json")
			req.Header.Set("Cache-Control", "no-cache")
		}
		return req, err
	}, check(op))
}

// signed sends a GET with a fresh JWT. A bare 401 is narrowed down.
func (c *client) signed(ctx context.Context, op string, creds exchanges.Credentials, path string, q url.Values) (*exchanges.Response, error) {
	s, err := NewSigner(creds.Key, creds.Secret)
	if err != nil {
		return nil, &exchanges.Error{Class: exchanges.ErrBadSignature, Op: op, Cause: err.Error()}
	}
	resp, err := exchanges.Send(ctx, c.cfg, op, func() (*http.Request, error) {
		u := exchanges.JoinURL(c.base, path, q.Encode())
		req, err := http.NewRequest(http.MethodGet, u, nil)
		if err != nil {
			return nil, err
		}
		tok, err := s.Token(http.MethodGet, req.URL.Host, req.URL.Path, c.cfg.Clock())
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Accept", "application/json")
		return req, nil
	}, check(op))
	if e, ok := exchanges.AsError(err); ok && e.HTTPStatus == http.StatusUnauthorized && errors.Is(e, exchanges.ErrBadKey) && e.Cause == "" {
		return resp, c.narrow(ctx, s, e)
	}
	return resp, err
}

// errText is an error for a note: the exchange's words when it has them.
func errText(err error) string {
	if e, ok := exchanges.AsError(err); ok {
		if d := e.Detail(); d != "" {
			if e.Cause != "" {
				return d + " — " + e.Cause
			}
			return d
		}
	}
	return err.Error()
}
