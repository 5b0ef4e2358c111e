package scan

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// FingerprintPrefix starts every fingerprint; the number changes if the
// recipe below ever does, so old baselines are recognised as such.
const FingerprintPrefix = "kw1:"

// fingerprint identifies a finding by what it is and the text of its line,
// never by its position alone (a line added above must not turn an accepted
// finding into a new one) and never by anything a reader could turn back
// into the value:
//
//   - the kind, exchange, field, profile, encoding and path;
//   - the SHA-256 of the finding's line, trimmed. The line holds the value,
//     but a key or secret found here is long and random (that is why it
//     was found), so its hash cannot be reversed by guessing;
//   - for a passphrase, which a person chose and could be guessed, only the
//     line's text before its first '=' or ':' (the variable's name);
//   - for a PEM private key, the header line and the next one (the first
//     line of the random body), so two keys in one file differ;
//   - for a finding about a whole file, nothing more.
//
// The same content at the same path gives the same fingerprint whether it
// is staged, in the working tree or in a commit of the history, so an entry
// accepted at commit time still holds in CI's full scan. The result is
// truncated to 80 bits: plenty to tell findings apart, too short to be a
// useful hash of the line.
func fingerprint(f Finding, content []byte) string {
	h := sha256.New()
	for _, s := range []string{"keywarden-scan-v1", f.Kind, f.Exchange, f.Field, f.Profile, f.Encoding, f.Path} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	if f.Line > 0 {
		line, next, ok := lineAt(content, f.Line)
		switch {
		case !ok:
			// Content unknown (file gone, unreadable): the line number
			// is all there is.
			h.Write([]byte("line " + strconv.Itoa(f.Line)))
		case f.Field == FieldPassphrase:
			name := line
			if i := bytes.IndexAny(line, "=:"); i >= 0 {
				name = line[:i]
			}
			h.Write(bytes.TrimSpace(name))
		case f.Kind == KindPrivateKey:
			h.Write(line)
			h.Write([]byte{'\n'})
			h.Write(next)
		default:
			h.Write(line)
		}
	}
	return FingerprintPrefix + hex.EncodeToString(h.Sum(nil)[:10])
}

// lineAt returns the trimmed n-th line (1-based) of content and the one
// after it.
func lineAt(content []byte, n int) (line, next []byte, ok bool) {
	if content == nil {
		return nil, nil, false
	}
	rest := content
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(rest, '\n')
		if j < 0 {
			return nil, nil, false
		}
		rest = rest[j+1:]
	}
	line, rest, _ = bytes.Cut(rest, []byte{'\n'})
	next, _, _ = bytes.Cut(rest, []byte{'\n'})
	return bytes.TrimSpace(line), bytes.TrimSpace(next), true
}

// Fingerprint fills in the fingerprint of every finding of res that has
// none: working-tree findings from the file under root, history findings
// from the blob at their commit (one `git cat-file --batch` for all).
// Only files with findings are read again.
func Fingerprint(ctx context.Context, root string, res *Result) error {
	type want struct {
		idx  []int
		spec string
	}
	byBlob := map[string]*want{}
	var order []string
	for i, f := range res.Findings {
		if f.Fingerprint != "" {
			continue
		}
		if f.Commit == "" {
			continue
		}
		spec := f.Commit + ":" + f.Path
		w := byBlob[spec]
		if w == nil {
			w = &want{spec: spec}
			byBlob[spec] = w
			order = append(order, spec)
		}
		w.idx = append(w.idx, i)
	}
	files := map[string][]byte{}
	prefix := treePrefix(res.Repo, root)
	for i, f := range res.Findings {
		if f.Fingerprint != "" || f.Commit != "" {
			continue
		}
		data, seen := files[f.Path]
		if !seen && f.Line > 0 {
			data, _ = readCapped(filepath.Join(root, filepath.FromSlash(f.Path)), 64<<20)
			files[f.Path] = data
		}
		g := f
		g.Path = repoPath(prefix, f)
		res.Findings[i].Fingerprint = fingerprint(g, data)
	}
	if len(order) == 0 {
		return nil
	}
	blobs := map[string][]byte{}
	if res.Repo != "" {
		var err error
		blobs, err = catFiles(ctx, repoInfo{git: "git", top: res.Repo}, order)
		if err != nil && ctx.Err() != nil {
			return ctx.Err()
		}
	}
	for _, spec := range order {
		for _, i := range byBlob[spec].idx {
			res.Findings[i].Fingerprint = fingerprint(res.Findings[i], blobs[spec])
		}
	}
	return nil
}

// catFiles reads objects named "<rev>:<path>" (or a sha) through one
// `git cat-file --batch`. Objects that are missing or over 64 MiB are left
// out.
func catFiles(ctx context.Context, r repoInfo, specs []string) (map[string][]byte, error) {
	out := map[string][]byte{}
	var in bytes.Buffer
	var asked []string
	for _, s := range specs {
		if strings.ContainsAny(s, "\n\r") {
			continue // cannot be asked on a line
		}
		asked = append(asked, s)
		in.WriteString(s)
		in.WriteByte('\n')
	}
	// No %(rest) in the format: with it git would split each request at
	// its first space, and paths may hold spaces.
	cmd := r.cmd(ctx, "cat-file", "--batch=%(objectname) %(objecttype) %(objectsize)")
	cmd.Stdin = &in
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return out, err
	}
	if err := cmd.Start(); err != nil {
		return out, fmt.Errorf("git cat-file: %w", err)
	}
	// Answers are matched to requests by order: every request gets exactly
	// one answer, "missing" included.
	i := 0
	br := bufio.NewReaderSize(stdout, 64<<10)
	rerr := readBatchAll(br, 64<<20, func(typ string, data []byte) {
		if i < len(asked) && typ == "blob" {
			out[asked[i]] = data
		}
		i++
	})
	werr := cmd.Wait()
	if rerr != nil {
		return out, rerr
	}
	return out, werr
}

// readBatchAll is readBatch for callers that need one call per request,
// missing objects included (typ "missing", data nil).
func readBatchAll(r *bufio.Reader, max int64, fn func(typ string, data []byte)) error {
	for {
		header, err := r.ReadString('\n')
		if header == "" && err != nil {
			return nil
		}
		if err != nil {
			return err
		}
		fields := strings.Fields(header)
		if len(fields) == 0 {
			return fmt.Errorf("empty cat-file header")
		}
		if last := fields[len(fields)-1]; len(fields) >= 2 && (last == "missing" || last == "ambiguous") {
			fn("missing", nil)
			continue
		}
		if len(fields) < 3 {
			return fmt.Errorf("unexpected cat-file header of %d bytes", len(header))
		}
		size, err := strconv.ParseInt(fields[2], 10, 64)
		if err != nil || size < 0 {
			return fmt.Errorf("unexpected object size")
		}
		if size > max {
			if _, err := r.Discard(int(size) + 1); err != nil {
				return err
			}
			fn("too-big", nil)
			continue
		}
		data := make([]byte, size+1)
		if _, err := io.ReadFull(r, data); err != nil {
			return err
		}
		fn(fields[1], data[:size])
	}
}

// treePrefix is the scanned folder's path inside the repository, "" at
// its top or outside a repository. Working-tree findings are relative to
// the scanned folder; history and staged ones to the repository's top.
func treePrefix(repoTop, root string) string {
	if repoTop == "" {
		return ""
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return ""
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		abs = r
	}
	top := repoTop
	if r, err := filepath.EvalSymlinks(top); err == nil {
		top = r
	}
	rel, err := filepath.Rel(top, abs)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return ""
	}
	return filepath.ToSlash(rel)
}

// repoPath is a finding's path from the repository's top: the same
// content has the same fingerprint and allow-list match whichever folder
// was scanned.
func repoPath(prefix string, f Finding) string {
	if prefix == "" || f.Commit != "" || f.Git == GitStaged {
		return f.Path
	}
	return path.Join(prefix, f.Path)
}
