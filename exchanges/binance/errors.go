package binance

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/keywarden/keywarden/exchanges"
)

// check classifies an answer: nil for 2xx, else an *exchanges.Error with
// Binance's own code and message.
func (c *client) check(op string) func(*exchanges.Response) error {
	return func(r *exchanges.Response) error {
		if r.Status >= 200 && r.Status < 300 {
			return nil
		}
		return classify(op, r)
	}
}

func classify(op string, r *exchanges.Response) *exchanges.Error {
	e := &exchanges.Error{Op: op, HTTPStatus: r.Status}
	body, ok := parseError(r.Body)
	if ok {
		e.Code = strconv.Itoa(*body.Code)
		e.Message = body.Msg
	}
	switch {
	case r.Status == http.StatusTooManyRequests || r.Status == 418 || (ok && *body.Code == -1003):
		e.Class = exchanges.ErrRateLimited
		e.RetryAfter = exchanges.RetryAfter(r.Header, r.Recv)
		if r.Status == 418 {
			e.Cause = "this IP is banned for a while after ignoring 429 answers"
		}
		return e
	case !ok:
		e.Class = exchanges.HTTPClass(r.Status)
		if r.Status == http.StatusForbidden {
			e.Class = exchanges.ErrUnavailable
			e.Cause = "blocked by Binance's web application firewall (HTTP 403)"
		}
		if r.Status == http.StatusUnauthorized {
			e.Class = exchanges.ErrBadKey
		}
		return e
	}
	switch *body.Code {
	case -2014, -2008, -4056, -4057:
		e.Class = exchanges.ErrBadKey
	case -2015:
		// Narrowed by the caller with follow-up evidence.
		e.Class = exchanges.ErrBadKey
	case -1022:
		e.Class = exchanges.ErrBadSignature
	case -1021:
		e.Class = exchanges.ErrClockSkew
	case -1002, -1099:
		e.Class = exchanges.ErrPermission
	case -1008, -1016, -1001, -1006, -1007:
		e.Class = exchanges.ErrUnavailable
	default:
		if r.Status >= 500 {
			e.Class = exchanges.ErrUnavailable
		} else {
			e.Class = exchanges.ErrMalformed
			e.Cause = "unexpected answer"
		}
	}
	return e
}

// narrow turns Binance's catch-all -2015 ("Invalid API-key, IP, or
// permissions for action") into its one cause, with read-only evidence:
//
//  1. a key that is not 64 letters and digits is a format problem;
//  2. the same request with a deliberately wrong signature: -1022 means
//     Binance knows the key on this host, so a read endpoint refused with
//     -2015 was refused for the caller's IP, and a futures endpoint for the
//     missing futures permission;
//  3. otherwise the same probe on Binance's other environments: -1022 there
//     means the key belongs to that environment;
//  4. otherwise the key is unknown here (or restricted to IPs Binance does
//     not reveal before it knows the key).
//
// The probes are GETs that Binance refuses before doing anything.
func (c *client) narrow(ctx context.Context, creds exchanges.Credentials, base *url.URL, path string, orig *exchanges.Error) error {
	e := *orig
	if !keyRE.MatchString(creds.Key) {
		e.Class = exchanges.ErrBadKey
		e.Cause = "the API Key is not 64 letters and digits: it was not copied whole"
		return &e
	}
	futures := strings.HasPrefix(path, "/fapi/")
	switch c.probe(ctx, creds.Key, base, path) {
	case "-1022":
		if futures {
			e.Class = exchanges.ErrPermission
			e.Cause = "Binance knows the key (a probe with a wrong signature got -1022), so the futures endpoint refused it for a missing Enable Futures permission"
		} else {
			e.Class = exchanges.ErrIPNotAllowed
			e.Cause = "Binance knows the key (a probe with a wrong signature got -1022, not -2015), so the -2015 came from the key's IP restriction"
		}
		return &e
	case "":
		return &e // the probe itself failed: keep what we know
	}
	// Other environments live on Binance's own hosts: with a base URL
	// override (a proxy, the simulator) there is nowhere else to ask.
	if c.cfg.BaseURL == nil {
		if env, ok := c.knownElsewhere(ctx, creds.Key, path); ok {
			e.Class = exchanges.ErrWrongEnvironment
			e.Cause = "the key is known on Binance " + env + ", not on " + c.envName()
			return &e
		}
	}
	e.Class = exchanges.ErrBadKey
	e.Cause = "Binance does not know this API Key on " + c.envName() + " (a probe with a wrong signature got -2015, not -1022): it was deleted, mistyped, or is restricted to IPs Binance will not name"
	return &e
}

// probe sends path with a valid timestamp and a signature that cannot be
// right, and returns Binance's error code ("" if no usable answer).
func (c *client) probe(ctx context.Context, key string, base *url.URL, path string) string {
	if strings.HasPrefix(path, "/sapi/") && !c.wallet {
		path = "/api/v3/account"
	}
	resp, err := exchanges.Send(ctx, c.cfg, "probe key", func() (*http.Request, error) {
		q := "recvWindow=" + strconv.FormatInt(recvWindow.Milliseconds(), 10) +
			"&timestamp=" + strconv.FormatInt(c.cfg.Clock().UnixMilli(), 10) +
			"&signature=" + strings.Repeat("0", 64)
		req, err := http.NewRequest(http.MethodGet, exchanges.JoinURL(base, path, q), nil)
		if err == nil {
			req.Header.Set("X-MBX-APIKEY", key)
		}
		return req, err
	}, func(*exchanges.Response) error { return nil })
	if err != nil || resp == nil {
		return ""
	}
	if body, ok := parseError(resp.Body); ok {
		return strconv.Itoa(*body.Code)
	}
	return ""
}

// knownElsewhere probes Binance's other environments concurrently.
func (c *client) knownElsewhere(ctx context.Context, key, path string) (string, bool) {
	futures := strings.HasPrefix(path, "/fapi/")
	var (
		mu    sync.Mutex
		found string
		wg    sync.WaitGroup
	)
	for _, env := range Info().Environments {
		if env.ID == c.cfg.Environment || (c.cfg.Environment == "" && env.ID == exchanges.Live) {
			continue
		}
		spot, fut := c.hostsOf(env.ID)
		host, p := spot, "/api/v3/account"
		if futures {
			host, p = fut, "/fapi/v3/balance"
		}
		u, _ := url.Parse(host)
		wg.Add(1)
		go func(name string) {
			defer wg.Done()
			if c.probe(ctx, key, u, p) == "-1022" {
				mu.Lock()
				found = name
				mu.Unlock()
			}
		}(env.Name)
	}
	wg.Wait()
	return found, found != ""
}
