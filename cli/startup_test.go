package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/exchanges/sim"
)

// TestRunewidthInitIsLazy guards start-up time: go-runewidth up to
// v0.0.27 filled a 2 MB lookup table over every rune in init(), about 20 ms
// of every run, even `--version`. v0.0.28 builds it on first use (upstream
// issue #104). The charm.land modules require older versions; the module
// graph must keep selecting a lazy one.
func TestRunewidthInitIsLazy(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Version}}", "github.com/mattn/go-runewidth").Output()
	if err != nil {
		t.Fatalf("go list -m: %v", err)
	}
	{
		v := strings.TrimSpace(string(out))
		parts := strings.Split(strings.TrimPrefix(v, "v"), ".")
		patch, err := strconv.Atoi(strings.SplitN(parts[len(parts)-1], "-", 2)[0])
		if len(parts) != 3 || parts[0] != "0" || parts[1] != "0" || err != nil {
			t.Skipf("go-runewidth %s: not a v0.0.N version, check its init() by hand (GODEBUG=inittrace=1)", v)
		}
		if patch < 28 {
			t.Fatalf("go-runewidth %s builds its width table in init(), ~20 ms of every start; require v0.0.28 or later", v)
		}
	}
}

// BenchmarkStartup times whole processes of the built binary: the
// commands that draw nothing must start in well under 20 ms.
//
//	go test ./cli -run x -bench Startup -benchtime 50x
func BenchmarkStartup(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "keywarden")
	if out, err := exec.Command("go", "build", "-o", bin, "..").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	sc, _ := sim.Default("binance")
	srv, err := sim.Listen(sc, "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	env := append(os.Environ(), "KEYWARDEN_DIR="+filepath.Join(dir, "kw"), "KEYWARDEN_PASSPHRASE=correct horse battery")
	add := exec.Command(bin, "add", "main", "--exchange", "binance", "--base-url", srv.URL)
	add.Env, add.Stdin = env, strings.NewReader(credsJSON(sc.Keys[0]))
	if out, err := add.CombinedOutput(); err != nil {
		b.Fatalf("add: %v\n%s", err, out)
	}
	for _, args := range [][]string{{"--version"}, {"list"}, {"show", "main"}} {
		b.Run(strings.Join(args, "_"), func(b *testing.B) {
			for b.Loop() {
				cmd := exec.Command(bin, args...)
				cmd.Env = env
				if out, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("%v: %v\n%s", args, err, out)
				}
			}
		})
	}
}
