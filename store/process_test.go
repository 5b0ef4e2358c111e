package store

import (
	"bufio"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// child prepares this test binary as a child process in mode.
func child(mode string, env ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), childEnv+"="+mode), env...)
	return cmd
}

// checkAll opens dir with each passphrase, requires that exactly one opens
// it, and that every listed profile decrypts to its expected credentials
// with that one. It returns the names listed.
func checkAll(t *testing.T, dir string, passes ...string) map[string]bool {
	t.Helper()
	var good []string
	for _, p := range passes {
		s, _ := openTest(t, dir, p)
		err := s.Unlock()
		switch {
		case err == nil:
			good = append(good, p)
		case !errors.Is(err, ErrWrongPassphrase):
			t.Fatalf("unlock: %v", err)
		}
	}
	if len(good) != 1 {
		t.Fatalf("%d of the passphrases open the keyring, want exactly 1", len(good))
	}
	s, _ := openTest(t, dir, good[0])
	names := map[string]bool{}
	for _, n := range listNames(t, s) {
		c, err := s.Credentials(n)
		if err != nil {
			t.Fatalf("profile %s: %v", n, err)
		}
		if !sameCreds(c, creds(n)) {
			t.Fatalf("profile %s: wrong credentials", n)
		}
		names[n] = true
	}
	return names
}

func TestConcurrentAddsGoroutines(t *testing.T) {
	dir := t.TempDir()
	shared, _ := openTest(t, dir, testPass) // half the goroutines share one Store
	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := shared
			if i%2 == 1 {
				s, _ = openTest(t, dir, testPass)
			}
			<-start
			name := fmt.Sprintf("g%02d", i)
			errs <- s.Add(profile(name), creds(name))
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if names := checkAll(t, dir, testPass); len(names) != 20 {
		t.Fatalf("%d profiles after 20 concurrent adds", len(names))
	}
}

func TestConcurrentAddsProcesses(t *testing.T) {
	dir := t.TempDir()
	startFile := filepath.Join(t.TempDir(), "go")
	var cmds []*exec.Cmd
	for i := 0; i < 20; i++ {
		cmd := child("add-one", "KW_DIR="+dir, "KW_PASS="+testPass, "KW_GO="+startFile, fmt.Sprintf("KW_NAME=p%02d", i))
		cmd.Stderr = &strings.Builder{}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	// All twenty are up and waiting (each on the same brand-new folder);
	// now release them at once.
	if err := os.WriteFile(startFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("child %d: %v: %s", i, err, cmd.Stderr)
		}
	}
	if names := checkAll(t, dir, testPass); len(names) != 20 {
		t.Fatalf("%d profiles after 20 concurrent processes", len(names))
	}
}

// TestKillAnyInstant SIGKILLs child processes at random moments while they
// add and remove profiles or change the passphrase back and forth. After
// each kill, exactly one of the two passphrases must open the keyring, and
// every profile whose add had finished must still decrypt.
func TestKillAnyInstant(t *testing.T) {
	iterations := 32
	if testing.Short() {
		iterations = 12
	}
	const passA, passB = "first passphrase A", "second passphrase B"
	dir := t.TempDir()
	s, _ := openTest(t, dir, passA)
	for i := 0; i < 3; i++ {
		mustAdd(t, s, fmt.Sprintf("base-%d", i))
	}
	saved := map[string]bool{"base-0": true, "base-1": true, "base-2": true}
	removed := map[string]bool{}
	changes, kills := 0, 0
	// The longest random delay per mode adapts to how long one operation
	// takes on this machine (a change under -race is ten times slower), so
	// that kills land both inside operations and between them.
	maxDelay := map[string]time.Duration{"churn": 40 * time.Millisecond, "change": 100 * time.Millisecond}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	for it := 0; it < iterations; it++ {
		mode := "churn"
		if it%2 == 1 {
			mode = "change"
		}
		cmd := child(mode, "KW_DIR="+dir, "KW_PASS_A="+passA, "KW_PASS_B="+passB,
			"KW_PASS="+currentPass(t, dir, passA, passB), fmt.Sprintf("KW_PREFIX=c%03d", it))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		stderr := &strings.Builder{}
		cmd.Stderr = stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 1000)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		select {
		case l, ok := <-lines:
			if !ok || l != "ready" {
				_ = cmd.Wait()
				t.Fatalf("iteration %d (%s): child did not start: %q %s", it, mode, l, stderr)
			}
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatalf("iteration %d: child not ready", it)
		}
		time.Sleep(time.Duration(rng.Int64N(int64(maxDelay[mode]))))
		_ = cmd.Process.Kill() // SIGKILL on Unix: no deferred code runs
		err = cmd.Wait()
		done := 0
		for l := range lines {
			done++
			switch f := strings.Fields(l); f[0] {
			case "added":
				saved[f[1]] = true
			case "removed":
				delete(saved, f[1])
				removed[f[1]] = true
			case "changed":
				changes++
			}
		}
		if err == nil {
			t.Fatalf("iteration %d: child exited by itself: %s", it, stderr)
		} else if strings.Contains(stderr.String(), "child:") {
			t.Fatalf("iteration %d: child failed before the kill: %s", it, stderr)
		}
		kills++
		switch {
		case done == 0 && maxDelay[mode] < 2*time.Second:
			maxDelay[mode] = maxDelay[mode] * 3 / 2
		case done > 3:
			maxDelay[mode] = maxDelay[mode] * 2 / 3
		}
		names := checkAll(t, dir, passA, passB)
		if mode == "churn" {
			// The child may have finished removing the oldest churned
			// profile and been killed before it said so: that one only
			// may be gone unannounced.
			if old := oldestChurned(saved); old != "" && !names[old] {
				delete(saved, old)
				removed[old] = true
			}
		}
		for n := range saved {
			if !names[n] {
				t.Fatalf("iteration %d (%s): profile %s was saved before the kill and is gone", it, mode, n)
			}
		}
		for n := range removed {
			if names[n] {
				t.Fatalf("iteration %d: profile %s was removed before the kill and is back", it, n)
			}
		}
	}
	t.Logf("%d kills, %d passphrase changes and %d profiles survived; delays up to %v", kills, changes, len(saved), maxDelay)
	if changes == 0 {
		t.Error("no passphrase change completed before a kill: the switch to a new passphrase was never tested")
	}
	// A last write cleans every leftover: one generation, no temp file.
	s, _ = openTest(t, dir, currentPass(t, dir, passA, passB))
	if err := s.Update("base-0", func(p *Profile) error { p.BaseURL = ""; return nil }); err != nil {
		t.Fatal(err)
	}
	var gens []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if generationPattern.MatchString(e.Name()) {
			gens = append(gens, e.Name())
		}
		if isTemp(e.Name()) {
			t.Errorf("temp file %s left", e.Name())
		}
	}
	if tmps, _ := os.ReadDir(filepath.Join(dir, tmpDirName)); len(tmps) != 0 || len(gens) != 1 {
		t.Errorf("after cleanup: generations %v, %d temp files", gens, len(tmps))
	}
}

// currentPass returns whichever of a and b opens dir.
func currentPass(t *testing.T, dir, a, b string) string {
	t.Helper()
	s, _ := openTest(t, dir, a)
	if err := s.Unlock(); err == nil {
		return a
	}
	return b
}

// oldestChurned is the name a churn child removes next.
func oldestChurned(saved map[string]bool) string {
	old := ""
	for n := range saved {
		if strings.HasPrefix(n, "c") && (old == "" || n < old) {
			old = n
		}
	}
	return old
}
