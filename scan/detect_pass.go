package scan

import (
	"bytes"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/keywarden/keywarden/exchanges"
)

// maxPassValue bounds a passphrase value (exchanges allow 32 to 64
// characters).
const maxPassValue = 128

// minPassValue is the shortest passphrase looked for: OKX, KuCoin and
// Bitget ask for at least 7 or 8 characters; shorter values are ids,
// flags and placeholders.
const minPassValue = 6

// passphrases finds a passphrase written next to its key: the literal
// value of a name that says passphrase or password, for an exchange whose
// keys have one (OKX, KuCoin, Bitget), when the name itself names the
// exchange (`OKX_PASSPHRASE=…`) or the exchange is named nearby and one of
// its keys or secrets was found nearby too (the "password" of a freqtrade
// `exchange` block). A passphrase is chosen by a person, so its shape
// tells nothing: the evidence is where it is written.
func (d *detector) passphrases(w *window, f format) []hit {
	var hits []hit
	for _, start := range w.passNames {
		ns, ne := nameAround(w.data, start, start)
		var lb [maxName]byte
		if !slices.ContainsFunc(passWords, func(p string) bool { return bytes.Contains(lower(lb[:0], w.data[ns:ne]), []byte(p)) }) {
			continue
		}
		vs, ve, ok := valueAfter(w.data, ne, f)
		if !ok || w.inStored(vs, ve) {
			continue
		}
		val := w.data[vs:ve]
		if placeholderPass(val) {
			continue
		}
		info, why := d.passExchange(w, ns, ne, vs, ve)
		if info < 0 {
			continue
		}
		in := d.infos[info]
		pf, ok := in.Field(exchanges.FieldPassphrase)
		if !ok || pf.Check != nil && pf.Check(string(val)) != nil {
			continue
		}
		hits = append(hits, hit{off: w.base + int64(vs), kind: KindPassphrase, severity: Medium, exchange: in.ID, field: FieldPassphrase,
			what: fmt.Sprintf("%s %s %s, %s", article(in.Name), in.Name, pf.Label, why)})
	}
	return hits
}

// passExchange says whose passphrase the value of data[ns:ne] is: an
// exchange with passphrases named in the name, or named nearby with one of
// its keys or secrets found nearby. -1: none.
func (d *detector) passExchange(w *window, ns, ne, vs, ve int) (int, string) {
	cs, ce := w.context(vs, ve)
	for _, n := range d.named(w, cs, ce, ns, ne, vs) {
		if _, ok := d.infos[n.info].Field(exchanges.FieldPassphrase); !ok {
			continue
		}
		if n.dist == 0 {
			return n.info, fmt.Sprintf("under a name that says %q", d.words.words[n.word])
		}
		if genericPassName(w.data[ns:ne]) && w.keyNear(d.infos[n.info].ID, n.info, cs, ce) {
			return n.info, fmt.Sprintf("next to its key (near %q)", d.words.words[n.word])
		}
	}
	return -1, ""
}

// passNameWords are the words a name may hold besides the passphrase
// word, for the name to be an exchange key's passphrase when it does not
// name the exchange: "password", "api-passphrase",
// "FREQTRADE__EXCHANGE__PASSWORD". "POSTGRES_PASSWORD" is a database's.
var passNameWords = []string{"password", "passphrase", "passwd", "pass", "phrase", "api", "exchange", "freqtrade", "key", "trading",
	"trade", "account", "sub", "main", "live", "demo", "bot", "my", "ccxt", "credentials", "creds", "auth"}

func genericPassName(name []byte) bool {
	for _, w := range words(string(name)) {
		if !slices.Contains(passNameWords, w) {
			return false
		}
	}
	return true
}

// keyNear reports whether a key or secret of the exchange (by id and
// index in infos) was found in data[cs:ce], by shape or as a stored value.
func (w *window) keyNear(id string, info, cs, ce int) bool {
	i, _ := slices.BinarySearchFunc(w.keys, cs, func(k keyAt, s int) int { return k.start - s })
	for ; i < len(w.keys) && w.keys[i].start < ce; i++ {
		if w.keys[i].info == info {
			return true
		}
	}
	for _, s := range w.stored {
		if s.exchange == id && s.start >= cs && s.start < ce {
			return true
		}
	}
	return false
}

// nameAround widens data[start:end] to the whole name holding it.
func nameAround(data []byte, start, end int) (int, int) {
	for n := 0; start > 0 && nameByte[data[start-1]] && n < maxName; n++ {
		start--
	}
	for n := 0; end < len(data) && nameByte[data[end]] && n < maxName; n++ {
		end++
	}
	return start, end
}

// valueAfter finds the literal value given to the name ending at
// data[ne]: `NAME=value`, `name: value`, `"name": "value"`, `name = 'v'`.
// Unquoted values count only in formats where they are literals (.env,
// YAML, INI, shell), not in code, where they are variables.
func valueAfter(data []byte, ne int, f format) (vs, ve int, ok bool) {
	i := skipNameEnd(data, ne)
	if i >= len(data) {
		return 0, 0, false
	}
	switch {
	case i+1 < len(data) && data[i] == '=' && data[i+1] == '>', i+1 < len(data) && data[i] == ':' && data[i+1] == '=':
		i += 2
	case data[i] == '=' && (i+1 >= len(data) || data[i+1] != '='), data[i] == ':':
		i++
	default:
		return 0, 0, false
	}
	i = skipBlanksForward(data, i)
	if i >= len(data) {
		return 0, 0, false
	}
	if data[i] == '\\' && i+1 < len(data) && isQuote(data[i+1]) {
		// JSON inside a string: the value ends at the next \" as well.
		q := data[i+1]
		vs = i + 2
		end := bytes.Index(data[vs:min(len(data), vs+maxPassValue+2)], []byte{'\\', q})
		if end <= 0 || bytes.IndexByte(data[vs:vs+end], '\n') >= 0 {
			return 0, 0, false
		}
		return vs, vs + end, true
	}
	if q := data[i]; isQuote(q) {
		vs = i + 1
		for j := vs; j < len(data) && j-vs <= maxPassValue; j++ {
			switch data[j] {
			case '\n':
				return 0, 0, false
			case '\\':
				j++ // an escaped character
			case q:
				return vs, j, j > vs
			}
		}
		return 0, 0, false
	}
	if !f.unquoted() {
		return 0, 0, false
	}
	vs = i
	for ve = vs; ve < len(data) && ve-vs <= maxPassValue && !endOfBare(data[ve]); ve++ {
	}
	if ve-vs > maxPassValue {
		return 0, 0, false
	}
	return vs, ve, ve > vs
}

// skipNameEnd steps over what may close a name ending at data[i] (a
// quote, an escaped quote) and the blanks after it.
func skipNameEnd(data []byte, i int) int {
	if i < len(data) && data[i] == '\\' {
		i++
	}
	if i < len(data) && isQuote(data[i]) {
		i++
	}
	return skipBlanksForward(data, i)
}

func isQuote(c byte) bool { return c == '"' || c == '\'' || c == '`' }

func endOfBare(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '#' || c == ',' || c == ';' || c == '}' || c == ']' || c == '"' || c == '\''
}

func skipBlanksForward(data []byte, i int) int {
	for n := 0; i < len(data) && n < 8 && (data[i] == ' ' || data[i] == '\t'); n++ {
		i++
	}
	return i
}

// placeholderPass: values that stand in for a passphrase, refer to one, or
// are too short or too odd to be one.
func placeholderPass(v []byte) bool {
	if len(v) < minPassValue || !utf8.Valid(v) {
		return true
	}
	switch v[0] {
	case '$', '<', '{', '%', '[', '(', '*', '.':
		return true
	}
	var lb [maxPassValue + 2]byte
	l := lower(lb[:0], v)
	if placeholderValue(string(l)) {
		return true
	}
	for _, s := range []string{"passphrase", "password", "secret", "string", "required", "optional", "${", "{{", "(", "***", "...", "\\u", "\\x"} {
		if bytes.Contains(l, []byte(s)) {
			return true
		}
	}
	return false
}
