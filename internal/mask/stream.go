package mask

import "unicode/utf8"

// maxGap is how many skipped bytes (whitespace, escape sequences) may lie
// between two characters of one run. It bounds what a Writer holds back.
const maxGap = 64

// maxSeq bounds a terminal escape sequence; a longer one ends there.
const maxSeq = 256

// maxEscape is the longest escape that stands for one character (\uXXXX).
const maxEscape = 6

// span is a masked run of the input, [start, end) in stream offsets.
type span struct {
	start, end int64
	pattern    int32 // a form the run belongs to
	printed    bool  // its mask is written already
}

// rng is a terminal escape sequence seen while a run was open, or a line
// break inside a masked run: if the run is masked, it is written after
// the mask, so the terminal's colours and the lines stay as the bot set
// them.
type rng struct{ start, end int64 }

// The escapes in progress.
const (
	escNone  = iota
	escPct   // %, then 2 hex digits
	escBS    // \, then a letter
	escU     // \u, then 4 hex digits
	escX     // \x, then 2 hex digits
	escESC   // ESC, then [ or a final byte
	escCSI   // ESC [, then parameters up to a final byte
	escInter // ESC and intermediate bytes, up to a final byte
)

// stream is the matcher's state over one stream of bytes: the automaton
// state, the last MinRun symbols' offsets, the escape being decoded, and
// the masked runs found.
type stream struct {
	m     *Matcher
	q     uint32 // automaton state
	l     int32  // length of the match in symbols (dense: capped at MinRun)
	inRun bool   // the last symbol ended a masked run
	k     uint64 // symbols seen
	ring  [MinRun]int64
	// symEnd is where the last symbol ended; gap counts the bytes skipped
	// since, while a match is open.
	symEnd int64
	gap    int32
	// released is the end of the last line break inside a masked run.
	released int64

	esc      uint8
	escStart int64
	escN     int // bytes of the escape so far
	escVal   uint32
	escBuf   [8]byte // its first bytes, to read again if it is no escape

	spans    []span
	seqs     []rng
	keepSeqs bool
}

// feed runs p, which starts at offset base, through the stream.
func (s *stream) feed(p []byte, base int64) {
	m := s.m
	if m.delta == nil {
		for i, b := range p {
			s.byteIn(b, base+int64(i))
		}
		return
	}
	// The common case inline, in registers: a byte that is a symbol of
	// its own, or whitespace.
	delta, in := m.delta, &m.in
	q, l, k, inRun, gap, esc := s.q, s.l, s.k, s.inRun, s.gap, s.esc
	last := -1 // index in p of the last symbol, if the fast path saw it
	for i := 0; i < len(p); i++ {
		c := in[p[i]]
		if c >= clsNL || esc != escNone {
			if c == clsSkip && esc == escNone {
				if l > 0 {
					if gap++; gap > maxGap {
						q, l, inRun = 0, 0, false
					}
				}
				continue
			}
			if last >= 0 {
				s.symEnd, last = base+int64(last)+1, -1
			}
			s.q, s.l, s.k, s.inRun, s.gap = q, l, k, inRun, gap
			s.byteIn(p[i], base+int64(i))
			q, l, k, inRun, gap, esc = s.q, s.l, s.k, s.inRun, s.gap, s.esc
			continue
		}
		s.ring[k%MinRun] = base + int64(i)
		k++
		e := delta[q+uint32(c)]
		q = e & rowMask
		nl := min(l+1, MinRun)
		if code := int32(e>>lenShift) & 31; code != 0 {
			nl = code - 1
		}
		l, last, gap = nl, i, 0
		if l < int32(e>>thrShift) {
			inRun = false
			continue
		}
		if inRun { // the run goes on
			s.spans[len(s.spans)-1].end = base + int64(i) + 1
			continue
		}
		s.q, s.l, s.k, s.inRun = q, l, k, inRun
		s.window(base + int64(i) + 1)
		inRun = true
	}
	if last >= 0 {
		s.symEnd = base + int64(last) + 1
	}
	s.q, s.l, s.k, s.inRun, s.gap = q, l, k, inRun, gap
}

// byteIn handles one byte the slow way.
func (s *stream) byteIn(b byte, off int64) {
	if s.esc != escNone {
		s.escByte(b, off)
		return
	}
	switch c := s.m.in[b]; c {
	case clsNL:
		// A line ends a run that is not masked yet, so that each line
		// is written when it ends. A masked one goes on (a PEM key, a
		// wrapped base64 blob), and its line breaks, with what precedes
		// them, are written after the mask, whether or not it does: so
		// they can be written now, and lines keep their numbers.
		if !s.inRun {
			s.q, s.l = 0, 0
			return
		}
		if s.keepSeqs {
			n := len(s.seqs)
			for n > 0 && s.seqs[n-1].start >= s.symEnd {
				n--
			}
			s.seqs = append(s.seqs[:n], rng{s.symEnd, off + 1})
		}
		s.released = off + 1
		s.skip(1)
	case clsPct:
		s.begin(escPct, b, off)
	case clsBS:
		s.begin(escBS, b, off)
	case clsESC:
		s.begin(escESC, b, off)
	default:
		s.symbol(c, off, off+1)
	}
}

// symbol moves the automaton on one symbol of class c that the input
// bytes [start, end) stand for.
func (s *stream) symbol(c uint8, start, end int64) {
	if c == clsSkip {
		s.skip(end - start)
		return
	}
	s.ring[s.k%MinRun] = start
	s.k++
	var masked bool
	s.q, s.l, masked = s.m.step(s.q, s.l, c)
	s.symEnd, s.gap = end, 0
	if masked {
		s.window(end)
		s.inRun = true
	} else {
		s.inRun = false
	}
}

// skip passes over n bytes between symbols.
func (s *stream) skip(n int64) {
	if s.l == 0 {
		return
	}
	if s.gap += int32(min(n, maxGap+1)); s.gap > maxGap {
		s.q, s.l, s.inRun = 0, 0, false
	}
}

// window records that the last s.l symbols, ending at end, are masked.
func (s *stream) window(end int64) {
	first := s.k - uint64(min(s.l, MinRun))
	start := s.ring[first%MinRun]
	if n := len(s.spans); n > 0 {
		last := &s.spans[n-1]
		if s.inRun { // the run goes on
			last.end = max(last.end, end)
			return
		}
		// A new run that overlaps the last one begins after it, so that
		// two secrets side by side get a mask each.
		for start < last.end && first+1 < s.k {
			first++
			start = s.ring[first%MinRun]
		}
		if start <= last.end { // touching: one mask
			last.end = max(last.end, end)
			return
		}
	}
	s.spans = append(s.spans, span{start: start, end: end, pattern: s.m.repOf(s.q)})
}

// hold is the offset before which nothing can still become part of a
// masked run, when the stream has seen everything before end.
func (s *stream) hold(end int64) int64 {
	h := end
	if s.esc != escNone {
		h = s.escStart
	}
	if s.l > 0 {
		if s.inRun {
			h = min(h, max(s.symEnd, s.released))
		} else {
			h = min(h, s.ring[(s.k-uint64(s.l))%MinRun])
		}
	}
	return h
}

// finish ends an escape left open at the end of the stream.
func (s *stream) finish(end int64) {
	switch s.esc {
	case escNone:
	case escCSI, escInter:
		s.seqEnd(end)
	default:
		s.fail()
	}
}

func (s *stream) begin(kind uint8, b byte, off int64) {
	s.esc, s.escStart, s.escN, s.escVal = kind, off, 1, 0
	s.escBuf[0] = b
}

// escByte takes the next byte of an escape.
func (s *stream) escByte(b byte, off int64) {
	if s.escN < len(s.escBuf) {
		s.escBuf[s.escN] = b
	}
	s.escN++
	switch s.esc {
	case escPct, escX, escU:
		if !isHexDigit(b) {
			s.fail()
			return
		}
		s.escVal = s.escVal<<4 | hexDigit(b)
		switch {
		case s.esc == escU && s.escN == 6:
			if isSurrogate(s.escVal) {
				s.fail()
				return
			}
			var r [utf8.UTFMax]byte
			s.decoded(r[:utf8.EncodeRune(r[:], rune(s.escVal))], off+1)
		case s.esc == escPct && s.escN == 3, s.esc == escX && s.escN == 4:
			s.decoded([]byte{byte(s.escVal)}, off+1)
		}
	case escBS:
		switch {
		case b == 'u':
			s.esc = escU
		case b == 'x':
			s.esc = escX
		case oneLetter[b] != 0:
			s.decoded(oneLetter[b:b+1], off+1)
		default:
			s.fail()
		}
	case escESC:
		switch {
		case b == '[':
			s.esc = escCSI
		case b >= 0x20 && b <= 0x2f:
			s.esc = escInter
		case b >= 0x30 && b <= 0x7e:
			s.seqEnd(off + 1)
		default:
			s.fail()
		}
	case escCSI, escInter:
		switch {
		case b >= 0x20 && b <= 0x2f, s.esc == escCSI && b >= 0x30 && b <= 0x3f:
			if s.escN >= maxSeq {
				s.seqEnd(off + 1)
			}
		case b >= 0x40 && b <= 0x7e, s.esc == escInter && b >= 0x30 && b <= 0x3f:
			s.seqEnd(off + 1)
		default: // broken off: the sequence ends before b
			s.seqEnd(off)
			s.byteIn(b, off)
		}
	}
}

// decoded ends an escape that stands for the bytes d.
func (s *stream) decoded(d []byte, end int64) {
	s.esc = escNone
	for _, b := range d {
		s.symbol(s.m.sym[b], s.escStart, end)
	}
}

// seqEnd ends a terminal escape sequence: skipped, and remembered if a
// run is open around it.
func (s *stream) seqEnd(end int64) {
	s.esc = escNone
	if s.l > 0 && s.keepSeqs {
		s.seqs = append(s.seqs, rng{s.escStart, end})
	}
	s.skip(end - s.escStart)
}

// fail ends what turned out to be no escape: its first byte is an
// ordinary symbol and the bytes after it are read again.
func (s *stream) fail() {
	buf, n, start := s.escBuf, min(s.escN, len(s.escBuf)), s.escStart
	s.esc = escNone
	s.symbol(s.m.sym[buf[0]], start, start+1)
	for i := 1; i < n; i++ {
		s.byteIn(buf[i], start+int64(i))
	}
}
