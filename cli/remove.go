package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/keywarden/keywarden/exchanges/all"
)

func newRemoveCmd(a *app) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "remove NAME",
		Short: "Delete a profile and its secrets from the keyring",
		Long: `Delete a profile and its secrets from keywarden's keyring. The key itself
still exists on the exchange: delete it there too if no bot needs it.

Deleting a secret takes proof: remove asks for the keyring passphrase
(KEYWARDEN_PASSPHRASE, or a prompt) and verifies it before anything is
changed; a wrong one changes nothing. With --backend os the system keychain
decides. On a terminal it asks for confirmation; otherwise add --yes.`,
		Args: exactArgs(1, "remove needs the profile NAME; `keywarden list` shows them"),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.openStore()
			if err != nil {
				return err
			}
			p, err := st.Get(args[0])
			if err != nil {
				return err
			}
			if !yes {
				ok, err := a.confirm(fmt.Sprintf("Remove %s (%s %s, key %s) and its secrets from the keyring? [y/N] ", p.Name, p.Exchange, p.Environment, p.Fingerprint))
				if err != nil {
					return err
				}
				if !ok {
					fmt.Fprintln(a.io.Err, "Nothing removed.")
					return nil
				}
			}
			if err := st.Remove(p.Name); err != nil {
				return err
			}
			a.recordHistory(p.Name, "removed", "key "+p.Fingerprint)
			where := "the exchange's API management page"
			if ad, ok := all.Lookup(p.Exchange); ok {
				where = ad.Info().Name + "'s API management page"
			}
			fmt.Fprintf(a.io.Out, "Removed %s. The key (%s) still exists on the exchange: delete it on %s if no bot needs it.\n", p.Name, p.Fingerprint, where)
			return nil
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	return cmd
}

// confirm asks a yes/no question on the terminal; without one it refuses,
// so that scripts must say --yes.
func (a *app) confirm(question string) (bool, error) {
	line, err := a.askLine(question)
	if err != nil {
		if errors.Is(err, errInterrupted) {
			return false, err
		}
		return false, usageErr(errors.New("not on a terminal: add --yes to confirm"))
	}
	line = strings.ToLower(line)
	return line == "y" || line == "yes", nil
}
