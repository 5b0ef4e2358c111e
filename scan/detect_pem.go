package scan

import (
	"bytes"
	"encoding/base64"
	"strings"
)

// pemMarker ends the first line of every PEM private key.
var pemMarker = []byte("PRIVATE KEY-----")

// pemLookahead bounds how far after a PEM header its body and END line
// are looked for: an 8192-bit RSA key fits.
const pemLookahead = 8 << 10

// privateKeys finds PEM private keys: a "-----BEGIN … PRIVATE KEY-----"
// header followed by a complete body, as is or written inside a string
// ("\n" escapes, concatenated quoted lines). A header alone (a constant in
// a PEM parser), a body cut short (an example in a rule's documentation)
// or "..." in place of the key is not a key. An encrypted key is of no use
// without its password: it is reported below the default level.
func (d *detector) privateKeys(w *window) []hit {
	var hits []hit
	data := w.data
	for off := w.fresh; off < w.safe; {
		i := bytes.Index(data[off:], pemMarker)
		if i < 0 {
			break
		}
		at := off + i
		off = at + len(pemMarker)
		if at >= w.safe {
			break
		}
		lo := max(0, at-40)
		b := bytes.LastIndex(data[lo:at], []byte("-----BEGIN "))
		if b < 0 {
			continue
		}
		typ := strings.TrimSpace(string(data[lo+b+len("-----BEGIN ") : at]))
		if len(typ) > 20 || strings.ContainsAny(typ, "\n\"'") {
			continue
		}
		complete, encrypted := pemBody(data[off:min(len(data), off+pemLookahead)], strings.Contains(typ, "ENCRYPTED"))
		if !complete {
			continue
		}
		h := hit{off: w.base + int64(lo+b), kind: KindPrivateKey, severity: High, what: strings.Join(strings.Fields("a PEM "+typ+" private key"), " ")}
		if encrypted {
			h.severity = Info
			h.what += ", encrypted (of no use without its password)"
		}
		hits = append(hits, h)
	}
	return hits
}

// pemBody reads the text after a PEM header: RFC 1421 headers (Proc-Type,
// DEK-Info), lines of base64, the END line. complete: the body is all
// there, and decodes to the DER structure (or OpenSSH key) it announces;
// encrypted: the header's type or a Proc-Type header says so (the body is
// then ciphertext, or another format, checked for its length only).
func pemBody(b []byte, encrypted bool) (complete, isEncrypted bool) {
	var body []byte
	for _, line := range pemLines(b) {
		switch {
		case len(line) == 0:
			continue
		case bytes.HasPrefix(line, []byte("-----")):
			if encrypted {
				return len(body) >= 64, true
			}
			return wholeKey(body), false
		case bytes.IndexByte(line, ':') > 0 && len(body) == 0:
			encrypted = encrypted || bytes.Contains(line, []byte("ENCRYPTED"))
			continue // Proc-Type: 4,ENCRYPTED / DEK-Info: …
		}
		for _, c := range line {
			if !base64Byte(c) {
				return false, encrypted
			}
		}
		body = append(body, line...)
	}
	return false, encrypted
}

// wholeKey reports whether a PEM body decodes to a DER SEQUENCE of the
// length its header gives (PKCS#1, PKCS#8, SEC1), or to an OpenSSH key.
func wholeKey(body []byte) bool {
	der := make([]byte, base64.StdEncoding.DecodedLen(len(body)))
	n, err := base64.StdEncoding.Decode(der, body)
	if err != nil {
		return false
	}
	der = der[:n]
	if bytes.HasPrefix(der, []byte("openssh-key-v1\x00")) {
		return len(der) > 64
	}
	if len(der) < 2 || der[0] != 0x30 {
		return false
	}
	l, hdr := int(der[1]), 2
	if l >= 0x80 {
		k := l & 0x7f
		if k == 0 || k > 3 || len(der) < 2+k {
			return false
		}
		l = 0
		for _, c := range der[2 : 2+k] {
			l = l<<8 | int(c)
		}
		hdr += k
	}
	return l > 0 && hdr+l <= len(der)
}

// pemLines splits b at newlines and at "\n" escapes, and trims each piece
// of the quotes, blanks and concatenations that hold a key inside code.
func pemLines(b []byte) [][]byte {
	var out [][]byte
	for _, real := range bytes.Split(b, []byte{'\n'}) {
		for _, piece := range bytes.Split(real, []byte(`\n`)) {
			out = append(out, pemPiece(piece))
		}
	}
	return out
}

// pemPiece trims one piece of a PEM body written in code: `"MIIE…" +`,
// `+ "MIIE…"`, `'MIIE…',`. A '+' of base64 stays.
func pemPiece(p []byte) []byte {
	p = bytes.TrimSpace(p)
	if n := len(p); n > 0 && p[n-1] == '+' {
		if q := bytes.TrimRight(p[:n-1], " \t"); len(q) > 0 && isQuote(q[len(q)-1]) {
			p = q
		}
	}
	if len(p) > 0 && p[0] == '+' {
		if q := bytes.TrimLeft(p[1:], " \t"); len(q) > 0 && isQuote(q[0]) {
			p = q
		}
	}
	return bytes.Trim(p, " \t\r\"'`,;()\\")
}

func base64Byte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '='
}
