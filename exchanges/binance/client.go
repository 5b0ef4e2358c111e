package binance

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// recvWindow is sent with every signed request: Binance's default, which
// is what most bots use, so the clock is judged as strictly as they are.
const recvWindow = 5 * time.Second

type client struct {
	cfg     exchanges.Config
	spot    *url.URL
	futures *url.URL
	// wallet says whether the SAPI wallet endpoints (system status, API
	// restrictions) exist on this host: only on live Binance.
	wallet bool
	// hostsOf gives each environment's spot and futures hosts, for the
	// wrong-environment probe (tests replace it).
	hostsOf func(exchanges.Environment) (spot, futures string)
}

// New returns the Binance adapter for cfg. With a base URL override, spot,
// wallet and futures paths all go to that one host.
func New(cfg exchanges.Config) exchanges.Exchange {
	c := &client{cfg: cfg, hostsOf: hosts}
	if cfg.BaseURL != nil {
		c.spot, c.futures = cfg.BaseURL, cfg.BaseURL
		c.wallet = cfg.Environment == exchanges.Live || cfg.Environment == ""
		return c
	}
	spot, fut := hosts(cfg.Environment)
	c.spot, _ = url.Parse(spot)
	c.futures, _ = url.Parse(fut)
	c.wallet = spot == liveSpot
	return c
}

func hosts(env exchanges.Environment) (spot, futures string) {
	switch env {
	case exchanges.Testnet:
		return testSpot, testFutures
	case exchanges.Demo:
		return demoSpot, demoFutures
	}
	return liveSpot, liveFutures
}

func (c *client) Info() exchanges.Info { return Info() }

func (c *client) envName() string {
	if e, ok := Info().Env(c.cfg.Environment); ok {
		return e.Name
	}
	return "Binance"
}

// ServerTime reads GET /api/v3/time.
func (c *client) ServerTime(ctx context.Context) (exchanges.TimeSample, error) {
	resp, err := c.public(ctx, "read server time", c.spot, "/api/v3/time")
	if err != nil {
		return exchanges.TimeSample{}, err
	}
	ms, err := parseTime(resp.Body)
	if err != nil {
		return exchanges.TimeSample{}, exchanges.Malformed("read server time", err)
	}
	return exchanges.TimeSample{Server: time.UnixMilli(ms), Sent: resp.Sent, Recv: resp.Recv, Source: "GET /api/v3/time"}, nil
}

// Status reads GET /sapi/v1/system/status on live Binance. The testnet and
// demo hosts have no status endpoint: there a ping shows the host answers,
// and the state stays unknown.
func (c *client) Status(ctx context.Context) (exchanges.Status, error) {
	if !c.wallet {
		if _, err := c.public(ctx, "ping", c.spot, "/api/v3/ping"); err != nil {
			return exchanges.Status{}, err
		}
		return exchanges.Status{State: exchanges.StatusUnknown, Source: "GET /api/v3/ping",
			Message: c.envName() + " has no system status endpoint; the host answered a ping"}, nil
	}
	resp, err := c.public(ctx, "read system status", c.spot, "/sapi/v1/system/status")
	if err != nil {
		return exchanges.Status{}, err
	}
	st, err := parseStatus(resp.Body)
	if err != nil {
		return exchanges.Status{}, exchanges.Malformed("read system status", err)
	}
	s := exchanges.Status{State: exchanges.StatusNormal, Message: st.Msg, Source: "GET /sapi/v1/system/status"}
	if st.Status != 0 {
		s.State = exchanges.StatusMaintenance
	}
	return s, nil
}

// KeyInfo reads GET /sapi/v1/account/apiRestrictions on live Binance. The
// testnet and demo hosts lack it; there the spot account's canTrade is the
// only permission Binance tells, and those environments have no
// withdrawals at all.
func (c *client) KeyInfo(ctx context.Context, creds exchanges.Credentials) (exchanges.KeyInfo, error) {
	if !c.wallet {
		resp, err := c.signed(ctx, "read account", creds, c.spot, "/api/v3/account", url.Values{"omitZeroBalances": {"true"}})
		if err != nil {
			return exchanges.KeyInfo{}, err
		}
		acct, err := parseAccount(resp.Body)
		if err != nil {
			return exchanges.KeyInfo{}, exchanges.Malformed("read account", err)
		}
		return exchanges.KeyInfo{
			Read:     exchanges.Yes,
			Trade:    map[exchanges.Market]exchanges.Flag{exchanges.Spot: exchanges.FlagOf(acct.CanTrade)},
			Withdraw: exchanges.No,
			Evidence: []string{
				"spot trading from the account's canTrade (" + c.envName() + " has no API-restrictions endpoint)",
				"withdrawals: " + c.envName() + " has no withdrawals",
			},
		}, nil
	}
	resp, err := c.signed(ctx, "read api restrictions", creds, c.spot, "/sapi/v1/account/apiRestrictions", nil)
	if err != nil {
		return exchanges.KeyInfo{}, err
	}
	r, err := parseRestrictions(resp.Body)
	if err != nil {
		return exchanges.KeyInfo{}, exchanges.Malformed("read api restrictions", err)
	}
	return r.keyInfo(), nil
}

// Balance reads the spot account, and the USDⓈ-M futures balance when the
// profile trades futures.
func (c *client) Balance(ctx context.Context, creds exchanges.Credentials) (exchanges.Balance, error) {
	type result struct {
		assets []exchanges.Asset
		err    error
	}
	futCh := make(chan result, 1)
	if c.cfg.Trades(exchanges.Futures) {
		go func() {
			resp, err := c.signed(ctx, "read futures balance", creds, c.futures, "/fapi/v3/balance", nil)
			if err != nil {
				futCh <- result{err: err}
				return
			}
			a, err := parseFuturesBalance(resp.Body)
			if err != nil {
				err = exchanges.Malformed("read futures balance", err)
			}
			futCh <- result{assets: a, err: err}
		}()
	}
	resp, err := c.signed(ctx, "read account", creds, c.spot, "/api/v3/account", url.Values{"omitZeroBalances": {"true"}})
	if err != nil {
		return exchanges.Balance{}, err
	}
	acct, err := parseAccount(resp.Body)
	if err != nil {
		return exchanges.Balance{}, exchanges.Malformed("read account", err)
	}
	b := exchanges.Balance{Assets: acct.assets(), Accounts: []string{"spot"}}
	if c.cfg.Trades(exchanges.Futures) {
		r := <-futCh
		if r.err != nil {
			b.Notes = append(b.Notes, "futures wallet not read: "+r.err.Error())
		} else {
			b.Assets = append(b.Assets, r.assets...)
			b.Accounts = append(b.Accounts, "futures")
		}
	}
	return b, nil
}

func (c *client) public(ctx context.Context, op string, base *url.URL, path string) (*exchanges.Response, error) {
	return exchanges.Send(ctx, c.cfg, op, func() (*http.Request, error) {
		return http.NewRequest(http.MethodGet, exchanges.JoinURL(base, path, ""), nil)
	}, c.check(op))
}

// signed sends a signed GET. A -2015 is narrowed down to its cause.
func (c *client) signed(ctx context.Context, op string, creds exchanges.Credentials, base *url.URL, path string, params url.Values) (*exchanges.Response, error) {
	sign, err := newSigner(creds.Secret)
	if err != nil {
		return nil, &exchanges.Error{Class: exchanges.ErrBadSignature, Op: op, Cause: err.Error()}
	}
	resp, err := exchanges.Send(ctx, c.cfg, op, func() (*http.Request, error) {
		q := params.Encode()
		if q != "" {
			q += "&"
		}
		q += "recvWindow=" + strconv.FormatInt(recvWindow.Milliseconds(), 10) +
			"&timestamp=" + strconv.FormatInt(c.cfg.Clock().UnixMilli(), 10)
		sig, err := sign(q)
		if err != nil {
			return nil, err
		}
		req, err := http.NewRequest(http.MethodGet, exchanges.JoinURL(base, path, q+"&signature="+sig), nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("X-MBX-APIKEY", creds.Key)
		return req, nil
	}, c.check(op))
	if e, ok := exchanges.AsError(err); ok && e.Code == "-2015" {
		return resp, c.narrow(ctx, creds, base, path, e)
	}
	return resp, err
}
