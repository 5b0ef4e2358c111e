package mask

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"net/url"
	"strings"
	"testing"
)

// coinbasePEM is a fresh SEC1 P-256 key as Coinbase CDP hands it out.
func coinbasePEM(t testing.TB) string {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}))
}

// The forms that issue 12 found printed in clear, each masked now.
func TestIssueLeaksAreMasked(t *testing.T) {
	p := coinbasePEM(t)
	s := testSecret
	m := New([]Secret{{Name: "key", Value: testKey}, {Name: "secret", Value: s}, {Name: "pem", Value: p}}, 6)
	colour := s[:20] + "\x1b[31m" + s[20:] + "\x1b[0m"
	for _, tc := range []struct{ name, value, in string }{
		{"PEM query-escaped", p, url.QueryEscape(p)},
		{"PEM path-escaped", p, url.PathEscape(p)},
		{"PEM as Python's quote() escapes it", p, strings.NewReplacer("%2F", "/", "+", "%20").Replace(url.QueryEscape(p))},
		{"PEM with lower-case escapes", p, lowerEscapes(url.QueryEscape(p))},
		{"PEM JSON-escaped", p, jsonString(p)},
		{"PEM body base64 wrapped at 76, odd alignment", p, wrapAt(base64.StdEncoding.EncodeToString([]byte("x:"+p)), 76)},
		{"PEM indented with CRLF", p, "    " + strings.ReplaceAll(p, "\n", "\r\n    ")},
		{"every character %XX", s, percentAll(s, "%%%02X")},
		{"every character %xx", s, percentAll(s, "%%%02x")},
		{"\\u escapes", s, percentAll(s, "\\u%04x")},
		{"\\x escapes", s, percentAll(s, "\\x%02x")},
		{"colour code inside", s, colour},
		{"lower-cased", s, strings.ToLower(s)},
		{"upper-cased", s, strings.ToUpper(s)},
		{"reversed", s, reverseRunes(s)},
		{"space-separated", s, strings.Join(strings.Split(s, ""), " ")},
		{"20-character suffix", s, s[len(s)-20:]},
		{"30-character middle", s, s[17:47]},
		{"16-character middle", s, s[30:46]},
		{"key as a 16-character piece", testKey, testKey[5:21]},
	} {
		out := m.String("INFO bot: " + tc.in + " ok\n")
		if l := leak(out, tc.value); l != "" || !strings.Contains(out, "[masked ") {
			t.Errorf("%s: leaks %s:\n%q", tc.name, l, out)
		}
		if !strings.HasPrefix(out, "INFO bot: ") || !strings.HasSuffix(out, " ok\n") {
			t.Errorf("%s: the text around it changed: %q", tc.name, out)
		}
	}
	// The bot's colours stay.
	out := m.String("\x1b[32mINFO\x1b[0m secret=" + colour + "\n")
	if !strings.HasPrefix(out, "\x1b[32mINFO\x1b[0m secret=") || !strings.Contains(out, "\x1b[31m") || !strings.HasSuffix(out, "\x1b[0m\n") {
		t.Errorf("colours lost: %q", out)
	}
}

// Runs shorter than 16 characters of a long secret are ordinary text.
func TestShortRunsPass(t *testing.T) {
	m := testMatcher()
	for _, in := range []string{
		"id " + testSecret[:15] + " x " + testSecret[30:45] + "\n",
		"%41%42 \\u0041 \x1b[1mbold\x1b[0m ABC abc 0123456789abcdef\n",
	} {
		if got := m.String(in); got != in {
			t.Errorf("changed: %q -> %q", in, got)
		}
	}
}

func wrapAt(s string, n int) string {
	var sb strings.Builder
	for len(s) > n {
		sb.WriteString(s[:n] + "\n")
		s = s[n:]
	}
	return sb.String() + s
}

// A whole encoding of a secret leaves nothing of it beside the mask: not
// its last base64 character, its padding, or an escape.
func TestWholeEncodingsLeaveNothing(t *testing.T) {
	for _, v := range []string{testSecret, testSecret[:61], testSecret[:62]} {
		m := New([]Secret{{Name: "secret", Value: v}}, 6)
		b := []byte(v)
		for name, enc := range map[string]string{
			"base64": base64.StdEncoding.EncodeToString(b), "base64url": base64.URLEncoding.EncodeToString(b),
			"base64 raw": base64.RawStdEncoding.EncodeToString(b), "hex": hex.EncodeToString(b),
			"HEX": strings.ToUpper(hex.EncodeToString(b)), "query": url.QueryEscape(v), "JSON": strings.Trim(jsonString(v), `"`),
			"%XX": percentAll(v, "%%%02X"), "\\u": percentAll(v, "\\u%04x"), "reversed": reverseRunes(v),
		} {
			if got := m.String("x " + enc + " y\n"); got != "x [masked secret] y\n" {
				t.Errorf("%d characters, %s: %q", len(v), name, got)
			}
		}
	}
}
