//go:build windows

package cli

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
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

func botProcAttr() *syscall.SysProcAttr { return nil }

// tieToKeywarden puts the bot in a job object that ends every process in
// it when its last handle closes: keywarden holds the only one, so the
// bot (and what it started) ends when keywarden does, even if it is
// killed. The returned func closes the handle. If the job cannot be made,
// a note says so and the bot runs on.
func tieToKeywarden(p *os.Process, errOut io.Writer) func() {
	job, err := windows.CreateJobObject(nil, nil)
	if err == nil {
		err = killOnClose(job, p.Pid)
		if err != nil {
			_ = windows.CloseHandle(job)
		}
	}
	if err != nil {
		fmt.Fprintf(errOut, "note: the bot would outlive keywarden if keywarden were killed (job object: %v)\n", err)
		return func() {}
	}
	return func() { _ = windows.CloseHandle(job) }
}

func killOnClose(job windows.Handle, pid int) error {
	info := windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION{
		BasicLimitInformation: windows.JOBOBJECT_BASIC_LIMIT_INFORMATION{LimitFlags: windows.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE},
	}
	if _, err := windows.SetInformationJobObject(job, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info))); err != nil {
		return err
	}
	h, err := windows.OpenProcess(windows.PROCESS_SET_QUOTA|windows.PROCESS_TERMINATE, false, uint32(pid))
	if err != nil {
		return err
	}
	defer windows.CloseHandle(h)
	return windows.AssignProcessToJobObject(job, h)
}
