package ui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/keywarden/keywarden/checks"
)

// TestWizardEndToEnd runs the wizard as a real Bubble Tea program (teatest
// v2) and asserts on the final model: what was saved, and that the secret
// never reached the terminal.
func TestWizardEndToEnd(t *testing.T) {
	f := &fakeBackend{status: checks.Pass}
	w := newTestWizard(f)
	tm := teatest.NewTestModel(t, w, teatest.WithInitialTermSize(80, 24))
	var seen bytes.Buffer
	waitFor := func(text string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
			seen.Write(b)
			return strings.Contains(ansi.Strip(seen.String()), text)
		}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	}
	enter := tea.KeyPressMsg{Code: tea.KeyEnter}

	waitFor("step 1 of 8")
	tm.Send(enter)
	waitFor("step 2 of 8")
	tm.Send(enter)
	waitFor("step 3 of 8")
	tm.Send(enter)
	waitFor("step 4 of 8")
	tm.Send(enter)
	waitFor("step 5 of 8")
	tm.Send(enter)
	waitFor("step 6 of 8")
	tm.Send(tea.PasteMsg{Content: testKey + "\n"})
	tm.Send(tea.KeyPressMsg{Code: tea.KeyTab})
	tm.Send(tea.PasteMsg{Content: testSecret + "\n"})
	waitFor("64 characters")
	tm.Send(enter)
	waitFor("step 7 of 8")
	tm.Send(enter)
	waitFor("step 8 of 8")
	waitFor("passed")
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})

	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Wizard)
	res := final.Result()
	if !res.Saved || res.Aborted || res.Setup.Name != "binance" || res.Setup.Info.ID != "binance" {
		t.Fatalf("result %+v", res)
	}
	if res.Setup.Creds.Key != testKey || res.Setup.Creds.Secret.Reveal() != testSecret {
		t.Error("the pasted credentials were not kept exactly (trailing newline not removed?)")
	}
	if reports, complete := res.Health.Reports(); !complete || reports[0].Counts.Pass != 10 {
		t.Errorf("health: %+v complete=%v", reports, complete)
	}
	if len(f.saved) != 1 {
		t.Errorf("saved %d times", len(f.saved))
	}
	rest, _ := readAll(tm)
	if strings.Contains(seen.String()+rest, testSecret) {
		t.Error("the secret reached the terminal")
	}
}

func readAll(tm *teatest.TestModel) (string, error) {
	var b bytes.Buffer
	_, err := b.ReadFrom(tm.FinalOutput(nil))
	return b.String(), err
}

// TestWizardEndToEndCtrlC: Ctrl+C in the middle leaves with nothing saved.
func TestWizardEndToEndCtrlC(t *testing.T) {
	f := &fakeBackend{status: checks.Pass}
	tm := teatest.NewTestModel(t, newTestWizard(f), teatest.WithInitialTermSize(80, 24))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("exchange")) }, teatest.WithDuration(5*time.Second))
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	res := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Wizard).Result()
	if !res.Aborted || !res.Interrupted || res.Saved || len(f.saved) != 0 {
		t.Fatalf("result %+v, saved %d", res, len(f.saved))
	}
}
