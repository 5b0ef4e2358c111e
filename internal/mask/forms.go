// Package mask finds secrets in bytes and hides them in streams.
//
// What is found: every run of MinRun (16) or more characters of a secret,
// and the whole secret if it is shorter, in each of its forms (Forms):
// as is; reversed; base64, in either alphabet and at each of the three
// byte alignments, so that a secret inside a longer encoded blob (an HTTP
// Basic credential "key:secret", a base64-encoded config) is found too;
// hex; and for a PEM private key its body, base64 and hex of the PEM
// text, and hex and base64 of the DER inside (the armour lines are
// boilerplate and never masked).
//
// Fewer forms are needed because the bytes are normalised before they
// are matched, as they stream:
//   - %XX, \xXX, \uXXXX and JSON's \" \\ \/ \' \n \r \t \b \f escapes are
//     decoded (once): URL-, JSON-, Go- and Python-escaped text, and text
//     with every character escaped, reads as the characters themselves;
//   - letters are compared without case, and - _ as + / (so the two
//     base64 alphabets are one form, and upper-case hex is hex);
//   - whitespace and terminal escape sequences (colours, cursor moves)
//     are skipped, up to maxGap bytes in a row: a secret wrapped at any
//     width, indented, split over CRLF lines, space-separated or with a
//     colour code inside is still one run.
//
// A Matcher is a suffix automaton over all forms of all secrets (at most
// two states per character of the forms): one pass over the bytes tracks
// the longest suffix of the input that occurs in some form, whatever the
// number of secrets, and a run is masked once it is MinRun characters
// long. The scan command uses it over files and git history; Writer uses
// it to mask a child process's output as a stream, holding back only a
// run that may still grow into a secret.
package mask

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
	"unicode/utf8"
)

// MinRun is the shortest run of a secret's characters that is masked on
// its own. 16 characters of base64 carry 96 bits and of hex 64, so they
// never occur in other text by chance, and the 48 or more characters of a
// 64-character secret that a shorter run leaves out cannot be guessed.
const MinRun = 16

// The encodings Forms reports. Escaped forms (URL, JSON, \u, %XX) have no
// name of their own: the matcher decodes them, so they match as Raw.
const (
	Raw      = "as is"
	Reversed = "reversed"
	Base64   = "base64"
	Hex      = "hex"
	PEMBody  = "the PEM key's body"
)

// Form is one way a secret may appear in text, normalised (no whitespace;
// the matcher ignores case and the base64 alphabet).
type Form struct {
	// Encoding is one of the constants above.
	Encoding string
	// Text is what to look for: any MinRun characters of it, or all of it
	// if it is shorter.
	Text string
}

// Forms returns the distinct forms of value at least minLen bytes long;
// none if value itself is shorter.
func Forms(value string, minLen int) []Form {
	if len(value) < minLen {
		return nil // too short to tell apart from ordinary text, in any form
	}
	fs := formSet{minLen: minLen, seen: map[string]bool{}}
	if body, armour := pemBody(value); body != "" {
		fs.pem(value, body, armour)
	} else {
		fs.plain(value)
	}
	return fs.out
}

type formSet struct {
	minLen int
	seen   map[string]bool
	out    []Form
}

func (fs *formSet) add(enc, text string) {
	if len(text) < fs.minLen || fs.seen[text] {
		return
	}
	fs.seen[text] = true
	fs.out = append(fs.out, Form{Encoding: enc, Text: text})
}

func (fs *formSet) plain(v string) {
	n := stripSpace(v)
	fs.add(Raw, n)
	// A secret holding % or \ itself reads decoded when printed as is.
	fs.add(Raw, stripSpace(unescape(v)))
	// Query escaping writes a space as +.
	fs.add(Raw, stripSpace(strings.ReplaceAll(v, " ", "+")))
	fs.add(Reversed, reverseRunes(n))
	// The whole encoding, for its last character and padding; then the
	// characters that come from v alone at each alignment.
	fs.add(Base64, base64.StdEncoding.EncodeToString([]byte(v)))
	for _, c := range base64Cores([]byte(v), nil) {
		fs.add(Base64, c.text)
	}
	fs.add(Hex, hex.EncodeToString([]byte(v)))
}

// pem adds the forms of a PEM key: its body, and the encodings of its
// text and of its DER, each cut into the pieces that come from the body
// alone, so that no form holds the armour (which every key shares).
func (fs *formSet) pem(v, body string, armour []bool) {
	fs.add(PEMBody, body)
	fs.add(Reversed, reverseRunes(body))
	b := []byte(v)
	hx := hex.EncodeToString(b)
	fs.pieces(Hex, hx, func(j int) bool { return armour[j/2] })
	for _, c := range base64Cores(b, armour) {
		fs.pieces(Base64, c.text, c.fromArmour)
	}
	if der, err := base64.StdEncoding.DecodeString(body); err == nil {
		fs.add(Hex, hex.EncodeToString(der))
		for _, c := range base64Cores(der, nil) {
			fs.add(Base64, c.text)
		}
	}
}

// pieces adds the runs of text whose characters do not come from the
// armour, if at least MinRun long.
func (fs *formSet) pieces(enc, text string, fromArmour func(int) bool) {
	start := 0
	for j := 0; j <= len(text); j++ {
		if j < len(text) && !fromArmour(j) {
			continue
		}
		if j-start >= MinRun {
			fs.add(enc, text[start:j])
		}
		start = j + 1
	}
}

// pemBody returns the body of a PEM value (its base64 lines joined) and,
// per byte of value, whether it belongs to an armour line; "" if value is
// not PEM.
func pemBody(v string) (string, []bool) {
	if !strings.Contains(v, "-----BEGIN") {
		return "", nil
	}
	armour := make([]bool, len(v))
	var body strings.Builder
	for off := 0; off < len(v); {
		end := strings.IndexByte(v[off:], '\n')
		if end < 0 {
			end = len(v)
		} else {
			end += off + 1
		}
		line := strings.TrimSpace(v[off:end])
		if strings.HasPrefix(line, "-----") {
			for i := off; i < end; i++ {
				armour[i] = true
			}
		} else {
			body.WriteString(stripSpace(line))
		}
		off = end
	}
	return body.String(), armour
}

// core is one alignment of a base64 encoding.
type core struct {
	text       string
	fromArmour func(int) bool
}

// base64Cores returns, for each of the three alignments at which b may sit
// inside a longer byte string, the characters of its encoding that depend
// on b alone; with fromArmour set, which of them take a bit from a byte
// marked in armour.
func base64Cores(b []byte, armour []bool) []core {
	var out []core
	for k := 0; k < 3; k++ {
		buf := make([]byte, k+len(b))
		copy(buf[k:], b)
		s := base64.StdEncoding.EncodeToString(buf)
		start := (8*k + 5) / 6 // first character with no bit of the k bytes before
		end := 8 * (k + len(b)) / 6
		if start >= end {
			continue
		}
		c := core{text: s[start:end]}
		if armour != nil {
			c.fromArmour = func(j int) bool {
				j += start // character j of s holds bits 6j..6j+5 of buf
				for bit := 6 * j; bit < 6*j+6; bit += 5 {
					if i := bit/8 - k; i >= 0 && i < len(armour) && armour[i] {
						return true
					}
				}
				return false
			}
		}
		out = append(out, c)
	}
	return out
}

// stripSpace drops the whitespace the matcher skips.
func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf && isSpace[r] {
			return -1
		}
		return r
	}, s)
}

var isSpace = [utf8.RuneSelf]bool{' ': true, '\t': true, '\n': true, '\r': true, '\v': true, '\f': true}

func reverseRunes(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// unescape decodes the escapes the stream decodes, the same way: %XX,
// \xXX, \uXXXX (not a surrogate) and JSON's one-letter escapes; anything
// else is kept as it is.
func unescape(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]):
			b = append(b, byte(hexNum(s[i+1:i+3])))
			i += 2
		case c == '\\' && i+1 < len(s):
			d := s[i+1]
			switch {
			case d == 'x' && i+3 < len(s) && isHexDigit(s[i+2]) && isHexDigit(s[i+3]):
				b = append(b, byte(hexNum(s[i+2:i+4])))
				i += 3
			case d == 'u' && i+5 < len(s) && allHex(s[i+2:i+6]) && !isSurrogate(hexNum(s[i+2:i+6])):
				b = utf8.AppendRune(b, rune(hexNum(s[i+2:i+6])))
				i += 5
			case oneLetter[d] != 0:
				b = append(b, oneLetter[d])
				i++
			default:
				b = append(b, c)
			}
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// oneLetter maps the letter after \ in a one-letter escape to its byte.
var oneLetter = [256]byte{'n': '\n', 'r': '\r', 't': '\t', 'b': '\b', 'f': '\f', '"': '"', '\\': '\\', '/': '/', '\'': '\''}

func isHexDigit(c byte) bool { return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'f' }

func hexDigit(c byte) uint32 {
	if c <= '9' {
		return uint32(c - '0')
	}
	return uint32(c|0x20-'a') + 10
}

func allHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHexDigit(s[i]) {
			return false
		}
	}
	return true
}

func hexNum(s string) uint32 {
	var v uint32
	for i := 0; i < len(s); i++ {
		v = v<<4 | hexDigit(s[i])
	}
	return v
}

func isSurrogate(v uint32) bool { return v >= 0xd800 && v <= 0xdfff }
