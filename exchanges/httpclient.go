package exchanges

import (
	"net/http"
	"net/url"
	"time"

	"github.com/keywarden/keywarden/internal/textsafe"
)

// No exchange API answers with a redirect. Following one would send the
// key header, the signature, the passphrase, a Referer holding the whole
// signed URL and (for 307/308) a signed body to whatever host the answer
// names. So no redirect is ever followed: the 3xx answer itself comes
// back and is reported as ErrRedirect, naming only the host it pointed to.
// The same rule holds for the helpers beside the exchange requests (the IP
// echo service, status pages): they use SafeClient and RefuseRedirect too.

// NewHTTPClient is the client keywarden's commands share: bounded
// handshakes and header waits (each request also carries its own
// deadline), and redirects refused.
func NewHTTPClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSHandshakeTimeout = 10 * time.Second
	tr.ResponseHeaderTimeout = 30 * time.Second
	tr.MaxIdleConnsPerHost = 16
	return &http.Client{Transport: tr, CheckRedirect: stopAtRedirect}
}

// SafeClient returns a copy of c (nil: the default client) that never
// follows a redirect and keeps no cookies, so a caller's client cannot
// undo the rule. The transport is shared, so connections are reused.
func SafeClient(c *http.Client) *http.Client {
	if c == nil {
		c = http.DefaultClient
	}
	safe := *c
	safe.CheckRedirect = stopAtRedirect
	safe.Jar = nil
	return &safe
}

// stopAtRedirect makes the client return the 3xx answer itself, unread
// and unfollowed.
func stopAtRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// RefuseRedirect returns ErrRedirect for a redirect answer to a request
// sent to reqURL, else nil. The error names the host the Location header
// points to, cleaned, and nothing else of it: the rest could echo the
// signed query.
func RefuseRedirect(op string, reqURL *url.URL, resp *http.Response) error {
	if !isRedirect(resp.StatusCode) {
		return nil
	}
	host, where := "", "without saying where (no Location)"
	if loc := resp.Header.Get("Location"); loc != "" {
		where = "to an unreadable location"
		if u, err := reqURL.Parse(loc); err == nil && u.Host != "" {
			host = textsafe.Clean(u.Host, maxHost)
			where = "to " + host
		}
	}
	return &Error{Class: ErrRedirect, Op: op, HTTPStatus: resp.StatusCode, Location: host,
		Cause: "the answer redirected " + where + "; keywarden never follows a redirect, which would carry the key and its signature to that host"}
}

// isRedirect reports the statuses a client would follow (304 Not
// Modified is an answer, not a redirect).
func isRedirect(status int) bool {
	return status >= 300 && status < 400 && status != http.StatusNotModified
}
