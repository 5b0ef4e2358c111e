package bybit

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// recvWindow is sent with every signed request: Bybit's default, which is
// what most bots use, so the clock is judged as strictly as they are.
const recvWindow = 5 * time.Second

// host is one Bybit API host a key may belong to.
type host struct {
	name string // how people call it: "Testnet", "Bybit TR"
	url  string
}

// regional lists Bybit's regional mainnets: a key made on one of them is
// unknown to api.bybit.com, which answers 10003 exactly as for a deleted
// key.
var regional = []host{
	{"Bybit EU", "https://api.bybit.eu"},
	{"Bybit NL", "https://api.bybit.nl"},
	{"Bybit TR", "https://api.bybit.tr"},
	{"Bybit KZ", "https://api.bybit.kz"},
	{"Bybit Georgia", "https://api.bybitgeorgia.ge"},
	{"Bybit UAE", "https://api.bybit.ae"},
	{"Bybit Indonesia", "https://api.bybit.id"},
}

type client struct {
	cfg  exchanges.Config
	env  exchanges.Environment
	base *url.URL
	// others are the hosts probed when this one does not know the key;
	// empty with a base URL override (there is no telling where that
	// host's keys come from).
	others []host

	// inflight shares one narrowing between KeyInfo and Balance, which
	// run concurrently and meet the same 10003.
	mu       sync.Mutex
	inflight map[string]*narrowing
}

// narrowing is one probe round under way.
type narrowing struct {
	done  chan struct{}
	class error
	cause string
}

// New returns the Bybit adapter for cfg. With a base URL override every
// path goes to that host and the environment only decides which endpoints
// exist (Demo Trading has no key-permission endpoint).
func New(cfg exchanges.Config) exchanges.Exchange {
	c := &client{cfg: cfg, env: cfg.Environment}
	if c.env == "" {
		c.env = exchanges.Live
	}
	if cfg.BaseURL != nil {
		c.base = cfg.BaseURL
		return c
	}
	for _, e := range Info().Environments {
		if e.ID == c.env {
			c.base, _ = url.Parse(e.BaseURL)
		} else {
			c.others = append(c.others, host{"Bybit " + e.Name, e.BaseURL})
		}
	}
	if c.base == nil {
		c.base, _ = url.Parse(liveHost)
	}
	if c.env == exchanges.Live {
		c.others = append(c.others, regional...)
	}
	return c
}

func (c *client) Info() exchanges.Info { return Info() }

func (c *client) envName() string {
	if e, ok := Info().Env(c.env); ok {
		return "Bybit " + e.Name
	}
	return "Bybit"
}

// ServerTime reads GET /v5/market/time.
func (c *client) ServerTime(ctx context.Context) (exchanges.TimeSample, error) {
	const op = "read server time"
	resp, err := c.public(ctx, op, "/v5/market/time")
	if err != nil {
		return exchanges.TimeSample{}, err
	}
	t, res, err := parseTime(resp.Body)
	if err != nil {
		return exchanges.TimeSample{}, exchanges.Malformed(op, err)
	}
	return exchanges.TimeSample{Server: t, Sent: resp.Sent, Recv: resp.Recv, Source: "GET /v5/market/time", Resolution: res}, nil
}

// Status reads GET /v5/system/status for mainnet and Demo Trading. Bybit
// announces nothing for testnet: there the time endpoint shows the host
// answers, and the state stays unknown.
func (c *client) Status(ctx context.Context) (exchanges.Status, error) {
	if c.env == exchanges.Testnet {
		if _, err := c.public(ctx, "ping", "/v5/market/time"); err != nil {
			return exchanges.Status{}, err
		}
		return exchanges.Status{State: exchanges.StatusUnknown, Source: "GET /v5/market/time",
			Message: "Bybit publishes no status for testnet; the host answered"}, nil
	}
	const op = "read system status"
	resp, err := c.public(ctx, op, "/v5/system/status")
	if err != nil {
		return exchanges.Status{}, err
	}
	list, err := parseStatus(resp.Body)
	if err != nil {
		return exchanges.Status{}, exchanges.Malformed(op, err)
	}
	env := int64(1)
	if c.env == exchanges.Demo {
		env = 2
	}
	return judgeStatus(list, env, c.cfg.Markets, c.cfg.Clock()), nil
}

// KeyInfo reads GET /v5/user/query-api. Demo Trading lacks it: there
// GET /v5/account/info proves the key works, Demo Trading has no
// withdrawals, and the rest stays unknown.
func (c *client) KeyInfo(ctx context.Context, creds exchanges.Credentials) (exchanges.KeyInfo, error) {
	if c.env == exchanges.Demo {
		const op = "read account info"
		resp, err := c.signed(ctx, op, creds, "/v5/account/info", "")
		if err != nil {
			return exchanges.KeyInfo{}, err
		}
		if _, err := parseAccountInfo(resp.Body); err != nil {
			return exchanges.KeyInfo{}, exchanges.Malformed(op, err)
		}
		return exchanges.KeyInfo{
			Read:     exchanges.Yes,
			Withdraw: exchanges.No,
			Evidence: []string{
				"read: GET /v5/account/info was accepted",
				"withdrawals: Bybit Demo Trading has no withdrawals",
				"Demo Trading has no key-permission endpoint (query-api): trade permissions and IP list unknown",
			},
		}, nil
	}
	const op = "read api key info"
	resp, err := c.signed(ctx, op, creds, "/v5/user/query-api", "")
	if err != nil {
		return exchanges.KeyInfo{}, err
	}
	k, err := parseAPIKey(resp.Body)
	if err != nil {
		return exchanges.KeyInfo{}, exchanges.Malformed(op, err)
	}
	return k.keyInfo(c.cfg.Clock(), c.cfg.Trades(exchanges.Margin)), nil
}

// Balance reads the Unified Trading Account, which holds spot, margin and
// derivatives alike.
func (c *client) Balance(ctx context.Context, creds exchanges.Credentials) (exchanges.Balance, error) {
	const op = "read wallet balance"
	resp, err := c.signed(ctx, op, creds, "/v5/account/wallet-balance", "accountType=UNIFIED")
	if err != nil {
		return exchanges.Balance{}, err
	}
	w, err := parseWallet(resp.Body)
	if err != nil {
		return exchanges.Balance{}, exchanges.Malformed(op, err)
	}
	b := exchanges.Balance{Assets: w.assets(), Accounts: []string{"unified"},
		Notes: []string{"the Funding account is not read: bots trade from the Unified Trading Account"}}
	if exchanges.IsDecimal(w.TotalEquity) {
		b.Totals = map[string]string{"USD equity": w.TotalEquity}
	}
	return b, nil
}

func (c *client) public(ctx context.Context, op, path string) (*exchanges.Response, error) {
	return exchanges.Send(ctx, c.cfg, op, func() (*http.Request, error) {
		return http.NewRequest(http.MethodGet, exchanges.JoinURL(c.base, path, ""), nil)
	}, c.check(op))
}

// signed sends a signed GET with query (exactly as signed). A 10003 is
// narrowed down to its cause.
func (c *client) signed(ctx context.Context, op string, creds exchanges.Credentials, path, query string) (*exchanges.Response, error) {
	sign, err := newSigner(creds.Secret)
	if err != nil {
		return nil, &exchanges.Error{Class: exchanges.ErrBadSignature, Op: op, Cause: "API Secret: " + err.Error()}
	}
	resp, err := exchanges.Send(ctx, c.cfg, op, func() (*http.Request, error) {
		ts := strconv.FormatInt(c.cfg.Clock().UnixMilli(), 10)
		rw := strconv.FormatInt(recvWindow.Milliseconds(), 10)
		sig, err := sign(PreHash(ts, creds.Key, rw, query))
		if err != nil {
			return nil, err
		}
		req, err := http.NewRequest(http.MethodGet, exchanges.JoinURL(c.base, path, query), nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("X-BAPI-API-KEY", creds.Key)
		req.Header.Set("X-BAPI-TIMESTAMP", ts)
		req.Header.Set("X-BAPI-RECV-WINDOW", rw)
		req.Header.Set("X-BAPI-SIGN", sig)
		return req, nil
	}, c.check(op))
	if e, ok := exchanges.AsError(err); ok {
		if creds.Key != "" {
			e.Message = strings.ReplaceAll(e.Message, creds.Key, exchanges.Fingerprint(creds.Key))
		}
		if e.Code == "10003" {
			return resp, c.narrow(ctx, creds.Key, e)
		}
	}
	return resp, err
}

// probeTimeout bounds each probe of another host, so that one unreachable
// regional host cannot hold the whole check until its deadline.
const probeTimeout = 3 * time.Second

// narrow turns Bybit's 10003 ("API key is invalid. Check whether the key
// and domain are matched, there are 4 env: mainnet, testnet, mainnet-demo,
// testnet-demo") into its cause. Bybit looks the key up before it checks
// the signature, so a request with a deliberately wrong signature tells
// whether another host knows the key: 10003 there means no; 10004 (bad
// signature), 10010 (IP), 10005 (permission) or 33004 (expired) mean yes.
// The probes are GETs of the wallet balance that Bybit refuses before
// doing anything.
func (c *client) narrow(ctx context.Context, key string, orig *exchanges.Error) error {
	e := *orig
	c.mu.Lock()
	if n, ok := c.inflight[key]; ok {
		c.mu.Unlock()
		select {
		case <-n.done:
			e.Class, e.Cause = n.class, n.cause
		case <-ctx.Done():
		}
		return &e
	}
	n := &narrowing{done: make(chan struct{})}
	if c.inflight == nil {
		c.inflight = map[string]*narrowing{}
	}
	c.inflight[key] = n
	c.mu.Unlock()
	n.cause, n.class = c.locate(ctx, key, orig.Class)
	c.mu.Lock()
	delete(c.inflight, key)
	c.mu.Unlock()
	close(n.done)
	e.Class, e.Cause = n.class, n.cause
	return &e
}

// locate probes the other hosts and returns the cause and class of a
// 10003.
func (c *client) locate(ctx context.Context, key string, class error) (string, error) {
	if len(c.others) == 0 {
		return "this host does not know the API key: it was deleted or mistyped, or it belongs to another Bybit environment (mainnet, testnet, Demo Trading) or regional site", class
	}
	var (
		mu    sync.Mutex
		found []string
		wg    sync.WaitGroup
	)
	for _, h := range c.others {
		u, err := url.Parse(h.url)
		if err != nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			switch c.probe(ctx, key, u) {
			case "10004", "10010", "10005", "33004":
				mu.Lock()
				found = append(found, h.name+" ("+u.Host+")")
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(found) > 0 {
		sort.Strings(found)
		return "the key is known on " + strings.Join(found, ", ") + ", not on " + c.envName() + " (a probe with a wrong signature got past the key check there)", exchanges.ErrWrongEnvironment
	}
	return c.envName() + " does not know this API key, nor does any other Bybit environment or regional site: it was deleted, mistyped, or copied from another account", class
}

// probe sends the wallet-balance request with a valid timestamp and a
// signature that cannot be right, and returns Bybit's retCode ("" if no
// usable answer).
func (c *client) probe(ctx context.Context, key string, base *url.URL) string {
	const query = "accountType=UNIFIED"
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	resp, err := exchanges.Send(ctx, c.cfg, "probe key", func() (*http.Request, error) {
		req, err := http.NewRequest(http.MethodGet, exchanges.JoinURL(base, "/v5/account/wallet-balance", query), nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("X-BAPI-API-KEY", key)
		req.Header.Set("X-BAPI-TIMESTAMP", strconv.FormatInt(c.cfg.Clock().UnixMilli(), 10))
		req.Header.Set("X-BAPI-RECV-WINDOW", strconv.FormatInt(recvWindow.Milliseconds(), 10))
		req.Header.Set("X-BAPI-SIGN", strings.Repeat("0", 64))
		return req, nil
	}, func(*exchanges.Response) error { return nil })
	if err != nil || resp == nil {
		return ""
	}
	if body, ok := parseError(resp.Body); ok {
		return strconv.Itoa(*body.RetCode)
	}
	return ""
}
