package kraken

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// defaultUserAgent is sent when the configuration names none: Kraken
// requires a User-Agent on every request.
const defaultUserAgent = "keywarden"

// nonceRetryWait is how long to wait before the single retry of a request
// refused with EAPI:Invalid nonce (another program using the key at the
// same moment usually explains it).
const nonceRetryWait = time.Second

type client struct {
	cfg  exchanges.Config
	base *url.URL

	// The one reading of Kraken's time per client, shared by ServerTime
	// and the nonces of private requests.
	clockMu   sync.Mutex
	clockDone chan struct{}
	clockVal  exchanges.TimeSample
	clockErr  error
}

// New returns the Kraken spot adapter for cfg. Kraken has one environment;
// a base URL override sends every path to that host.
func New(cfg exchanges.Config) exchanges.Exchange {
	base, err := exchanges.BaseURL(cfg, liveURL)
	if err != nil {
		base, _ = url.Parse(liveURL)
	}
	return &client{cfg: cfg, base: base}
}

func (c *client) Info() exchanges.Info { return Info() }

// ServerTime reads GET /0/public/Time (whole seconds).
func (c *client) ServerTime(ctx context.Context) (exchanges.TimeSample, error) {
	return c.serverTime(ctx)
}

// serverTime reads Kraken's clock once per client; concurrent callers wait
// for the same answer.
func (c *client) serverTime(ctx context.Context) (exchanges.TimeSample, error) {
	c.clockMu.Lock()
	first := c.clockDone == nil
	if first {
		c.clockDone = make(chan struct{})
	}
	done := c.clockDone
	c.clockMu.Unlock()
	if first {
		c.clockVal, c.clockErr = c.readTime(ctx)
		close(done)
	}
	select {
	case <-done:
		return c.clockVal, c.clockErr
	case <-ctx.Done():
		return exchanges.TimeSample{}, &exchanges.Error{Class: exchanges.ErrTimeout, Op: "read server time", Cause: "no answer before the deadline"}
	}
}

func (c *client) readTime(ctx context.Context) (exchanges.TimeSample, error) {
	const op = "read server time"
	resp, err := c.public(ctx, op, "/0/public/Time")
	if err != nil {
		return exchanges.TimeSample{}, err
	}
	t, err := parseTime(resp.Body)
	if err != nil {
		return exchanges.TimeSample{}, exchanges.Malformed(op, err)
	}
	// unixtime is whole seconds, cut down: the true time lies in [t, t+1s).
	// Its middle is the best estimate, within half a second.
	return exchanges.TimeSample{Server: t.Add(time.Second / 2), Sent: resp.Sent, Recv: resp.Recv,
		Source: "GET /0/public/Time, whole seconds", Resolution: time.Second / 2}, nil
}

// Status reads GET /0/public/SystemStatus: online, maintenance,
// cancel_only, post_only (and limit_only, which some clients list).
func (c *client) Status(ctx context.Context) (exchanges.Status, error) {
	const op = "read system status"
	resp, err := c.public(ctx, op, "/0/public/SystemStatus")
	if err != nil {
		return exchanges.Status{}, err
	}
	st, err := parseStatus(resp.Body)
	if err != nil {
		return exchanges.Status{}, exchanges.Malformed(op, err)
	}
	s := exchanges.Status{Message: st.Status, Source: "GET /0/public/SystemStatus"}
	switch st.Status {
	case "online":
		s.State = exchanges.StatusNormal
		if st.Upcoming > 0 {
			s.State, s.Message = exchanges.StatusAnnounced, "online; Kraken announces maintenance within the next 72 hours"
		}
	// result.timestamp is the time of the answer, not the start of the
	// state, so it is not reported as Since.
	case "maintenance":
		s.State = exchanges.StatusMaintenance
	case "cancel_only", "post_only", "limit_only":
		s.State = exchanges.StatusDegraded
		s.Message = st.Status + " (" + degradedWhat(st.Status) + ")"
	default:
		s.State, s.Message = exchanges.StatusUnknown, "Kraken reported the unknown status "+strconv.Quote(st.Status)
	}
	if st.Emergencies > 0 && s.State == exchanges.StatusNormal {
		s.State, s.Message = exchanges.StatusDegraded, "online, with an open incident reported by Kraken"
	}
	return s, nil
}

func degradedWhat(s string) string {
	switch s {
	case "cancel_only":
		return "orders can only be cancelled, not placed"
	case "post_only":
		return "only post-only limit orders are accepted"
	}
	return "only limit orders are accepted"
}

// Balance reads POST /0/private/Balance. A Permission denied answer is
// narrowed down: missing Query Funds, or a refused IP.
func (c *client) Balance(ctx context.Context, creds exchanges.Credentials) (exchanges.Balance, error) {
	const op = "read balance"
	resp, err := c.private(ctx, op, creds, "Balance")
	if isKraken(err, errPermission) {
		return exchanges.Balance{}, c.narrowPermission(ctx, creds, err, "query-funds", "Query Funds")
	}
	if err != nil {
		return exchanges.Balance{}, err
	}
	assets, err := parseBalance(resp.Body)
	if err != nil {
		return exchanges.Balance{}, exchanges.Malformed(op, err)
	}
	return exchanges.Balance{Assets: assets, Accounts: []string{"spot"}}, nil
}

func (c *client) public(ctx context.Context, op, path string) (*exchanges.Response, error) {
	return exchanges.Send(ctx, c.cfg, op, func() (*http.Request, error) {
		req, err := http.NewRequest(http.MethodGet, exchanges.JoinURL(c.base, path, ""), nil)
		if err == nil {
			c.userAgent(req)
		}
		return req, err
	}, check(op))
}

func (c *client) userAgent(req *http.Request) {
	if c.cfg.UserAgent == "" {
		req.Header.Set("User-Agent", defaultUserAgent)
	}
}

// private sends POST /0/private/<method> with a fresh nonce, signed. The
// key's private requests go out one at a time; a refused nonce is retried
// once, after a pause, with a new one. No method keywarden calls takes
// parameters, so the body is the nonce alone.
func (c *client) private(ctx context.Context, op string, creds exchanges.Credentials, method string) (*exchanges.Response, error) {
	key, err := decodeSecret(creds.Secret.Reveal())
	if err != nil {
		return nil, &exchanges.Error{Class: exchanges.ErrBadSignature, Op: op, Cause: err.Error()}
	}
	var offset time.Duration
	ts, terr := c.serverTime(ctx)
	if terr == nil {
		offset = ts.Offset()
	}
	path := "/0/private/" + method
	for attempt := 0; ; attempt++ {
		resp, err := c.sendPrivate(ctx, op, creds.Key, key, path, offset, terr == nil)
		if attempt > 0 || !isKraken(err, errInvalidNonce) || !sleep(ctx, nonceRetryWait) {
			return resp, err
		}
	}
}

func (c *client) sendPrivate(ctx context.Context, op, apiKey string, secret []byte, path string, offset time.Duration, known bool) (*exchanges.Response, error) {
	slot, release, err := keySlots.acquire(ctx, apiKey)
	if err != nil {
		return nil, &exchanges.Error{Class: exchanges.ErrTimeout, Op: op, Cause: "an earlier request of this key was still unanswered at the deadline"}
	}
	defer release()
	return exchanges.Send(ctx, c.cfg, op, func() (*http.Request, error) {
		nonce := strconv.FormatInt(slot.next(nonceBase(c.cfg.Clock(), offset, known)), 10)
		body := "nonce=" + nonce
		req, err := http.NewRequest(http.MethodPost, exchanges.JoinURL(c.base, path, ""), strings.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		req.Header.Set("API-Key", apiKey)
		req.Header.Set("API-Sign", SignRaw(secret, path, nonce, body))
		c.userAgent(req)
		return req, nil
	}, check(op))
}

// sleep waits d, or until ctx ends (false).
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
