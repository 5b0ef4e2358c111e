package main

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/keywarden/keywarden/scan/leaktest"
)

// repo is the generated repository and what was planted in it.
type repo struct {
	dir     string
	files   int // in the working tree
	commits int
	planted []plant
}

// plant is a planted value and the commit that added it (the next one
// deletes it).
type plant struct {
	leaktest.Planted
	commit string
}

// generate builds, with git fast-import, a repository of about files
// files and exactly commits commits: the first adds the filler (Go code
// with ids and hashes in comments, and leaktest's decoys), each later one
// rewrites ten files; along the history each planted file (a key of every
// exchange in every config format) is added by one commit and deleted by
// the next.
func generate(dir string, files, commits int, seed uint64) (*repo, error) {
	if commits < 3 {
		return nil, fmt.Errorf("at least 3 commits, got %d", commits)
	}
	rng := rand.New(rand.NewPCG(seed, seed))
	r := &repo{dir: dir, commits: commits}
	if err := run(dir, "git", "init", "-q", "-b", "main"); err != nil {
		return nil, err
	}
	marks := filepath.Join(dir, ".git", "bench-marks")
	cmd := exec.Command("git", "-C", dir, "fast-import", "--quiet", "--export-marks="+marks)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	w := bufio.NewWriterSize(in, 1<<20)
	dirs := max(1, files/100)
	perDir := max(1, files/dirs)
	plantFiles, planted := leaktest.All(rng, "bots")
	decoys := leaktest.Decoys(rng, "app")
	put := func(path string, data []byte) {
		fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n%s\n", path, len(data), data)
	}
	plantAt := map[int][]int{} // commit → indexes of the files it adds
	for i := range plantFiles {
		c := 1 + i*(commits-2)/len(plantFiles)
		plantAt[c] = append(plantAt[c], i)
	}
	when := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	var deleting []int
	for c := 0; c < commits; c++ {
		msg := fmt.Sprintf("commit %d", c)
		fmt.Fprintf(w, "commit refs/heads/main\nmark :%d\ncommitter Bench <bench@example.com> %d +0000\ndata %d\n%s\n", c+1, when+int64(c)*60, len(msg), msg)
		if c == 0 {
			for d := 0; d < dirs; d++ {
				for f := 0; f < perDir; f++ {
					put(fmt.Sprintf("d%03d/f%03d.go", d, f), filler(rng, d, f, 0))
				}
			}
			for _, f := range decoys {
				put(f.Path, f.Data)
			}
			r.files = dirs*perDir + len(decoys)
			continue
		}
		for _, i := range deleting {
			fmt.Fprintf(w, "D %s\n", plantFiles[i].Path)
		}
		deleting = plantAt[c]
		for _, i := range deleting {
			put(plantFiles[i].Path, plantFiles[i].Data)
		}
		for i := 0; i < 10; i++ {
			d, f := rng.IntN(dirs), rng.IntN(perDir)
			put(fmt.Sprintf("d%03d/f%03d.go", d, f), filler(rng, d, f, c))
		}
	}
	if err := w.Flush(); err != nil {
		return nil, err
	}
	_ = in.Close()
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("git fast-import: %w", err)
	}
	if len(deleting) > 0 {
		return nil, fmt.Errorf("the last commit adds planted files: use more commits")
	}
	shas, err := readMarks(marks)
	if err != nil {
		return nil, err
	}
	for c, idx := range plantAt {
		for _, i := range idx {
			for _, p := range planted {
				if p.Path == plantFiles[i].Path {
					r.planted = append(r.planted, plant{Planted: p, commit: shas[c+1]})
				}
			}
		}
	}
	return r, run(dir, "git", "reset", "-q", "--hard")
}

// filler is a Go file with the ids, hashes and words that fill real code.
func filler(rng *rand.Rand, d, f, rev int) []byte {
	var sb strings.Builder
	fmt.Fprintf(&sb, "package p%d\n\n// file %d of dir %d, revision %d\n", d, f, d, rev)
	for l := 0; l < 12; l++ {
		fmt.Fprintf(&sb, "func f%d_%d(key string, n int) int { return len(key) + n*%d } // token %016x\n", f, l, rng.IntN(1000), rng.Uint64())
	}
	fmt.Fprintf(&sb, "var requestID = \"%08x-%04x-4%03x-a%03x-%012x\" // okx clOrdId\n", rng.Uint32(), rng.IntN(1<<16), rng.IntN(1<<12), rng.IntN(1<<12), rng.Uint64()>>16)
	fmt.Fprintf(&sb, "const checksum = \"sha256:%016x%016x%016x%016x\"\n", rng.Uint64(), rng.Uint64(), rng.Uint64(), rng.Uint64())
	return []byte(sb.String())
}

// readMarks reads fast-import's marks: ":N sha" per line.
func readMarks(path string) (map[int]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[int]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var n int
		var sha string
		if _, err := fmt.Sscanf(line, ":%d %s", &n, &sha); err == nil {
			out[n] = sha
		}
	}
	return out, nil
}

func run(dir string, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s %v: %v: %s", name, args, err, out)
	}
	return nil
}
