package ui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
)

// HomeAction is what the user chose on the home screen.
type HomeAction struct {
	// Kind: "setup", "check", "check-all", "remove", "demo" or "quit".
	Kind    string
	Profile string
}

type homeItem struct {
	label, kind, profile string
}

// Home is the screen of `keywarden` with no arguments: set up a key, check
// one or all, manage keys (details, check, remove), or try the demo.
type Home struct {
	profiles []ProfileView
	st       Styles
	now      time.Time
	// stack of menus: the top one is shown.
	menus   [][]homeItem
	titles  []string
	cursor  []int
	confirm string // profile awaiting "remove? y/n"
	action  HomeAction
	width   int
	height  int
	Message string // shown once at the top (the outcome of the last action)
}

// NewHome builds the home screen for the given profiles.
func NewHome(profiles []ProfileView, color bool, now time.Time) *Home {
	h := &Home{profiles: profiles, st: NewStyles(color), now: now, width: 80, height: 24, action: HomeAction{Kind: "quit"}}
	var main []homeItem
	main = append(main, homeItem{"Set up a new key", "setup", ""})
	switch len(profiles) {
	case 0:
	case 1:
		main = append(main, homeItem{"Check " + profiles[0].Name, "check", profiles[0].Name})
	default:
		main = append(main, homeItem{"Check a key…", "menu-check", ""}, homeItem{"Check all keys", "check-all", ""})
	}
	if len(profiles) > 0 {
		main = append(main, homeItem{"Manage keys…", "menu-manage", ""})
	}
	main = append(main, homeItem{"Try the demo (no account, no network)", "demo", ""}, homeItem{"Quit", "quit", ""})
	h.push("keywarden", main)
	return h
}

func (h *Home) push(title string, items []homeItem) {
	h.menus = append(h.menus, items)
	h.titles = append(h.titles, title)
	h.cursor = append(h.cursor, 0)
}

func (h *Home) pop() {
	if len(h.menus) > 1 {
		h.menus, h.titles, h.cursor = h.menus[:len(h.menus)-1], h.titles[:len(h.titles)-1], h.cursor[:len(h.cursor)-1]
	}
}

// Action is the user's choice once the screen has quit.
func (h *Home) Action() HomeAction { return h.action }

// Init does nothing: the screen waits for keys.
func (h *Home) Init() tea.Cmd { return nil }

// Update moves through the menus.
func (h *Home) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		h.width, h.height = msg.Width, msg.Height
	case tea.KeyPressMsg:
		return h, h.key(msg.String())
	}
	return h, nil
}

func (h *Home) key(k string) tea.Cmd {
	top := len(h.menus) - 1
	if h.confirm != "" {
		switch k {
		case "y", "Y":
			h.action = HomeAction{Kind: "remove", Profile: h.confirm}
			return tea.Quit
		default:
			h.confirm = ""
		}
		return nil
	}
	switch k {
	case "ctrl+c", "q":
		h.action = HomeAction{Kind: "quit"}
		return tea.Quit
	case "esc", "left", "h":
		if top == 0 {
			h.action = HomeAction{Kind: "quit"}
			return tea.Quit
		}
		h.pop()
	case "up", "k":
		h.cursor[top] = (h.cursor[top] + len(h.menus[top]) - 1) % len(h.menus[top])
	case "down", "j", "tab":
		h.cursor[top] = (h.cursor[top] + 1) % len(h.menus[top])
	case "enter", "right", "l", "space":
		return h.choose(h.menus[top][h.cursor[top]])
	}
	return nil
}

func (h *Home) choose(it homeItem) tea.Cmd {
	switch it.kind {
	case "menu-check":
		var items []homeItem
		for _, p := range h.profiles {
			items = append(items, homeItem{p.Name + "  " + h.st.Dim.Render(p.Exchange+" "+p.Environment+" · "+p.lastCheckText(h.now)), "check", p.Name})
		}
		h.push("Check which key?", append(items, homeItem{"Back", "back", ""}))
	case "menu-manage":
		var items []homeItem
		for _, p := range h.profiles {
			items = append(items, homeItem{p.Name + "  " + h.st.Dim.Render(p.Exchange+" "+p.Environment+" · key "+p.Fingerprint), "menu-profile", p.Name})
		}
		h.push("Manage keys", append(items, homeItem{"Back", "back", ""}))
	case "menu-profile":
		h.push(it.profile, []homeItem{
			{"Check it", "check", it.profile},
			{"Remove it from keywarden…", "confirm-remove", it.profile},
			{"Back", "back", ""},
		})
	case "confirm-remove":
		h.confirm = it.profile
	case "back":
		h.pop()
	default:
		h.action = HomeAction{Kind: it.kind, Profile: it.profile}
		return tea.Quit
	}
	return nil
}

// View draws the current menu, and the selected profile's details in the
// manage menus.
func (h *Home) View() tea.View {
	v := tea.NewView(h.Render())
	v.AltScreen = true
	return v
}

// Render is the screen as text.
func (h *Home) Render() string {
	var b strings.Builder
	top := len(h.menus) - 1
	b.WriteString(h.st.Title.Render(h.titles[top]))
	if top == 0 {
		b.WriteString(h.st.Dim.Render(fmt.Sprintf(" · %s · exchange API keys for trading bots", plural(len(h.profiles), "key"))))
	}
	b.WriteString("\n\n")
	if h.Message != "" && top == 0 {
		for _, l := range wrap(h.Message, max(h.width-2, 20)) {
			b.WriteString(h.st.Dim.Render(l) + "\n")
		}
		b.WriteString("\n")
	}
	for i, it := range h.menus[top] {
		line := "  " + it.label
		if i == h.cursor[top] {
			line = h.st.Title.Render("> ") + it.label
		}
		b.WriteString(line + "\n")
	}
	if p, ok := h.profile(h.titles[top]); ok {
		var d strings.Builder
		_ = WriteProfile(&d, p, h.now)
		b.WriteString("\n" + h.st.Dim.Render(strings.TrimRight(d.String(), "\n")) + "\n")
	}
	if h.confirm != "" {
		b.WriteString("\n" + h.st.Warn.Render("Remove "+h.confirm+" and its secrets from keywarden's keyring? y/N") + "\n")
		b.WriteString(h.st.Dim.Render("The key itself stays on the exchange: delete it there too if no bot needs it.") + "\n")
	}
	keys := "↑/↓ move · enter choose · esc back · q quit"
	b.WriteString("\n" + h.st.Dim.Render(keys))
	return b.String()
}

func (h *Home) profile(name string) (ProfileView, bool) {
	for _, p := range h.profiles {
		if p.Name == name {
			return p, true
		}
	}
	return ProfileView{}, false
}
