package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"github.com/keywarden/keywarden/checks"
	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/all"
	"github.com/keywarden/keywarden/store"
	"github.com/keywarden/keywarden/ui"
)

type checkOptions struct {
	names   []string
	all     bool
	json    bool
	plain   bool
	strict  bool
	timeout time.Duration
}

func newCheckCmd(a *app) *cobra.Command {
	var o checkOptions
	cmd := &cobra.Command{
		Use:   "check [NAME...]",
		Short: "Check keys live: status, clock, auth, permissions, IP whitelist, balance, age, expiry",
		Long: `Check keys against their exchange, live, and name the one real cause and the
exact fix of every problem. With no NAME and one profile, that one.

On a terminal: a live screen (r runs again, arrows select a row, q quits).
Otherwise plain text; --json prints the document of the spec.

Exit codes: 0 no check failed (warnings allowed unless --strict), 1 a check
failed, 2 usage or keyring error, 130 interrupted.`,
		Example: `  keywarden check
  keywarden check main --json
  keywarden check --all --json --timeout 20s   # cron`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.names = args
			return runCheck(a, o)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.all, "all", false, "check every profile")
	f.BoolVar(&o.json, "json", false, "print the JSON document")
	f.BoolVar(&o.plain, "plain", false, "plain text even on a terminal")
	f.BoolVar(&o.strict, "strict", false, "exit 1 on warnings too")
	f.DurationVar(&o.timeout, "timeout", defaultTimeout, "bound for the whole check")
	return cmd
}

// checkTarget is one resolved profile with its adapter.
type checkTarget struct {
	profile store.Profile
	info    exchanges.Info
	target  checks.Target
}

func runCheck(a *app, o checkOptions) error {
	if o.timeout <= 0 {
		return usageErr(errors.New("--timeout must be positive, like 15s"))
	}
	if o.all && len(o.names) > 0 {
		return usageErr(errors.New("give profile names or --all, not both"))
	}
	st, err := a.openStore()
	if err != nil {
		return err
	}
	targets, err := a.resolveTargets(st, o)
	if err != nil {
		return err
	}
	sess := checks.NewSession(a.sessionOptions(o.timeout))
	var reports []checks.Report
	switch {
	case o.json:
		reports = runTargets(a.ctx, sess, targets, o.timeout, nil)
		if err := ui.WriteCheckJSON(a.io.Out, reports); err != nil {
			return err
		}
	case o.plain || !a.io.OutTTY || !a.io.InTTY:
		reports = runTargets(a.ctx, sess, targets, o.timeout, nil)
		if err := ui.WriteCheckText(a.io.Out, reports, ui.NewStyles(a.color()), exchangeNames(), a.termWidth()); err != nil {
			return err
		}
	default:
		var complete bool
		reports, complete, err = a.healthScreen(targets, sess, o.timeout, nil)
		if err != nil {
			return err
		}
		if !complete {
			a.remember(st, reports)
			return &exitError{code: exitInterrupted}
		}
		_ = ui.WriteCheckText(a.io.Out, reports, ui.NewStyles(a.color()), exchangeNames(), a.termWidth())
	}
	if a.ctx.Err() != nil {
		return errInterrupted
	}
	a.remember(st, reports)
	return checkExit(reports, o.strict)
}

// checkExit maps the worst status to the exit code.
func checkExit(reports []checks.Report, strict bool) error {
	worst := checks.Pass
	for _, r := range reports {
		worst = max(worst, r.Worst())
	}
	if worst == checks.Fail || (strict && worst == checks.Warn) {
		return &exitError{code: exitFailed}
	}
	return nil
}

// resolveTargets turns names (or --all, or the only profile) into targets,
// reading every credential before any screen starts: the passphrase is
// asked once, here.
func (a *app) resolveTargets(st *store.Store, o checkOptions) ([]checkTarget, error) {
	chosen, err := chooseProfiles(st, o.names, o.all)
	if err != nil {
		return nil, err
	}
	var out []checkTarget
	for _, p := range chosen {
		t, err := a.target(st, p)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// chooseProfiles picks the profiles named, or every one with all, or the
// only one there is.
func chooseProfiles(st *store.Store, names []string, all bool) ([]store.Profile, error) {
	profiles, err := st.List()
	if err != nil {
		return nil, err
	}
	var chosen []store.Profile
	switch {
	case all:
		chosen = profiles
		if len(chosen) == 0 {
			return nil, usageErr(errors.New("no profiles yet: run `keywarden setup` (or `keywarden demo` to try it out)"))
		}
	case len(names) > 0:
		seen := map[string]bool{}
		for _, n := range names {
			if seen[n] {
				continue
			}
			seen[n] = true
			p, err := st.Get(n)
			if err != nil {
				return nil, err
			}
			chosen = append(chosen, p)
		}
	case len(profiles) == 1:
		chosen = profiles
	case len(profiles) == 0:
		return nil, usageErr(errors.New("no profiles yet: run `keywarden setup` (or `keywarden demo` to try it out)"))
	default:
		var names []string
		for _, p := range profiles {
			names = append(names, p.Name)
		}
		return nil, usageErr(fmt.Errorf("%d profiles (%s): name the ones to check, or use --all", len(profiles), strings.Join(names, ", ")))
	}
	return chosen, nil
}

// target builds the adapter for a profile and reads its credentials.
func (a *app) target(st *store.Store, p store.Profile) (checkTarget, error) {
	ad, ok := all.Lookup(p.Exchange)
	if !ok {
		return checkTarget{}, unknownExchange(p)
	}
	if ad.New == nil {
		return checkTarget{}, usageErr(fmt.Errorf("profile %s: this keywarden cannot check %s keys yet", p.Name, ad.Info().Name))
	}
	creds, err := st.Credentials(p.Name)
	if err != nil {
		return checkTarget{}, err
	}
	ex, err := a.exchange(ad, p)
	if err != nil {
		return checkTarget{}, err
	}
	return checkTarget{profile: p, info: ad.Info(), target: checks.Target{Exchange: ex, Creds: creds, Profile: checkProfile(p)}}, nil
}

func (a *app) exchange(ad exchanges.Adapter, p store.Profile) (exchanges.Exchange, error) {
	cfg, err := a.exchangeConfig(p)
	if err != nil {
		return nil, err
	}
	return ad.New(cfg), nil
}

// exchangeConfig is what an adapter needs for profile p.
func (a *app) exchangeConfig(p store.Profile) (exchanges.Config, error) {
	cfg := exchanges.Config{Environment: exchanges.Environment(p.Environment), HTTP: a.http, UserAgent: "keywarden/" + a.build.Version}
	for _, m := range p.Markets {
		cfg.Markets = append(cfg.Markets, exchanges.Market(m))
	}
	if p.BaseURL != "" {
		// The same rule as add: profiles.json is a file, and a hand-edited
		// one must not send signed requests over plain http to a remote host.
		u, err := exchanges.CheckBaseURL(p.BaseURL)
		if err != nil {
			return exchanges.Config{}, usageErr(fmt.Errorf("profile %s: %w; fix it with `keywarden remove` and `add`, or edit profiles.json", p.Name, err))
		}
		cfg.BaseURL = u
	}
	return cfg, nil
}

func checkProfile(p store.Profile) checks.Profile {
	cp := checks.Profile{Name: p.Name, Environment: exchanges.Environment(p.Environment), BotIPs: p.BotIPs,
		RotationDays: p.RotationDays, AddedAt: p.AddedAt}
	// After a rotation the key is as new as the rotation: that is the lower
	// bound of its age where the exchange does not say.
	if p.RotatedAt.After(cp.AddedAt) {
		cp.AddedAt = p.RotatedAt
	}
	for _, m := range p.Markets {
		cp.Markets = append(cp.Markets, exchanges.Market(m))
	}
	return cp
}

func (a *app) sessionOptions(timeout time.Duration) checks.Options {
	o := checks.Options{Timeout: timeout, HTTP: a.http, Now: a.now}
	if a.g.ntpServer != "" {
		o.NTPServers = []string{a.g.ntpServer}
	}
	if a.g.ipEchoURL != "" {
		o.IPEchoURLs = []string{a.g.ipEchoURL}
	}
	return o
}

// runTargets checks every target at once; the whole run is bounded by
// timeout (plus the runner's short grace).
func runTargets(ctx context.Context, sess *checks.Session, ts []checkTarget, timeout time.Duration, rep checks.Reporter) []checks.Report {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var targets []checks.Target
	for _, t := range ts {
		targets = append(targets, t.target)
	}
	return checks.RunAll(ctx, sess, targets, 32, rep)
}

// chanReporter turns results into screen events.
type chanReporter struct {
	ch chan<- ui.Event
}

func (c *chanReporter) Result(profile string, r checks.Result) {
	c.ch <- ui.Event{Profile: profile, Result: &r}
}

func (c *chanReporter) Done(r checks.Report) { c.ch <- ui.Event{Profile: r.Name, Report: &r} }

// healthScreen runs the live screen until the user quits. It returns the
// last run's reports and whether that run finished.
func (a *app) healthScreen(targets []checkTarget, sess *checks.Session, timeout time.Duration, extra func(*ui.Health) string) ([]checks.Report, bool, error) {
	var hts []ui.HealthTarget
	for _, t := range targets {
		hts = append(hts, ui.HealthTarget{Name: t.profile.Name, ExchangeName: t.info.Name, Environment: t.profile.Environment})
	}
	start := a.startFunc(targets, sess, timeout)
	h := ui.NewHealth(hts, start, a.color())
	h.Extra = extra
	p := tea.NewProgram(h, tea.WithContext(a.ctx), tea.WithOutput(a.io.Err))
	m, err := p.Run()
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, tea.ErrInterrupted) {
		return nil, false, fmt.Errorf("health screen: %w", err)
	}
	hm, _ := m.(*ui.Health)
	if hm == nil {
		return nil, false, errInterrupted
	}
	reports, complete := hm.Reports()
	return reports, complete, nil
}

// startFunc returns what the health screen calls to run the checks: the
// first run uses sess (its NTP and IP answers are already in), each "run
// again" a fresh session, so the clock and the IP are measured anew.
func (a *app) startFunc(targets []checkTarget, sess *checks.Session, timeout time.Duration) ui.StartFunc {
	return func(ctx context.Context) <-chan ui.Event {
		ch := make(chan ui.Event, 64)
		s := sess
		if s == nil {
			s = checks.NewSession(a.sessionOptions(timeout))
		}
		sess = nil
		go func() {
			defer close(ch)
			runTargets(ctx, s, targets, timeout, &chanReporter{ch: ch})
		}()
		return ch
	}
}

// remember stores each report's outcome with its profile, and the history.
func (a *app) remember(st *store.Store, reports []checks.Report) {
	for _, r := range reports {
		counts := map[string]int{"pass": r.Counts.Pass, "warn": r.Counts.Warn, "fail": r.Counts.Fail, "skip": r.Counts.Skip}
		sum := r.Counts.Summary()
		err := st.Update(r.Name, func(p *store.Profile) error {
			p.LastCheck = &store.CheckSummary{At: a.now().UTC().Truncate(time.Second), Counts: counts, Worst: r.Worst().String(), Summary: sum}
			if !r.KeyCreated.IsZero() {
				p.KeyCreated = r.KeyCreated
			}
			if !r.KeyExpires.IsZero() {
				p.KeyExpires = r.KeyExpires
			}
			return nil
		})
		if err != nil {
			fmt.Fprintln(a.io.Err, "warning: could not save the check result of "+r.Name+": "+err.Error())
		}
		a.recordHistory(r.Name, "checked", r.Worst().String()+": "+sum)
	}
}

func exchangeNames() map[string]string {
	m := map[string]string{}
	for _, ad := range all.Adapters() {
		i := ad.Info()
		m[i.ID] = i.Name
	}
	return m
}

// color reports whether output may be coloured.
func (a *app) color() bool { return !a.g.noColor && a.io.OutTTY }
