package cli

import "github.com/spf13/cobra"

func newImportCmd(a *app) *cobra.Command { return &cobra.Command{Use: "import", Hidden: true} }
