package cli

import (
	"bufio"
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/internal/textsafe"
	"github.com/keywarden/keywarden/monitor"
)

// maxAlertFile bounds an --alert-file: a list of URLs, not a document.
const maxAlertFile = 64 << 10

// alerter builds keywarden's own alert targets from --alert, --alert-file
// and the secrets' files or environment variables.
func (a *app) alerter(o serveOptions, log *slog.Logger) (*monitor.Alerter, error) {
	sec, err := a.targetSecrets(o)
	if err != nil {
		return nil, err
	}
	specs := append([]string(nil), o.alerts...)
	fromFile := map[int]bool{}
	if o.alertFile != "" {
		lines, err := readAlertFile(o.alertFile)
		if err != nil {
			return nil, err
		}
		for _, l := range lines {
			fromFile[len(specs)] = true
			specs = append(specs, l)
		}
	}
	var targets []monitor.Target
	for i, spec := range specs {
		t, err := monitor.ParseTarget(spec, sec)
		if err != nil {
			where := fmt.Sprintf("--alert #%d", i+1)
			if fromFile[i] {
				where = "--alert-file " + textsafe.Line(o.alertFile)
			}
			return nil, usageErr(fmt.Errorf("%s: %w", where, err))
		}
		if monitor.TokenInURL(t) && !fromFile[i] {
			fmt.Fprintf(a.io.Err, "warning: the %s URL carries its token, and command-line arguments are visible to every user (ps): put it in --alert-file (chmod 600)\n", t.Kind())
		}
		if t.Kind() == "webhook" && sec.WebhookSecret.IsZero() {
			fmt.Fprintf(a.io.Err, "warning: %s messages are not signed: set KEYWARDEN_ALERT_SECRET or --alert-secret-file so the receiver can verify them\n", t.Name())
		}
		targets = append(targets, t)
	}
	return monitor.NewAlerter(monitor.AlerterOptions{Targets: targets, Repeat: o.repeat, Log: log}), nil
}

// targetSecrets reads the webhook secret and the Telegram token: from a
// file (the same rules as a passphrase file), else the environment; never
// from a flag's value.
func (a *app) targetSecrets(o serveOptions) (monitor.TargetSecrets, error) {
	var s monitor.TargetSecrets
	read := func(path, env, what string) (exchanges.Secret, error) {
		if path != "" {
			v, err := readSecretFile(what, path)
			if err != nil {
				return exchanges.Secret{}, err
			}
			return exchanges.NewSecret(v), nil
		}
		return exchanges.NewSecret(a.getenv(env)), nil
	}
	var err error
	if s.WebhookSecret, err = read(o.secret, "KEYWARDEN_ALERT_SECRET", "alert secret file"); err != nil {
		return s, err
	}
	if s.TelegramToken, err = read(o.tgToken, "KEYWARDEN_TELEGRAM_TOKEN", "telegram token file"); err != nil {
		return s, err
	}
	s.TelegramAPI = o.tgAPI
	if s.TelegramAPI == "" {
		s.TelegramAPI = a.getenv("KEYWARDEN_TELEGRAM_API_URL")
	}
	return s, nil
}

// readAlertFile reads one target per line; blank lines and # comments are
// skipped. Like a passphrase file, it must not be readable by others: it
// holds webhook tokens.
func readAlertFile(path string) ([]string, error) {
	name := textsafe.Line(path)
	fi, err := os.Stat(path)
	if err != nil {
		return nil, usageErr(fmt.Errorf("alert file %s: %w", name, unwrapPathErr(err)))
	}
	if fi.Mode().Perm()&0o004 != 0 {
		return nil, usageErr(fmt.Errorf("alert file %s is readable by every user (mode %04o) and holds webhook tokens: run `chmod 600 %s`", name, fi.Mode().Perm(), name))
	}
	if fi.Size() > maxAlertFile {
		return nil, usageErr(fmt.Errorf("alert file %s is larger than %d bytes", name, maxAlertFile))
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, usageErr(fmt.Errorf("alert file %s: %w", name, unwrapPathErr(err)))
	}
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		out = append(out, l)
	}
	return out, sc.Err()
}
