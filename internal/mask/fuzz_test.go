package mask

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	mrand "math/rand/v2"
	"net/url"
	"strings"
	"testing"
)

// plantForms are the forms a secret (or a piece of it) is planted in.
var plantForms = []func(s string, r *mrand.Rand) string{
	func(s string, _ *mrand.Rand) string { return s },
	func(s string, r *mrand.Rand) string { return b64At(s, r, base64.StdEncoding) },
	func(s string, r *mrand.Rand) string { return b64At(s, r, base64.RawURLEncoding) },
	func(s string, r *mrand.Rand) string {
		return wrapAt(b64At(s, r, base64.StdEncoding), []int{64, 76}[r.IntN(2)])
	},
	func(s string, _ *mrand.Rand) string { return hex.EncodeToString([]byte(s)) },
	func(s string, _ *mrand.Rand) string { return strings.ToUpper(hex.EncodeToString([]byte(s))) },
	func(s string, _ *mrand.Rand) string { return url.QueryEscape(s) },
	func(s string, _ *mrand.Rand) string { return url.PathEscape(s) },
	func(s string, _ *mrand.Rand) string { return lowerEscapes(url.QueryEscape(s)) },
	func(s string, _ *mrand.Rand) string { return percentAll(s, "%%%02X") },
	func(s string, _ *mrand.Rand) string { return percentAll(s, "\\u%04x") },
	func(s string, _ *mrand.Rand) string { return percentAll(s, "\\x%02x") },
	func(s string, _ *mrand.Rand) string { return strings.Trim(jsonString(s), `"`) },
	func(s string, r *mrand.Rand) string { // colour codes inside
		var sb strings.Builder
		for i, c := range []byte(s) {
			if i > 0 && r.IntN(8) == 0 {
				sb.WriteString([]string{"\x1b[31m", "\x1b[0m", "\x1b[1;38;5;208m", "\x1b(B", "\x1b[K"}[r.IntN(5)])
			}
			sb.WriteByte(c)
		}
		return sb.String()
	},
	func(s string, _ *mrand.Rand) string { return strings.ToLower(s) },
	func(s string, _ *mrand.Rand) string { return strings.ToUpper(s) },
	func(s string, _ *mrand.Rand) string { return reverseRunes(s) },
	func(s string, _ *mrand.Rand) string { return strings.Join(strings.Split(s, ""), " ") },
	func(s string, _ *mrand.Rand) string { return "  " + strings.ReplaceAll(s, "\n", "\r\n  ") },
}

// b64At is s base64-encoded at a random alignment inside other bytes.
func b64At(s string, r *mrand.Rand, enc *base64.Encoding) string {
	pre := make([]byte, r.IntN(3), 8)
	for i := range pre {
		pre[i] = byte(r.Uint32())
	}
	return enc.EncodeToString(append(append(pre, s...), byte(r.Uint32())))
}

// fuzzSecret is a random secret: characters of a key, or (pem) a PEM key
// of random bytes.
func fuzzSecret(r *mrand.Rand, isPEM bool) string {
	if isPEM {
		der := make([]byte, 40+r.IntN(260))
		for i := range der {
			der[i] = byte(r.Uint32())
		}
		return string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}))
	}
	const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_!?@#$%&*()<>.,;: \\\"'"
	b := make([]byte, MinRun+r.IntN(90))
	for i := range b {
		b[i] = abc[r.IntN(len(abc))]
	}
	return string(b)
}

// A secret planted in any listed form, whole or a piece of MinRun
// characters or more, amid any bytes, written in writes of any size, never
// comes out; nothing else changes, and no control byte is invented.
func FuzzPlanted(f *testing.F) {
	for i := range len(plantForms) * 2 {
		f.Add([]byte("2026-11-21 INFO \x1b[32mok\x1b[0m order=%2F\\u2713\n"), uint64(i), uint8(i), uint16(i*7), uint8(i))
	}
	f.Add([]byte("%4\\u00\x1b["), uint64(99), uint8(1), uint16(3), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, seed uint64, form uint8, at uint16, step uint8) {
		r := mrand.New(mrand.NewPCG(seed, uint64(form)))
		isPEM := form&0x80 != 0
		secret := fuzzSecret(r, isPEM)
		piece := secret
		if !isPEM && r.IntN(2) == 0 {
			n := MinRun + r.IntN(len(secret)-MinRun+1)
			i := r.IntN(len(secret) - n + 1)
			piece = secret[i : i+n]
		}
		plant := plantForms[int(form&0x7f)%len(plantForms)](piece, r)
		// Line breaks apart from the bytes around, so that they do not
		// end the plant in an escape of their own ("%4" before it).
		i := int(at) % (len(data) + 1)
		in := append(append(append(append([]byte{}, data[:i]...), '\n'), plant+"\n"...), data[i:]...)
		m := New([]Secret{{Name: "s", Value: secret}}, 6)
		whole := writeIn(m, in, len(in)+1)
		if l := leak(string(whole), secret); l != "" {
			t.Fatalf("planted %q; leaks %s:\n%q", plant, l, whole)
		}
		if split := writeIn(m, in, int(step)%64+1); !bytes.Equal(whole, split) {
			t.Fatalf("split writes differ:\n%q\n%q", whole, split)
		}
		if c := inventedControl(in, whole); c != "" {
			t.Fatalf("%s: %q -> %q", c, in, whole)
		}
		if w := writeIn(m, data, len(data)+1); !bytes.Contains(w, []byte("[masked s]")) && !bytes.Equal(w, data) {
			t.Fatalf("changed without a mask: %q -> %q", data, w)
		}
	})
}
