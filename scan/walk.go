package scan

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"

	"github.com/keywarden/keywarden/internal/textsafe"
)

// scanTree scans the files under opts.Root; blobs, if not nil, learns
// what each holds, for the history scan.
func scanTree(ctx context.Context, d *detector, opts Options, repo repoInfo, res *Result, blobs *treeBlobs) ([]Finding, error) {
	if blobs != nil {
		defer blobs.finish()
	}
	root, err := filepath.Abs(opts.Root)
	if err != nil {
		return nil, err
	}
	skip := map[string]bool{}
	for _, s := range opts.Skip {
		if a, err := filepath.Abs(s); err == nil {
			skip[a] = true
		}
	}
	paths := make(chan string, 256)
	type fileHits struct {
		rel      string
		findings []Finding
		exposed  bool
	}
	results := make(chan fileHits, 256)
	var big, unreadable named
	var mu sync.Mutex
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range paths {
				if ctx.Err() != nil {
					continue // drain: the walk stops too
				}
				rel, _ := filepath.Rel(root, p)
				rel = filepath.ToSlash(rel)
				fs, err := scanFile(ctx, d, p, rel, blobs)
				if ctx.Err() != nil {
					continue
				}
				mu.Lock()
				if err != nil {
					unreadable.add(rel, err)
				} else if fs.size > opts.MaxSize {
					big.add(rel, nil)
				}
				mu.Unlock()
				if err != nil {
					continue
				}
				exposed := configFile(rel) && (len(fs.findings) > 0 || fs.assigns)
				if len(fs.findings) > 0 || exposed {
					results <- fileHits{rel: rel, findings: fs.findings, exposed: exposed}
				}
			}
		}()
	}
	var walkErr error
	go func() {
		defer close(paths)
		walkErr = filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if err != nil {
				if p == root {
					return err
				}
				rel, _ := filepath.Rel(root, p)
				mu.Lock()
				unreadable.add(filepath.ToSlash(rel), err)
				mu.Unlock()
				return nil
			}
			if e.IsDir() {
				if (e.Name() == ".git" && p != root) || skip[p] {
					return filepath.SkipDir
				}
				return nil
			}
			if !e.Type().IsRegular() {
				return nil
			}
			mu.Lock()
			res.Files++
			mu.Unlock()
			select {
			case paths <- p:
			case <-ctx.Done():
				return ctx.Err()
			}
			return nil
		})
	}()
	go func() { wg.Wait(); close(results) }()
	var found []fileHits
	for r := range results {
		found = append(found, r)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if walkErr != nil {
		return nil, fmt.Errorf("scan %s: %w", root, walkErr)
	}
	if big.n > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d files larger than %d MiB were scanned as a stream: %s", big.n, opts.MaxSize>>20, big))
	}
	if unreadable.n > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d files or folders could not be read: %s", unreadable.n, unreadable))
	}
	var rels []string
	for _, f := range found {
		rels = append(rels, f.rel)
	}
	states := repo.states(ctx, root, rels)
	var out []Finding
	for _, f := range found {
		st := states[f.rel]
		for _, fd := range f.findings {
			fd.Severity = onDisk(fd.Severity, st, repo.top != "")
			fd.Git = st
			out = append(out, fd)
		}
		if f.exposed && (st == gitTracked || st == gitUntracked) {
			sev, what := Medium, "a config file holding keys that git does not ignore: one `git add` from a commit; add it to .gitignore"
			if st == gitTracked {
				sev, what = High, "a config file holding keys, tracked by git: it is in the history; `git rm --cached` it and add it to .gitignore"
			}
			out = append(out, Finding{Path: cleanPath(f.rel), Kind: KindExposed, Severity: sev, What: what, Git: st})
		}
	}
	return out, nil
}

// scanFile scans one file as a stream (and hashes it as git would, if
// blobs is not nil).
func scanFile(ctx context.Context, d *detector, path, rel string, blobs *treeBlobs) (fileScan, error) {
	f, err := os.Open(path)
	if err != nil {
		return fileScan{}, err
	}
	defer f.Close()
	if blobs == nil {
		return d.content(ctx, rel, f)
	}
	fi, err := f.Stat()
	if err != nil {
		return fileScan{}, err
	}
	h := newBlobHasher(fi.Size())
	fs, err := d.content(ctx, rel, h.tee(f))
	if id := h.id(); err == nil && id != "" {
		blobs.put(id, fs.findings)
	}
	return fs, err
}

// onDisk adjusts a severity to where the file is: a file git ignores is a
// plaintext copy on this disk only; outside a repository likewise.
func onDisk(s Severity, gitState string, inRepo bool) Severity {
	if (gitState == gitIgnored || !inRepo) && s > Low {
		return s - 1
	}
	return s
}

// named counts files for a note and names the first few, cleaned (with
// why, for an error).
type named struct {
	n     int
	names []string
}

// namedMax is how many files a note names.
const namedMax = 5

func (l *named) add(rel string, err error) {
	l.n++
	if len(l.names) >= namedMax {
		return
	}
	s := cleanPath(rel)
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if err != nil {
		s += " (" + textsafe.Line(err.Error()) + ")"
	}
	l.names = append(l.names, s)
}

func (l named) String() string {
	s := strings.Join(l.names, ", ")
	if l.n > len(l.names) {
		s += fmt.Sprintf(" and %d more", l.n-len(l.names))
	}
	return s
}

// configFile reports whether a path names an env or config file, where
// keys are kept by hand.
func configFile(rel string) bool {
	base := strings.ToLower(filepath.Base(rel))
	switch {
	case base == ".env", strings.HasPrefix(base, ".env.") && !placeholderEnv(base), strings.HasSuffix(base, ".env"):
		return true
	case base == "keys.json", base == "keys.local.json", strings.HasPrefix(base, "secrets."), strings.HasPrefix(base, "credentials"):
		return true
	}
	ext := filepath.Ext(base)
	if ext != ".json" && ext != ".yml" && ext != ".yaml" && ext != ".toml" && ext != ".ini" && ext != ".cfg" && ext != ".conf" && ext != ".env" {
		return false
	}
	// config.json, settings.yaml, docker-compose.yml, secret.yaml, and what
	// lives in a config folder (hummingbot's conf/connectors/okx.yml).
	dir := strings.ToLower(path.Base(path.Dir(rel)))
	return strings.HasPrefix(base, "config") || strings.Contains(base, "settings") || strings.Contains(base, "compose") || strings.HasPrefix(base, "secret") ||
		dir == "conf" || dir == "config" || dir == "configs" || dir == "connectors" || dir == "secrets"
}

// placeholderEnv: .env.example and friends document variables, not values.
func placeholderEnv(base string) bool {
	for _, s := range []string{"example", "sample", "template", "dist", "defaults"} {
		if strings.Contains(base, s) {
			return true
		}
	}
	return false
}

// assignment matches NAME=value and "name": "value" for credential names.
var assignment = regexp.MustCompile(`(?im)(?:^|[\s{,;])(?:export\s+)?["']?[a-z0-9_.-]*(?:api[_-]?key|apikey|secret|passphrase|password|private[_-]?key)[a-z0-9_.-]*["']?\s*[:=]\s*["']?([^\s"'#,]{8,})`)

// hasAssignment reports whether data gives a credential-named variable a
// real-looking value (not a placeholder or a reference).
func hasAssignment(data []byte) bool {
	for _, m := range assignment.FindAllSubmatch(data, -1) {
		v := strings.ToLower(string(m[1]))
		if placeholderValue(v) {
			continue
		}
		return true
	}
	return false
}

func placeholderValue(v string) bool {
	if strings.HasPrefix(v, "$") || strings.HasPrefix(v, "<") || strings.HasPrefix(v, "{") || strings.HasPrefix(v, "%") {
		return true
	}
	for _, s := range []string{"your", "xxxx", "****", "changeme", "change_me", "example", "placeholder", "replace", "dummy", "here", "null", "none", "true", "false", "env("} {
		if strings.Contains(v, s) {
			return true
		}
	}
	return false
}
