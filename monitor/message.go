package monitor

import (
	"strings"
	"unicode/utf8"

	"github.com/keywarden/keywarden/internal/textsafe"
)

// markup is how a chat target wants its text escaped and emphasised.
type markup struct {
	escape func(string) string
	bold   func(string) string
	code   func(string) string
}

// plainMarkup is text without markup (Telegram without parse_mode, ntfy, the
// webhook's text field).
func plainMarkup() markup { return markup{escape: id, bold: id, code: id} }

// slackMarkup is Slack's mrkdwn: &, < and > must be escaped; *bold*, `code`.
func slackMarkup() markup {
	return markup{
		escape: strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace,
		bold:   func(s string) string { return "*" + s + "*" },
		code:   func(s string) string { return "`" + s + "`" },
	}
}

// discordMarkup is Discord's markdown: **bold**, `code`; markdown
// characters in the words are escaped so an exchange's message cannot
// format the alert, and @ cannot mention anyone.
func discordMarkup() markup {
	return markup{
		escape: strings.NewReplacer("\\", "\\\\", "*", "\\*", "_", "\\_", "`", "\\`", "~", "\\~", "|", "\\|", ">", "\\>", "@", "@\u200b").Replace,
		bold:   func(s string) string { return "**" + s + "**" },
		code:   func(s string) string { return "`" + s + "`" },
	}
}

func id(s string) string { return s }

// clean passes every text of an alert through textsafe once: summaries
// and fixes may quote an exchange's words.
func clean(a Alert) Alert {
	items := make([]AlertItem, len(a.Items))
	for i, it := range a.Items {
		it.Summary, it.Fix, it.Title = textsafe.Line(it.Summary), textsafe.Line(it.Fix), textsafe.Line(it.Title)
		items[i] = it
	}
	a.Items = items
	return a
}

// worst is the state that leads the message: a new problem before a
// repeat before a recovery.
func worst(a Alert) string {
	rank := map[string]int{StateFiring: 3, StateRepeat: 2, StateResolved: 1, StateTest: 0}
	w := StateTest
	for _, it := range a.Items {
		if rank[it.State] > rank[w] {
			w = it.State
		}
	}
	return w
}

// title is the one-line headline: which profile, what happened.
func title(a Alert) string {
	who := a.Profile + " (" + orWord(a.ExchangeName, a.Exchange) + " " + a.Environment + ")"
	var ids []string
	for _, it := range a.Items {
		ids = append(ids, it.Check)
	}
	checks := strings.Join(ids, ", ")
	switch worst(a) {
	case StateFiring:
		return "keywarden: " + who + ": problem with " + checks
	case StateRepeat:
		return "keywarden: " + who + ": still a problem: " + checks
	case StateResolved:
		return "keywarden: " + who + ": recovered: " + checks
	}
	return "keywarden: test alert"
}

// text is the message as a person reads it: for each check, its state,
// cause, summary and the exact fix, as the health screen shows them.
func text(a Alert, m markup) string {
	a = clean(a)
	var b strings.Builder
	b.WriteString(m.bold(m.escape(title(a))))
	for _, it := range a.Items {
		b.WriteString("\n")
		switch it.State {
		case StateResolved:
			b.WriteString("✓ " + m.code(it.Check) + " recovered: " + m.escape(it.Summary))
			continue
		case StateTest:
			b.WriteString(m.escape(it.Summary))
			continue
		case StateRepeat:
			b.WriteString("✗ " + m.code(it.Check) + " still " + it.Status)
		default:
			b.WriteString("✗ " + m.code(it.Check) + " " + it.Status)
		}
		if it.Cause != "" {
			b.WriteString(" (" + m.code(it.Cause) + ")")
		}
		b.WriteString(": " + m.escape(it.Summary))
		if it.Fix != "" {
			b.WriteString("\n  Fix: " + m.escape(it.Fix))
		}
	}
	return b.String()
}

// clip cuts s to at most n bytes on a rune boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// asciiLine keeps what an HTTP header may carry.
func asciiLine(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r == '—' || r == '–':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// TestAlert is the message of serve --test-alert.
func TestAlert(host string) Alert {
	return Alert{Profile: "test", Items: []AlertItem{{Check: "test", State: StateTest, Status: "pass",
		Summary: "Test message from keywarden serve on " + host + ": alerts reach this target."}}}
}
