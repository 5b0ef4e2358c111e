package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/keywarden/keywarden/checks"
	"github.com/keywarden/keywarden/exchanges/all"
	"github.com/keywarden/keywarden/store"
	"github.com/keywarden/keywarden/ui"
)

func newListCmd(a *app) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List keys: exchange, environment, fingerprint, age, last check",
		Args:  exactArgs(0, "list takes no arguments; use `keywarden show NAME` for one profile"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := a.openStore()
			if err != nil {
				return err
			}
			ps, err := st.List()
			if err != nil {
				return err
			}
			events, err := st.History("")
			if err != nil {
				fmt.Fprintln(a.io.Err, "warning: could not read the history: "+err.Error())
			}
			last := lastChecks(events, ps)
			var views []ui.ProfileView
			for _, p := range ps {
				views = append(views, withHistoryCheck(profileView(p), last))
			}
			if asJSON {
				err = ui.WriteProfilesJSON(a.io.Out, views)
			} else {
				err = ui.WriteProfiles(a.io.Out, views, a.now())
			}
			if unnamed, uerr := st.UnnamedItems(); uerr == nil && len(unnamed) > 0 {
				fmt.Fprintf(a.io.Err, "note: %s to no profile (%s): run `keywarden doctor` to rebuild their profiles (nothing is deleted)\n",
					belong(len(unnamed)), listNames(unnamed))
			}
			return err
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// profileView turns stored metadata into what people see.
func profileView(p store.Profile) ui.ProfileView {
	v := ui.ProfileView{
		Name: p.Name, Exchange: p.Exchange, Environment: p.Environment, Fingerprint: p.Fingerprint,
		Markets: p.Markets, BotIPs: p.BotIPs, BaseURL: p.BaseURL, AddedAt: p.AddedAt,
		RotationDays: p.RotationDays,
	}
	if v.RotationDays == 0 {
		v.RotationDays = checks.DefaultRotationDays
	}
	if v.Markets == nil {
		v.Markets = []string{}
	}
	if v.BotIPs == nil {
		v.BotIPs = []string{}
	}
	if ad, ok := all.Lookup(p.Exchange); ok {
		v.ExchangeName = ad.Info().Name
	}
	if !p.KeyCreated.IsZero() {
		t := p.KeyCreated
		v.KeyCreated = &t
	}
	if !p.KeyExpires.IsZero() {
		t := p.KeyExpires
		v.KeyExpires = &t
	}
	if !p.RotatedAt.IsZero() {
		t := p.RotatedAt
		v.RotatedAt = &t
	}
	if c := p.LastCheck; c != nil {
		v.LastCheck = &ui.LastCheck{At: c.At, Worst: c.Worst, Counts: c.Counts, Summary: c.Summary}
	}
	return v
}
