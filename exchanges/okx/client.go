package okx

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// demoHeader marks a request for Demo Trading: OKX serves both
// environments on one host and tells them apart by this header.
const demoHeader = "x-simulated-trading"

type client struct {
	cfg  exchanges.Config
	base *url.URL
	demo bool
}

// New returns the OKX adapter for cfg. Demo Trading uses the live host with
// the x-simulated-trading header; a base URL override (a regional host
// such as eea.okx.com, a proxy, the simulator) replaces the host for both.
func New(cfg exchanges.Config) exchanges.Exchange {
	base, err := exchanges.BaseURL(cfg, liveHost)
	if err != nil {
		base, _ = url.Parse(liveHost)
	}
	return &client{cfg: cfg, base: base, demo: cfg.Environment == exchanges.Demo}
}

func (c *client) Info() exchanges.Info { return Info() }

// ServerTime reads GET /api/v5/public/time.
func (c *client) ServerTime(ctx context.Context) (exchanges.TimeSample, error) {
	const op = "read server time"
	resp, err := c.get(ctx, op, "/api/v5/public/time", "", nil)
	if err != nil {
		return exchanges.TimeSample{}, err
	}
	ms, err := parseTime(resp.Body)
	if err != nil {
		return exchanges.TimeSample{}, exchanges.Malformed(op, err)
	}
	return exchanges.TimeSample{Server: time.UnixMilli(ms), Sent: resp.Sent, Recv: resp.Recv, Source: "GET /api/v5/public/time"}, nil
}

// Status reads GET /api/v5/system/status, which lists scheduled, ongoing
// and pre-open maintenance; only events of this environment count.
func (c *client) Status(ctx context.Context) (exchanges.Status, error) {
	const op = "read system status"
	resp, err := c.get(ctx, op, "/api/v5/system/status", "", nil)
	if err != nil {
		return exchanges.Status{}, err
	}
	events, err := parseStatus(resp.Body)
	if err != nil {
		return exchanges.Status{}, exchanges.Malformed(op, err)
	}
	env := "1"
	if c.demo {
		env = "2"
	}
	return statusOf(events, env), nil
}

// KeyInfo reads GET /api/v5/account/config: the calling key's permissions
// (perm), bound IPs (ip) and note (label).
func (c *client) KeyInfo(ctx context.Context, creds exchanges.Credentials) (exchanges.KeyInfo, error) {
	const op = "read account configuration"
	resp, err := c.get(ctx, op, "/api/v5/account/config", "", &creds)
	if err != nil {
		return exchanges.KeyInfo{}, err
	}
	cfg, err := parseConfig(resp.Body)
	if err != nil {
		return exchanges.KeyInfo{}, exchanges.Malformed(op, err)
	}
	return cfg.keyInfo(c.demo, resp.Recv), nil
}

// Balance reads the Trading account (OKX's unified account serves spot,
// margin and derivatives alike). When it holds nothing, the Funding account
// is read too, to tell whether the money is just in the wrong account.
func (c *client) Balance(ctx context.Context, creds exchanges.Credentials) (exchanges.Balance, error) {
	const op = "read trading account balance"
	resp, err := c.get(ctx, op, "/api/v5/account/balance", "", &creds)
	if err != nil {
		return exchanges.Balance{}, err
	}
	tb, err := parseBalance(resp.Body)
	if err != nil {
		return exchanges.Balance{}, exchanges.Malformed(op, err)
	}
	b := exchanges.Balance{Assets: tb.Assets, Accounts: []string{"trading"}}
	if tb.TotalEq != "" {
		b.Totals = map[string]string{"USD equity": exchanges.AddDecimals(tb.TotalEq)}
	}
	if len(b.Assets) > 0 {
		return b, nil
	}
	fresp, err := c.get(ctx, "read funding account balance", "/api/v5/asset/balances", "", &creds)
	if err != nil {
		b.Notes = append(b.Notes, "funding account not read: "+err.Error())
		return b, nil
	}
	funding, err := parseFunding(fresp.Body)
	if err != nil {
		b.Notes = append(b.Notes, "funding account not read: "+exchanges.Malformed("read funding account balance", err).Error())
		return b, nil
	}
	if len(funding) > 0 {
		n := "the Funding account holds"
		for i, a := range funding {
			if i == 5 {
				n += " …"
				break
			}
			n += " " + a.Total + " " + a.Asset
		}
		b.Notes = append(b.Notes, n+"; the bot trades from the Trading account")
	}
	return b, nil
}

// get sends a GET, signed when creds is given.
func (c *client) get(ctx context.Context, op, path, query string, creds *exchanges.Credentials) (*exchanges.Response, error) {
	resp, err := c.send(ctx, op, path, query, creds)
	if e, ok := exchanges.AsError(err); ok && e.Class == exchanges.ErrWrongEnvironment {
		// OKX's 50101 does not say which way round; the configuration does.
		e.Cause = "the key is a live OKX key, not a Demo Trading one"
		if !c.demo {
			e.Cause = "the key is a Demo Trading key, not a live OKX one"
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
		if c.demo {
			req.Header.Set(demoHeader, "1")
		}
		if creds != nil {
			requestPath := path
			if query != "" {
				requestPath += "?" + query
			}
			ts := Timestamp(c.cfg.Clock())
			req.Header.Set("OK-ACCESS-KEY", creds.Key)
			req.Header.Set("OK-ACCESS-SIGN", Sign([]byte(creds.Secret.Reveal()), ts, http.MethodGet, requestPath, ""))
			req.Header.Set("OK-ACCESS-TIMESTAMP", ts)
			req.Header.Set("OK-ACCESS-PASSPHRASE", creds.Passphrase.Reveal())
		}
		return req, nil
	}, check(op))
}

// statusOf turns the events of one environment ("1" production, "2" demo)
// into a state: an ongoing outage of the trading service is maintenance;
// other ongoing work (in batches, bots, WebSocket, single instruments) and
// the pre-open phase are partial; scheduled work is announced. The worst
// event wins.
func statusOf(events []statusEvent, env string) exchanges.Status {
	s := exchanges.Status{State: exchanges.StatusNormal, Source: "GET /api/v5/system/status", Message: "no maintenance scheduled or ongoing"}
	rank := map[exchanges.StatusState]int{exchanges.StatusNormal: 0, exchanges.StatusAnnounced: 1, exchanges.StatusDegraded: 2, exchanges.StatusMaintenance: 3}
	for _, ev := range events {
		if ev.Env != "" && ev.Env != env {
			continue
		}
		var st exchanges.StatusState
		switch ev.State {
		case "ongoing":
			st = exchanges.StatusDegraded
			if ev.ServiceType == "5" {
				st = exchanges.StatusMaintenance
			}
		case "pre_open":
			st = exchanges.StatusDegraded
		case "scheduled":
			st = exchanges.StatusAnnounced
		default:
			continue
		}
		if s.State != exchanges.StatusNormal && rank[st] <= rank[s.State] {
			continue
		}
		s.State = st
		s.Message = ev.Title
		if ev.State == "pre_open" && ev.Title != "" {
			s.Message = ev.Title + " (pre-open: only cancelling, Post Only orders and transfers in)"
		}
		s.Since, s.Until = millis(ev.Begin), millis(ev.End)
	}
	return s
}

func millis(s string) time.Time {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(n)
}
