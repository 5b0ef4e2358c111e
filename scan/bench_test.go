package scan

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// genRepo builds, with git fast-import, a repository of files×dirs files
// and commits commits: the first adds every file, each later one rewrites
// a few. Commit commits/2 adds a stored secret that the next one deletes.
func genRepo(tb testing.TB, dirs, files, commits int, secret string) string {
	tb.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		tb.Skip("git is not installed: the scan benchmark needs it")
	}
	start := time.Now()
	r := newRepo(tb)
	cmd := exec.Command("git", "-C", r.dir, "fast-import", "--quiet")
	in, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if out, err := cmd.StderrPipe(); err == nil {
		go func() { _, _ = bufio.NewReader(out).WriteTo(os.Stderr) }()
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(in, 1<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	content := func(d, f, rev int) string {
		var sb strings.Builder
		fmt.Fprintf(&sb, "package p%d\n\n// file %d of dir %d, revision %d\n", d, f, d, rev)
		for l := 0; l < 12; l++ {
			fmt.Fprintf(&sb, "func f%d_%d(key string, n int) int { return len(key) + n*%d } // token %016x\n", f, l, rng.IntN(1000), rng.Uint64())
		}
		return sb.String()
	}
	when := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	file := func(path, data string) {
		fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n%s\n", path, len(data), data)
	}
	for c := 0; c < commits; c++ {
		msg := fmt.Sprintf("commit %d", c)
		fmt.Fprintf(w, "commit refs/heads/main\ncommitter Bench <bench@example.com> %d +0000\ndata %d\n%s\n", when+int64(c)*60, len(msg), msg)
		switch {
		case c == 0:
			for d := 0; d < dirs; d++ {
				for f := 0; f < files; f++ {
					file(fmt.Sprintf("d%03d/f%03d.go", d, f), content(d, f, 0))
				}
			}
		case c == commits/2 && secret != "":
			file("config/.env", "BINANCE_API_SECRET="+secret+"\n")
		case c == commits/2+1 && secret != "":
			fmt.Fprintf(w, "D config/.env\n")
		default:
			for i := 0; i < 10; i++ {
				d, f := rng.IntN(dirs), rng.IntN(files)
				file(fmt.Sprintf("d%03d/f%03d.go", d, f), content(d, f, c))
			}
		}
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	_ = in.Close()
	if err := cmd.Wait(); err != nil {
		tb.Fatalf("git fast-import: %v", err)
	}
	r.git("reset", "-q", "--hard")
	tb.Logf("generated %d files and %d commits in %v", dirs*files, commits, time.Since(start).Round(time.Millisecond))
	return r.dir
}

// BenchmarkScanRepo scans a generated repository of 10,000 files and 1,000
// commits: the working tree and every blob of the history.
func BenchmarkScanRepo(b *testing.B) {
	s, k := storedKey(b)
	dir := genRepo(b, 100, 100, 1000, k.Secret)
	opts := Options{Root: dir, Stored: []Stored{s}, Infos: infos()}
	check := func(b *testing.B, res Result, history bool) {
		found := false
		for _, f := range res.Findings {
			found = found || (f.Commit != "" && f.Profile == "main")
		}
		if history && (!found || res.Commits != 1000) {
			b.Fatalf("the secret of commit 500 was not found (%d commits, %d findings)", res.Commits, len(res.Findings))
		}
		if res.Files != 10000 {
			b.Fatalf("%d files scanned", res.Files)
		}
	}
	b.Run("files+history", func(b *testing.B) {
		for b.Loop() {
			res, err := Run(context.Background(), opts)
			if err != nil {
				b.Fatal(err)
			}
			check(b, res, true)
		}
	})
	b.Run("files", func(b *testing.B) {
		o := opts
		o.NoHistory = true
		for b.Loop() {
			res, err := Run(context.Background(), o)
			if err != nil {
				b.Fatal(err)
			}
			check(b, res, false)
		}
	})
}

// TestGeneratedRepo runs the benchmark's repository once, smaller, in the
// normal test run: a secret committed and deleted 50 commits deep is found.
func TestGeneratedRepo(t *testing.T) {
	s, k := storedKey(t)
	dir := genRepo(t, 10, 20, 100, k.Secret)
	res := runScan(t, dir, s)
	if len(res.Findings) != 1 || res.Findings[0].Path != "config/.env" || res.Findings[0].Commit == "" || res.Commits != 100 {
		t.Fatalf("%+v (%d commits)", res.Findings, res.Commits)
	}
}
