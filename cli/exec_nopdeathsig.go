//go:build !linux && !freebsd && !windows

package cli

import "syscall"

// botProcAttr is nil: macOS and the other BSDs cannot signal a child when
// its parent dies. A bot outlives a keywarden killed with kill -9 until it
// writes to its output, which no one reads any more (SIGPIPE).
func botProcAttr() *syscall.SysProcAttr { return nil }
