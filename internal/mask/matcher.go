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

// Matcher finds the forms of a set of secrets in one pass over bytes. It
// is immutable once built and safe for concurrent use.
type Matcher struct {
	secrets  []Secret
	patterns []Pattern
	// nc is the number of byte classes; sym maps a (decoded) byte to its
	// class, in maps an input byte, with % \ and ESC apart.
	nc      int
	sym, in [256]uint8
	// The suffix automaton: per state its longest string's length, its
	// suffix link and its edges (edgeAt[q]..edgeAt[q+1] in edgeC/edgeTo).
	lens, links, edgeAt, edgeTo []int32
	edgeC                       []uint8
	// thr is the match length from which a state's run is masked (noMask:
	// never; dense: in the entries), rep the pattern to name for it.
	thr []uint8
	rep []int32
	// delta is the full transition table (see rowBits), nil past
	// maxTable.
	delta []uint32
}

// New builds a Matcher for the forms (Forms) of every secret that are at
// least minLen bytes long. Empty values are ignored.
func New(secrets []Secret, minLen int) *Matcher {
	return newMatcher(secrets, minLen, maxTable)
}

func newMatcher(secrets []Secret, minLen, table int) *Matcher {
	m := &Matcher{secrets: secrets}
	for i, s := range secrets {
		if s.Value == "" {
			continue
		}
		for _, f := range Forms(s.Value, minLen) {
			m.patterns = append(m.patterns, Pattern{Form: f, Secret: i})
		}
	}
	m.build(table)
	return m
}

// Empty reports whether there is nothing to find.
func (m *Matcher) Empty() bool { return len(m.patterns) == 0 }

// Patterns returns what the Matcher looks for. Callers must not change it.
func (m *Matcher) Patterns() []Pattern { return m.patterns }

// Secrets returns the secrets given to New.
func (m *Matcher) Secrets() []Secret { return m.secrets }

// MaxLen is the most bytes of input that the part of a run which gets it
// masked can take: its first MinRun characters (or a whole shorter form),
// each at most maxEscape bytes, with up to maxGap skipped bytes between
// two. A window of data that holds MaxLen bytes from where a run starts
// finds it; the run itself may go on past that (Match.End).
func (m *Matcher) MaxLen() int {
	n := 0
	for _, p := range m.patterns {
		n = max(n, min(len(p.Text), MinRun))
	}
	if n == 0 {
		return 0
	}
	return n*maxEscape + (n-1)*maxGap
}

// Match is one masked run: data[Start:End] (which may hold skipped
// whitespace and escape sequences between its characters).
type Match struct {
	Start, End int
	// Patterns holds the index (into Patterns) of a form the run belongs
	// to. The slice is shared: do not keep or change it.
	Patterns []int32
}

// Scan calls fn for every run of data that Writer would mask, in order.
func (m *Matcher) Scan(data []byte, fn func(Match)) {
	if m.Empty() {
		return
	}
	s := stream{m: m}
	s.feed(data, 0)
	s.finish(int64(len(data)))
	var pat [1]int32
	for _, sp := range s.spans {
		pat[0] = sp.pattern
		fn(Match{Start: int(sp.start), End: int(sp.end), Patterns: pat[:]})
	}
}

// String masks every secret in s at once, as Writer does a stream.
func (m *Matcher) String(s string) string {
	var sb bytesBuffer
	w := NewWriter(&sb, m, 0)
	_, _ = w.Write([]byte(s))
	_ = w.Flush()
	return string(sb)
}

type bytesBuffer []byte

func (b *bytesBuffer) Write(p []byte) (int, error) { *b = append(*b, p...); return len(p), nil }
