package ui

import (
	"charm.land/lipgloss/v2"

	"github.com/keywarden/keywarden/checks"
)

// Styles are the colours of every screen. Plain holds no colour at all
// (NO_COLOR, --no-color, or not a terminal).
type Styles struct {
	Pass, Warn, Fail, Skip lipgloss.Style
	Title, Dim, Bold, Fix  lipgloss.Style
	Selected               lipgloss.Style
	Secret                 lipgloss.Style
}

// NewStyles returns coloured styles, or plain ones.
func NewStyles(color bool) Styles {
	if !color {
		plain := lipgloss.NewStyle()
		return Styles{Pass: plain, Warn: plain, Fail: plain, Skip: plain, Title: plain, Dim: plain,
			Bold: plain, Fix: plain, Selected: plain, Secret: plain}
	}
	return Styles{
		Pass:     lipgloss.NewStyle().Foreground(lipgloss.Color("#3FB950")),
		Warn:     lipgloss.NewStyle().Foreground(lipgloss.Color("#D29922")),
		Fail:     lipgloss.NewStyle().Foreground(lipgloss.Color("#F85149")).Bold(true),
		Skip:     lipgloss.NewStyle().Foreground(lipgloss.Color("#8B949E")),
		Title:    lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("#58A6FF")),
		Dim:      lipgloss.NewStyle().Foreground(lipgloss.Color("#8B949E")),
		Bold:     lipgloss.NewStyle().Bold(true),
		Fix:      lipgloss.NewStyle().Foreground(lipgloss.Color("#E3B341")),
		Selected: lipgloss.NewStyle().Background(lipgloss.Color("#30363D")),
		Secret:   lipgloss.NewStyle().Foreground(lipgloss.Color("#8B949E")),
	}
}

// Symbol is the mark of a status: ✓ ! ✗ and – for skip.
func Symbol(s checks.Status) string {
	switch s {
	case checks.Pass:
		return "✓"
	case checks.Warn:
		return "!"
	case checks.Fail:
		return "✗"
	}
	return "–"
}

func (st Styles) status(s checks.Status) lipgloss.Style {
	switch s {
	case checks.Pass:
		return st.Pass
	case checks.Warn:
		return st.Warn
	case checks.Fail:
		return st.Fail
	}
	return st.Skip
}
