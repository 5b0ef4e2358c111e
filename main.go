// Command keywarden sets up crypto-exchange API keys for trading bots
// safely, and tells in seconds why a key does not work.
//
// This file only wires things: it builds the command tree, runs it, and
// maps the error to an exit code (see exit.go). Each command lives in its
// own cmd_<name>.go file.
package main

import (
	"context"
	"os"

	_ "github.com/keywarden/keywarden/internal/dbusguard" // must run before the keyring's init
)

// Set by the release build (-ldflags -X).
var (
	version = "dev"
	commit  = "none"
	date    = "unknown"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], newSystemIO()))
}
