package cli

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges/exchangetest"
	"github.com/keywarden/keywarden/exchanges/sim"
)

// The test binary doubles as keywarden itself (KEYWARDEN_TEST_MAIN=1) and
// as a bot ("__child__ MODE" as its first arguments).
const testMainEnv = "KEYWARDEN_TEST_MAIN"

func TestMain(m *testing.M) {
	if len(os.Args) > 2 && os.Args[1] == "__child__" {
		os.Exit(testChild(os.Args[2], os.Args[3:]))
	}
	if os.Getenv(testMainEnv) == "1" {
		os.Exit(run(context.Background(), os.Args[1:], newSystemIO()))
	}
	os.Exit(m.Run())
}

// testChild is a bot.
func testChild(mode string, args []string) int {
	switch mode {
	case "env": // print the environment as JSON
		env := map[string]string{}
		for _, kv := range os.Environ() {
			k, v, _ := strings.Cut(kv, "=")
			env[k] = v
		}
		_ = json.NewEncoder(os.Stdout).Encode(env)
	case "leak": // print the secret in many forms, in small pieces
		s := os.Getenv("EXCHANGE_API_SECRET")
		forms := []string{s, base64.StdEncoding.EncodeToString([]byte(s)), base64.RawURLEncoding.EncodeToString([]byte(s)),
			hex.EncodeToString([]byte(s)), strings.ToUpper(hex.EncodeToString([]byte(s))), url.QueryEscape(s + "/+"),
			base64.StdEncoding.EncodeToString([]byte(os.Getenv("EXCHANGE_API_KEY") + ":" + s)),
			escapeAll(s, "%%%02X"), escapeAll(s, "\\u%04x"), s[:20] + "\x1b[31m" + s[20:] + "\x1b[0m",
			strings.ToLower(s), reversed(s), strings.Join(strings.Split(s, ""), " "), s[len(s)-20:], s[17:47]}
		for i, f := range forms {
			out := os.Stdout
			if i%2 == 1 {
				out = os.Stderr
			}
			// "|" is in no form of a secret: the masker may take a
			// character after the value that continues it (whitespace is
			// skipped between characters), never one after a "|".
			line := fmt.Sprintf("form %d: %s |end\n", i, f)
			for j := 0; j < len(line); j += 5 {
				_, _ = out.WriteString(line[j:min(j+5, len(line))])
				if j%20 == 0 {
					time.Sleep(time.Millisecond)
				}
			}
		}
		in, _ := bufio.NewReader(os.Stdin).ReadString('\n')
		fmt.Printf("stdin: %s", in)
		if len(args) > 0 {
			var code int
			_, _ = fmt.Sscan(args[0], &code)
			return code
		}
	case "signals": // report signals; TERM keeps its default action
		ch := make(chan os.Signal, 8)
		signal.Notify(ch, syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGHUP, syscall.SIGINT, syscall.SIGQUIT)
		fmt.Println("ready")
		for s := range ch {
			fmt.Println("got", s)
		}
	case "pem": // print the PEM secret escaped as bots do
		s := os.Getenv("EXCHANGE_API_SECRET")
		for _, f := range []string{s, url.QueryEscape(s), strings.NewReplacer("%2F", "/", "+", "%20").Replace(url.QueryEscape(s)), strings.Trim(jsonString(s), `"`)} {
			fmt.Printf("key: %s end\n", f)
		}
	case "prompt": // a prompt that may be the beginning of a secret, then wait
		fmt.Print("code " + os.Getenv("EXCHANGE_API_SECRET")[:10])
		in, _ := bufio.NewReader(os.Stdin).ReadString('\n')
		fmt.Printf("\ngot %s", in)
	case "touch":
		_ = os.WriteFile(args[0], []byte("ran"), 0o600)
	case "sleep": // say who it is, then wait
		fmt.Printf("pid %d\n", os.Getpid())
		time.Sleep(time.Minute)
	}
	return 0
}

// addSampleProfile adds a binance profile with fresh simulator-shaped
// credentials and returns them.
func addSampleProfile(t *testing.T, c *cli, name string) sim.Key {
	t.Helper()
	k, _ := sim.SampleKey("binance")
	if _, e, code := c.run(credsJSON(k), "add", name, "--exchange", "binance"); code != 0 {
		t.Fatalf("add: %d %s", code, e)
	}
	return k
}

func TestExecEnvironment(t *testing.T) {
	c := newCLI(t)
	k := addSampleProfile(t, c, "main")
	t.Setenv("KEYWARDEN_PASSPHRASE", "must not reach the bot")
	t.Setenv("KEYWARDEN_NEW_PASSPHRASE", "nor this")
	t.Setenv("FREQTRADE__EXCHANGE__SECRET", "stale")
	t.Setenv("OKX_PASSWORD", "stale")
	t.Setenv("EXCHANGE_API_PASSPHRASE", "stale")
	t.Setenv("KEEP_ME", "yes")
	for _, tc := range []struct {
		style string
		want  map[string]string
	}{
		{"generic", map[string]string{"EXCHANGE_API_KEY": k.Key, "EXCHANGE_ID": "binance"}},
		{"ccxt", map[string]string{"BINANCE_APIKEY": k.Key}},
		{"freqtrade", map[string]string{"FREQTRADE__EXCHANGE__NAME": "binance", "FREQTRADE__EXCHANGE__KEY": k.Key}},
	} {
		out, errOut, code := c.run("", "exec", "main", "--env-style", tc.style, "--", os.Args[0], "__child__", "env")
		if code != 0 {
			t.Fatalf("%s: exit %d %s", tc.style, code, errOut)
		}
		// The key itself is masked in the output: compare the masks.
		var env map[string]string
		if err := json.Unmarshal([]byte(out), &env); err != nil {
			t.Fatalf("%s: %v\n%s", tc.style, err, out)
		}
		var names []string
		for n := range env {
			if strings.Contains(n, "EXCHANGE") || strings.Contains(n, "APIKEY") || strings.Contains(n, "_SECRET") ||
				strings.Contains(n, "PASSWORD") || strings.Contains(n, "KEYWARDEN_PASS") {
				// (KEYWARDEN_DBUSGUARD_SET: the test bot, being keywarden, sets its own)
				names = append(names, n)
			}
		}
		sort.Strings(names)
		var want []string
		for n := range tc.want {
			want = append(want, n)
		}
		switch tc.style {
		case "generic":
			want = append(want, "EXCHANGE_API_SECRET")
		case "ccxt":
			want = append(want, "BINANCE_SECRET")
		case "freqtrade":
			want = append(want, "FREQTRADE__EXCHANGE__SECRET")
		}
		sort.Strings(want)
		if strings.Join(names, " ") != strings.Join(want, " ") {
			t.Errorf("%s: variables %v, want %v", tc.style, names, want)
		}
		for n, v := range tc.want {
			if v == k.Key {
				v = "[masked key]"
			}
			if env[n] != v {
				t.Errorf("%s: %s=%q, want %q", tc.style, n, env[n], v)
			}
		}
		if env["KEEP_ME"] != "yes" {
			t.Errorf("%s: an unrelated variable was dropped", tc.style)
		}
		if strings.Contains(out+errOut, k.Secret) {
			t.Errorf("%s: secret in output", tc.style)
		}
	}
}

func TestExecUsage(t *testing.T) {
	c := newCLI(t)
	addSampleProfile(t, c, "main")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"exec", "main", "sh"}, 2, "put -- before"},
		{[]string{"exec", "main", "--"}, 2, "no command after --"},
		{[]string{"exec", "--", "sh"}, 2, "one profile NAME"},
		{[]string{"exec", "main", "--env-style", "dotenv", "--", "sh"}, 2, "--env-style"},
		{[]string{"exec", "nope", "--", "sh"}, 2, "profile not found"},
		{[]string{"exec", "main", "--", "keywarden-no-such-bot"}, 127, "command not found"},
	} {
		_, errOut, code := c.run("", tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d %q, want %d and %q", tc.args, code, errOut, tc.code, tc.want)
		}
	}
}

func TestExecCheckRefusesOnFail(t *testing.T) {
	c := newCLI(t)
	sc := exchangetest.GoodScenario(t, "binance", "live")
	sc.Keys[0].Permissions = append(sc.Keys[0].Permissions, sim.PermWithdraw)
	srv := c.simFor(sc)
	k := srv.Scenario().Keys[0]
	if _, e, code := c.run(credsJSON(k), "add", "main", "--exchange", "binance", "--base-url", srv.URL); code != 0 {
		t.Fatal(e)
	}
	marker := t.TempDir() + "/ran"
	out, errOut, code := c.run("", "exec", "main", "--check", "--", os.Args[0], "__child__", "touch", marker)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("the bot started although the check failed")
	}
	for _, want := range []string{"✗ fail  withdraw_disabled", "not starting", "withdraw_disabled (", "the check of main failed"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if out != "" || strings.Contains(errOut, k.Secret) {
		t.Errorf("stdout %q, or a secret on stderr", out)
	}
	// A good key starts the bot, and the check and the exec are logged.
	c2 := newCLI(t)
	sc2 := exchangetest.GoodScenario(t, "binance", "live")
	srv2 := c2.simFor(sc2)
	if _, e, code := c2.run(credsJSON(srv2.Scenario().Keys[0]), "add", "main", "--exchange", "binance", "--base-url", srv2.URL); code != 0 {
		t.Fatal(e)
	}
	if _, e, code := c2.run("", "exec", "main", "--check", "--", os.Args[0], "__child__", "touch", marker); code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	if _, err := os.Stat(marker); err != nil {
		t.Error("the bot did not start after a passing check")
	}
	h, _, _ := c2.run("", "history", "main")
	if !strings.Contains(h, "checked") || !strings.Contains(h, "exec") || !strings.Contains(h, "after a check with no fail") {
		t.Errorf("history:\n%s", h)
	}
}

// keywardenProcess starts the test binary as keywarden with args.
func keywardenProcess(t *testing.T, c *cli, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), testMainEnv+"=1")
	for k, v := range c.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	return cmd
}

// execRun is a keywarden exec process running the test bot.
type execRun struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout io.Reader
	stderr *strings.Builder
	key    sim.Key // of the profile "main" it runs
}

// startExec starts keywarden exec with the test bot in mode, on a profile
// of its own; it is killed at the end of the test.
func startExec(t *testing.T, mode string) *execRun {
	t.Helper()
	c := newCLI(t)
	r := &execRun{key: addSampleProfile(t, c, "main"), stderr: &strings.Builder{}}
	r.cmd = keywardenProcess(t, c, "exec", "main", "--", os.Args[0], "__child__", mode)
	r.cmd.Stderr = r.stderr
	var err error
	if r.stdin, err = r.cmd.StdinPipe(); err == nil {
		r.stdout, err = r.cmd.StdoutPipe()
	}
	if err == nil {
		err = r.cmd.Start()
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.cmd.Process.Kill(); _ = r.cmd.Wait() })
	return r
}

func TestExecSignalsAndExitCodes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX signals")
	}
	r := startExec(t, "signals")
	cmd, stderr := r.cmd, r.stderr
	lines := bufio.NewScanner(r.stdout)
	next := func() string {
		got := make(chan string, 1)
		go func() {
			if lines.Scan() {
				got <- lines.Text()
			} else {
				got <- "(eof)"
			}
		}()
		select {
		case l := <-got:
			return l
		case <-time.After(20 * time.Second):
			t.Fatalf("no output from the bot; stderr %q", stderr.String())
			return ""
		}
	}
	if l := next(); l != "ready" {
		t.Fatalf("first line %q", l)
	}
	for _, s := range []struct {
		sig  syscall.Signal
		want string
	}{{syscall.SIGUSR1, "got user defined signal 1"}, {syscall.SIGUSR2, "got user defined signal 2"},
		{syscall.SIGHUP, "got hangup"}, {syscall.SIGINT, "got interrupt"}, {syscall.SIGQUIT, "got quit"}} {
		if err := cmd.Process.Signal(s.sig); err != nil {
			t.Fatal(err)
		}
		if l := next(); l != s.want {
			t.Errorf("after %v: %q, want %q", s.sig, l, s.want)
		}
	}
	_ = cmd.Process.Signal(syscall.SIGTERM) // the bot dies of it: 128+15
	err := cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 128+int(syscall.SIGTERM) {
		t.Errorf("exit %d (%v), want 143; stderr %q", code, err, stderr.String())
	}
}

// alive reports whether process pid runs (a zombie does not).
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// pid (comm) STATE ...: comm may hold spaces and parentheses.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	return len(f) > 0 && f[0] != "Z" && f[0] != "X"
}

// kill -9 of keywarden must not leave the bot running with the key in its
// environment: the kernel sends it TERM (Linux).
func TestExecKill9EndsTheBot(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the parent-death signal is Linux's")
	}
	r := startExec(t, "sleep")
	var pid int
	line, err := bufio.NewReader(r.stdout).ReadString('\n')
	if _, serr := fmt.Sscanf(line, "pid %d", &pid); err != nil || serr != nil {
		t.Fatalf("the bot did not start: %q %v", line, err)
	}
	defer func() { _ = syscall.Kill(pid, syscall.SIGKILL) }()
	if err := r.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = r.cmd.Wait()
	for deadline := time.Now().Add(10 * time.Second); alive(pid); {
		if time.Now().After(deadline) {
			t.Fatalf("bot %d still runs 10 s after keywarden was killed", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
