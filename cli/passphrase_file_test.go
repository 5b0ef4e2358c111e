package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/exchanges/exchangetest"
)

// The passphrase may come from a file (Docker and Kubernetes secrets,
// systemd credentials) for every command; a file others can read, an
// empty or multi-line one, or two sources at once are refused, and no
// message shows the file's content.
func TestPassphraseFile(t *testing.T) {
	c := newCLI(t)
	pass := c.env["KEYWARDEN_PASSPHRASE"]
	srv := c.simFor(exchangetest.GoodScenario(t, "binance", "live"))
	if _, errOut, code := c.run(credsJSON(srv.Scenario().Keys[0]), "add", "main", "--exchange", "binance", "--base-url", srv.URL); code != 0 {
		t.Fatalf("add: exit %d: %s", code, errOut)
	}
	delete(c.env, "KEYWARDEN_PASSPHRASE")
	dir := t.TempDir()
	write := func(name, content string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good", pass+"\n", 0o600)
	crlf := write("crlf", pass+"\r\n", 0o400)
	cases := []struct {
		name    string
		env     map[string]string
		args    []string
		code    int
		mention string
	}{
		{"flag, trailing newline trimmed", nil, []string{"--passphrase-file", good}, 1, ""},
		{"env, CRLF trimmed", map[string]string{"KEYWARDEN_PASSPHRASE_FILE": crlf}, nil, 1, ""},
		{"readable by others", nil, []string{"--passphrase-file", write("open", pass, 0o644)}, 2, "chmod 600"},
		{"wrong passphrase", nil, []string{"--passphrase-file", write("wrong", "not the passphrase\n", 0o600)}, 2, "passphrase"},
		{"empty", nil, []string{"--passphrase-file", write("empty", "\n", 0o600)}, 2, "is empty"},
		{"two lines", nil, []string{"--passphrase-file", write("two", pass+"\nsecond line\n", 0o600)}, 2, "more than one line"},
		{"missing", nil, []string{"--passphrase-file", filepath.Join(dir, "nope")}, 2, "no such file"},
		{"both env and file", map[string]string{"KEYWARDEN_PASSPHRASE": pass}, []string{"--passphrase-file", good}, 2, "one way"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				c.env[k] = v
			}
			defer func() {
				for k := range tc.env {
					delete(c.env, k)
				}
			}()
			// The simulator's default key has withdrawals off but no IP
			// restriction: exit 1 (a failing check) proves the keyring opened.
			out, errOut, code := c.run("", append([]string{"check", "main", "--json"}, tc.args...)...)
			if code != tc.code && !(tc.code == 1 && code == 0) {
				t.Fatalf("exit %d, want %d: %s\n%s", code, tc.code, errOut, out)
			}
			if tc.code == 1 && !strings.Contains(out, `"profiles"`) {
				t.Errorf("no check document: %s %s", out, errOut)
			}
			if !strings.Contains(errOut, tc.mention) {
				t.Errorf("stderr %q does not mention %q", errOut, tc.mention)
			}
			if strings.Contains(out+errOut, pass) || strings.Contains(out+errOut, "second line") {
				t.Errorf("a message shows the file's content: %s %s", out, errOut)
			}
		})
	}
}

// FuzzPassphraseFile: whatever the file holds, the answer is its content
// less one trailing newline, on one line, or a refusal that never quotes it.
func FuzzPassphraseFile(f *testing.F) {
	for _, s := range []string{"pass\n", "pass\r\n", "", "\n", "a\nb", "pass\n\n", strings.Repeat("x", 5000)} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(dir, "pass")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := readPassphraseFile(p)
		if err != nil {
			if len(b) > 3 && strings.Contains(err.Error(), string(b)) {
				t.Fatalf("error quotes the content: %v", err)
			}
			return
		}
		if got == "" || strings.ContainsAny(got, "\r\n") || !strings.HasPrefix(string(b), got) || len(b)-len(got) > 2 {
			t.Fatalf("%q → %q", b, got)
		}
	})
}
