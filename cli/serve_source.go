package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/keywarden/keywarden/checks"
	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/all"
	"github.com/keywarden/keywarden/monitor"
	"github.com/keywarden/keywarden/store"
)

// serveSource is what serve hands the monitor: the profiles, resolved
// from the store on every reload, and each one's credentials when its
// check is about to run. The store keeps the derived key in memory, so a
// reload never asks for the passphrase again.
type serveSource struct {
	a   *app
	o   serveOptions
	st  *store.Store
	log *slog.Logger

	mu       sync.Mutex
	recorded map[string]string // profile → the last "checked" detail written
}

// newServeSource opens the store, checks there is something to watch, and
// unlocks the keyring once (the passphrase is asked here, or read from its
// file or the environment).
func (a *app) newServeSource(o serveOptions, log *slog.Logger) (*serveSource, error) {
	prompted := false
	st, err := store.Open(store.Options{
		Dir: a.g.dir, Backend: a.g.backend,
		Passphrase: func(confirm bool) (string, error) {
			if confirm {
				return "", usageErr(errors.New("serve never creates a keyring: add a key first (keywarden setup or add)"))
			}
			_, env := a.io.LookupEnv("KEYWARDEN_PASSPHRASE")
			if a.g.passphraseFile == "" && !env {
				if prompted {
					return "", errors.New("the keyring's passphrase changed while keywarden serve was running: restart serve to type the new one")
				}
				prompted = true
			}
			return a.passphrase(false)
		},
		Warn: func(msg string) { log.Warn(msg) },
	})
	if err != nil {
		return nil, err
	}
	s := &serveSource{a: a, o: o, st: st, log: log, recorded: map[string]string{}}
	chosen, err := chooseProfiles(st, o.names, o.all)
	if err != nil {
		return nil, err
	}
	if err := st.Unlock(); err != nil {
		return nil, err
	}
	// Read one item now: a keyring that cannot be read fails here, before
	// the server starts, not in every check.
	if _, err := st.Credentials(chosen[0].Name); err != nil {
		return nil, err
	}
	return s, nil
}

// Profiles implements monitor.Source: the named profiles that still exist,
// or every profile with --all.
func (s *serveSource) Profiles(context.Context) ([]monitor.Profile, error) {
	var chosen []store.Profile
	if len(s.o.names) > 0 {
		for _, n := range s.o.names {
			p, err := s.st.Get(n)
			if errors.Is(err, store.ErrNotFound) {
				s.log.Warn("a profile named on the command line no longer exists; not watched", "profile", n)
				continue
			}
			if err != nil {
				return nil, err
			}
			chosen = append(chosen, p)
		}
	} else {
		ps, err := chooseProfiles(s.st, nil, true)
		if err != nil && !s.o.all {
			return nil, err
		}
		if s.o.all || len(ps) == 1 {
			chosen = ps
		}
	}
	var out []monitor.Profile
	for _, p := range chosen {
		mp, err := s.profile(p)
		if err != nil {
			s.log.Warn("profile not watched", "profile", p.Name, "error", err.Error())
			continue
		}
		out = append(out, mp)
	}
	return out, nil
}

func (s *serveSource) profile(p store.Profile) (monitor.Profile, error) {
	ad, ok := all.Lookup(p.Exchange)
	if !ok || ad.New == nil {
		return monitor.Profile{}, fmt.Errorf("unknown exchange %q", p.Exchange)
	}
	cfg, err := s.a.exchangeConfig(p)
	if err != nil {
		return monitor.Profile{}, err
	}
	return monitor.Profile{Name: p.Name, Adapter: ad, Config: cfg, Check: checkProfile(p), Fingerprint: p.Fingerprint,
		KeyCreated: p.KeyCreated, KeyExpires: p.KeyExpires}, nil
}

// Credentials implements monitor.Source.
func (s *serveSource) Credentials(_ context.Context, name string) (exchanges.Credentials, error) {
	return s.st.Credentials(name)
}

// recordChange writes a "checked" event when a profile's result changed,
// as `check` does, but only then: the first result after a start is
// written only if it differs from the last one in the history.
func (s *serveSource) recordChange(p monitor.Profile, r checks.Report) {
	detail := r.Worst().String() + ": " + r.Counts.Summary()
	s.mu.Lock()
	last, seen := s.recorded[p.Name]
	s.mu.Unlock()
	if !seen {
		last = s.lastRecorded(p)
	}
	// The signature changed (a status or a cause), even when the counts
	// read the same: that is a change of result.
	if seen || last != detail {
		s.a.recordHistory(p.Name, store.EventChecked, detail)
	}
	s.mu.Lock()
	s.recorded[p.Name] = detail
	s.mu.Unlock()
}

// lastRecorded is the detail of the profile's newest "checked" event for
// its current key, or "".
func (s *serveSource) lastRecorded(p monitor.Profile) string {
	events, err := s.st.History(p.Name)
	if err != nil {
		return ""
	}
	for i := len(events) - 1; i >= 0; i-- {
		e := events[i]
		if e.Event == store.EventChecked && (e.Fingerprint == "" || e.Fingerprint == p.Fingerprint) && e.Result != "" {
			return e.Result + ": " + e.Detail
		}
	}
	return ""
}

// watch polls the profiles file and calls reload when it changes (a
// profile added, removed or rotated by another keywarden).
func (s *serveSource) watch(ctx context.Context, every time.Duration, reload func()) {
	path := filepath.Join(s.st.Dir(), "profiles.json")
	stamp := func() string {
		fi, err := os.Stat(path)
		if err != nil {
			return "missing"
		}
		return fmt.Sprint(fi.ModTime().UnixNano(), fi.Size())
	}
	last := stamp()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if now := stamp(); now != last {
				last = now
				s.log.Info("the profiles file changed: reloading")
				reload()
			}
		}
	}
}
