package cli

import (
	"math/rand/v2"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/binance"
	"github.com/keywarden/keywarden/exchanges/exchangetest"
	"github.com/keywarden/keywarden/exchanges/sim"
	"github.com/keywarden/keywarden/store"
)

// rotateFixture is a profile "main" holding the simulator's first key,
// and a second key the simulator also knows, to rotate to.
type rotateFixture struct {
	c        *cli
	srv      *sim.Server
	old, new sim.Key
}

func newRotateFixture(t *testing.T, mutate func(sc *sim.Scenario)) *rotateFixture {
	t.Helper()
	c := newCLI(t)
	sc := exchangetest.GoodScenario(t, "binance", "live")
	k2, _ := sim.SampleKey("binance")
	k2.Permissions, k2.IPs = sc.Keys[0].Permissions, sc.Keys[0].IPs
	sc.Keys = append(sc.Keys, k2)
	if mutate != nil {
		mutate(&sc)
	}
	srv := c.simFor(sc)
	f := &rotateFixture{c: c, srv: srv, old: srv.Scenario().Keys[0], new: srv.Scenario().Keys[1]}
	if _, e, code := c.run(credsJSON(f.old), "add", "main", "--exchange", "binance", "--base-url", srv.URL); code != 0 {
		t.Fatal(e)
	}
	return f
}

// stored reads main's credentials and fingerprint straight from the store.
func (f *rotateFixture) stored(t *testing.T) (exchanges.Credentials, string) {
	t.Helper()
	st, err := store.Open(store.Options{Dir: f.c.env["KEYWARDEN_DIR"], Passphrase: func(bool) (string, error) { return f.c.env["KEYWARDEN_PASSPHRASE"], nil }})
	if err != nil {
		t.Fatal(err)
	}
	p, err := st.Get("main")
	if err != nil {
		t.Fatal(err)
	}
	c, err := st.Credentials("main")
	if err != nil {
		t.Fatal(err)
	}
	return c, p.Fingerprint
}

func TestRotateOffTerminal(t *testing.T) {
	f := newRotateFixture(t, nil)
	out, errOut, code := f.c.run(credsJSON(f.new), "rotate", "main")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	oldFP, newFP := exchanges.Fingerprint(f.old.Key), exchanges.Fingerprint(f.new.Key)
	for _, want := range []string{"main · Binance live", "Rotated main: key " + oldFP + " → " + newFP,
		"Now delete the OLD key " + oldFP, "2. Find the old key by its label and the first characters of its API Key (" + oldFP + ")",
		"Page: https://www.binance.com/en/my/settings/api-management"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	c, fp := f.stored(t)
	if c.Key != f.new.Key || !c.Secret.Equal(exchanges.NewSecret(f.new.Secret)) || fp != newFP {
		t.Error("the new key is not in the profile")
	}
	for _, k := range []sim.Key{f.old, f.new} {
		if strings.Contains(out+errOut, k.Secret) || strings.Contains(out+errOut, k.Key) {
			t.Error("a secret or a whole key in the output")
		}
	}
	h, _, _ := f.c.run("", "history", "main", "--json")
	if !strings.Contains(h, `"event": "rotated"`) || !strings.Contains(h, "key "+oldFP+" replaced by "+newFP) {
		t.Errorf("history:\n%s", h)
	}
	list, _, _ := f.c.run("", "list")
	if !strings.Contains(list, newFP) || !strings.Contains(list, "just now") {
		t.Errorf("list after rotate:\n%s", list)
	}
}

func TestRotateKeepsTheOldKey(t *testing.T) {
	withdraw := func(sc *sim.Scenario) { sc.Keys[1].Permissions = append(sc.Keys[1].Permissions, sim.PermWithdraw) }
	cases := []struct {
		name   string
		mutate func(*sim.Scenario)
		input  func(f *rotateFixture) string
		code   int
		want   string
	}{
		{"new key fails its check", withdraw, func(f *rotateFixture) string { return credsJSON(f.new) }, 1, "failed its check"},
		{"new key unknown to the exchange", nil, func(*rotateFixture) string { k, _ := sim.SampleKey("binance"); return credsJSON(k) }, 1, "still holds its old key"},
		{"same key again", nil, func(f *rotateFixture) string { return credsJSON(f.old) }, 2, "already holds"},
		{"not JSON", nil, func(*rotateFixture) string { return "key=abc" }, 2, "not valid JSON"},
		{"malformed secret", nil, func(f *rotateFixture) string { return `{"key":"` + f.new.Key + `","secret":"short"}` }, 2, "Secret Key"},
		{"exchange hangs", func(sc *sim.Scenario) { sc.Hang = true }, func(f *rotateFixture) string { return credsJSON(f.new) }, 1, "failed its check"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newRotateFixture(t, tc.mutate)
			out, errOut, code := f.c.run(tc.input(f), "rotate", "main", "--timeout", "1s")
			if code != tc.code || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q\n%s", code, errOut, tc.code, tc.want, out)
			}
			c, fp := f.stored(t)
			if c.Key != f.old.Key || fp != exchanges.Fingerprint(f.old.Key) {
				t.Error("the profile no longer holds the old key")
			}
			if strings.Contains(out+errOut, f.new.Secret) || strings.Contains(out+errOut, f.old.Secret) {
				t.Error("a secret in the output")
			}
		})
	}
}

// rotateProcess starts keywarden rotate as its own process, new key on stdin.
func rotateProcess(t *testing.T, f *rotateFixture) *processRun {
	t.Helper()
	cmd := keywardenProcess(t, f.c, "rotate", "main", "--timeout", "5s")
	cmd.Stdin = strings.NewReader(credsJSON(f.new))
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pr := &processRun{cmd: cmd, out: out, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(pr.done) }()
	return pr
}

// Ctrl+C while the new key is being checked changes nothing.
func TestRotateInterrupted(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX signals")
	}
	f := newRotateFixture(t, func(sc *sim.Scenario) { sc.Latency = sim.Duration(3 * time.Second) })
	pr := rotateProcess(t, f)
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(pr.output(), "Checking the new key") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	_ = pr.cmd.Process.Signal(syscall.SIGINT)
	pr.wait(t)
	if code := pr.cmd.ProcessState.ExitCode(); code != 130 || !strings.Contains(pr.output(), "nothing was changed") {
		t.Errorf("exit %d: %s", code, pr.output())
	}
	if c, _ := f.stored(t); c.Key != f.old.Key {
		t.Error("an interrupted rotate changed the key")
	}
}

// A rotate killed at any moment leaves a profile whose key works.
func TestRotateKilledAtAnyMoment(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX signals")
	}
	if testing.Short() {
		t.Skip("many processes")
	}
	f := newRotateFixture(t, nil)
	// How long a whole rotate takes here, to spread the kills over it.
	pr := rotateProcess(t, f)
	start := time.Now()
	pr.wait(t)
	full := time.Since(start)
	if pr.cmd.ProcessState.ExitCode() != 0 {
		t.Fatalf("rotate: %s", pr.output())
	}
	var olds, news int
	for i := 0; i < 8; i++ {
		// Back to the old key, then kill a rotate somewhere in its run.
		old := f.old
		f.old, f.new = f.new, old
		if c, _ := f.stored(t); c.Key != f.old.Key {
			if _, e, code := f.c.run(credsJSON(f.old), "rotate", "main"); code != 0 {
				t.Fatal(e)
			}
		}
		pr := rotateProcess(t, f)
		time.Sleep(time.Duration(rand.Int64N(int64(full) + 1)))
		_ = pr.cmd.Process.Signal(syscall.SIGKILL)
		pr.wait(t)
		c, fp := f.stored(t)
		switch c.Key {
		case f.old.Key:
			olds++
		case f.new.Key:
			news++
		default:
			t.Fatal("the profile holds neither key")
		}
		if fp != exchanges.Fingerprint(c.Key) {
			t.Logf("killed between the secret and the metadata: fingerprint %s for key %s", fp, exchanges.Fingerprint(c.Key))
		}
		out, e, code := f.c.run("", "check", "main", "--json")
		if code != 0 {
			t.Fatalf("after a kill the profile's key does not work: exit %d %s\n%s", code, e, out)
		}
	}
	t.Logf("8 kills: %d left the old key, %d the new one (a whole rotate takes %v)", olds, news, full)
}

type processRun struct {
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
}

// syncBuffer is a strings.Builder safe for a writer and a reader at once.
type syncBuffer struct {
	mu sync.Mutex
	sb strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sb.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sb.String()
}

func (p *processRun) output() string { return p.out.String() }

func (p *processRun) wait(t *testing.T) {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		t.Fatal("keywarden did not exit")
	}
}

// The form cleans pasted values (a trailing newline arrives as a space)
// and refuses the old key.
func TestCredentialsForm(t *testing.T) {
	info := binance.Info()
	k1, _ := sim.SampleKey("binance")
	k2, _ := sim.SampleKey("binance")
	old := exchanges.Credentials{Key: k1.Key, Secret: exchanges.NewSecret(k1.Secret)}
	values := map[string]*string{}
	form := credentialsForm(info, old, values)
	var m tea.Model = formModel{form}
	m.Update(form.Init())
	send := func(msg tea.Msg) {
		_, cmd := m.Update(msg)
		// Run what the form asks (next field, validation), but not timers.
		for i := 0; cmd != nil && i < 5; i++ {
			ch := make(chan tea.Msg, 1)
			go func() { ch <- cmd() }()
			var next tea.Msg
			select {
			case next = <-ch:
			case <-time.After(50 * time.Millisecond):
			}
			if next == nil {
				break
			}
			if b, ok := next.(tea.BatchMsg); ok {
				for _, c := range b {
					if c == nil {
						continue
					}
					ch := make(chan tea.Msg, 1)
					go func() { ch <- c() }()
					select {
					case bm := <-ch:
						_, _ = m.Update(bm)
					case <-time.After(50 * time.Millisecond):
					}
				}
				break
			}
			_, cmd = m.Update(next)
		}
	}
	send(tea.PasteMsg{Content: k1.Key + "\n"}) // the old key: refused
	send(tea.KeyPressMsg{Code: tea.KeyEnter})
	if form.State != huh.StateNormal || !strings.Contains(errorsOf(form), "old key") {
		t.Fatalf("old key accepted: state %v, errors %q", form.State, errorsOf(form))
	}
	*values[exchanges.FieldKey] = ""
	form = credentialsForm(info, old, values)
	m = formModel{form}
	m.Update(form.Init())
	send(tea.PasteMsg{Content: " " + k2.Key + "\n"})
	send(tea.KeyPressMsg{Code: tea.KeyEnter})
	send(tea.PasteMsg{Content: k2.Secret + "\n"})
	send(tea.KeyPressMsg{Code: tea.KeyEnter})
	c := credentialsFrom(info, values)
	if c.Key != k2.Key || c.Secret.Reveal() != k2.Secret {
		t.Fatalf("values not cleaned: key ok %v, secret ok %v (errors %q)", c.Key == k2.Key, c.Secret.Reveal() == k2.Secret, errorsOf(form))
	}
	if v := form.View(); strings.Contains(v, k2.Secret) || strings.Contains(v, k2.Key) {
		t.Error("the form shows a value")
	}
}

// formModel adapts *huh.Form (not a tea.Model in v2) for the test.
type formModel struct{ f *huh.Form }

func (m formModel) Init() tea.Cmd                           { return m.f.Init() }
func (m formModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) { _, c := m.f.Update(msg); return m, c }
func (m formModel) View() tea.View                          { return tea.NewView(m.f.View()) }

func errorsOf(f *huh.Form) string {
	var s []string
	for _, e := range f.Errors() {
		s = append(s, e.Error())
	}
	return strings.Join(s, "; ")
}

func TestFixPaste(t *testing.T) {
	pem := "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIHs\nabc=\n-----END PRIVATE KEY-----"
	if got := fixPaste(strings.ReplaceAll(pem, "\n", " ") + " "); got != pem {
		t.Errorf("got %q", got)
	}
	if got := fixPaste("plain value "); got != "plain value " {
		t.Errorf("got %q", got)
	}
}
