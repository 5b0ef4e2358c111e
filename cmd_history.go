package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newHistoryCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "history",
		Short: "A key's life: added, checked, rotated, handed to a bot",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usageErr(errors.New("history is not available in this build yet"))
		},
	}
}
