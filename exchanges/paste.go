package exchanges

import (
	"strings"
	"unicode"

	"github.com/keywarden/keywarden/internal/textsafe"
)

// Clean removes what copying a credential from a web page or a terminal
// drags along: escape sequences (including bracketed-paste markers),
// zero-width and other invisible characters, surrounding whitespace and
// newlines, and a pair of surrounding quotes. For a multiline value (a PEM
// key) inner line breaks are kept and normalized, and literal "\n" escapes
// from a JSON download are turned into line breaks; for other values inner
// line breaks are removed.
//
// It returns the cleaned value and, for telling the user, what was removed.
// The notes never contain the value.
func Clean(s string, multiline bool) (string, []string) {
	var notes []string
	note := func(n string) {
		for _, x := range notes {
			if x == n {
				return
			}
		}
		notes = append(notes, n)
	}

	if t := textsafe.StripEscapes(s); t != s {
		s = t
		note("terminal escape codes")
	}
	if t := strings.Map(func(r rune) rune {
		if isInvisible(r) {
			return -1
		}
		return r
	}, s); t != s {
		s = t
		note("invisible zero-width characters")
	}
	if t := strings.TrimSpace(s); t != s {
		lead := s[:len(s)-len(strings.TrimLeftFunc(s, unicode.IsSpace))]
		trail := s[len(strings.TrimRightFunc(s, unicode.IsSpace)):]
		if strings.ContainsAny(lead+trail, "\r\n") {
			note("line breaks at the start or end")
		}
		if strings.ContainsAny(lead+trail, " \t") {
			note("spaces at the start or end")
		}
		s = t
	}
	for stripped := true; stripped && len(s) >= 2; {
		stripped = false
		for _, q := range []string{`"`, `'`, "`"} {
			if len(s) >= 2 && strings.HasPrefix(s, q) && strings.HasSuffix(s, q) {
				s = strings.TrimSpace(s[1 : len(s)-1])
				note("surrounding quotes")
				stripped = true
			}
		}
	}
	if multiline {
		if strings.Contains(s, `\n`) && looksLikePEM(s) {
			s = strings.ReplaceAll(s, `\n`, "\n")
			note(`literal \n escapes (turned into line breaks)`)
		}
		if strings.Contains(s, "\r") {
			s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
		}
		if looksLikePEM(s) {
			lines := strings.Split(s, "\n")
			for i, l := range lines {
				lines[i] = strings.TrimSpace(l)
			}
			s = strings.TrimSpace(strings.Join(lines, "\n"))
		}
	} else if strings.ContainsAny(s, "\r\n\t") {
		s = strings.Map(func(r rune) rune {
			if r == '\r' || r == '\n' || r == '\t' {
				return -1
			}
			return r
		}, s)
		note("line breaks inside the value")
	}
	return s, notes
}

// isInvisible reports zero-width and formatting characters that a web page
// may slip into copied text.
func isInvisible(r rune) bool {
	switch r {
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u200e', '\u200f':
		return true
	}
	return unicode.Is(unicode.Cf, r)
}
