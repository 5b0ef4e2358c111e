package scan

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
)

// The states of a working-tree file in git.
const (
	gitTracked   = "tracked"
	gitUntracked = "untracked"
	gitIgnored   = "ignored"
)

// repoInfo is the git repository holding the scanned folder.
type repoInfo struct {
	git  string // the git executable
	top  string // the repository's top folder; "" if none
	note string // why there is none, when that matters
}

// findRepo locates git and the repository around root.
func findRepo(ctx context.Context, root string) repoInfo {
	git, err := exec.LookPath("git")
	if err != nil {
		return repoInfo{note: "git is not installed: git history and ignore rules were not checked"}
	}
	out, err := exec.CommandContext(ctx, git, "-C", root, "rev-parse", "--show-toplevel").Output()
	if err != nil {
		return repoInfo{git: git, note: "not inside a git repository: no history to scan"}
	}
	return repoInfo{git: git, top: strings.TrimSpace(string(out))}
}

func (r repoInfo) cmd(ctx context.Context, args ...string) *exec.Cmd {
	// No pager, no external diff, no textconv, quoted paths left alone.
	return exec.CommandContext(ctx, r.git, append([]string{"-C", r.top, "-c", "core.quotePath=false"}, args...)...)
}

// states tells for each path (relative to root) whether git tracks it,
// ignores it, or neither.
func (r repoInfo) states(ctx context.Context, root string, rels []string) map[string]string {
	out := map[string]string{}
	if r.top == "" || len(rels) == 0 {
		return out
	}
	toTop := map[string]string{} // repo-relative → root-relative
	var in bytes.Buffer
	for _, rel := range rels {
		abs := filepath.Join(root, filepath.FromSlash(rel))
		tr, err := filepath.Rel(r.top, abs)
		if err != nil {
			continue
		}
		tr = filepath.ToSlash(tr)
		toTop[tr] = rel
		in.WriteString(tr)
		in.WriteByte(0)
		out[rel] = gitUntracked
	}
	args := []string{"ls-files", "-z", "--cached", "--"}
	for tr := range toTop {
		args = append(args, ":(literal)"+tr)
	}
	if b, err := r.cmd(ctx, args...).Output(); err == nil {
		for _, p := range strings.Split(string(b), "\x00") {
			if rel, ok := toTop[p]; ok {
				out[rel] = gitTracked
			}
		}
	}
	ci := r.cmd(ctx, "check-ignore", "-z", "--stdin")
	ci.Stdin = &in
	if b, err := ci.Output(); err == nil || len(b) > 0 { // exit 1: nothing ignored
		for _, p := range strings.Split(string(b), "\x00") {
			if rel, ok := toTop[p]; ok && out[rel] != gitTracked {
				out[rel] = gitIgnored
			}
		}
	}
	return out
}

// blobFinding is a hit in a history blob.
type blobFinding struct {
	sha, path string
	hits      []hit
}

// scanHistory scans every blob reachable from any ref.
func scanHistory(ctx context.Context, d *detector, opts Options, r repoInfo, res *Result) ([]Finding, error) {
	if n, err := r.cmd(ctx, "rev-list", "--all", "--count").Output(); err == nil {
		res.Commits, _ = strconv.Atoi(strings.TrimSpace(string(n)))
	}
	if res.Commits == 0 {
		return nil, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	list := r.cmd(ctx, "rev-list", "--all", "--objects", "--filter=combine:blob:limit="+strconv.FormatInt(opts.MaxSize, 10)+"+object:type=blob")
	cat := r.cmd(ctx, "cat-file", "--batch=%(objectname) %(objecttype) %(objectsize) %(rest)")
	listOut, err := list.StdoutPipe()
	if err != nil {
		return nil, err
	}
	catIn, err := cat.StdinPipe()
	if err != nil {
		return nil, err
	}
	catOut, err := cat.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var listErr, catErr bytes.Buffer
	list.Stderr, cat.Stderr = &listErr, &catErr
	if err := list.Start(); err != nil {
		return nil, fmt.Errorf("git rev-list: %w", err)
	}
	if err := cat.Start(); err != nil {
		_ = list.Process.Kill()
		_ = list.Wait()
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	// rev-list's blob lines ("sha path") go to cat-file; commits (no
	// path) are left out.
	go func() {
		defer catIn.Close()
		sc := bufio.NewScanner(listOut)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		w := bufio.NewWriterSize(catIn, 64<<10)
		for sc.Scan() {
			line := sc.Bytes()
			if bytes.IndexByte(line, ' ') < 0 {
				continue
			}
			_, _ = w.Write(line)
			_ = w.WriteByte('\n')
		}
		_ = w.Flush()
	}()
	type blob struct {
		sha, path string
		data      []byte
	}
	blobs := make(chan blob, 64)
	var mu sync.Mutex
	var found []blobFinding
	var wg sync.WaitGroup
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range blobs {
				if isBinary(b.data) {
					continue
				}
				if h := d.detect(b.data); len(h) > 0 {
					mu.Lock()
					found = append(found, blobFinding{sha: b.sha, path: b.path, hits: h})
					mu.Unlock()
				}
			}
		}()
	}
	readErr := readBatch(bufio.NewReaderSize(catOut, 256<<10), opts.MaxSize, func(sha, typ, path string, data []byte) {
		if typ != "blob" {
			return
		}
		res.Blobs++
		blobs <- blob{sha: sha, path: path, data: data}
	})
	close(blobs)
	wg.Wait()
	lerr, cerr := list.Wait(), cat.Wait()
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case readErr != nil:
		return nil, fmt.Errorf("read git cat-file output: %w", readErr)
	case lerr != nil:
		return nil, fmt.Errorf("git rev-list: %v: %s", lerr, firstLine(listErr.String()))
	case cerr != nil:
		return nil, fmt.Errorf("git cat-file: %v: %s", cerr, firstLine(catErr.String()))
	}
	if len(found) == 0 {
		return nil, nil
	}
	origins := r.origins(ctx, found)
	var out []Finding
	for _, f := range found {
		o := origins[f.sha]
		if o.path == "" {
			o.path = f.path
		}
		for _, h := range f.hits {
			out = append(out, Finding{Path: o.path, Line: h.line, Commit: o.commit, Date: o.date, Kind: h.kind, Severity: h.severity,
				Profile: h.profile, Exchange: h.exchange, Field: h.field, Encoding: h.encoding, What: h.what})
		}
	}
	return out, nil
}

// readBatch parses `git cat-file --batch` output: a header line
// "sha type size rest", size bytes, a newline; "sha missing" for a
// missing object. Objects over max bytes are skipped.
func readBatch(r *bufio.Reader, max int64, fn func(sha, typ, path string, data []byte)) error {
	for {
		header, err := r.ReadString('\n')
		if errors.Is(err, io.EOF) && header == "" {
			return nil
		}
		if err != nil {
			return err
		}
		fields := strings.SplitN(strings.TrimSuffix(header, "\n"), " ", 4)
		if len(fields) >= 2 && fields[1] == "missing" {
			continue
		}
		if len(fields) < 3 {
			return fmt.Errorf("unexpected header of %d bytes", len(header))
		}
		size, err := strconv.ParseInt(fields[2], 10, 64)
		if err != nil || size < 0 {
			return errors.New("unexpected object size")
		}
		if size > max {
			// Not expected (rev-list leaves big blobs out): skip it
			// without holding it in memory.
			if _, err := io.CopyN(io.Discard, r, size+1); err != nil {
				return err
			}
			continue
		}
		data := make([]byte, size+1)
		if _, err := io.ReadFull(r, data); err != nil {
			return err
		}
		path := ""
		if len(fields) == 4 {
			path = fields[3]
		}
		fn(fields[0], fields[1], path, data[:size])
	}
}

// origin is where a blob first appeared.
type origin struct {
	commit, date, path string
}

// origins finds, for each blob with a finding, the oldest commit that
// added it and its path there, in one pass over the history's raw diffs.
func (r repoInfo) origins(ctx context.Context, found []blobFinding) map[string]origin {
	want := map[string]bool{}
	for _, f := range found {
		want[f.sha] = true
	}
	out := map[string]origin{}
	cmd := r.cmd(ctx, "log", "--all", "--raw", "--no-abbrev", "--no-renames", "-m", "--no-color", "--format=commit %H %cs")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return out
	}
	if err := cmd.Start(); err != nil {
		return out
	}
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var commit, date string
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "commit "); ok {
			commit, date, _ = strings.Cut(rest, " ")
			continue
		}
		// :100644 100644 <old> <new> M\tpath
		if !strings.HasPrefix(line, ":") {
			continue
		}
		meta, path, ok := strings.Cut(line, "\t")
		f := strings.Fields(meta)
		if !ok || len(f) < 5 || !want[f[3]] {
			continue
		}
		out[f[3]] = origin{commit: commit, date: date, path: path} // log runs newest first: the last one seen is the oldest
	}
	_ = cmd.Wait()
	return out
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
