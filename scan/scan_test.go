package scan

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/all"
	"github.com/keywarden/keywarden/exchanges/sim"
)

func infos() []exchanges.Info {
	var out []exchanges.Info
	for _, a := range all.Adapters() {
		out = append(out, a.Info())
	}
	return out
}

func storedKey(t testing.TB) (Stored, sim.Key) {
	k, _ := sim.SampleKey("binance")
	return Stored{Profile: "main", Exchange: "binance", Creds: exchanges.Credentials{Key: k.Key, Secret: exchanges.NewSecret(k.Secret)}}, k
}

// repo is a scratch git repository.
type repo struct {
	t   testing.TB
	dir string
}

func newRepo(t testing.TB) *repo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	r := &repo{t: t, dir: t.TempDir()}
	r.git("init", "-q", "-b", "main")
	return r
}

func (r *repo) git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", append([]string{"-C", r.dir, "-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_SYSTEM=/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func (r *repo) write(name, content string) {
	r.t.Helper()
	p := filepath.Join(r.dir, filepath.FromSlash(name))
	_ = os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

func (r *repo) commit(msg string) string {
	r.git("add", "-A")
	r.git("commit", "-q", "-m", msg)
	return r.git("rev-parse", "HEAD")
}

func runScan(t *testing.T, root string, stored ...Stored) Result {
	t.Helper()
	res, err := Run(context.Background(), Options{Root: root, Stored: stored, Infos: infos()})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestHistoryFindsDeletedSecret(t *testing.T) {
	s, k := storedKey(t)
	r := newRepo(t)
	r.write("README.md", "# bot\n")
	r.commit("start")
	r.write("keys/raw.txt", "line one\nsecret here: "+k.Secret+"\n")
	r.write("keys/b64.txt", "x\ny\nauth="+base64.StdEncoding.EncodeToString([]byte(k.Key+":"+k.Secret))+"\n")
	r.write("keys/hex.txt", "sig "+strings.ToUpper(hex.EncodeToString([]byte(k.Secret)))+"\n")
	r.write("keys/url.txt", "https://x/?s="+url.QueryEscape(k.Secret)+"&k="+url.QueryEscape(k.Key)+"\n")
	added := r.commit("oops")
	r.git("rm", "-q", "-r", "keys")
	r.commit("remove keys")
	// A branch that is not checked out holds another copy.
	r.git("checkout", "-q", "-b", "side")
	r.write("side.env", "BINANCE_API_SECRET="+base64.RawURLEncoding.EncodeToString([]byte(k.Secret))+"\n")
	side := r.commit("side")
	r.git("checkout", "-q", "main")
	r.git("branch", "-q", "-D", "side")
	r.git("tag", "kept", side)

	res := runScan(t, r.dir, s)
	want := map[string]string{ // path:line → encoding
		"keys/raw.txt:2": "as is", "keys/b64.txt:3": "base64", "keys/hex.txt:1": "hex",
		// letters and digits look the same URL-encoded, and in both base64 alphabets
		"keys/url.txt:1": "as is", "side.env:1": "base64",
	}
	got := map[string]string{}
	for _, f := range res.Findings {
		if f.Kind != KindStored || f.Field != FieldSecret {
			continue
		}
		if f.Commit == "" {
			t.Errorf("a working-tree finding in a clean checkout: %+v", f)
		}
		wantCommit := added
		if f.Path == "side.env" {
			wantCommit = side
		}
		if f.Commit != wantCommit || f.Profile != "main" || f.Severity != High {
			t.Errorf("%+v: want commit %s", f, wantCommit)
		}
		got[f.Path+":"+itoa(f.Line)] = f.Encoding
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	b, _ := json.Marshal(res)
	if strings.Contains(string(b), k.Secret) || strings.Contains(string(b), k.Key) {
		t.Error("a value in the result")
	}
	if res.Commits != 4 {
		t.Errorf("commits %d, want 4", res.Commits)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestCleanRepoHasNoFindings(t *testing.T) {
	s, _ := storedKey(t)
	r := newRepo(t)
	r.write("main.go", `package main

// apiKey comes from the environment; the key is never in the code.
func main() {
	key := os.Getenv("EXCHANGE_API_KEY") // binance
	secret := os.Getenv("EXCHANGE_API_SECRET")
	id := "3f2504e0-4f89-11d3-9a0c-0305e82c3301" // a request id, not a key
	_ = sha256.Sum256([]byte(key + secret + id))
}
`)
	r.write("go.sum", "github.com/99designs/keyring v1.2.2 h1:pZd3neh/EmUzWONb35LxQfvuY7kiSXAq3HQd97+XBn0=\n")
	r.write("package-lock.json", `{"integrity": "sha512-Ob0ZzT3sV7k0yZQ2hYzCk0lYkT3Ub3yqZ3Q0Zbq1Ozq2W1m0w4t3wq5l7GxQpHn6y8iXl0uQhAq2uM5s0m5cKg=="}`+"\n")
	r.write(".env.example", "BINANCE_API_KEY=your_api_key_here\nBINANCE_API_SECRET=\nOKX_PASSPHRASE=${OKX_PASSPHRASE}\n")
	r.write("config.json", `{"exchange": {"name": "binance", "key": "", "secret": ""}, "stake_currency": "USDT"}`+"\n")
	r.write("docs/keys.md", "Binance keys are 64 letters and digits, like XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX.\n")
	r.write("navigate.js", "const secretGateway = navigate('aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG1hJ3kL5mN7pQ9rS1tU3');\n")
	r.commit("clean")
	res := runScan(t, r.dir, s)
	if len(res.Findings) > 0 {
		t.Errorf("findings in a clean repository: %+v", res.Findings)
	}
}

func TestKeyShapes(t *testing.T) {
	d := newDetector(nil, infos())
	cases := []struct {
		text     string
		exchange string // "" none expected; "*" unnamed
		field    string
	}{
		{"BINANCE_API_SECRET=NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j\n", "binance", FieldSecret},
		{"binance_key = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A'\n", "binance", FieldKey},
		{"okx:\n  apiKey: 3f2504e0-4f89-11d3-9a0c-0305e82c3301\n  secret: 9A0C0305E82C33013F2504E04F8911D3\n  passphrase: x\n", "okx", FieldKey},
		{"exchange = kraken\nprivate_key = " + base64.StdEncoding.EncodeToString([]byte(strings.Repeat("k9Z!", 16))) + "\n", "kraken", FieldSecret},
		{"GATE_API_SECRET=4f1b8f6c0d2e9a7b3c5d1e8f2a4b6c9d0e1f3a5b7c9d2e4f6a8b0c1d3e5f7a9b\n", "gate", FieldSecret},
		{"API_SECRET=NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j\n", "*", FieldSecret},
		{"secret=NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j\n", "", ""},              // no exchange, no "api"
		{"binance: price 64000, id 4e6f7420612073656372657421204a75737420686578\n", "", ""},                // no credential word
		{"binance api_key = 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'\n", "", ""}, // placeholder
		{"navigate(secret, 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG1hJ3kL5mN7pQ9rS1tU3')\n", "", ""},  // "gate" inside a word
	}
	for _, tc := range cases {
		hits := d.detect([]byte(tc.text))
		var got []hit
		for _, h := range hits {
			if h.kind == KindShaped {
				got = append(got, h)
			}
		}
		switch {
		case tc.exchange == "" && len(got) > 0:
			t.Errorf("%q: unexpected %+v", tc.text, got)
		case tc.exchange == "":
		case len(got) == 0:
			t.Errorf("%q: nothing found", tc.text)
		case tc.exchange == "*" && (got[0].exchange != "" || got[0].severity != Medium):
			t.Errorf("%q: %+v, want an unnamed medium finding", tc.text, got[0])
		case tc.exchange != "*" && (got[0].exchange != tc.exchange || got[0].field != tc.field):
			t.Errorf("%q: %+v, want %s %s", tc.text, got[0], tc.exchange, tc.field)
		}
	}
	pem := "x\n" + genPEM(t)
	if h := d.detect([]byte(pem)); len(h) != 1 || h[0].kind != KindPrivateKey || h[0].line != 2 {
		t.Errorf("PEM: %+v", h)
	}
	if h := d.detect([]byte("-----BEGIN PUBLIC KEY-----\n")); len(h) != 0 {
		t.Errorf("public key reported: %+v", h)
	}
}

func TestExposedFiles(t *testing.T) {
	r := newRepo(t)
	r.write(".gitignore", "ignored.env\n")
	r.write("tracked.env", "OKX_API_SECRET=hunter22hunter22\n")
	r.commit("tracked")
	env := "BINANCE_API_KEY=vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A\nTELEGRAM_TOKEN=123:abc\n"
	r.write(".env", env)        // not ignored: exposed
	r.write("ignored.env", env) // ignored: only the key-shaped value, lower
	r.write("bot/config.json", `{"exchange": {"name": "okx", "password": "Tr4d1ngB0t!"}}`)
	r.write(".env.example", "BINANCE_API_KEY=\n")
	res, err := Run(context.Background(), Options{Root: r.dir, Infos: infos(), NoHistory: true})
	if err != nil {
		t.Fatal(err)
	}
	exposed := map[string]Finding{}
	for _, f := range res.Findings {
		if f.Kind == KindExposed {
			exposed[f.Path] = f
		}
		if f.Path == "ignored.env" && (f.Git != gitIgnored || f.Severity != Low) {
			t.Errorf("ignored file: %+v", f)
		}
	}
	if f := exposed[".env"]; f.Severity != Medium || f.Git != gitUntracked {
		t.Errorf(".env: %+v", f)
	}
	if f := exposed["bot/config.json"]; f.Git != gitUntracked {
		t.Errorf("config.json: %+v", f)
	}
	if f := exposed["tracked.env"]; f.Severity != High || f.Git != gitTracked {
		t.Errorf("tracked.env: %+v", f)
	}
	if _, ok := exposed["ignored.env"]; ok {
		t.Error("an ignored file reported as exposed")
	}
	if _, ok := exposed[".env.example"]; ok {
		t.Error(".env.example reported")
	}
}

func TestNoGitStillScansFiles(t *testing.T) {
	s, k := storedKey(t)
	dir := t.TempDir()
	_ = os.WriteFile(filepath.Join(dir, "log.txt"), []byte("a\nkey="+k.Key+"\n"), 0o600)
	_ = os.WriteFile(filepath.Join(dir, "bin"), append([]byte{0, 1, 2}, k.Secret...), 0o600)
	res := runScan(t, dir, s)
	// The binary file's secret is found too, at its byte offset.
	if len(res.Findings) != 2 || res.Findings[1].Path != "log.txt" || res.Findings[1].Line != 2 || res.Findings[1].Field != FieldKey ||
		res.Findings[0].Path != "bin" || res.Findings[0].Field != FieldSecret || !strings.Contains(res.Findings[0].What, "binary file, at byte 3") {
		t.Errorf("%+v", res.Findings)
	}
}

func FuzzDetect(f *testing.F) {
	s, k := storedKey(f)
	d := newDetector([]Stored{s}, infos())
	f.Add([]byte("BINANCE_API_SECRET=" + k.Secret + "\n"))
	f.Add([]byte("okx:\n apiKey: 3f2504e0-4f89-11d3-9a0c-0305e82c3301\n"))
	f.Add([]byte("-----BEGIN RSA PRIVATE KEY-----\n"))
	f.Add([]byte("\n\n\x00binance secret"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := strings.Count(string(data), "\n") + 1
		for _, h := range d.detect(data) {
			if h.line < 1 || h.line > lines {
				t.Fatalf("line %d of %d", h.line, lines)
			}
			if strings.Contains(h.what, k.Secret) || strings.Contains(h.what, k.Key) {
				t.Fatal("a value in a finding")
			}
		}
	})
}

func FuzzReadBatch(f *testing.F) {
	f.Add([]byte("0123 blob 3 a/b\nabc\n0124 missing\n"))
	f.Add([]byte("0123 blob 99999999999 x\n"))
	f.Add([]byte("0123 blob 100 big\n" + strings.Repeat("x", 100) + "\n0124 blob 2 s\nab\n"))
	f.Add([]byte("junk\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = readBatch(bufioReader(data), 64, func(sha, typ, path string, b []byte) {
			if len(b) > 64 {
				t.Fatalf("an object of %d bytes over the limit", len(b))
			}
		}, func(sha, typ, path string, size int64, r io.Reader) {
			if size <= 64 {
				t.Fatalf("an object of %d bytes streamed", size)
			}
			_, _ = io.CopyN(io.Discard, r, size/2) // leaves the rest to readBatch
		})
	})
}

func bufioReader(b []byte) *bufio.Reader { return bufio.NewReader(bytes.NewReader(b)) }
