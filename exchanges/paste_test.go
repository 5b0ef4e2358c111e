package exchanges

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClean(t *testing.T) {
	cases := []struct {
		in, want  string
		multiline bool
		notes     []string
	}{
		{"ABCDEF\n", "ABCDEF", false, []string{"line breaks at the start or end"}},
		{"  ABCDEF  ", "ABCDEF", false, []string{"spaces at the start or end"}},
		{"\"ABCDEF\"", "ABCDEF", false, []string{"surrounding quotes"}},
		{"'ABC DEF'", "ABC DEF", false, []string{"surrounding quotes"}},
		{"AB\u200bCD\ufeffEF", "ABCDEF", false, []string{"invisible zero-width characters"}},
		{"\x1b[200~ABCDEF\x1b[201~", "ABCDEF", false, []string{"terminal escape codes"}},
		{"\x1b]52;c;Zm9v\x07ABCDEF", "ABCDEF", false, []string{"terminal escape codes"}},
		{"ABC\nDEF", "ABCDEF", false, []string{"line breaks inside the value"}},
		{"ABCDEF", "ABCDEF", false, nil},
		{"-----BEGIN PRIVATE KEY-----\\nMC4C\\n-----END PRIVATE KEY-----\\n", "-----BEGIN PRIVATE KEY-----\nMC4C\n-----END PRIVATE KEY-----", true,
			[]string{`literal \n escapes (turned into line breaks)`}},
		{"-----BEGIN PRIVATE KEY-----\r\n  MC4C \r\n-----END PRIVATE KEY-----", "-----BEGIN PRIVATE KEY-----\nMC4C\n-----END PRIVATE KEY-----", true, nil},
	}
	for _, tc := range cases {
		got, notes := Clean(tc.in, tc.multiline)
		if got != tc.want {
			t.Errorf("Clean(%q) = %q, want %q", tc.in, got, tc.want)
		}
		for _, n := range tc.notes {
			if !strings.Contains(strings.Join(notes, "|"), n) {
				t.Errorf("Clean(%q) notes %v, want %q", tc.in, notes, n)
			}
		}
		if tc.notes == nil && len(notes) > 0 {
			t.Errorf("Clean(%q) reported %v for a clean value", tc.in, notes)
		}
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"abc", "\x1b[", "\x1b]", "\x1b", "\u009b1m", "  \"q\"  ", "-----BEGIN\\n", "\r\n\t"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, in string, multiline bool) {
		out, notes := Clean(in, multiline)
		if utf8.ValidString(in) && !utf8.ValidString(out) {
			t.Fatalf("Clean made valid UTF-8 invalid: %q", out)
		}
		if strings.ContainsRune(out, 0x1b) && !strings.ContainsRune(in, 0x1b) {
			t.Fatalf("escape appeared")
		}
		again, _ := Clean(out, multiline)
		if !multiline && again != out {
			t.Fatalf("not idempotent: %q → %q → %q", in, out, again)
		}
		for _, n := range notes {
			if len(in) > 8 && strings.Contains(n, in) {
				t.Fatalf("a note repeats the value")
			}
		}
	})
}

func TestValidatorsNeverEchoTheValue(t *testing.T) {
	value := "Zq9-secret-looking-VALUE-123"
	for name, check := range map[string]func(string) error{
		"alnum64": Alnum(64), "hex": Hex(32), "uuid": UUID(), "base64": Base64(64), "printable": Printable(1, 8),
		"pem": PEMKey(KeyEd25519), "oneof": OneOf("x", Alnum(64), Hex(32)),
	} {
		err := check(value)
		if err == nil {
			t.Errorf("%s accepted %q", name, value)
			continue
		}
		if strings.Contains(err.Error(), value) || strings.Contains(err.Error(), "secret-looking") {
			t.Errorf("%s echoes the value: %v", name, err)
		}
	}
}

func FuzzDecimal(f *testing.F) {
	for _, s := range []string{"0", "1.5", "-2", "1e999999999", "1/3", "0x10", "", "99999999999999999999999999999999999999999.1"} {
		f.Add(s, "1")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		s := AddDecimals(a, b)
		if s != "" && !IsDecimal(s) && !strings.HasPrefix(s, "-") {
			t.Fatalf("AddDecimals(%q,%q) = %q", a, b, s)
		}
		_ = CompareDecimal(a, b)
		_ = IsZeroDecimal(a)
	})
}
