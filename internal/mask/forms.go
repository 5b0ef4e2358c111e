// Package mask finds secrets in bytes and hides them in streams.
//
// A secret is looked for in every form a program is likely to print it in:
// as is, base64 (standard and URL alphabets, padded or not, and at each of
// the three byte alignments, so that a secret inside a longer encoded blob,
// such as an HTTP Basic credential "key:secret", is found too), hex (lower
// and upper case), URL-encoded (query and path escaping, with upper- or
// lower-case percent escapes), JSON-escaped, and, for a PEM private key,
// each line of its body and the body joined. Forms lists them.
//
// A Matcher is an Aho–Corasick automaton over all forms of all secrets:
// one pass over the bytes finds every occurrence of every form, whatever
// the number of secrets. The scan command uses it over files and git
// history; Writer uses it to mask a child process's output as a stream.
//
// Writer holds back only what could still become a secret: the longest
// suffix of what it has seen that is a prefix of some form (the
// automaton's depth). Everything before that is written at once, so the
// stream is delayed only while a secret may be in the middle of arriving,
// whatever the sizes of the writes it is split into.
package mask

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"strings"
)

// The encodings Forms reports.
const (
	Raw        = "as is"
	Base64     = "base64"
	Base64URL  = "base64url"
	Hex        = "hex"
	URLEncoded = "URL-encoded"
	JSON       = "JSON-escaped"
	PEMLine    = "a line of the PEM key"
	PEMBody    = "the PEM key's body"
)

// Form is one way a secret may appear in text.
type Form struct {
	// Encoding is one of the constants above.
	Encoding string
	// Text is what to look for.
	Text string
	// Partial says that a long enough beginning of Text is itself secret
	// (false for a PEM key as a whole, whose first line is boilerplate).
	Partial bool
}

// pemMinLine is the shortest PEM body line looked for on its own.
const pemMinLine = 16

// Forms returns the distinct forms of value of at least minLen bytes; none
// if value itself is shorter.
func Forms(value string, minLen int) []Form {
	if len(value) < minLen {
		return nil // too short to tell apart from ordinary text, in any form
	}
	var out []Form
	seen := map[string]bool{}
	isPEM := strings.Contains(value, "-----BEGIN")
	add := func(enc, text string) {
		if len(text) < minLen || seen[text] {
			return
		}
		seen[text] = true
		out = append(out, Form{Encoding: enc, Text: text, Partial: !isPEM})
	}
	add(Raw, value)
	if isPEM {
		var body []string
		for _, l := range strings.Split(value, "\n") {
			l = strings.TrimSpace(l)
			if l == "" || strings.HasPrefix(l, "-----") {
				continue
			}
			body = append(body, l)
		}
		for _, l := range body {
			if len(l) >= pemMinLine && len(l) >= minLen && !seen[l] {
				seen[l] = true
				out = append(out, Form{Encoding: PEMLine, Text: l, Partial: true})
			}
		}
		if j := strings.Join(body, ""); len(j) >= minLen && !seen[j] {
			seen[j] = true
			out = append(out, Form{Encoding: PEMBody, Text: j, Partial: true})
		}
	}
	b := []byte(value)
	for _, e := range []struct {
		name      string
		pad, core *base64.Encoding
	}{
		{Base64, base64.StdEncoding, base64.RawStdEncoding},
		{Base64URL, base64.URLEncoding, base64.RawURLEncoding},
	} {
		add(e.name, e.pad.EncodeToString(b))
		add(e.name, e.core.EncodeToString(b))
		for _, c := range base64Cores(e.core, b) {
			add(e.name, c)
		}
	}
	// Line-wrapped, as the base64 tool and MIME (76), PEM (64) and
	// xxd -p (60) print long values.
	for _, n := range []int{64, 76} {
		add(Base64, wrap(base64.StdEncoding.EncodeToString(b), n))
	}
	add(Hex, hex.EncodeToString(b))
	add(Hex, strings.ToUpper(hex.EncodeToString(b)))
	add(Hex, wrap(hex.EncodeToString(b), 60))
	for _, u := range []string{url.QueryEscape(value), url.PathEscape(value)} {
		add(URLEncoded, u)
		add(URLEncoded, lowerPercent(u))
	}
	add(JSON, jsonEscape(value, false))
	add(JSON, jsonEscape(value, true))
	return out
}

// base64Cores returns, for each of the three alignments at which b may sit
// inside a longer byte string, the characters of its encoding that depend
// on b alone.
func base64Cores(enc *base64.Encoding, b []byte) []string {
	var out []string
	for k := 0; k < 3; k++ {
		buf := make([]byte, k+len(b))
		copy(buf[k:], b)
		s := enc.EncodeToString(buf)
		start := (8*k + 5) / 6            // first character with no bit of the k bytes before
		end := 8 * (k + len(b)) / 6       // characters made of b's bits only
		if end > len(s) || start >= end { // cannot happen; kept for safety
			continue
		}
		out = append(out, s[start:end])
	}
	return out
}

// wrap breaks s into lines of n characters ("" if it fits on one line).
func wrap(s string, n int) string {
	if len(s) <= n {
		return ""
	}
	var sb strings.Builder
	for len(s) > n {
		sb.WriteString(s[:n])
		sb.WriteByte('\n')
		s = s[n:]
	}
	sb.WriteString(s)
	return sb.String()
}

// lowerPercent turns %2F into %2f: some encoders write lower-case escapes.
func lowerPercent(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1] = lowerHex(b[i+1])
			b[i+2] = lowerHex(b[i+2])
			i += 2
		}
	}
	return string(b)
}

func lowerHex(c byte) byte {
	if c >= 'A' && c <= 'F' {
		return c + 'a' - 'A'
	}
	return c
}

// jsonEscape is value as it appears inside a JSON string, with < > &
// escaped (as Go does by default) or not (as most encoders do).
func jsonEscape(value string, html bool) string {
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(html)
	_ = enc.Encode(value) // a string always encodes
	s := strings.TrimSuffix(sb.String(), "\n")
	return strings.TrimSuffix(strings.TrimPrefix(s, `"`), `"`)
}
