package cli

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/keywarden/keywarden/store"
	"github.com/keywarden/keywarden/ui"
)

// recordHistory appends an event to the key's history log (see `keywarden
// history`). It never fails the command: a problem is a warning on stderr.
// detail must never hold a secret; for a "checked" event it is
// "WORST: SUMMARY", as remember writes it.
func (a *app) recordHistory(profile, event, detail string) {
	if err := a.appendHistory(profile, event, detail); err != nil {
		fmt.Fprintln(a.io.Err, "warning: could not record the "+event+" event in the history: "+err.Error())
	}
}

func (a *app) appendHistory(profile, event, detail string) error {
	st, err := a.openStore()
	if err != nil {
		return err
	}
	e := store.Event{Time: a.now(), Event: event, Profile: profile, Detail: detail}
	p, err := st.Get(profile)
	switch {
	case err == nil:
		e.Exchange, e.Fingerprint = p.Exchange, p.Fingerprint
	case errors.Is(err, store.ErrNotFound):
		// Removed already: the exchange and key of its last event.
		if past, herr := st.History(profile); herr == nil {
			for i := len(past) - 1; i >= 0; i-- {
				if past[i].Exchange != "" {
					e.Exchange, e.Fingerprint = past[i].Exchange, past[i].Fingerprint
					break
				}
			}
		}
	default:
		return err
	}
	if event == store.EventChecked {
		e.Result, e.Detail, e.Counts = parseCheckDetail(detail)
	}
	return st.AppendHistory(e)
}

// parseCheckDetail splits "warn: 9 passed, 1 warning" into the worst
// status, the summary and the counts.
func parseCheckDetail(detail string) (worst, summary string, counts map[string]int) {
	worst, summary, ok := strings.Cut(detail, ": ")
	if !ok {
		return "", detail, nil
	}
	counts = map[string]int{}
	for _, part := range strings.Split(summary, ", ") {
		n, word, ok := strings.Cut(strings.TrimSpace(part), " ")
		v, err := strconv.Atoi(n)
		if !ok || err != nil || v < 0 {
			continue
		}
		switch {
		case strings.HasPrefix(word, "passed"):
			counts["pass"] = v
		case strings.HasPrefix(word, "warning"):
			counts["warn"] = v
		case strings.HasPrefix(word, "failed"):
			counts["fail"] = v
		case strings.HasPrefix(word, "skipped"):
			counts["skip"] = v
		}
	}
	return worst, summary, counts
}

// lastChecks returns, for each profile, the newest "checked" event of its
// current key (the same fingerprint), from the history log.
func lastChecks(events []store.Event, profiles []store.Profile) map[string]store.Event {
	fp := map[string]string{}
	for _, p := range profiles {
		fp[p.Name] = p.Fingerprint
	}
	out := map[string]store.Event{}
	for _, e := range events {
		if e.Event != store.EventChecked || e.Result == "" {
			continue
		}
		if want, ok := fp[e.Profile]; !ok || (e.Fingerprint != "" && e.Fingerprint != want) {
			continue
		}
		if old, ok := out[e.Profile]; !ok || !e.Time.Before(old.Time) {
			out[e.Profile] = e
		}
	}
	return out
}

// withHistoryCheck shows the last check of v's key from the history when
// it is newer than the one remembered in the profile.
func withHistoryCheck(v ui.ProfileView, last map[string]store.Event) ui.ProfileView {
	e, ok := last[v.Name]
	if !ok || (v.LastCheck != nil && v.LastCheck.At.After(e.Time)) {
		return v
	}
	counts := e.Counts
	if counts == nil {
		counts = map[string]int{}
	}
	v.LastCheck = &ui.LastCheck{At: e.Time, Worst: e.Result, Counts: counts, Summary: e.Detail}
	return v
}
