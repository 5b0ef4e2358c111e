package bitget

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// demoHeader marks a request for demo trading: Bitget serves live and demo
// on one host and tells them apart by this header.
const demoHeader = "paptrading"

// futuresProduct is the USDT-M futures product type; in demo trading the
// same name is used, with the demo header.
const futuresProduct = "USDT-FUTURES"

type client struct {
	cfg  exchanges.Config
	base *url.URL
	demo bool
}

// New returns the Bitget adapter for cfg. Demo trading uses the live host
// with the paptrading header; a base URL override replaces the host.
func New(cfg exchanges.Config) exchanges.Exchange {
	base, err := exchanges.BaseURL(cfg, liveHost)
	if err != nil {
		base, _ = url.Parse(liveHost)
	}
	return &client{cfg: cfg, base: base, demo: cfg.Environment == exchanges.Demo}
}

func (c *client) Info() exchanges.Info { return Info() }

// ServerTime reads GET /api/v2/public/time.
func (c *client) ServerTime(ctx context.Context) (exchanges.TimeSample, error) {
	const op = "read server time"
	resp, err := c.get(ctx, op, "/api/v2/public/time", "", nil)
	if err != nil {
		return exchanges.TimeSample{}, err
	}
	ms, err := parseTime(resp.Body)
	if err != nil {
		return exchanges.TimeSample{}, exchanges.Malformed(op, err)
	}
	return exchanges.TimeSample{Server: time.UnixMilli(ms), Sent: resp.Sent, Recv: resp.Recv, Source: "GET /api/v2/public/time"}, nil
}

// Status: Bitget publishes no status endpoint. The public time endpoint
// shows whether the API answers; Bitget's upgrade answer (40200) there is
// maintenance. Anything else leaves the state unknown.
func (c *client) Status(ctx context.Context) (exchanges.Status, error) {
	const src = "GET /api/v2/public/time"
	_, err := c.get(ctx, "reach the API", "/api/v2/public/time", "", nil)
	if e, ok := exchanges.AsError(err); ok && e.Code == "40200" {
		return exchanges.Status{State: exchanges.StatusMaintenance, Message: e.Message, Source: src}, nil
	}
	if err != nil {
		return exchanges.Status{}, err
	}
	return exchanges.Status{State: exchanges.StatusUnknown, Source: src,
		Message: "Bitget publishes no status endpoint; its public API answered"}, nil
}

// KeyInfo reads GET /api/v2/spot/account/info: the key's authorities and IP
// whitelist.
func (c *client) KeyInfo(ctx context.Context, creds exchanges.Credentials) (exchanges.KeyInfo, error) {
	const op = "read account information"
	resp, err := c.get(ctx, op, "/api/v2/spot/account/info", "", &creds)
	if err != nil {
		return exchanges.KeyInfo{}, err
	}
	a, err := parseAccountInfo(resp.Body)
	if err != nil {
		return exchanges.KeyInfo{}, exchanges.Malformed(op, err)
	}
	return a.keyInfo(), nil
}

// Balance reads the spot account, and the USDT-M futures account when the
// profile trades futures.
func (c *client) Balance(ctx context.Context, creds exchanges.Credentials) (exchanges.Balance, error) {
	type result struct {
		assets []exchanges.Asset
		err    error
	}
	futCh := make(chan result, 1)
	futures := c.cfg.Trades(exchanges.Futures)
	if futures {
		go func() {
			const op = "read futures account"
			resp, err := c.get(ctx, op, "/api/v2/mix/account/accounts", "productType="+futuresProduct, &creds)
			if err != nil {
				futCh <- result{err: err}
				return
			}
			a, err := parseFuturesAccounts(resp.Body)
			if err != nil {
				err = exchanges.Malformed(op, err)
			}
			futCh <- result{assets: a, err: err}
		}()
	}
	const op = "read spot assets"
	resp, err := c.get(ctx, op, "/api/v2/spot/account/assets", "", &creds)
	if err != nil {
		return exchanges.Balance{}, err
	}
	assets, err := parseSpotAssets(resp.Body)
	if err != nil {
		return exchanges.Balance{}, exchanges.Malformed(op, err)
	}
	b := exchanges.Balance{Assets: assets, Accounts: []string{"spot"}}
	if futures {
		r := <-futCh
		if r.err != nil {
			b.Notes = append(b.Notes, "USDT-M futures account not read: "+r.err.Error())
		} else {
			b.Assets = append(b.Assets, r.assets...)
			b.Accounts = append(b.Accounts, "futures")
		}
	}
	if c.cfg.Trades(exchanges.Margin) {
		b.Notes = append(b.Notes, "the margin account is not read")
	}
	return b, nil
}

// get sends a GET, signed when creds is given.
func (c *client) get(ctx context.Context, op, path, query string, creds *exchanges.Credentials) (*exchanges.Response, error) {
	resp, err := c.send(ctx, op, path, query, creds)
	if e, ok := exchanges.AsError(err); ok && e.Class == exchanges.ErrWrongEnvironment {
		// Bitget's 40099 does not say which way round; the configuration does.
		e.Cause = "the key is a live Bitget key, not a demo trading one"
		if !c.demo {
			e.Cause = "the key is a demo trading key, not a live Bitget one"
		}
	}
	return resp, err
}

func (c *client) send(ctx context.Context, op, path, query string, creds *exchanges.Credentials) (*exchanges.Response, error) {
	return exchanges.Send(ctx, c.cfg, op, func() (*http.Request, error) {
		req, err := http.NewRequest(http.MethodGet, exchanges.JoinURL(c.base, path, query), nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", "application/json")
		req.Header.Set("locale", "en-US")
		if creds == nil {
			return req, nil
		}
		if c.demo {
			req.Header.Set(demoHeader, "1")
		}
		ts := strconv.FormatInt(c.cfg.Clock().UnixMilli(), 10)
		req.Header.Set("ACCESS-KEY", creds.Key)
		req.Header.Set("ACCESS-SIGN", Sign([]byte(creds.Secret.Reveal()), Prehash(ts, http.MethodGet, path, query, "")))
		req.Header.Set("ACCESS-TIMESTAMP", ts)
		req.Header.Set("ACCESS-PASSPHRASE", creds.Passphrase.Reveal())
		return req, nil
	}, check(op))
}
