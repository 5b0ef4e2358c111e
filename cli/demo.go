package cli

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/keywarden/keywarden/checks"
	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/all"
	"github.com/keywarden/keywarden/exchanges/sim"
	"github.com/keywarden/keywarden/store"
	"github.com/keywarden/keywarden/ui"
)

func newDemoCmd(a *app) *cobra.Command {
	var accessible bool
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Try the wizard and the health screen against built-in simulated exchanges: no account, no network",
		Long: `The whole setup wizard and health screen against simulated exchanges that run
inside this process, with a throwaway keyring that is deleted at the end. Your
real keyring is never touched and nothing goes over the network. The guide
shows the simulated key to paste; afterwards the demo shows keys with
problems (withdrawals on, IP not whitelisted, clock ahead, expiry close) and
their fixes.`,
		Args: exactArgs(0, "demo takes no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error { return runDemo(a, accessible) },
	}
	cmd.Flags().BoolVar(&accessible, "accessible", false, "plain prompts for screen readers (also ACCESSIBLE=1)")
	return cmd
}

// demoWorld is the demo's simulated exchanges, NTP server and keyring.
type demoWorld struct {
	dir   string
	st    *store.Store
	sims  map[string]*sim.Server
	ntp   *sim.NTPServer
	extra []*sim.Server
}

func (d *demoWorld) close() {
	for _, s := range d.sims {
		_ = s.Close()
	}
	for _, s := range d.extra {
		_ = s.Close()
	}
	if d.ntp != nil {
		_ = d.ntp.Close()
	}
	_ = os.RemoveAll(d.dir)
}

func runDemo(a *app, accessibleFlag bool) error {
	if !a.io.InTTY || !a.io.OutTTY {
		return usageErr(errors.New("the demo is interactive and needs a terminal"))
	}
	d, err := newDemoWorld()
	if err != nil {
		return err
	}
	defer d.close()

	// Everything the checks would ask the internet, the simulator answers.
	a.g.ntpServer = d.ntp.Addr
	a.g.ipEchoURL = d.anySim().URL + sim.IPPath
	sess := checks.NewSession(a.sessionOptions(10 * time.Second))
	baseURLs := map[string]string{}
	demoKeys := map[string]map[string]string{}
	for id, s := range d.sims {
		baseURLs[id] = s.URL
		k := s.Scenario().Keys[0]
		demoKeys[id] = map[string]string{exchanges.FieldKey: k.Key, exchanges.FieldSecret: k.Secret, exchanges.FieldPassphrase: k.Passphrase}
	}
	cfg := a.wizardConfig(d.st, sess, baseURLs)
	cfg.DemoKeys = demoKeys
	cfg.Banner = "demo: simulated exchanges and a throwaway keyring (no account, no network)"
	cfg.Exchange = "binance"
	if !a.accessible(accessibleFlag) {
		cfg.Exchange = "" // let the user choose; the list starts on Binance
	}
	res, err := a.runWizard(d.st, cfg, a.accessible(accessibleFlag))
	if err != nil || !res.Saved {
		fmt.Fprintln(a.io.Err, "The demo's keyring was deleted; your real keyring was never touched.")
		return err
	}
	if res.Problems {
		if err := a.demoProblems(d, res.Setup); err != nil {
			return err
		}
	}
	fmt.Fprintln(a.io.Out, "\nThat was the demo: its keyring is deleted and your real one was never touched.\nTo set up a real key: keywarden setup")
	return nil
}

func newDemoWorld() (*demoWorld, error) {
	dir, err := os.MkdirTemp("", "keywarden-demo-*")
	if err != nil {
		return nil, fmt.Errorf("demo: temporary folder: %w", err)
	}
	d := &demoWorld{dir: dir, sims: map[string]*sim.Server{}}
	pass := make([]byte, 16)
	_, _ = rand.Read(pass)
	d.st, err = store.Open(store.Options{Dir: dir, Backend: store.BackendFile,
		Passphrase: func(bool) (string, error) { return hex.EncodeToString(pass), nil }})
	if err != nil {
		d.close()
		return nil, err
	}
	if d.ntp, err = sim.ServeNTP("127.0.0.1:0", 0); err != nil {
		d.close()
		return nil, err
	}
	for _, id := range sim.Exchanges() {
		if ad, ok := all.Lookup(id); !ok || ad.New == nil {
			continue
		}
		sc := demoScenario(id)
		srv, err := sim.Listen(sc, "127.0.0.1:0")
		if err != nil {
			d.close()
			return nil, err
		}
		d.sims[id] = srv
	}
	return d, nil
}

func (d *demoWorld) anySim() *sim.Server {
	if s, ok := d.sims["binance"]; ok {
		return s
	}
	for _, s := range d.sims {
		return s
	}
	return nil
}

// demoScenario is a healthy key that may trade every market, restricted to
// the IP the simulator pretends to see, with some balance.
func demoScenario(id string) sim.Scenario {
	k, _ := sim.SampleKey(id)
	k.Permissions = []string{sim.PermRead, sim.PermSpot, sim.PermFutures, sim.PermMargin}
	k.IPs = []string{sim.DefaultClientIP}
	k.FuturesBalances = map[string]string{"USDT": "500"}
	k.Created = time.Now().Add(-12 * 24 * time.Hour).Truncate(time.Second)
	sc := sim.Scenario{Exchange: id, Keys: []sim.Key{k}}
	_ = sc.Validate()
	return sc
}

// demoProblems shows three keys that go wrong in the classic ways, each on
// its own simulator, with their fixes.
func (a *app) demoProblems(d *demoWorld, s ui.Setup) error {
	type problem struct {
		name   string
		mutate func(*sim.Scenario)
	}
	problems := []problem{
		{"withdrawals-on", func(sc *sim.Scenario) {
			sc.Keys[0].Permissions = append(sc.Keys[0].Permissions, sim.PermWithdraw)
			sc.Keys[0].Expires = time.Now().Add(5 * 24 * time.Hour)
		}},
		{"ip-not-whitelisted", func(sc *sim.Scenario) { sc.Keys[0].IPs = []string{"198.51.100.7"} }},
		{"clock-ahead", func(sc *sim.Scenario) { sc.ClockOffset = sim.Duration(-3 * time.Second) }},
	}
	var targets []checkTarget
	for _, p := range problems {
		sc := demoScenario(s.Info.ID)
		p.mutate(&sc)
		srv, err := sim.Listen(sc, "127.0.0.1:0")
		if err != nil {
			return err
		}
		d.extra = append(d.extra, srv)
		k := srv.Scenario().Keys[0]
		prof := store.Profile{Name: p.name, Exchange: s.Info.ID, Environment: string(exchanges.Live), BaseURL: srv.URL}
		for _, m := range s.Markets {
			prof.Markets = append(prof.Markets, string(m))
		}
		creds := exchanges.Credentials{Key: k.Key, Secret: exchanges.NewSecret(k.Secret), Passphrase: exchanges.NewSecret(k.Passphrase)}
		if err := d.st.Add(prof, creds); err != nil {
			return err
		}
		saved, err := d.st.Get(p.name)
		if err != nil {
			return err
		}
		t, err := a.target(d.st, saved)
		if err != nil {
			return err
		}
		targets = append(targets, t)
	}
	sess := checks.NewSession(a.sessionOptions(10 * time.Second))
	extra := func(*ui.Health) string {
		return "These keys are simulated too: each shows a classic mistake and its fix, in " + s.Info.Name + "'s own words.\nq leaves the demo."
	}
	reports, _, err := a.healthScreen(targets, sess, 10*time.Second, extra)
	if err != nil {
		return err
	}
	_ = ui.WriteCheckText(a.io.Out, reports, ui.NewStyles(a.color()), exchangeNames(), a.termWidth())
	return nil
}
