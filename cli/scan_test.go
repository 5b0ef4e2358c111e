package cli

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitRepo makes a repository in a new folder; each step writes files
// (empty content deletes) and commits.
func gitRepo(t *testing.T, steps ...map[string]string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	git := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v %s", args, err, out)
		}
	}
	git("init", "-q", "-b", "main")
	for i, step := range steps {
		for name, content := range step {
			p := filepath.Join(dir, name)
			if content == "" {
				_ = os.Remove(p)
				continue
			}
			_ = os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		git("add", "-A")
		git("commit", "-q", "--allow-empty", "-m", "step "+string(rune('a'+i)))
	}
	return dir
}

func TestScanCommand(t *testing.T) {
	c := newCLI(t)
	k := addSampleProfile(t, c, "main")
	leaky := gitRepo(t,
		map[string]string{"bot.py": "import os\n"},
		map[string]string{"settings.txt": "x\nauth " + base64.StdEncoding.EncodeToString([]byte(k.Secret)) + "\n"},
		map[string]string{"settings.txt": ""})
	out, errOut, code := c.run("", "scan", leaky)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"HIGH", "settings.txt:2", "the secret of profile main (Binance), base64", "1 findings (1 high)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	revoke, rewrite, rotate := strings.Index(out, "1. Revoke"), strings.Index(out, "2. Then rewrite the git history"), strings.Index(out, "3. Last, rotate")
	if revoke < 0 || rewrite < revoke || rotate < rewrite || !strings.Contains(out, "git filter-repo") || !strings.Contains(out, "Click Delete") {
		t.Errorf("remedy missing or out of order:\n%s", out)
	}
	if strings.Contains(out+errOut, k.Secret) || strings.Contains(out+errOut, base64.StdEncoding.EncodeToString([]byte(k.Secret))) {
		t.Error("the secret in the output")
	}

	js, _, code := c.run("", "scan", leaky, "--json")
	var doc struct {
		Findings []struct {
			Path, Commit, Kind, Severity, Profile, Field, Encoding string
			Line                                                   int
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(js), &doc); err != nil || code != 1 || len(doc.Findings) != 1 {
		t.Fatalf("json: exit %d %v\n%s", code, err, js)
	}
	if f := doc.Findings[0]; f.Path != "settings.txt" || f.Line != 2 || len(f.Commit) != 40 || f.Severity != "high" || f.Encoding != "base64" {
		t.Errorf("%+v", f)
	}

	clean := gitRepo(t, map[string]string{"bot.py": "import os\nkey = os.environ['EXCHANGE_API_KEY']\n"})
	out, _, code = c.run("", "scan", clean)
	if code != 0 || !strings.Contains(out, "No leaked keys found") {
		t.Errorf("clean: exit %d\n%s", code, out)
	}

	// Without a passphrase the stored secrets are skipped, and said.
	delete(c.env, "KEYWARDEN_PASSPHRASE")
	out, _, code = c.run("", "scan", leaky)
	if code != 0 || !strings.Contains(out, "stored-secret matching skipped") {
		t.Errorf("no passphrase: exit %d\n%s", code, out)
	}

	if _, e, code := c.run("", "scan", filepath.Join(clean, "nope")); code != 2 || !strings.Contains(e, "not a folder") {
		t.Errorf("missing folder: %d %q", code, e)
	}
}

// TestScanLevel: a key in a test fixture is below the default level (a
// note counts it), and --level info shows it; a bad level is refused.
func TestScanLevel(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	line := "BINANCE_API_SECRET=NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j\n"
	if err := os.MkdirAll(filepath.Join(dir, "testdata"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "testdata", "bot.env"), []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := c.run("", "scan", "--no-keyring", dir)
	if code != 0 || !strings.Contains(out, "below severity low left out") || !strings.Contains(out, "--level info") {
		t.Fatalf("default level: exit %d\n%s%s", code, out, errOut)
	}
	out, errOut, code = c.run("", "scan", "--no-keyring", "--level", "info", dir)
	if code != 1 || !strings.Contains(out, "testdata/bot.env:1") || !strings.Contains(out, "INFO") {
		t.Fatalf("--level info: exit %d\n%s%s", code, out, errOut)
	}
	if _, errOut, code = c.run("", "scan", "--level", "loud", dir); code != 2 || !strings.Contains(errOut, "use info, low, medium or high") {
		t.Fatalf("bad level: exit %d %s", code, errOut)
	}
}
