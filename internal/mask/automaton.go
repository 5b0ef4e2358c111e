package mask

// The automaton works on byte classes: one per distinct byte of the
// forms after folding (case, and - _ as + /), 0 for every byte no form
// holds. Four more values mark bytes the stream treats apart.
const (
	clsNone = 0
	clsNL   = 0xfb // a line break in the input: skipped inside a masked run, else ends the match
	clsSkip = 0xfc // whitespace: skipped between two characters of a run
	clsPct  = 0xfd // % may begin an escape
	clsBS   = 0xfe // \ may begin an escape
	clsESC  = 0xff // ESC may begin a terminal escape sequence
)

// fold is the byte a byte is compared as.
func fold(b byte) byte {
	switch {
	case b >= 'A' && b <= 'Z':
		return b + 'a' - 'A'
	case b == '-':
		return '+'
	case b == '_':
		return '/'
	}
	return b
}

// maxTable bounds the dense transition table (4 bytes per state and
// class). Past it (a 4096-bit RSA key with many short secrets beside it,
// say) the sparse edges are walked instead: slower, never bigger.
const maxTable = 16 << 20

// A dense entry holds the next state's row (its number times the number
// of classes, so that stepping needs no multiplication), in its top bits
// the length from which that state's run is masked (noThr: never), and in
// the bits between 0 if the match grows by one symbol, else 1 + its new
// length. Dense matching caps the length at MinRun: no decision needs
// more.
const (
	rowBits  = 22 // maxTable/4 entries at most
	rowMask  = 1<<rowBits - 1
	lenShift = rowBits
	thrShift = rowBits + 5
	noThr    = 31
	noMask   = 0xff // thr of a state no run in which is masked
)

type edge struct {
	c  uint8
	to int32
}

type samState struct {
	len, link int32
	next      []edge
}

// builder builds a generalised suffix automaton, one form at a time.
type builder struct{ st []samState }

func (b *builder) get(p int32, c uint8) int32 {
	for _, e := range b.st[p].next {
		if e.c == c {
			return e.to
		}
	}
	return -1
}

func (b *builder) set(p int32, c uint8, to int32) {
	n := b.st[p].next
	for i := range n {
		if n[i].c == c {
			n[i].to = to
			return
		}
	}
	b.st[p].next = append(n, edge{c, to})
}

func (b *builder) clone(q, length int32) int32 {
	id := int32(len(b.st))
	b.st = append(b.st, samState{len: length, link: b.st[q].link, next: append([]edge(nil), b.st[q].next...)})
	b.st[q].link = id
	return id
}

// extend adds symbol c after the state last of the form being added and
// returns the state of the longer prefix.
func (b *builder) extend(last int32, c uint8) int32 {
	if q := b.get(last, c); q >= 0 { // the prefix occurs already
		if b.st[q].len == b.st[last].len+1 {
			return q
		}
		cl := b.clone(q, b.st[last].len+1)
		for p := last; p >= 0 && b.get(p, c) == q; p = b.st[p].link {
			b.set(p, c, cl)
		}
		return cl
	}
	cur := int32(len(b.st))
	b.st = append(b.st, samState{len: b.st[last].len + 1})
	p := last
	for ; p >= 0 && b.get(p, c) < 0; p = b.st[p].link {
		b.set(p, c, cur)
	}
	if p < 0 {
		return cur // link 0: the root
	}
	q := b.get(p, c)
	if b.st[p].len+1 == b.st[q].len {
		b.st[cur].link = q
		return cur
	}
	cl := b.clone(q, b.st[p].len+1)
	for ; p >= 0 && b.get(p, c) == q; p = b.st[p].link {
		b.set(p, c, cl)
	}
	b.st[cur].link = cl
	return cur
}

// build turns the patterns into m's classes and tables, the dense table
// only if it takes at most table bytes.
func (m *Matcher) build(table int) {
	for _, p := range m.patterns {
		for i := 0; i < len(p.Text); i++ {
			if f := fold(p.Text[i]); m.sym[f] == clsNone {
				m.nc++
				m.sym[f] = uint8(m.nc)
			}
		}
	}
	m.nc++ // class 0 included
	for b := 0; b < 256; b++ {
		m.sym[b] = m.sym[fold(byte(b))]
	}
	for b := range isSpace {
		if isSpace[b] {
			m.sym[b] = clsSkip
		}
	}
	m.in = m.sym
	m.in['\n'], m.in['%'], m.in['\\'], m.in[0x1b] = clsNL, clsPct, clsBS, clsESC

	bl := builder{st: []samState{{link: -1}}}
	for _, p := range m.patterns {
		last := int32(0)
		for i := 0; i < len(p.Text); i++ {
			last = bl.extend(last, m.sym[p.Text[i]])
		}
	}
	n := len(bl.st)
	m.lens, m.links = make([]int32, n), make([]int32, n)
	m.edgeAt = make([]int32, n+1)
	for i, s := range bl.st {
		m.lens[i], m.links[i] = s.len, s.link
		m.edgeAt[i+1] = m.edgeAt[i] + int32(len(s.next))
		for _, e := range s.next {
			m.edgeC = append(m.edgeC, e.c)
			m.edgeTo = append(m.edgeTo, e.to)
		}
	}
	m.thresholds()
	if n*m.nc*4 <= table && n*m.nc <= rowMask+1 {
		m.dense()
	}
}

// byLen returns the states in order of increasing length (links first).
func (m *Matcher) byLen() []int32 {
	maxLen := int32(0)
	for _, l := range m.lens {
		maxLen = max(maxLen, l)
	}
	count := make([]int32, maxLen+2)
	for _, l := range m.lens {
		count[l+1]++
	}
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	order := make([]int32, len(m.lens))
	for s, l := range m.lens {
		order[count[l]] = int32(s)
		count[l]++
	}
	return order
}

// thresholds computes, per state, the match length from which its run is
// masked (the least over the forms its strings occur in of MinRun and the
// form's length), and a form to name for it.
func (m *Matcher) thresholds() {
	n := len(m.lens)
	m.thr = make([]uint8, n)
	m.rep = make([]int32, n)
	for i := range m.thr {
		m.thr[i] = noMask
	}
	for pi, p := range m.patterns {
		t := uint8(min(MinRun, len(p.Text)))
		q := int32(0)
		for i := 0; i < len(p.Text); i++ {
			q = m.edge(q, m.sym[p.Text[i]])
			if t < m.thr[q] {
				m.thr[q], m.rep[q] = t, int32(pi)
			}
		}
	}
	order := m.byLen()
	for i := len(order) - 1; i > 0; i-- { // a state's link holds its suffixes
		q := order[i]
		if l := m.links[q]; l >= 0 && m.thr[q] < m.thr[l] {
			m.thr[l], m.rep[l] = m.thr[q], m.rep[q]
		}
	}
	m.thr[0] = noMask
}

// edge is the automaton's own transition from q on c, -1 if none.
func (m *Matcher) edge(q int32, c uint8) int32 {
	for i := m.edgeAt[q]; i < m.edgeAt[q+1]; i++ {
		if m.edgeC[i] == c {
			return m.edgeTo[i]
		}
	}
	return -1
}

// dense fills the full transition table, states in order of length so
// that a state's link row is complete before the state copies it. It
// numbers the states in that order too, so that the shallow states that
// ordinary text keeps visiting sit together in memory, and drops the
// sparse edges.
func (m *Matcher) dense() {
	nc := m.nc
	order := m.byLen()
	row := make([]uint32, len(order)) // row of each state, in the new order
	for n, q := range order {
		row[q] = uint32(n * nc)
	}
	entry := func(q int32) uint32 {
		t := uint32(m.thr[q])
		if t == noMask {
			t = noThr
		}
		return row[q] | t<<thrShift
	}
	m.delta = make([]uint32, len(order)*nc)
	for c := 0; c < nc; c++ {
		m.delta[c] = entry(0) | 1<<lenShift // the root without an edge: length 0
	}
	rep := make([]int32, len(order))
	for n, q := range order {
		rep[n] = m.rep[q]
		r := m.delta[n*nc : (n+1)*nc]
		if q != 0 {
			l := m.links[q]
			link := m.delta[row[l] : row[l]+uint32(nc)]
			fallback := uint32(min(m.lens[l]+1, MinRun)+1) << lenShift
			for c, e := range link {
				if e>>lenShift&31 == 0 { // the link's own edge: the match shrinks to it
					e |= fallback
				}
				r[c] = e
			}
		}
		for i := m.edgeAt[q]; i < m.edgeAt[q+1]; i++ {
			r[m.edgeC[i]] = entry(m.edgeTo[i])
		}
	}
	m.rep = rep
	m.thr, m.lens, m.links, m.edgeAt, m.edgeC, m.edgeTo = nil, nil, nil, nil, nil, nil
}

// step is the transition on one symbol of class c from state q (a row,
// if dense) with a match of length l; masked says the new match is long
// enough to be masked.
func (m *Matcher) step(q uint32, l int32, c uint8) (next uint32, nl int32, masked bool) {
	if m.delta != nil {
		e := m.delta[q+uint32(c)]
		nl = min(l+1, MinRun)
		if code := int32(e>>lenShift) & 31; code != 0 {
			nl = code - 1
		}
		return e & rowMask, nl, nl >= int32(e>>thrShift)
	}
	if c == clsNone {
		return 0, 0, false
	}
	for s := int32(q); ; s = m.links[s] {
		if t := m.edge(s, c); t >= 0 {
			if s != int32(q) {
				l = m.lens[s]
			}
			return uint32(t), l + 1, l+1 >= int32(m.thr[t])
		}
		if s == 0 {
			return 0, 0, false
		}
	}
}

// repOf is the pattern to name for state q.
func (m *Matcher) repOf(q uint32) int32 {
	if m.delta != nil {
		return m.rep[q/uint32(m.nc)]
	}
	return m.rep[q]
}

// Size is the memory the matcher's tables take, in bytes.
func (m *Matcher) Size() int {
	return 4*(len(m.delta)+len(m.lens)+len(m.links)+len(m.edgeAt)+len(m.edgeTo)+len(m.rep)) + len(m.edgeC) + len(m.thr)
}
