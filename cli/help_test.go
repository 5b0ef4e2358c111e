package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"
)

// allCommands lists the command paths of the tree, root first.
func allCommands(t *testing.T) [][]string {
	t.Helper()
	root := newRootCmd(&app{io: &ioStreams{}})
	var paths [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		paths = append(paths, path)
		for _, sc := range c.Commands() {
			if !sc.Hidden {
				walk(sc, append(append([]string{}, path...), sc.Name()))
			}
		}
	}
	walk(root, nil)
	if len(paths) < 10 {
		t.Fatalf("only %d commands found", len(paths))
	}
	return paths
}

// runHelp runs `keywarden PATH --help` with stdout a terminal of width w
// (0: not a terminal).
func runHelp(t *testing.T, path []string, w int) string {
	t.Helper()
	var out, errb bytes.Buffer
	sio := &ioStreams{In: strings.NewReader(""), Out: &out, Err: &errb, LookupEnv: func(string) (string, bool) { return "", false }}
	if w > 0 {
		sio.OutTTY, sio.Width = true, func() int { return w }
	}
	if code := run(context.Background(), append(append([]string{}, path...), "--help"), sio); code != 0 {
		t.Fatalf("%v --help: exit %d: %s", path, code, errb.String())
	}
	return out.String()
}

// TestHelpFitsOffTerminal: piped help is 80 columns, with no trailing
// spaces and no escape codes, for every command.
func TestHelpFitsOffTerminal(t *testing.T) {
	for _, p := range allCommands(t) {
		out := runHelp(t, p, 0)
		if strings.Contains(out, "\x1b") {
			t.Errorf("%v: escape codes off a terminal", p)
		}
		for i, line := range strings.Split(out, "\n") {
			if n := ansi.StringWidth(line); n > 80 {
				t.Errorf("%v line %d is %d columns: %q", p, i+1, n, line)
			}
			if strings.HasSuffix(line, " ") {
				t.Errorf("%v line %d ends in spaces: %q", p, i+1, line)
			}
		}
	}
}

// TestHelpFitsTerminal: on a terminal help fits its real width.
func TestHelpFitsTerminal(t *testing.T) {
	for _, w := range []int{60, 80, 100} {
		for _, p := range allCommands(t) {
			for i, line := range strings.Split(runHelp(t, p, w), "\n") {
				if n := ansi.StringWidth(line); n > w {
					t.Errorf("width %d: %v line %d is %d columns: %q", w, p, i+1, n, ansi.Strip(line))
				}
			}
		}
	}
}

// TestHelpKeepsDescriptions: flag descriptions are printed as written,
// whole words, not title-cased by the renderer.
func TestHelpKeepsDescriptions(t *testing.T) {
	out := runHelp(t, []string{"check"}, 0)
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{
		"NTP server for the clock check, HOST[:PORT], or off (env KEYWARDEN_NTP_SERVER)",
		"file: the encrypted file keyring; os: the system keychain (env KEYWARDEN_BACKEND) (file)",
		"check every profile",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("check --help lacks %q:\n%s", want, out)
		}
	}
	for _, bad := range []string{"Ntp server", "File: the encrypted"} {
		if strings.Contains(out, bad) {
			t.Errorf("check --help rewrote a description: %q", bad)
		}
	}
	// A wrapped description breaks between words, never inside one.
	for _, line := range strings.Split(out, "\n") {
		if strings.HasSuffix(line, "(en") || strings.HasPrefix(strings.TrimSpace(line), "v KEYWARDEN") {
			t.Errorf("description broken mid-word: %q", line)
		}
	}
}

func TestWrapIndent(t *testing.T) {
	in := "one two three\nfour five six\n\n  - a list item that\n    wraps here\n  - two\n  keywarden a\n  keywarden b"
	got := wrapIndent(in, 20, 2, 2)
	want := []string{"  one two three four", "  five six", "", "    - a list item", "      that wraps", "      here", "    - two",
		"    keywarden a", "    keywarden b"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("wrapIndent:\n got %q\nwant %q", got, want)
	}
}

func TestWrapKeepsFlagsWholeAndTables(t *testing.T) {
	got := wrapIndent("on loopback unless --listen says otherwise", 30, 2, 2)
	for _, l := range got {
		if strings.HasSuffix(l, "--") || strings.HasPrefix(strings.TrimSpace(l), "listen") {
			t.Errorf("a flag split at its hyphen: %q", got)
		}
	}
	table := "  /metrics   Prometheus metrics, key expiry,\n             creation and rotation timestamps\n  /healthz   the process is up"
	want := []string{"    /metrics   Prometheus metrics,", "               key expiry, creation", "               and rotation", "               timestamps", "    /healthz   the process is up"}
	if got := wrapIndent(table, 36, 2, 2); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("table:\n got %q\nwant %q", got, want)
	}
}
