package checks

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/beevik/ntp"

	"github.com/keywarden/keywarden/exchanges"
)

// DefaultNTPServers are queried for the clock check, concurrently, the
// first valid answer winning. They are public services open to anyone
// (the NTP pool asks vendors not to hard-code its names).
var DefaultNTPServers = []string{"time.cloudflare.com", "time.google.com"}

// DefaultIPEchoURLs answer this machine's public IP as plain text; the
// second is the fallback.
var DefaultIPEchoURLs = []string{"https://api.ipify.org", "https://checkip.amazonaws.com"}

// Options configure a check session.
type Options struct {
	// Timeout bounds one key's whole check (default 15 s).
	Timeout time.Duration
	// NTPServers to query ("host" or "host:port"); nil means the defaults,
	// ["off"] turns the NTP query off.
	NTPServers []string
	// IPEchoURLs answer the public IP; nil means the defaults.
	IPEchoURLs []string
	// HTTP is the client for the IP echo service.
	HTTP *http.Client
	// Now is the clock (tests).
	Now func() time.Time
}

// Session holds what is shared by every key checked in one run: one NTP
// query and one public-IP lookup, made on first use and reused.
type Session struct {
	opts Options

	ntpOnce sync.Once
	ntpDone chan struct{}
	ntpVal  NTPSample
	ntpErr  error

	ipOnce sync.Once
	ipDone chan struct{}
	ipVal  string
	ipErr  error
}

// NewSession returns a session with defaults filled in.
func NewSession(opts Options) *Session {
	if opts.Timeout <= 0 {
		opts.Timeout = 15 * time.Second
	}
	if opts.NTPServers == nil {
		opts.NTPServers = DefaultNTPServers
	}
	if opts.IPEchoURLs == nil {
		opts.IPEchoURLs = DefaultIPEchoURLs
	}
	// Redirects are refused whatever client was given: the IP echo answer
	// decides which IPs a key is judged against.
	opts.HTTP = exchanges.SafeClient(opts.HTTP)
	return &Session{opts: opts, ntpDone: make(chan struct{}), ipDone: make(chan struct{})}
}

func (s *Session) now() time.Time {
	if s.opts.Now != nil {
		return s.opts.Now()
	}
	return time.Now()
}

// NTPDisabled reports whether the user turned NTP off.
func (s *Session) NTPDisabled() bool {
	return len(s.opts.NTPServers) == 1 && strings.EqualFold(s.opts.NTPServers[0], "off")
}

// NTP queries the NTP servers once per session.
func (s *Session) NTP(ctx context.Context) (NTPSample, error) {
	s.ntpOnce.Do(func() {
		go func() {
			defer close(s.ntpDone)
			if s.NTPDisabled() {
				s.ntpVal = NTPSample{Disabled: true}
				s.ntpErr = errors.New("NTP check turned off")
				return
			}
			s.ntpVal, s.ntpErr = queryNTP(s.opts.NTPServers, min(2*time.Second, s.opts.Timeout))
		}()
	})
	select {
	case <-s.ntpDone:
		return s.ntpVal, s.ntpErr
	case <-ctx.Done():
		return NTPSample{}, errors.New("no NTP answer in time")
	}
}

func queryNTP(servers []string, timeout time.Duration) (NTPSample, error) {
	type answer struct {
		s   NTPSample
		err error
	}
	ch := make(chan answer, len(servers))
	for _, srv := range servers {
		go func() {
			r, err := ntp.QueryWithOptions(srv, ntp.QueryOptions{Timeout: timeout})
			if err == nil {
				err = r.Validate()
			}
			if err != nil {
				ch <- answer{err: fmt.Errorf("%s: %w", srv, err)}
				return
			}
			// ClockOffset is positive when the local clock is behind.
			ch <- answer{s: NTPSample{Server: srv, Offset: -r.ClockOffset, RTT: r.RTT}}
		}()
	}
	var errs []string
	for range servers {
		a := <-ch
		if a.err == nil {
			return a.s, nil
		}
		errs = append(errs, a.err.Error())
	}
	return NTPSample{}, errors.New("no NTP server answered (" + strings.Join(errs, "; ") + ")")
}

// PublicIP asks the echo services, in order, once per session.
func (s *Session) PublicIP(ctx context.Context) (string, error) {
	s.ipOnce.Do(func() {
		go func() {
			defer close(s.ipDone)
			c, cancel := context.WithTimeout(context.Background(), min(5*time.Second, s.opts.Timeout))
			defer cancel()
			var errs []string
			for _, u := range s.opts.IPEchoURLs {
				ip, err := echoIP(c, s.opts.HTTP, u)
				if err == nil {
					s.ipVal = ip
					return
				}
				errs = append(errs, err.Error())
			}
			s.ipErr = errors.New("this machine's public IP is unknown: " + strings.Join(errs, "; "))
		}()
	})
	select {
	case <-s.ipDone:
		return s.ipVal, s.ipErr
	case <-ctx.Done():
		return "", errors.New("no answer from the IP echo service in time")
	}
}

// maxEchoBody bounds an IP echo answer: an address with some whitespace.
const maxEchoBody = 256

func echoIP(ctx context.Context, c *http.Client, u string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", fmt.Errorf("%s: %w", u, err)
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", fmt.Errorf("%s: unreachable", u)
	}
	defer resp.Body.Close()
	if err := exchanges.RefuseRedirect(u, req.URL, resp); err != nil {
		return "", err
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxEchoBody+1))
	if err != nil {
		// Never parse a cut-off answer: "10.0.0.1" may be "10.0.0.12".
		return "", fmt.Errorf("%s: the answer was cut off", u)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s: HTTP %d", u, resp.StatusCode)
	}
	if len(b) > maxEchoBody {
		// Never parse a cut-off answer: its first bytes could read as an IP.
		return "", fmt.Errorf("%s: the answer is longer than an IP address (over %d bytes)", u, maxEchoBody)
	}
	return ParseEchoIP(b)
}

// ParseEchoIP reads an IP echo answer: one IPv4 or IPv6 address, with
// optional surrounding whitespace.
func ParseEchoIP(b []byte) (string, error) {
	s := strings.TrimSpace(string(b))
	ip := net.ParseIP(s)
	if ip == nil {
		return "", errors.New("the IP echo service did not answer an IP address")
	}
	return ip.String(), nil
}
