package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/exchanges/exchangetest"
)

// TestWrongPassphraseChangesNothing runs every command that touches the
// keyring with a wrong passphrase: each must refuse it (exit 2, "wrong
// passphrase") and leave the folder byte-for-byte as it was. Commands that
// need no passphrase (history, list, show) must leave it unchanged too.
func TestWrongPassphraseChangesNothing(t *testing.T) {
	c := newCLI(t)
	sc := exchangetest.GoodScenario(t, "binance", "live")
	srv := c.simFor(sc)
	k := srv.Scenario().Keys[0]
	if _, e, code := c.run(credsJSON(k), "add", "main", "--exchange", "binance", "--base-url", srv.URL); code != 0 {
		t.Fatalf("add: exit %d: %s", code, e)
	}
	if _, e, code := c.run("", "check", "main", "--json"); code != 0 {
		t.Fatalf("check: exit %d: %s", code, e)
	}
	dir := c.env["KEYWARDEN_DIR"]
	before := snapshot(t, dir)
	c.env["KEYWARDEN_PASSPHRASE"] = "not the passphrase"
	c.env["KEYWARDEN_NEW_PASSPHRASE"] = "a brand new passphrase"
	other, _ := exchangetestKey(t)
	scanDir := t.TempDir()

	needs := []struct {
		name  string
		stdin string
		args  []string
	}{
		{"add", other, []string{"add", "second", "--exchange", "binance"}},
		{"remove", "", []string{"remove", "main", "--yes"}},
		{"rotate", other, []string{"rotate", "main"}},
		{"passphrase", "", []string{"passphrase"}},
		{"check", "", []string{"check", "main", "--json"}},
		{"check all", "", []string{"check", "--all"}},
		{"exec", "", []string{"exec", "main", "--", "true"}},
		{"exec check", "", []string{"exec", "main", "--check", "--", "true"}},
		{"scan", "", []string{"scan", scanDir, "--no-history"}},
	}
	for _, tc := range needs {
		_, e, code := c.run(tc.stdin, tc.args...)
		if code != 2 || !strings.Contains(e, "wrong passphrase") {
			t.Errorf("%s: exit %d, want 2 with \"wrong passphrase\": %s", tc.name, code, e)
		}
		if after := snapshot(t, dir); after != before {
			t.Fatalf("%s with a wrong passphrase changed the keyring folder", tc.name)
		}
	}

	// setup asks for the passphrase before any screen: it needs a terminal.
	var out, errb bytes.Buffer
	sio := &ioStreams{In: strings.NewReader(""), Out: &out, Err: &errb, InTTY: true, OutTTY: true,
		LookupEnv: func(k string) (string, bool) { v, ok := c.env[k]; return v, ok }}
	if code := run(context.Background(), []string{"setup"}, sio); code != 2 || !strings.Contains(errb.String(), "wrong passphrase") {
		t.Errorf("setup: exit %d: %s", code, errb.String())
	}
	if after := snapshot(t, dir); after != before {
		t.Fatal("setup with a wrong passphrase changed the keyring folder")
	}

	for _, args := range [][]string{{"history"}, {"list"}, {"show", "main"}, {"doctor"}} {
		if _, e, code := c.run("", args...); code != 0 {
			t.Errorf("%s (needs no passphrase): exit %d: %s", args[0], code, e)
		}
		if after := snapshot(t, dir); after != before {
			t.Fatalf("%s changed the keyring folder", args[0])
		}
	}
}

// exchangetestKey returns the credentials JSON of a fresh Binance key.
func exchangetestKey(t *testing.T) (string, string) {
	t.Helper()
	sc := exchangetest.GoodScenario(t, "binance", "live")
	return credsJSON(sc.Keys[0]), sc.Keys[0].Key
}
