package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newExecCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "exec",
		Short: "Run a bot with the key in its environment",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usageErr(errors.New("exec is not available in this build yet"))
		},
	}
}
