package cli

import (
	"context"
	"fmt"
	"os"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/fang"
	"github.com/charmbracelet/x/term"
	mcobra "github.com/muesli/mango-cobra"
	"github.com/muesli/roff"
	"github.com/spf13/cobra"
)

// execute runs the command tree as fang.Execute would — version flag,
// hidden man-page command, completions, one error handler — but with our
// own help renderer (see help.go for why).
func (a *app) execute(ctx context.Context, root *cobra.Command) error {
	enableVT(a.io.Out)
	enableVT(a.io.Err)
	root.SilenceUsage = true
	root.SilenceErrors = true
	root.Version = fmt.Sprintf("%s (commit %s, built %s)", a.build.Version, a.build.Commit, a.build.Date)
	root.SetHelpFunc(a.help)
	root.AddCommand(&cobra.Command{
		Use:                   "man",
		Short:                 "Generate the manual page",
		Hidden:                true,
		DisableFlagsInUseLine: true,
		Args:                  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			page, err := mcobra.NewManPage(1, cmd.Root())
			if err != nil {
				return err
			}
			_, err = fmt.Fprint(a.io.Out, page.Build(roff.NewDocument()))
			return err
		},
	})
	err := root.ExecuteContext(ctx)
	if err != nil {
		a.printError(a.io.Err, err)
	}
	return err
}

// errorBadge is fang's ERROR badge, in its colours.
func errorBadge() string {
	dark := term.IsTerminal(os.Stdout.Fd()) && lipgloss.HasDarkBackground(os.Stdin, os.Stdout)
	cs := fang.DefaultColorScheme(lipgloss.LightDark(dark))
	return lipgloss.NewStyle().Foreground(cs.ErrorHeader[0]).Background(cs.ErrorHeader[1]).
		Bold(true).Padding(0, 1).MarginLeft(2).Render("ERROR")
}
