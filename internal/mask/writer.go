package mask

import (
	"io"
	"sync"
	"time"
)

// Writer masks secrets in a stream on its way to another writer. Every
// run its Matcher finds is replaced by "[masked NAME]", followed by the
// terminal escape sequences that were inside it (so colours stay as the
// bot set them); all other bytes pass unchanged, and as soon as they
// cannot be part of a secret: Write holds back only a run that may still
// grow into a masked one (under MinRun characters, with the whitespace
// and escape sequences after it), or an escape not yet complete.
//
// What is held back is released after the release delay without another
// write, so that a prompt the bot prints and then waits on still appears;
// the run is followed on, and masked from where it reaches MinRun. So the
// delay can let out at most MinRun-1 characters of a secret that arrives
// slower than that, the length that is not masked anyway.
//
// Call Flush at the end of the stream. A Writer is safe for concurrent
// use, but each stream needs its own.
type Writer struct {
	mu      sync.Mutex
	m       *Matcher
	w       io.Writer
	s       stream
	buf     []byte // bytes not yet written; buf[0] is at offset base
	base    int64
	out     []byte // scratch for one write
	err     error
	release time.Duration
	timer   *time.Timer
}

// NewWriter returns a Writer that masks m's secrets on their way to w,
// releasing what it holds back after release without a write (0: only at
// the next write or Flush).
func NewWriter(w io.Writer, m *Matcher, release time.Duration) *Writer {
	return &Writer{m: m, w: w, s: stream{m: m, keepSeqs: true}, release: release}
}

// Write masks p and writes everything that can no longer be part of a
// secret. It returns len(p) unless the underlying writer failed.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
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
	start := w.base + int64(len(w.buf))
	w.buf = append(w.buf, p...)
	w.s.feed(p, start)
	if err := w.emit(w.s.hold(start + int64(len(p)))); err != nil {
		return 0, err
	}
	switch {
	case w.release <= 0:
	case len(w.buf) == 0:
		if w.timer != nil {
			w.timer.Stop()
		}
	case w.timer == nil:
		w.timer = time.AfterFunc(w.release, w.expire)
	default:
		w.timer.Reset(w.release)
	}
	return len(p), nil
}

// expire releases what is held back.
func (w *Writer) expire() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		_ = w.emit(w.base + int64(len(w.buf)))
	}
}

// Flush writes everything held back: call it when the stream ends.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.timer != nil {
		w.timer.Stop()
	}
	if w.err != nil {
		return w.err
	}
	end := w.base + int64(len(w.buf))
	w.s.finish(end)
	return w.emit(end)
}

// emit writes the bytes before offset upto, with masks for the runs.
func (w *Writer) emit(upto int64) error {
	if upto <= w.base {
		return nil
	}
	at := func(off int64) []byte { return w.buf[off-w.base:] }
	out := w.out[:0]
	i := w.base
	masked := false
	spans, seqs := w.s.spans, w.s.seqs
	for j := range spans {
		sp := &spans[j]
		if sp.end <= i {
			continue
		}
		if sp.start >= upto {
			break
		}
		masked = true
		if i < sp.start {
			out = append(out, at(i)[:sp.start-i]...)
			i = sp.start
		}
		if !sp.printed {
			out = append(out, "[masked "...)
			out = append(out, w.m.secrets[w.m.patterns[sp.pattern].Secret].Name...)
			out = append(out, ']')
			sp.printed = true
		}
		e := min(sp.end, upto)
		for len(seqs) > 0 && seqs[0].start < e { // both are in order
			if r := seqs[0]; r.start >= i && r.end <= e {
				out = append(out, at(r.start)[:r.end-r.start]...)
			}
			seqs = seqs[1:]
		}
		i = e
	}
	var err error
	switch {
	case !masked:
		_, err = w.w.Write(w.buf[:upto-w.base])
	default:
		out = append(out, at(i)[:upto-i]...)
		w.out = out
		if len(out) > 0 {
			_, err = w.w.Write(out)
		}
	}
	// Forget what is written, but keep the last run: the next may touch it.
	n := 0
	for n < len(spans)-1 && spans[n].end <= upto {
		n++
	}
	w.s.spans = append(spans[:0], spans[n:]...)
	keep := w.s.seqs[:0]
	for _, r := range w.s.seqs {
		if r.end > upto {
			keep = append(keep, r)
		}
	}
	w.s.seqs = keep
	w.buf = append(w.buf[:0], w.buf[upto-w.base:]...)
	w.base = upto
	if err != nil {
		w.err = err
	}
	return err
}
