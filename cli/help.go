package cli

import (
	"image/color"
	"io"
	"os"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/fang"
	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Help is rendered here rather than by fang.Execute: fang v1.0.0 measures
// the width once per process from stdout (120 columns off a terminal, and
// at most 120 on one), pads every line of the description to that width
// with spaces, never wraps flag descriptions (a terminal breaks them
// mid-word), and title-cases their first word ("Ntp server", "File: the
// encrypted…"), with no option to change any of it. This renderer keeps
// fang's layout and colour scheme (fang.DefaultColorScheme) and fits the
// text to the real width instead.

const (
	// helpDefaultWidth is used off a terminal, and when its size is unknown.
	helpDefaultWidth = 80
	// helpMaxWidth keeps lines readable on a very wide terminal.
	helpMaxWidth = 100
	helpMinWidth = 40
	helpIndent   = 2 // titles and prose
	helpBlock    = 4 // usage, examples, flag and command rows
	helpGap      = 2 // between a flag or command and its description
)

// helpWidth is the width help is wrapped to.
func (a *app) helpWidth() int {
	w := 0
	if a.io.OutTTY && a.io.Width != nil {
		w = a.io.Width()
	}
	if w <= 0 {
		return helpDefaultWidth
	}
	return max(helpMinWidth, min(w, helpMaxWidth))
}

// helpStyles are fang's colours; all of them plain off a terminal.
type helpStyles struct {
	title, text, command, flag, dflt lipgloss.Style
	// code styles the words of a command line, on the block's background.
	code   struct{ program, command, flag, arg, comment lipgloss.Style }
	block  lipgloss.Style
	colour bool
}

// helpColour: help is coloured on a terminal, unless colour is off.
func (a *app) helpColour() bool {
	return a.io.OutTTY && !a.g.noColor && a.getenv("NO_COLOR") == ""
}

func (a *app) helpStyles() helpStyles {
	if !a.helpColour() {
		return helpStyles{}
	}
	dark := true
	if f, ok := a.io.Out.(*os.File); ok {
		if in, ok := a.io.In.(*os.File); ok {
			dark = lipgloss.HasDarkBackground(in, f)
		}
	}
	cs := fang.DefaultColorScheme(lipgloss.LightDark(dark))
	fg := func(c color.Color) lipgloss.Style { return lipgloss.NewStyle().Foreground(c) }
	st := helpStyles{
		title:   lipgloss.NewStyle().Bold(true).Foreground(cs.Title),
		text:    fg(cs.Base),
		command: fg(cs.Command),
		flag:    fg(cs.Flag),
		dflt:    fg(cs.FlagDefault),
		block:   lipgloss.NewStyle().Background(cs.Codeblock),
		colour:  true,
	}
	bg := func(c color.Color) lipgloss.Style { return fg(c).Background(cs.Codeblock) }
	st.code.program, st.code.command, st.code.flag = bg(cs.Program), bg(cs.Command), bg(cs.Flag)
	st.code.arg, st.code.comment = bg(cs.DimmedArgument), bg(cs.Comment)
	return st
}

// help writes c's help to its output.
func (a *app) help(c *cobra.Command, _ []string) {
	out := colorprofile.NewWriter(c.OutOrStdout(), os.Environ())
	if !a.helpColour() {
		out.Profile = colorprofile.NoTTY
	}
	_, _ = io.WriteString(out, renderHelp(c, a.helpWidth(), a.helpStyles()))
}

// renderHelp lays out c's help in width columns: no line is wider, and
// none ends in a space unless it is drawn on a coloured block.
func renderHelp(c *cobra.Command, width int, st helpStyles) string {
	var b strings.Builder
	section := func(name string) {
		b.WriteString("\n" + strings.Repeat(" ", helpIndent) + st.title.Render(strings.ToUpper(name)) + "\n\n")
	}
	if text := strings.TrimSpace(firstNonEmpty(c.Long, c.Short)); text != "" {
		b.WriteString("\n")
		for _, line := range wrapIndent(text, width, helpIndent, helpIndent) {
			b.WriteString(st.text.Render(line) + "\n")
		}
	}

	section("usage")
	writeBlock(&b, []string{usageLine(c)}, width, st)
	if ex := strings.TrimSpace(c.Example); ex != "" {
		section("examples")
		var lines []string
		for _, l := range strings.Split(ex, "\n") {
			lines = append(lines, strings.TrimSpace(l))
		}
		writeBlock(&b, lines, width, st)
	}

	rows, groups := commandRows(c)
	flags := flagRows(c)
	keyWidth := 0
	for _, r := range append(append([]helpRow{}, rows...), flags...) {
		keyWidth = max(keyWidth, ansi.StringWidth(r.key))
	}
	keyWidth = min(keyWidth, (width-helpBlock)/3)
	for _, g := range groups {
		var in []helpRow
		for _, r := range rows {
			if r.group == g.ID {
				in = append(in, r)
			}
		}
		if len(in) == 0 {
			continue
		}
		section(g.Title)
		writeRows(&b, in, keyWidth, width, st.command, st)
	}
	if len(flags) > 0 {
		section("flags")
		writeRows(&b, flags, keyWidth, width, st.flag, st)
	}
	b.WriteString("\n")
	return b.String()
}

// helpRow is a command or a flag and its description.
type helpRow struct {
	key, desc, dflt, group string
}

func commandRows(c *cobra.Command) ([]helpRow, []*cobra.Group) {
	var rows []helpRow
	groups := append([]*cobra.Group{}, c.Groups()...)
	hasOther := false
	for _, sc := range c.Commands() {
		if !sc.IsAvailableCommand() && sc.Name() != "help" || sc.Hidden {
			continue
		}
		if sc.GroupID == "" {
			hasOther = true
		}
		rows = append(rows, helpRow{key: sc.Name(), desc: sc.Short, group: sc.GroupID})
	}
	if hasOther {
		title := "commands"
		if len(groups) > 0 {
			title = "additional commands"
		}
		groups = append(groups, &cobra.Group{ID: "", Title: title})
	}
	return rows, groups
}

func flagRows(c *cobra.Command) []helpRow {
	var rows []helpRow
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		key := "--" + f.Name
		if f.Shorthand != "" {
			key = "-" + f.Shorthand + " " + key
		}
		r := helpRow{key: key, desc: f.Usage}
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" && f.DefValue != "[]" {
			r.dflt = "(" + f.DefValue + ")"
		}
		rows = append(rows, r)
	})
	return rows
}

// writeRows prints key and description columns; a description wraps under
// itself, and a key too long for its column puts the description below.
func writeRows(b *strings.Builder, rows []helpRow, keyWidth, width int, keyStyle lipgloss.Style, st helpStyles) {
	descCol := helpBlock + keyWidth + helpGap
	for _, r := range rows {
		desc := r.desc
		if r.dflt != "" {
			desc += " " + r.dflt
		}
		lines := wrapIndent(desc, width, descCol, descCol)
		key := strings.Repeat(" ", helpBlock) + keyStyle.Render(r.key)
		kw := helpBlock + ansi.StringWidth(r.key)
		if len(lines) == 0 {
			b.WriteString(key + "\n")
			continue
		}
		if kw+helpGap > descCol {
			b.WriteString(key + "\n")
		} else {
			lines[0] = key + strings.Repeat(" ", descCol-kw) + strings.TrimLeft(lines[0], " ")
		}
		for _, l := range lines {
			if r.dflt != "" && strings.HasSuffix(l, r.dflt) {
				l = strings.TrimSuffix(l, r.dflt) + st.dflt.Render(r.dflt)
			}
			b.WriteString(l + "\n")
		}
	}
}

// writeBlock prints command lines indented, wrapping a long one under
// itself; on a colour terminal on fang's code-block background, with a
// blank block line above and below.
func writeBlock(b *strings.Builder, plain []string, width int, st helpStyles) {
	var lines []string
	for _, p := range plain {
		// The block's own padding takes 2 columns on each side in colour.
		avail := width - helpBlock - 2
		for i, part := range wordWrap(p, avail, avail-2) {
			part = strings.TrimRight(part, " ")
			if i == 0 {
				lines = append(lines, styleCommandLine(part, st, true))
			} else {
				lines = append(lines, "  "+styleCommandLine(strings.TrimLeft(part, " "), st, false))
			}
		}
	}
	if !st.colour {
		for _, l := range lines {
			b.WriteString(strings.Repeat(" ", helpBlock) + l + "\n")
		}
		return
	}
	inner := 0
	for _, l := range lines {
		inner = max(inner, ansi.StringWidth(l))
	}
	blockW := min(inner+4, width-helpIndent)
	pad := func(l string) string {
		return st.block.Render("  " + l + strings.Repeat(" ", max(0, blockW-2-ansi.StringWidth(l))))
	}
	ind := strings.Repeat(" ", helpIndent)
	b.WriteString(ind + pad("") + "\n")
	for _, l := range lines {
		b.WriteString(ind + pad(l) + "\n")
	}
	b.WriteString(ind + pad("") + "\n")
}

// usageLine is cobra's use line with the flags placeholder fang shows.
func usageLine(c *cobra.Command) string {
	u := c.UseLine()
	u = strings.Replace(u, " [flags]", "", 1)
	if c.HasAvailableSubCommands() && !strings.Contains(u, "[command]") {
		u += " [command]"
	}
	if c.HasAvailableFlags() && !strings.Contains(u, "--") {
		u += " [--flags]"
	}
	return u
}

// styleCommandLine colours a command line: the program (when the line
// starts a command), its words, flags, and a trailing "# comment".
func styleCommandLine(line string, st helpStyles, start bool) string {
	if !st.colour {
		return line
	}
	code, comment, hasComment := strings.Cut(line, " #")
	words := strings.Fields(code)
	for i, w := range words {
		switch {
		case i == 0 && start:
			words[i] = st.code.program.Render(w)
		case strings.HasPrefix(w, "-"):
			words[i] = st.code.flag.Render(w)
		case strings.HasPrefix(w, "[") || strings.HasPrefix(w, "<") || strings.ToUpper(w) == w:
			words[i] = st.code.arg.Render(w)
		default:
			words[i] = st.code.command.Render(w)
		}
	}
	s := strings.Join(words, st.block.Render(" "))
	if hasComment {
		s += st.code.comment.Render(" #" + comment)
	}
	return s
}

// wrapIndent word-wraps text into lines of at most width columns: the
// first line indented by first, the others by rest. Lines written without
// indent are one paragraph until a blank line, so source text wrapped by
// hand is flowed again; a list item ("- ", "* ", "1. ") takes the lines
// indented under its text, and wraps under it; other indented lines
// (commands, examples) keep their breaks. A word longer than a line is
// broken. No line ends in a space.
func wrapIndent(text string, width, first, rest int) []string {
	type para struct {
		lead, hang int
		list       bool
		text       string
	}
	var paras []*para // nil: a blank line
	var cur *para
	for _, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		if t == "" {
			paras, cur = append(paras, nil), nil
			continue
		}
		lead := len(line) - len(strings.TrimLeft(line, " "))
		marker := listMarker(t)
		if marker == 0 && lead > 0 {
			marker = tableColumn(t) // "/metrics    Prometheus…": hang under the second column
		}
		if cur != nil && marker == 0 && ((lead == 0 && cur.lead == 0 && !cur.list) || (cur.list && lead == cur.hang)) {
			cur.text += " " + t
			continue
		}
		cur = &para{lead: lead, hang: lead + marker, list: marker > 0, text: t}
		paras = append(paras, cur)
	}
	var out []string
	indent := first
	for _, p := range paras {
		if p == nil {
			out = append(out, "")
			indent = rest
			continue
		}
		for i, l := range wordWrap(p.text, max(10, width-indent-p.lead), max(10, width-rest-p.hang)) {
			pad := indent + p.lead
			if i > 0 {
				pad = indent + p.hang
			}
			out = append(out, strings.TrimRight(strings.Repeat(" ", pad)+strings.TrimLeft(l, " "), " "))
			indent = rest
		}
	}
	return out
}

// tableColumn is where the second column of an indented "key    text"
// line starts (after a run of two or more spaces), or 0.
func tableColumn(t string) int {
	i := strings.Index(t, "  ")
	if i <= 0 {
		return 0
	}
	j := i
	for j < len(t) && t[j] == ' ' {
		j++
	}
	if j == len(t) {
		return 0
	}
	return ansi.StringWidth(t[:j])
}

// wordWrap breaks text into lines of at most width columns (first for the
// first line), between words
// only (a flag such as --listen is never split at its hyphens), keeping
// the spaces between words that stay on one line (a table's gap); a word
// wider than a line is cut.
func wordWrap(text string, first, width int) []string {
	var lines []string
	limit := func() int {
		if len(lines) == 0 {
			return first
		}
		return width
	}
	line, lineW := "", 0
	for rest := text; rest != ""; {
		gap := len(rest) - len(strings.TrimLeft(rest, " "))
		sep := rest[:gap]
		rest = rest[gap:]
		word := rest
		if i := strings.IndexByte(rest, ' '); i >= 0 {
			word = rest[:i]
		}
		rest = rest[len(word):]
		if word == "" {
			break
		}
		for ww := ansi.StringWidth(word); ww > limit(); ww = ansi.StringWidth(word) {
			if line != "" {
				lines, line, lineW = append(lines, line), "", 0
			}
			cut := ansi.Truncate(word, limit(), "")
			if cut == "" {
				break
			}
			lines, word, sep = append(lines, cut), word[len(cut):], ""
		}
		ww := ansi.StringWidth(word)
		switch {
		case line == "":
			line, lineW = word, ww
		case lineW+len(sep)+ww <= limit():
			line, lineW = line+sep+word, lineW+len(sep)+ww
		default:
			lines, line, lineW = append(lines, line), word, ww
		}
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

// listMarker is the width of a list item's marker ("- ", "* ", "12. "),
// or 0.
func listMarker(t string) int {
	if strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") {
		return 2
	}
	i := 0
	for i < len(t) && i < 3 && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i > 0 && strings.HasPrefix(t[i:], ". ") {
		return i + 2
	}
	return 0
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
