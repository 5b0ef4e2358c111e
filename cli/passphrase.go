package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
)

func newPassphraseCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "passphrase",
		Short: "Change the keyring passphrase (every item re-encrypted; nothing lost if interrupted)",
		Long: `Change the keyring passphrase. Every item is re-encrypted into a new folder
and switched in with one atomic rename: if the command is interrupted, the
keyring opens with the old passphrase, or with the new one, never a mix.

The current passphrase comes from KEYWARDEN_PASSPHRASE or a prompt; the new
one from KEYWARDEN_NEW_PASSPHRASE or a prompt (asked twice).`,
		Args: exactArgs(0, "passphrase takes no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := a.openStore()
			if err != nil {
				return err
			}
			if err := st.Unlock(); err != nil {
				return err
			}
			next, ok := a.io.LookupEnv("KEYWARDEN_NEW_PASSPHRASE")
			if !ok {
				if next, err = a.prompt("New passphrase (at least 8 characters): "); err != nil {
					return err
				}
				again, err := a.prompt("Type it again: ")
				if err != nil {
					return err
				}
				if again != next {
					return usageErr(errors.New("the two passphrases differ; the passphrase was not changed"))
				}
			}
			if err := st.ChangePassphrase(next); err != nil {
				return err
			}
			fmt.Fprintln(a.io.Out, "Passphrase changed; every key was re-encrypted. Update KEYWARDEN_PASSPHRASE wherever a script sets it.")
			return nil
		},
	}
}
