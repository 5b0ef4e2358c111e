package ui

import (
	"context"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/keywarden/keywarden/checks"
)

// HealthTarget is one profile on the health screen.
type HealthTarget struct {
	Name         string
	ExchangeName string
	Environment  string
}

// Event is one step of a check run: a result, or a finished report.
type Event struct {
	Profile string
	Result  *checks.Result
	Report  *checks.Report
}

// StartFunc launches a check run and returns its events; the channel is
// closed when the run is over. Cancelling ctx stops the run.
type StartFunc func(ctx context.Context) <-chan Event

// Health is the live health screen: a row per check that spins until its
// result arrives, then shows ✓ ! ✗ with the fix beneath; r runs again,
// arrows select a row to show its detail, q quits.
type Health struct {
	targets []HealthTarget
	start   StartFunc
	st      Styles
	spin    spinner.Model

	run      int // current run id; events of older runs are dropped
	running  bool
	cancel   context.CancelFunc
	events   <-chan Event
	began    time.Time
	took     time.Duration
	results  map[string]map[string]checks.Result // profile → id → result
	reports  map[string]checks.Report
	cursor   int // index into rows()
	offset   int // first visible line
	width    int
	height   int
	quitting bool
	// Extra is shown under the summary when the run ends (e.g. the
	// wizard's "what next" menu); nil for plain `check`.
	Extra func(h *Health) string
}

// NewHealth builds the screen; start is called on Init and on each r.
func NewHealth(targets []HealthTarget, start StartFunc, color bool) *Health {
	return &Health{
		targets: targets, start: start, st: NewStyles(color),
		spin:  spinner.New(spinner.WithSpinner(spinner.MiniDot)),
		width: 80, height: 24,
	}
}

type eventMsg struct {
	run int
	ev  Event
}

type runDoneMsg struct{ run int }

func listen(run int, ch <-chan Event) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-ch
		if !ok {
			return runDoneMsg{run}
		}
		return eventMsg{run, ev}
	}
}

// Init starts the first run.
func (h *Health) Init() tea.Cmd { return tea.Batch(h.startRun(), h.spin.Tick) }

func (h *Health) startRun() tea.Cmd {
	if h.cancel != nil {
		h.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	h.run++
	h.cancel = cancel
	h.running = true
	h.began = time.Now()
	h.results = map[string]map[string]checks.Result{}
	h.reports = map[string]checks.Report{}
	h.events = h.start(ctx)
	return listen(h.run, h.events)
}

// Update handles keys, window sizes and check events.
func (h *Health) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		h.width, h.height = msg.Width, msg.Height
	case tea.KeyPressMsg:
		return h, h.key(msg)
	case eventMsg:
		if msg.run != h.run {
			return h, nil
		}
		h.apply(msg.ev)
		return h, listen(msg.run, h.events)
	case runDoneMsg:
		if msg.run == h.run {
			h.running = false
			h.took = time.Since(h.began)
		}
	case spinner.TickMsg:
		var cmd tea.Cmd
		h.spin, cmd = h.spin.Update(msg)
		return h, cmd
	}
	return h, nil
}

func (h *Health) key(k tea.KeyPressMsg) tea.Cmd {
	switch k.String() {
	case "q", "esc", "ctrl+c":
		h.quitting = true
		if h.cancel != nil {
			h.cancel()
		}
		return tea.Quit
	case "r":
		if !h.running {
			return h.startRun()
		}
	case "up", "k":
		if h.cursor > 0 {
			h.cursor--
		}
	case "down", "j":
		if h.cursor < len(h.rows())-1 {
			h.cursor++
		}
	case "home", "g":
		h.cursor = 0
	case "end", "G":
		h.cursor = len(h.rows()) - 1
	}
	return nil
}

func (h *Health) apply(ev Event) {
	if ev.Result != nil {
		m := h.results[ev.Profile]
		if m == nil {
			m = map[string]checks.Result{}
			h.results[ev.Profile] = m
		}
		m[ev.Result.ID] = *ev.Result
	}
	if ev.Report != nil {
		h.reports[ev.Profile] = *ev.Report
	}
}

// row is one check of one profile.
type row struct {
	profile int
	check   checks.Check
}

func (h *Health) rows() []row {
	var rs []row
	for i := range h.targets {
		for _, c := range checks.Table() {
			rs = append(rs, row{i, c})
		}
	}
	return rs
}

// Running reports whether a run is in progress.
func (h *Health) Running() bool { return h.running }

// Quitting reports whether the user asked to leave.
func (h *Health) Quitting() bool { return h.quitting }

// Reports returns the last run's finished reports, in target order, and
// whether every target finished.
func (h *Health) Reports() ([]checks.Report, bool) {
	var out []checks.Report
	for _, t := range h.targets {
		if r, ok := h.reports[t.Name]; ok {
			out = append(out, r)
		}
	}
	return out, len(out) == len(h.targets) && !h.running
}
