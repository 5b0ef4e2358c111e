package mask

import (
	"bytes"
	"crypto/ecdh"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

const (
	testKey    = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
	testSecret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
)

func testMatcher() *Matcher {
	return New([]Secret{{Name: "key", Value: testKey}, {Name: "secret", Value: testSecret}, {Name: "passphrase", Value: "hunter2!?/ &x"}}, 6)
}

// every encoding a bot might print a secret in
func encodings(s string) map[string]string {
	b := []byte(s)
	return map[string]string{
		"raw":            s,
		"base64":         base64.StdEncoding.EncodeToString(b),
		"base64 raw":     base64.RawStdEncoding.EncodeToString(b),
		"base64url":      base64.URLEncoding.EncodeToString(b),
		"base64url raw":  base64.RawURLEncoding.EncodeToString(b),
		"hex":            hex.EncodeToString(b),
		"HEX":            strings.ToUpper(hex.EncodeToString(b)),
		"query":          url.QueryEscape(s),
		"path":           url.PathEscape(s),
		"query lower":    lowerEscapes(url.QueryEscape(s)),
		"json":           mustJSON(s),
		"basic auth":     base64.StdEncoding.EncodeToString([]byte("user:" + s)),
		"basic auth 2":   base64.StdEncoding.EncodeToString([]byte("us:" + s + ":x")),
		"inside base64":  base64.RawURLEncoding.EncodeToString([]byte("ab" + s + "cde")),
		"hex in a query": "sig=" + hex.EncodeToString([]byte(s)) + "&x=1",
		"base64 wrapped": wrapAt(base64.StdEncoding.EncodeToString(b), 76) + "\n",
		"xxd -p":         wrapAt(hex.EncodeToString(b), 60) + "\n",
	}
}

func mustJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestEveryEncodingIsMasked(t *testing.T) {
	m := testMatcher()
	for _, sec := range m.Secrets() {
		for name, enc := range encodings(sec.Value) {
			if strings.TrimSpace(enc) == "" {
				continue // a short value does not wrap
			}
			in := "before " + enc + " after\n"
			out := m.String(in)
			if !strings.HasPrefix(out, "before ") || !strings.HasSuffix(out, " after\n") || !strings.Contains(out, "[masked ") {
				t.Errorf("%s in %s: %q", sec.Name, name, out)
			}
			leak := strings.Contains(out, sec.Value) || (len(enc) > 20 && strings.Contains(out, enc[4:len(enc)-4]))
			for _, l := range strings.Split(enc, "\n") {
				leak = leak || (len(l) >= 8 && strings.Contains(out, l))
			}
			if leak {
				t.Errorf("%s in %s leaks: %q", sec.Name, name, out)
			}
		}
	}
}

func TestNothingElseChanges(t *testing.T) {
	m := testMatcher()
	in := make([]byte, 64<<10)
	_, _ = rand.Read(in)
	in = append(in, "NhqPtmdSJYd plain text, a prefix too short to mean anything\n"...)
	var out bytes.Buffer
	w := NewWriter(&out, m, 0)
	for i := 0; i < len(in); i += 777 {
		_, _ = w.Write(in[i:min(i+777, len(in))])
	}
	_ = w.Flush()
	if !bytes.Equal(out.Bytes(), in) {
		t.Fatal("bytes without a secret were changed")
	}
}

// A secret split across writes at every possible place is still masked,
// and what precedes it is written at once.
func TestSplitAcrossWrites(t *testing.T) {
	m := testMatcher()
	in := "log: secret=" + testSecret + " ok\n"
	want := m.String(in)
	if want != "log: secret=[masked secret] ok\n" {
		t.Fatalf("one write: %q", want)
	}
	for i := 0; i <= len(in); i++ {
		for j := i; j <= len(in); j += 7 {
			var out bytes.Buffer
			w := NewWriter(&out, m, 0)
			_, _ = w.Write([]byte(in[:i]))
			_, _ = w.Write([]byte(in[i:j]))
			_, _ = w.Write([]byte(in[j:]))
			_ = w.Flush()
			if out.String() != want {
				t.Fatalf("split at %d,%d: %q", i, j, out.String())
			}
		}
	}
}

func TestHoldsBackOnlyAPossibleSecret(t *testing.T) {
	m := testMatcher()
	var out bytes.Buffer
	w := NewWriter(&out, m, 0)
	_, _ = w.Write([]byte("starting bot\n"))
	if out.String() != "starting bot\n" {
		t.Fatalf("a line without a secret was held back: %q", out.String())
	}
	_, _ = w.Write([]byte("secret=" + testSecret[:5]))
	if out.String() != "starting bot\nsecret=" {
		t.Fatalf("held back: %q", out.String())
	}
	_, _ = w.Write([]byte(testSecret[5:40]))
	if strings.Contains(out.String(), testSecret[:5]) {
		t.Fatalf("beginning of a secret written: %q", out.String())
	}
	_, _ = w.Write([]byte(testSecret[40:] + "\n"))
	if out.String() != "starting bot\nsecret=[masked secret]\n" {
		t.Fatalf("got %q", out.String())
	}
	// A lone beginning shorter than the prefix is released once it
	// cannot be a secret any more, or at the end.
	_, _ = w.Write([]byte(testSecret[:4]))
	_ = w.Flush()
	if !strings.HasSuffix(out.String(), "\n"+testSecret[:4]) {
		t.Fatalf("flush: %q", out.String())
	}
}

// A run of MinRun characters is masked wherever it is in the secret; one
// character fewer is ordinary text.
func TestRunsOfASecret(t *testing.T) {
	m := testMatcher()
	for _, piece := range []string{testSecret[:16], testSecret[20:36], testSecret[len(testSecret)-16:], testKey[3:40]} {
		if got := m.String("x " + piece + "...\n"); !strings.HasPrefix(got, "x [masked ") || !strings.HasSuffix(got, "]...\n") {
			t.Errorf("%q not masked: %q", piece, got)
		}
	}
	var out bytes.Buffer
	w := NewWriter(&out, m, 0)
	_, _ = w.Write([]byte("k=" + testKey[:16]))
	_ = w.Flush()
	if out.String() != "k=[masked key]" {
		t.Errorf("a run at the end of the stream: %q", out.String())
	}
	for _, piece := range []string{testKey[:15], testSecret[30:45]} {
		if got := m.String("id " + piece + "\n"); got != "id "+piece+"\n" {
			t.Errorf("15 characters masked: %q", got)
		}
	}
}

func TestOverlappingAndAdjacentSecretsMaskOnce(t *testing.T) {
	m := testMatcher()
	got := m.String(testKey + testSecret + " " + testSecret + testSecret)
	if got != "[masked key] [masked secret]" {
		t.Errorf("got %q", got)
	}
}

func TestShortValuesAreNotPatterns(t *testing.T) {
	m := New([]Secret{{Name: "passphrase", Value: "abc"}}, 6)
	if !m.Empty() {
		t.Fatalf("a 3-character value made patterns: %+v", m.Patterns())
	}
	if got := m.String("abc abc"); got != "abc abc" {
		t.Errorf("got %q", got)
	}
}

func testPEM(t *testing.T) string {
	t.Helper()
	k, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		// ecdh keys are not PKCS#8-marshalable everywhere; fall back to
		// random bytes, which look the same to the masker.
		der = make([]byte, 138)
		_, _ = rand.Read(der)
	}
	return strings.TrimSpace(string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: append(der, der...)})))
}

func TestPEMSecrets(t *testing.T) {
	p := testPEM(t)
	m := New([]Secret{{Name: "secret", Value: p}}, 6)
	lines := strings.Split(p, "\n")
	for name, in := range map[string]string{
		"as is":        p,
		"CRLF":         strings.ReplaceAll(p, "\n", "\r\n"),
		"JSON":         mustJSON(p),
		"indented":     "  " + strings.ReplaceAll(p, "\n", "\n    "),
		"one line":     lines[1],
		"body joined":  strings.Join(lines[1:len(lines)-1], ""),
		"base64 of it": base64.StdEncoding.EncodeToString([]byte(p)),
	} {
		out := m.String("key: " + in + "\n")
		for _, l := range lines[1 : len(lines)-1] {
			if len(l) >= 16 && strings.Contains(out, l) {
				t.Errorf("%s: a body line leaks: %q", name, out)
			}
		}
		if strings.Contains(out, p) || !strings.Contains(out, "[masked secret]") {
			t.Errorf("%s: %q", name, out)
		}
	}
	// The PEM header alone is boilerplate, not a secret.
	if got := m.String("-----BEGIN PRIVATE KEY-----\n"); got != "-----BEGIN PRIVATE KEY-----\n" {
		t.Errorf("header masked: %q", got)
	}
}

// Every core of every alignment finds the secret inside longer base64.
func TestBase64Alignments(t *testing.T) {
	for _, v := range []string{"abcdefgh", "abcdefghi", "abcdefghij", testSecret} {
		m := New([]Secret{{Name: "s", Value: v}}, 6)
		for pre := 0; pre < 6; pre++ {
			for post := 0; post < 4; post++ {
				b := append(append(bytes.Repeat([]byte{0xee}, pre), v...), bytes.Repeat([]byte{0x11}, post)...)
				for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding} {
					found := false
					m.Scan([]byte(enc.EncodeToString(b)), func(Match) { found = true })
					if !found {
						t.Errorf("%q with %d bytes before and %d after: not found", v, pre, post)
					}
				}
			}
		}
	}
}

func TestScanReportsPatterns(t *testing.T) {
	m := testMatcher()
	data := []byte("x " + hex.EncodeToString([]byte(testSecret)) + " y " + testKey)
	var got []string
	m.Scan(data, func(mt Match) {
		p := m.Patterns()[mt.Patterns[0]]
		got = append(got, m.Secrets()[p.Secret].Name+" "+p.Encoding+" "+string(data[mt.Start:mt.End])[:4])
	})
	want := []string{"secret hex 4e68", "key as is vmPU"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
}

// Any secret, any bytes: writes of any size give the same output as one,
// no control byte is invented, nothing changes without a mask, and an
// alphanumeric secret printed as is never comes out.
func FuzzWriter(f *testing.F) {
	f.Add([]byte("hello "+testSecret+" world"), "NhqPtmdSJYdKjVHj", uint8(3))
	f.Add([]byte(base64.StdEncoding.EncodeToString([]byte("u:abcdefgh"))), "abcdefgh", uint8(1))
	f.Add([]byte("aaaaaaaaaaaaaaaaaaaaaaaa"), "aaaaaaa", uint8(5))
	f.Add([]byte("%2Fab%2fcdefg"), "/ab/cdefg", uint8(2))
	f.Add([]byte("\u0041\x41%41\n\\\"\x1b[31mAAAAAAAAAAAAAAAAAAAA\x1b]0;t\x07\x1b(B"), "AAAAAAAAAAAAAAAAAAAAAAAAA", uint8(4))
	f.Fuzz(func(t *testing.T, data []byte, secret string, step uint8) {
		if len(secret) > 200 || strings.Contains("[masked s]", secret) {
			return
		}
		m := New([]Secret{{Name: "s", Value: secret}}, 6)
		whole := writeIn(m, data, len(data)+1)
		if split := writeIn(m, data, int(step%16)+1); !bytes.Equal(whole, split) {
			t.Fatalf("split writes differ:\n%q\n%q", whole, split)
		}
		if c := inventedControl(data, whole); c != "" {
			t.Fatalf("%s: %q -> %q", c, data, whole)
		}
		if !bytes.Contains(whole, []byte("[masked s]")) && !bytes.Equal(whole, data) {
			t.Fatalf("changed without a mask: %q -> %q", data, whole)
		}
		// (An escape left open just before a secret, "%4" or "\\x",
		// may take its first characters: that is checked apart.)
		if !m.Empty() && isAlnum(secret) && !bytes.ContainsAny(data, "%\\\x1b") && bytes.Contains(whole, []byte(secret)) {
			t.Fatalf("secret in output %q", whole)
		}
	})
}

// writeIn passes data through a Writer in writes of n bytes.
func writeIn(m *Matcher, data []byte, n int) []byte {
	var out bytes.Buffer
	w := NewWriter(&out, m, 0)
	for i := 0; i < len(data); i += n {
		_, _ = w.Write(data[i:min(i+n, len(data))])
	}
	_ = w.Flush()
	return out.Bytes()
}

// inventedControl says which control byte out holds that in did not, in
// that order; "" if none.
func inventedControl(in, out []byte) string {
	j := 0
	for _, c := range out {
		if c >= 0x20 && c != 0x7f {
			continue
		}
		for j < len(in) && in[j] != c {
			j++
		}
		if j == len(in) {
			return fmt.Sprintf("control byte %#x invented", c)
		}
		j++
	}
	return ""
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
