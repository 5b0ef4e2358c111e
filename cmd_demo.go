package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newDemoCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "The wizard and health screen against the built-in simulator",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usageErr(errors.New("demo is not available in this build yet"))
		},
	}
}
