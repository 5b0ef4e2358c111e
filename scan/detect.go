package scan

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/internal/mask"
)

// How the detector reads a file: in windows of windowSize bytes, each
// keeping the last carry bytes of the one before as context, and leaving
// what starts in its last tail bytes to the next one. Memory per file is
// bounded whatever its size, and every rule looks at a bounded stretch of
// text around a candidate, so the work is linear in the input.
const (
	windowSize = 1 << 20
	carryBytes = 4 << 10
	minTail    = pemLookahead + 1024
)

// Bounds on the context rules look at, in bytes and lines.
const (
	ctxBefore      = 1024 // text before a value where the exchange may be named
	ctxAfter       = 512  // … and after it
	ctxLinesBefore = 6    // a config section "binance:" or "[exchange] name = okx"
	ctxLinesAfter  = 3
	// maxLineHits caps the key-shaped and passphrase findings on one line
	// (a minified file is one line).
	maxLineHits = 16
)

// hit is one finding inside one text, before its place (file or commit)
// is known.
type hit struct {
	off       int64 // byte offset in the file
	line, col int   // 1-based; set from off when the window is placed
	kind      string
	severity  Severity
	profile   string
	exchange  string
	field     string
	encoding  string
	what      string
}

// storedMinLen is the shortest stored value looked for: shorter ones
// would match ordinary text.
const storedMinLen = 8

// detector finds stored secrets, key-shaped strings, passphrases and
// private keys in text. It is immutable and safe for concurrent use.
type detector struct {
	m      *mask.Matcher
	owners []owner // per secret given to the matcher
	infos  []exchanges.Info
	// words finds exchange names (ids wordInfo[i] ≥ 0) and the words that
	// name a passphrase (wordInfo[i] < 0) in one pass.
	words    *wordMatcher
	wordInfo []int
	// tail is what a window leaves to the next; size, its size.
	tail, size int
	bufs       *sync.Pool
	// onContent, if set, is called as content starts on a file (tests
	// cancel a scan in the middle with it).
	onContent func(path string)
}

type owner struct {
	profile, exchange, exchangeName, field string
}

// wordPassphrase marks, in detector.wordInfo, a word that names a
// passphrase.
const wordPassphrase = -1

// passWords name a passphrase in configs and code.
var passWords = []string{"passphrase", "password", "passwd", "pass_phrase"}

// aliases are other names an exchange goes by in code and configs.
var aliases = map[string][]string{
	"okx":      {"okex"},
	"gate":     {"gateio", "gate.io"},
	"coinbase": {"coinbasepro", "coinbaseadvanced", "cdp"},
	"kucoin":   {"kucoinfutures"},
	"binance":  {"binanceusdm", "binancecoinm", "binanceus"},
}

func newDetector(stored []Stored, infos []exchanges.Info) *detector {
	d := &detector{infos: infos}
	byID := map[string]string{}
	var words []string
	seen := map[string]bool{}
	for i, in := range infos {
		byID[in.ID] = in.Name
		for _, n := range append([]string{in.ID, strings.ToLower(in.Name)}, aliases[in.ID]...) {
			if !seen[n] && wordable(n) {
				seen[n] = true
				words = append(words, n)
				d.wordInfo = append(d.wordInfo, i)
			}
		}
	}
	for _, w := range passWords {
		words = append(words, w)
		d.wordInfo = append(d.wordInfo, wordPassphrase)
	}
	d.words = newWordMatcher(words)
	var secrets []mask.Secret
	for _, s := range stored {
		name := byID[s.Exchange]
		if name == "" {
			name = s.Exchange
		}
		for _, f := range []struct{ field, v string }{
			{FieldKey, s.Creds.Key}, {FieldSecret, s.Creds.Secret.Reveal()}, {FieldPassphrase, s.Creds.Passphrase.Reveal()},
		} {
			secrets = append(secrets, mask.Secret{Name: f.field, Value: f.v})
			d.owners = append(d.owners, owner{profile: s.Profile, exchange: s.Exchange, exchangeName: name, field: f.field})
		}
	}
	d.m = mask.New(secrets, storedMinLen)
	// A stored match, a token with its context or a PEM header with its
	// body must fit in what a window leaves to the next one.
	d.tail = max(minTail, d.m.MaxLen()+ctxAfter)
	d.setWindow(windowSize)
	return d
}

// setWindow sets the size of the windows files are read in (tests make
// it small, to cross many window edges).
func (d *detector) setWindow(size int) {
	d.size = max(size, 4*(d.tail+carryBytes))
	d.bufs = &sync.Pool{New: func() any { b := make([]byte, d.size); return &b }}
}

// wordable: names the word matcher can hold (an exchange named with other
// characters is found by its id).
func wordable(s string) bool {
	for i := 0; i < len(s); i++ {
		if wmClass[s[i]] == 0 || s[i] >= 'A' && s[i] <= 'Z' {
			return false
		}
	}
	return s != ""
}

// fileScan is what content learned about one file or blob.
type fileScan struct {
	// findings have Path (cleaned), Line, Column, Kind, Severity (info for
	// a test fixture's or a dependency's keys and encrypted private keys;
	// not yet adjusted to the file's git state: see onDisk), Profile,
	// Exchange, Field, Encoding and What. Commit, Date and Git are left to
	// the caller; Options.MinSeverity is applied by Run (belowLevel).
	findings []Finding
	// assigns: a config file gives a credential-named variable a literal
	// value (an exposed-file finding when git does not ignore it).
	assigns bool
	binary  bool
	size    int64
}

// content scans one file's or blob's bytes, read from r as a stream in
// bounded windows (memory per call: one window, whatever the size); path
// (relative, forward slashes, as found: it is cleaned here) tells the
// file's format and whether it is a test fixture or a dependency. It is
// what the working tree, the history and a staged blob are scanned with.
// It stops with ctx's error within one window of ctx being done.
func (d *detector) content(ctx context.Context, path string, r io.Reader) (fileScan, error) {
	if d.onContent != nil {
		d.onContent(path)
	}
	st := newFileState(d, path, true)
	bp := d.bufs.Get().(*[]byte)
	defer d.bufs.Put(bp)
	buf := *bp
	var base int64 // file offset of buf[0]
	n, fresh := 0, 0
	for {
		if err := ctx.Err(); err != nil {
			return fileScan{}, err
		}
		m, err := io.ReadFull(r, buf[n:])
		n += m
		final := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !final {
			return fileScan{}, err
		}
		safe := n
		if !final {
			safe = n - d.tail
		}
		if base == 0 {
			st.binary = isBinary(buf[:n])
		}
		st.window(&window{data: buf[:n], base: base, fresh: fresh, safe: safe, final: final})
		if final {
			st.size = base + int64(n)
			break
		}
		keep := max(0, safe-carryBytes)
		st.advance(buf[:keep], base)
		copy(buf, buf[keep:n])
		base += int64(keep)
		n -= keep
		fresh = safe - keep
	}
	st.finish(ctx)
	return fileScan{findings: st.findings(), assigns: st.assigns, binary: st.binary, size: st.size}, ctx.Err()
}

// detect returns the findings in data, in line order, as the file of
// unknown name and format that data is.
func (d *detector) detect(data []byte) []hit {
	return d.scanBytes(context.Background(), "", data, true).hits
}

// scanBytes scans data held in memory as one final window; k8s false
// leaves Kubernetes manifests alone (for text decoded from one).
func (d *detector) scanBytes(ctx context.Context, path string, data []byte, k8s bool) *fileState {
	st := newFileState(d, path, k8s)
	st.binary = isBinary(data)
	st.window(&window{data: data, fresh: 0, safe: len(data), final: true})
	st.size = int64(len(data))
	st.finish(ctx)
	return st
}

var fieldWords = map[string]string{FieldKey: "API key", FieldSecret: "secret", FieldPassphrase: "passphrase"}

// binarySniff is how much of a file is looked at to tell binary from text.
const binarySniff = 8000

func isBinary(b []byte) bool { return bytes.IndexByte(b[:min(len(b), binarySniff)], 0) >= 0 }
