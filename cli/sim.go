package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/keywarden/keywarden/exchanges/sim"
)

func newSimCmd(a *app) *cobra.Command {
	var exchange, scenario, addr string
	cmd := &cobra.Command{
		Use:   "sim --exchange ID [--scenario FILE]",
		Short: "Run the exchange simulator on 127.0.0.1, for trying keywarden and bots offline",
		Long: `Run the exchange simulator: an HTTP server on loopback that answers like the
exchange, checks API keys, signatures and timestamps the way it does, and
fails the way the scenario says (see the README for the scenario format).
It serves a small fixed market (BTC/USDT and ETH/USDT spot, a BTC/USDT
perpetual) with balances and orders, so a trading bot (ccxt) can start and
trade against it. It also answers NTP on a UDP port with the scenario's
clock, and this machine's "public IP" at /_sim/ip. Without --scenario it
simulates one good key with fresh random credentials, printed so you can
add them.

While it runs, change what goes wrong from another terminal (loopback only):
  GET/PUT/PATCH <url>/_sim/scenario   the scenario (PATCH merges; see the README)
  GET <url>/_sim/requests             what clients sent and how it was answered
With --scenario, editing the file reloads it; a bad file keeps the old one.`,
		Example: `  keywarden sim --exchange binance
  keywarden sim --exchange binance --scenario ip-not-whitelisted.json --addr 127.0.0.1:8080
  curl -X PATCH --data '{"keys":[{"permissions":["read"]}]}' http://127.0.0.1:8080/_sim/scenario`,
		Args: exactArgs(0, "sim takes no arguments; use --exchange ID"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSim(a, exchange, scenario, addr)
		},
	}
	cmd.Flags().StringVar(&exchange, "exchange", "", "exchange id: "+strings.Join(sim.Exchanges(), ", "))
	cmd.Flags().StringVar(&scenario, "scenario", "", "scenario file (JSON)")
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:0", "loopback address to listen on")
	return cmd
}

func runSim(a *app, exchange, scenarioPath, addr string) error {
	var sc sim.Scenario
	var loaded []byte
	printCreds := false
	switch {
	case scenarioPath != "":
		var err error
		if sc, loaded, err = sim.ReadScenarioFile(scenarioPath); err != nil {
			return usageErr(err)
		}
		if exchange != "" && exchange != sc.Exchange {
			return usageErr(fmt.Errorf("--exchange %s, but the scenario is for %s", exchange, sc.Exchange))
		}
	case exchange == "":
		return usageErr(fmt.Errorf("--exchange is required: one of %s", strings.Join(sim.Exchanges(), ", ")))
	default:
		var ok bool
		if sc, ok = sim.Default(exchange); !ok {
			return usageErr(fmt.Errorf("no simulator for %q: use one of %s", exchange, strings.Join(sim.Exchanges(), ", ")))
		}
		printCreds = true
	}
	srv, err := sim.Listen(sc, addr)
	if err != nil {
		return usageErr(err)
	}
	defer srv.Close()
	ntpSrv, err := srv.ServeNTP("127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ntpSrv.Close()
	if scenarioPath != "" {
		ctx, cancel := context.WithCancel(a.ctx)
		defer cancel()
		go sim.Watch(ctx, srv.Sim, scenarioPath, loaded, 500*time.Millisecond, func(msg string) {
			fmt.Fprintln(a.io.Err, msg)
		})
	}
	sc = srv.Scenario()
	out := a.io.Out
	fmt.Fprintf(out, "Simulating %s (%s) at %s\n", sc.Exchange, sc.Environment, srv.URL)
	fmt.Fprintf(out, "NTP with the scenario's clock: %s   public IP it pretends to see: %s\n\n", ntpSrv.Addr, sc.ClientIP)
	if printCreds {
		// Simulator credentials: random, valid only against this process.
		k := sc.Keys[0]
		creds := map[string]string{"key": k.Key, "secret": k.Secret}
		if k.Passphrase != "" {
			creds["passphrase"] = k.Passphrase
		}
		b, _ := json.Marshal(creds)
		fmt.Fprintf(out, "Simulated key (throwaway, works only against this simulator):\n  %s\n\n", b)
	}
	fmt.Fprintf(out, "Try it:\n  keywarden add sim-%s --exchange %s --env %s --base-url %s < key.json\n", sc.Exchange, sc.Exchange, sc.Environment, srv.URL)
	fmt.Fprintf(out, "  keywarden check sim-%s --ntp-server %s --ip-echo-url %s%s\n\n", sc.Exchange, ntpSrv.Addr, srv.URL, sim.IPPath)
	fmt.Fprintf(out, "Change it while it runs (loopback only):\n  %s/_sim/scenario   GET, PUT, PATCH (see the README)\n  %s/_sim/requests   what clients sent, and the verdicts\n", srv.URL, srv.URL)
	if scenarioPath != "" {
		fmt.Fprintf(out, "Watching %s: saving it reloads the scenario.\n", scenarioPath)
	}
	fmt.Fprintln(out, "\nCtrl+C stops it.")
	<-a.ctx.Done()
	fmt.Fprintln(a.io.Err, "simulator stopped")
	return nil
}
