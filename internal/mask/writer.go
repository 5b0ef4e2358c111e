package mask

import "io"

// DefaultPrefix is the length from which the beginning of a secret is
// masked on its own: a log line that prints the first 12 characters of a
// secret ("secret=Xy7…") leaks them even if the rest never follows.
const DefaultPrefix = 12

// Writer masks secrets in a stream on its way to another writer. Every
// occurrence of a pattern of its Matcher, and every run of at least
// prefix bytes that begins a pattern marked Partial, is replaced by
// "[masked NAME]" (one mask for overlapping or adjacent runs). All other
// bytes pass unchanged, and as soon as they cannot be part of a secret:
// Write holds back only the longest suffix that could still grow into one.
// Call Flush at the end of the stream to write what is held back.
//
// A Writer is not safe for concurrent use: give each stream its own.
type Writer struct {
	m      *Matcher
	w      io.Writer
	prefix int32
	state  int32
	buf    []byte // bytes not yet written; buf[0] is at offset base
	base   int64
	spans  []span // masked runs, sorted and disjoint, not yet fully written
	// maskEnd is where the last written mask's run ended, so that a run
	// right after it (written in a later call) adds no second mask.
	maskEnd int64
	out     []byte // scratch for one write
	err     error
}

type span struct {
	start, end int64
	secret     int
	printed    bool // its mask is written already
}

// NewWriter returns a Writer that masks m's secrets on their way to w.
// prefix (e.g. DefaultPrefix) is the length from which a secret's
// beginning is masked on its own; 0 masks whole patterns only.
func NewWriter(w io.Writer, m *Matcher, prefix int) *Writer {
	return &Writer{m: m, w: w, prefix: int32(prefix), maskEnd: -1}
}

// Write masks p and writes everything that can no longer be part of a
// secret. It returns len(p) unless the underlying writer failed.
func (w *Writer) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	if w.m.Empty() {
		if _, err := w.w.Write(p); err != nil {
			w.err = err
			return 0, err
		}
		return len(p), nil
	}
	for _, b := range p {
		w.state = w.m.step(w.state, b)
		w.buf = append(w.buf, b)
		end := w.base + int64(len(w.buf))
		n := &w.m.nodes[w.state]
		if n.outNode >= 0 {
			on := &w.m.nodes[n.outNode]
			w.add(end-int64(on.depth), end, w.m.patterns[on.outs[0]].Secret)
		}
		if pn := n.partialNode; w.prefix > 0 && pn >= 0 && w.m.nodes[pn].depth >= w.prefix {
			p := &w.m.nodes[pn]
			w.add(end-int64(p.depth), end, w.m.patterns[p.partial].Secret)
		}
	}
	held := int64(w.m.nodes[w.state].depth)
	if err := w.emit(w.base + int64(len(w.buf)) - held); err != nil {
		w.err = err
		return 0, err
	}
	return len(p), nil
}

// Flush writes everything held back: call it when the stream ends. A
// secret split across a Flush is not recognised.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	w.state = 0
	if err := w.emit(w.base + int64(len(w.buf))); err != nil {
		w.err = err
	}
	return w.err
}

// add records a masked run, merging it with the runs it overlaps or
// touches. Runs arrive in order of their end, and never start before
// what has been written (the held-back suffix covers any run in progress).
func (w *Writer) add(start, end int64, secret int) {
	printed := false
	for len(w.spans) > 0 {
		last := w.spans[len(w.spans)-1]
		if last.end < start {
			break
		}
		if last.start <= start {
			start, secret = last.start, last.secret
		}
		end = max(end, last.end)
		printed = printed || last.printed
		w.spans = w.spans[:len(w.spans)-1]
	}
	w.spans = append(w.spans, span{start: start, end: end, secret: secret, printed: printed})
}

// emit writes the bytes before offset upto, with masks for the runs.
func (w *Writer) emit(upto int64) error {
	if upto <= w.base {
		return nil
	}
	out := w.out[:0]
	i := w.base
	done := 0
	for _, sp := range w.spans {
		if sp.start >= upto {
			break
		}
		if i < sp.start {
			out = append(out, w.buf[i-w.base:sp.start-w.base]...)
			i = sp.start
		}
		if !sp.printed && sp.start > w.maskEnd {
			out = append(out, "[masked "...)
			out = append(out, w.m.secrets[sp.secret].Name...)
			out = append(out, ']')
			w.spans[done].printed = true
		}
		if sp.end > upto {
			i = upto
			break
		}
		i = max(i, sp.end)
		w.maskEnd = i
		done++
	}
	if done > 0 {
		w.spans = append(w.spans[:0], w.spans[done:]...)
	}
	if i < upto {
		out = append(out, w.buf[i-w.base:upto-w.base]...)
	}
	n := int(upto - w.base)
	w.buf = append(w.buf[:0], w.buf[n:]...)
	w.base = upto
	w.out = out
	if len(out) == 0 {
		return nil
	}
	_, err := w.w.Write(out)
	return err
}
