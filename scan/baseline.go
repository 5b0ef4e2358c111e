package scan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// maxBaseline bounds a baseline file: a previous output, which holds no
// content, only findings.
const maxBaseline = 64 << 20

// Baseline is the fingerprints of a previous scan's findings (its JSON or
// SARIF output): with it, only new findings are reported.
type Baseline struct {
	fps map[string]bool
}

// ReadBaseline reads a previous `scan --format json` or `--format sarif`
// output.
func ReadBaseline(r io.Reader) (*Baseline, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxBaseline+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxBaseline {
		return nil, fmt.Errorf("more than %d MiB: not a scan output", maxBaseline>>20)
	}
	return parseBaseline(data)
}

func parseBaseline(data []byte) (*Baseline, error) {
	var doc struct {
		Findings *[]struct {
			Fingerprint string `json:"fingerprint"`
		} `json:"findings"`
		Runs *[]struct {
			Results []struct {
				PartialFingerprints map[string]string `json:"partialFingerprints"`
			} `json:"results"`
		} `json:"runs"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return nil, fmt.Errorf("not valid JSON (problem at byte %d): give the output of `keywarden scan --format json` or `--format sarif`", syn.Offset)
		}
		return nil, errors.New("not the output of `keywarden scan --format json` or `--format sarif`")
	}
	b := &Baseline{fps: map[string]bool{}}
	total := 0
	switch {
	case doc.Findings != nil:
		for _, f := range *doc.Findings {
			total++
			if validFingerprint(f.Fingerprint) {
				b.fps[f.Fingerprint] = true
			}
		}
	case doc.Runs != nil:
		for _, run := range *doc.Runs {
			for _, r := range run.Results {
				total++
				if fp := r.PartialFingerprints[SARIFFingerprintKey]; validFingerprint(fp) {
					b.fps[fp] = true
				}
			}
		}
	default:
		return nil, errors.New(`neither "findings" (keywarden's JSON) nor "runs" (SARIF): give the output of ` + "`keywarden scan --format json` or `--format sarif`")
	}
	if total > 0 && len(b.fps) == 0 {
		return nil, fmt.Errorf("none of its %d findings has a keywarden fingerprint (%s…): it was made by another tool or an older keywarden; run the scan again to make a new baseline", total, FingerprintPrefix)
	}
	return b, nil
}

// Len is the number of distinct findings in the baseline.
func (b *Baseline) Len() int {
	if b == nil {
		return 0
	}
	return len(b.fps)
}

// Has reports whether the baseline holds the fingerprint.
func (b *Baseline) Has(fp string) bool { return b != nil && fp != "" && b.fps[fp] }

// Filter sets aside the findings that the allow-list accepts or the
// baseline already holds, and says so in res.Notes (how many, and where to
// look). Findings must have their fingerprints. root is the scanned
// folder: allow-list paths are matched from the repository's top.
func Filter(res *Result, root string, allow *AllowList, allowName string, base *Baseline, baseName string) {
	var kept []Finding
	allowed, known := 0, 0
	reasons := map[string]int{}
	prefix := treePrefix(res.Repo, root)
	for _, f := range res.Findings {
		g := f
		g.Path = repoPath(prefix, f)
		if e, ok := allow.Allows(g); ok {
			allowed++
			reasons[e.Reason]++
			continue
		}
		if base.Has(f.Fingerprint) {
			known++
			continue
		}
		kept = append(kept, f)
	}
	res.Findings = kept
	if allowed > 0 {
		var rs []string
		for r := range reasons {
			rs = append(rs, r)
		}
		sort.Strings(rs)
		if len(rs) > 3 {
			rs = append(rs[:3], "…")
		}
		res.Notes = append(res.Notes, fmt.Sprintf("%d findings accepted by %s (%s)", allowed, allowName, strings.Join(rs, "; ")))
	}
	if base != nil {
		res.Notes = append(res.Notes, fmt.Sprintf("%d findings already in the baseline %s are not shown: only new ones are", known, baseName))
	}
}
