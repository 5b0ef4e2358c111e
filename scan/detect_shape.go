package scan

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/keywarden/keywarden/exchanges"
)

// Token lengths: a key or secret is 16 to 200 characters; a few exchanges
// issue shorter ids (Deribit's client id), looked for only next to the
// exchange's name.
const (
	minToken      = 16
	minShortToken = 6
	maxToken      = 200
)

// shapedHits judges every token of the window (those outside its judged
// part too: a passphrase's key may be there) and returns the hits among
// those that start in the judged part. It notes the names that may be
// given a passphrase on the way.
func (d *detector) shapedHits(w *window, f format) []hit {
	var hits []hit
	forEachToken(w.data, minShortToken, func(start, end int) {
		if start >= w.fresh && start < w.safe && passName(w.data, start, end) {
			w.passNames = append(w.passNames, start)
		}
		if w.inStored(start, end) {
			return
		}
		h, info, ok := d.shaped(w, f, start, end)
		if !ok {
			return
		}
		if info >= 0 {
			w.keys = append(w.keys, keyAt{start: start, end: end, info: info})
		}
		if start >= w.fresh && start < w.safe {
			h.off = w.base + int64(start)
			hits = append(hits, h)
		}
	})
	return hits
}

// passName reports whether the token data[start:end] may be a name that
// is given a passphrase: it says "pass" and an '=' or ':' follows.
func passName(data []byte, start, end int) bool {
	for end > start && data[end-1] == '=' {
		end-- // forEachToken took NAME='s '=' for base64 padding
	}
	i := skipNameEnd(data, end)
	if i >= len(data) || data[i] != '=' && data[i] != ':' {
		return false
	}
	for k := start; k+4 <= end; k++ {
		if data[k]|0x20 == 'p' && data[k+1]|0x20 == 'a' && data[k+2]|0x20 == 's' && data[k+3]|0x20 == 's' {
			return true
		}
	}
	return false
}

// shaped judges one token. It is a finding when it is the value given to a
// name that says key or secret (`BINANCE_API_SECRET=…`, `"secret": "…"`,
// `apiKey: …`), looks machine-made, is no placeholder, and has the shape of
// the key or secret of an exchange named in that name or in the lines
// around; or, for a secret of unnamed origin, when the name says "api" or
// "exchange" too. The identifiers, words and hashes that fill code are
// never in that position with such a name.
func (d *detector) shaped(w *window, ff format, start, end int) (hit, int, bool) {
	tok := w.data[start:end]
	short := len(tok) < minToken
	if h, info, ok := d.selfNamed(tok); ok {
		return h, info, ok
	}
	ns, ne, quoted, ok := nameBefore(w.data, start)
	if !ok || !quoted && !ff.unquoted() {
		return hit{}, -1, false // in code, a bare value is a variable
	}
	var lb [maxName]byte
	name := lower(lb[:0], w.data[ns:ne])
	word := credWord(name)
	if word == "" || passWord(word) || nonSecretName(name) || placeholderToken(tok) {
		return hit{}, -1, false
	}
	if short && !shortID(tok) || !short && (!random(tok) || identifier(tok)) {
		return hit{}, -1, false
	}
	cs, ce := w.context(start, end)
	named := d.named(w, cs, ce, ns, ne, start)
	secretFirst := word == "secret" || word == "private"
	for _, nm := range named {
		info := d.infos[nm.info]
		for _, fid := range fieldOrder(secretFirst) {
			f, ok := info.Field(fid)
			if !ok || f.Check == nil || f.Check(string(tok)) != nil {
				continue
			}
			sev := High
			if fid == exchanges.FieldKey {
				sev = Medium
			}
			return hit{kind: KindShaped, severity: sev, exchange: info.ID, field: fid,
				what: fmt.Sprintf("a value with the shape of %s %s %s, next to %q and %q", article(info.Name), info.Name, f.Label, d.words.words[nm.word], word)}, nm.info, true
		}
	}
	if short || len(named) > 0 || !secretFirst {
		return hit{}, -1, false
	}
	if !bytes.Contains(name, []byte("api")) && !bytes.Contains(name, []byte("exchange")) && !w.lineSays(start, "api", "exchange") {
		return hit{}, -1, false
	}
	var like []string
	for _, info := range d.infos {
		if f, ok := info.Field(exchanges.FieldSecret); ok && f.Check != nil && f.Check(string(tok)) == nil {
			like = append(like, info.Name+" "+f.Label)
		}
	}
	if len(like) == 0 {
		return hit{}, -1, false
	}
	if len(like) > 3 {
		like = append(like[:3], "…")
	}
	return hit{kind: KindShaped, severity: Medium, field: FieldSecret,
		what: fmt.Sprintf("a value with the shape of an exchange API secret (%s), next to %q", strings.Join(like, ", "), word)}, -1, true
}

// article is "a" or "an" before a name: "an OKX key", "a KuCoin key".
func article(name string) string {
	if name != "" && strings.ContainsRune("AEIOUaeiou", rune(name[0])) {
		return "an"
	}
	return "a"
}

func fieldOrder(secretFirst bool) []string {
	if secretFirst {
		return []string{exchanges.FieldSecret, exchanges.FieldKey}
	}
	return []string{exchanges.FieldKey, exchanges.FieldSecret}
}

// selfNamed finds the values that say what they are without a name: a
// Coinbase CDP key name (organizations/{uuid}/apiKeys/{uuid}).
func (d *detector) selfNamed(tok []byte) (hit, int, bool) {
	if !bytes.HasPrefix(tok, []byte("organizations/")) || !bytes.Contains(tok, []byte("/apiKeys/")) {
		return hit{}, -1, false
	}
	for i, info := range d.infos {
		if f, ok := info.Field(exchanges.FieldKey); ok && info.ID == "coinbase" && f.Check != nil && f.Check(string(tok)) == nil {
			return hit{kind: KindShaped, severity: Medium, exchange: info.ID, field: exchanges.FieldKey,
				what: article(info.Name) + " " + info.Name + " " + f.Label + " (organizations/…/apiKeys/…)"}, i, true
		}
	}
	return hit{}, -1, false
}

// named returns the exchanges named in data[cs:ce] (as whole words), the
// one named in the value's own name data[ns:ne] first, then the nearest.
type namedAt struct {
	info, word, dist int
}

func (d *detector) named(w *window, cs, ce, ns, ne, at int) []namedAt {
	var out []namedAt
	for visited, n := range w.namesIn(d, cs, ce) {
		if visited >= 64 {
			break
		}
		if n.info == wordPassphrase || n.start < cs || n.end > ce {
			continue
		}
		dist := abs(n.start - at)
		if n.start >= ns && n.end <= ne {
			dist = 0
		}
		if k := slices.IndexFunc(out, func(x namedAt) bool { return x.info == n.info }); k >= 0 {
			out[k].dist = min(out[k].dist, dist)
			continue
		}
		out = append(out, namedAt{info: n.info, word: n.word, dist: dist})
	}
	slices.SortStableFunc(out, func(a, b namedAt) int { return a.dist - b.dist })
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// context returns the stretch around data[start:end] where an exchange may
// be named: a few lines above and below, within a bounded number of bytes.
func (w *window) context(start, end int) (int, int) {
	if w.nl == nil {
		w.nl = newlines(w.data)
	}
	lo, hi := max(0, start-ctxBefore), min(len(w.data), end+ctxAfter)
	k, _ := slices.BinarySearch(w.nl, start) // w.nl[k] is the first newline at or after start
	if j := k - 1 - ctxLinesBefore; j >= 0 {
		lo = max(lo, w.nl[j]+1)
	}
	if j := k + ctxLinesAfter; j < len(w.nl) {
		hi = min(hi, w.nl[j])
	}
	return lo, hi
}

// lineSays reports whether the line around data[at], within 256 bytes,
// holds one of the words (any case).
func (w *window) lineSays(at int, words ...string) bool {
	lo, hi := max(0, at-256), min(len(w.data), at+256)
	if j := bytes.LastIndexByte(w.data[lo:at], '\n'); j >= 0 {
		lo += j + 1
	}
	if j := bytes.IndexByte(w.data[at:hi], '\n'); j >= 0 {
		hi = at + j
	}
	var lb [512]byte
	line := lower(lb[:0], w.data[lo:hi])
	for _, wd := range words {
		if bytes.Contains(line, []byte(wd)) {
			return true
		}
	}
	return false
}

// newlines lists the offsets of data's newlines.
func newlines(data []byte) []int {
	out := []int{}
	for off := 0; ; {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			return out
		}
		out = append(out, off+i)
		off += i + 1
	}
}
