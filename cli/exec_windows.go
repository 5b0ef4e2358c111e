//go:build windows

package cli

import (
	"os"
	"os/signal"
	"sync"
)

// signalForwarder on Windows only keeps Ctrl+C from ending keywarden: the
// console delivers it to the bot itself, which decides what to do.
type signalForwarder struct {
	ch   chan os.Signal
	once sync.Once
}

func forwardSignals() *signalForwarder {
	f := &signalForwarder{ch: make(chan os.Signal, 4)}
	signal.Reset(os.Interrupt)
	signal.Notify(f.ch, os.Interrupt)
	return f
}

func (f *signalForwarder) start(*os.Process) {}

func (f *signalForwarder) stop() { f.once.Do(func() { signal.Stop(f.ch) }) }

// exitStatus is the bot's exit code.
func exitStatus(ps *os.ProcessState) int {
	if ps == nil {
		return exitNotExecutable
	}
	return ps.ExitCode()
}
