package scan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/keywarden/keywarden/internal/textsafe"
)

// GitStaged is Finding.Git for a finding in a staged file.
const GitStaged = "staged"

// ErrNotRepo means --staged was asked outside a git repository.
var ErrNotRepo = errors.New("not inside a git repository")

// StagedFile is one file `git commit` would record: its path in the
// repository and the blob staged for it.
type StagedFile struct {
	Path, Blob string
}

// Staged scans exactly what `git commit` would record: the blobs in the
// index for files added, copied, modified or renamed since HEAD (the
// index, not the working tree; GIT_INDEX_FILE is honoured, so `git commit
// -a` and `git commit FILE` hooks see the index git built for them).
// Deleted files, submodules and symbolic links have no content to leak.
// Only opts.Root, opts.Stored, opts.Infos and opts.MaxSize are used.
//
// It runs two git processes, whatever the size of the repository: one
// `git diff --cached` (index against HEAD, no working-tree scan) and one
// `git cat-file --batch` for the staged blobs.
func Staged(ctx context.Context, opts Options) (Result, error) {
	if opts.MaxSize <= 0 {
		opts.MaxSize = 8 << 20
	}
	var res Result
	repo := findRepo(ctx, opts.Root)
	if repo.top == "" {
		if repo.git == "" {
			return res, errors.New("--staged needs git, and git is not installed")
		}
		return res, fmt.Errorf("%w (%s): --staged scans what `git commit` would record", ErrNotRepo, opts.Root)
	}
	res.Repo = repo.top
	files, err := stagedFiles(ctx, repo)
	if err != nil {
		return res, err
	}
	res.Files = len(files)
	if len(files) == 0 {
		return res, nil
	}
	shas := make([]string, len(files))
	for i, f := range files {
		shas[i] = f.Blob
	}
	blobs, err := catFiles(ctx, repo, shas)
	if err != nil {
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		return res, fmt.Errorf("read the staged files: %w", err)
	}
	d := newDetector(opts.Stored, opts.Infos)
	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		found    []Finding
		big      []string
		next     = make(chan StagedFile)
		inFlight = min(len(files), max(1, runtime.GOMAXPROCS(0)))
	)
	for w := 0; w < inFlight; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range next {
				data, ok := blobs[f.Blob]
				if !ok || int64(len(data)) > opts.MaxSize {
					mu.Lock()
					big = append(big, f.Path)
					mu.Unlock()
					continue
				}
				fs, err := scanStagedBlob(ctx, d, f.Path, data)
				if err != nil {
					continue // only ctx ends a scan of bytes in memory: checked below
				}
				mu.Lock()
				found = append(found, fs...)
				mu.Unlock()
			}
		}()
	}
	for _, f := range files {
		if ctx.Err() != nil {
			break
		}
		next <- f
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return res, err
	}
	if len(big) > 0 {
		sort.Strings(big)
		res.Notes = append(res.Notes, fmt.Sprintf("%d staged files larger than %d MiB were not scanned: %s",
			len(big), opts.MaxSize>>20, strings.Join(clip(big, 5), ", ")))
	}
	res.Findings = belowLevel(found, opts.MinSeverity, &res)
	sortFindings(res.Findings)
	return res, nil
}

// scanStagedBlob runs the detector on one staged file's content, as the
// working tree's files are scanned (the same rules for formats, fixtures,
// binary content and passphrases). This is the only place --staged calls
// the detector.
func scanStagedBlob(ctx context.Context, d *detector, rel string, data []byte) ([]Finding, error) {
	fs, err := d.content(ctx, rel, bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	out := make([]Finding, 0, len(fs.findings)+1)
	for _, f := range fs.findings {
		f.Git = GitStaged
		f.Fingerprint = fingerprint(f, data)
		out = append(out, f)
	}
	if configFile(rel) && (len(fs.findings) > 0 || fs.assigns) {
		f := Finding{Path: cleanPath(rel), Kind: KindExposed, Severity: High, Git: GitStaged,
			What: "a config file holding keys, staged for commit: unstage it (`git rm --cached` it) and add it to .gitignore"}
		f.Fingerprint = fingerprint(f, data)
		out = append(out, f)
	}
	return out, nil
}

// stagedFiles lists what the index adds or changes against HEAD (against
// the empty tree before the first commit), with `git diff --cached --raw
// -z`: ":oldmode newmode oldsha newsha status\0path\0", and for renames
// and copies "\0src\0dst\0".
func stagedFiles(ctx context.Context, r repoInfo) ([]StagedFile, error) {
	var stderr bytes.Buffer
	cmd := r.cmd(ctx, "diff", "--cached", "--raw", "-z", "--no-abbrev", "-M", "--diff-filter=ACMR", "--no-ext-diff", "--no-textconv", "--ignore-submodules=all")
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("git diff --cached: %v: %s", err, textsafe.Line(firstLine(stderr.String())))
	}
	return parseRawDiff(out)
}

// parseRawDiff reads `git diff --raw -z` output.
func parseRawDiff(out []byte) ([]StagedFile, error) {
	var files []StagedFile
	parts := bytes.Split(out, []byte{0})
	for i := 0; i < len(parts); i++ {
		meta := string(parts[i])
		if meta == "" {
			continue
		}
		f := strings.Fields(strings.TrimPrefix(meta, ":"))
		if !strings.HasPrefix(meta, ":") || len(f) != 5 {
			return nil, fmt.Errorf("git diff --cached: unexpected line of %d bytes", len(meta))
		}
		newMode, newSHA, status := f[1], f[3], f[4]
		i++
		if i >= len(parts) {
			return nil, errors.New("git diff --cached: output cut short")
		}
		p := string(parts[i])
		if status[0] == 'R' || status[0] == 'C' {
			i++
			if i >= len(parts) {
				return nil, errors.New("git diff --cached: output cut short")
			}
			p = string(parts[i])
		}
		if p == "" || !objectName(newSHA) {
			return nil, fmt.Errorf("git diff --cached: unexpected entry of %d bytes", len(meta))
		}
		// 160000: a submodule; 120000: a symbolic link (its blob is the
		// link's target, a path).
		if newMode == "160000" || newMode == "120000" || strings.Trim(newSHA, "0") == "" {
			continue
		}
		files = append(files, StagedFile{Path: path.Clean(p), Blob: newSHA})
	}
	return files, nil
}

// objectName reports whether s is a full SHA-1 or SHA-256 object name.
func objectName(s string) bool {
	return (len(s) == 40 || len(s) == 64) && strings.Trim(s, "0123456789abcdef") == ""
}

// clip keeps the first n names, cleaned for output, and says how many more.
func clip(names []string, n int) []string {
	var out []string
	for i, s := range names {
		if i == n {
			out = append(out, fmt.Sprintf("and %d more", len(names)-n))
			break
		}
		out = append(out, textsafe.Line(s))
	}
	return out
}
