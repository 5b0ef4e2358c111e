package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/exchanges/sim"
)

const goodKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
const goodSecret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"

func goodCreds() string { return `{"key":"` + goodKey + `","secret":"` + goodSecret + `"}` }

// snapshot hashes every file under dir with its mode.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var rows []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		info, _ := d.Info()
		row := p + " " + info.Mode().String()
		if !d.IsDir() {
			b, _ := os.ReadFile(p)
			h := sha256.Sum256(b)
			row += " " + hex.EncodeToString(h[:])
		}
		rows = append(rows, row)
		return nil
	})
	sort.Strings(rows)
	return strings.Join(rows, "\n")
}

func TestAddRefusesBadInputAndChangesNothing(t *testing.T) {
	c := newCLI(t)
	if _, e, code := c.run(goodCreds(), "add", "first", "--exchange", "binance"); code != 0 {
		t.Fatalf("first add: %d %s", code, e)
	}
	before := snapshot(t, c.env["KEYWARDEN_DIR"])
	cases := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"unknown exchange", goodCreds(), []string{"add", "x", "--exchange", "mtgox"}, `unknown exchange "mtgox"`},
		{"no exchange", goodCreds(), []string{"add", "x"}, "--exchange is required"},
		{"bad name", goodCreds(), []string{"add", "Bad Name", "--exchange", "binance"}, "invalid profile name"},
		{"dot name", goodCreds(), []string{"add", "..", "--exchange", "binance"}, "invalid profile name"},
		{"no name", goodCreds(), []string{"add", "--exchange", "binance"}, "add needs the profile NAME"},
		{"exists", goodCreds(), []string{"add", "first", "--exchange", "binance"}, "already exists"},
		{"bad env", goodCreds(), []string{"add", "x", "--exchange", "binance", "--env", "paper"}, `no "paper" environment`},
		{"bad market", goodCreds(), []string{"add", "x", "--exchange", "kraken", "--markets", "futures"}, `market "futures"`},
		{"bad rotation", goodCreds(), []string{"add", "x", "--exchange", "binance", "--rotation-days", "-3"}, "--rotation-days -3"},
		{"bad ip", goodCreds(), []string{"add", "x", "--exchange", "binance", "--bot-ip", "my-server"}, "not an IP address"},
		{"plain http base url", goodCreds(), []string{"add", "x", "--exchange", "binance", "--base-url", "http://api.example.com"}, "plain http"},
		{"empty stdin", "", []string{"add", "x", "--exchange", "binance"}, "no credentials on stdin"},
		{"malformed json", `{"key": "` + goodKey + `", "secret": NhqP}`, []string{"add", "x", "--exchange", "binance"}, "not valid JSON"},
		{"unknown field", `{"key":"` + goodKey + `","secret":"` + goodSecret + `","apiKey":"x"}`, []string{"add", "x", "--exchange", "binance"}, `field 3 of the object (at byte 151) is not one of "key", "secret", "passphrase"`},
		{"missing secret", `{"key":"` + goodKey + `"}`, []string{"add", "x", "--exchange", "binance"}, `Secret Key ("secret"): missing`},
		{"short secret", `{"key":"` + goodKey + `","secret":"abc"}`, []string{"add", "x", "--exchange", "binance"}, `Secret Key ("secret")`},
		{"passphrase not used", `{"key":"` + goodKey + `","secret":"` + goodSecret + `","passphrase":"pp"}`, []string{"add", "x", "--exchange", "binance"}, "Binance keys have no passphrase"},
		{"missing passphrase", `{"key":"37c541a1-1111-2222-3333-10fe7a038418","secret":"22582BD0CFF14C41EDBF1AB98506286D"}`, []string{"add", "x", "--exchange", "okx"}, `Passphrase ("passphrase"): missing`},
		{"number", `{"key":5,"secret":"x"}`, []string{"add", "x", "--exchange", "binance"}, `"key" must be a string`},
		{"two objects", goodCreds() + goodCreds(), []string{"add", "x", "--exchange", "binance"}, "extra data"},
		{"key and secret equal", `{"key":"` + goodKey + `","secret":"` + goodKey + `"}`, []string{"add", "x", "--exchange", "binance"}, "same as the API Key"},
		{"pem in key field", `{"key":"-----BEGIN PRIVATE KEY-----\nMC4C\n-----END PRIVATE KEY-----","secret":"` + goodSecret + `"}`, []string{"add", "x", "--exchange", "binance"}, "private key, not"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := c.run(tc.stdin, tc.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2 (%s%s)", code, out, errOut)
			}
			if !strings.Contains(errOut, tc.want) {
				t.Errorf("stderr %q does not name %q", errOut, tc.want)
			}
			if strings.Contains(out+errOut, "NhqP") || strings.Contains(out+errOut, goodSecret[20:40]) {
				t.Errorf("the secret or a piece of it is echoed: %q", errOut)
			}
			if after := snapshot(t, c.env["KEYWARDEN_DIR"]); after != before {
				t.Errorf("bad input changed the keyring folder")
			}
		})
	}
}

func TestAddCleansPastedValues(t *testing.T) {
	c := newCLI(t)
	in := `{"key":"  ` + goodKey + `\n","secret":"\"` + goodSecret + `\u200b\"\n"}`
	out, errOut, code := c.run(in, "add", "main", "--exchange", "binance")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"API Key: removed", "Secret Key: removed", "surrounding quotes", "invisible zero-width"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout %q lacks %q", out, want)
		}
	}
}

func TestPassphraseRules(t *testing.T) {
	c := newCLI(t)
	delete(c.env, "KEYWARDEN_PASSPHRASE")
	_, errOut, code := c.run(goodCreds(), "add", "main", "--exchange", "binance")
	if code != 2 || !strings.Contains(errOut, "KEYWARDEN_PASSPHRASE") || !strings.Contains(errOut, "terminal") {
		t.Errorf("no passphrase: exit %d, %q; want 2 naming both ways", code, errOut)
	}
	c.env["KEYWARDEN_PASSPHRASE"] = ""
	if _, errOut, code := c.run(goodCreds(), "add", "main", "--exchange", "binance"); code != 2 || !strings.Contains(errOut, "empty") {
		t.Errorf("empty passphrase: exit %d, %q", code, errOut)
	}
	c.env["KEYWARDEN_PASSPHRASE"] = "short"
	if _, errOut, code := c.run(goodCreds(), "add", "main", "--exchange", "binance"); code != 2 || !strings.Contains(errOut, "8") {
		t.Errorf("weak passphrase: exit %d, %q", code, errOut)
	}
	c.env["KEYWARDEN_PASSPHRASE"] = "the right passphrase"
	if _, e, code := c.run(goodCreds(), "add", "main", "--exchange", "binance"); code != 0 {
		t.Fatalf("add: %s", e)
	}
	before := snapshot(t, c.env["KEYWARDEN_DIR"])
	c.env["KEYWARDEN_PASSPHRASE"] = "a wrong passphrase"
	if _, errOut, code := c.run(goodCreds(), "add", "other", "--exchange", "binance"); code != 2 || !strings.Contains(errOut, "wrong passphrase") {
		t.Errorf("wrong passphrase: exit %d, %q", code, errOut)
	}
	if _, errOut, code := c.run("", "check", "main"); code != 2 || !strings.Contains(errOut, "wrong passphrase") {
		t.Errorf("wrong passphrase on check: exit %d, %q", code, errOut)
	}
	if snapshot(t, c.env["KEYWARDEN_DIR"]) != before {
		t.Error("a wrong passphrase changed the folder")
	}
	// list and show need no passphrase at all.
	delete(c.env, "KEYWARDEN_PASSPHRASE")
	if out, e, code := c.run("", "list"); code != 0 || !strings.Contains(out, "vmPU…Eh8A") {
		t.Errorf("list without passphrase: %d %q %q", code, out, e)
	}
	if out, _, code := c.run("", "show", "main", "--json"); code != 0 || !strings.Contains(out, `"fingerprint": "vmPU…Eh8A"`) || !strings.Contains(out, `"rotation_days": 90`) || strings.Contains(out, goodSecret) {
		t.Errorf("show --json: %d %q", code, out)
	}
}

func TestRemoveAndPassphraseChange(t *testing.T) {
	c := newCLI(t)
	for _, n := range []string{"a", "b"} {
		if _, e, code := c.run(goodCreds(), "add", n, "--exchange", "binance"); code != 0 {
			t.Fatal(e)
		}
	}
	if _, errOut, code := c.run("", "remove", "a"); code != 2 || !strings.Contains(errOut, "--yes") {
		t.Errorf("remove without a terminal or --yes: %d %q", code, errOut)
	}
	if out, _, code := c.run("", "remove", "a", "--yes"); code != 0 || !strings.Contains(out, "still exists on the exchange") {
		t.Errorf("remove: %d %q", code, out)
	}
	c.env["KEYWARDEN_NEW_PASSPHRASE"] = "another passphrase"
	if out, e, code := c.run("", "passphrase"); code != 0 || !strings.Contains(out, "Passphrase changed") {
		t.Fatalf("passphrase: %d %q %q", code, out, e)
	}
	if _, errOut, code := c.run("", "check", "b"); code != 2 || !strings.Contains(errOut, "wrong passphrase") {
		t.Errorf("the old passphrase still opens the keyring: %d %q", code, errOut)
	}
	c.env["KEYWARDEN_PASSPHRASE"] = "another passphrase"
	out, _, _ := c.run("", "list", "--json")
	if !strings.Contains(out, `"name": "b"`) || strings.Contains(out, `"name": "a"`) {
		t.Errorf("list after remove: %s", out)
	}
}

func TestVersion(t *testing.T) {
	c := newCLI(t)
	out, _, code := c.run("", "version")
	if code != 0 || !strings.Contains(out, "keywarden dev") || !strings.Contains(out, "commit none") || !strings.Contains(out, "built unknown") {
		t.Errorf("version: %d %q", code, out)
	}
	out, _, code = c.run("", "--version")
	if code != 0 || !strings.Contains(out, "dev (commit none, built unknown)") {
		t.Errorf("--version: %d %q", code, out)
	}
}

// TestAddCheckAndNotes: `add --check` checks the new key with the default
// timeout, and what cleaning the input did is said once, at add time, on
// its own line before the check's report.
func TestAddCheckAndNotes(t *testing.T) {
	c := newCLI(t)
	sc, _ := sim.Default("coinbase")
	srv := c.simFor(sc)
	k := sc.Keys[0]
	k.Secret = "\n" + k.Secret + "\n\n"
	out, errOut, code := c.run(credsJSON(k), "add", "cb", "--exchange", "coinbase", "--base-url", srv.URL, "--check")
	if code != 0 {
		t.Fatalf("add --check: exit %d\n%s\n%s", code, out, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.HasPrefix(lines[0], "Added cb: ") {
		t.Fatalf("first line %q, want the confirmation", lines[0])
	}
	if !strings.Contains(lines[1], "Private key: removed line breaks at the start or end") {
		t.Fatalf("second line %q, want the cleaning note", lines[1])
	}
	if n := strings.Count(out+errOut, "removed line breaks"); n != 1 {
		t.Fatalf("the note is printed %d times, want once:\n%s\n%s", n, out, errOut)
	}
	last := lines[len(lines)-1]
	if !strings.Contains(last, "passed") || strings.Contains(last, "note") {
		t.Fatalf("the report's summary line %q is not the last line on its own", last)
	}
}
