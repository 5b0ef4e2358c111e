package cli

import (
	"github.com/spf13/cobra"
)

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "keywarden",
		Short: "Set up exchange API keys for trading bots safely, and tell in seconds why one does not work",
		Long: `keywarden walks you through creating an exchange API key with the right
permissions (withdrawals off, IP whitelist on), keeps it in an encrypted
keyring, checks it live (exchange status, clock, authentication, permissions,
IP whitelist, balance, age and expiry) naming the one real cause and the exact
fix for every problem, and hands it to your bot without a .env file.

Run it with no arguments on a terminal for the home screen, or try
` + "`keywarden demo`" + ` first: no exchange account, no network.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return a.bindGlobals(cmd)
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if a.io.InTTY && a.io.OutTTY {
				return runHome(a)
			}
			return cmd.Help()
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&a.g.dir, "dir", "", "where the keyring and state live (env KEYWARDEN_DIR; default <user config dir>/keywarden)")
	pf.StringVar(&a.g.backend, "backend", "file", "file: the encrypted file keyring; os: the system keychain (env KEYWARDEN_BACKEND)")
	pf.StringVar(&a.g.ntpServer, "ntp-server", "", "NTP server for the clock check, HOST[:PORT], or off (env KEYWARDEN_NTP_SERVER)")
	pf.StringVar(&a.g.ipEchoURL, "ip-echo-url", "", "service that answers this machine's public IP (env KEYWARDEN_IP_ECHO_URL)")
	pf.BoolVar(&a.g.noColor, "no-color", false, "no colour (also NO_COLOR)")
	pf.StringVar(&a.g.passphraseFile, "passphrase-file", "", "read the keyring passphrase from FILE, which others must not be able to read (env KEYWARDEN_PASSPHRASE_FILE)")

	root.AddGroup(&cobra.Group{ID: "keys", Title: "Keys"}, &cobra.Group{ID: "bots", Title: "Bots"}, &cobra.Group{ID: "tools", Title: "Tools"})
	for _, c := range []struct {
		group string
		cmd   *cobra.Command
	}{
		{"keys", newSetupCmd(a)}, {"keys", newCheckCmd(a)}, {"keys", newAddCmd(a)}, {"keys", newListCmd(a)},
		{"keys", newShowCmd(a)}, {"keys", newRemoveCmd(a)}, {"keys", newRotateCmd(a)}, {"keys", newPassphraseCmd(a)},
		{"keys", newDoctorCmd(a)},
		{"bots", newExecCmd(a)}, {"bots", newScanCmd(a)}, {"bots", newHistoryCmd(a)}, {"bots", newServeCmd(a)},
		{"bots", newHookCmd(a)}, {"bots", newImportCmd(a)},
		{"tools", newDemoCmd(a)}, {"tools", newSimCmd(a)}, {"tools", newVersionCmd(a)},
	} {
		c.cmd.GroupID = c.group
		root.AddCommand(c.cmd)
	}
	return root
}
