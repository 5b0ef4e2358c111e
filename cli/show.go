package cli

import (
	"github.com/spf13/cobra"

	"github.com/keywarden/keywarden/ui"
)

func newShowCmd(a *app) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show NAME",
		Short: "Show one profile's metadata (never a secret)",
		Args:  exactArgs(1, "show needs the profile NAME; `keywarden list` shows them"),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.openStore()
			if err != nil {
				return err
			}
			p, err := st.Get(args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return ui.WriteProfileJSON(a.io.Out, profileView(p))
			}
			return ui.WriteProfile(a.io.Out, profileView(p), a.now())
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
