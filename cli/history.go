package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/keywarden/keywarden/store"
)

type historyOptions struct {
	name string
	json bool
}

func newHistoryCmd(a *app) *cobra.Command {
	var o historyOptions
	cmd := &cobra.Command{
		Use:   "history [NAME] [--json]",
		Short: "A key's life: added, checked, rotated, removed, handed to a bot",
		Long: `Show the local, append-only log of each key's life: when it was added,
every health check with its summary, rotations (old and new key), removal,
and every time ` + "`keywarden exec`" + ` handed it to a bot (the program's name only,
never its arguments). Keys appear as fingerprints; no secret is ever logged.

The log is history.jsonl in the keyring folder: one JSON object per line.`,
		Example: `  keywarden history
  keywarden history main
  keywarden history main --json | jq -r '.events[] | select(.event == "checked") | .result'`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageErr(errors.New("history takes at most one profile NAME"))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.name = args[0]
			}
			return runHistory(a, o)
		},
	}
	cmd.Flags().BoolVar(&o.json, "json", false, `print {"events": [...]}`)
	return cmd
}

func runHistory(a *app, o historyOptions) error {
	if o.name != "" {
		if err := store.ValidName(o.name); err != nil {
			return usageErr(err)
		}
	}
	st, err := a.openStore()
	if err != nil {
		return err
	}
	events, err := st.History(o.name)
	if err != nil {
		return err
	}
	if len(events) == 0 && o.name != "" {
		if _, err := st.Get(o.name); err != nil {
			return usageErr(fmt.Errorf("no profile and no history named %q; `keywarden list` shows the profiles", o.name))
		}
	}
	if o.json {
		if events == nil {
			events = []store.Event{}
		}
		enc := json.NewEncoder(a.io.Out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(map[string]any{"events": events})
	}
	return writeHistory(a.io.Out, events, o.name, a.now())
}

// writeHistory prints the events as a table, oldest first.
func writeHistory(w io.Writer, events []store.Event, name string, now time.Time) error {
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
		if e.Event == store.EventChecked && e.Result != "" {
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
