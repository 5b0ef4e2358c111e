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
	"sync/atomic"
	"time"

	"github.com/keywarden/keywarden/internal/textsafe"
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
	c := exec.CommandContext(ctx, r.git, append([]string{"-C", r.top, "-c", "core.quotePath=false"}, args...)...)
	// Cancelling kills git (the default Cancel); this bounds the wait for
	// its pipes after that.
	c.WaitDelay = gitWaitDelay
	return c
}

// gitWaitDelay is how long a killed git's pipes are waited for.
const gitWaitDelay = 100 * time.Millisecond

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

// blobFinding is what a history blob holds.
type blobFinding struct {
	sha, path string
	findings  []Finding
}

// scanHistory scans every blob reachable from any ref: rev-list lists
// them, a few cat-file processes read them (git's delta resolution is
// most of the work, and runs on every core), workers scan them.
func scanHistory(ctx context.Context, d *detector, opts Options, r repoInfo, res *Result) ([]Finding, error) {
	if n, err := r.cmd(ctx, "rev-list", "--all", "--count").Output(); err == nil {
		res.Commits, _ = strconv.Atoi(strings.TrimSpace(string(n)))
	}
	if res.Commits == 0 {
		return nil, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	list := r.cmd(ctx, "rev-list", "--all", "--objects", "--filter=object:type=blob")
	listOut, err := list.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var listErr bytes.Buffer
	list.Stderr = &listErr
	if err := list.Start(); err != nil {
		return nil, fmt.Errorf("git rev-list: %w", err)
	}
	cats, err := startCats(ctx, r, min(workers, maxCats))
	if err != nil {
		_ = list.Process.Kill()
		_ = list.Wait()
		return nil, err
	}
	go cats.feed(listOut)

	type blob struct {
		sha, path string
		data      []byte
	}
	blobs := make(chan blob, 2*workers)
	var mu sync.Mutex
	var found []blobFinding
	var big named
	var nblobs atomic.Int64
	keep := func(sha, path string, fs fileScan, err error) {
		if err == nil && len(fs.findings) > 0 {
			mu.Lock()
			found = append(found, blobFinding{sha: sha, path: path, findings: fs.findings})
			mu.Unlock()
		}
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range blobs {
				if ctx.Err() != nil {
					continue // drain: cat-file is being killed
				}
				fs, err := d.content(ctx, b.path, bytes.NewReader(b.data))
				keep(b.sha, b.path, fs, err)
			}
		}()
	}
	readErrs := make([]error, len(cats.outs))
	var readers sync.WaitGroup
	for i, out := range cats.outs {
		readers.Add(1)
		go func() {
			defer readers.Done()
			readErrs[i] = readBatch(bufio.NewReaderSize(out, 256<<10), opts.MaxSize, func(sha, typ, path string, data []byte) {
				if typ == "blob" && ctx.Err() == nil {
					nblobs.Add(1)
					blobs <- blob{sha: sha, path: path, data: data}
				}
			}, func(sha, typ, path string, size int64, r io.Reader) {
				// Too big to hold: scanned here, as a stream, while the
				// workers go on with what they have.
				if typ == "blob" && ctx.Err() == nil {
					nblobs.Add(1)
					mu.Lock()
					big.add(path, nil)
					mu.Unlock()
					fs, err := d.content(ctx, path, r)
					keep(sha, path, fs, err)
				}
			})
		}()
	}
	readers.Wait()
	close(blobs)
	wg.Wait()
	res.Blobs = int(nblobs.Load())
	lerr, cerr := list.Wait(), cats.wait()
	readErr := errors.Join(readErrs...)
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case readErr != nil:
		return nil, fmt.Errorf("read git cat-file output: %w", readErr)
	case lerr != nil:
		return nil, fmt.Errorf("git rev-list: %v: %s", lerr, firstLine(listErr.String()))
	case cerr != nil:
		return nil, cerr
	}
	if big.n > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d file contents in the history larger than %d MiB were scanned as a stream: %s", big.n, opts.MaxSize>>20, big))
	}
	if len(found) == 0 {
		return nil, nil
	}
	origins := r.origins(ctx, found)
	var out []Finding
	for _, f := range found {
		o := origins[f.sha]
		for _, fd := range f.findings {
			if o.path != "" {
				fd.Path = cleanPath(o.path)
			}
			fd.Commit, fd.Date = o.commit, textsafe.Line(o.date)
			out = append(out, fd)
		}
	}
	return out, nil
}

// readBatch parses `git cat-file --batch` output: a header line
// "sha type size rest", size bytes, a newline; "sha missing" for a
// missing object. Objects up to max bytes are given to fn whole; larger
// ones to stream as a reader of their bytes (what it leaves unread is
// skipped), so that memory stays bounded.
func readBatch(r *bufio.Reader, max int64, fn func(sha, typ, path string, data []byte), stream func(sha, typ, path string, size int64, r io.Reader)) error {
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
		path := ""
		if len(fields) == 4 {
			path = fields[3]
		}
		if size > max {
			lr := &io.LimitedReader{R: r, N: size}
			stream(fields[0], fields[1], path, size, lr)
			if _, err := io.Copy(io.Discard, lr); err != nil {
				return err
			}
			if lr.N > 0 {
				return io.ErrUnexpectedEOF
			}
			if _, err := r.Discard(1); err != nil {
				return err
			}
			continue
		}
		data := make([]byte, size+1)
		if _, err := io.ReadFull(r, data); err != nil {
			return err
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
