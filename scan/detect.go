package scan

import (
	"bytes"
	"fmt"
	"math"
	"strings"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/internal/mask"
)

// hit is one finding inside one text, before its place (file or commit)
// is known.
type hit struct {
	line     int
	kind     string
	severity Severity
	profile  string
	exchange string
	field    string
	encoding string
	what     string
}

// storedMinLen is the shortest stored value looked for: shorter ones
// would match ordinary text.
const storedMinLen = 8

// detector finds stored secrets and key-shaped strings in text. It is
// immutable and safe for concurrent use.
type detector struct {
	m      *mask.Matcher
	owners []owner // per secret given to the matcher
	infos  []exchanges.Info
	names  []exchangeName
}

type owner struct {
	profile, exchange, exchangeName, field string
}

type exchangeName struct {
	info  int    // index into infos
	token string // lower case: "binance", "gate.io"
}

func newDetector(stored []Stored, infos []exchanges.Info) *detector {
	d := &detector{infos: infos}
	byID := map[string]string{}
	for i, in := range infos {
		byID[in.ID] = in.Name
		seen := map[string]bool{}
		for _, n := range append([]string{in.ID, strings.ToLower(in.Name)}, aliases[in.ID]...) {
			if !seen[n] {
				seen[n] = true
				d.names = append(d.names, exchangeName{info: i, token: n})
			}
		}
	}
	var secrets []mask.Secret
	for _, s := range stored {
		name := byID[s.Exchange]
		if name == "" {
			name = s.Exchange
		}
		for _, f := range []struct{ field, v string }{
			{FieldKey, s.Creds.Key}, {FieldSecret, s.Creds.Secret.Reveal()}, {FieldPassphrase, s.Creds.Passphrase.Reveal()},
		} {
			secrets = append(secrets, mask.Secret{Name: f.field, Value: f.v})
			d.owners = append(d.owners, owner{profile: s.Profile, exchange: s.Exchange, exchangeName: name, field: f.field})
		}
	}
	d.m = mask.New(secrets, storedMinLen)
	return d
}

// aliases are other names an exchange goes by in code and configs.
var aliases = map[string][]string{
	"okx":      {"okex"},
	"gate":     {"gateio", "gate.io"},
	"coinbase": {"coinbasepro", "coinbaseadvanced", "cdp"},
	"kucoin":   {"kucoinfutures"},
	"binance":  {"binanceusdm", "binancecoinm", "binanceus"},
}

// detect returns the findings in data, in line order.
func (d *detector) detect(data []byte) []hit {
	lines := newLineIndex(data)
	var hits []hit
	type storedAt struct{ line, start, end int }
	var covered []storedAt
	seen := map[string]bool{}
	d.m.Scan(data, func(mt mask.Match) {
		line := lines.at(mt.Start)
		for _, pi := range mt.Patterns {
			p := d.m.Patterns()[pi]
			o := d.owners[p.Secret]
			key := fmt.Sprint(line, o.profile, o.field)
			covered = append(covered, storedAt{line, mt.Start, mt.End})
			if seen[key] {
				continue
			}
			seen[key] = true
			sev := High
			if o.field != FieldSecret {
				sev = Medium // a public key, or a passphrase, alone cannot sign
			}
			hits = append(hits, hit{line: line, kind: KindStored, severity: sev, profile: o.profile, exchange: o.exchange,
				field: o.field, encoding: p.Encoding,
				what: fmt.Sprintf("the %s of profile %s (%s), %s", fieldWords[o.field], o.profile, o.exchangeName, p.Encoding)})
		}
	})
	inStored := func(start, end int) bool {
		for _, c := range covered {
			if start < c.end && c.start < end {
				return true
			}
		}
		return false
	}
	hits = append(hits, d.privateKeys(data, lines)...)
	forEachToken(data, func(start, end int) {
		if inStored(start, end) {
			return
		}
		if h, ok := d.shaped(data, start, end, lines); ok && !seen[fmt.Sprint(h.line, "shaped")] {
			seen[fmt.Sprint(h.line, "shaped")] = true
			hits = append(hits, h)
		}
	})
	sortHits(hits)
	return hits
}

var fieldWords = map[string]string{FieldKey: "API key", FieldSecret: "secret", FieldPassphrase: "passphrase"}

// privateKeys finds PEM private key headers.
func (d *detector) privateKeys(data []byte, lines *lineIndex) []hit {
	var hits []hit
	marker := []byte("PRIVATE KEY-----")
	for off := 0; ; {
		i := bytes.Index(data[off:], marker)
		if i < 0 {
			return hits
		}
		at := off + i
		off = at + len(marker)
		ls := bytes.LastIndexByte(data[:at], '\n') + 1
		b := bytes.Index(data[ls:at], []byte("-----BEGIN "))
		if b < 0 {
			continue
		}
		typ := strings.TrimSpace(string(data[ls+b+len("-----BEGIN ") : at]))
		if len(typ) > 20 {
			continue
		}
		hits = append(hits, hit{line: lines.at(at), kind: KindPrivateKey, severity: High,
			what: strings.TrimSpace("a PEM " + typ + " private key")})
	}
}

// forEachToken calls fn for each run of 16 to 200 characters that can
// make up a key: letters, digits and + / = _ - (base64, hex, UUIDs, ids).
func forEachToken(data []byte, fn func(start, end int)) {
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
			if n := end - start; n >= 16 && n <= 200 {
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

// contextLines is how many lines above a value may name the exchange (a
// config section "binance:" or "[exchange] name = okx").
const contextLines = 4

// shaped judges one token: it is a finding when it has the shape of an
// exchange's key or secret, looks random, and its line names a key or a
// secret; the exchange must be named nearby, or the line must say "api"
// or "exchange" for a secret of unnamed origin.
func (d *detector) shaped(data []byte, start, end int, lines *lineIndex) (hit, bool) {
	tok := string(data[start:end])
	if !random(tok) {
		return hit{}, false
	}
	ls, le := lineBounds(data, start)
	line := strings.ToLower(string(data[ls:le]))
	word := keyword(line)
	if word == "" {
		return hit{}, false
	}
	ctxStart := ls
	for i := 0; i < contextLines && ctxStart > 0; i++ {
		ctxStart = bytes.LastIndexByte(data[:ctxStart-1], '\n') + 1
	}
	near := strings.ToLower(string(data[ctxStart:le]))
	named := d.named(near)
	lineNo := lines.at(start)
	secretFirst := strings.Contains(line, "secret") || strings.Contains(line, "private")
	for _, i := range named {
		info := d.infos[i]
		fields := info.Fields
		if secretFirst {
			fields = make([]exchanges.Field, 0, len(info.Fields))
			for _, f := range info.Fields {
				if f.ID == exchanges.FieldSecret {
					fields = append([]exchanges.Field{f}, fields...)
				} else {
					fields = append(fields, f)
				}
			}
		}
		for _, f := range fields {
			if f.ID == exchanges.FieldPassphrase || f.Check == nil || f.Check(tok) != nil {
				continue
			}
			sev := High
			if f.ID == exchanges.FieldKey {
				sev = Medium
			}
			return hit{line: lineNo, kind: KindShaped, severity: sev, exchange: info.ID, field: f.ID,
				what: fmt.Sprintf("a value with the shape of a %s %s, next to %q and %q", info.Name, f.Label, d.nameIn(near, i), word)}, true
		}
	}
	if len(named) > 0 || !secretWord(word) || !(strings.Contains(line, "api") || strings.Contains(line, "exchange")) {
		return hit{}, false
	}
	var like []string
	for _, info := range d.infos {
		if f, ok := info.Field(exchanges.FieldSecret); ok && f.Check != nil && f.Check(tok) == nil {
			like = append(like, info.Name+" "+f.Label)
		}
	}
	if len(like) == 0 {
		return hit{}, false
	}
	if len(like) > 3 {
		like = append(like[:3], "…")
	}
	return hit{line: lineNo, kind: KindShaped, severity: Medium, field: FieldSecret,
		what: fmt.Sprintf("a value with the shape of an exchange API secret (%s), next to %q", strings.Join(like, ", "), word)}, true
}

// named returns the exchanges (indexes into infos) named in text, as whole
// words.
func (d *detector) named(text string) []int {
	var out []int
	seen := map[int]bool{}
	for _, n := range d.names {
		if !seen[n.info] && hasWord(text, n.token) {
			seen[n.info] = true
			out = append(out, n.info)
		}
	}
	return out
}

func (d *detector) nameIn(text string, info int) string {
	for _, n := range d.names {
		if n.info == info && hasWord(text, n.token) {
			return n.token
		}
	}
	return d.infos[info].ID
}

// hasWord reports whether w occurs in s not glued to other letters
// ("GATE_API_KEY" and "gate.io" name Gate; "navigate" does not).
func hasWord(s, w string) bool {
	for off := 0; ; {
		i := strings.Index(s[off:], w)
		if i < 0 {
			return false
		}
		at := off + i
		before := at == 0 || !isLetter(s[at-1])
		after := at+len(w) == len(s) || !isLetter(s[at+len(w)])
		if before && after {
			return true
		}
		off = at + 1
	}
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// keywords name a credential in code, configs and .env files.
var keywords = []string{"secret", "passphrase", "password", "private", "apikey", "api_key", "api-key", "access_key", "token", "credential", "key"}

func keyword(line string) string {
	for _, k := range keywords {
		if strings.Contains(line, k) {
			return k
		}
	}
	return ""
}

func secretWord(w string) bool {
	return w == "secret" || w == "private" || w == "passphrase" || w == "password"
}

// random reports whether tok looks machine-made: letters and digits both,
// and enough entropy for its alphabet (placeholders, words and repeated
// characters are not keys).
func random(tok string) bool {
	var letters, digits, upper, lower int
	freq := map[rune]int{}
	for _, r := range tok {
		freq[r]++
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r >= 'a' && r <= 'z':
			letters++
			lower++
		case r >= 'A' && r <= 'Z':
			letters++
			upper++
		}
	}
	if letters == 0 || digits == 0 {
		return false
	}
	h := 0.0
	n := float64(len(tok))
	for _, c := range freq {
		p := float64(c) / n
		h -= p * math.Log2(p)
	}
	hexLike := upper == 0 || lower == 0
	if hexLike {
		return h >= 3.0
	}
	return h >= 3.5
}

// lineBounds returns the start and end of the line holding data[i].
func lineBounds(data []byte, i int) (int, int) {
	ls := bytes.LastIndexByte(data[:i], '\n') + 1
	le := bytes.IndexByte(data[i:], '\n')
	if le < 0 {
		return ls, len(data)
	}
	return ls, i + le
}

// lineIndex turns offsets into 1-based line numbers; offsets asked in
// increasing order cost one pass overall.
type lineIndex struct {
	data      []byte
	off, line int
}

func newLineIndex(data []byte) *lineIndex { return &lineIndex{data: data, line: 1} }

func (l *lineIndex) at(off int) int {
	if off < l.off {
		l.off, l.line = 0, 1
	}
	l.line += bytes.Count(l.data[l.off:off], []byte{'\n'})
	l.off = off
	return l.line
}
