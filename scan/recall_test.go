package scan

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/scan/leaktest"
)

func writeFiles(t testing.TB, dir string, files []leaktest.File) {
	t.Helper()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// TestPlantedShapes: the generated keys have the shapes the exchanges' own
// validators accept, so recall is measured on realistic keys.
func TestPlantedShapes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, in := range infos() {
		for i := 0; i < 20; i++ {
			k := leaktest.NewKey(rng, in.ID)
			for _, f := range in.Fields {
				v := map[string]string{FieldKey: k.Key, FieldSecret: k.Secret, FieldPassphrase: k.Passphrase}[f.ID]
				if f.Check != nil && f.Check(v) != nil {
					t.Fatalf("%s %s: the generated value is refused: %v", in.ID, f.ID, f.Check(v))
				}
			}
		}
	}
}

// place is where a finding or a planted value is.
func place(path string, line int) string { return fmt.Sprintf("%s:%d", path, line) }

// TestRecallAndPrecision plants a key of every exchange in every bot
// config format (keys, secrets and passphrases; base64 in Kubernetes
// Secrets; PEM keys; one-line JSON), adds files that only look like keys,
// and keys in test fixtures. At the default level every planted value is
// found where it was written, nothing else is, and the fixtures' keys are
// left out (counted); at severity info they are there, as fixtures.
func TestRecallAndPrecision(t *testing.T) {
	for seed := uint64(1); seed <= 8; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 7))
			files, planted := leaktest.All(rng, "bots")
			files = append(files, leaktest.Decoys(rng, "bots/decoys")...)
			fx, fixtures := leaktest.Fixtures(rng, "bots/fx")
			files = append(files, fx...)
			dir := t.TempDir()
			writeFiles(t, dir, files)

			res := runScan(t, dir)
			checkRecall(t, res.Findings, planted)
			if res.BelowLevel < len(fixtures) {
				t.Errorf("%d findings below the default level, want at least the %d fixture values", res.BelowLevel, len(fixtures))
			}
			all, err := Run(t.Context(), Options{Root: dir, Infos: infos(), MinSeverity: Info})
			if err != nil {
				t.Fatal(err)
			}
			var infoLevel []Finding
			for _, f := range all.Findings {
				if f.Severity == Info {
					infoLevel = append(infoLevel, f)
					if !strings.Contains(f.What, "test fixture") {
						t.Errorf("%s: %q does not say it is a fixture", place(f.Path, f.Line), f.What)
					}
				}
			}
			checkRecall(t, infoLevel, fixtures)
		})
	}
}

// checkRecall fails for a planted value with no finding at its place, and
// for a finding where nothing was planted (a false positive).
func checkRecall(t *testing.T, found []Finding, planted []leaktest.Planted) {
	t.Helper()
	want := map[string]leaktest.Planted{}
	for _, p := range planted {
		want[fmt.Sprintf("%s:%d:%d", p.Path, p.Line, p.Column)] = p
	}
	got := map[string]bool{}
	for _, f := range found {
		k := fmt.Sprintf("%s:%d:%d", f.Path, f.Line, f.Column)
		p, ok := want[k]
		if !ok {
			t.Errorf("false positive: %s %s %q", k, f.Kind, f.What)
			continue
		}
		got[k] = true
		if f.Exchange != "" && p.Exchange != "" && f.Exchange != p.Exchange || f.Field != "" && f.Field != p.Field {
			t.Errorf("%s: found as %s %s, planted %s %s (%s)", k, f.Exchange, f.Field, p.Exchange, p.Field, p.Format)
		}
	}
	for k, p := range want {
		if !got[k] {
			t.Errorf("missed: the %s %s %s at %s", p.Exchange, p.Format, p.Field, k)
		}
	}
}

// TestRecallManySeeds measures recall on 22,500 planted values (100 seeds)
// straight through the detector: keys are random, and a few random keys
// look like words (an 8-letter Deribit id in one case) or hold filler (a
// "fake" inside), so recall is a rate; precision on the decoys must be
// exact. The rate is logged.
func TestRecallManySeeds(t *testing.T) {
	d := newDetector(nil, infos())
	total, missed := 0, 0
	for seed := uint64(100); seed < 200; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		files, planted := leaktest.All(rng, "bots")
		files = append(files, leaktest.Decoys(rng, "bots/decoys")...)
		want := map[string]leaktest.Planted{}
		for _, p := range planted {
			want[fmt.Sprintf("%s:%d:%d", p.Path, p.Line, p.Column)] = p
		}
		got := map[string]bool{}
		for _, f := range files {
			for _, fd := range d.scanBytes(t.Context(), f.Path, f.Data, true).findings() {
				k := fmt.Sprintf("%s:%d:%d", fd.Path, fd.Line, fd.Column)
				if _, ok := want[k]; !ok {
					t.Errorf("seed %d: false positive at %s: %s", seed, k, fd.What)
				}
				got[k] = true
			}
		}
		for k, p := range want {
			total++
			if !got[k] {
				missed++
				t.Logf("seed %d: missed the %s %s %s at %s", seed, p.Exchange, p.Format, p.Field, k)
			}
		}
	}
	t.Logf("recall %d/%d (%.3f%%)", total-missed, total, 100*float64(total-missed)/float64(total))
	if missed*1000 > total {
		t.Errorf("missed %d of %d planted values", missed, total)
	}
}
