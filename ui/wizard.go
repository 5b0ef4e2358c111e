package ui

import (
	"context"
	"errors"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/keywarden/keywarden/exchanges"
)

// WizardConfig is what the setup wizard needs from its caller: the
// exchanges to offer and callbacks for everything that touches the
// keyring or the network, so the wizard itself stays pure UI.
type WizardConfig struct {
	// Exchanges to offer, in order.
	Exchanges []exchanges.Info
	// Presets from flags; empty means ask.
	Exchange, Env, Name string
	// PublicIP looks up this machine's public IP.
	PublicIP func(ctx context.Context) (string, error)
	// NameError says why a profile name cannot be used (invalid, taken).
	NameError func(name string) error
	// Save stores the setup (replace: the profile exists and its
	// credentials are being re-entered).
	Save func(s Setup, replace bool) error
	// Check starts the health check of the saved profile.
	Check func(s Setup) StartFunc
	// DemoKeys are values to show on the guide (the demo's simulated
	// exchange), by exchange id then field id.
	DemoKeys map[string]map[string]string
	// Banner is a line shown on every step (the demo says so).
	Banner string
	Color  bool
}

// Setup is what the wizard collected.
type Setup struct {
	Info    exchanges.Info
	Env     exchanges.Environment
	Markets []exchanges.Market
	// BotIPs: empty means this machine (ThisIP).
	BotIPs []string
	ThisIP string
	Name   string
	Creds  exchanges.Credentials
}

// WizardResult says how the wizard ended.
type WizardResult struct {
	Setup Setup
	Saved bool
	// Aborted: the user left before saving (Esc or Ctrl+C).
	Aborted     bool
	Interrupted bool // by Ctrl+C
	// Problems: the demo user asked to see keys with problems.
	Problems bool
	// Reports of the last health check, if one ran to the end.
	Health *Health
}

type step int

const (
	stepExchange step = iota
	stepEnv
	stepMarkets
	stepIP
	stepGuide
	stepCreds
	stepName
	stepHealth
)

var stepNames = map[step]string{stepExchange: "exchange", stepEnv: "environment", stepMarkets: "markets",
	stepIP: "bot IP", stepGuide: "create the key", stepCreds: "paste the key", stepName: "name", stepHealth: "health check"}

// Wizard is the setup wizard's model.
type Wizard struct {
	cfg  WizardConfig
	st   Styles
	step step

	form *huh.Form
	// values bound to the forms
	exID, env, ipChoice, botIP, name string
	markets                          []string

	thisIP   string
	ipErr    error
	ipDone   bool
	creds    *Creds
	guide    guideView
	health   *Health
	saved    bool
	saveErr  string
	notice   string
	width    int
	height   int
	result   WizardResult
	finished bool
}

// NewWizard builds the wizard.
func NewWizard(cfg WizardConfig) *Wizard {
	w := &Wizard{cfg: cfg, st: NewStyles(cfg.Color), width: 80, height: 24}
	w.exID, w.env, w.name = cfg.Exchange, cfg.Env, cfg.Name
	if len(cfg.Exchanges) == 1 {
		w.exID = cfg.Exchanges[0].ID
	}
	return w
}

// Result is how the wizard ended.
func (w *Wizard) Result() WizardResult { return w.result }

type ipMsg struct {
	ip  string
	err error
}

// Init looks up the public IP and opens the first step.
func (w *Wizard) Init() tea.Cmd {
	lookup := func() tea.Msg {
		if w.cfg.PublicIP == nil {
			return ipMsg{err: errors.New("no lookup")}
		}
		ip, err := w.cfg.PublicIP(context.Background())
		return ipMsg{ip, err}
	}
	return tea.Batch(lookup, w.enter(stepExchange))
}

// info is the chosen exchange.
func (w *Wizard) info() exchanges.Info {
	for _, i := range w.cfg.Exchanges {
		if i.ID == w.exID {
			return i
		}
	}
	return exchanges.Info{}
}

// Setup is what has been collected so far.
func (w *Wizard) Setup() Setup {
	s := Setup{Info: w.info(), Env: exchanges.Environment(w.env), ThisIP: w.thisIP, Name: w.name}
	for _, m := range w.markets {
		s.Markets = append(s.Markets, exchanges.Market(m))
	}
	if w.ipChoice == "other" && w.botIP != "" {
		s.BotIPs = []string{w.botIP}
	} else if w.thisIP != "" {
		s.BotIPs = []string{w.thisIP}
	}
	if w.creds != nil {
		s.Creds = w.creds.Credentials()
	}
	return s
}

// Update routes messages to the current step.
func (w *Wizard) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		w.width, w.height = msg.Width, msg.Height
		if w.health != nil {
			w.health.Update(msg)
		}
	case ipMsg:
		w.thisIP, w.ipErr, w.ipDone = msg.ip, msg.err, true
		if w.step == stepIP && w.form == nil {
			return w, w.enter(stepIP)
		}
		return w, nil
	case tea.KeyPressMsg:
		if cmd, handled := w.globalKey(msg); handled {
			return w, cmd
		}
	}
	switch w.step {
	case stepGuide:
		return w, w.updateGuide(msg)
	case stepCreds:
		return w, w.updateCreds(msg)
	case stepHealth:
		return w, w.updateHealth(msg)
	}
	return w, w.updateForm(msg)
}

// globalKey handles Ctrl+C and Esc: before the key is saved they leave
// without saving anything.
func (w *Wizard) globalKey(k tea.KeyPressMsg) (tea.Cmd, bool) {
	switch k.String() {
	case "ctrl+c":
		if !w.saved {
			w.result = WizardResult{Aborted: true, Interrupted: true}
		}
		return w.quit(), true
	case "esc":
		if w.step == stepHealth {
			return nil, false // the health screen treats esc as quit
		}
		if !w.saved {
			w.result = WizardResult{Aborted: true}
		}
		return w.quit(), true
	}
	return nil, false
}

func (w *Wizard) quit() tea.Cmd {
	w.finished = true
	if w.saved {
		w.result.Saved = true
		w.result.Setup = w.Setup()
		w.result.Health = w.health
	}
	if w.health != nil && w.health.cancel != nil {
		w.health.cancel()
	}
	return tea.Quit
}

// next moves past step s, skipping steps whose answer is already known.
func (w *Wizard) next(s step) tea.Cmd {
	return w.enter(s + 1)
}

// enter opens step s (or the first one after it that needs an answer).
func (w *Wizard) enter(s step) tea.Cmd {
	w.form, w.notice = nil, ""
	for {
		if !w.skip(s) {
			break
		}
		s++
	}
	w.step = s
	switch s {
	case stepGuide:
		w.guide = newGuideView(w.guideText())
		return nil
	case stepCreds:
		if w.creds == nil || w.creds.info.ID != w.exID {
			w.creds = NewCreds(w.info(), w.st)
		}
		return nil
	case stepName:
		if w.saved {
			return w.save()
		}
	case stepHealth:
		return w.startHealth()
	}
	w.form = w.buildForm(s)
	if w.form == nil {
		return nil // waiting (the IP lookup)
	}
	return w.form.Init()
}

func (w *Wizard) skip(s step) bool {
	info := w.info()
	switch s {
	case stepExchange:
		return w.exID != "" && info.ID != ""
	case stepEnv:
		if w.env == "" && len(info.Environments) == 1 {
			w.env = string(info.Environments[0].ID)
		}
		_, ok := info.Env(exchanges.Environment(w.env))
		return w.env != "" && ok
	case stepMarkets:
		if len(info.Markets) == 1 {
			w.markets = []string{string(info.Markets[0])}
			return true
		}
	case stepName:
		return false
	}
	return false
}

func (w *Wizard) updateForm(msg tea.Msg) tea.Cmd {
	if w.form == nil {
		return nil
	}
	m, cmd := w.form.Update(msg)
	if f, ok := m.(*huh.Form); ok {
		w.form = f
	}
	switch w.form.State {
	case huh.StateAborted:
		w.result = WizardResult{Aborted: true, Interrupted: true}
		return w.quit()
	case huh.StateCompleted:
		s := w.step
		if s == stepName {
			return w.save()
		}
		return w.next(s)
	}
	return cmd
}

func (w *Wizard) updateCreds(msg tea.Msg) tea.Cmd {
	w.creds.Update(msg)
	if w.creds.Done() {
		return w.next(stepCreds)
	}
	return nil
}

// save stores the profile and opens the health screen.
func (w *Wizard) save() tea.Cmd {
	if err := w.cfg.Save(w.Setup(), w.saved); err != nil {
		w.saveErr = err.Error()
		if w.saved {
			w.step = stepCreds
			w.creds.Err = "could not save: " + err.Error()
			return nil
		}
		w.form = w.buildForm(stepName)
		w.step = stepName
		return w.form.Init()
	}
	w.saved, w.saveErr = true, ""
	return w.enter(stepHealth)
}

func (w *Wizard) startHealth() tea.Cmd {
	s := w.Setup()
	env := string(s.Env)
	w.health = NewHealth([]HealthTarget{{Name: s.Name, ExchangeName: s.Info.Name, Environment: env}}, w.cfg.Check(s), w.cfg.Color)
	w.health.width, w.health.height = w.width, w.height-2
	w.health.Extra = w.healthMenu
	return w.health.Init()
}

func (w *Wizard) updateHealth(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok && !w.health.Running() {
		switch k.String() {
		case "e":
			w.creds.Reset()
			return w.enter(stepCreds)
		case "g":
			return w.enter(stepGuide)
		case "p":
			if w.cfg.DemoKeys != nil {
				w.result.Problems = true
				return w.quit()
			}
		}
	}
	_, cmd := w.health.Update(msg)
	if w.health.Quitting() {
		return w.quit()
	}
	return cmd
}

// healthMenu is shown under the health screen once a run is over.
func (w *Wizard) healthMenu(h *Health) string {
	reports, _ := h.Reports()
	problems := false
	for _, r := range reports {
		if r.Counts.Fail+r.Counts.Warn > 0 {
			problems = true
		}
	}
	var lines []string
	if problems {
		lines = append(lines, w.st.Bold.Render("Fix it on "+w.info().Name+", then press r to check again"),
			w.st.Dim.Render("e re-enter the credentials · g back to the guide"))
	} else {
		lines = append(lines, w.st.Pass.Render("Your key is ready.")+w.st.Dim.Render(" Run the bot with: keywarden exec "+w.name+" -- CMD"))
	}
	if w.cfg.DemoKeys != nil {
		lines = append(lines, w.st.Bold.Render("p")+w.st.Dim.Render(" see keys with problems: withdrawals on, IP, clock, expiry"))
	}
	return strings.Join(lines, "\n")
}
