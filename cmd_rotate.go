package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newRotateCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "rotate",
		Short: "Guided replacement of a key",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usageErr(errors.New("rotate is not available in this build yet"))
		},
	}
}
