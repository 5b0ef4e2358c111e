package mask

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"
)

// This file is the tests' own idea of a leak, written apart from the
// masker: every run of minRun characters of a secret, in every form the
// README lists, searched for in the output as it is, without its escape
// sequences, and without its whitespace too.

const minRun = 16

var ansiRE = regexp.MustCompile("\x1b\\[[0-?]*[ -/]*[@-~]|\x1b[ -/]*[0-~]")

// leak returns a description of the first run of value found in out in
// any form, or "".
func leak(out, value string) string {
	bare := ansiRE.ReplaceAllString(out, "")
	flat := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, bare)
	lowFlat := strings.ToLower(flat)
	for _, w := range windows(value) {
		for name, enc := range windowForms(w) {
			if len(enc) < 8 {
				continue
			}
			if strings.Contains(out, enc) || strings.Contains(bare, enc) {
				return fmt.Sprintf("%s of %q", name, w)
			}
		}
		nw := strings.ToLower(strings.Join(strings.Fields(w), ""))
		if len(stripSpace(unescape(w))) >= minRun && (strings.Contains(lowFlat, nw) || strings.Contains(lowFlat, reverseRunes(nw))) {
			return fmt.Sprintf("%q with whitespace or escape sequences inside", w)
		}
	}
	return ""
}

// windows are the runs of minRun characters of value; for a PEM key, of
// its body only (with and without the line breaks), not its armour.
func windows(value string) []string {
	var texts []string
	if strings.Contains(value, "-----BEGIN") {
		var body []string
		for _, l := range strings.Split(value, "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "-----") {
				body = append(body, l)
			}
		}
		texts = append(texts, strings.Join(body, "\n"), strings.Join(body, ""))
	} else {
		texts = append(texts, value)
	}
	// A run counts characters as they read: whitespace is not one, and
	// an escape written in the secret itself ("\\\"", "%41") is one.
	var out []string
	for _, t := range texts {
		for i := range t {
			for j := i + minRun; j <= len(t); j++ {
				if len(stripSpace(unescape(t[i:j]))) >= minRun {
					out = append(out, t[i:j])
					break
				}
			}
		}
	}
	return out
}

// windowForms are w in each listed form.
func windowForms(w string) map[string]string {
	b := []byte(w)
	f := map[string]string{
		"as is": w, "lower-cased": strings.ToLower(w), "upper-cased": strings.ToUpper(w), "reversed": reverseRunes(w),
		"hex": hex.EncodeToString(b), "HEX": strings.ToUpper(hex.EncodeToString(b)),
		"query-escaped": url.QueryEscape(w), "path-escaped": url.PathEscape(w),
		"lower query-escaped": lowerEscapes(url.QueryEscape(w)),
		"all %XX":             percentAll(w, "%%%02X"), "all %xx": percentAll(w, "%%%02x"),
		"\\u": percentAll(w, "\\u%04x"), "\\U": percentAll(w, "\\u%04X"), "\\x": percentAll(w, "\\x%02x"),
		"JSON": strings.Trim(jsonString(w), `"`), "space-separated": strings.Join(strings.Split(w, ""), " "),
	}
	for k := 0; k < 3; k++ {
		pre := make([]byte, k, k+len(b))
		s := base64.StdEncoding.EncodeToString(append(pre, b...))
		core := s[(8*k+5)/6 : 8*(k+len(b))/6]
		f[fmt.Sprint("base64 at ", k)] = core
		f[fmt.Sprint("base64url at ", k)] = strings.NewReplacer("+", "-", "/", "_").Replace(core)
	}
	return f
}

func percentAll(s, format string) string {
	var sb strings.Builder
	for _, r := range s {
		if format == "\\u%04x" || format == "\\u%04X" {
			fmt.Fprintf(&sb, format, r)
			continue
		}
		for _, c := range []byte(string(r)) {
			fmt.Fprintf(&sb, format, c)
		}
	}
	return sb.String()
}

func lowerEscapes(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = byte(unicode.ToLower(rune(b[i+1]))), byte(unicode.ToLower(rune(b[i+2])))
		}
	}
	return string(b)
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
