package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/keywarden/keywarden/exchanges/exchangetest"
	"github.com/keywarden/keywarden/exchanges/sim"
)

// longRun finds the padding of exchangetest.Hostile: what is left of it
// must be clipped to a few hundred characters.
var longRun = regexp.MustCompile(`A{300,}`)

// An exchange whose error message holds a screen clear, a title change,
// fake instructions, a bidi override and 20 KB of padding: every output
// mode prints its words, cleaned and clipped, and no control byte.
func TestHostileExchangeTextInEveryOutputMode(t *testing.T) {
	c := newCLI(t)
	srv := exchangetest.HostileBinance(t)
	c.env["KEYWARDEN_IP_ECHO_URL"] = srv.URL + "/ip"
	k, _ := sim.SampleKey("binance")
	if _, e, code := c.run(credsJSON(k), "add", "main", "--exchange", "binance", "--base-url", srv.URL); code != 0 {
		t.Fatalf("add: exit %d: %s", code, e)
	}
	modes := map[string]func() string{
		"--json": func() string { out, _, _ := c.run("", "check", "--json"); return out },
		"piped":  func() string { out, _, _ := c.run("", "check"); return out },
		"--plain": func() string {
			out, _, _ := c.run("", "check", "--plain")
			return out
		},
		"--plain on a colour terminal": func() string {
			var out, errb bytes.Buffer
			sio := &ioStreams{In: strings.NewReader(""), Out: &out, Err: &errb, OutTTY: true, ErrTTY: true,
				LookupEnv: func(k string) (string, bool) { v, ok := c.env[k]; return v, ok }}
			run(context.Background(), []string{"check", "--plain"}, sio)
			return out.String()
		},
		"exec --check (stderr)": func() string {
			_, errOut, _ := c.run("", "exec", "main", "--check", "--", "true")
			return errOut
		},
	}
	for name, get := range modes {
		t.Run(name, func(t *testing.T) {
			raw := get()
			for _, bad := range []string{"\x1b]", "[2J", "\x07", `\u001b`, `\u0007`, "pwned"} {
				if strings.Contains(raw, bad) {
					t.Errorf("the output holds %q: %.400q", bad, raw)
				}
			}
			// The styles' own colours are the only escape sequences left.
			if r, bad := exchangetest.Unsafe(ansi.Strip(raw)); bad {
				t.Errorf("the output holds control %U: %.400q", r, raw)
			}
			if m := longRun.FindString(raw); m != "" {
				t.Errorf("the 20 KB message was printed %d characters long", len(m))
			}
			if !strings.Contains(raw, exchangetest.HostileText) && !strings.Contains(raw, "Key revoked.") {
				t.Errorf("the exchange's words are gone: %.400q", raw)
			}
			if name == "--json" {
				var doc map[string]any
				if err := json.Unmarshal([]byte(raw), &doc); err != nil {
					t.Errorf("not JSON: %v", err)
				}
			}
		})
	}
}
