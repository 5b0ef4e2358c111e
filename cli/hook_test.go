package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/exchanges/sim"
)

// gitIn runs git in dir the way a user would, with this test binary as
// the keywarden the hook runs (KEYWARDEN_TEST_MAIN, see TestMain).
func gitIn(t *testing.T, c *cli, dir string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_SYSTEM=/dev/null", testMainEnv+"=1")
	for k, v := range c.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func head(t *testing.T, c *cli, dir string) string {
	out, _ := gitIn(t, c, dir, "rev-parse", "HEAD")
	return strings.TrimSpace(out)
}

// leakyConfig is a freqtrade config holding a freshly made Binance key.
func leakyConfig() (string, sim.Key) {
	k, _ := sim.SampleKey("binance")
	return `{
  "max_open_trades": 3,
  "exchange": {
    "name": "binance",
    "key": "` + k.Key + `",
    "secret": "` + k.Secret + `"
  }
}
`, k
}

func write(t *testing.T, p, content string) {
	t.Helper()
	_ = os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestHookBlocksAKeyAndLetsACleanCommitThrough(t *testing.T) {
	c := newCLI(t)
	repo := gitRepo(t, map[string]string{"bot.py": "import os\n"})
	t.Chdir(filepath.Join(repo))
	if out, e, code := c.run("", "hook", "install"); code != 0 || !strings.Contains(out, "Installed the pre-commit hook") {
		t.Fatalf("install: %d %s %s", code, out, e)
	}
	before := head(t, c, repo)

	cfg, k := leakyConfig()
	write(t, filepath.Join(repo, "config.json"), cfg)
	if _, err := gitIn(t, c, repo, "add", "config.json"); err != nil {
		t.Fatal(err)
	}
	out, err := gitIn(t, c, repo, "commit", "-m", "add config")
	if err == nil || head(t, c, repo) != before {
		t.Fatalf("the commit with a key went through:\n%s", out)
	}
	for _, want := range []string{"commit blocked", "config.json:5", "config.json:6", "Binance", "keywarden import config.json",
		"[[allow]]", "fingerprint = \"kw1:", "git commit --no-verify", "--no-keyring"} {
		if !strings.Contains(out, want) {
			t.Errorf("the blocked commit lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, k.Secret) || strings.Contains(out, k.Key) {
		t.Errorf("the hook printed a value:\n%s", out)
	}

	// `git commit -a` commits a tracked file's working-tree change: the
	// hook sees the index git builds for it.
	if _, err := gitIn(t, c, repo, "rm", "-q", "--cached", "config.json"); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(repo, "bot.py"), "import os\nBINANCE_API_SECRET = '"+k.Secret+"'\n")
	if out, err := gitIn(t, c, repo, "commit", "-a", "-m", "edit bot"); err == nil || !strings.Contains(out, "bot.py:2") {
		t.Errorf("commit -a with a key went through:\n%s", out)
	}

	// A clean commit goes through.
	write(t, filepath.Join(repo, "bot.py"), "import os\nsecret = os.environ['EXCHANGE_API_SECRET']\n")
	out, err = gitIn(t, c, repo, "commit", "-a", "-m", "clean")
	if err != nil || head(t, c, repo) == before || !strings.Contains(out, "no leaked keys in the 1 staged files") {
		t.Errorf("a clean commit was blocked: %v\n%s", err, out)
	}
}

func TestHookChainsToTheExistingHook(t *testing.T) {
	c := newCLI(t)
	repo := gitRepo(t, map[string]string{"bot.py": "import os\n"})
	t.Chdir(repo)
	hooks := filepath.Join(repo, ".git", "hooks")
	marker := filepath.Join(t.TempDir(), "ran")
	theirs := "#!/bin/sh\necho their hook >> " + marker + "\nexit ${THEIR_EXIT:-0}\n"
	write(t, filepath.Join(hooks, "pre-commit"), theirs)
	_ = os.Chmod(filepath.Join(hooks, "pre-commit"), 0o755)

	out, _, code := c.run("", "hook", "install")
	if code != 0 || !strings.Contains(out, "pre-commit.keywarden-saved and runs first") {
		t.Fatalf("install: %d %s", code, out)
	}
	if b, _ := os.ReadFile(filepath.Join(hooks, hookSaved)); string(b) != theirs {
		t.Fatalf("their hook was not kept: %q", b)
	}
	// Installing again updates ours and keeps the chain.
	if out, _, code := c.run("", "hook", "install"); code != 0 || !strings.Contains(out, "Updated") || !strings.Contains(out, "still runs") {
		t.Errorf("reinstall: %d %s", code, out)
	}

	write(t, filepath.Join(repo, "notes.txt"), "hello\n")
	gitIn(t, c, repo, "add", "notes.txt")
	if out, err := gitIn(t, c, repo, "commit", "-m", "clean"); err != nil {
		t.Fatalf("clean commit blocked: %v\n%s", err, out)
	}
	if b, _ := os.ReadFile(marker); string(b) != "their hook\n" {
		t.Errorf("their hook did not run: %q", b)
	}
	// Their hook still has the last word on its own checks.
	c.env["THEIR_EXIT"] = "3"
	write(t, filepath.Join(repo, "notes.txt"), "hello again\n")
	gitIn(t, c, repo, "add", "notes.txt")
	if out, err := gitIn(t, c, repo, "commit", "-m", "x"); err == nil {
		t.Errorf("their failing hook was ignored:\n%s", out)
	}
	delete(c.env, "THEIR_EXIT")
	// And ours still blocks a key after theirs passed.
	cfg, _ := leakyConfig()
	write(t, filepath.Join(repo, "config.json"), cfg)
	gitIn(t, c, repo, "add", "config.json")
	if out, err := gitIn(t, c, repo, "commit", "-m", "key"); err == nil || !strings.Contains(out, "commit blocked") {
		t.Errorf("key went through a chained hook:\n%s", out)
	}

	if out, _, code := c.run("", "hook", "uninstall"); code != 0 || !strings.Contains(out, "is back") {
		t.Errorf("uninstall: %d %s", code, out)
	}
	if b, _ := os.ReadFile(filepath.Join(hooks, "pre-commit")); string(b) != theirs {
		t.Errorf("their hook was not restored: %q", b)
	}
	if _, err := os.Stat(filepath.Join(hooks, hookSaved)); err == nil {
		t.Error("the saved copy is left behind")
	}
	// Uninstalling a hook that is not ours leaves it alone.
	if _, e, code := c.run("", "hook", "uninstall"); code != 2 || !strings.Contains(e, "not keywarden's hook") {
		t.Errorf("uninstall of theirs: %d %s", code, e)
	}

	// --force: theirs is kept aside but no longer runs.
	_ = os.Remove(marker)
	if out, _, code := c.run("", "hook", "install", "--force"); code != 0 || !strings.Contains(out, "kept, not run") {
		t.Fatalf("install --force: %d %s", code, out)
	}
	gitIn(t, c, repo, "rm", "-q", "--cached", "config.json")
	if out, err := gitIn(t, c, repo, "commit", "-m", "clean again"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("their hook ran after --force")
	}
	c.run("", "hook", "uninstall")
	if b, _ := os.ReadFile(filepath.Join(hooks, "pre-commit")); string(b) != theirs {
		t.Errorf("their hook was not restored after --force: %q", b)
	}
}

func TestHookFollowsCoreHooksPath(t *testing.T) {
	c := newCLI(t)
	repo := gitRepo(t, map[string]string{"bot.py": "import os\n"})
	t.Chdir(filepath.Join(repo))
	if _, err := gitIn(t, c, repo, "config", "core.hooksPath", ".githooks"); err != nil {
		t.Fatal(err)
	}
	if sub := filepath.Join(repo, "src"); os.MkdirAll(sub, 0o755) == nil {
		t.Chdir(sub) // installing from a subfolder finds the same place
	}
	if out, e, code := c.run("", "hook", "install"); code != 0 || !strings.Contains(out, filepath.Join(repo, ".githooks", "pre-commit")) {
		t.Fatalf("install: %d %s %s", code, out, e)
	}
	if _, err := os.Stat(filepath.Join(repo, ".git", "hooks", "pre-commit")); err == nil {
		t.Error("installed into .git/hooks although core.hooksPath is set")
	}
	cfg, _ := leakyConfig()
	write(t, filepath.Join(repo, "config.json"), cfg)
	gitIn(t, c, repo, "add", "config.json")
	if out, err := gitIn(t, c, repo, "commit", "-m", "key"); err == nil || !strings.Contains(out, "commit blocked") {
		t.Errorf("the hook in core.hooksPath did not run:\n%s", out)
	}
	if out, _, code := c.run("", "hook", "uninstall"); code != 0 || !strings.Contains(out, "Removed") {
		t.Errorf("uninstall: %d %s", code, out)
	}
	if _, err := os.Stat(filepath.Join(repo, ".githooks", "pre-commit")); err == nil {
		t.Error("hook left after uninstall")
	}
}

func TestHookOutsideARepository(t *testing.T) {
	c := newCLI(t)
	t.Chdir(t.TempDir())
	if _, e, code := c.run("", "hook", "install"); code != 2 || !strings.Contains(e, "not inside a git repository") {
		t.Errorf("%d %s", code, e)
	}
}
