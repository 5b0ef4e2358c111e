package ui

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// HistoryEntry is one event of a key's life as the history report shows
// it (cli converts the store's events; no secret is ever in one).
type HistoryEntry struct {
	Time                  time.Time
	Profile, Event        string
	Exchange, Fingerprint string
	// Result is the worst status of a "checked" event.
	Result, Detail string
}

// WriteHistory prints the events as a table, oldest first.
func WriteHistory(w io.Writer, events []HistoryEntry, name string, now time.Time) error {
	if len(events) == 0 {
		what := "No history yet"
		if name != "" {
			what = "No history for " + name + " yet"
		}
		_, err := fmt.Fprintln(w, what+": events are recorded from now on (add, check, rotate, remove, exec).")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tPROFILE\tEVENT\tEXCHANGE\tKEY\tDETAIL")
	for _, e := range events {
		detail := e.Detail
		if e.Event == "checked" && e.Result != "" {
			detail = e.Result + ": " + detail
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", e.Time.In(now.Location()).Format("2006-01-02 15:04:05"),
			e.Profile, e.Event, dash(e.Exchange), dash(e.Fingerprint), detail)
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
