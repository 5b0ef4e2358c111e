package scan

import (
	"bytes"
	"math"
	"slices"
	"strings"
)

// maxName bounds the name a value is given (`FREQTRADE__EXCHANGE__SECRET`).
const maxName = 128

// nameBefore finds the name a value starting at data[start] is given:
// `NAME=`, `NAME: `, `"name": "`, `name := "`, `'name' => '`, `--name=`.
// It looks at a few bytes only.
func nameBefore(data []byte, start int) (ns, ne int, quoted, ok bool) {
	i := start - 1
	quoted = i >= 0 && isQuote(data[i])
	i = skipQuote(data, i)
	i = skipBlanks(data, i)
	i = skipStars(data, i)
	if i < 0 {
		return 0, 0, false, false
	}
	switch data[i] {
	case '=':
		i--
		if i >= 0 && (data[i] == ':' || data[i] == '=' || data[i] == '!') {
			i--
		}
	case ':':
		i--
	case '>':
		if i < 1 || data[i-1] != '=' {
			return 0, 0, false, false
		}
		i -= 2
	default:
		return 0, 0, false, false
	}
	i = skipBlanks(data, i)
	i = skipStars(data, i)
	i = skipQuote(data, i)
	ne = i + 1
	for i >= 0 && nameByte[data[i]] && ne-i <= maxName {
		i--
	}
	ns = i + 1
	return ns, ne, quoted, ns < ne && ne-ns <= maxName
}

// skipQuote steps back over a quote, or an escaped one (`\"` in JSON
// inside a string), ending at data[i].
func skipQuote(data []byte, i int) int {
	if i >= 0 && (data[i] == '"' || data[i] == '\'' || data[i] == '`') {
		i--
		if i >= 0 && data[i] == '\\' {
			i--
		}
	}
	return i
}

// skipStars steps back over Markdown's bold marks: "**API Key:** `…`".
func skipStars(data []byte, i int) int {
	for n := 0; i >= 0 && n < 2 && data[i] == '*'; n++ {
		i--
	}
	return i
}

// skipBlanks steps back over up to 8 spaces and tabs.
func skipBlanks(data []byte, i int) int {
	for n := 0; i >= 0 && n < 8 && (data[i] == ' ' || data[i] == '\t'); n++ {
		i--
	}
	return i
}

var nameByte = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.'
	}
	return t
}()

// lower appends the lower-case form of s to dst.
func lower(dst, s []byte) []byte {
	for _, c := range s {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// credWords name a credential in code, configs and .env files, the most
// telling first.
var credWords = []string{"secret", "private", "passphrase", "password", "passwd", "pass_phrase", "apikey", "api_key", "api-key",
	"access_key", "accesskey", "client_id", "clientid", "token", "credential", "key"}

func credWord(name []byte) string {
	for _, k := range credWords {
		if bytes.Contains(name, []byte(k)) {
			return k
		}
	}
	return ""
}

func passWord(w string) bool { return slices.Contains(passWords, w) }

// nonSecretName: names of values that are key-shaped but not keys.
func nonSecretName(name []byte) bool {
	for _, s := range []string{"public", "pubkey", "hash", "checksum", "digest", "fingerprint", "sha1", "sha256", "signature", "nonce", "salt", "uuid", "guid", "keyword", "keyboard", "monkey"} {
		if bytes.Contains(name, []byte(s)) {
			return true
		}
	}
	return false
}

// placeholderToken: filler people write in place of a key. Long words
// match in any case; four-letter ones only as people write them (a random
// key of 64 characters holds "FaKe" once in 4,000, "fake" once in 250,000),
// runs of x from six on ("xxxxxxxx-xxxx-…" has them).
func placeholderToken(tok []byte) bool {
	for _, s := range []string{"xxxxxx", "XXXXXX", "your", "YOUR", "Your", "test", "TEST", "Test", "fake", "FAKE", "Fake", "0000000", "1234567"} {
		if bytes.Contains(tok, []byte(s)) {
			return true
		}
	}
	var lb [maxToken + 2]byte
	t := lower(lb[:0], tok)
	for _, s := range []string{"example", "sample", "dummy", "placeholder", "changeme", "redacted", "abcdefg"} {
		if bytes.Contains(t, []byte(s)) {
			return true
		}
	}
	return false
}

// forEachToken calls fn for each run of minLen to maxToken characters that
// can make up a key: letters, digits and + / = _ - (base64, hex, UUIDs,
// ids).
func forEachToken(data []byte, minLen int, fn func(start, end int)) {
	start := -1
	for i := 0; i <= len(data); i++ {
		if i < len(data) && tokenByte[data[i]] {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			end := i
			for pad := 0; pad < 2 && end < len(data) && data[end] == '='; pad++ {
				end++ // base64 padding ends a token; an '=' before more text is an assignment
			}
			if end < len(data) && data[end] == '=' {
				end = i
			}
			if n := end - start; n >= minLen && n <= maxToken+2 {
				fn(start, end)
			}
			i = max(i, end-1)
			start = -1
		}
	}
}

var tokenByte = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("+/_-", byte(c)) >= 0
	}
	return t
}()

// random reports whether tok looks machine-made: letters with digits, or
// letters only in both cases changing often (not camelCase words); enough
// entropy for its alphabet; no long ascending run. Placeholders, words,
// alphabets and repeated characters are not keys.
func random(tok []byte) bool {
	var freq [256]int
	var letters, digits, upper, lower, steps, turns int
	for i, c := range tok {
		freq[c]++
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c >= 'a' && c <= 'z':
			letters++
			lower++
		case c >= 'A' && c <= 'Z':
			letters++
			upper++
		}
		if i > 0 && c == tok[i-1]+1 {
			steps++
		}
		if i > 0 && isLetter(c) && isLetter(tok[i-1]) && (c < 'a') != (tok[i-1] < 'a') {
			turns++
		}
	}
	if letters == 0 || steps*3 > len(tok) || digits == 0 && turns*4 < len(tok) {
		return false
	}
	h := 0.0
	n := float64(len(tok))
	for _, c := range freq {
		if c > 0 {
			p := float64(c) / n
			h -= p * math.Log2(p)
		}
	}
	// Low enough that a real key of 16 to 24 characters passes (the
	// entropy measured on so few characters is well below the alphabet's),
	// high enough to refuse runs, repeats and filler.
	if upper == 0 || lower == 0 { // hex, or one case
		return h >= 2.5
	}
	return h >= 3.0
}

// identifier reports whether tok is a name in code rather than a value:
// it holds a credential word ("file_envoy_api_v2_auth_secret_proto_rawDesc")
// or is made of words joined by underscores (three of three letters or
// more, two thirds of its parts). A random key holds such a word with a
// probability under one in a million.
func identifier(tok []byte) bool {
	var lb [maxToken + 2]byte
	t := lower(lb[:0], tok)
	for _, w := range credWords {
		if len(w) >= 5 && bytes.Contains(t, []byte(w)) {
			return true
		}
	}
	parts := bytes.Split(tok, []byte{'_'})
	if len(parts) < 3 {
		return false
	}
	wordy := 0
	for _, p := range parts {
		if wordLike(p) {
			wordy++
		}
	}
	return wordy >= 3 && wordy*3 >= len(parts)*2
}

// wordLike: three letters or more, in one case or camelCase ("proto",
// "MAX", "msgTypes"), not the case changes of random letters ("fhWZrJve").
func wordLike(p []byte) bool {
	if len(p) < 3 {
		return false
	}
	turns := 0
	for i, c := range p {
		if !isLetter(c) {
			return false
		}
		if i > 0 && (c < 'a') != (p[i-1] < 'a') {
			turns++
		}
	}
	return turns <= 1
}

// shortID reports whether a short token (an id of 6 to 15 characters)
// looks machine-made: letters with digits, _ or -; or letters in both
// cases, not a capitalised word.
func shortID(tok []byte) bool {
	var upper, lower, digits int
	for _, c := range tok {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c >= 'a' && c <= 'z':
			lower++
		case c >= 'A' && c <= 'Z':
			upper++
		}
	}
	if upper+lower == 0 {
		return false // a number
	}
	if digits > 0 || upper+lower+digits < len(tok) {
		return true // letters with digits, _ or -
	}
	capitalised := upper == 1 && tok[0] >= 'A' && tok[0] <= 'Z'
	return upper > 0 && lower > 0 && !capitalised
}
