package ui

import (
	"fmt"

	"github.com/charmbracelet/x/ansi"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/keywarden/keywarden/checks"
)

// View draws the screen. Long lists scroll so the selected row stays in
// sight; the footer (summary, detail of the selected row, keys) is always
// shown.
func (h *Health) View() tea.View {
	v := tea.NewView(h.Render())
	v.AltScreen = true
	return v
}

// Render is the screen as text (also used by tests, with ANSI stripped).
func (h *Health) Render() string {
	body, cursorLine := h.body()
	foot := h.footer()
	avail := max(h.height-lipgloss.Height(foot)-1, 3)
	if cursorLine < h.offset {
		h.offset = cursorLine
	}
	if cursorLine >= h.offset+avail {
		h.offset = cursorLine - avail + 1
	}
	h.offset = min(h.offset, max(len(body)-avail, 0))
	end := min(h.offset+avail, len(body))
	return strings.Join(body[h.offset:end], "\n") + "\n\n" + foot
}

const labelWidth = 22

// body returns the lines for every profile, and the line of the cursor.
func (h *Health) body() ([]string, int) {
	var lines []string
	cursorLine := 0
	textWidth := max(h.width-labelWidth-5, 20)
	for i, row := range h.rows() {
		t := h.targets[row.profile]
		if row.check.ID == checks.Table()[0].ID {
			if len(lines) > 0 {
				lines = append(lines, "")
			}
			head := h.st.Title.Render(t.Name) + h.st.Dim.Render(" · "+t.ExchangeName+" "+t.Environment)
			if rp, ok := h.reports[t.Name]; ok {
				head += "  " + summaryLine(rp.Counts, h.st)
			}
			lines = append(lines, head)
		}
		res, done := h.results[t.Name][row.check.ID]
		mark, text := h.spin.View(), h.st.Dim.Render("checking…")
		if !done && !h.running {
			mark, text = "·", h.st.Dim.Render("not run")
		}
		if done {
			mark = h.st.status(res.Status).Render(Symbol(res.Status))
			text = res.Summary
		}
		label := fmt.Sprintf("%-*s", labelWidth, row.check.Title)
		wrapped := wrap(text, textWidth)
		line := " " + mark + " " + label + " " + wrapped[0]
		if i == h.cursor {
			cursorLine = len(lines)
			line = h.st.Selected.Render(padRight(line, h.width-1))
		}
		lines = append(lines, line)
		for _, w := range wrapped[1:] {
			lines = append(lines, strings.Repeat(" ", labelWidth+4)+w)
		}
		if done && res.Fix != "" && (res.Status == checks.Warn || res.Status == checks.Fail) {
			for j, w := range wrap(res.Fix, max(h.width-8, 20)) {
				prefix := "     → "
				if j > 0 {
					prefix = "       "
				}
				lines = append(lines, prefix+h.st.Fix.Render(w))
			}
		}
	}
	return lines, cursorLine
}

func (h *Health) footer() string {
	var b strings.Builder
	var total checks.Counts
	for _, rp := range h.reports {
		total.Pass += rp.Counts.Pass
		total.Warn += rp.Counts.Warn
		total.Fail += rp.Counts.Fail
		total.Skip += rp.Counts.Skip
	}
	switch {
	case h.running:
		b.WriteString(h.spin.View() + " checking " + plural(len(h.targets), "key") + "…")
	case len(h.reports) > 0:
		b.WriteString(summaryLine(total, h.st) + h.st.Dim.Render(fmt.Sprintf("  (%s)", h.took.Round(time.Millisecond))))
	}
	if d := h.selectedDetail(); d != "" {
		b.WriteString("\n" + h.st.Dim.Render(strings.Join(wrap(d, max(h.width-2, 20)), "\n")))
	}
	if h.Extra != nil && !h.running {
		if x := h.Extra(h); x != "" {
			for _, l := range strings.Split(x, "\n") {
				b.WriteString("\n" + strings.Join(wrapStyled(l, max(h.width-1, 20)), "\n"))
			}
		}
	}
	keys := "↑/↓ select · r run again · q quit"
	if h.running {
		keys = "↑/↓ select · q quit"
	}
	b.WriteString("\n" + h.st.Dim.Render(keys))
	return b.String()
}

func (h *Health) selectedDetail() string {
	rows := h.rows()
	if h.cursor >= len(rows) {
		return ""
	}
	r := rows[h.cursor]
	res, ok := h.results[h.targets[r.profile].Name][r.check.ID]
	if !ok || res.Detail == "" {
		return ""
	}
	return r.check.Title + ": " + res.Detail
}

func plural(n int, w string) string {
	if n == 1 {
		return "1 " + w
	}
	return fmt.Sprintf("%d %ss", n, w)
}

func padRight(s string, w int) string {
	if gap := w - lipgloss.Width(s); gap > 0 {
		return s + strings.Repeat(" ", gap)
	}
	return s
}

// wrap breaks s into lines of at most w cells, at spaces where it can.
func wrap(s string, w int) []string {
	if w < 10 {
		w = 10
	}
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			for lipgloss.Width(word) > w {
				if line != "" {
					lines = append(lines, line)
					line = ""
				}
				r := []rune(word)
				lines = append(lines, string(r[:w]))
				word = string(r[w:])
			}
			switch {
			case line == "":
				line = word
			case lipgloss.Width(line)+1+lipgloss.Width(word) <= w:
				line += " " + word
			default:
				lines = append(lines, line)
				line = word
			}
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		return []string{""}
	}
	return lines
}

// wrapStyled wraps a line that may hold colour codes; plain lines that fit
// are kept as they are.
func wrapStyled(s string, w int) []string {
	if lipgloss.Width(s) <= w {
		return []string{s}
	}
	return wrap(ansi.Strip(s), w)
}
