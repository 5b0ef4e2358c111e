package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/monitor"
	"github.com/keywarden/keywarden/ui"
)

// defaultListen is serve's address: loopback, so that nothing outside this
// machine reads the state of its keys unless asked to.
const defaultListen = "127.0.0.1:9489"

// minInterval keeps each key's requests far below every exchange's
// per-key limits (one check asks each endpoint once or twice).
const minInterval = 10 * time.Second

// Shutdown bounds, after SIGTERM: checks in flight, then the HTTP server
// and pending alerts.
const (
	drainBound  = 10 * time.Second
	closeBound  = 2 * time.Second
	pollProfile = 2 * time.Second
)

type serveOptions struct {
	names     []string
	all       bool
	listen    string
	interval  time.Duration
	timeout   time.Duration
	repeat    time.Duration
	alerts    []string
	alertFile string
	secret    string // --alert-secret-file
	tgToken   string // --telegram-token-file
	tgAPI     string
	tokenFile string
	testAlert bool
	watch     bool
}

func newServeCmd(a *app) *cobra.Command {
	var o serveOptions
	cmd := &cobra.Command{
		Use:   "serve [NAME...|--all]",
		Short: "Watch keys unattended: scheduled checks, Prometheus metrics, alerts before a key dies",
		Long: `Unlock the keyring once and check the chosen profiles every --interval,
spread over it, within each exchange's request budget. Serves, on loopback
unless --listen says otherwise:

  /metrics         Prometheus metrics (keywarden_check_status, ..._success,
                   key expiry, creation and rotation timestamps, clock offsets,
                   exchange up, requests, build info, process and Go metrics)
  /healthz         the process is up
  /readyz          the first round of checks has finished
  /api/v1/status   the check --json document of every profile, last round

--token-file requires "Authorization: Bearer TOKEN" on all but /healthz.

Alerts (--alert, repeatable, or --alert-file with one target per line) go out
on a transition: a check that fails, an expiry entering 14 days, a recovery
to pass; a problem that stays is repeated every --repeat. Targets:
  webhook=URL   JSON, signed: X-Keywarden-Signature (see the README)
  slack=URL  discord=URL  ntfy=URL   (a bare URL is recognised by its host)
  telegram=CHAT_ID   the bot token from KEYWARDEN_TELEGRAM_TOKEN or
                     --telegram-token-file, never a flag
Slack and Discord URLs carry their token: prefer --alert-file (chmod 600).

Profiles added, removed or rotated are picked up on SIGHUP and when the
profiles file changes, without asking the passphrase again. SIGTERM: no new
check starts, checks in flight get 10 s, then it exits 0.`,
		Example: `  KEYWARDEN_PASSPHRASE_FILE=/run/secrets/kw keywarden serve --all
  keywarden serve main bot2 --interval 2m --alert ntfy=https://ntfy.example.com/kw-7f3a
  keywarden serve --all --alert-file /etc/keywarden/alerts --test-alert`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.names = args
			if !cmd.Flags().Changed("listen") {
				o.listen = ""
			}
			if !cmd.Flags().Changed("timeout") && o.timeout >= o.interval {
				o.timeout = o.interval / 2
			}
			return runServe(a, o)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.all, "all", false, "watch every profile (also those added later)")
	f.StringVar(&o.listen, "listen", defaultListen, "address for /metrics and the API; anything but loopback prints a warning")
	f.DurationVar(&o.interval, "interval", 5*time.Minute, "how often each profile is checked (at least 10s)")
	f.DurationVar(&o.timeout, "timeout", 15*time.Second, "bound for one profile's check (at most half of --interval by default)")
	f.DurationVar(&o.repeat, "repeat", 24*time.Hour, "how often a problem that stays is alerted again")
	f.StringArrayVar(&o.alerts, "alert", nil, "alert target TYPE=URL or URL (repeatable; see above)")
	f.StringVar(&o.alertFile, "alert-file", "", "file with one alert target per line (# comments), readable by you alone")
	f.StringVar(&o.secret, "alert-secret-file", "", "file with the webhook signing secret (env KEYWARDEN_ALERT_SECRET)")
	f.StringVar(&o.tgToken, "telegram-token-file", "", "file with the Telegram bot token (env KEYWARDEN_TELEGRAM_TOKEN)")
	f.StringVar(&o.tgAPI, "telegram-api-url", "", "Telegram Bot API base URL (default https://api.telegram.org; env KEYWARDEN_TELEGRAM_API_URL)")
	f.StringVar(&o.tokenFile, "token-file", "", "file with a bearer token required on every endpoint but /healthz")
	f.BoolVar(&o.testAlert, "test-alert", false, "send one test message to every alert target and exit")
	f.BoolVar(&o.watch, "watch", true, "reload when the profiles file changes (--watch=false: on SIGHUP only)")
	return cmd
}

func runServe(a *app, o serveOptions) error {
	if o.all && len(o.names) > 0 {
		return usageErr(errors.New("give profile names or --all, not both"))
	}
	if o.interval < minInterval {
		return usageErr(fmt.Errorf("--interval %s is too short: at least %s, so each key stays far below its exchange's limits", o.interval, minInterval))
	}
	if o.timeout <= 0 || o.timeout >= o.interval {
		return usageErr(fmt.Errorf("--timeout must be positive and shorter than --interval (%s)", o.interval))
	}
	log := slog.New(slog.NewTextHandler(a.io.Err, &slog.HandlerOptions{Level: slog.LevelInfo}))
	alerter, err := a.alerter(o, log)
	if err != nil {
		return err
	}
	if o.testAlert {
		return testAlerts(a, alerter)
	}
	token, err := a.serveToken(o.tokenFile)
	if err != nil {
		return err
	}
	addr, explicit := o.listen, o.listen != ""
	if !explicit {
		addr = defaultListen
	}
	if err := checkListen(a, addr, explicit, !token.IsZero()); err != nil {
		return err
	}

	src, err := a.newServeSource(o, log)
	if err != nil {
		return err
	}
	m, err := monitor.New(monitor.Options{
		Source: src, Interval: o.interval, Timeout: o.timeout, Drain: drainBound,
		Session: a.sessionOptions(o.timeout), Transport: a.http.Transport, Alerts: alerter,
		OnChange: src.recordChange, Log: log, Now: a.now,
		Build: monitor.Build{Version: a.build.Version, Commit: a.build.Commit, Date: a.build.Date},
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return usageErr(fmt.Errorf("listen on %s: %w (is another keywarden serve running? choose another --listen)", addr, err))
	}
	srv := &http.Server{Handler: m.Handler(monitor.HandlerOptions{Token: token, WriteStatus: ui.WriteCheckJSON}),
		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second,
		IdleTimeout: 60 * time.Second, MaxHeaderBytes: 16 << 10}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	return a.serveUntilStopped(m, srv, alerter, src, ln.Addr().String(), log)
}

// serveUntilStopped runs the monitor until SIGTERM or SIGINT (or the
// command's context ends), reloading on SIGHUP and when the profiles file
// changes, then shuts down within the bounds above.
func (a *app) serveUntilStopped(m *monitor.Monitor, srv *http.Server, alerter *monitor.Alerter, src *serveSource, addr string, log *slog.Logger) error {
	sig := make(chan os.Signal, 4)
	signal.Notify(sig, syscall.SIGHUP, syscall.SIGTERM, os.Interrupt)
	defer signal.Stop(sig)
	ctx, stop := context.WithCancel(context.WithoutCancel(a.ctx))
	defer stop()
	if src.o.watch {
		go src.watch(ctx, pollProfile, m.Reload)
	}

	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	log.Info("keywarden serve listening", "metrics", "http://"+addr+"/metrics", "alert_targets", len(alerter.Targets()))
	var got os.Signal
loop:
	for {
		select {
		case err := <-done:
			if err != nil {
				return err
			}
			break loop
		case s := <-sig:
			if s == syscall.SIGHUP {
				log.Info("SIGHUP: reloading the profiles")
				m.Reload()
				continue
			}
			got = s
			stop()
		case <-a.ctx.Done():
			stop()
		}
	}
	log.Info("stopping: checks in flight finished or cancelled", "bound", drainBound.String())
	sctx, cancel := context.WithTimeout(context.Background(), closeBound)
	defer cancel()
	_ = srv.Shutdown(sctx)
	alerter.Close(closeBound)
	if got == os.Interrupt {
		return &exitError{code: exitInterrupted}
	}
	return nil
}

// checkListen refuses a bad address and warns about one other machines
// can reach.
func checkListen(a *app, addr string, explicit, token bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return usageErr(fmt.Errorf("--listen %q: use HOST:PORT, like 127.0.0.1:9489", addr))
	}
	ip := net.ParseIP(host)
	if host == "localhost" || (ip != nil && ip.IsLoopback()) {
		return nil
	}
	if !explicit {
		return usageErr(errors.New("serve listens on loopback unless --listen says otherwise"))
	}
	msg := "warning: --listen " + addr + " is reachable from other machines: whoever reaches it reads which keys you have and how they fail."
	if token {
		msg += " Every endpoint but /healthz requires the bearer token; keep a firewall in front of it too."
	} else {
		msg += " Set --token-file, and keep a firewall in front of it."
	}
	fmt.Fprintln(a.io.Err, msg)
	return nil
}

// serveToken reads the bearer token (same rules as a passphrase file).
func (a *app) serveToken(path string) (exchanges.Secret, error) {
	if path == "" {
		return exchanges.Secret{}, nil
	}
	t, err := readSecretFile("token file", path)
	if err != nil {
		return exchanges.Secret{}, err
	}
	return exchanges.NewSecret(t), nil
}

// testAlerts sends one message to every target; exit 1 if one failed.
func testAlerts(a *app, al *monitor.Alerter) error {
	if len(al.Targets()) == 0 {
		return usageErr(errors.New("--test-alert: no alert target: add --alert or --alert-file"))
	}
	host, _ := os.Hostname()
	msg := monitor.TestAlert(host)
	msg.Time = a.now()
	failed := 0
	results := al.Test(a.ctx, msg)
	for _, name := range al.Targets() {
		if err := results[name]; err != nil {
			failed++
			fmt.Fprintf(a.io.Out, "✗ %s: %v\n", name, err)
			continue
		}
		fmt.Fprintf(a.io.Out, "✓ %s: delivered\n", name)
	}
	al.Close(0)
	if failed > 0 {
		return &exitError{code: exitFailed, err: fmt.Errorf("%d of %d alert targets did not take the test message", failed, len(al.Targets()))}
	}
	return nil
}
