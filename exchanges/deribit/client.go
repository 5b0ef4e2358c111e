package deribit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// sessionScope names the token's session. A token with the default
// "connection" scope is bound to the connection that asked for it, and
// over HTTP the next request may travel on another connection (Deribit
// then answers 13009 unauthorized); a named session makes the token usable
// on any connection. One fixed name keeps keywarden to one of the 16
// sessions a user may hold.
const sessionScope = "session:keywarden"

type client struct {
	cfg  exchanges.Config
	base *url.URL

	// mu guards the login shared by KeyInfo and Balance, which the
	// health check runs concurrently: one public/auth serves both.
	mu      sync.Mutex
	sess    *session
	pending *loginCall
}

// session is a token Deribit gave for one key. It lives in memory only.
type session struct {
	key     string
	secret  exchanges.Secret
	auth    auth
	expires time.Time
}

type loginCall struct {
	key    string
	secret exchanges.Secret
	done   chan struct{}
	sess   *session
	err    error
}

// New returns the Deribit adapter for cfg. With a base URL override, every
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
	return "Deribit"
}

// ServerTime reads public/get_time.
func (c *client) ServerTime(ctx context.Context) (exchanges.TimeSample, error) {
	const op = "read server time"
	resp, result, err := c.public(ctx, op, c.base, "get_time", nil)
	if err != nil {
		return exchanges.TimeSample{}, err
	}
	ms, err := parseTime(result)
	if err != nil {
		return exchanges.TimeSample{}, exchanges.Malformed(op, err)
	}
	return exchanges.TimeSample{Server: time.UnixMilli(ms), Sent: resp.Sent, Recv: resp.Recv, Source: "public/get_time"}, nil
}

// Status reads public/status: which currencies Deribit has locked. A
// system_maintenance answer is a status too, not a failure to read one.
func (c *client) Status(ctx context.Context) (exchanges.Status, error) {
	const op = "read system status"
	src := "public/status"
	_, result, err := c.public(ctx, op, c.base, "status", nil)
	if e, ok := exchanges.AsError(err); ok && e.Code == "11051" {
		return exchanges.Status{State: exchanges.StatusMaintenance, Message: e.Message, Source: src}, nil
	}
	if err != nil {
		return exchanges.Status{}, err
	}
	st, err := parseStatus(result)
	if err != nil {
		return exchanges.Status{}, exchanges.Malformed(op, err)
	}
	s := exchanges.Status{Source: src}
	switch st.Locked {
	case "false":
		s.State, s.Message = exchanges.StatusNormal, "no currency is locked"
	case "partial":
		s.State, s.Message = exchanges.StatusDegraded, "locked: "+joinMax(st.Indices, 8)
	default:
		s.State, s.Message = exchanges.StatusMaintenance, "the platform is locked in every currency"
	}
	return s, nil
}

// KeyInfo logs in with the key (public/auth, client_signature), then reads
// the key's own entry of private/list_api_keys: its max_scope, IP
// whitelist and timestamp. Where list_api_keys is refused (no
// account:read, or a security-key confirmation Deribit asks for), the
// scope Deribit granted at login is what is known.
func (c *client) KeyInfo(ctx context.Context, creds exchanges.Credentials) (exchanges.KeyInfo, error) {
	const op = "read api keys"
	sess, err := c.login(ctx, creds)
	if err != nil {
		return exchanges.KeyInfo{}, err
	}
	_, result, err := c.private(ctx, op, creds, "list_api_keys", nil)
	if err != nil {
		var e *exchanges.Error
		if errors.Is(err, exchanges.ErrPermission) || errors.Is(err, exchanges.ErrRateLimited) || errors.Is(err, exchanges.ErrUnsupported) {
			e, _ = exchanges.AsError(err)
		}
		if e == nil {
			return exchanges.KeyInfo{}, err
		}
		return fromScope(sess.auth.Scope, "private/list_api_keys was refused ("+e.Detail()+")"), nil
	}
	list, err := parseKeys(result, creds.Key)
	if err != nil {
		return exchanges.KeyInfo{}, exchanges.Malformed(op, err)
	}
	switch {
	case list.Needs2FA:
		return fromScope(sess.auth.Scope, "private/list_api_keys asks for a security-key (2FA) confirmation, which keywarden never gives"), nil
	case !list.Found:
		return fromScope(sess.auth.Scope, "the key's Client ID is not in private/list_api_keys (a key of another subaccount?)"), nil
	}
	return fromKey(list.Key), nil
}

// Balance reads private/get_account_summaries (every currency at once), or
// private/get_account_summary per currency where the former is missing.
func (c *client) Balance(ctx context.Context, creds exchanges.Credentials) (exchanges.Balance, error) {
	const op = "read account summaries"
	sess, err := c.login(ctx, creds)
	if err != nil {
		return exchanges.Balance{}, err
	}
	var sums []summary
	_, result, err := c.private(ctx, op, creds, "get_account_summaries", nil)
	switch {
	case errors.Is(err, exchanges.ErrUnsupported):
		if sums, err = c.summariesOneByOne(ctx, creds); err != nil {
			return exchanges.Balance{}, err
		}
	case err != nil:
		return exchanges.Balance{}, err
	default:
		if sums, err = parseSummaries(result); err != nil {
			return exchanges.Balance{}, exchanges.Malformed(op, err)
		}
	}
	return balanceOf(sums, parseScope(sess.auth.Scope).main), nil
}

// summaryCurrencies are read one by one when get_account_summaries is
// missing: Deribit's collateral currencies.
var summaryCurrencies = []string{"BTC", "ETH", "USDC", "USDT"}

func (c *client) summariesOneByOne(ctx context.Context, creds exchanges.Credentials) ([]summary, error) {
	const op = "read account summary"
	var out []summary
	for _, cur := range summaryCurrencies {
		_, result, err := c.private(ctx, op, creds, "get_account_summary", url.Values{"currency": {cur}})
		if err != nil {
			return nil, err
		}
		s, err := parseSummary(result)
		if err != nil {
			return nil, exchanges.Malformed(op, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// public calls public/<method> on base.
func (c *client) public(ctx context.Context, op string, base *url.URL, method string, params url.Values) (*exchanges.Response, []byte, error) {
	resp, err := exchanges.Send(ctx, c.cfg, op, func() (*http.Request, error) {
		return http.NewRequest(http.MethodGet, exchanges.JoinURL(base, "/api/v2/public/"+method, params.Encode()), nil)
	}, check(op, stagePublic))
	if err != nil {
		return resp, nil, err
	}
	result, _, _ := parseEnvelope(resp.Body)
	return resp, result, nil
}

// private calls private/<method> with the session's bearer token. A token
// Deribit stopped accepting (13009) is replaced once.
func (c *client) private(ctx context.Context, op string, creds exchanges.Credentials, method string, params url.Values) (*exchanges.Response, []byte, error) {
	for attempt := 0; ; attempt++ {
		sess, err := c.login(ctx, creds)
		if err != nil {
			return nil, nil, err
		}
		resp, err := exchanges.Send(ctx, c.cfg, op, func() (*http.Request, error) {
			req, err := http.NewRequest(http.MethodGet, exchanges.JoinURL(c.base, "/api/v2/private/"+method, params.Encode()), nil)
			if err == nil {
				req.Header.Set("Authorization", "Bearer "+sess.auth.Token)
			}
			return req, err
		}, check(op, stagePrivate))
		if e, ok := exchanges.AsError(err); ok && e.Code == "13009" && attempt == 0 {
			c.forget(sess)
			continue
		}
		if err != nil {
			return resp, nil, err
		}
		result, _, _ := parseEnvelope(resp.Body)
		return resp, result, nil
	}
}

// login returns a session for creds, logging in once for all concurrent
// callers.
func (c *client) login(ctx context.Context, creds exchanges.Credentials) (*session, error) {
	c.mu.Lock()
	if s := c.sess; s != nil && s.key == creds.Key && s.secret.Equal(creds.Secret) && time.Until(s.expires) > time.Minute {
		c.mu.Unlock()
		return s, nil
	}
	if p := c.pending; p != nil && p.key == creds.Key && p.secret.Equal(creds.Secret) {
		c.mu.Unlock()
		select {
		case <-p.done:
			return p.sess, p.err
		case <-ctx.Done():
			return nil, &exchanges.Error{Class: exchanges.ErrTimeout, Op: "log in (public/auth)", Cause: "no answer before the deadline"}
		}
	}
	p := &loginCall{key: creds.Key, secret: creds.Secret, done: make(chan struct{})}
	c.pending = p
	c.mu.Unlock()

	p.sess, p.err = c.authenticate(ctx, creds)
	c.mu.Lock()
	c.pending = nil
	if p.err == nil {
		c.sess = p.sess
	}
	c.mu.Unlock()
	close(p.done)
	return p.sess, p.err
}

func (c *client) forget(s *session) {
	c.mu.Lock()
	if c.sess == s {
		c.sess = nil
	}
	c.mu.Unlock()
}

// authenticate calls public/auth with grant_type client_signature: the
// Client Secret signs "timestamp\nnonce\n" and never leaves this machine.
func (c *client) authenticate(ctx context.Context, creds exchanges.Credentials) (*session, error) {
	const op = "log in (public/auth)"
	resp, err := c.authRequest(ctx, op, c.base, creds)
	if e, ok := exchanges.AsError(err); ok && (e.Code == "13004" || e.Code == "13009") {
		return nil, c.narrow(ctx, creds, e)
	}
	if err != nil {
		return nil, err
	}
	result, _, _ := parseEnvelope(resp.Body)
	a, err := parseAuth(result)
	if err != nil {
		return nil, exchanges.Malformed(op, err)
	}
	life := time.Duration(a.ExpiresIn) * time.Second
	if life <= 0 || life > 24*time.Hour {
		life = 15 * time.Minute
	}
	return &session{key: creds.Key, secret: creds.Secret, auth: a, expires: time.Now().Add(life)}, nil
}

func (c *client) authRequest(ctx context.Context, op string, base *url.URL, creds exchanges.Credentials) (*exchanges.Response, error) {
	secret := []byte(creds.Secret.Reveal())
	return exchanges.Send(ctx, c.cfg, op, func() (*http.Request, error) {
		ts := c.cfg.Clock().UnixMilli()
		nonce, err := newNonce()
		if err != nil {
			return nil, err
		}
		q := url.Values{
			"grant_type": {"client_signature"},
			"client_id":  {creds.Key},
			"timestamp":  {strconv.FormatInt(ts, 10)},
			"nonce":      {nonce},
			"signature":  {SignClient(secret, ts, nonce, "")},
			"scope":      {sessionScope},
		}
		return http.NewRequest(http.MethodGet, exchanges.JoinURL(base, "/api/v2/public/auth", q.Encode()), nil)
	}, check(op, stageLogin))
}

// newNonce is 16 random hex digits: Deribit's nonce is a single-use,
// client-chosen value.
func newNonce() (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

func joinMax(v []string, n int) string {
	if len(v) == 0 {
		return "some currencies"
	}
	out := ""
	for i, s := range v {
		if i == n {
			return out + ", …"
		}
		if i > 0 {
			out += ", "
		}
		out += s
	}
	return out
}
