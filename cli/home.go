package cli

import (
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/keywarden/keywarden/ui"
)

// runHome shows the home screen and runs what the user picks, coming back
// to it afterwards, until they quit.
func runHome(a *app) error {
	message := ""
	for {
		st, err := a.openStore()
		if err != nil {
			return err
		}
		ps, err := st.List()
		if err != nil {
			return err
		}
		var views []ui.ProfileView
		for _, p := range ps {
			views = append(views, profileView(p))
		}
		h := ui.NewHome(views, a.color(), a.now())
		h.Message = message
		if _, err := tea.NewProgram(h, tea.WithContext(a.ctx), tea.WithOutput(a.io.Err)).Run(); err != nil {
			if errors.Is(err, tea.ErrProgramKilled) || errors.Is(err, tea.ErrInterrupted) {
				return nil
			}
			return fmt.Errorf("home screen: %w", err)
		}
		act := h.Action()
		message = ""
		switch act.Kind {
		case "quit":
			return nil
		case "setup":
			err = runSetup(a, setupOptions{})
		case "check":
			err = runCheck(a, checkOptions{names: []string{act.Profile}, timeout: defaultTimeout})
		case "check-all":
			err = runCheck(a, checkOptions{all: true, timeout: defaultTimeout})
		case "demo":
			err = runDemo(a, false)
		case "remove":
			if err = st.Remove(act.Profile); err == nil {
				a.recordHistory(act.Profile, "removed", "from the home screen")
				message = "Removed " + act.Profile + ". The key still exists on the exchange: delete it there if no bot needs it."
			}
		}
		var ee *exitError
		switch {
		case a.ctx.Err() != nil:
			return errInterrupted
		case errors.As(err, &ee) && ee.err == nil:
			// A check that failed has shown why; back to the menu.
		case err != nil:
			message = "That did not work: " + err.Error()
		}
	}
}

// defaultTimeout bounds a whole check unless --timeout says otherwise
// (and one started from a screen or by `add --check`).
const defaultTimeout = 15 * time.Second
