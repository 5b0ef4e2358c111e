// Package textsafe makes text that came from outside keywarden safe to
// show: exchange messages, codes and headers, scenario names, file names
// found by scan. Such text is hostile until cleaned — it may hold escape
// sequences that clear the screen or retitle the terminal, bidi controls
// that reorder what a person reads, or megabytes of noise.
//
// Clean is applied once, where the text enters (the adapter boundary, the
// scenario loader, the scanner), not by each printer: every output mode
// (the live screen, plain text, JSON) then carries the same safe string.
//
// What it does, in order:
//   - invalid UTF-8 becomes U+FFFD;
//   - whole escape sequences (CSI "ESC [ … final", OSC "ESC ] … BEL|ST",
//     DCS/SOS/PM/APC "… ST", two-byte "ESC x", and their C1 forms) are
//     removed, so no "[2J" is left behind;
//   - every other C0 and C1 control and DEL is removed, except that tab,
//     newline and carriage return become a space (a message stays one line);
//   - bidi controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069)
//     and the line/paragraph separators U+2028, U+2029 are removed;
//   - runs of spaces collapse to one, and the ends are trimmed;
//   - the result is clipped to a number of runes, ending in "…".
package textsafe

import (
	"strings"
	"unicode/utf8"
)

// Max is the default length, in runes, of cleaned outside text: long enough
// for any real exchange message, short enough for a terminal line or two.
const Max = 300

// Ellipsis ends clipped text.
const Ellipsis = "…"

// Line cleans s and clips it to Max runes.
func Line(s string) string { return Clean(s, Max) }

// Clean cleans s (see the package comment) and clips it to max runes,
// counting the ellipsis. max <= 0 means no clipping. The work is linear in
// len(s), and stops once more than max runes are kept.
func Clean(s string, max int) string {
	if isPlain(s, max) {
		return s
	}
	out := make([]rune, 0, min(len(s), max+2))
	space := true // drops leading spaces, collapses runs
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if isIntroducer(r) {
			i = skipEscape(s, i, size, r)
			continue
		}
		i += size
		switch {
		case r == '\t' || r == '\n' || r == '\r' || r == ' ' || r == 0x2028 || r == 0x2029:
			if space {
				continue
			}
			space, r = true, ' '
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || isBidi(r):
			continue
		default:
			space = false
		}
		out = append(out, r)
		// Enough to know the text is longer than max: a visible rune past it.
		if max > 0 && len(out) > max && !space {
			break
		}
	}
	for len(out) > 0 && out[len(out)-1] == ' ' {
		out = out[:len(out)-1]
	}
	if max > 0 && len(out) > max {
		out = out[:max-1]
		for len(out) > 0 && out[len(out)-1] == ' ' {
			out = out[:len(out)-1]
		}
		return string(out) + Ellipsis
	}
	return string(out)
}

// StripEscapes removes whole terminal escape sequences (the same ones
// Clean removes) and nothing else: no clipping, no change to spaces or
// other controls. Pasted credentials are cleaned with it, so a key pasted
// with a colour code or a DCS reply around it keeps exactly its own
// characters.
func StripEscapes(s string) string {
	if !strings.ContainsAny(s, "\x1b\u009b\u009d\u0090\u0098\u009e\u009f") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if isIntroducer(r) {
			i = skipEscape(s, i, size, r)
			continue
		}
		b.WriteString(s[i : i+size])
		i += size
	}
	return b.String()
}

func isIntroducer(r rune) bool {
	return r == 0x1b || r == 0x9b || r == 0x9d || r == 0x90 || r == 0x98 || r == 0x9e || r == 0x9f
}

// isPlain reports whether s needs no change: printable ASCII only, no
// double or edge spaces, short enough.
func isPlain(s string, max int) bool {
	if max > 0 && len(s) > max {
		return false
	}
	prevSpace := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f {
			return false
		}
		if c == ' ' {
			if prevSpace {
				return false
			}
			prevSpace = true
		} else {
			prevSpace = false
		}
	}
	return !prevSpace || s == ""
}

// skipEscape returns the offset just past the escape sequence starting at
// i (an ESC, or a C1 introducer of size bytes).
func skipEscape(s string, i, size int, r rune) int {
	j := i + size
	kind := r
	if r == 0x1b {
		if j >= len(s) {
			return j
		}
		switch s[j] {
		case '[':
			kind = 0x9b
		case ']':
			kind = 0x9d
		case 'P':
			kind = 0x90
		case 'X':
			kind = 0x98
		case '^':
			kind = 0x9e
		case '_':
			kind = 0x9f
		default:
			// Two-byte sequence (ESC 7, ESC c, ESC ( B …): drop the next
			// character too, and any intermediate bytes before it.
			for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
				j++
			}
			if j < len(s) {
				_, n := utf8.DecodeRuneInString(s[j:])
				j += n
			}
			return j
		}
		j++
	}
	switch kind {
	case 0x9b: // CSI: parameters and intermediates, then a final byte 0x40–0x7e
		for j < len(s) {
			c := s[j]
			if c < 0x20 || c >= 0x7f {
				return j // malformed: the main loop handles this byte
			}
			j++
			if c >= 0x40 {
				return j // the final byte
			}
		}
		return j
	default: // OSC, DCS, SOS, PM, APC: up to BEL (OSC) or ST (ESC \ or 0x9c)
		for j < len(s) {
			if s[j] == 0x07 {
				return j + 1
			}
			if s[j] == 0x1b && j+1 < len(s) && s[j+1] == '\\' {
				return j + 2
			}
			r, n := utf8.DecodeRuneInString(s[j:])
			if r == 0x9c {
				return j + n
			}
			j += n
		}
		return j
	}
}

// isBidi reports the bidirectional formatting characters that can make a
// terminal show text in another order than it is stored.
func isBidi(r rune) bool {
	switch {
	case r == 0x061c, r == 0x200e, r == 0x200f:
		return true
	case r >= 0x202a && r <= 0x202e:
		return true
	case r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}
