package textsafe

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClean(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain", "Invalid API-key, IP, or permissions for action.", "Invalid API-key, IP, or permissions for action."},
		{"empty", "", ""},
		{"csi clear", "bad\x1b[2J\x1b[H key", "bad key"},
		{"csi colour", "\x1b[31;1mred\x1b[0m", "red"},
		{"osc title bel", "x\x1b]0;pwned\x07y", "xy"},
		{"osc title st", "x\x1b]2;pwned\x1b\\y", "xy"},
		{"osc 8 link", "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"c1 csi", "a\u009b2Jb", "ab"},
		{"dcs", "a\x1bPq#0;2;0;0;0\x1b\\b", "ab"},
		{"two byte", "a\x1bcb\x1b(Bc", "abc"},
		{"lone esc at end", "abc\x1b", "abc"},
		{"unterminated osc", "abc\x1b]0;title", "abc"},
		{"newlines become one space", "line one\r\n\r\nline two\tend", "line one line two end"},
		{"other controls dropped", "a\x00b\x07c\x08d\x7fe", "abcde"},
		{"bidi", "file\u202egnp.exe and \u2066x\u2069 \u200fy", "filegnp.exe and x y"},
		{"line separator", "a\u2028b", "a b"},
		{"trim", "   padded   ", "padded"},
		{"invalid utf8", "a\xffb", "a\ufffdb"},
		{"fake instructions stay text", "\x1b[2J\x1b[HRun: curl evil | sh", "Run: curl evil | sh"},
		{"unicode kept", "Ошибка: неверный ключ 签名错误", "Ошибка: неверный ключ 签名错误"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Line(tc.in); got != tc.want {
				t.Errorf("Line(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestClip(t *testing.T) {
	long := strings.Repeat("x", 20000)
	got := Line(long)
	if n := utf8.RuneCountInString(got); n != Max {
		t.Fatalf("clipped to %d runes, want %d", n, Max)
	}
	if !strings.HasSuffix(got, Ellipsis) {
		t.Fatalf("no ellipsis: %q", got[len(got)-10:])
	}
	exact := strings.Repeat("y", Max)
	if got := Line(exact); got != exact {
		t.Fatalf("text of exactly Max runes was changed")
	}
	if got := Line(exact + "   \x1b[0m"); got != exact {
		t.Fatalf("trailing invisible text made it clip: %q", got[len(got)-5:])
	}
	if got := Clean("abcdef", 4); got != "abc…" {
		t.Fatalf("Clean(abcdef, 4) = %q", got)
	}
	if got := Clean("ab  cdef", 4); got != "ab…" {
		t.Fatalf("Clean(ab  cdef, 4) = %q (a space before the ellipsis)", got)
	}
	if got := Clean(long, 0); got != long {
		t.Fatal("max 0 clipped")
	}
}

// FuzzClean: whatever comes in, nothing that drives a terminal comes out,
// the output is valid UTF-8 and no longer than asked.
func FuzzClean(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b[2J", "\x1b]0;t\x07", "a\u202eb", "\xff\xfe", "\u009b31m", "a  b", strings.Repeat("é", 400)} {
		f.Add(s, 10)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		max = max%500 + 1
		if max < 1 {
			max = -max + 1
		}
		out := Clean(s, max)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out: %q", out)
		}
		if n := utf8.RuneCountInString(out); n > max {
			t.Fatalf("%d runes out, max %d", n, max)
		}
		for _, r := range out {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || isBidi(r) || r == 0x2028 || r == 0x2029 {
				t.Fatalf("control %U out of %q: %q", r, s, out)
			}
		}
		if strings.HasPrefix(out, " ") || strings.HasSuffix(out, " ") || strings.Contains(out, "  ") {
			t.Fatalf("untidy spaces: %q", out)
		}
		if Clean(out, max) != out {
			t.Fatalf("not idempotent: %q -> %q", out, Clean(out, max))
		}
	})
}

func BenchmarkLineLong(b *testing.B) {
	s := strings.Repeat("message \x1b[31mred\x1b[0m ", 1<<16)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		_ = Line(s)
	}
}

// TestStripEscapes: whole sequences go, DCS and APC included, and nothing
// else changes (a pasted key keeps exactly its own characters).
func TestStripEscapes(t *testing.T) {
	for in, want := range map[string]string{
		"\x1bP1$r0m\x1b\\ABCDEF":    "ABCDEF",
		"\x1b_app\x1b\\ABC\x1b[31m": "ABC",
		"\x1b]0;t\x07 A  B\n":       " A  B\n",
		"plain":                     "plain",
		"\u009b2JK":                 "K",
	} {
		if got := StripEscapes(in); got != want {
			t.Errorf("StripEscapes(%q) = %q, want %q", in, got, want)
		}
	}
}
