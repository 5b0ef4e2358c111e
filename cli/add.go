package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/spf13/cobra"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/all"
	"github.com/keywarden/keywarden/store"
)

type addOptions struct {
	name     string
	exchange string
	env      string
	baseURL  string
	markets  []string
	botIPs   []string
	rotation int
	check    bool
}

func newAddCmd(a *app) *cobra.Command {
	var o addOptions
	cmd := &cobra.Command{
		Use:   "add NAME --exchange ID",
		Short: "Add a key non-interactively; credentials as JSON on stdin",
		Long: `Add a key without the wizard. The credentials are read as one JSON object on
stdin, never from flags (flags end up in shell history and process lists):

  {"key": "...", "secret": "...", "passphrase": "..."}

"passphrase" only for exchanges that have one (OKX, KuCoin, Bitget). For
coinbase, "key" is the CDP key name and "secret" the private key; for deribit,
the client id and client secret. Each value is checked against the exchange's
real format before anything is saved.`,
		Example: `  keywarden add main --exchange binance < binance-key.json
  keywarden add okx-bot --exchange okx --markets spot,futures --bot-ip 203.0.113.7 < okx.json
  keywarden add test --exchange binance --base-url http://127.0.0.1:8080 --check < sim-key.json`,
		Args: exactArgs(1, "add needs the profile NAME, e.g. `keywarden add main --exchange binance`"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.name = args[0]
			return runAdd(a, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.exchange, "exchange", "", "exchange id: "+all.Known())
	f.StringVar(&o.env, "env", "", "environment: live (default), testnet or demo")
	f.StringVar(&o.baseURL, "base-url", "", "replace the exchange's API host (https, or http for loopback)")
	f.StringSliceVar(&o.markets, "markets", nil, "markets the bot trades: spot, futures, margin (default: the exchange's first)")
	f.StringSliceVar(&o.botIPs, "bot-ip", nil, "IP the bot runs from (repeatable; default: this machine's public IP at check time)")
	f.IntVar(&o.rotation, "rotation-days", 0, "warn when the key is older than this many days (default 90)")
	f.BoolVar(&o.check, "check", false, "run the health check after adding")
	return cmd
}

// newProfile checks everything about a profile except its credentials.
func newProfile(name, exchange, env, baseURL string, markets, botIPs []string) (store.Profile, exchanges.Adapter, error) {
	if err := store.ValidName(name); err != nil {
		return store.Profile{}, exchanges.Adapter{}, usageErr(err)
	}
	if exchange == "" {
		return store.Profile{}, exchanges.Adapter{}, usageErr(fmt.Errorf("--exchange is required: one of %s", all.Known()))
	}
	ad, ok := all.Lookup(exchange)
	if !ok {
		return store.Profile{}, exchanges.Adapter{}, usageErr(fmt.Errorf("unknown exchange %q: use one of %s", exchange, all.Known()))
	}
	info := ad.Info()
	p := store.Profile{Name: name, Exchange: info.ID, Environment: string(info.Environments[0].ID), BotIPs: botIPs}
	if env != "" {
		if _, ok := info.Env(exchanges.Environment(env)); !ok {
			return p, ad, usageErr(fmt.Errorf("%s has no %q environment: use %s", info.Name, env, envList(info)))
		}
		p.Environment = env
	}
	if baseURL != "" {
		u, err := exchanges.CheckBaseURL(baseURL)
		if err != nil {
			return p, ad, usageErr(err)
		}
		p.BaseURL = u.String()
	}
	for _, m := range markets {
		m = strings.TrimSpace(strings.ToLower(m))
		if !info.HasMarket(exchanges.Market(m)) {
			return p, ad, usageErr(fmt.Errorf("market %q: %s supports %s", m, info.Name, marketList(info)))
		}
		p.Markets = append(p.Markets, m)
	}
	if len(p.Markets) == 0 {
		p.Markets = []string{string(info.Markets[0])}
	}
	for _, ip := range botIPs {
		if net.ParseIP(ip) == nil {
			if _, _, err := net.ParseCIDR(ip); err != nil {
				return p, ad, usageErr(fmt.Errorf("--bot-ip %q is not an IP address (like 203.0.113.7) or a CIDR range", ip))
			}
		}
	}
	return p, ad, nil
}

func runAdd(a *app, o addOptions) error {
	p, ad, err := newProfile(o.name, o.exchange, o.env, o.baseURL, o.markets, o.botIPs)
	if err != nil {
		return err
	}
	info := ad.Info()
	if o.rotation < 0 || o.rotation > 3650 {
		return usageErr(fmt.Errorf("--rotation-days %d: use 1 to 3650 days (default 90)", o.rotation))
	}
	p.RotationDays = o.rotation
	if a.io.InTTY {
		return usageErr(fmt.Errorf("add reads the credentials as JSON on stdin, e.g. `keywarden add %s --exchange %s < key.json`; to type them masked, use `keywarden setup`", o.name, info.ID))
	}
	creds, notes, err := readCredentials(a.io.In, info)
	if err != nil {
		return usageErr(err)
	}
	st, err := a.openStore()
	if err != nil {
		return err
	}
	if _, err := st.Get(p.Name); err == nil {
		return usageErr(fmt.Errorf("%w: profile %q already exists; remove it first or choose another name (to replace its key, use `keywarden rotate %s`)", store.ErrExists, p.Name, p.Name))
	}
	if err := st.Add(p, creds); err != nil {
		return err
	}
	a.recordHistory(p.Name, "added", fmt.Sprintf("%s %s, key %s", info.Name, p.Environment, exchanges.Fingerprint(creds.Key)))
	fmt.Fprintf(a.io.Out, "Added %s: %s %s, key %s.\n", p.Name, info.Name, p.Environment, exchanges.Fingerprint(creds.Key))
	writeInputNotes(a.io.Out, notes)
	if o.check {
		return runCheck(a, checkOptions{names: []string{p.Name}, plain: !a.io.OutTTY, timeout: defaultTimeout})
	}
	fmt.Fprintf(a.io.Out, "Run `keywarden check %s` to test it.\n", p.Name)
	return nil
}

// writeInputNotes says what cleaning the pasted or piped values did. It
// belongs to the moment the key is stored, right under the confirmation,
// on the same stream, so it can never run into a later report.
func writeInputNotes(w io.Writer, notes []string) {
	for _, n := range notes {
		fmt.Fprintf(w, "  cleaned before saving: %s\n", n)
	}
}

// maxCredentials bounds what is read from stdin.
const maxCredentials = 64 << 10

// readCredentials decodes the JSON object on stdin strictly (see
// parseCredentials): unknown or repeated fields, missing required fields
// and malformed values are refused with a message that names the field or
// its position and never repeats any part of stdin. Pasting debris
// (spaces, newlines, quotes, invisible characters) is removed, and said.
func readCredentials(r io.Reader, info exchanges.Info) (exchanges.Credentials, []string, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxCredentials+1))
	if err != nil {
		return exchanges.Credentials{}, nil, fmt.Errorf("read credentials from stdin: %w", err)
	}
	if len(b) > maxCredentials {
		return exchanges.Credentials{}, nil, errors.New("credentials on stdin: more than 64 KiB; expected one small JSON object")
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return exchanges.Credentials{}, nil, errors.New(`no credentials on stdin: pipe a JSON object like {"key": "...", "secret": "..."}`)
	}
	raw, err := parseCredentials(b)
	if err != nil {
		return exchanges.Credentials{}, nil, err
	}
	return cleanCredentials(info, raw.Key, raw.Secret, raw.Passphrase)
}

// cleanCredentials removes pasting debris (and says so) and checks each
// value against the exchange's real format, as add does; nil means absent.
func cleanCredentials(info exchanges.Info, key, secret, passphrase *string) (exchanges.Credentials, []string, error) {
	var notes []string
	clean := func(id string, v *string) string {
		if v == nil {
			return ""
		}
		f, ok := info.Field(id)
		out, removed := exchanges.Clean(*v, f.Multiline || !ok)
		if len(removed) > 0 && ok {
			notes = append(notes, fmt.Sprintf("%s: removed %s", f.Label, strings.Join(removed, ", ")))
		}
		return out
	}
	c := exchanges.Credentials{
		Key:        clean(exchanges.FieldKey, key),
		Secret:     exchanges.NewSecret(clean(exchanges.FieldSecret, secret)),
		Passphrase: exchanges.NewSecret(clean(exchanges.FieldPassphrase, passphrase)),
	}
	if err := exchanges.ValidateCredentials(info, c); err != nil {
		return c, nil, fmt.Errorf("credentials: %w", err)
	}
	return c, notes, nil
}

func envList(info exchanges.Info) string {
	var s []string
	for _, e := range info.Environments {
		s = append(s, string(e.ID))
	}
	return strings.Join(s, ", ")
}

func marketList(info exchanges.Info) string {
	var s []string
	for _, m := range info.Markets {
		s = append(s, string(m))
	}
	return strings.Join(s, ", ")
}

// exactArgs is cobra.ExactArgs with a message that says what to type.
func exactArgs(n int, msg string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageErr(errors.New(msg))
		}
		return nil
	}
}
