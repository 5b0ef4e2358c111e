package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/keywarden/keywarden/checks"
	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/all"
	"github.com/keywarden/keywarden/internal/dbusguard"
	"github.com/keywarden/keywarden/internal/mask"
	"github.com/keywarden/keywarden/store"
	"github.com/keywarden/keywarden/ui"
)

// The environment styles of exec.
const (
	styleGeneric   = "generic"
	styleCCXT      = "ccxt"
	styleFreqtrade = "freqtrade"
)

// maskMinLen is the shortest value exec masks: anything shorter would
// mangle ordinary output and could not be told apart from it.
const maskMinLen = 6

// maskRelease is how long the bot's output may be held back while it may
// be the beginning of a secret, before it is written anyway (a prompt the
// bot waits on must appear). At most 15 characters of a secret can come
// out this way, and only if the bot prints it slower than this.
const maskRelease = 100 * time.Millisecond

// exitNotFound and exitNotExecutable are the shell's codes for a command
// that cannot be started.
const (
	exitNotExecutable = 126
	exitNotFound      = 127
)

type execOptions struct {
	name     string
	check    bool
	envStyle string
	timeout  time.Duration
	argv     []string
	// environ is the environment the bot starts from (os.Environ).
	environ func() []string
}

func newExecCmd(a *app) *cobra.Command {
	o := execOptions{environ: os.Environ}
	cmd := &cobra.Command{
		Use:   "exec NAME [--check] [--env-style generic|ccxt|freqtrade] -- CMD [ARGS...]",
		Short: "Run a bot with the key in its environment",
		Long: `Run a bot with the key in its environment and nowhere else: no .env file, no
config file, nothing in the bot's arguments.

--env-style decides the variable names:
  generic    EXCHANGE_API_KEY, EXCHANGE_API_SECRET, EXCHANGE_API_PASSPHRASE
             (only for exchanges that have one), EXCHANGE_ID
  ccxt       <ID>_APIKEY, <ID>_SECRET, <ID>_PASSWORD (only with a passphrase),
             e.g. BINANCE_APIKEY: ccxt's own convention (its CLI and test
             runner read {exchange id}_{credential}); in a bot:
             ccxt.binance({'apiKey': os.environ['BINANCE_APIKEY'], ...})
  freqtrade  FREQTRADE__EXCHANGE__NAME, FREQTRADE__EXCHANGE__KEY,
             FREQTRADE__EXCHANGE__SECRET, FREQTRADE__EXCHANGE__PASSWORD
Variables of all these names left over in the environment are removed
first, and so are KEYWARDEN_PASSPHRASE, KEYWARDEN_PASSPHRASE_FILE and
KEYWARDEN_NEW_PASSPHRASE.

The key, secret and passphrase are masked in the bot's stdout and stderr:
any 16 of their characters in a row, and each whole, also base64-, hex-,
URL-, JSON- or \u-escaped, with another case, reversed, wrapped, spaced
out or with colour codes inside (see the README for what is not). Output
is passed on unchanged and at once, except while a secret may be
arriving, and for 0.1 s at most. stdin is the bot's. INT, TERM, HUP,
QUIT, USR1 and USR2 sent to keywarden reach the bot (Ctrl+C on a
terminal reaches it directly); if keywarden is killed, the bot gets TERM
(Linux; on Windows it ends). keywarden exits with the bot's exit code
(128+N if a signal N ended it).

The bot's stdout is a pipe, not a terminal: a Python bot buffers print()
output unless run with PYTHONUNBUFFERED=1 (logging to stderr is not
buffered).`,
		Example: `  keywarden exec main -- freqtrade trade --config config.json
  keywarden exec main --env-style freqtrade --check -- freqtrade trade
  keywarden exec okx-bot --env-style ccxt -- python bot.py`,
		Args: func(cmd *cobra.Command, args []string) error {
			dash := cmd.ArgsLenAtDash()
			switch {
			case dash < 0:
				return usageErr(errors.New("put -- before the bot's command, e.g. `keywarden exec main -- freqtrade trade`"))
			case dash != 1:
				return usageErr(errors.New("exec takes one profile NAME before --, e.g. `keywarden exec main -- python bot.py`"))
			case len(args) == dash:
				return usageErr(errors.New("no command after --: say which bot to run, e.g. `keywarden exec main -- python bot.py`"))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.name, o.argv = args[0], args[1:]
			return runExec(a, o)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.check, "check", false, "run the health check first and refuse to start the bot on any fail")
	f.StringVar(&o.envStyle, "env-style", styleGeneric, "variable names: generic, ccxt or freqtrade")
	f.DurationVar(&o.timeout, "timeout", 15*time.Second, "bound for --check")
	return cmd
}

func runExec(a *app, o execOptions) error {
	switch o.envStyle {
	case styleGeneric, styleCCXT, styleFreqtrade:
	default:
		return usageErr(fmt.Errorf("--env-style %q: use generic, ccxt or freqtrade", o.envStyle))
	}
	if o.timeout <= 0 {
		return usageErr(errors.New("--timeout must be positive, like 15s"))
	}
	st, err := a.openStore()
	if err != nil {
		return err
	}
	p, err := st.Get(o.name)
	if err != nil {
		return err
	}
	creds, err := st.Credentials(p.Name)
	if err != nil {
		return err
	}
	prog := filepath.Base(o.argv[0])
	if o.check {
		if err := a.checkBeforeExec(st, p, prog, o.timeout); err != nil {
			return err
		}
	}
	if a.ctx.Err() != nil {
		return errInterrupted
	}
	info, known := all.Lookup(p.Exchange)
	var exInfo *exchanges.Info
	if known {
		i := info.Info()
		exInfo = &i
	}
	env := botEnv(o.environ(), o.envStyle, p.Exchange, exInfo, creds)
	m := mask.New([]mask.Secret{
		{Name: "key", Value: creds.Key},
		{Name: "secret", Value: creds.Secret.Reveal()},
		{Name: "passphrase", Value: creds.Passphrase.Reveal()},
	}, maskMinLen)
	if n := len(creds.Passphrase.Reveal()); n > 0 && n < maskMinLen {
		fmt.Fprintf(a.io.Err, "note: the passphrase has fewer than %d characters, too few to mask in the bot's output\n", maskMinLen)
	}
	detail := prog + " (env style " + o.envStyle + ")"
	if o.check {
		detail += ", after a check with no fail"
	}
	return a.startBot(o.argv, env, m, func() { a.recordHistory(p.Name, store.EventExec, detail) })
}

// checkBeforeExec runs the health check, printing it as plain text on
// stderr, and refuses (exit 1) on any fail, and unless auth passed: the
// bot starts only with a key the exchange was seen to accept.
func (a *app) checkBeforeExec(st *store.Store, p store.Profile, prog string, timeout time.Duration) error {
	t, err := a.target(st, p)
	if err != nil {
		return err
	}
	sess := checks.NewSession(a.sessionOptions(timeout))
	reports := runTargets(a.ctx, sess, []checkTarget{t}, timeout, nil)
	if a.ctx.Err() != nil {
		return errInterrupted
	}
	styles := ui.NewStyles(!a.g.noColor && a.io.ErrTTY)
	if err := ui.WriteCheckText(a.io.Err, reports, styles, exchangeNames(), 0); err != nil {
		return err
	}
	a.remember(st, reports)
	return mayStart(prog, p.Name, reports[0])
}

// mayStart refuses (exit 1) a report with any fail, or whose auth did not
// pass: a key the exchange was not seen to accept is not a checked key.
func mayStart(prog, name string, r checks.Report) error {
	var failed []string
	for _, c := range r.Checks {
		if c.Status == checks.Fail {
			failed = append(failed, c.ID+" ("+c.Summary+")")
		}
	}
	if len(failed) > 0 {
		return &exitError{code: exitFailed, err: fmt.Errorf("not starting %s: the check of %s failed: %s; fix it (see above), or run without --check",
			prog, name, strings.Join(failed, "; "))}
	}
	if auth, ok := findCheck(r, "auth"); !ok || auth.Status != checks.Pass {
		return &exitError{code: exitFailed, err: fmt.Errorf("not starting %s: the key of %s was not verified (auth %s: %s); run `keywarden check %s`, or run without --check",
			prog, name, auth.Status, auth.Summary, name)}
	}
	return nil
}

// findCheck returns the result with id in r.
func findCheck(r checks.Report, id string) (checks.Result, bool) {
	for _, c := range r.Checks {
		if c.ID == id {
			return c, true
		}
	}
	return checks.Result{ID: id, Status: checks.Skip, Summary: "not run"}, false
}

// startBot runs argv with env, masking m's secrets in its output, passing
// stdin and signals through, and returns its exit code as an exitError
// (nil for 0). started runs once the bot is running.
func (a *app) startBot(argv, env []string, m *mask.Matcher, started func()) error {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	cmd.Stdin = a.io.In
	stdout := mask.NewWriter(a.io.Out, m, maskRelease)
	stderr := mask.NewWriter(a.io.Err, m, maskRelease)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	// A bot that leaves a daemon holding its output open must not keep
	// keywarden waiting for ever once the bot itself has exited.
	cmd.WaitDelay = 5 * time.Second
	cmd.SysProcAttr = botProcAttr()
	// Linux sends the parent-death signal when the thread that started
	// the bot ends, not keywarden: this goroutine, which waits for the
	// bot, keeps its thread until then (golang/go#27505).
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	fwd := forwardSignals()
	defer fwd.stop()
	if err := cmd.Start(); err != nil {
		return startError(argv[0], err)
	}
	defer tieToKeywarden(cmd.Process, a.io.Err)()
	fwd.start(cmd.Process)
	started()
	werr := cmd.Wait()
	fwd.stop()
	ferr := errors.Join(stdout.Flush(), stderr.Flush())
	if ferr != nil && !errors.Is(ferr, fs.ErrClosed) {
		fmt.Fprintln(a.io.Err, "warning: could not pass on all of the bot's output: "+ferr.Error())
	}
	code := exitStatus(cmd.ProcessState)
	if code == 0 && werr != nil && !errors.Is(werr, exec.ErrWaitDelay) {
		var ee *exec.ExitError
		if !errors.As(werr, &ee) {
			return fmt.Errorf("wait for %s: %w", filepath.Base(argv[0]), werr)
		}
	}
	if code == 0 {
		return nil
	}
	return &exitError{code: code}
}

// startError explains a bot that could not be started, with the shell's
// exit codes.
func startError(prog string, err error) error {
	switch {
	case errors.Is(err, exec.ErrNotFound), errors.Is(err, fs.ErrNotExist):
		return &exitError{code: exitNotFound, err: fmt.Errorf("%s: command not found (check the name and PATH)", prog)}
	case errors.Is(err, fs.ErrPermission):
		return &exitError{code: exitNotExecutable, err: fmt.Errorf("%s: permission denied (is it executable?)", prog)}
	}
	return &exitError{code: exitNotExecutable, err: fmt.Errorf("start %s: %w", prog, err)}
}

// botEnv is the bot's environment: base without keywarden's own variables
// (the D-Bus guard's, the passphrases) and without any variable of any
// style, then the chosen style's variables.
func botEnv(base []string, style, exchangeID string, info *exchanges.Info, c exchanges.Credentials) []string {
	drop := map[string]bool{"KEYWARDEN_PASSPHRASE": true, "KEYWARDEN_NEW_PASSPHRASE": true, "KEYWARDEN_PASSPHRASE_FILE": true}
	for _, s := range []string{styleGeneric, styleCCXT, styleFreqtrade} {
		for _, id := range append(all.IDs(), exchangeID) {
			for _, kv := range styleVars(s, id, true, exchanges.Credentials{}) {
				drop[envKey(kv[0])] = true
			}
		}
	}
	out := make([]string, 0, len(base)+4)
	for _, kv := range dbusguard.Clean(base) {
		name, _, _ := strings.Cut(kv, "=")
		if !drop[envKey(name)] {
			out = append(out, kv)
		}
	}
	hasPass := !c.Passphrase.IsZero()
	if info != nil {
		_, hasPass = info.Field(exchanges.FieldPassphrase)
	}
	for _, kv := range styleVars(style, exchangeID, hasPass, c) {
		out = append(out, kv[0]+"="+kv[1])
	}
	return out
}

// envKey is how the system compares variable names.
func envKey(name string) string {
	if runtime.GOOS == "windows" {
		return strings.ToUpper(name)
	}
	return name
}

// styleVars are the variables a style sets for exchange id.
func styleVars(style, id string, hasPass bool, c exchanges.Credentials) [][2]string {
	var v [][2]string
	switch style {
	case styleGeneric:
		v = [][2]string{{"EXCHANGE_API_KEY", c.Key}, {"EXCHANGE_API_SECRET", c.Secret.Reveal()}}
		if hasPass {
			v = append(v, [2]string{"EXCHANGE_API_PASSPHRASE", c.Passphrase.Reveal()})
		}
		v = append(v, [2]string{"EXCHANGE_ID", id})
	case styleCCXT:
		p := ccxtPrefix(id)
		v = [][2]string{{p + "_APIKEY", c.Key}, {p + "_SECRET", c.Secret.Reveal()}}
		if hasPass {
			v = append(v, [2]string{p + "_PASSWORD", c.Passphrase.Reveal()})
		}
	case styleFreqtrade:
		v = [][2]string{{"FREQTRADE__EXCHANGE__NAME", id}, {"FREQTRADE__EXCHANGE__KEY", c.Key}, {"FREQTRADE__EXCHANGE__SECRET", c.Secret.Reveal()}}
		if hasPass {
			v = append(v, [2]string{"FREQTRADE__EXCHANGE__PASSWORD", c.Passphrase.Reveal()})
		}
	}
	return v
}

// ccxtPrefix is ccxt's variable prefix for an exchange id: the id in upper
// case (ccxt ids are lower-case letters and digits).
func ccxtPrefix(id string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			return r
		}
		return '_'
	}, id)
}
