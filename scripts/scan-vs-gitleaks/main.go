// Command scan-vs-gitleaks times `keywarden scan` and `gitleaks` side by
// side on a generated repository and prints, for both, the time, the
// recall of the planted values and the false positives.
//
// The repository (git fast-import: about -files files, -commits commits)
// has a key of every exchange planted in every bot config format
// (scan/leaktest: .env, freqtrade, hummingbot, docker-compose, Kubernetes
// Secrets, ccxt Python, one-line JSON; keys, secrets and passphrases),
// each committed and deleted by the next commit, and decoys that look like
// keys. A finding counts for a planted value when it is on the value's
// line in the commit that added it (and its columns, if given, overlap the
// value); any other finding is a false positive. No value is printed.
//
// With -check it exits 1 unless keywarden finds every planted value with
// no false positive (CI runs it on a small repository that way).
//
//	go run ./scripts/scan-vs-gitleaks -keywarden ./keywarden -gitleaks gitleaks
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"
)

func main() {
	files := flag.Int("files", 10000, "files in the working tree")
	commits := flag.Int("commits", 1000, "commits in the history")
	runs := flag.Int("runs", 3, "runs of each tool (the fastest and the median are shown)")
	kw := flag.String("keywarden", "keywarden", "the keywarden binary")
	gl := flag.String("gitleaks", "gitleaks", "the gitleaks binary; empty: keywarden only")
	keep := flag.String("keep", "", "generate the repository in this (new) folder and keep it")
	check := flag.Bool("check", false, "exit 1 unless keywarden finds every planted value and nothing else")
	flag.Parse()
	if err := bench(*files, *commits, *runs, *kw, *gl, *keep, *check); err != nil {
		fmt.Fprintln(os.Stderr, "scan-vs-gitleaks:", err)
		os.Exit(1)
	}
}

func bench(files, commits, runs int, kw, gl, keep string, check bool) error {
	dir := keep
	if dir == "" {
		d, err := os.MkdirTemp("", "scan-vs-gitleaks-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		dir = d
	} else if err := os.Mkdir(dir, 0o755); err != nil {
		return err
	}
	start := time.Now()
	r, err := generate(dir, files, commits, 1)
	if err != nil {
		return err
	}
	fmt.Printf("repository: %d files, %d commits (generated in %v); %s, each committed then deleted\n",
		r.files, r.commits, time.Since(start).Round(time.Millisecond), plantedWords(r.planted))
	if out, err := exec.Command("uptime").Output(); err == nil {
		fmt.Printf("machine: %s", out)
	}
	type tool struct {
		name    string
		run     func(bin, dir string, history bool) (result, error)
		bin     string
		history bool
	}
	tools := []tool{{"keywarden scan", runKeywarden, kw, true}, {"keywarden scan --no-history", runKeywarden, kw, false}}
	if gl != "" {
		tools = append(tools, tool{"gitleaks git", runGitleaks, gl, true}, tool{"gitleaks dir", runGitleaks, gl, false})
	}
	fmt.Printf("\n%-28s %22s %14s %9s %16s\n", "", "time: best / median", "recall", "findings", "false positives")
	best := map[string]time.Duration{}
	var kwScore score
	var scores []score
	for _, t := range tools {
		var times []time.Duration
		var last result
		for i := 0; i < runs; i++ {
			res, err := t.run(t.bin, dir, t.history)
			if err != nil {
				return err
			}
			times, last = append(times, res.took), res
		}
		slices.Sort(times)
		planted := r.planted
		if !t.history {
			planted = nil // nothing planted is left in the working tree
		}
		sc := match(planted, last.findings, t.history)
		recall := "-"
		if t.history {
			recall = fmt.Sprintf("%d/%d", sc.recall(), len(planted))
			scores = append(scores, sc)
		}
		fmt.Printf("%-28s %10s / %-9s %14s %9d %16d\n", t.name, round(times[0]), round(times[len(times)/2]), recall, len(last.findings), len(sc.falsePositives))
		best[t.name] = times[0]
		if t.name == "keywarden scan" {
			kwScore = sc
		}
		for i, f := range sc.falsePositives {
			if i == 5 {
				fmt.Printf("    … and %d more\n", len(sc.falsePositives)-5)
				break
			}
			fmt.Printf("    false positive: %s:%d %.12s %s\n", f.path, f.line, f.commit, f.what)
		}
	}
	if g := best["gitleaks git"]; g > 0 {
		fmt.Printf("\nkeywarden scan (files and full history) is %.1f× as fast as gitleaks git; --no-history %.1f× as fast as gitleaks dir\n",
			float64(g)/float64(best["keywarden scan"]), float64(best["gitleaks dir"])/float64(best["keywarden scan --no-history"]))
	}
	printGroups(r.planted, scores, gl != "")
	if check && (kwScore.recall() != len(r.planted) || len(kwScore.falsePositives) > 0) {
		return fmt.Errorf("keywarden found %d of %d planted values with %d false positives", kwScore.recall(), len(r.planted), len(kwScore.falsePositives))
	}
	return nil
}

// printGroups prints recall per field and per format, for each tool that
// scanned the history.
func printGroups(planted []plant, scores []score, withGitleaks bool) {
	names := []string{"keywarden"}
	if withGitleaks {
		names = append(names, "gitleaks")
	}
	for _, g := range []struct {
		title string
		key   func(plant) string
	}{{"field", func(p plant) string { return p.Field }}, {"format", func(p plant) string { return p.Format }}} {
		fmt.Printf("\nrecall by %s:%s\n", g.title, strings.Repeat(" ", 12)+strings.Join(names, "   "))
		keys, _, total := byGroup(planted, scores[0], g.key)
		for _, k := range keys {
			fmt.Printf("  %-22s", k)
			for i := range names {
				_, found, _ := byGroup(planted, scores[i], g.key)
				fmt.Printf(" %5d/%-5d", found[k], total[k])
			}
			fmt.Println()
		}
	}
}

func plantedWords(p []plant) string {
	count := map[string]int{}
	for _, v := range p {
		count[v.Field]++
	}
	return fmt.Sprintf("%d planted values (%d keys, %d secrets, %d passphrases)", len(p), count["key"], count["secret"], count["passphrase"])
}

func round(d time.Duration) string {
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(10 * time.Millisecond).String()
}
