package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/store"
)

// ioStreams is everything a command reads from or writes to, so that
// commands run the same in tests as in a terminal.
type ioStreams struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
	// LookupEnv reads the environment (os.LookupEnv, or a map in tests).
	LookupEnv func(string) (string, bool)
	// InTTY, OutTTY, ErrTTY: whether stdin, stdout, stderr are terminals.
	InTTY, OutTTY, ErrTTY bool
	// OpenTTY opens the controlling terminal for prompts (nil: none).
	OpenTTY func() (*os.File, error)
	// Width is the terminal's width when stdout is one (else 0).
	Width func() int
}

func newSystemIO() *ioStreams {
	return &ioStreams{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr, LookupEnv: os.LookupEnv,
		InTTY:   term.IsTerminal(int(os.Stdin.Fd())),
		OutTTY:  term.IsTerminal(int(os.Stdout.Fd())),
		ErrTTY:  term.IsTerminal(int(os.Stderr.Fd())),
		OpenTTY: openTTY,
		Width: func() int {
			w, _, err := term.GetSize(int(os.Stdout.Fd()))
			if err != nil {
				return 0
			}
			return w
		},
	}
}

func openTTY() (*os.File, error) {
	if runtime.GOOS == "windows" {
		return os.OpenFile("CONIN$", os.O_RDWR, 0)
	}
	return os.OpenFile("/dev/tty", os.O_RDWR, 0)
}

// globals are the flags every command takes.
type globals struct {
	dir       string
	backend   string
	ntpServer string
	ipEchoURL string
	noColor   bool
	// passphraseFile holds the keyring passphrase (--passphrase-file,
	// KEYWARDEN_PASSPHRASE_FILE).
	passphraseFile string
}

// app is shared by every command of one run.
type app struct {
	ctx context.Context
	io  *ioStreams
	g   globals
	// now is the clock (tests).
	now func() time.Time
	// http is the client for exchanges and the IP echo service.
	http *http.Client
	// build is the version, commit and date of this binary.
	build Build
}

// Build says which keywarden this is; the release build sets it in main.
type Build struct {
	Version, Commit, Date string
}

// devBuild is what a plain `go build` or a test run reports.
var devBuild = Build{Version: "dev", Commit: "none", Date: "unknown"}

// Main runs keywarden on the process's own arguments and terminal and
// returns the exit code; main passes it to os.Exit.
func Main(b Build) int {
	return runBuild(context.Background(), os.Args[1:], newSystemIO(), b)
}

// run executes keywarden with args and returns the exit code (tests).
func run(ctx context.Context, args []string, sio *ioStreams) int {
	return runBuild(ctx, args, sio, devBuild)
}

func runBuild(ctx context.Context, args []string, sio *ioStreams, b Build) int {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := &app{ctx: ctx, io: sio, now: time.Now, http: newHTTPClient(), build: b}
	root := newRootCmd(a)
	root.SetArgs(args)
	root.SetIn(sio.In)
	root.SetOut(sio.Out)
	root.SetErr(sio.Err)
	err := a.execute(ctx, root)
	// An interrupt means 130, unless the command chose its own code (exec
	// returns the bot's, even when a forwarded signal ended the bot).
	var ee *exitError
	if err != nil && ctx.Err() != nil && !errors.As(err, &ee) {
		return exitInterrupted
	}
	return exitCode(err)
}

// printError shows an error: plain "keywarden: …" off a terminal, with
// fang's error badge on one; the message itself is never rewritten. A
// silent exit prints nothing: the command has already said what happened.
func (a *app) printError(w io.Writer, err error) {
	var ee *exitError
	if errors.As(err, &ee) && ee.err == nil {
		return
	}
	msg := err.Error()
	if errors.Is(err, errInterrupted) || errors.Is(err, context.Canceled) {
		msg = "interrupted: nothing was changed"
	}
	if !a.io.ErrTTY || a.g.noColor {
		_, _ = fmt.Fprintln(w, "keywarden: "+msg)
		return
	}
	_, _ = fmt.Fprintln(w, errorBadge()+" "+msg)
	if isCobraUsage(err) {
		_, _ = fmt.Fprintln(w, "Try `keywarden --help` for usage.")
	}
}

// newHTTPClient is the client of one run, for exchanges and their helpers:
// redirects are refused (they would carry a key to another host).
func newHTTPClient() *http.Client { return exchanges.NewHTTPClient() }

// termWidth is the width to wrap text at: the terminal's, or 0 off one.
func (a *app) termWidth() int {
	if !a.io.OutTTY || a.io.Width == nil {
		return 0
	}
	return a.io.Width()
}

func (a *app) getenv(k string) string {
	v, _ := a.io.LookupEnv(k)
	return v
}

// bindGlobals fills flags the user did not set from the environment.
func (a *app) bindGlobals(cmd *cobra.Command) error {
	env := func(flag, name string, dst *string) {
		if f := cmd.Flags().Lookup(flag); f != nil && !f.Changed {
			if v := a.getenv(name); v != "" {
				*dst = v
			}
		}
	}
	if err := a.checkDirGiven(cmd); err != nil {
		return err
	}
	env("dir", "KEYWARDEN_DIR", &a.g.dir)
	env("backend", "KEYWARDEN_BACKEND", &a.g.backend)
	env("ntp-server", "KEYWARDEN_NTP_SERVER", &a.g.ntpServer)
	env("ip-echo-url", "KEYWARDEN_IP_ECHO_URL", &a.g.ipEchoURL)
	env("passphrase-file", "KEYWARDEN_PASSPHRASE_FILE", &a.g.passphraseFile)
	if a.getenv("NO_COLOR") != "" {
		a.g.noColor = true
	}
	if a.g.noColor {
		// lipgloss and the Charm components read NO_COLOR.
		_ = os.Setenv("NO_COLOR", "1")
	}
	switch a.g.backend {
	case "", "file", "os":
	default:
		return usageErr(fmt.Errorf("--backend %q: use file (the encrypted file keyring) or os (the system keychain)", a.g.backend))
	}
	if a.g.dir == "" {
		cfg, err := os.UserConfigDir()
		if err != nil {
			return usageErr(fmt.Errorf("no config folder for this user (%v): set --dir or KEYWARDEN_DIR", err))
		}
		a.g.dir = filepath.Join(cfg, "keywarden")
	}
	return nil
}

// checkDirGiven refuses an empty --dir and a set but empty KEYWARDEN_DIR:
// either would otherwise silently mean the default folder. (An empty
// KEYWARDEN_PASSPHRASE is refused the same way.)
func (a *app) checkDirGiven(cmd *cobra.Command) error {
	def := "<user config dir>/keywarden"
	if cfg, err := os.UserConfigDir(); err == nil {
		def = filepath.Join(cfg, "keywarden")
	}
	if f := cmd.Flags().Lookup("dir"); f != nil && f.Changed {
		if strings.TrimSpace(a.g.dir) == "" {
			return usageErr(fmt.Errorf("--dir is empty: give the keyring folder, or leave --dir out to use the default (%s)", def))
		}
		return nil
	}
	if v, ok := a.io.LookupEnv("KEYWARDEN_DIR"); ok && strings.TrimSpace(v) == "" {
		return usageErr(fmt.Errorf("KEYWARDEN_DIR is set but empty: set it to the keyring folder, or unset it (unset KEYWARDEN_DIR) to use the default (%s)", def))
	}
	return nil
}

// openStore opens the keyring folder. The passphrase is asked only when
// a secret is read or written.
func (a *app) openStore() (*store.Store, error) {
	return store.Open(store.Options{
		Dir:        a.g.dir,
		Backend:    a.g.backend,
		Passphrase: a.passphrase,
		Warn:       func(msg string) { fmt.Fprintln(a.io.Err, "warning: "+msg) },
	})
}

// passphrase comes from a passphrase file, KEYWARDEN_PASSPHRASE, or a
// masked prompt on the terminal (asked twice for a new keyring).
func (a *app) passphrase(confirm bool) (string, error) {
	if p, ok, err := a.passphraseFromFile(); ok {
		return p, err
	}
	// An empty KEYWARDEN_PASSPHRASE counts as given: the store refuses it
	// with a clear message instead of silently prompting.
	if v, ok := a.io.LookupEnv("KEYWARDEN_PASSPHRASE"); ok {
		return v, nil
	}
	if confirm {
		p, err := a.prompt("New keyring: choose a passphrase (at least 8 characters): ")
		if err != nil {
			return "", err
		}
		again, err := a.prompt("Type it again: ")
		if err != nil {
			return "", err
		}
		if p != again {
			return "", usageErr(errors.New("the two passphrases differ; nothing was saved. Run the command again"))
		}
		return p, nil
	}
	return a.prompt("Keyring passphrase: ")
}

// errNoTerminalPassphrase says both ways to give one.
var errNoTerminalPassphrase = fmt.Errorf("%w: the keyring needs its passphrase, and there is no terminal to ask on: set KEYWARDEN_PASSPHRASE or KEYWARDEN_PASSPHRASE_FILE for non-interactive use, or run the command on a terminal to be asked", store.ErrNoPassphrase)

// prompt reads a masked line from the terminal. Ctrl+C restores the
// terminal and interrupts.
func (a *app) prompt(label string) (string, error) {
	if a.io.OpenTTY == nil {
		return "", errNoTerminalPassphrase
	}
	tty, err := a.io.OpenTTY()
	if err != nil {
		return "", errNoTerminalPassphrase
	}
	defer tty.Close()
	fd := int(tty.Fd())
	if !term.IsTerminal(fd) {
		return "", errNoTerminalPassphrase
	}
	state, err := term.GetState(fd)
	if err != nil {
		return "", errNoTerminalPassphrase
	}
	fmt.Fprint(tty, label)
	type answer struct {
		b   []byte
		err error
	}
	ch := make(chan answer, 1)
	go func() {
		b, err := term.ReadPassword(fd)
		ch <- answer{b, err}
	}()
	select {
	case r := <-ch:
		fmt.Fprintln(tty)
		if r.err != nil {
			return "", fmt.Errorf("read passphrase: %w", r.err)
		}
		return string(r.b), nil
	case <-a.ctx.Done():
		_ = term.Restore(fd, state)
		fmt.Fprintln(tty)
		return "", errInterrupted
	}
}
