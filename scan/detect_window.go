package scan

import (
	"fmt"
	"slices"

	"github.com/keywarden/keywarden/internal/mask"
)

// window is one piece of a file: data[fresh:safe] is judged here; what
// comes before is context kept from the piece before, what comes after
// (unless final) is judged with the next piece.
type window struct {
	data        []byte
	base        int64
	fresh, safe int
	final       bool
	// found by the passes, over the whole of data:
	stored  []storedAt
	covered []storedAt
	names   []nameAt // found by namesIn in the stretches read
	read    []span
	keys    []keyAt
	// passNames are names holding a passphrase word, given a value.
	passNames []int
	nl        []int // newline offsets, made when first needed
}

type storedAt struct {
	start, end int
	exchange   string
}

// nameAt is an occurrence of an exchange's name (info ≥ 0) or of a
// passphrase word (info == wordPassphrase).
type nameAt struct {
	start, end int
	info, word int
}

// keyAt is a value judged to be an exchange's key or secret.
type keyAt struct {
	start, end int
	info       int
}

// storedHits finds every form of every stored value.
func (d *detector) storedHits(w *window) []hit {
	var hits []hit
	pats := d.m.Patterns()
	d.m.Scan(w.data, func(mt mask.Match) {
		w.stored = append(w.stored, storedAt{start: mt.Start, end: mt.End, exchange: d.owners[pats[mt.Patterns[0]].Secret].exchange})
		if mt.Start < w.fresh || mt.Start >= w.safe {
			return
		}
		for _, pi := range mt.Patterns {
			o := d.owners[pats[pi].Secret]
			sev := High
			if o.field != FieldSecret {
				sev = Medium // a public key, or a passphrase, alone cannot sign
			}
			hits = append(hits, hit{off: w.base + int64(mt.Start), kind: KindStored, severity: sev, profile: o.profile, exchange: o.exchange,
				field: o.field, encoding: pats[pi].Encoding,
				what: fmt.Sprintf("the %s of profile %s (%s), %s", fieldWords[o.field], o.profile, o.exchangeName, pats[pi].Encoding)})
		}
	})
	// The stretches stored values cover, merged and in order, for inStored.
	cov := make([]storedAt, len(w.stored))
	copy(cov, w.stored)
	slices.SortFunc(cov, func(a, b storedAt) int { return a.start - b.start })
	w.covered = w.covered[:0]
	for _, c := range cov {
		if k := len(w.covered) - 1; k >= 0 && c.start <= w.covered[k].end {
			w.covered[k].end = max(w.covered[k].end, c.end)
			continue
		}
		w.covered = append(w.covered, c)
	}
	return hits
}

// inStored reports whether data[start:end] overlaps a stored value.
func (w *window) inStored(start, end int) bool {
	i, _ := slices.BinarySearchFunc(w.covered, start, func(c storedAt, s int) int { return c.end - s - 1 })
	// w.covered[i] is the first stretch ending after start.
	return i < len(w.covered) && w.covered[i].start < end
}

// namesIn returns the names found in data[lo:hi], in order of their start
// (some may lie a little outside). The word matcher runs lazily, over the
// parts of the stretches asked for that it has not read yet: each byte of
// the window is read about once at most, and only near candidates.
func (w *window) namesIn(d *detector, lo, hi int) []nameAt {
	for _, g := range w.gaps(lo, hi) {
		from := max(0, g.start-(d.words.maxW-1))
		d.words.scan(w.data[from:g.end], func(id, start int) {
			start += from
			end := start + len(d.words.words[id])
			info := d.wordInfo[id]
			if end <= g.start || info != wordPassphrase && !(boundary(w.data, start) && boundary(w.data, end)) {
				return // a word ending before the gap was found with what precedes it
			}
			// Insert in order of start: new words mostly come last.
			n := nameAt{start: start, end: end, info: info, word: id}
			i := len(w.names)
			w.names = append(w.names, n)
			for ; i > 0 && w.names[i-1].start > start; i-- {
				w.names[i] = w.names[i-1]
			}
			w.names[i] = n
		})
	}
	i, _ := slices.BinarySearchFunc(w.names, lo, func(n nameAt, s int) int { return n.start - s })
	j := i
	for j < len(w.names) && w.names[j].start < hi {
		j++
	}
	return w.names[i:j]
}

// gaps returns the parts of data[lo:hi] not read for names yet, and marks
// them read.
func (w *window) gaps(lo, hi int) []span {
	var out []span
	at := lo
	i, _ := slices.BinarySearchFunc(w.read, lo, func(s span, x int) int { return s.end - x - 1 })
	for k := i; k < len(w.read) && at < hi; k++ {
		r := w.read[k]
		if r.start > at {
			out = append(out, span{at, min(hi, r.start)})
		}
		at = max(at, r.end)
	}
	if at < hi {
		out = append(out, span{at, hi})
	}
	if len(out) == 0 {
		return nil
	}
	// Merge [lo, hi) into the read stretches.
	merged := w.read[:i:i]
	cur := span{lo, hi}
	k := i
	for ; k < len(w.read) && w.read[k].start <= cur.end; k++ {
		cur = span{min(cur.start, w.read[k].start), max(cur.end, w.read[k].end)}
	}
	rest := append([]span{cur}, w.read[k:]...)
	w.read = append(merged, rest...)
	return out
}

type span struct{ start, end int }
