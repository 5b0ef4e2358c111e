package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/exchanges/exchangetest"
	"github.com/keywarden/keywarden/exchanges/sim"
)

func TestImportEachFormat(t *testing.T) {
	bin, _ := sim.SampleKey("binance")
	okx, _ := sim.SampleKey("okx")
	cases := []struct {
		name, file, content string
		args                []string
		profile, wantExec   string
		wantFile            string // the scrubbed file
		secrets             []string
	}{
		{name: "freqtrade", file: "config.json", profile: "binance",
			content:  "{\n  // comment\n  \"exchange\": {\"name\": \"binance\", \"key\": \"" + bin.Key + "\", \"secret\": \"" + bin.Secret + "\",},\n  \"dry_run\": false\n}\n",
			wantFile: "{\n  // comment\n  \"exchange\": {\"name\": \"binance\", \"key\": \"\", \"secret\": \"\",},\n  \"dry_run\": false\n}\n",
			wantExec: "keywarden exec binance --env-style freqtrade -- freqtrade trade --config", secrets: []string{bin.Key, bin.Secret}},
		{name: "env", file: ".env", profile: "okx-bot", args: []string{"--name", "okx-bot"},
			content:  "# bot\nTELEGRAM_TOKEN=123:abc\nexport OKX_API_KEY=" + okx.Key + "\nOKX_API_SECRET='" + okx.Secret + "'\nOKX_PASSPHRASE=\"" + okx.Passphrase + "\" # pass\n",
			wantFile: "# bot\nTELEGRAM_TOKEN=123:abc\nexport OKX_API_KEY=${EXCHANGE_API_KEY}\nOKX_API_SECRET=${EXCHANGE_API_SECRET}\nOKX_PASSPHRASE=${EXCHANGE_API_PASSPHRASE} # pass\n",
			wantExec: "keywarden exec okx-bot -- BOT", secrets: []string{okx.Key, okx.Secret, okx.Passphrase}},
		{name: "compose", file: "docker-compose.yml", profile: "binance", args: []string{"--exchange", "binance"},
			content:  "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: hunter22\n  bot:\n    image: freqtradeorg/freqtrade\n    environment:\n      - FREQTRADE__EXCHANGE__NAME=binance\n      - FREQTRADE__EXCHANGE__KEY=" + bin.Key + "\n      - \"FREQTRADE__EXCHANGE__SECRET=" + bin.Secret + "\"\n",
			wantFile: "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: hunter22\n  bot:\n    image: freqtradeorg/freqtrade\n    environment:\n      - FREQTRADE__EXCHANGE__NAME=binance\n      - FREQTRADE__EXCHANGE__KEY=${FREQTRADE__EXCHANGE__KEY}\n      - \"FREQTRADE__EXCHANGE__SECRET=${FREQTRADE__EXCHANGE__SECRET}\"\n",
			wantExec: "keywarden exec binance --env-style freqtrade -- docker compose -f", secrets: []string{bin.Key, bin.Secret}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCLI(t)
			dir := t.TempDir()
			file := filepath.Join(dir, tc.file)
			if err := os.WriteFile(file, []byte(tc.content), 0o640); err != nil {
				t.Fatal(err)
			}
			// Without --scrub and without a terminal: stored, file unchanged.
			out, e, code := c.run("", append([]string{"import", file, "--no-check"}, tc.args...)...)
			if code != 0 || !strings.Contains(out, "Stored "+tc.profile) || !strings.Contains(out, "Nothing in") {
				t.Fatalf("import: %d\n%s\n%s", code, out, e)
			}
			if b, _ := os.ReadFile(file); string(b) != tc.content {
				t.Fatal("the file changed without --scrub or a yes")
			}
			js, _, _ := c.run("", "show", tc.profile, "--json")
			if !strings.Contains(js, tc.profile) {
				t.Fatalf("profile not stored: %s", js)
			}
			// Again with --scrub: same key, so only the rewrite happens.
			out, e, code = c.run("", append([]string{"import", file, "--no-check", "--scrub"}, tc.args...)...)
			if code != 0 || !strings.Contains(out, "already in keywarden as "+tc.profile) || !strings.Contains(out, tc.wantExec) {
				t.Fatalf("scrub: %d\n%s\n%s", code, out, e)
			}
			b, _ := os.ReadFile(file)
			if string(b) != tc.wantFile {
				t.Errorf("scrubbed file:\n%s\nwant:\n%s", b, tc.wantFile)
			}
			if fi, _ := os.Stat(file); fi.Mode().Perm() != 0o640 {
				t.Errorf("mode %v, want 0640 kept", fi.Mode().Perm())
			}
			baks, _ := filepath.Glob(filepath.Join(c.env["KEYWARDEN_DIR"], "import-backups", "*.bak"))
			if len(baks) != 1 {
				t.Fatalf("backups: %v", baks)
			}
			fi, _ := os.Stat(baks[0])
			di, _ := os.Stat(filepath.Dir(baks[0]))
			if fi.Mode().Perm() != 0o600 || di.Mode().Perm() != 0o700 {
				t.Errorf("backup %v in folder %v: readable by others", fi.Mode().Perm(), di.Mode().Perm())
			}
			if bb, _ := os.ReadFile(baks[0]); string(bb) != tc.content || !strings.Contains(out, baks[0]) {
				t.Error("the backup is not the original, or its place was not said")
			}
			for _, s := range tc.secrets {
				if strings.Contains(out+e, s) {
					t.Error("a secret in the output")
				}
			}
			// The stored key reaches the bot through exec (which masks it
			// in the bot's output: the secret shows as masked).
			env, _, _ := c.run("", "exec", tc.profile, "--", os.Args[0], "__child__", "env")
			if !strings.Contains(env, `"EXCHANGE_API_SECRET":"[masked`) {
				t.Errorf("exec does not hand over the imported secret: %s", env)
			}
		})
	}
}

func TestImportRefusesABadKeyAndChangesNothing(t *testing.T) {
	c := newCLI(t)
	addSampleProfile(t, c, "main") // a keyring with something in it
	k, _ := sim.SampleKey("binance")
	dir := t.TempDir()
	file := filepath.Join(dir, "config.json")
	bad := "{\"exchange\": {\"name\": \"binance\", \"key\": \"" + k.Key + "\", \"secret\": \"short!\"}}\n"
	_ = os.WriteFile(file, []byte(bad), 0o600)
	before := snapshot(t, c.env["KEYWARDEN_DIR"]) + snapshot(t, dir)
	_, e, code := c.run("", "import", file, "--scrub", "--no-check")
	if code != 2 || !strings.Contains(e, "exchange.key, exchange.secret in the file") || !strings.Contains(e, "nothing was changed") {
		t.Errorf("%d %s", code, e)
	}
	if strings.Contains(e, "short!") {
		t.Error("the bad value is in the message")
	}
	if after := snapshot(t, c.env["KEYWARDEN_DIR"]) + snapshot(t, dir); after != before {
		t.Error("a refused import changed the keyring folder or the file")
	}
	// Other refusals change nothing either.
	for _, tc := range []struct{ content, want string }{
		{"OKX_API_KEY=a\nBINANCE_API_KEY=b\nOKX_API_SECRET=c\nBINANCE_API_SECRET=d\n", "holds 2 keys"},
		{"API_KEY=" + k.Key + "\nAPI_SECRET=" + k.Secret + "\n", "give --exchange"},
		{"TELEGRAM_TOKEN=1\n", "no exchange key"},
	} {
		_ = os.WriteFile(filepath.Join(dir, ".env"), []byte(tc.content), 0o600)
		before := snapshot(t, c.env["KEYWARDEN_DIR"])
		if _, e, code := c.run("", "import", filepath.Join(dir, ".env"), "--scrub"); code != 2 || !strings.Contains(e, tc.want) {
			t.Errorf("%q: %d %s", tc.content, code, e)
		}
		if snapshot(t, c.env["KEYWARDEN_DIR"]) != before {
			t.Errorf("%q changed the keyring", tc.content)
		}
	}
	// A profile of that name with another key is not replaced.
	_ = os.WriteFile(file, []byte("{\"exchange\": {\"name\": \"binance\", \"key\": \""+k.Key+"\", \"secret\": \""+k.Secret+"\"}}\n"), 0o600)
	if _, e, code := c.run("", "import", file, "--name", "main", "--scrub"); code != 2 || !strings.Contains(e, "holds another key") {
		t.Errorf("%d %s", code, e)
	}
}

func TestImportRemovesTheBackupWhenAsked(t *testing.T) {
	c := newCLI(t)
	k, _ := sim.SampleKey("binance")
	file := filepath.Join(t.TempDir(), "prod.env")
	_ = os.WriteFile(file, []byte("BINANCE_API_KEY="+k.Key+"\nBINANCE_API_SECRET="+k.Secret+"\n"), 0o600)
	out, e, code := c.run("", "import", file, "--scrub", "--remove-backup", "--no-check")
	if code != 0 || !strings.Contains(out, "backup of the original was removed") {
		t.Fatalf("%d %s %s", code, out, e)
	}
	if baks, _ := filepath.Glob(filepath.Join(c.env["KEYWARDEN_DIR"], "import-backups", "*")); len(baks) != 0 {
		t.Errorf("backup left: %v", baks)
	}
	if b, _ := os.ReadFile(file); !bytes.Contains(b, []byte("BINANCE_API_SECRET=${EXCHANGE_API_SECRET}")) {
		t.Errorf("%s", b)
	}
}

// A key that was committed is leaked: import says so and prints scan's
// revoke → rewrite history → rotate steps.
func TestImportWarnsWhenTheKeyWasCommitted(t *testing.T) {
	c := newCLI(t)
	cfg, _ := leakyConfig()
	repo := gitRepo(t, map[string]string{"config.json": cfg}, map[string]string{"README.md": "bot\n"})
	out, e, code := c.run("", "import", filepath.Join(repo, "config.json"), "--scrub", "--no-check")
	if code != 0 {
		t.Fatalf("%d %s %s", code, out, e)
	}
	revoke, rewrite, rotate := strings.Index(out, "1. Revoke"), strings.Index(out, "2. Then rewrite the git history"), strings.Index(out, "3. Last, rotate")
	if !strings.Contains(out, "importing it does not undo the leak") || revoke < 0 || rewrite < revoke || rotate < rewrite {
		t.Errorf("no leak warning or steps out of order:\n%s", out)
	}
	// Never committed: no warning.
	c2 := newCLI(t)
	repo2 := gitRepo(t, map[string]string{"README.md": "bot\n"})
	_ = os.WriteFile(filepath.Join(repo2, "config.json"), []byte(cfg), 0o600)
	if out, _, _ := c2.run("", "import", filepath.Join(repo2, "config.json"), "--no-check"); strings.Contains(out, "undo the leak") {
		t.Errorf("warned about a key never committed:\n%s", out)
	}
}

func TestImportChecksTheKeyLive(t *testing.T) {
	c := newCLI(t)
	srv := c.simFor(exchangetest.GoodScenario(t, "binance", "live"))
	k := srv.Scenario().Keys[0]
	file := filepath.Join(t.TempDir(), "config.json")
	_ = os.WriteFile(file, []byte("{\"exchange\": {\"name\": \"binance\", \"key\": \""+k.Key+"\", \"secret\": \""+k.Secret+"\"}}\n"), 0o600)
	out, e, code := c.run("", "import", file, "--base-url", srv.URL)
	if code != 0 || !strings.Contains(out, "auth") || !strings.Contains(out, "Stored binance") {
		t.Errorf("%d\n%s\n%s", code, out, e)
	}
}
