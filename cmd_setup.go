package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newSetupCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "setup",
		Short: "Guided key creation: masked input, save, then the live health screen",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usageErr(errors.New("setup is not available in this build yet"))
		},
	}
}
