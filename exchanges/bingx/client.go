package bingx

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// recvWindow is sent with every signed request: BingX's default.
const recvWindow = 5 * time.Second

// restrictionsGrace is how long KeyInfo waits for the key's creation time
// once its permissions are in.
const restrictionsGrace = 2 * time.Second

type client struct {
	cfg  exchanges.Config
	env  exchanges.Environment
	base *url.URL
}

// New returns the BingX adapter for cfg. With a base URL override every
// path goes to that host.
func New(cfg exchanges.Config) exchanges.Exchange {
	c := &client{cfg: cfg, env: cfg.Environment}
	if c.env == "" {
		c.env = exchanges.Live
	}
	if cfg.BaseURL != nil {
		c.base = cfg.BaseURL
		return c
	}
	host := liveHost
	if c.env == exchanges.Demo {
		host = demoHost
	}
	c.base, _ = url.Parse(host)
	return c
}

func (c *client) Info() exchanges.Info { return Info() }

// ServerTime reads GET /openApi/swap/v2/server/time.
func (c *client) ServerTime(ctx context.Context) (exchanges.TimeSample, error) {
	const op = "read server time"
	resp, err := c.public(ctx, op, "/openApi/swap/v2/server/time")
	if err != nil {
		return exchanges.TimeSample{}, err
	}
	t, err := parseTime(resp.Body)
	if err != nil {
		return exchanges.TimeSample{}, exchanges.Malformed(op, err)
	}
	return exchanges.TimeSample{Server: t, Sent: resp.Sent, Recv: resp.Recv, Source: "GET /openApi/swap/v2/server/time"}, nil
}

// Status: BingX publishes no system-status endpoint. The server time
// endpoint shows the API answers; the state stays unknown.
func (c *client) Status(ctx context.Context) (exchanges.Status, error) {
	if _, err := c.public(ctx, "ping", "/openApi/swap/v2/server/time"); err != nil {
		return exchanges.Status{}, err
	}
	return exchanges.Status{State: exchanges.StatusUnknown, Source: "GET /openApi/swap/v2/server/time",
		Message: "BingX publishes no system status endpoint; its API answered"}, nil
}

// KeyInfo reads GET /openApi/v1/account/apiPermissions, and alongside it
// GET /openApi/v1/account/apiRestrictions for the key's creation time
// alone (best effort: its answer is not in the current docs).
func (c *client) KeyInfo(ctx context.Context, creds exchanges.Credentials) (exchanges.KeyInfo, error) {
	created := make(chan time.Time, 1)
	go func() {
		var t time.Time
		if resp, err := c.signed(ctx, "read api restrictions", creds, "/openApi/v1/account/apiRestrictions"); err == nil {
			t, _ = parseRestrictions(resp.Body)
		}
		created <- t
	}()
	const op = "read api permissions"
	resp, err := c.signed(ctx, op, creds, "/openApi/v1/account/apiPermissions")
	if err != nil {
		return exchanges.KeyInfo{}, err
	}
	p, err := parsePermissions(resp.Body)
	if err != nil {
		return exchanges.KeyInfo{}, exchanges.Malformed(op, err)
	}
	k := p.keyInfo()
	if k.Read == exchanges.Unknown {
		k.Evidence = append(k.Evidence, "read: apiPermissions answered but does not list 2 (read)")
	}
	// The creation time is a bonus: once the permissions are in, wait
	// for it only briefly.
	wait := time.NewTimer(restrictionsGrace)
	defer wait.Stop()
	select {
	case t := <-created:
		if !t.IsZero() {
			k.Created = t
			k.Evidence = append(k.Evidence, "created: createTime of apiRestrictions")
		}
	case <-wait.C:
	case <-ctx.Done():
	}
	return k, nil
}

// Balance reads the spot account and, when the profile trades futures,
// the perpetual futures account. The VST demo has perpetual futures only.
func (c *client) Balance(ctx context.Context, creds exchanges.Credentials) (exchanges.Balance, error) {
	type result struct {
		assets []exchanges.Asset
		err    error
	}
	demo := c.env == exchanges.Demo
	futures := demo || c.cfg.Trades(exchanges.Futures)
	futCh := make(chan result, 1)
	if futures {
		go func() {
			const op = "read perpetual futures balance"
			resp, err := c.signed(ctx, op, creds, "/openApi/swap/v3/user/balance")
			if err != nil {
				futCh <- result{err: err}
				return
			}
			a, err := parseFuturesBalance(resp.Body)
			if err != nil {
				err = exchanges.Malformed(op, err)
			}
			futCh <- result{assets: a, err: err}
		}()
	}
	if demo {
		r := <-futCh
		if r.err != nil {
			return exchanges.Balance{}, r.err
		}
		return exchanges.Balance{Assets: r.assets, Accounts: []string{"futures"},
			Notes: []string{"the VST demo has perpetual futures only"}}, nil
	}
	const op = "read spot balance"
	resp, err := c.signed(ctx, op, creds, "/openApi/spot/v1/account/balance")
	if err != nil {
		return exchanges.Balance{}, err
	}
	spot, err := parseSpotBalance(resp.Body)
	if err != nil {
		return exchanges.Balance{}, exchanges.Malformed(op, err)
	}
	b := exchanges.Balance{Assets: spot, Accounts: []string{"spot"}}
	if futures {
		r := <-futCh
		if r.err != nil {
			b.Notes = append(b.Notes, "perpetual futures account not read: "+r.err.Error())
		} else {
			b.Assets = append(b.Assets, r.assets...)
			b.Accounts = append(b.Accounts, "futures")
		}
	}
	return b, nil
}

func (c *client) public(ctx context.Context, op, path string) (*exchanges.Response, error) {
	return exchanges.Send(ctx, c.cfg, op, func() (*http.Request, error) {
		return http.NewRequest(http.MethodGet, exchanges.JoinURL(c.base, path, ""), nil)
	}, c.check(op))
}

// signed sends a signed GET: recvWindow and timestamp, signed exactly as
// sent, then &signature=.
func (c *client) signed(ctx context.Context, op string, creds exchanges.Credentials, path string) (*exchanges.Response, error) {
	secret := creds.Secret.Reveal()
	return exchanges.Send(ctx, c.cfg, op, func() (*http.Request, error) {
		q := "recvWindow=" + strconv.FormatInt(recvWindow.Milliseconds(), 10) +
			"&timestamp=" + strconv.FormatInt(c.cfg.Clock().UnixMilli(), 10)
		req, err := http.NewRequest(http.MethodGet, exchanges.JoinURL(c.base, path, q+"&signature="+Sign(secret, q)), nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("X-BX-APIKEY", creds.Key)
		return req, nil
	}, c.check(op))
}
