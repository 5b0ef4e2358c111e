package scan

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The SARIF 2.1.0 schema (OASIS, errata 01) is vendored in testdata: the
// test never fetches it.
func sarifValidator(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat() // uri, uri-reference, date-time are checked, not just noted
	if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validateSARIF(t *testing.T, sch *jsonschema.Schema, b []byte) {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(v); err != nil {
		t.Fatalf("SARIF does not validate against the 2.1.0 schema: %v\n%s", err, b)
	}
}

func sampleResult() Result {
	fs := []Finding{
		{Path: "bot/config.json", Line: 7, Kind: KindShaped, Severity: High, Exchange: "binance", Field: FieldSecret, What: "a value with the shape of a Binance secret key", Git: GitStaged},
		{Path: "old keys/a:b#1%.env", Line: 2, Commit: strings.Repeat("ab", 20), Date: "2024-05-01", Kind: KindStored, Severity: High, Profile: "main", Exchange: "binance", Field: FieldSecret, Encoding: "base64", What: "the secret of profile main (Binance), base64"},
		{Path: ".env", Kind: KindExposed, Severity: Medium, What: "a config file holding keys that git does not ignore", Git: "untracked"},
		{Path: "k.pem", Line: 1, Kind: KindPrivateKey, Severity: Low, What: "a PEM EC private key"},
		{Path: "x.txt", Line: 3, Kind: "fixture-key", Severity: Low, What: "a key in a test fixture"},
	}
	for i := range fs {
		fs[i].Fingerprint = fingerprint(fs[i], nil)
	}
	return Result{Findings: fs, Notes: []string{"no keys in the keyring"}}
}

func TestSARIFValidatesAgainstTheSchema(t *testing.T) {
	sch := sarifValidator(t)
	var empty bytes.Buffer
	if err := WriteSARIF(&empty, Result{}, "dev"); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, sch, empty.Bytes())

	res := sampleResult()
	var out bytes.Buffer
	if err := WriteSARIF(&out, res, "1.2.3"); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, sch, out.Bytes())

	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID         string            `json:"id"`
						Properties map[string]any    `json:"properties"`
						Default    map[string]string `json:"defaultConfiguration"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine int }
					}
				}
				PartialFingerprints map[string]string
				Properties          map[string]string
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(out.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if len(run.Results) != len(res.Findings) {
		t.Fatalf("%d results for %d findings", len(run.Results), len(res.Findings))
	}
	for i, r := range run.Results {
		f := res.Findings[i]
		rule := run.Tool.Driver.Rules[r.RuleIndex]
		if r.RuleID != f.Kind || rule.ID != f.Kind {
			t.Errorf("result %d: rule %q (index %d → %q), want %q", i, r.RuleID, r.RuleIndex, rule.ID, f.Kind)
		}
		if rule.Properties["security-severity"] == nil || rule.Properties["precision"] == nil {
			t.Errorf("rule %s lacks GitHub's properties: %v", rule.ID, rule.Properties)
		}
		if r.PartialFingerprints[SARIFFingerprintKey] != f.Fingerprint || r.PartialFingerprints["primaryLocationLineHash"] != "" {
			t.Errorf("result %d fingerprints %v", i, r.PartialFingerprints)
		}
		if r.Locations[0].PhysicalLocation.Region.StartLine < 1 {
			t.Errorf("result %d: start line %d", i, r.Locations[0].PhysicalLocation.Region.StartLine)
		}
	}
	hist := run.Results[1]
	if hist.Properties["commit"] != res.Findings[1].Commit || !strings.Contains(hist.Message.Text, "commit abababababab") {
		t.Errorf("history result lacks its commit: %+v", hist)
	}
	if u := hist.Locations[0].PhysicalLocation.ArtifactLocation.URI; u != "old%20keys/a:b%231%25.env" {
		t.Errorf("uri %q", u)
	}
	if run.Results[0].Level != "error" || run.Results[2].Level != "warning" || run.Results[3].Level != "note" {
		t.Errorf("levels %s %s %s", run.Results[0].Level, run.Results[2].Level, run.Results[3].Level)
	}
	seen := map[string]bool{}
	for _, r := range run.Tool.Driver.Rules {
		if seen[r.ID] {
			t.Errorf("rule %s twice", r.ID)
		}
		seen[r.ID] = true
	}
	for _, k := range append(Kinds(), "fixture-key") {
		if !seen[k] {
			t.Errorf("no rule for %s", k)
		}
	}
}

func TestPathURI(t *testing.T) {
	for in, want := range map[string]string{
		"a/b.txt": "a/b.txt", "c:d/e": "./c:d/e", "a b/ü.env": "a%20b/%C3%BC.env", "q?x#y": "q%3Fx%23y",
	} {
		if got := pathURI(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}
