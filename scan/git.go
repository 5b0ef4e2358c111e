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

// indexBlobs lists the ids of the blobs in git's index: the versions of
// the files in the working tree, if they are unchanged.
func (r repoInfo) indexBlobs(ctx context.Context) map[string]bool {
	out := map[string]bool{}
	b, err := r.cmd(ctx, "ls-files", "-s", "-z").Output()
	if err != nil {
		return out
	}
	for _, e := range bytes.Split(b, []byte{0}) {
		// mode sha stage\tpath
		if f := bytes.Fields(e); len(f) >= 3 {
			out[string(f[1])] = true
		}
	}
	return out
}

// blobFinding is what a history blob holds.
type blobFinding struct {
	sha, path string
	findings  []Finding
}

// scanHistory scans every blob reachable from any ref.
// blobs, if not nil, holds what the working tree's files held: a blob
// that is one of them is not read again.
func scanHistory(ctx context.Context, d *detector, opts Options, r repoInfo, res *Result, blobs *treeBlobs) ([]Finding, error) {
	ctx, cancel := context.WithCancel(ctx)
	// The commits are counted, and where each blob comes from is read,
	// while the blobs are. On the way out the count is awaited, and the
	// rest stopped.
	index := r.indexOrigins(ctx)
	count := make(chan int, 1)
	go func() {
		n, _ := r.cmd(ctx, "rev-list", "--all", "--count").Output()
		c, _ := strconv.Atoi(strings.TrimSpace(string(n)))
		count <- c
	}()
	defer func() {
		res.Commits = <-count
		cancel()
		index.wait()
	}()
	list := r.cmd(ctx, "rev-list", "--all", "--objects", "--filter=object:type=blob")
	// --buffer: written in large blocks, not flushed after each object.
	cat := r.cmd(ctx, "cat-file", "--buffer", "--batch=%(objectname) %(objecttype) %(objectsize) %(rest)")
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
	var mu sync.Mutex
	var found []blobFinding
	keep := func(sha, path string, fs []Finding) {
		if len(fs) > 0 {
			mu.Lock()
			found = append(found, blobFinding{sha: sha, path: path, findings: fs})
			mu.Unlock()
		}
	}
	// rev-list's blob lines ("sha path") go to cat-file as they come, but
	// for the blobs in git's index: those wait for the tree scan, which
	// may have read them already (their findings are then taken from it).
	// Commits (no path) are left out.
	indexed := map[string]bool{}
	if blobs != nil {
		indexed = r.indexBlobs(ctx)
	}
	var reused atomic.Int64
	go func() {
		defer catIn.Close()
		sc := bufio.NewScanner(listOut)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		w := bufio.NewWriterSize(catIn, 64<<10)
		var later [][]byte
		for sc.Scan() {
			line := sc.Bytes()
			sp := bytes.IndexByte(line, ' ')
			switch {
			case sp < 0:
			case indexed[string(line[:sp])]:
				later = append(later, bytes.Clone(line))
			default:
				_, _ = w.Write(line)
				_ = w.WriteByte('\n')
			}
		}
		if len(later) > 0 {
			_ = w.Flush() // cat-file goes on meanwhile
			select {
			case <-blobs.done:
			case <-ctx.Done():
				return
			}
		}
		for _, line := range later {
			sp := bytes.IndexByte(line, ' ')
			if fs, ok := blobs.get(string(line[:sp])); ok {
				reused.Add(1)
				path := string(line[sp+1:])
				keep(string(line[:sp]), path, withPath(fs, path))
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
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	queue := make(chan blob, 2*workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range queue {
				if ctx.Err() != nil {
					continue // drain: cat-file is being killed
				}
				if fs, err := d.content(ctx, b.path, bytes.NewReader(b.data)); err == nil {
					keep(b.sha, b.path, fs.findings)
				}
			}
		}()
	}
	var big named
	readErr := readBatch(bufio.NewReaderSize(catOut, 256<<10), opts.MaxSize, func(sha, typ, path string, data []byte) {
		if typ == "blob" && ctx.Err() == nil {
			res.Blobs++
			queue <- blob{sha: sha, path: path, data: data}
		}
	}, func(sha, typ, path string, size int64, r io.Reader) {
		// Too big to hold: scanned here, as a stream, while the
		// workers go on with what they have.
		if typ == "blob" && ctx.Err() == nil {
			res.Blobs++
			big.add(path, nil)
			if fs, err := d.content(ctx, path, r); err == nil {
				keep(sha, path, fs.findings)
			}
		}
	})
	close(queue)
	wg.Wait()
	res.Blobs += int(reused.Load())
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
	if big.n > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d file contents in the history larger than %d MiB were scanned as a stream: %s", big.n, opts.MaxSize>>20, big))
	}
	if len(found) == 0 {
		return nil, nil
	}
	origins := index.get(ctx, r, found)
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

// withPath is a copy of findings made in a file, placed at path.
func withPath(fs []Finding, path string) []Finding {
	out := make([]Finding, len(fs))
	for i, f := range fs {
		f.Path = cleanPath(path)
		out[i] = f
	}
	return out
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
