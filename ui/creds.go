package ui

import (
	"fmt"
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"

	"github.com/keywarden/keywarden/exchanges"
)

// Creds is the masked credential input: one line per field of the
// exchange, every value shown only as dots and its length. A paste
// (bracketed paste) is cleaned of what copying drags along — spaces,
// newlines, quotes, zero-width characters, escape codes — and the user is
// told what was removed. Each value is checked against the exchange's real
// format before the step completes, including a swapped key and secret.
// The key is confirmed by its fingerprint; no secret is ever drawn.
type Creds struct {
	info   exchanges.Info
	fields []exchanges.Field
	values []string
	notes  [][]string
	errs   []string
	focus  int
	// Err is a problem with the fields taken together (e.g. swapped).
	Err  string
	done bool
	st   Styles
}

// NewCreds builds the input for info's fields.
func NewCreds(info exchanges.Info, st Styles) *Creds {
	n := len(info.Fields)
	return &Creds{info: info, fields: info.Fields, values: make([]string, n), notes: make([][]string, n), errs: make([]string, n), st: st}
}

// Done reports whether every field is valid and the user confirmed.
func (c *Creds) Done() bool { return c.done }

// Credentials returns the entered values.
func (c *Creds) Credentials() exchanges.Credentials {
	var cr exchanges.Credentials
	for i, f := range c.fields {
		switch f.ID {
		case exchanges.FieldKey:
			cr.Key = c.values[i]
		case exchanges.FieldSecret:
			cr.Secret = exchanges.NewSecret(c.values[i])
		case exchanges.FieldPassphrase:
			cr.Passphrase = exchanges.NewSecret(c.values[i])
		}
	}
	return cr
}

// Reset clears every value (re-entering the credentials).
func (c *Creds) Reset() {
	for i := range c.values {
		c.values[i], c.notes[i], c.errs[i] = "", nil, ""
	}
	c.focus, c.Err, c.done = 0, "", false
}

// Update handles typing, paste and navigation.
func (c *Creds) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		c.paste(msg.Content)
	case tea.KeyPressMsg:
		switch msg.String() {
		case "enter":
			c.submit()
		case "tab", "down":
			c.focus = (c.focus + 1) % len(c.fields)
		case "shift+tab", "up":
			c.focus = (c.focus + len(c.fields) - 1) % len(c.fields)
		case "backspace":
			v := c.values[c.focus]
			if v != "" {
				_, size := utf8.DecodeLastRuneInString(v)
				c.values[c.focus] = v[:len(v)-size]
			}
			c.errs[c.focus], c.Err = "", ""
		case "ctrl+u":
			c.values[c.focus], c.notes[c.focus], c.errs[c.focus], c.Err = "", nil, "", ""
		default:
			if msg.Text != "" && msg.Mod&^tea.ModShift == 0 {
				c.values[c.focus] += msg.Text
				c.errs[c.focus], c.Err = "", ""
			}
		}
	}
	return nil
}

func (c *Creds) paste(s string) {
	f := c.fields[c.focus]
	v, removed := exchanges.Clean(s, f.Multiline)
	c.values[c.focus] = v
	c.notes[c.focus] = removed
	c.errs[c.focus], c.Err = "", ""
}

// check validates field i (cleaning typed values too).
func (c *Creds) check(i int) bool {
	f := c.fields[i]
	v, removed := exchanges.Clean(c.values[i], f.Multiline)
	if v != c.values[i] {
		c.values[i] = v
		c.notes[i] = append(c.notes[i], removed...)
	}
	switch {
	case v == "":
		c.errs[i] = "required"
	case f.Check != nil && f.Check(v) != nil:
		c.errs[i] = f.Check(v).Error()
	default:
		c.errs[i] = ""
	}
	return c.errs[i] == ""
}

func (c *Creds) submit() {
	for i := range c.fields {
		if c.values[i] != "" {
			c.check(i)
		}
	}
	// A swap is named first: each field's own error would only confuse.
	if sw := c.swapped(); sw != "" {
		c.Err = sw
		for i := range c.errs {
			c.errs[i] = ""
		}
		return
	}
	if c.values[c.focus] != "" && c.errs[c.focus] != "" {
		return
	}
	for i := range c.fields {
		if c.values[i] == "" || c.errs[i] != "" {
			c.focus = i
			return
		}
	}
	if err := exchanges.ValidateCredentials(c.info, c.Credentials()); err != nil {
		c.Err = err.Error()
		return
	}
	c.done = true
}

// swapped recognises a key and secret pasted into each other's field: each
// value fails its own field's format but fits the other's.
func (c *Creds) swapped() string {
	ki, si := -1, -1
	for i, f := range c.fields {
		switch f.ID {
		case exchanges.FieldKey:
			ki = i
		case exchanges.FieldSecret:
			si = i
		}
	}
	if ki < 0 || si < 0 {
		return ""
	}
	k, s := c.fields[ki], c.fields[si]
	kv, sv := c.values[ki], c.values[si]
	if k.Check(kv) != nil && s.Check(kv) == nil && k.Check(sv) == nil {
		return fmt.Sprintf("the %s and %s look swapped: paste each into the other field", k.Label, s.Label)
	}
	return ""
}

// View draws the fields: labels, help, dots for the values, what a paste
// had removed, and errors.
func (c *Creds) View(width int) string {
	var b strings.Builder
	for i, f := range c.fields {
		cursor := "  "
		label := c.st.Bold.Render(f.Label)
		if i == c.focus {
			cursor = c.st.Title.Render("> ")
		}
		b.WriteString(cursor + label + "\n")
		for _, l := range wrap(f.Help, max(width-4, 20)) {
			b.WriteString("    " + c.st.Dim.Render(l) + "\n")
		}
		b.WriteString("    " + c.masked(i) + "\n")
		if len(c.notes[i]) > 0 {
			for _, l := range wrap("removed from the paste: "+strings.Join(c.notes[i], ", "), max(width-4, 20)) {
				b.WriteString("    " + c.st.Warn.Render(l) + "\n")
			}
		}
		if c.errs[i] != "" {
			for _, l := range wrap("✗ "+c.errs[i], max(width-4, 20)) {
				b.WriteString("    " + c.st.Fail.Render(l) + "\n")
			}
		}
	}
	if c.Err != "" {
		for _, l := range wrap("✗ "+c.Err, max(width-2, 20)) {
			b.WriteString(c.st.Fail.Render(l) + "\n")
		}
	}
	return b.String()
}

// masked shows a value as dots, its length, and for the key its
// fingerprint. No character of a secret is drawn.
func (c *Creds) masked(i int) string {
	v := c.values[i]
	if v == "" {
		return c.st.Dim.Render("(paste it here)")
	}
	n := utf8.RuneCountInString(v)
	dots := strings.Repeat("•", min(n, 24))
	s := dots + c.st.Dim.Render(fmt.Sprintf("  %d characters", n))
	if c.fields[i].ID == exchanges.FieldKey && !c.fields[i].Secret {
		s += c.st.Dim.Render("  " + exchanges.Fingerprint(v))
	}
	if c.errs[i] == "" && c.fields[i].Check != nil && c.fields[i].Check(v) == nil {
		s += " " + c.st.Pass.Render("✓")
	}
	return s
}
