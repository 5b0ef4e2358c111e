package exchanges

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/internal/textsafe"
)

// DefaultRequestTimeout bounds a request whose context has no deadline.
const DefaultRequestTimeout = 10 * time.Second

// MaxBody bounds how much of a response is read. A longer answer is
// ErrTooLarge: it is never parsed cut off.
const MaxBody = 4 << 20

// maxRetryWait is the longest Retry-After that is waited for before
// retrying once; longer waits are reported instead.
const maxRetryWait = 5 * time.Second

// Response is a read HTTP answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	Sent   time.Time // local time the request left
	Recv   time.Time // local time the answer was read
}

// Send performs one request built by build (called again for the single
// retry, so signed requests get a fresh timestamp) and classifies the
// answer with check, which returns nil for success or a classified error.
//
// Every request has a deadline: ctx's, or DefaultRequestTimeout. No answer
// in time is ErrTimeout; a connection failure is ErrUnavailable. When check
// reports ErrRateLimited with a Retry-After that fits in the deadline (and
// in maxRetryWait), Send waits once and tries again; a second limit is
// returned to the caller.
func Send(ctx context.Context, cfg Config, op string, build func() (*http.Request, error), check func(*Response) error) (*Response, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultRequestTimeout)
		defer cancel()
	}
	for attempt := 0; ; attempt++ {
		resp, err := roundTrip(ctx, cfg, op, build)
		if err == nil {
			err = CleanError(check(resp))
		}
		if err == nil {
			return resp, nil
		}
		e, ok := AsError(err)
		if attempt > 0 || !ok || !errors.Is(err, ErrRateLimited) {
			return resp, err
		}
		wait := e.RetryAfter
		if wait <= 0 {
			wait = time.Second
		}
		if dl, _ := ctx.Deadline(); wait > maxRetryWait || time.Until(dl) < wait+100*time.Millisecond {
			return resp, err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return resp, err
		case <-t.C:
		}
	}
}

func roundTrip(ctx context.Context, cfg Config, op string, build func() (*http.Request, error)) (*Response, error) {
	req, err := build()
	if err != nil {
		return nil, fmt.Errorf("%s: build request: %w", op, err)
	}
	req = req.WithContext(ctx)
	if cfg.UserAgent != "" && req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", cfg.UserAgent)
	}
	// A Referer would carry a whole signed URL to wherever it is sent.
	req.Header.Del("Referer")
	sent := cfg.Clock()
	hr, err := cfg.Client().Do(req)
	if err != nil {
		return nil, transportError(ctx, op, err)
	}
	defer hr.Body.Close()
	if err := RefuseRedirect(op, req.URL, hr); err != nil {
		return nil, err
	}
	if hr.ContentLength > MaxBody {
		return nil, tooLarge(op, hr.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(hr.Body, MaxBody+1))
	if err != nil {
		return nil, transportError(ctx, op, err)
	}
	if len(body) > MaxBody {
		return nil, tooLarge(op, hr.StatusCode)
	}
	return &Response{Status: hr.StatusCode, Header: hr.Header, Body: body, Sent: sent, Recv: cfg.Clock()}, nil
}

func tooLarge(op string, status int) error {
	return &Error{Class: ErrTooLarge, Op: op, HTTPStatus: status,
		Cause: fmt.Sprintf("the answer is larger than %d MiB, more than any real answer; keywarden stops reading it and does not parse a cut-off answer", MaxBody>>20)}
}

func transportError(ctx context.Context, op string, err error) error {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil || (errors.As(err, &ne) && ne.Timeout()) {
		return &Error{Class: ErrTimeout, Op: op, Cause: "no answer before the deadline"}
	}
	// The URL (which carries the query, never a secret) is dropped: the
	// cause is what a person needs.
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return &Error{Class: ErrUnavailable, Op: op, Cause: textsafe.Line(err.Error())}
}

// RetryAfter parses a Retry-After header (seconds or an HTTP date).
func RetryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// HTTPClass classifies a non-2xx status that the exchange's own error body
// did not explain.
func HTTPClass(status int) error {
	switch {
	case status == http.StatusTooManyRequests || status == 418:
		return ErrRateLimited
	case status == http.StatusUnauthorized:
		return ErrBadKey
	case status == http.StatusForbidden:
		return ErrPermission
	case status >= 500:
		return ErrUnavailable
	}
	return ErrMalformed
}

// JoinURL appends path (and an optional raw query) to base.
func JoinURL(base *url.URL, path, rawQuery string) string {
	u := *base
	u.Path = strings.TrimRight(u.Path, "/") + path
	u.RawPath = ""
	u.RawQuery = rawQuery
	return u.String()
}

// BaseURL returns cfg.BaseURL, or def parsed.
func BaseURL(cfg Config, def string) (*url.URL, error) {
	if cfg.BaseURL != nil {
		return cfg.BaseURL, nil
	}
	return url.Parse(def)
}

// CheckBaseURL enforces the rule for --base-url: https, or plain http only
// to a loopback host.
func CheckBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("base URL %q is not an absolute URL like https://api.example.com", raw)
	}
	switch u.Scheme {
	case "https":
	case "http":
		host := u.Hostname()
		ip := net.ParseIP(host)
		if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return nil, fmt.Errorf("base URL %q uses plain http to a non-loopback host; use https:// (http is allowed only for 127.0.0.1, ::1 or localhost)", raw)
		}
	default:
		return nil, fmt.Errorf("base URL %q must start with https:// (or http:// for a loopback host)", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("base URL %q must not carry a query, fragment or user info", raw)
	}
	return u, nil
}
