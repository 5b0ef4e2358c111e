// Package scan looks for leaked exchange keys in a folder and in all of
// its git history.
//
// Three kinds of evidence are looked for, in files on disk and in every
// blob reachable from any ref:
//
//   - stored secrets: each key, secret and passphrase keywarden holds,
//     exactly, and in the forms a program or a person may have written it
//     (base64, hex, URL-encoded, JSON-escaped, PEM lines; see
//     internal/mask). These are exact matches: no false positives.
//   - key-shaped strings: a random-looking token with the shape of an
//     exchange's key or secret, as the exchange's own field validators in
//     exchanges.Info define it, given as the value of a name that says
//     key or secret, with the exchange named in that name or nearby; PEM
//     private keys (a header with a body); and the passphrase of an
//     exchange that has them, written next to its key. Inside bot configs
//     (freqtrade's config.json, hummingbot YAML, .env, docker-compose
//     `environment:`) these rules apply as they are; Kubernetes Secret
//     manifests have their base64 `data:` values decoded first.
//   - exposed files: a .env or config file holding keys that git does not
//     ignore (one `git add .` away from a commit) or that git tracks.
//
// A finding says where (file and line, or commit, path and line), what
// (profile, exchange, field, encoding), and how serious; never the value.
// Keys in test fixtures (under testdata/, fixtures/, …, or in test files)
// and in dependencies (node_modules/, vendor/, site-packages/, a Go module
// cache's module@version/) are reported as such, at severity info, below
// the default level: made for tests, or published by others. A stored
// secret is the user's wherever it is found, and keeps its severity.
//
// Every file and blob is read as a stream in bounded windows (see
// detector.content), binary or not and whatever its size, and every rule
// looks at a bounded stretch of text around a candidate, found through
// one-pass automata: the work is linear in the input and the memory per
// file is bounded. The context is checked between windows, so a scan
// stops within milliseconds of being cancelled.
//
// Git history is read by shelling out to git: `git rev-list --all
// --objects` lists every blob once, `git cat-file --batch` streams their
// contents (a blob too big to hold is scanned as a stream), and one `git
// log --all --raw`, read at the same time, tells the commit that added
// each blob. Each distinct content is scanned once, whatever the number
// of commits that hold it, and a blob that is byte for byte a file of the
// working tree (the same git blob id) is not read again. The files and
// the history are scanned at once; the git processes are killed when the
// scan is cancelled.
package scan

import (
	"context"
	"fmt"
	"sort"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/internal/textsafe"
)

// The kinds of finding.
const (
	KindStored     = "stored-secret" // a value keywarden holds
	KindShaped     = "key-shaped"    // a string shaped like an exchange key, next to telling names
	KindPrivateKey = "private-key"   // a PEM private key
	KindExposed    = "exposed-file"  // a .env or config file with keys, not ignored by git
	// KindPassphrase is the passphrase of an exchange key (OKX, KuCoin,
	// Bitget), written next to its key or under a name that names the
	// exchange (OKX_PASSPHRASE=…): chosen by a person, it has no shape of
	// its own, so where it is written is the evidence.
	KindPassphrase = "passphrase"
)

// The fields of a credential.
const (
	FieldKey        = exchanges.FieldKey
	FieldSecret     = exchanges.FieldSecret
	FieldPassphrase = exchanges.FieldPassphrase
)

// Severity says how urgent a finding is.
type Severity int

// The severities, least first. Info is below the default level: keys in
// test fixtures and dependencies, and encrypted private keys, reported
// only when asked for.
const (
	Info Severity = iota - 1
	Low
	Medium
	High
)

func (s Severity) String() string {
	switch s {
	case High:
		return "high"
	case Medium:
		return "medium"
	case Info:
		return "info"
	}
	return "low"
}

// MarshalText writes the name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a name MarshalText wrote (a baseline file).
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err == nil {
		*s = v
	}
	return err
}

// ParseSeverity reads "info", "low", "medium" or "high".
func ParseSeverity(name string) (Severity, error) {
	for _, s := range []Severity{Info, Low, Medium, High} {
		if name == s.String() {
			return s, nil
		}
	}
	return Low, fmt.Errorf("unknown severity %q: use info, low, medium or high", textsafe.Line(name))
}

// Stored is one profile's credentials to look for.
type Stored struct {
	Profile  string
	Exchange string
	Creds    exchanges.Credentials
}

// Options say what to scan and with what.
type Options struct {
	// Root is the folder to scan.
	Root string
	// Stored are the keywarden profiles whose secrets to look for.
	Stored []Stored
	// Infos describe the exchanges (shapes of keys, names).
	Infos []exchanges.Info
	// Skip lists folders not to scan (e.g. the keyring folder).
	Skip []string
	// NoHistory leaves git history out.
	NoHistory bool
	// MaxSize is the largest file or blob read whole (default 8 MiB);
	// larger ones are scanned as a stream in bounded windows, and named
	// in a note.
	MaxSize int64
	// MinSeverity leaves out findings below it, counted in
	// Result.BelowLevel. The default, Low, leaves out Info: keys in test
	// fixtures and dependencies, encrypted private keys.
	MinSeverity Severity
	// Workers scanning at once (default GOMAXPROCS).
	Workers int
}

// Finding is one leak. It never holds the value.
type Finding struct {
	// Path is the file, relative to Root for the working tree and to the
	// repository's top for history, with forward slashes.
	Path string `json:"path"`
	// Line is 1-based; 0 for a finding about a whole file, or in a
	// binary file (What gives the byte offset).
	Line int `json:"line,omitempty"`
	// Column is the 1-based byte offset of the value in its line (a
	// minified file is one line).
	Column int `json:"column,omitempty"`
	// Commit is the commit that added the content (history only), and
	// Date its date.
	Commit string `json:"commit,omitempty"`
	Date   string `json:"date,omitempty"`
	// Kind is one of the Kind* constants.
	Kind     string   `json:"kind"`
	Severity Severity `json:"severity"`
	// Profile, Exchange, Field and Encoding say what was found, where known.
	Profile  string `json:"profile,omitempty"`
	Exchange string `json:"exchange,omitempty"`
	Field    string `json:"field,omitempty"`
	Encoding string `json:"encoding,omitempty"`
	// What is the finding in words.
	What string `json:"what"`
	// Git is the file's state in the working tree: "tracked",
	// "untracked" (not ignored), "ignored", "staged" (--staged), or ""
	// outside a repository and for history.
	Git string `json:"git,omitempty"`
	// Fingerprint identifies the finding across runs for allow-lists,
	// baselines and SARIF, without revealing the value (see
	// fingerprint.go); "" until Fingerprint or Staged fills it in.
	Fingerprint string `json:"fingerprint,omitempty"`
}

// Result is what Run found.
type Result struct {
	Findings []Finding `json:"findings"`
	// Notes say what was skipped or could not be done.
	Notes []string `json:"notes"`
	// Files and Blobs scanned; Commits in the history.
	Files   int `json:"files"`
	Blobs   int `json:"blobs"`
	Commits int `json:"commits"`
	// Repo is the repository's top folder, "" if none.
	Repo string `json:"repo,omitempty"`
	// BelowLevel counts the findings left out under Options.MinSeverity.
	BelowLevel int `json:"below_level,omitempty"`
}

// Run scans opts.Root and, unless NoHistory, the history of the git
// repository holding it. An error means the scan could not run at all.
func Run(ctx context.Context, opts Options) (Result, error) {
	if opts.MaxSize <= 0 {
		opts.MaxSize = 8 << 20
	}
	d := newDetector(opts.Stored, opts.Infos)
	var res Result
	repo := findRepo(ctx, opts.Root)
	res.Repo = repo.top
	if repo.note != "" {
		res.Notes = append(res.Notes, repo.note)
	}
	// The history is listed while the files are scanned; then the blobs
	// that are not byte for byte a file just scanned are read and
	// scanned.
	hctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var hist []Finding
	var hres Result
	var herr error
	var blobs *treeBlobs
	done := make(chan struct{})
	if !opts.NoHistory && repo.top != "" {
		blobs = newTreeBlobs()
		go func() {
			defer close(done)
			hist, herr = scanHistory(hctx, d, opts, repo, &hres, blobs)
		}()
	} else {
		close(done)
	}
	files, err := scanTree(ctx, d, opts, repo, &res, blobs)
	if err != nil {
		cancel()
		<-done
		return res, err
	}
	<-done
	res.Findings = append(append(res.Findings, files...), hist...)
	res.Commits, res.Blobs = hres.Commits, hres.Blobs
	res.Notes = append(res.Notes, hres.Notes...)
	if herr != nil {
		res.Notes = append(res.Notes, "git history not scanned: "+herr.Error())
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	res.Findings = belowLevel(res.Findings, opts.MinSeverity, &res)
	sortFindings(res.Findings)
	return res, nil
}

// belowLevel leaves out the findings under min, and says how many.
func belowLevel(fs []Finding, min Severity, res *Result) []Finding {
	kept := fs[:0]
	for _, f := range fs {
		if f.Severity < min {
			res.BelowLevel++
			continue
		}
		kept = append(kept, f)
	}
	if res.BelowLevel > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d findings below severity %s left out: keys in test fixtures (testdata/, test files), in dependencies (node_modules/, vendor/, Go modules) and encrypted private keys are reported at severity info (`--level info` shows them)", res.BelowLevel, min))
	}
	return kept
}

// sortFindings orders the working tree first, then history; by path and
// line within each.
func sortFindings(f []Finding) {
	sort.SliceStable(f, func(i, j int) bool {
		a, b := f[i], f[j]
		if (a.Commit == "") != (b.Commit == "") {
			return a.Commit == ""
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Commit != b.Commit {
			return a.Date < b.Date
		}
		return a.Line < b.Line
	})
}
