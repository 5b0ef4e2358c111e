package ui

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// driver feeds messages to a model the way the Bubble Tea runtime would:
// each command is run and its message fed back, batches and sequences
// unpacked, spinner ticks dropped (they would loop forever), and a command
// that does not answer quickly is left alone.
type driver struct {
	t     *testing.T
	m     tea.Model
	quit  bool
	width int
	// late holds commands still running: their message is delivered by
	// settle, as the runtime would deliver it whenever it comes.
	late []chan tea.Msg
}

// settle waits up to d for late messages and feeds them.
func (d *driver) settle(wait time.Duration) {
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		progressed := false
		for i := 0; i < len(d.late); i++ {
			select {
			case msg := <-d.late[i]:
				d.late = append(d.late[:i], d.late[i+1:]...)
				i--
				progressed = true
				d.deliver(msg)
			default:
			}
		}
		if !progressed {
			time.Sleep(5 * time.Millisecond)
		}
	}
}

func drive(t *testing.T, m tea.Model, w, h int) *driver {
	d := &driver{t: t, m: m, width: w}
	d.run(m.Init())
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	return d
}

func (d *driver) send(msgs ...tea.Msg) *driver {
	for _, msg := range msgs {
		var cmd tea.Cmd
		d.m, cmd = d.m.Update(msg)
		d.run(cmd)
	}
	return d
}

var cmdType = reflect.TypeOf(tea.Cmd(nil))

func (d *driver) run(cmd tea.Cmd) {
	if cmd == nil || d.quit {
		return
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	select {
	case msg := <-ch:
		d.deliver(msg)
	case <-time.After(100 * time.Millisecond):
		d.late = append(d.late, ch)
	}
}

func (d *driver) deliver(msg tea.Msg) {
	switch m := msg.(type) {
	case nil, spinner.TickMsg:
		return
	case tea.QuitMsg:
		d.quit = true
		return
	case tea.BatchMsg:
		for _, c := range m {
			d.run(c)
		}
		return
	}
	// tea.Sequence's message is an unexported slice of commands.
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == cmdType {
		for i := 0; i < v.Len(); i++ {
			d.run(v.Index(i).Interface().(tea.Cmd))
		}
		return
	}
	if _, ok := msg.(tea.WindowSizeMsg); ok {
		return
	}
	if strings.Contains(reflect.TypeOf(msg).String(), "windowSize") {
		d.send(tea.WindowSizeMsg{Width: d.width, Height: 24})
		return
	}
	d.send(msg)
}

func key(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "ctrl+u":
		return tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

func typeText(s string) []tea.Msg {
	var out []tea.Msg
	for _, r := range s {
		out = append(out, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return out
}

// screen is the model's view without colours.
func screen(m tea.Model) string { return ansi.Strip(m.View().Content) }

// fits fails if any line of s is wider than w cells.
func fits(t *testing.T, s string, w int) {
	t.Helper()
	for _, l := range strings.Split(s, "\n") {
		if n := ansi.StringWidth(l); n > w {
			t.Errorf("line wider than %d (%d): %q", w, n, l)
		}
	}
}
