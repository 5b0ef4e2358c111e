package scan

import (
	"bufio"
	"context"
	"encoding/hex"
	"strings"
)

// origin is where a blob first appeared.
type origin struct {
	commit, date, path string
}

// logOrigins reads `git log --all --raw` once, newest commit first, and
// calls fn for each blob a commit adds or changes; fn returns false to
// stop.
func (r repoInfo) logOrigins(ctx context.Context, fn func(sha string, o origin) bool) {
	cmd := r.cmd(ctx, "log", "--all", "--raw", "--no-abbrev", "--no-renames", "-m", "--no-color", "--format=commit %H %cs")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return
	}
	if err := cmd.Start(); err != nil {
		return
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }() // a stop before the end leaves git nothing to write to
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
		if !ok || len(f) < 5 {
			continue
		}
		if !fn(f[3], origin{commit: commit, date: date, path: path}) {
			return
		}
	}
}

// origins finds, for each blob with a finding, the oldest commit that
// added it and its path there, in one pass over the history's raw diffs.
func (r repoInfo) origins(ctx context.Context, found []blobFinding) map[string]origin {
	want := map[string]bool{}
	for _, f := range found {
		want[f.sha] = true
	}
	out := map[string]origin{}
	r.logOrigins(ctx, func(sha string, o origin) bool {
		if want[sha] {
			out[sha] = o // newest first: the last one seen is the oldest
		}
		return true
	})
	return out
}

// originMax bounds the blobs an originIndex holds (about 60 bytes each
// in the map, with the paths and commits kept once).
const originMax = 1 << 20

// originIndex is the origin of every blob, read from the log while the
// blobs are scanned, so that placing the findings costs no second pass
// after the scan. Past originMax blobs it stops, and the rest are looked
// up afterwards as before.
type originIndex struct {
	done    chan struct{}
	full    bool
	commits []string // "sha date"
	paths   []string
	pathIDs map[string]int32
	at      map[[32]byte][2]int32 // blob id → commit, path
}

func (r repoInfo) indexOrigins(ctx context.Context) *originIndex {
	x := &originIndex{done: make(chan struct{}), pathIDs: map[string]int32{}, at: map[[32]byte][2]int32{}}
	go func() {
		defer close(x.done)
		last := ""
		r.logOrigins(ctx, func(sha string, o origin) bool {
			var k [32]byte
			if n, err := hex.Decode(k[:], []byte(sha)); err != nil || n < 20 {
				return true
			}
			if len(x.at) >= originMax {
				x.full = true
				return false
			}
			if c := o.commit + " " + o.date; c != last {
				x.commits, last = append(x.commits, c), c
			}
			p, ok := x.pathIDs[o.path]
			if !ok {
				p = int32(len(x.paths))
				x.paths = append(x.paths, o.path)
				x.pathIDs[o.path] = p
			}
			x.at[k] = [2]int32{int32(len(x.commits) - 1), p} // newest first: the last one seen is the oldest
			return true
		})
	}()
	return x
}

func (x *originIndex) wait() { <-x.done }

// get returns the origins of the blobs found, looking up afterwards those
// the index does not hold.
func (x *originIndex) get(ctx context.Context, r repoInfo, found []blobFinding) map[string]origin {
	x.wait()
	out := map[string]origin{}
	var missing []blobFinding
	for _, f := range found {
		var k [32]byte
		n, err := hex.Decode(k[:], []byte(f.sha))
		at, ok := x.at[k]
		if err != nil || n < 20 || !ok {
			missing = append(missing, f)
			continue
		}
		commit, date, _ := strings.Cut(x.commits[at[0]], " ")
		out[f.sha] = origin{commit: commit, date: date, path: x.paths[at[1]]}
	}
	if len(missing) > 0 && x.full {
		for sha, o := range r.origins(ctx, missing) {
			out[sha] = o
		}
	}
	return out
}
