// Command keywarden sets up crypto-exchange API keys for trading bots
// safely, and tells in seconds why a key does not work.
//
// This file only wires things: the command layer is package cli, which
// builds the command tree, runs it and maps errors to exit codes.
package main

import (
	"os"

	_ "github.com/keywarden/keywarden/internal/dbusguard" // must run before the keyring's init

	"github.com/keywarden/keywarden/cli"
)

// Set by the release build (-ldflags -X).
var (
	version = "dev"
	commit  = "none"
	date    = "unknown"
)

func main() {
	os.Exit(cli.Main(cli.Build{Version: version, Commit: commit, Date: date}))
}
