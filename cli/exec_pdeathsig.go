//go:build linux || freebsd

package cli

import "syscall"

// botProcAttr asks the kernel to send the bot TERM when keywarden dies,
// even of kill -9, so that it never runs on unwatched with the key in its
// environment. (On Linux the "parent" is the thread that started the bot:
// startBot keeps that thread until the bot ends.)
func botProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
