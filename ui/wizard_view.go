package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// View draws the current step under a one-line header, with the keys at
// the bottom. It fits 80×24: long content scrolls.
func (w *Wizard) View() tea.View {
	v := tea.NewView(w.Render())
	v.AltScreen = true
	return v
}

// Render is the screen as text (tests strip the ANSI codes).
func (w *Wizard) Render() string {
	if w.finished {
		return ""
	}
	if w.step == stepHealth && w.health != nil {
		return w.header() + "\n" + w.health.Render()
	}
	var body, keys string
	switch w.step {
	case stepGuide:
		lines := w.guide.lines(w.st, w.width)
		avail := max(w.height-4, 5)
		w.guide.offset = min(w.guide.offset, max(len(lines)-avail, 0))
		end := min(w.guide.offset+avail, len(lines))
		body = strings.Join(lines[w.guide.offset:end], "\n")
		more := ""
		if end < len(lines) {
			more = "↓ more · "
		}
		keys = more + "↑/↓ scroll · c copy IP · b change IP · enter go on · esc quit"
	case stepCreds:
		body = w.st.Title.Render("Paste the key") + w.st.Dim.Render(" with your terminal's paste (Ctrl+Shift+V, ⌘V)") + "\n" +
			w.st.Dim.Render("Values show as dots, never in clear.") + "\n\n" + w.creds.View(w.width)
		keys = "tab next field · enter check · ctrl+u clear · esc quit, nothing saved"
	default:
		if w.form == nil {
			body = w.st.Dim.Render("Looking up this machine's public IP…")
		} else {
			body = w.form.View()
		}
		keys = "enter choose · esc quit, nothing saved"
	}
	if w.cfg.Banner != "" {
		body = w.st.Warn.Render(w.cfg.Banner) + "\n" + body
	}
	if w.notice != "" {
		body += "\n" + w.st.Pass.Render(w.notice)
	}
	return w.header() + "\n\n" + body + "\n\n" + w.st.Dim.Render(keys)
}

func (w *Wizard) header() string {
	title := "keywarden setup"
	if info := w.info(); info.ID != "" && w.step > stepExchange {
		title += " · " + info.Name
		if w.env != "" && w.step > stepEnv {
			title += " " + w.env
		}
	}
	total := int(stepHealth) + 1
	pos := fmt.Sprintf("step %d of %d: %s", int(w.step)+1, total, stepNames[w.step])
	gap := max(w.width-lipgloss.Width(title)-lipgloss.Width(pos)-1, 1)
	return w.st.Title.Render(title) + strings.Repeat(" ", gap) + w.st.Dim.Render(pos)
}
