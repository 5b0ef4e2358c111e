package ui

import (
	"fmt"
	"io"
	"strings"

	"github.com/keywarden/keywarden/checks"
)

// CheckDocument is the JSON document of `check --json`.
type CheckDocument struct {
	Profiles []checks.Report `json:"profiles"`
}

// WriteCheckJSON prints the spec's JSON document. Results carry codes and
// messages from exchanges and keywarden's own words: never a secret.
func WriteCheckJSON(w io.Writer, reports []checks.Report) error {
	if reports == nil {
		reports = []checks.Report{}
	}
	for i := range reports {
		if reports[i].Checks == nil {
			reports[i].Checks = []checks.Result{}
		}
	}
	return writeJSON(w, CheckDocument{Profiles: reports})
}

// WriteCheckText prints reports as plain text: one line per check, with
// the fix and detail under every warning and failure. A width above zero
// (a terminal) wraps long lines under their own column; zero (a pipe)
// keeps each on one line, for grep.
func WriteCheckText(w io.Writer, reports []checks.Report, st Styles, names map[string]string, width int) error {
	for i, r := range reports {
		if i > 0 {
			fmt.Fprintln(w)
		}
		exName := names[r.Exchange]
		if exName == "" {
			exName = r.Exchange
		}
		fmt.Fprintln(w, st.Title.Render(r.Name)+st.Dim.Render(fmt.Sprintf(" · %s %s", exName, r.Environment)))
		idWidth := 0
		for _, c := range r.Checks {
			idWidth = max(idWidth, len(c.ID))
		}
		pad := strings.Repeat(" ", 12+idWidth)
		lines := func(text string, style func(...string) string) {
			ls := []string{text}
			if width > 0 {
				ls = wrap(text, max(width-len(pad), 20))
			}
			for _, l := range ls {
				fmt.Fprintln(w, pad+style(l))
			}
		}
		for _, c := range r.Checks {
			mark := st.status(c.Status).Render(fmt.Sprintf("%s %-4s", Symbol(c.Status), c.Status))
			summary := []string{c.Summary}
			if width > 0 {
				summary = wrap(c.Summary, max(width-len(pad), 20))
			}
			fmt.Fprintf(w, "  %s  %-*s  %s\n", mark, idWidth, c.ID, summary[0])
			for _, l := range summary[1:] {
				fmt.Fprintln(w, pad+l)
			}
			if c.Status == checks.Warn || c.Status == checks.Fail {
				if c.Fix != "" {
					lines("fix: "+c.Fix, st.Fix.Render)
				}
				if c.Detail != "" {
					lines("detail: "+c.Detail, st.Dim.Render)
				}
			}
		}
		fmt.Fprintln(w, "  "+summaryLine(r.Counts, st))
	}
	return nil
}

func summaryLine(c checks.Counts, st Styles) string {
	parts := []string{st.Pass.Render(fmt.Sprintf("%d passed", c.Pass))}
	if c.Warn > 0 {
		parts = append(parts, st.Warn.Render(fmt.Sprintf("%d %s", c.Warn, pluralS(c.Warn, "warning"))))
	}
	if c.Fail > 0 {
		parts = append(parts, st.Fail.Render(fmt.Sprintf("%d failed", c.Fail)))
	}
	if c.Skip > 0 {
		parts = append(parts, st.Skip.Render(fmt.Sprintf("%d skipped", c.Skip)))
	}
	return strings.Join(parts, st.Dim.Render(" · "))
}

func pluralS(n int, w string) string {
	if n == 1 {
		return w
	}
	return w + "s"
}
