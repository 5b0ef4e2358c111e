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
//     exchanges.Info define it, on a line that names a credential, with
//     the exchange named nearby; and PEM private keys.
//   - exposed files: a .env or config file holding keys that git does not
//     ignore (one `git add .` away from a commit) or that git tracks.
//
// A finding says where (file and line, or commit, path and line), what
// (profile, exchange, field, encoding), and how serious; never the value.
//
// Git history is read by shelling out to git: `git rev-list --all
// --objects` lists every blob once (blobs over the size limit left out by
// git itself), `git cat-file --batch` streams their contents, and only
// blobs with a finding are traced to the commit that added them, with one
// `git log --all --raw`. Each distinct content is scanned once, whatever
// the number of commits that hold it.
package scan

import (
	"context"
	"sort"

	"github.com/keywarden/keywarden/exchanges"
)

// The kinds of finding.
const (
	KindStored     = "stored-secret" // a value keywarden holds
	KindShaped     = "key-shaped"    // a string shaped like an exchange key, next to telling names
	KindPrivateKey = "private-key"   // a PEM private key
	KindExposed    = "exposed-file"  // a .env or config file with keys, not ignored by git
)

// The fields of a credential.
const (
	FieldKey        = exchanges.FieldKey
	FieldSecret     = exchanges.FieldSecret
	FieldPassphrase = exchanges.FieldPassphrase
)

// Severity says how urgent a finding is.
type Severity int

// The severities, least first.
const (
	Low Severity = iota
	Medium
	High
)

func (s Severity) String() string {
	switch s {
	case High:
		return "high"
	case Medium:
		return "medium"
	}
	return "low"
}

// MarshalText writes the name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

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
	// MaxSize is the largest file or blob scanned (default 8 MiB).
	MaxSize int64
	// Workers scanning at once (default GOMAXPROCS).
	Workers int
}

// Finding is one leak. It never holds the value.
type Finding struct {
	// Path is the file, relative to Root for the working tree and to the
	// repository's top for history, with forward slashes.
	Path string `json:"path"`
	// Line is 1-based; 0 for a finding about a whole file.
	Line int `json:"line,omitempty"`
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
	files, err := scanTree(ctx, d, opts, repo, &res)
	if err != nil {
		return res, err
	}
	res.Findings = append(res.Findings, files...)
	if !opts.NoHistory && repo.top != "" {
		hist, err := scanHistory(ctx, d, opts, repo, &res)
		if err != nil {
			res.Notes = append(res.Notes, "git history not scanned: "+err.Error())
		}
		res.Findings = append(res.Findings, hist...)
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	sortFindings(res.Findings)
	return res, nil
}

func sortHits(h []hit) {
	sort.SliceStable(h, func(i, j int) bool { return h[i].line < h[j].line })
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
