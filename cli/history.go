package cli

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/keywarden/keywarden/store"
	"github.com/keywarden/keywarden/ui"
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
	rows := make([]ui.HistoryEntry, len(events))
	for i, e := range events {
		rows[i] = ui.HistoryEntry{Time: e.Time, Profile: e.Profile, Event: e.Event, Exchange: e.Exchange,
			Fingerprint: e.Fingerprint, Result: e.Result, Detail: e.Detail}
	}
	return ui.WriteHistory(a.io.Out, rows, o.name, a.now())
}
