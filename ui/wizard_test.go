package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/keywarden/keywarden/checks"
	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/binance"
	"github.com/keywarden/keywarden/exchanges/okx"
)

const (
	testKey    = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
	testSecret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
)

type fakeBackend struct {
	saved    []Setup
	replaced int
	taken    map[string]bool
	status   checks.Status
}

// fakeRun answers every check with one status.
func (f *fakeBackend) start(s Setup) StartFunc {
	return func(ctx context.Context) <-chan Event {
		ch := make(chan Event, 32)
		rep := checks.Report{Name: s.Name, Exchange: s.Info.ID}
		for _, c := range checks.Table() {
			r := checks.Result{ID: c.ID, Title: c.Title, Status: f.status, Summary: c.ID + " is " + f.status.String()}
			if f.status == checks.Fail || f.status == checks.Warn {
				r.Fix = "do the thing"
			}
			rep.Checks = append(rep.Checks, r)
			rep.Counts.Add(r.Status)
			ch <- Event{Profile: s.Name, Result: &r}
		}
		ch <- Event{Profile: s.Name, Report: &rep}
		close(ch)
		return ch
	}
}

func newTestWizard(f *fakeBackend, infos ...exchanges.Info) *Wizard {
	if len(infos) == 0 {
		infos = []exchanges.Info{binance.Info(), okx.Info()}
	}
	return NewWizard(WizardConfig{
		Exchanges: infos,
		PublicIP:  func(context.Context) (string, error) { return "203.0.113.10", nil },
		NameError: func(n string) error {
			if f.taken[n] {
				return errors.New("taken")
			}
			if n == "" || strings.ContainsAny(n, " A") {
				return errors.New("bad name")
			}
			return nil
		},
		Save: func(s Setup, replace bool) error {
			if replace {
				f.replaced++
			} else {
				f.saved = append(f.saved, s)
			}
			return nil
		},
		Check: f.start,
	})
}

// toCreds walks a fresh wizard to the credentials step with the defaults.
func toCreds(t *testing.T, d *driver) {
	t.Helper()
	w := d.m.(*Wizard)
	for i := 0; i < 6 && w.step < stepCreds; i++ {
		d.send(key("enter"))
	}
	if w.step != stepCreds {
		t.Fatalf("stuck at step %s:\n%s", stepNames[w.step], screen(w))
	}
}

func TestWizardStepsAndSave(t *testing.T) {
	f := &fakeBackend{taken: map[string]bool{"binance": true}, status: checks.Pass}
	d := drive(t, newTestWizard(f), 80, 24)
	w := d.m.(*Wizard)

	want := []struct {
		step step
		text string
	}{
		{stepExchange, "Which exchange will the bot trade on?"},
		{stepEnv, "Where does the bot trade?"},
		{stepMarkets, "Which markets will the bot trade?"},
		{stepIP, "This machine (203.0.113.10)"},
		{stepGuide, "Create a Binance API key for your bot"},
	}
	for i, s := range want {
		if w.step != s.step {
			t.Fatalf("%d: at step %s, want %s", i, stepNames[w.step], stepNames[s.step])
		}
		v := screen(w)
		if !strings.Contains(v, s.text) {
			t.Errorf("step %s does not show %q:\n%s", stepNames[s.step], s.text, v)
		}
		fits(t, v, 80)
		if s.step == stepMarkets {
			d.send(key("down"), key("x")) // add futures
		}
		d.send(key("enter"))
	}
	if w.step != stepCreds {
		t.Fatalf("at %s, want the credentials", stepNames[w.step])
	}
	guide := strings.Join(paraTexts(w.guideText()), "\n")
	for _, s := range []string{"Enable Reading", "Enable Spot & Margin Trading", "Enable Futures", "Enable Withdrawals", "203.0.113.10", "API Management"} {
		if !strings.Contains(guide, s) {
			t.Errorf("guide lacks %q", s)
		}
	}
	if strings.Contains(guide, "Margin Loan") {
		t.Error("guide asks for margin, which was not chosen")
	}
	// Paste the key with a trailing newline (bracketed paste), type the secret.
	d.send(tea.PasteMsg{Content: testKey + "\n"})
	d.send(key("tab"))
	d.send(tea.PasteMsg{Content: "  \"" + testSecret + "\"\n"})
	v := screen(w)
	if strings.Contains(v, testSecret) || strings.Contains(v, testKey) {
		t.Fatalf("a credential is drawn:\n%s", v)
	}
	for _, s := range []string{"vmPU…Eh8A", "64 characters", "removed from the paste", "surrounding quotes"} {
		if !strings.Contains(v, s) {
			t.Errorf("credentials screen lacks %q:\n%s", s, v)
		}
	}
	fits(t, v, 80)
	d.send(key("enter"))
	if w.step != stepName {
		t.Fatalf("at %s, want the name:\n%s", stepNames[w.step], screen(w))
	}
	v = screen(w)
	if !strings.Contains(v, "> binance-2") {
		t.Errorf("the default name (binance is taken) is not shown:\n%s", v)
	}
	d.send(key("enter"))
	if len(f.saved) != 1 {
		t.Fatalf("saved %d times", len(f.saved))
	}
	s := f.saved[0]
	if s.Name != "binance-2" || s.Creds.Key != testKey || s.Creds.Secret.Reveal() != testSecret ||
		len(s.Markets) != 2 || s.BotIPs[0] != "203.0.113.10" || s.Env != exchanges.Live {
		t.Errorf("saved %+v", s)
	}
	if w.step != stepHealth || !strings.Contains(screen(w), "10 passed") || !strings.Contains(screen(w), "Your key is ready") {
		t.Errorf("health screen:\n%s", screen(w))
	}
	fits(t, screen(w), 80)
	d.send(key("q"))
	if !d.quit || !w.Result().Saved {
		t.Errorf("q did not finish: %+v", w.Result())
	}
}

func paraTexts(p []para) []string {
	var out []string
	for _, x := range p {
		out = append(out, x.text)
	}
	return out
}

func TestWizardEscAndCtrlCSaveNothing(t *testing.T) {
	for _, k := range []string{"esc", "ctrl+c"} {
		for stop := 0; stop < 7; stop++ {
			f := &fakeBackend{status: checks.Pass}
			d := drive(t, newTestWizard(f), 80, 24)
			w := d.m.(*Wizard)
			for i := 0; i < stop && w.step < stepCreds; i++ {
				d.send(key("enter"))
			}
			if w.step == stepCreds {
				d.send(tea.PasteMsg{Content: testKey})
			}
			d.send(key(k))
			if !d.quit || !w.Result().Aborted || len(f.saved) != 0 {
				t.Errorf("%s at step %s: quit %v, result %+v, saved %d", k, stepNames[w.step], d.quit, w.Result(), len(f.saved))
			}
			if (k == "ctrl+c") != w.Result().Interrupted {
				t.Errorf("%s: interrupted = %v", k, w.Result().Interrupted)
			}
		}
	}
}

func TestWizardRefusesBadCredentials(t *testing.T) {
	f := &fakeBackend{status: checks.Pass}
	d := drive(t, newTestWizard(f), 80, 24)
	w := d.m.(*Wizard)
	toCreds(t, d)
	// Swapped: a secret-shaped key and a key-shaped secret for OKX would be
	// caught; for Binance both are 64 characters, so test a short secret.
	d.send(tea.PasteMsg{Content: testKey}, key("tab"))
	d.send(typeText("abc")...)
	d.send(key("enter"))
	if w.step != stepCreds || !strings.Contains(screen(w), "expected") {
		t.Errorf("a short secret was accepted:\n%s", screen(w))
	}
	d.send(key("ctrl+u"), tea.PasteMsg{Content: testKey}, key("enter"))
	if !strings.Contains(screen(w), "same as the API Key") {
		t.Errorf("the key pasted twice was accepted:\n%s", screen(w))
	}
	if len(f.saved) != 0 {
		t.Error("saved bad credentials")
	}
}

func TestWizardSwappedKeyAndSecret(t *testing.T) {
	f := &fakeBackend{status: checks.Pass}
	d := drive(t, newTestWizard(f, okx.Info()), 80, 24)
	w := d.m.(*Wizard)
	toCreds(t, d)
	d.send(tea.PasteMsg{Content: "22582BD0CFF14C41EDBF1AB98506286D"}, key("tab"))
	d.send(tea.PasteMsg{Content: "37c541a1-1111-2222-3333-10fe7a038418"}, key("tab"))
	d.send(typeText("Passphrase-1")...)
	d.send(key("enter"))
	if !strings.Contains(screen(w), "look swapped") {
		t.Errorf("swapped key and secret not recognised:\n%s", screen(w))
	}
}

func TestWizardProblemsMenuReenterAndGuide(t *testing.T) {
	f := &fakeBackend{status: checks.Fail}
	d := drive(t, newTestWizard(f), 80, 24)
	w := d.m.(*Wizard)
	toCreds(t, d)
	d.send(tea.PasteMsg{Content: testKey}, key("tab"), tea.PasteMsg{Content: testSecret}, key("enter"), key("enter"))
	if w.step != stepHealth {
		t.Fatalf("at %s", stepNames[w.step])
	}
	v := screen(w)
	for _, s := range []string{"press r to check again", "e re-enter the credentials", "g back to the guide", "→ do the thing"} {
		if !strings.Contains(v, s) {
			t.Errorf("health screen lacks %q:\n%s", s, v)
		}
	}
	d.send(key("e"))
	if w.step != stepCreds || strings.Contains(screen(w), "64 characters") {
		t.Fatalf("e did not open empty credentials:\n%s", screen(w))
	}
	f.status = checks.Pass
	d.send(tea.PasteMsg{Content: testKey}, key("tab"), tea.PasteMsg{Content: testSecret}, key("enter"))
	if f.replaced != 1 || w.step != stepHealth || !strings.Contains(screen(w), "10 passed") {
		t.Errorf("re-entered credentials: replaced %d, step %s\n%s", f.replaced, stepNames[w.step], screen(w))
	}
	d.send(key("g"))
	if w.step != stepGuide {
		t.Errorf("g did not go back to the guide")
	}
}

func TestWizardPresetsSkipSteps(t *testing.T) {
	f := &fakeBackend{status: checks.Pass}
	cfgW := newTestWizard(f)
	cfgW.cfg.Exchange, cfgW.cfg.Env = "binance", "testnet"
	w := NewWizard(cfgW.cfg)
	drive(t, w, 80, 24)
	if w.step != stepMarkets {
		t.Errorf("with --exchange and --env the wizard starts at %s", stepNames[w.step])
	}
}
