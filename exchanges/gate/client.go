package gate

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/keywarden/keywarden/exchanges"
)

// apiPrefix starts every Gate path; the signature covers it.
const apiPrefix = "/api/v4"

// The endpoints read; every one is a GET that changes nothing.
const (
	pathTime     = "/spot/time"
	pathDetail   = "/account/detail"
	pathMainKeys = "/account/main_keys"
	pathSpot     = "/spot/accounts"
	pathFutures  = "/futures/usdt/accounts"
)

type client struct {
	cfg  exchanges.Config
	root *url.URL
	// others are the roots of Gate's other environments, probed when a
	// key is unknown here (only without a base URL override).
	others map[exchanges.Environment]*url.URL
}

// New returns the Gate adapter for cfg. A base URL override may be given
// with or without Gate's /api/v4 prefix.
func New(cfg exchanges.Config) exchanges.Exchange {
	c := &client{cfg: cfg, others: map[exchanges.Environment]*url.URL{}}
	if cfg.BaseURL != nil {
		c.root = hostRoot(cfg.BaseURL)
		return c
	}
	env := cfg.Environment
	if env == "" {
		env = exchanges.Live
	}
	for _, e := range Info().Environments {
		u, _ := url.Parse(e.BaseURL)
		if e.ID == env {
			c.root = hostRoot(u)
		} else {
			c.others[e.ID] = hostRoot(u)
		}
	}
	if c.root == nil {
		u, _ := url.Parse(liveRoot)
		c.root = hostRoot(u)
	}
	return c
}

// hostRoot drops a trailing /api/v4 from u, so that paths (which carry
// the prefix) are not doubled.
func hostRoot(u *url.URL) *url.URL {
	r := *u
	r.Path = strings.TrimSuffix(strings.TrimRight(r.Path, "/"), apiPrefix)
	r.RawPath = ""
	return &r
}

func (c *client) Info() exchanges.Info { return Info() }

func (c *client) envName() string {
	if e, ok := Info().Env(c.cfg.Environment); ok {
		return e.Name
	}
	return "Gate"
}

// ServerTime reads GET /api/v4/spot/time.
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
	return exchanges.TimeSample{Server: t, Sent: resp.Sent, Recv: resp.Recv, Source: "GET " + apiPrefix + pathTime}, nil
}

// Status: Gate publishes no status endpoint. The API host is asked for
// its time, which proves it answers; the state stays unknown.
func (c *client) Status(ctx context.Context) (exchanges.Status, error) {
	if _, err := c.public(ctx, "reach the API", pathTime); err != nil {
		return exchanges.Status{}, err
	}
	return exchanges.Status{State: exchanges.StatusUnknown, Source: "GET " + apiPrefix + pathTime,
		Message: "Gate publishes no status endpoint; its API host answered"}, nil
}

// KeyInfo reads /account/detail (the calling key's IP whitelist) and
// /account/main_keys (permissions and creation time) concurrently.
func (c *client) KeyInfo(ctx context.Context, creds exchanges.Credentials) (exchanges.KeyInfo, error) {
	var (
		wg                sync.WaitGroup
		keysResp, detResp *exchanges.Response
		keysErr, detErr   error
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		keysResp, keysErr = c.signed(ctx, "read api keys", creds, pathMainKeys, "")
	}()
	detResp, detErr = c.signed(ctx, "read account detail", creds, pathDetail, "")
	wg.Wait()
	if detErr != nil {
		// The detail is the calling key's own answer: its refusal is the
		// key's. A refusal of both for a missing Account permission is
		// still an accepted signature (ErrPermission).
		return exchanges.KeyInfo{}, detErr
	}
	d, err := parseDetail(detResp.Body)
	if err != nil {
		return exchanges.KeyInfo{}, exchanges.Malformed("read account detail", err)
	}
	var ki exchanges.KeyInfo
	if d.IPKnown {
		ipFacts(&ki, d.IPs)
	}
	if keysErr != nil {
		if exchanges.ClassOf(keysErr) == exchanges.ErrTimeout {
			return exchanges.KeyInfo{}, keysErr
		}
		ki.Read = exchanges.Yes
		ki.Evidence = append(ki.Evidence, "read: Gate answered GET /api/v4/account/detail for this key",
			"permissions not read: "+detailOf(keysErr))
		return ki, nil
	}
	entries, object, err := parseMainKeys(keysResp.Body)
	if err != nil {
		return exchanges.KeyInfo{}, exchanges.Malformed("read api keys", err)
	}
	k, why := pick(entries, object, creds.Key)
	if why != "" {
		ki.Read = exchanges.Yes
		ki.Evidence = append(ki.Evidence, "read: Gate answered GET /api/v4/account/detail for this key", "permissions not read: "+why)
		return ki, nil
	}
	permFacts(&ki, *k.Perms)
	if !d.IPKnown {
		ipFacts(&ki, k.IPWhitelist)
	}
	ki.Created, _ = k.created()
	ki.Label = k.label()
	if k.State != nil && *k.State != 1 {
		what := map[int]string{2: "locked", 3: "frozen"}[*k.State]
		if what == "" {
			what = "in state " + strconv.Itoa(*k.State)
		}
		ki.Evidence = append(ki.Evidence, "Gate reports the key "+what)
	}
	return ki, nil
}

// Balance reads the spot account, and the USDT perpetual futures account
// when the profile trades futures.
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
			resp, err := c.signed(ctx, op, creds, pathFutures, "")
			if err != nil {
				futCh <- result{err: err}
				return
			}
			a, err := parseFuturesAccount(resp.Body)
			if err != nil {
				err = exchanges.Malformed(op, err)
			}
			futCh <- result{asset: a, err: err}
		}()
	}
	const op = "read spot accounts"
	resp, err := c.signed(ctx, op, creds, pathSpot, "")
	if err != nil {
		return exchanges.Balance{}, err
	}
	assets, err := parseSpotAccounts(resp.Body)
	if err != nil {
		return exchanges.Balance{}, exchanges.Malformed(op, err)
	}
	b := exchanges.Balance{Assets: assets, Accounts: []string{"spot"}}
	if fut {
		r := <-futCh
		if r.err != nil {
			b.Notes = append(b.Notes, "futures account not read: "+detailOf(r.err))
		} else {
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
		return http.NewRequest(http.MethodGet, exchanges.JoinURL(c.root, apiPrefix+path, ""), nil)
	}, check(op))
}

// signed sends a signed GET; an INVALID_KEY is narrowed down by asking
// Gate's other environment whether it knows the key.
func (c *client) signed(ctx context.Context, op string, creds exchanges.Credentials, path, query string) (*exchanges.Response, error) {
	if keyCheck(creds.Key) != nil {
		return nil, &exchanges.Error{Class: exchanges.ErrBadKey, Op: op, Cause: "the API Key is not 32 hexadecimal characters: it was not copied whole"}
	}
	secret := creds.Secret.Reveal()
	resp, err := exchanges.Send(ctx, c.cfg, op, func() (*http.Request, error) {
		return c.request(c.root, creds.Key, path, query, func(s string) string { return Sign(secret, s) })
	}, check(op))
	if e, ok := exchanges.AsError(err); ok && e.Code == "INVALID_KEY" {
		return resp, c.narrow(ctx, creds.Key, e)
	}
	return resp, err
}

// request builds a GET to root with Gate's headers; the signature covers
// /api/v4 + path, never a proxy prefix of the base URL.
func (c *client) request(root *url.URL, key, path, query string, sign func(string) string) (*http.Request, error) {
	ts := strconv.FormatInt(c.cfg.Clock().Unix(), 10)
	req, err := http.NewRequest(http.MethodGet, exchanges.JoinURL(root, apiPrefix+path, query), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("KEY", key)
	req.Header.Set("Timestamp", ts)
	req.Header.Set("SIGN", sign(SignatureString(http.MethodGet, apiPrefix+path, query, "", ts)))
	req.Header.Set("Accept", "application/json")
	return req, nil
}

// narrow asks Gate's other environments about a key this one does not
// know: a GET of the futures account (served by live and TestNet alike)
// with a signature that cannot be right. INVALID_SIGNATURE (or an IP
// refusal) there means the key exists in that environment.
func (c *client) narrow(ctx context.Context, key string, orig *exchanges.Error) error {
	e := *orig
	for env, root := range c.others {
		resp, err := exchanges.Send(ctx, c.cfg, "probe key", func() (*http.Request, error) {
			return c.request(root, key, pathFutures, "", func(string) string { return strings.Repeat("0", 128) })
		}, func(*exchanges.Response) error { return nil })
		if err != nil || resp == nil {
			continue
		}
		if b, ok := parseError(resp.Body); ok && (b.Label == "INVALID_SIGNATURE" || b.Label == "IP_FORBIDDEN") {
			name := string(env)
			if ei, ok := Info().Env(env); ok {
				name = ei.Name
			}
			e.Class = exchanges.ErrWrongEnvironment
			e.Cause = "the key is known on " + name + ", not on " + c.envName() + " (a probe there with a wrong signature got " + b.Label + ")"
			return &e
		}
	}
	return &e
}

func detailOf(err error) string {
	if e, ok := exchanges.AsError(err); ok {
		d := e.Detail()
		if e.Cause != "" {
			if d != "" {
				d += " — "
			}
			d += e.Cause
		}
		if d != "" {
			return d
		}
	}
	return err.Error()
}
