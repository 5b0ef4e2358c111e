package scan

// wordMatcher finds a fixed set of short lower-case words (exchange names,
// "passphrase", …) in bytes, ignoring case, in one pass: an Aho–Corasick
// automaton over a folded alphabet, with its full transition table. It is
// what keeps the detector linear: instead of searching the text around
// each candidate for every name (the old quadratic cost on long lines),
// one pass over a window records where each word occurs, and candidates
// look the record up.
//
// It is immutable once built and safe for concurrent use.
type wordMatcher struct {
	words []string
	delta []uint16 // state<<wmShift | class → state
	outs  [][]int  // per state: the words ending here (suffixes included)
	maxW  int
}

// The folded alphabet: a–z (either case), digits, and the few other bytes
// that occur in names ("gate.io", "coinbase advanced"); every other byte
// is class 0, which no word contains.
const wmShift = 6

var wmClass = func() (t [256]uint8) {
	c := uint8(1)
	for b := 'a'; b <= 'z'; b++ {
		t[b], t[b-'a'+'A'] = c, c
		c++
	}
	for b := '0'; b <= '9'; b++ {
		t[b] = c
		c++
	}
	for _, b := range []byte("._- ") {
		t[b] = c
		c++
	}
	return t
}()

// newWordMatcher builds the automaton. Words must be lower case and made of
// letters, digits and . _ - or space.
func newWordMatcher(words []string) *wordMatcher {
	type trie struct {
		next [1 << wmShift]int
		fail int
		outs []int
	}
	nodes := []trie{{}}
	w := &wordMatcher{words: words}
	for id, word := range words {
		w.maxW = max(w.maxW, len(word))
		cur := 0
		for i := 0; i < len(word); i++ {
			c := wmClass[word[i]]
			if c == 0 {
				panic("scan: a word the matcher cannot hold: " + word)
			}
			if nodes[cur].next[c] == 0 {
				nodes = append(nodes, trie{})
				nodes[cur].next[c] = len(nodes) - 1
			}
			cur = nodes[cur].next[c]
		}
		nodes[cur].outs = append(nodes[cur].outs, id)
	}
	// Breadth first: fail links, inherited outputs, and the full table.
	queue := []int{}
	for c := 1; c < 1<<wmShift; c++ {
		if n := nodes[0].next[c]; n != 0 {
			queue = append(queue, n)
		}
	}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		nodes[u].outs = append(nodes[u].outs, nodes[nodes[u].fail].outs...)
		for c := 1; c < 1<<wmShift; c++ {
			v := nodes[u].next[c]
			if v == 0 {
				nodes[u].next[c] = nodes[nodes[u].fail].next[c]
				continue
			}
			nodes[v].fail = nodes[nodes[u].fail].next[c]
			if u == 0 {
				nodes[v].fail = 0
			}
			queue = append(queue, v)
		}
	}
	w.delta = make([]uint16, len(nodes)<<wmShift)
	w.outs = make([][]int, len(nodes))
	for i, n := range nodes {
		for c, v := range n.next {
			w.delta[i<<wmShift|c] = uint16(v)
		}
		w.outs[i] = n.outs
	}
	return w
}

// scan calls fn(word, start) for each occurrence of a word in data, in
// order of its end.
func (w *wordMatcher) scan(data []byte, fn func(word, start int)) {
	s := uint16(0)
	delta, outs := w.delta, w.outs
	for i, b := range data {
		s = delta[int(s)<<wmShift|int(wmClass[b])]
		if s == 0 {
			continue
		}
		for _, id := range outs[s] {
			fn(id, i+1-len(w.words[id]))
		}
	}
}

// boundary reports whether data[i-1] and data[i] belong to different
// words: one of them is not a letter, or the case turns from lower to
// upper ("okxApiKey" names OKX; "navigate" does not name Gate). i may be 0
// or len(data).
func boundary(data []byte, i int) bool {
	if i <= 0 || i >= len(data) {
		return true
	}
	a, b := data[i-1], data[i]
	if !isLetter(a) || !isLetter(b) {
		return true
	}
	return a >= 'a' && a <= 'z' && b >= 'A' && b <= 'Z'
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
