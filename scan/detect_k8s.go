package scan

import (
	"bytes"
	"context"
	"encoding/base64"
	"slices"
	"unicode/utf8"
)

// Kubernetes Secret manifests hold values base64-encoded under `data:`
// (and plain under `stringData:`), often with the exchange named only in
// the metadata, far above. A YAML file is read line by line for them; the
// entries of each document are kept until the document ends (kubectl
// writes `data:` before `kind:`), and if it is a Secret, each value is
// decoded and scanned together with the document's other lines as context.

// Bounds on what one document may hold for this.
const (
	k8sMaxLine    = 4 << 10
	k8sMaxEntries = 256
	k8sMaxValue   = 64 << 10
	k8sMaxContext = 2 << 10
)

type k8sState struct {
	next     int64 // file offset of the next line to read
	line     int   // its line number, less one
	skipping bool  // inside a line too long to be YAML worth reading
	doc      k8sDoc
}

type k8sDoc struct {
	secret  bool
	section string // "data", "stringData" or ""
	context []byte
	entries []k8sEntry
	size    int
}

type k8sEntry struct {
	line, col int
	name      string
	value     []byte
	encoded   bool
}

// lines reads the window's lines not read yet.
func (k *k8sState) lines(st *fileState, w *window) {
	pos := max(0, int(k.next-w.base))
	end := w.safe
	if w.final {
		end = len(w.data)
	}
	for pos < end {
		nl := bytes.IndexByte(w.data[pos:], '\n')
		if k.skipping {
			if nl < 0 {
				pos = len(w.data)
				break
			}
			k.skipping, k.line, pos = false, k.line+1, pos+nl+1
			continue
		}
		if nl < 0 {
			if !w.final {
				k.skipping, pos = true, len(w.data)
				break
			}
			nl = len(w.data) - pos
		}
		k.line++
		if nl <= k8sMaxLine {
			k.read(st, bytes.TrimSuffix(w.data[pos:pos+nl], []byte{'\r'}))
		}
		pos += nl + 1
	}
	k.next = w.base + int64(pos)
}

// read takes one line of YAML.
func (k *k8sState) read(st *fileState, line []byte) {
	if bytes.HasPrefix(line, []byte("---")) && len(bytes.TrimSpace(line[3:])) == 0 {
		k.flush(context.Background(), st)
		return
	}
	body := bytes.TrimLeft(line, " ")
	indent := len(line) - len(body)
	if len(body) == 0 || body[0] == '#' {
		return
	}
	doc := &k.doc
	if indent == 0 {
		key, val, _ := bytes.Cut(body, []byte{':'})
		val = bytes.Trim(bytes.TrimSpace(val), `"'`)
		doc.section = ""
		switch string(key) {
		case "kind":
			doc.secret = doc.secret || string(val) == "Secret"
		case "data", "stringData":
			if len(val) == 0 {
				doc.section = string(key)
			}
		}
	} else if doc.section != "" {
		if e, ok := k.entry(line, indent, body); ok && len(doc.entries) < k8sMaxEntries && doc.size+len(e.value) <= 4*k8sMaxValue {
			doc.entries = append(doc.entries, e)
			doc.size += len(e.value)
			return
		}
	}
	if len(doc.context)+len(line)+1 <= k8sMaxContext {
		doc.context = append(append(doc.context, line...), '\n')
	}
}

// entry parses `  NAME: VALUE` under data or stringData.
func (k *k8sState) entry(line []byte, indent int, body []byte) (k8sEntry, bool) {
	i := bytes.IndexByte(body, ':')
	if i <= 0 || i+1 < len(body) && body[i+1] != ' ' {
		return k8sEntry{}, false
	}
	name := bytes.Trim(body[:i], `"'`)
	rest := body[i+1:]
	val := bytes.TrimLeft(rest, " ")
	col := indent + i + 1 + len(rest) - len(val) + 1
	val = bytes.TrimRight(val, " ")
	if n := len(val); n >= 2 && (val[0] == '"' || val[0] == '\'') && val[n-1] == val[0] {
		val, col = val[1:n-1], col+1
	}
	if len(val) == 0 || len(val) > k8sMaxValue {
		return k8sEntry{}, false
	}
	return k8sEntry{line: k.line, col: col, name: string(name), value: bytes.Clone(val), encoded: k.doc.section == "data"}, true
}

// end reads a last line without a newline and ends the last document.
func (k *k8sState) end(ctx context.Context, st *fileState) { k.flush(ctx, st) }

// flush ends a document: a Secret's entries are scanned, decoded, with
// the rest of the document as context; the one-line values together (a
// passphrase is judged next to its key), each whole file on its own.
func (k *k8sState) flush(ctx context.Context, st *fileState) {
	doc := k.doc
	k.doc = k8sDoc{}
	if !doc.secret || ctx.Err() != nil {
		return
	}
	st.dropEncoded(doc.entries)
	text := append([]byte{}, doc.context...)
	first := bytes.Count(text, []byte{'\n'}) + 1 // the synthetic line of the first entry
	var lines []k8sEntry
	for _, e := range doc.entries {
		val, ok := e.text()
		if !ok {
			continue
		}
		if bytes.IndexByte(val, '\n') >= 0 {
			// A whole file (config.json, .env): scanned as such.
			st.keepFrom(st.d.scanBytes(ctx, e.name, val, false), func(hit) (k8sEntry, bool) { return e, true })
			continue
		}
		text = append(append(append(append(text, e.name...), ": "...), val...), '\n')
		lines = append(lines, e)
	}
	if len(lines) == 0 {
		return
	}
	st.keepFrom(st.d.scanBytes(ctx, "secret.yaml", text, false), func(h hit) (k8sEntry, bool) {
		i := h.line - first
		if i < 0 || i >= len(lines) {
			return k8sEntry{}, false
		}
		return lines[i], true
	})
}

// dropEncoded removes what was found in the base64 text of data entries
// themselves: the values are judged decoded. (A stored secret's base64
// form stays: it is exact.)
func (st *fileState) dropEncoded(entries []k8sEntry) {
	at := map[[2]int]bool{}
	for _, e := range entries {
		if e.encoded {
			at[[2]int{e.line, e.col}] = true
		}
	}
	st.hits = slices.DeleteFunc(st.hits, func(h hit) bool {
		drop := h.kind != KindStored && at[[2]int{h.line, h.col}]
		if drop {
			delete(st.seen, h.key())
		}
		return drop
	})
}

// text is the entry's value as the program reading the Secret sees it.
func (e k8sEntry) text() ([]byte, bool) {
	if !e.encoded {
		return e.value, true
	}
	return decodeText(e.value)
}

// keepFrom keeps the hits of a scan of a Secret's values at the place of
// the entry each belongs to.
func (st *fileState) keepFrom(sub *fileState, entry func(hit) (k8sEntry, bool)) {
	for _, h := range sub.hits {
		e, ok := entry(h)
		if !ok {
			continue
		}
		h.line, h.col, h.off = e.line, e.col, -1
		if e.encoded {
			h.what += " (base64-decoded from the data of a Kubernetes Secret)"
		} else {
			h.what += " (in the stringData of a Kubernetes Secret)"
		}
		st.keep(h)
	}
}

// decodeText decodes a base64 value holding text.
func decodeText(v []byte) ([]byte, bool) {
	out := make([]byte, base64.RawStdEncoding.DecodedLen(len(v))) // the larger of the two
	n, err := base64.StdEncoding.Decode(out, v)
	if err != nil {
		if n, err = base64.RawStdEncoding.Decode(out, v); err != nil {
			return nil, false
		}
	}
	out = out[:n]
	if !utf8.Valid(out) {
		return nil, false
	}
	for _, c := range out {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f {
			return nil, false
		}
	}
	return out, len(out) > 0
}
