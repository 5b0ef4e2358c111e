package scan

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

const fpA = "kw1:0123456789abcdef0123"

func TestParseAllowList(t *testing.T) {
	good := `# accepted findings
[[allow]]
fingerprint = "` + fpA + `"
reason = "the example key from Binance's API docs"

[[allow]]
path = "testdata/**"
kind = "key-shaped"
reason = "recorded responses with made-up keys"

[[allow]]
path = "fixtures/"
reason = "fixtures"
`
	a, err := ParseAllowList([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Entries) != 3 {
		t.Fatalf("%+v", a.Entries)
	}
	for _, tc := range []struct {
		src, want string
	}{
		{`[[allow]]` + "\n" + `fingerprint = "` + fpA + `"`, "reason is required"},
		{`[[allow]]` + "\n" + `fingerprint = "` + fpA + `"` + "\nreason = \"  \"", "reason is required"},
		{`[[allow]]` + "\n" + `reason = "x"`, "give a path or a fingerprint"},
		{`[[allow]]` + "\n" + `kind = "key-shaped"` + "\nreason = \"x\"", "give a path or a fingerprint"},
		{`[[allow]]` + "\n" + `fingerprint = "abc"` + "\nreason = \"x\"", "fingerprint is not one scan prints"},
		{`[[allow]]` + "\n" + `path = "x"` + "\nreason = \"x\"\nresaon = \"typo\"", `unknown key "allow.resaon"`},
		{`[[alow]]` + "\n" + `path = "x"`, `unknown key "alow`},
		{`[[allow]]` + "\n" + `path = "/etc/x"` + "\nreason = \"x\"", "drop the leading /"},
		{`[[allow]]` + "\n" + `path = "a/../b"` + "\nreason = \"x\"", "element"},
		{`[[allow]]` + "\n" + `path = "a/[b"` + "\nreason = \"x\"", "not a valid pattern"},
		{`[[allow]]` + "\n" + `path = "x"` + "\nkind = \"nope\"\nreason = \"x\"", "kind \"nope\""},
		{`[[allow]]` + "\n" + `path = "x"` + "\nreason = \"" + strings.Repeat("y", 301) + "\"", "longer than 300"},
		{"[[allow]\npath = 1", ": not valid TOML (expected end of table array"},
		{`[[allow]]` + "\n" + `path = 1` + "\nreason = \"x\"", "not valid TOML"},
	} {
		_, err := ParseAllowList([]byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.src, err, tc.want)
		}
	}
}

func TestAllowListMatches(t *testing.T) {
	a, err := ParseAllowList([]byte(`
[[allow]]
fingerprint = "` + fpA + `"
reason = "by fingerprint"
[[allow]]
path = "**/testdata/*.json"
kind = "key-shaped"
reason = "recorded"
[[allow]]
path = "docs/"
reason = "docs"
`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		f    Finding
		want string
	}{
		{Finding{Path: "anything.env", Fingerprint: fpA}, "by fingerprint"},
		{Finding{Path: "anything.env", Fingerprint: "kw1:ffffffffffffffffffff"}, ""},
		{Finding{Path: "exchanges/okx/testdata/a.json", Kind: KindShaped}, "recorded"},
		{Finding{Path: "testdata/a.json", Kind: KindShaped}, "recorded"},
		{Finding{Path: "testdata/a.json", Kind: KindStored}, ""},
		{Finding{Path: "testdata/sub/a.json", Kind: KindShaped}, ""},
		{Finding{Path: "docs/a/b/c.md", Kind: KindStored}, "docs"},
		{Finding{Path: "docs", Kind: KindStored}, "docs"},
		{Finding{Path: "docsx/a.md", Kind: KindStored}, ""},
	} {
		e, ok := a.Allows(tc.f)
		if (tc.want == "") == ok || ok && e.Reason != tc.want {
			t.Errorf("%s %s: %v %q, want %q", tc.f.Path, tc.f.Kind, ok, e.Reason, tc.want)
		}
	}
	var nilList *AllowList
	if _, ok := nilList.Allows(Finding{Path: "x"}); ok {
		t.Error("no allow-list accepted a finding")
	}
}

func TestBaselineAndFilter(t *testing.T) {
	res := sampleResult()
	js, _ := json.Marshal(res)
	var sarif bytes.Buffer
	if err := WriteSARIF(&sarif, res, "dev"); err != nil {
		t.Fatal(err)
	}
	for name, doc := range map[string][]byte{"json": js, "sarif": sarif.Bytes()} {
		b, err := ReadBaseline(bytes.NewReader(doc))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if b.Len() != len(res.Findings) {
			t.Errorf("%s: %d fingerprints, want %d", name, b.Len(), len(res.Findings))
		}
		// The same scan again, plus one new finding: only the new one is left.
		again := sampleResult()
		fresh := Finding{Path: "new.env", Line: 1, Kind: KindShaped, Severity: High, What: "new"}
		fresh.Fingerprint = fingerprint(fresh, []byte("S=abc"))
		again.Findings = append(again.Findings, fresh)
		Filter(&again, "", nil, "", b, "base.json")
		if len(again.Findings) != 1 || again.Findings[0].Path != "new.env" {
			t.Errorf("%s: left %v", name, paths(again.Findings))
		}
		if n := again.Notes[len(again.Notes)-1]; !strings.Contains(n, "5 findings already in the baseline base.json") {
			t.Errorf("%s: note %q", name, n)
		}
	}

	allow, _ := ParseAllowList([]byte("[[allow]]\npath = \"*.pem\"\nreason = \"a test key\"\n"))
	r := sampleResult()
	Filter(&r, "", allow, AllowListFile, nil, "")
	if len(r.Findings) != 4 || !strings.Contains(strings.Join(r.Notes, "\n"), "1 findings accepted by .keywarden-scan.toml (a test key)") {
		t.Errorf("%v %v", paths(r.Findings), r.Notes)
	}

	for _, tc := range []struct{ doc, want string }{
		{`{"findings": [{"path": "a"}]}`, "older keywarden"},
		{`{"runs": [{"results": [{"partialFingerprints": {"primaryLocationLineHash": "x"}}]}]}`, "another tool"},
		{`{"other": 1}`, "neither"},
		{`[1, 2`, "not the output"},
		{`{"findings": 3}`, "not the output"},
		{`{"findings": [`, "not the output"},
		{`{"findings": [}`, "not valid JSON"},
	} {
		_, err := ReadBaseline(strings.NewReader(tc.doc))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.doc, err, tc.want)
		}
	}
	if b, err := ReadBaseline(strings.NewReader(`{"findings": []}`)); err != nil || b.Len() != 0 {
		t.Errorf("an empty baseline: %v", err)
	}
}

func FuzzParseAllowList(f *testing.F) {
	f.Add([]byte("[[allow]]\npath = \"testdata/**\"\nreason = \"x\"\n"))
	f.Add([]byte("[[allow]]\nfingerprint = \"" + fpA + "\"\nkind = \"key-shaped\"\nreason = \"y\"\n"))
	f.Add([]byte("[[allow]]\npath = \"**/a/**/b/**/*.json\"\nreason = \"z\"\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := ParseAllowList(b)
		if err != nil {
			return
		}
		for _, e := range a.Entries {
			if e.Reason == "" || e.Path == "" && e.Fingerprint == "" {
				t.Fatalf("accepted %+v", e)
			}
			a.Allows(Finding{Path: "a/b/testdata/c/d/e/f/g.json", Kind: KindShaped, Fingerprint: fpA})
		}
	})
}

func FuzzReadBaseline(f *testing.F) {
	res := sampleResult()
	js, _ := json.Marshal(res)
	var sarif bytes.Buffer
	_ = WriteSARIF(&sarif, res, "dev")
	f.Add(js)
	f.Add(sarif.Bytes())
	f.Add([]byte(`{"findings": []}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		base, err := ReadBaseline(bytes.NewReader(b))
		if err == nil && base == nil {
			t.Fatal("nil baseline without an error")
		}
	})
}
