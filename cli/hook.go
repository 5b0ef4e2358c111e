package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
)

// The pre-commit hook: a small sh script that runs the hook that was there
// before (if any), then `keywarden scan --staged`. It is recognised by
// hookMarker, so install updates it in place and uninstall never removes a
// hook that is not keywarden's.
const (
	hookMarker = "# keywarden-hook v1"
	hookName   = "pre-commit"
	// hookSaved is the hook that was in place before: run first when
	// chained, kept (not run) after --force, put back by uninstall.
	hookSaved = "pre-commit.keywarden-saved"
)

type hookOptions struct {
	force   bool
	keyring bool
}

func newHookCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "hook install|uninstall",
		Short: "Install a git pre-commit hook that blocks commits holding a key",
		Long: `Install (or remove) a git pre-commit hook in the current repository that runs
` + "`keywarden scan --staged --no-keyring`" + ` before every commit, and blocks the commit
when the staged files hold an exchange key: it prints the file, the line, what
was found (never the value) and the way out.

The hook goes where git looks for hooks: core.hooksPath when set, else
.git/hooks (shared by all worktrees). An existing pre-commit hook is never
overwritten: it is kept as pre-commit.keywarden-saved and runs first
(chaining); with --force it is kept but no longer run. ` + "`hook uninstall`" + ` removes
keywarden's hook and puts the saved one back.

By default the hook looks for key-shaped strings only: it needs no
passphrase and takes a few tens of milliseconds. --keyring also matches the
keys stored in keywarden (any shape, any encoding); that unlocks the keyring
on every commit (about 150 ms of key stretching) and needs the passphrase:
KEYWARDEN_PASSPHRASE, KEYWARDEN_PASSPHRASE_FILE, or a prompt on the terminal.

To commit once without the hook: git commit --no-verify.`,
		Example: `  keywarden hook install
  keywarden hook install --keyring
  keywarden hook uninstall`,
	}
	var o hookOptions
	install := &cobra.Command{
		Use:   "install [--force] [--keyring]",
		Short: "Install the pre-commit hook in the current repository",
		Args:  exactArgs(0, "hook install takes no arguments; run it inside the repository"),
		RunE:  func(cmd *cobra.Command, args []string) error { return runHookInstall(a, o) },
	}
	install.Flags().BoolVar(&o.force, "force", false, "replace an existing pre-commit hook instead of chaining to it (it is kept as "+hookSaved+")")
	install.Flags().BoolVar(&o.keyring, "keyring", false, "also match the keys stored in keywarden (asks for the passphrase on each commit)")
	uninstall := &cobra.Command{
		Use:   "uninstall",
		Short: "Remove keywarden's pre-commit hook and restore the one it replaced",
		Args:  exactArgs(0, "hook uninstall takes no arguments; run it inside the repository"),
		RunE:  func(cmd *cobra.Command, args []string) error { return runHookUninstall(a) },
	}
	cmd.AddCommand(install, uninstall)
	return cmd
}

// hooksDir is the folder git runs hooks from, for the repository around
// the current folder: `git rev-parse --git-path hooks` honours
// core.hooksPath (relative to the top of the working tree) and worktrees.
func (a *app) hooksDir() (string, error) {
	git, err := exec.LookPath("git")
	if err != nil {
		return "", usageErr(errors.New("git is not installed: a pre-commit hook needs git"))
	}
	top, err := exec.CommandContext(a.ctx, git, "rev-parse", "--show-toplevel").Output()
	if err != nil {
		return "", usageErr(errors.New("not inside a git repository (with a working tree): run `keywarden hook install` in the repository"))
	}
	root := strings.TrimSpace(string(top))
	out, err := exec.CommandContext(a.ctx, git, "-C", root, "rev-parse", "--git-path", "hooks").Output()
	if err != nil {
		return "", fmt.Errorf("git rev-parse --git-path hooks: %w", err)
	}
	dir := strings.TrimSpace(string(out))
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(root, dir)
	}
	return dir, nil
}

// hookScript is the hook's text. kw is the keywarden binary at install
// time; PATH is the fallback if it moves.
func hookScript(kw string, chain, keyring bool) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `#!/bin/sh
%s: installed by `+"`keywarden hook install`"+`; `+"`keywarden hook uninstall`"+` removes it
# and puts back the hook that was here before (%s), if any.
# It blocks a commit whose staged files hold an exchange key. Skip it once: git commit --no-verify
`, hookMarker, hookSaved)
	if chain {
		fmt.Fprintf(&b, `hooks=$(dirname "$0")
if [ -x "$hooks/%s" ]; then
	"$hooks/%s" "$@" || exit $?
fi
`, hookSaved, hookSaved)
	}
	fmt.Fprintf(&b, `want=%s
kw=$want
if [ ! -x "$kw" ]; then
	kw=$(command -v keywarden) || {
		echo "keywarden pre-commit hook: keywarden is not found (not at $want, not on PATH):" >&2
		echo "install it again, or remove this hook with: rm \"$0\"" >&2
		exit 1
	}
fi
`, shQuote(kw))
	flags := "--staged --no-keyring"
	if keyring {
		flags = "--staged"
	}
	fmt.Fprintf(&b, "exec \"$kw\" scan %s\n", flags)
	return b.Bytes()
}

func isOurHook(b []byte) bool { return bytes.Contains(b, []byte(hookMarker)) }

func runHookInstall(a *app, o hookOptions) error {
	dir, err := a.hooksDir()
	if err != nil {
		return err
	}
	kw, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find the keywarden binary: %w", err)
	}
	if r, err := filepath.EvalSymlinks(kw); err == nil {
		kw = r
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create the hooks folder %s: %w", dir, err)
	}
	hook, saved := filepath.Join(dir, hookName), filepath.Join(dir, hookSaved)
	old, err := os.ReadFile(hook)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		if _, lerr := os.Lstat(hook); lerr != nil {
			return fmt.Errorf("read %s: %w", hook, err)
		}
		exists = true // a dangling link or unreadable file: still someone's hook
	}
	chain := false
	switch {
	case exists && isOurHook(old):
		_, serr := os.Lstat(saved)
		chain = serr == nil && bytes.Contains(old, []byte(`"$hooks/`+hookSaved+`" "$@"`))
	case exists:
		if _, serr := os.Lstat(saved); serr == nil {
			return usageErr(fmt.Errorf("%s exists, and so does %s from an earlier install: move one of them away, then run `keywarden hook install` again", hook, saved))
		}
		if err := os.Rename(hook, saved); err != nil {
			return fmt.Errorf("keep the existing hook as %s: %w", saved, err)
		}
		chain = !o.force
	}
	if err := writeFileAtomic(hook, hookScript(kw, chain, o.keyring), 0o755); err != nil {
		if exists && !isOurHook(old) {
			_ = os.Rename(saved, hook) // nothing changed after all
		}
		return err
	}
	what := "key-shaped strings (no passphrase needed)"
	if o.keyring {
		what = "key-shaped strings and the keys stored in keywarden (the passphrase is needed on each commit: KEYWARDEN_PASSPHRASE, KEYWARDEN_PASSPHRASE_FILE or the terminal)"
	}
	verb := "Installed"
	if exists && isOurHook(old) {
		verb = "Updated"
	}
	fmt.Fprintf(a.io.Out, "%s the pre-commit hook %s: every commit is scanned for %s.\n", verb, hook, what)
	switch {
	case exists && !isOurHook(old) && chain:
		fmt.Fprintf(a.io.Out, "The hook that was there is kept as %s and runs first.\n", saved)
	case exists && !isOurHook(old):
		fmt.Fprintf(a.io.Out, "The hook that was there (--force) is kept, not run, as %s; `keywarden hook uninstall` puts it back.\n", saved)
	case chain:
		fmt.Fprintf(a.io.Out, "It still runs %s first.\n", saved)
	}
	fmt.Fprintln(a.io.Out, "Skip it for one commit with: git commit --no-verify")
	return nil
}

func runHookUninstall(a *app) error {
	dir, err := a.hooksDir()
	if err != nil {
		return err
	}
	hook, saved := filepath.Join(dir, hookName), filepath.Join(dir, hookSaved)
	b, err := os.ReadFile(hook)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		fmt.Fprintf(a.io.Out, "No pre-commit hook in %s: nothing to remove.\n", dir)
		return nil
	case err != nil:
		return fmt.Errorf("read %s: %w", hook, err)
	case !isOurHook(b):
		return usageErr(fmt.Errorf("%s is not keywarden's hook: it was left alone", hook))
	}
	if err := os.Remove(hook); err != nil {
		return fmt.Errorf("remove %s: %w", hook, err)
	}
	if _, err := os.Lstat(saved); err == nil {
		if err := os.Rename(saved, hook); err != nil {
			return fmt.Errorf("put back %s as %s: %w", saved, hook, err)
		}
		fmt.Fprintf(a.io.Out, "Removed keywarden's pre-commit hook; the hook it had replaced is back in %s.\n", hook)
		return nil
	}
	fmt.Fprintf(a.io.Out, "Removed keywarden's pre-commit hook %s.\n", hook)
	return nil
}

// shQuote quotes s for sh.
func shQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
