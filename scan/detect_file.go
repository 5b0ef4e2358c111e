package scan

import (
	"bytes"
	"context"
	"fmt"
	"slices"
)

// fileState carries what one file's scan needs from window to window.
type fileState struct {
	d      *detector
	path   string
	format format
	// below says why the file's keys are below the default level.
	below   string
	binary  bool
	assigns bool
	size    int64
	// hits are complete with their line and column.
	hits []hit
	// line and lineStart are the line number of the window's first byte
	// and the file offset where that line starts.
	line      int
	lineStart int64
	// seen removes duplicates; perLine caps hits on one line.
	seen      map[seenKey]bool
	lastLine  int
	lineCount int
	k8s       *k8sState
}

type seenKey struct {
	line, col  int
	kind, a, b string
}

func newFileState(d *detector, path string, k8s bool) *fileState {
	st := &fileState{d: d, path: path, format: formatOf(path), below: belowDefault(path), line: 1, seen: map[seenKey]bool{}}
	if k8s && st.format == fmtYAML {
		st.k8s = &k8sState{}
	}
	return st
}

// window runs every rule over one window and keeps the hits that start in
// its judged part.
func (st *fileState) window(w *window) {
	d := st.d
	var found []hit
	found = append(found, d.storedHits(w)...)
	found = append(found, d.shapedHits(w, st.format)...)
	found = append(found, d.privateKeys(w)...)
	found = append(found, d.passphrases(w, st.format)...)
	st.place(w, found)
	if st.k8s != nil {
		st.k8s.lines(st, w)
	}
	if !st.assigns && configFile(st.path) {
		st.assigns = hasAssignment(w.data[w.fresh:])
	}
}

// place turns the window's hits' offsets into lines and columns, and keeps
// each that is not a duplicate or over the line's cap.
func (st *fileState) place(w *window, found []hit) {
	slices.SortStableFunc(found, func(a, b hit) int { return int(a.off - b.off) })
	line, lineStart, pos := st.line, st.lineStart, 0
	for _, h := range found {
		rel := int(h.off - w.base)
		seg := w.data[pos:rel]
		if c := bytes.Count(seg, []byte{'\n'}); c > 0 {
			line += c
			lineStart = w.base + int64(pos+bytes.LastIndexByte(seg, '\n')+1)
		}
		pos = rel
		h.line, h.col = line, int(h.off-lineStart)+1
		st.keep(h)
	}
}

// keep adds a placed hit unless it repeats one already kept or its line
// has had its share.
func (st *fileState) keep(h hit) {
	k := h.key()
	if st.seen[k] {
		return
	}
	if h.kind != KindStored {
		if h.line != st.lastLine {
			st.lastLine, st.lineCount = h.line, 0
		}
		if st.lineCount >= maxLineHits {
			return
		}
		st.lineCount++
	}
	st.seen[k] = true
	st.hits = append(st.hits, h)
}

// key says which hits are the same finding: a stored value once per line
// and profile field, anything else once per place.
func (h hit) key() seenKey {
	if h.kind == KindStored {
		return seenKey{line: h.line, kind: h.kind, a: h.profile, b: h.field}
	}
	return seenKey{line: h.line, col: h.col, kind: h.kind, a: h.field}
}

// advance moves the line count past data (the bytes of a window that the
// next one no longer holds), base being data's file offset.
func (st *fileState) advance(data []byte, base int64) {
	if c := bytes.Count(data, []byte{'\n'}); c > 0 {
		st.line += c
		st.lineStart = base + int64(bytes.LastIndexByte(data, '\n')+1)
	}
}

// finish runs what needs the whole file (Kubernetes documents ending at
// the end of the file) and orders the hits.
func (st *fileState) finish(ctx context.Context) {
	if st.k8s != nil {
		st.k8s.end(ctx, st)
	}
	slices.SortStableFunc(st.hits, func(a, b hit) int {
		if a.line != b.line {
			return a.line - b.line
		}
		return a.col - b.col
	})
}

// findings turns the hits into findings for the file: the keys of a test
// fixture or a dependency are reported as such, below the default level;
// a stored secret stays where it is (it is the user's, wherever found).
func (st *fileState) findings() []Finding {
	path := cleanPath(st.path)
	var out []Finding
	for _, h := range st.hits {
		f := Finding{Path: path, Line: h.line, Column: h.col, Kind: h.kind, Severity: h.severity,
			Profile: h.profile, Exchange: h.exchange, Field: h.field, Encoding: h.encoding, What: h.what}
		if st.below != "" && h.kind != KindStored {
			f.Severity = Info
			f.What += " — " + st.below
		}
		if st.binary {
			f.Line, f.Column = 0, 0
			f.What += fmt.Sprintf(" — in a binary file, at byte %d", h.off)
		}
		out = append(out, f)
	}
	return out
}
