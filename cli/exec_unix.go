//go:build !windows

package cli

import (
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// forwardedSignals reach the bot when keywarden receives them.
var forwardedSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGUSR1, syscall.SIGUSR2}

// signalForwarder passes signals keywarden receives on to the bot.
type signalForwarder struct {
	ch   chan os.Signal
	done chan struct{}
	once sync.Once
}

// forwardSignals takes over the forwarded signals before the bot starts,
// so that none is lost between its start and start.
func forwardSignals() *signalForwarder {
	f := &signalForwarder{ch: make(chan os.Signal, 16), done: make(chan struct{})}
	// run turns INT and TERM into a cancelled context and exit 130; while
	// a bot runs they are the bot's to handle, and keywarden returns the
	// bot's own exit code. Reset drops that handler and Notify takes the
	// signals over at once.
	signal.Reset(syscall.SIGINT, syscall.SIGTERM)
	signal.Notify(f.ch, forwardedSignals...)
	return f
}

// start forwards every signal received (and any received since
// forwardSignals) to p, until stop.
func (f *signalForwarder) start(p *os.Process) {
	go func() {
		for {
			select {
			case s := <-f.ch:
				if fromTerminal(s) {
					continue // the terminal sent it to the bot too
				}
				_ = p.Signal(s)
			case <-f.done:
				return
			}
		}
	}()
}

// stop ends the forwarding; signals get their default action again.
func (f *signalForwarder) stop() {
	f.once.Do(func() {
		signal.Stop(f.ch)
		close(f.done)
	})
}

// fromTerminal reports whether s was most likely typed on the terminal
// (Ctrl+C, Ctrl+\) that keywarden runs in the foreground of: the kernel
// then sends it to the whole foreground process group, the bot included,
// and forwarding it would deliver it twice.
func fromTerminal(s os.Signal) bool {
	if s != syscall.SIGINT && s != syscall.SIGQUIT {
		return false
	}
	for _, fd := range []int{0, 1, 2} {
		if pgrp, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP); err == nil {
			return pgrp == unix.Getpgrp()
		}
	}
	return false
}

// tieToKeywarden does nothing here: what a system can do to end the bot
// with keywarden is set before it starts (botProcAttr).
func tieToKeywarden(*os.Process, io.Writer) func() { return func() {} }

// exitStatus is the bot's exit code, or 128+N if signal N ended it.
func exitStatus(ps *os.ProcessState) int {
	if ps == nil {
		return exitNotExecutable
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}
