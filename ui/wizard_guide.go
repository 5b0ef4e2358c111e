package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/keywarden/keywarden/exchanges"
)

// para is one paragraph of the guide: text wrapped to the screen, with a
// hanging indent and a style.
type para struct {
	mark  string // "1.", "✓", "✗", "" …
	text  string
	style string // "", "title", "on", "off", "ip", "dim", "demo"
}

// GuideText is the key-creation guide for s, specific to the exchange,
// the environment, the markets and the bot's IP. The accessible mode
// prints the same text.
func GuideText(s Setup, keyName string, demo map[string]string) []para {
	info, g := s.Info, s.Info.Guide
	env, _ := info.Env(s.Env)
	ip := strings.Join(s.BotIPs, ", ")
	if ip == "" {
		ip = "your bot server's public IP"
	}
	vars := map[string]string{"name": keyName, "ip": ip, "ips": ip, "env": string(s.Env)}
	var out []para
	add := func(mark, text, style string) { out = append(out, para{mark, exchanges.Expand(text, vars), style}) }

	add("", "Create a "+info.Name+" API key for your bot", "title")
	if env.Note != "" {
		add("", env.Note, "dim")
	}
	n := 0
	num := func() string { n++; return itoa(n) + "." }
	where := g.Where
	if where == "" {
		where = "Open the API management page"
	}
	add(num(), where, "")
	if u := g.URL[s.Env]; u != "" {
		add("", u, "ip")
	} else if env.KeysAt != "" {
		add("", env.KeysAt, "ip")
	}
	for _, c := range g.Create {
		add(num(), c, "")
	}
	add(num(), "Tick only these permissions:", "")
	if g.Read != "" {
		add("✓", g.Read, "on")
	}
	for _, m := range s.Markets {
		if t := g.Trade[m]; t != "" {
			add("✓", t+"  ("+string(m)+")", "on")
		}
	}
	if len(g.KeepOff) > 0 {
		add(num(), "Leave these OFF — a trading bot never needs them, and they are how keys lose money:", "")
		for _, k := range g.KeepOff {
			add("✗", k, "off")
		}
	}
	if g.IPWhitelist != "" {
		add(num(), g.IPWhitelist, "")
	} else {
		add(num(), "Restrict the key to the bot's IP address:", "")
	}
	if len(s.BotIPs) > 0 {
		add("", strings.Join(s.BotIPs, "  "), "ip")
	}
	for _, note := range g.Notes {
		add("•", note, "dim")
	}
	for _, f := range info.Fields {
		if f.ID == exchanges.FieldPassphrase {
			add("•", f.Label+": "+f.Help, "dim")
		}
	}
	if len(demo) > 0 {
		add("", "This is the demo's simulated "+info.Name+". On the real site you would copy these from the page; here, copy them from below and paste them on the next screen (they only work against this simulator):", "demo")
		for _, f := range info.Fields {
			if v := demo[f.ID]; v != "" {
				add("", f.Label+": "+v, "ip")
			}
		}
	}
	add("", "When the key exists, press Enter to paste it.", "title")
	return out
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return string(rune('0'+n/10)) + string(rune('0'+n%10))
}

// guideView scrolls the guide.
type guideView struct {
	paras  []para
	offset int
}

func newGuideView(p []para) guideView { return guideView{paras: p} }

func (w *Wizard) guideText() []para {
	s := w.Setup()
	return GuideText(s, "keywarden-"+w.defaultNameOrName(), w.cfg.DemoKeys[w.exID])
}

func (w *Wizard) defaultNameOrName() string {
	if w.name != "" {
		return w.name
	}
	return w.defaultName()
}

// lines renders the guide at width.
func (g guideView) lines(st Styles, width int) []string {
	var out []string
	for _, p := range g.paras {
		indent := 0
		if p.mark != "" {
			indent = 4
		}
		wrapped := wrap(p.text, max(width-indent-2, 20))
		for i, l := range wrapped {
			prefix := strings.Repeat(" ", indent)
			if i == 0 && p.mark != "" {
				prefix = padRight(" "+p.mark, indent)
			}
			switch p.style {
			case "title":
				l = st.Title.Render(l)
			case "on":
				prefix = st.Pass.Render(prefix)
			case "off":
				prefix, l = st.Fail.Render(prefix), st.Bold.Render(l)
			case "ip":
				l = "    " + st.Bold.Render(l)
			case "dim":
				l = st.Dim.Render(l)
			case "demo":
				l = st.Warn.Render(l)
			}
			out = append(out, prefix+l)
		}
		if p.style == "title" {
			out = append(out, "")
		}
	}
	return out
}

func (w *Wizard) updateGuide(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	switch k.String() {
	case "enter":
		return w.next(stepGuide)
	case "up", "k":
		w.guide.offset = max(w.guide.offset-1, 0)
	case "down", "j":
		w.guide.offset++
	case "pgup":
		w.guide.offset = max(w.guide.offset-(w.height-6), 0)
	case "pgdown", "space":
		w.guide.offset += w.height - 6
	case "c":
		s := w.Setup()
		if len(s.BotIPs) > 0 {
			w.notice = "copied " + strings.Join(s.BotIPs, ", ") + " to the clipboard (if your terminal allows it)"
			return tea.SetClipboard(strings.Join(s.BotIPs, ","))
		}
	case "b":
		return w.enter(stepIP)
	}
	return nil
}
