package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/exchanges/sim"
)

// cli runs keywarden in-process, as a user would from a script (no
// terminal), with its own keyring folder.
type cli struct {
	t   *testing.T
	env map[string]string
}

func newCLI(t *testing.T) *cli {
	t.Helper()
	return &cli{t: t, env: map[string]string{
		"KEYWARDEN_DIR":        t.TempDir(),
		"KEYWARDEN_PASSPHRASE": "correct horse battery",
		"KEYWARDEN_NTP_SERVER": "off",
	}}
}

func (c *cli) run(stdin string, args ...string) (stdout, stderr string, code int) {
	c.t.Helper()
	var out, errb bytes.Buffer
	sio := &ioStreams{
		In: strings.NewReader(stdin), Out: &out, Err: &errb,
		LookupEnv: func(k string) (string, bool) { v, ok := c.env[k]; return v, ok },
	}
	code = run(context.Background(), args, sio)
	return out.String(), errb.String(), code
}

// simFor starts a simulator and its NTP server and points the CLI at them.
func (c *cli) simFor(sc sim.Scenario) *sim.Server {
	c.t.Helper()
	srv, err := sim.Listen(sc, "127.0.0.1:0")
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { _ = srv.Close() })
	ntpSrv, err := sim.ServeNTP("127.0.0.1:0", sc.ClockOffset.D())
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { _ = ntpSrv.Close() })
	c.env["KEYWARDEN_NTP_SERVER"] = ntpSrv.Addr
	c.env["KEYWARDEN_IP_ECHO_URL"] = srv.URL + sim.IPPath
	return srv
}

func credsJSON(k sim.Key) string {
	m := map[string]string{"key": k.Key, "secret": k.Secret}
	if k.Passphrase != "" {
		m["passphrase"] = k.Passphrase
	}
	b, _ := json.Marshal(m)
	return string(b)
}

type checkDoc struct {
	Profiles []struct {
		Name        string `json:"name"`
		Exchange    string `json:"exchange"`
		Environment string `json:"environment"`
		Checks      []struct {
			ID      string `json:"id"`
			Status  string `json:"status"`
			Summary string `json:"summary"`
			Detail  string `json:"detail"`
			Fix     string `json:"fix"`
		} `json:"checks"`
		Counts map[string]int `json:"counts"`
	} `json:"profiles"`
}

func parseDoc(t *testing.T, s string) checkDoc {
	t.Helper()
	var d checkDoc
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("check --json is not the spec's document: %v\n%s", err, s)
	}
	return d
}

func (d checkDoc) status(id string) string {
	for _, c := range d.Profiles[0].Checks {
		if c.ID == id {
			return c.Status
		}
	}
	return ""
}

func (d checkDoc) check(id string) (summary, detail, fix string) {
	for _, c := range d.Profiles[0].Checks {
		if c.ID == id {
			return c.Summary, c.Detail, c.Fix
		}
	}
	return "", "", ""
}
