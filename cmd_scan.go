package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newScanCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "scan",
		Short: "Look for leaked keys in files and git history",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usageErr(errors.New("scan is not available in this build yet"))
		},
	}
}
