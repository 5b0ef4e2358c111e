package scan

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/keywarden/keywarden/scan/leaktest"
)

// scanText runs the detector over text as the file path.
func scanText(d *detector, path, text string) []hit {
	return d.scanBytes(context.Background(), path, []byte(text), true).hits
}

// TestWindowsAgree: reading a file in small windows finds exactly what
// reading it whole finds, at the same lines and columns, whatever falls
// on a window's edge.
func TestWindowsAgree(t *testing.T) {
	stored := threeProfiles(t)
	whole := newDetector(stored, infos())
	small := newDetector(stored, infos())
	small.setWindow(0) // the smallest the detector allows
	rng := rand.New(rand.NewPCG(5, 5))
	files, _ := leaktest.All(rng, "w")
	var text bytes.Buffer
	for i := 0; text.Len() < 3*small.size; i++ {
		f := files[i%len(files)]
		text.Write(f.Data)
		fmt.Fprintf(&text, "%s\n", strings.Repeat("filler line with words and 0123 numbers ", rng.IntN(8)))
		if i%7 == 0 {
			fmt.Fprintf(&text, "binance_api_secret=%s %s\n", stored[0].Creds.Secret.Reveal(), stored[1].Creds.Passphrase.Reveal())
		}
	}
	data := text.Bytes()
	want := whole.scanBytes(context.Background(), "bots/config.env", data, true).findings()
	// Values are a few hundred bytes apart: shifting the text by steps
	// of 13 bytes over 1,300 puts each window edge inside several values.
	for cut := 0; cut < 1300; cut += 13 {
		// Shift the text so that different bytes meet the edges.
		shifted := append(bytes.Repeat([]byte{'\n'}, cut), data...)
		fs, err := small.content(context.Background(), "bots/config.env", bytes.NewReader(shifted))
		if err != nil {
			t.Fatal(err)
		}
		got := fs.findings
		for i := range got {
			got[i].Line -= cut
		}
		if !slices.Equal(got, want) {
			t.Fatalf("shift %d: windows found %d, the whole %d:\n%v\n%v", cut, len(got), len(want), got, want)
		}
	}
	if len(want) < 300 {
		t.Fatalf("only %d findings: the test plants more", len(want))
	}
}

// endless is a reader of minified JSON that never ends (up to stop
// bytes: a scanner that ignored its context ends there); it cancels its
// context once it has given limit bytes, and counts what it gives.
type endless struct {
	chunk       []byte
	given       atomic.Int64
	limit, stop int64
	cancel      context.CancelFunc
}

func (e *endless) Read(p []byte) (int, error) {
	given := e.given.Load()
	if given >= e.limit {
		e.cancel()
	}
	if given >= e.stop {
		return 0, io.EOF
	}
	n := copy(p, e.chunk[given%int64(len(e.chunk)):])
	e.given.Add(int64(n))
	return n, nil
}

// TestCancelStopsHugeInput: a scan of an endless one-line file returns
// with the context's error soon after the context is cancelled: within
// one window of input (no timing: the bytes read are counted).
func TestCancelStopsHugeInput(t *testing.T) {
	d := newDetector(threeProfiles(t), infos())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := &endless{chunk: minifiedJSON(1<<20, 9), limit: 64 << 20, stop: 256 << 20, cancel: cancel}
	_, err := d.content(ctx, "vectors.json", r)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v after %d bytes, want the context's error", err, r.given.Load())
	}
	if over := r.given.Load() - r.limit; over > int64(2*d.size) {
		t.Errorf("read %d bytes past the cancel, want at most two windows (%d)", over, 2*d.size)
	}
}

// BenchmarkCancel measures how long a scan of a huge line takes to stop
// once cancelled, in the middle of it (the target: 200 ms; ns/op
// is that latency).
func BenchmarkCancel(b *testing.B) {
	d := newDetector(threeProfiles(b), infos())
	chunk := minifiedJSON(1<<20, 9)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		ctx, cancel := context.WithCancel(context.Background())
		r := &endless{chunk: chunk, limit: math.MaxInt64, stop: math.MaxInt64, cancel: cancel}
		done := make(chan error, 1)
		go func() { _, err := d.content(ctx, "vectors.json", r); done <- err }()
		for r.given.Load() < 32<<20 {
			runtime.Gosched()
		}
		b.StartTimer()
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			b.Fatal(err)
		}
	}
}

func TestPassphrases(t *testing.T) {
	d := newDetector(nil, infos())
	okxKey := "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
	cases := []struct {
		path, text string
		want       string // the exchange whose passphrase is found; "" none
	}{
		{".env", "OKX_PASSPHRASE=Tr4d1ng-B0t!\n", "okx"},
		{".env", "export KUCOIN_API_PASSPHRASE='moonLambo2024'\n", "kucoin"},
		{"docker-compose.yml", "    environment:\n      - BITGET_PASSPHRASE=satoshi^4273\n", "bitget"},
		{"config.json", `{"exchange": {"name": "okx", "key": "` + okxKey + `", "secret": "9A0C0305E82C33013F2504E04F8911D3", "password": "Tr4d1ng-B0t!"}}`, "okx"},
		{"config.json", "{\n  \"exchange\": {\n    \"name\": \"okx\",\n    \"key\": \"" + okxKey + "\",\n    \"password\": \"winter.falcon6762\"\n  }\n}\n", "okx"},
		// A passphrase word near OKX, but no key: the password of something else.
		{"config.json", `{"exchange": {"name": "okx"}, "db": {"password": "Tr4d1ng-B0t!"}}`, ""},
		// Binance keys have no passphrase.
		{".env", "BINANCE_PASSWORD=Tr4d1ng-B0t!\n", ""},
		// A database's password next to an OKX key is not the key's.
		{".env", "OKX_API_KEY=" + okxKey + "\nPOSTGRES_PASSWORD=Sup3r-L0ng-Db\n", ""},
		// References, placeholders and variables.
		{".env", "OKX_PASSPHRASE=${OKX_PASSPHRASE}\nKUCOIN_PASSPHRASE=your_passphrase\nBITGET_PASSPHRASE=\n", ""},
		{"client.go", "c := okx.Client{Key: \"" + okxKey + "\", Passphrase: passphrase}\n", ""},
		{"bot.py", "OKX_PASSPHRASE = os.getenv(\"OKX_PASSPHRASE\", \"\")\n", ""},
		{"bot.py", "okx = ccxt.okx({'apiKey': '" + okxKey + "', 'password': '<your passphrase>'})\n", ""},
	}
	for _, tc := range cases {
		var got []string
		for _, h := range scanText(d, tc.path, tc.text) {
			if h.kind == KindPassphrase {
				got = append(got, h.exchange)
			}
		}
		switch {
		case tc.want == "" && len(got) > 0:
			t.Errorf("%s %q: found a passphrase of %v", tc.path, tc.text, got)
		case tc.want != "" && (len(got) != 1 || got[0] != tc.want):
			t.Errorf("%s %q: found %v, want the passphrase of %s", tc.path, tc.text, got, tc.want)
		}
	}
}

func TestKubernetesSecrets(t *testing.T) {
	d := newDetector(nil, infos())
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	secret := "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
	pemKey := genPEM(t)
	cases := []struct {
		name, text string
		lines      []int // lines of the findings
	}{
		{"data, named in the metadata only", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: binance-bot\n  namespace: bots\n  labels:\n    app: grid\ntype: Opaque\ndata:\n  api-secret: " + b64(secret) + "\n", []int{10}},
		{"kubectl's order: data first", "apiVersion: v1\ndata:\n  api-secret: " + b64(secret) + "\n  api-passphrase: " + b64("Tr4d1ng-B0t!") + "\n  api-key: " + b64("3f2504e0-4f89-11d3-9a0c-0305e82c3301") + "\nkind: Secret\nmetadata:\n  name: okx-keys\n", []int{4, 5}},
		{"a whole file in data", "kind: Secret\nmetadata:\n  name: bot\ndata:\n  config.json: " + b64("{\n \"exchange\": {\n  \"name\": \"binance\",\n  \"secret\": \""+secret+"\"\n }\n}\n") + "\n", []int{5}},
		{"a PEM key in data", "kind: Secret\nmetadata:\n  name: coinbase\ndata:\n  cdp.pem: " + b64(pemKey) + "\n", []int{5}},
		{"stringData", "kind: Secret\nmetadata:\n  name: binance-bot\n  annotations:\n    owner: ops\n    team: trading\n    note: rotated monthly\nstringData:\n  API_SECRET: \"" + secret + "\"\n", []int{9}},
		{"two documents, the second a ConfigMap", "kind: Secret\nmetadata:\n  name: binance-bot\ndata:\n  api-secret: " + b64(secret) + "\n---\nkind: ConfigMap\nmetadata:\n  name: binance-bot\ndata:\n  api-secret: " + b64(secret) + "\n", []int{5}},
		{"placeholders", "kind: Secret\nmetadata:\n  name: binance-bot\ndata:\n  api-secret: " + b64("changeme") + "\n  api-key: \"\"\n", nil},
	}
	for _, tc := range cases {
		var lines []int
		for _, h := range scanText(d, "deploy/secret.yaml", tc.text) {
			lines = append(lines, h.line)
			if strings.Contains(tc.text, "data:\n") && !strings.Contains(tc.text, "stringData") && !strings.Contains(h.what, "Kubernetes Secret") {
				t.Errorf("%s: %q does not say where", tc.name, h.what)
			}
		}
		if !slices.Equal(lines, tc.lines) {
			t.Errorf("%s: findings on lines %v, want %v", tc.name, lines, tc.lines)
		}
	}
}

// TestBinaryAndLargeFiles: a secret inside a binary file is found, and a
// file over MaxSize is scanned as a stream to its end and named.
func TestBinaryAndLargeFiles(t *testing.T) {
	s, k := storedKey(t)
	dir := t.TempDir()
	bin := append(append([]byte{0x7f, 'E', 'L', 'F', 0, 0, 1}, bytes.Repeat([]byte{0, 0xff}, 5000)...), []byte("BINANCE_API_SECRET="+k.Secret+"\x00")...)
	big := append(bytes.Repeat([]byte("{\"filler\":\"0123456789abcdef\"},"), 200_000), []byte("\nbinance:\n  secret: NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j\n")...)
	for name, data := range map[string][]byte{"bot.bin": bin, "dump.log": big} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Run(context.Background(), Options{Root: dir, Stored: []Stored{s}, Infos: infos(), MaxSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	var inBin, inBig bool
	for _, f := range res.Findings {
		inBin = inBin || f.Path == "bot.bin" && f.Kind == KindStored && f.Field == FieldSecret
		inBig = inBig || f.Path == "dump.log" && f.Kind == KindShaped && f.Line == 3
	}
	if !inBin || !inBig {
		t.Errorf("binary %v, large %v: %+v", inBin, inBig, res.Findings)
	}
	if !slices.ContainsFunc(res.Notes, func(n string) bool { return strings.Contains(n, "dump.log") && strings.Contains(n, "stream") }) {
		t.Errorf("no note names the large file: %q", res.Notes)
	}
}

// TestFileNamesCleaned: a file name is outside text; escape sequences and
// bidi controls in it never reach a finding or a note.
func TestFileNamesCleaned(t *testing.T) {
	dir := t.TempDir()
	name := "conf\x1b]0;pwned\x07\u202e.env"
	body := "BINANCE_API_SECRET=NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j\n"
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "big\x1b[2J.json"), bytes.Repeat([]byte("x"), 3<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), Options{Root: dir, Infos: infos(), MaxSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 {
		t.Fatalf("%+v", res.Findings)
	}
	for _, s := range append([]string{res.Findings[0].Path}, res.Notes...) {
		if strings.ContainsAny(s, "\x1b\x07\u202e") {
			t.Errorf("outside bytes in %q", s)
		}
	}
}

func FuzzContent(f *testing.F) {
	d := newDetector(threeProfiles(f), infos())
	d.setWindow(0)
	rng := rand.New(rand.NewPCG(3, 3))
	files, _ := leaktest.All(rng, "f")
	for _, fl := range files[:20] {
		f.Add(fl.Path, fl.Data)
	}
	f.Add("k.yaml", []byte("kind: Secret\ndata:\n  a: "+base64.StdEncoding.EncodeToString([]byte("x\ny"))+"\n---\n"))
	f.Add("a.pem", []byte("-----BEGIN RSA PRIVATE KEY-----\\n\"+\n\"MIIE\n-----END"))
	f.Fuzz(func(t *testing.T, path string, data []byte) {
		if len(data) > 1<<20 {
			return
		}
		lines := bytes.Count(data, []byte{'\n'}) + 1
		fs, err := d.content(context.Background(), path, bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		whole := d.scanBytes(context.Background(), path, data, true).findings()
		if !slices.Equal(fs.findings, whole) {
			t.Fatalf("windows and whole differ:\n%v\n%v", fs.findings, whole)
		}
		for _, h := range fs.findings {
			if h.Line < 0 || h.Line > lines || strings.ContainsAny(h.Path, "\x00\x1b") {
				t.Fatalf("bad place %d of %d, %q", h.Line, lines, h.Path)
			}
		}
	})
}

// TestHistoryLargeBlob: a file over MaxSize committed and deleted is
// scanned in the history as a stream, to its end, and named.
func TestHistoryLargeBlob(t *testing.T) {
	s, k := storedKey(t)
	r := newRepo(t)
	r.write("README.md", "# bot\n")
	r.commit("start")
	r.write("dump.log", strings.Repeat("0123456789abcdef filler\n", 200_000)+"secret "+k.Secret+"\n")
	added := r.commit("a log")
	r.git("rm", "-q", "dump.log")
	r.commit("remove the log")
	res, err := Run(context.Background(), Options{Root: r.dir, Stored: []Stored{s}, Infos: infos(), MaxSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Commit != added || res.Findings[0].Line != 200_001 {
		t.Errorf("%+v", res.Findings)
	}
	if !slices.ContainsFunc(res.Notes, func(n string) bool { return strings.Contains(n, "dump.log") && strings.Contains(n, "history") }) {
		t.Errorf("no note names the large content: %q", res.Notes)
	}
}

// TestCancelStopsHistory: cancelled in the middle of the history, the scan
// returns the context's error and leaves no git process behind.
func TestCancelStopsHistory(t *testing.T) {
	s, k := storedKey(t)
	dir := genRepo(t, 10, 20, 200, k.Secret)
	d := newDetector([]Stored{s}, infos())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var scanned atomic.Int64
	d.onContent = func(string) {
		if scanned.Add(1) == 100 {
			cancel()
		}
	}
	repo := findRepo(context.Background(), dir)
	var res Result
	_, err := scanHistory(ctx, d, Options{Root: dir, MaxSize: 8 << 20}, repo, &res, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v (%d blobs), want the context's error", err, res.Blobs)
	}
	if res.Blobs >= 200 {
		t.Errorf("%d blobs read after the cancel", res.Blobs)
	}
	if kids := children(t); len(kids) > 0 {
		t.Errorf("processes left: %v", kids)
	}
}

// children lists this process's child processes (Linux).
func children(t *testing.T) []string {
	tasks, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", os.Getpid()))
	if err != nil || len(tasks) == 0 {
		t.Skip("no /proc: cannot list child processes")
	}
	var out []string
	for _, p := range tasks {
		b, _ := os.ReadFile(p)
		out = append(out, strings.Fields(string(b))...)
	}
	return out
}

// TestBelowDefaultPaths: which paths hold keys made for tests or published
// by others, and which are a bot's own.
func TestBelowDefaultPaths(t *testing.T) {
	below := []string{
		"testdata/keys.env", "pkg/testutils/keystore/root_key", "internal/http/testkey.pem", "test-infra/agent_ssh_key",
		"functest/testkeys/client.pem", "pkg/fuzz/jar_utils.go", "pkg/pki/x509/e2ex509/util.go", "gcsfs/gcs-fake-service-account.json",
		"contrib/docker-integration/certs/signing.key", ".github/workflows/cosign-test.key", "otlp/options_test.go.tmpl",
		"bot/exchange_test.py", "tests/conftest.py", "src/__tests__/keys.js", "web/app.spec.ts", "spec/keys_spec.rb",
		"fixtures/okx/.env", "src/mocks/client.go",
		"web/node_modules/ccxt/examples/keys.js", "venv/lib/python3.12/site-packages/ccxt/test/keys.json", "vendor/github.com/x/y/key.pem",
		"github.com/dvsekhvalnov/jose2go@v1.11.0/keys/ecc/ec_private.key",
	}
	own := []string{
		".env", "user_data/config.json", "conf/connectors/okx.yml", "deploy/k8s/secret.yaml", "keys/coinbase.pem",
		"testnet/.env", "bots/binance-testnet.env", "latest/config.json", "contest/bot.py", "attestation/key.pem", "docs/specification.md",
		"me@v/x.env",
	}
	for _, p := range below {
		if belowDefault(p) == "" {
			t.Errorf("%s: taken for a bot's own file", p)
		}
	}
	for _, p := range own {
		if r := belowDefault(p); r != "" {
			t.Errorf("%s: %s", p, r)
		}
	}
}

// TestHistoryReusesTreeBlobs: a blob that is byte for byte a file of the
// working tree is not read again from git, and its findings are still
// reported in the history, at the commit that added it; a file changed
// since is read from git.
func TestHistoryReusesTreeBlobs(t *testing.T) {
	r := newRepo(t)
	secret := "BINANCE_API_SECRET=NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j\n"
	r.write("bot/.env", secret)
	r.write("bot/old.env", secret+"# v1\n")
	r.write("README.md", "# bot\n")
	added := r.commit("start")
	r.write("bot/old.env", secret+"# v2\n") // changed, not committed
	var calls atomic.Int64
	d := newDetector(nil, infos())
	d.onContent = func(string) { calls.Add(1) }
	opts := Options{Root: r.dir, Infos: infos(), MaxSize: 8 << 20}
	repo := findRepo(context.Background(), r.dir)
	var res Result
	blobs := newTreeBlobs()
	if _, err := scanTree(context.Background(), d, opts, repo, &res, blobs); err != nil {
		t.Fatal(err)
	}
	hist, err := scanHistory(context.Background(), d, opts, repo, &res, blobs)
	if err != nil {
		t.Fatal(err)
	}
	// Three files, then one blob from git: old.env as committed.
	if n := calls.Load(); n != 4 {
		t.Errorf("%d contents scanned, want 4 (3 files, 1 blob)", n)
	}
	if res.Blobs != 3 {
		t.Errorf("%d blobs, want 3", res.Blobs)
	}
	paths := map[string]bool{}
	for _, f := range hist {
		paths[f.Path] = f.Commit == added && f.Line == 1 && f.Kind == KindShaped
	}
	if !paths["bot/.env"] || !paths["bot/old.env"] || len(paths) != 2 {
		t.Errorf("history findings %+v", hist)
	}
}

// TestOriginIndex: the origins read beside the scan are those the
// one-pass lookup finds, and an index that stopped at its bound looks the
// rest up.
func TestOriginIndex(t *testing.T) {
	s, k := storedKey(t)
	dir := genRepo(t, 5, 10, 40, k.Secret)
	repo := findRepo(context.Background(), dir)
	var res Result
	d := newDetector([]Stored{s}, infos())
	if _, err := scanHistory(context.Background(), d, Options{Root: dir, MaxSize: 8 << 20}, repo, &res, nil); err != nil {
		t.Fatal(err)
	}
	found := []blobFinding{}
	repo.logOrigins(context.Background(), func(sha string, o origin) bool {
		found = append(found, blobFinding{sha: sha})
		return true
	})
	want := repo.origins(context.Background(), found)
	x := repo.indexOrigins(context.Background())
	if got := x.get(context.Background(), repo, found); !maps.Equal(got, want) || len(got) < 40 {
		t.Errorf("index: %d origins, lookup: %d", len(got), len(want))
	}
	stopped := &originIndex{done: make(chan struct{}), full: true, at: map[[32]byte][2]int32{}}
	close(stopped.done)
	if got := stopped.get(context.Background(), repo, found); !maps.Equal(got, want) {
		t.Errorf("a full index found %d origins, want %d", len(got), len(want))
	}
}
