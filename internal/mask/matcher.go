package mask

// Secret is one value to find, with the name a mask shows for it.
type Secret struct {
	// Name says what the value is, e.g. "secret"; Writer prints
	// "[masked secret]" in its place.
	Name  string
	Value string
}

// Pattern is one form of one secret, as the Matcher knows it.
type Pattern struct {
	Form
	// Secret is the index of the secret in the slice given to New.
	Secret int
}

// Matcher finds every form of a set of secrets in one pass over bytes. It
// is immutable once built and safe for concurrent use.
type Matcher struct {
	secrets  []Secret
	patterns []Pattern
	root     [256]int32 // the root's transitions, dense (0: stay at the root)
	nodes    []node
	// delta is the full transition table (node<<8 | byte), built when the
	// automaton is small enough (maxDense nodes); nil otherwise.
	delta []int32
	// outAt is nodes[i].outNode, kept apart so that the scanning loop
	// touches one small array.
	outAt []int32
}

// maxDense bounds the nodes for which the full transition table is built
// (4 bytes × 256 per node: 16 MiB at most).
const maxDense = 16 << 10

type node struct {
	edges []edge
	fail  int32
	// depth is the length of the node's string: the longest suffix of
	// the input that is a prefix of some pattern.
	depth int32
	// outs are the patterns whose text is exactly this node's string.
	outs []int32
	// outNode is the deepest node on the fail chain (this one included)
	// that has outs: the longest pattern ending here. -1: none.
	outNode int32
	// partial is a pattern with Partial set that passes through this
	// node, or -1.
	partial int32
	// partialNode is the deepest node on the fail chain (this one
	// included) with a partial pattern: the longest suffix of the input
	// that begins such a pattern. -1: none.
	partialNode int32
}

type edge struct {
	b  byte
	to int32
}

// New builds a Matcher for the forms (Forms) of every secret that are at
// least minLen bytes long. Empty values are ignored.
func New(secrets []Secret, minLen int) *Matcher {
	m := &Matcher{secrets: secrets, nodes: []node{{outNode: -1, partial: -1, partialNode: -1}}}
	for i, s := range secrets {
		if s.Value == "" {
			continue
		}
		for _, f := range Forms(s.Value, minLen) {
			m.insert(Pattern{Form: f, Secret: i})
		}
	}
	m.link()
	return m
}

// Empty reports whether there is nothing to find.
func (m *Matcher) Empty() bool { return len(m.patterns) == 0 }

// Patterns returns what the Matcher looks for. Callers must not change it.
func (m *Matcher) Patterns() []Pattern { return m.patterns }

// Secrets returns the secrets given to New.
func (m *Matcher) Secrets() []Secret { return m.secrets }

// MaxLen is the length of the longest pattern.
func (m *Matcher) MaxLen() int {
	n := 0
	for _, p := range m.patterns {
		n = max(n, len(p.Text))
	}
	return n
}

func (m *Matcher) insert(p Pattern) {
	id := int32(len(m.patterns))
	m.patterns = append(m.patterns, p)
	cur := int32(0)
	for i := 0; i < len(p.Text); i++ {
		b := p.Text[i]
		next := m.child(cur, b)
		if next == 0 {
			next = int32(len(m.nodes))
			m.nodes = append(m.nodes, node{depth: int32(i + 1), outNode: -1, partial: -1, partialNode: -1})
			if cur == 0 {
				m.root[b] = next
			} else {
				m.nodes[cur].edges = append(m.nodes[cur].edges, edge{b, next})
			}
		}
		cur = next
		if p.Partial && m.nodes[cur].partial < 0 {
			m.nodes[cur].partial = id
		}
	}
	m.nodes[cur].outs = append(m.nodes[cur].outs, id)
}

// child is the trie edge from n on b, 0 if none (the root is never a child).
func (m *Matcher) child(n int32, b byte) int32 {
	if n == 0 {
		return m.root[b]
	}
	for _, e := range m.nodes[n].edges {
		if e.b == b {
			return e.to
		}
	}
	return 0
}

// link computes the fail links and output nodes, breadth first.
func (m *Matcher) link() {
	queue := make([]int32, 0, len(m.nodes))
	for _, c := range m.root {
		if c != 0 {
			m.nodes[c].fail = 0
			queue = append(queue, c)
		}
	}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		n := &m.nodes[u]
		if len(n.outs) > 0 {
			n.outNode = u
		} else {
			n.outNode = m.nodes[n.fail].outNode
		}
		if n.partial >= 0 {
			n.partialNode = u
		} else {
			n.partialNode = m.nodes[n.fail].partialNode
		}
		for _, e := range n.edges {
			m.nodes[e.to].fail = m.step(m.nodes[u].fail, e.b)
			queue = append(queue, e.to)
		}
	}
	m.outAt = make([]int32, len(m.nodes))
	for i := range m.nodes {
		m.outAt[i] = m.nodes[i].outNode
	}
	m.nodes[0].outNode = -1
	m.outAt[0] = -1
	if len(m.nodes) > maxDense || len(m.patterns) == 0 {
		return
	}
	// Breadth-first order again: a node's fail target is shallower, so
	// its row is complete before it is copied.
	m.delta = make([]int32, len(m.nodes)<<8)
	copy(m.delta[:256], m.root[:])
	queue = queue[:0]
	for _, c := range m.root {
		if c != 0 {
			queue = append(queue, c)
		}
	}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		row := m.delta[int(u)<<8 : int(u+1)<<8]
		copy(row, m.delta[int(m.nodes[u].fail)<<8:int(m.nodes[u].fail+1)<<8])
		for _, e := range m.nodes[u].edges {
			row[e.b] = e.to
			queue = append(queue, e.to)
		}
	}
}

// step is the automaton's transition.
func (m *Matcher) step(s int32, b byte) int32 {
	if m.delta != nil {
		return m.delta[int(s)<<8|int(b)]
	}
	for s != 0 {
		for _, e := range m.nodes[s].edges {
			if e.b == b {
				return e.to
			}
		}
		s = m.nodes[s].fail
	}
	return m.root[b]
}

// Match is one occurrence of a pattern: data[Start:End].
type Match struct {
	Start, End int
	// Patterns are the indexes (into Patterns) of the patterns whose
	// text is data[Start:End]; usually one. The slice is shared: do not
	// keep or change it.
	Patterns []int32
}

// Scan calls fn for every position of data where a pattern ends, with the
// longest pattern ending there. (A shorter pattern ending at the same
// place lies inside it.)
func (m *Matcher) Scan(data []byte, fn func(Match)) {
	if m.Empty() {
		return
	}
	s := int32(0)
	delta, outAt := m.delta, m.outAt
	for i, b := range data {
		switch {
		case delta != nil:
			s = delta[int(s)<<8|int(b)]
			if s == 0 {
				continue
			}
		case s == 0:
			s = m.root[b]
			if s == 0 {
				continue
			}
		default:
			s = m.step(s, b)
		}
		if o := outAt[s]; o >= 0 {
			on := &m.nodes[o]
			fn(Match{Start: i + 1 - int(on.depth), End: i + 1, Patterns: on.outs})
		}
	}
}

// String masks every secret in s at once, as Writer does a stream (with
// no minimum for partial secrets).
func (m *Matcher) String(s string) string {
	var sb stringsBuilder
	w := NewWriter(&sb, m, 0)
	_, _ = w.Write([]byte(s))
	_ = w.Flush()
	return string(sb)
}

type stringsBuilder []byte

func (b *stringsBuilder) Write(p []byte) (int, error) { *b = append(*b, p...); return len(p), nil }
