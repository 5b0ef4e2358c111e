package kucoin

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/keywarden/keywarden/exchanges"
)

// The endpoints read; every one is a GET that changes nothing.
const (
	pathTime     = "/api/v1/timestamp"
	pathStatus   = "/api/v1/status"
	pathAPIKey   = "/api/v1/user/api-key"
	pathAccounts = "/api/v1/accounts"
	// pathFutures is on the futures host: the USDT-margined futures
	// account. The key's futures permission itself is read from the spot
	// host's api-key endpoint.
	pathFutures  = "/api/v1/account-overview"
	futuresQuery = "currency=USDT"
)

type client struct {
	cfg     exchanges.Config
	spot    *url.URL
	futures *url.URL
}

// New returns the KuCoin adapter for cfg. With a base URL override, spot
// and futures paths both go to that one host (KuCoin's paths do not
// overlap, so one proxy or simulator can serve both).
func New(cfg exchanges.Config) exchanges.Exchange {
	c := &client{cfg: cfg}
	if cfg.BaseURL != nil {
		c.spot, c.futures = cfg.BaseURL, cfg.BaseURL
		return c
	}
	c.spot, _ = url.Parse(liveSpot)
	c.futures, _ = url.Parse(liveFutures)
	return c
}

func (c *client) Info() exchanges.Info { return Info() }

// ServerTime reads GET /api/v1/timestamp.
func (c *client) ServerTime(ctx context.Context) (exchanges.TimeSample, error) {
	const op = "read server time"
	resp, err := c.public(ctx, op, pathTime)
	if err != nil {
		return exchanges.TimeSample{}, err
	}
	t, err := parseTime(resp.Body)
	if err != nil {
		return exchanges.TimeSample{}, exchanges.Malformed(op, err)
	}
	return exchanges.TimeSample{Server: t, Sent: resp.Sent, Recv: resp.Recv, Source: "GET " + pathTime}, nil
}

// Status reads GET /api/v1/status: open, cancelonly or close.
func (c *client) Status(ctx context.Context) (exchanges.Status, error) {
	const op = "read system status"
	resp, err := c.public(ctx, op, pathStatus)
	if err != nil {
		return exchanges.Status{}, err
	}
	st, err := parseStatus(resp.Body)
	if err != nil {
		return exchanges.Status{}, exchanges.Malformed(op, err)
	}
	s := exchanges.Status{Message: st.Status, Source: "GET " + pathStatus}
	if st.Msg != "" {
		s.Message += ": " + st.Msg
	}
	switch st.Status {
	case "open":
		s.State = exchanges.StatusNormal
	case "cancelonly":
		s.State = exchanges.StatusDegraded
		s.Message = "cancel only (orders can be cancelled, not placed)"
		if st.Msg != "" {
			s.Message += ": " + st.Msg
		}
	case "close":
		s.State = exchanges.StatusMaintenance
	default:
		s.State = exchanges.StatusUnknown
	}
	return s, nil
}

// KeyInfo reads GET /api/v1/user/api-key: the calling key's permissions,
// IP whitelist and creation time, as KuCoin states them.
func (c *client) KeyInfo(ctx context.Context, creds exchanges.Credentials) (exchanges.KeyInfo, error) {
	const op = "read api key info"
	resp, err := c.signed(ctx, op, creds, c.spot, pathAPIKey, "")
	if err != nil {
		return exchanges.KeyInfo{}, err
	}
	k, err := parseAPIKey(resp.Body)
	if err != nil {
		return exchanges.KeyInfo{}, exchanges.Malformed(op, err)
	}
	return k.keyInfo(), nil
}

// Balance reads every spot-host account (Funding "main", Trading "trade",
// margin), and the USDT futures account when the profile trades futures.
func (c *client) Balance(ctx context.Context, creds exchanges.Credentials) (exchanges.Balance, error) {
	type result struct {
		asset *exchanges.Asset
		err   error
	}
	fut := c.cfg.Trades(exchanges.Futures)
	futCh := make(chan result, 1)
	if fut {
		go func() {
			const op = "read futures account"
			resp, err := c.signed(ctx, op, creds, c.futures, pathFutures, futuresQuery)
			if err != nil {
				futCh <- result{err: err}
				return
			}
			a, err := parseFuturesOverview(resp.Body)
			if err != nil {
				err = exchanges.Malformed(op, err)
			}
			futCh <- result{asset: a, err: err}
		}()
	}
	const op = "read accounts"
	resp, err := c.signed(ctx, op, creds, c.spot, pathAccounts, "")
	if err != nil {
		return exchanges.Balance{}, err
	}
	accts, err := parseAccounts(resp.Body)
	if err != nil {
		return exchanges.Balance{}, exchanges.Malformed(op, err)
	}
	b := exchanges.Balance{}
	b.Assets, b.Accounts = assets(accts)
	if len(b.Accounts) == 0 {
		b.Accounts = []string{"main", "trade"}
	}
	if fut {
		r := <-futCh
		switch {
		case r.err != nil:
			b.Notes = append(b.Notes, "futures account not read: "+r.err.Error())
		default:
			if r.asset != nil {
				b.Assets = append(b.Assets, *r.asset)
			}
			b.Accounts = append(b.Accounts, "futures")
		}
	}
	return b, nil
}

func (c *client) public(ctx context.Context, op, path string) (*exchanges.Response, error) {
	return exchanges.Send(ctx, c.cfg, op, func() (*http.Request, error) {
		return http.NewRequest(http.MethodGet, exchanges.JoinURL(c.spot, path, ""), nil)
	}, check(op))
}

// signed sends a signed GET. The prehash holds the exchange's own path
// (never a proxy prefix of the base URL) and the query as sent; a fresh
// timestamp is taken for the single retry.
func (c *client) signed(ctx context.Context, op string, creds exchanges.Credentials, base *url.URL, path, query string) (*exchanges.Response, error) {
	if !keyRE.MatchString(creds.Key) {
		return nil, &exchanges.Error{Class: exchanges.ErrBadKey, Op: op, Cause: errNoKey.Error()}
	}
	secret := creds.Secret.Reveal()
	pass := Passphrase(secret, creds.Passphrase.Reveal())
	endpoint := path
	if query != "" {
		endpoint += "?" + query
	}
	return exchanges.Send(ctx, c.cfg, op, func() (*http.Request, error) {
		ts := strconv.FormatInt(c.cfg.Clock().UnixMilli(), 10)
		req, err := http.NewRequest(http.MethodGet, exchanges.JoinURL(base, path, query), nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("KC-API-KEY", creds.Key)
		req.Header.Set("KC-API-SIGN", Sign(secret, Prehash(ts, http.MethodGet, endpoint, "")))
		req.Header.Set("KC-API-TIMESTAMP", ts)
		req.Header.Set("KC-API-PASSPHRASE", pass)
		req.Header.Set("KC-API-KEY-VERSION", keyVersion)
		return req, nil
	}, check(op))
}
