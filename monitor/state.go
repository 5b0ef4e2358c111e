package monitor

import (
	"sort"
	"strings"
	"time"

	"github.com/keywarden/keywarden/checks"
)

// state is what the monitor knows of one profile.
type state struct {
	p       Profile
	next    time.Time // when it is due
	running bool
	lim     *limiter // its exchange's budget, once checked
	gen     int      // bumped when a reload changes the profile

	last   *checks.Report // the last complete report
	lastAt time.Time
	sig    string // the statuses and causes of last, to tell a change
	alerts map[string]*alertState
}

// alertState is where one check of one profile stands for alerts.
type alertState struct {
	open   bool // a problem was announced and has not recovered to pass
	cause  string
	sentAt time.Time // the last firing or repeat message
}

// signature is a report's verdicts: a change in any status or cause is a
// change of result, for the history log.
func signature(r checks.Report) string {
	var b strings.Builder
	for _, c := range r.Checks {
		b.WriteString(c.ID + "=" + c.Status.String() + ":" + c.Cause + ";")
	}
	return b.String()
}

// problem reports whether a verdict is one that alerts announce: a
// failure, or an expiry inside the warning window.
func problem(r checks.Result) bool {
	return r.Status == checks.Fail || (r.ID == "key_expiry" && r.Cause == checks.CauseExpiring)
}

// finish records the end of a check (rep nil: it gave no verdict) and
// schedules the next one.
func (m *Monitor) finish(st *state, gen int, p Profile, rep *checks.Report, took time.Duration) {
	now := m.o.Now()
	m.mu.Lock()
	st.running = false
	st.next = m.nextDue(p.Name, now)
	delete(m.firsts, p.Name)
	if len(m.firsts) == 0 {
		m.ready = true
	}
	current := m.profiles[p.Name] == st && st.gen == gen
	if !current {
		// Changed while it was checked (a rotated key): check the new one now.
		st.next = now
	}
	if rep == nil || !current {
		m.mu.Unlock()
		return
	}
	st.last, st.lastAt = rep, now
	sig := signature(*rep)
	changed := sig != st.sig
	st.sig = sig
	var alert *Alert
	if m.o.Alerts != nil {
		alert = m.transitions(st, *rep, now)
	}
	m.mu.Unlock()

	m.metrics.observe(rep.Exchange, took)
	if changed && m.o.OnChange != nil {
		m.o.OnChange(p, *rep)
	}
	if alert != nil {
		m.o.Alerts.Send(*alert)
	}
}

// transitions compares a report with the profile's alert state and
// returns the message to send, if any: checks that became a problem (or
// changed cause), problems due for a repeat, and recoveries to pass.
// Call with mu held.
func (m *Monitor) transitions(st *state, rep checks.Report, now time.Time) *Alert {
	var items []AlertItem
	repeat := m.o.Alerts.repeat
	for _, r := range rep.Checks {
		as := st.alerts[r.ID]
		if as == nil {
			as = &alertState{}
			st.alerts[r.ID] = as
		}
		item := AlertItem{Check: r.ID, Title: r.Title, Status: r.Status.String(), Cause: r.Cause, Summary: r.Summary, Fix: r.Fix}
		switch {
		case problem(r) && (!as.open || as.cause != r.Cause):
			item.State = StateFiring
		case problem(r) && now.Sub(as.sentAt) >= repeat:
			item.State = StateRepeat
		case as.open && r.Status == checks.Pass:
			item.State = StateResolved
			as.open = false
		default:
			continue
		}
		if item.State != StateResolved {
			as.open, as.cause, as.sentAt = true, r.Cause, now
		}
		items = append(items, item)
	}
	if len(items) == 0 {
		return nil
	}
	return &Alert{Time: now, Profile: rep.Name, Exchange: rep.Exchange, ExchangeName: st.p.Adapter.Info().Name,
		Environment: rep.Environment, Items: items}
}

// Reports returns the last report of every watched profile that has one,
// by name: the document of the status API.
func (m *Monitor) Reports() []checks.Report {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []checks.Report
	for _, st := range m.profiles {
		if st.last != nil {
			out = append(out, *st.last)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// snap is one profile's state for a scrape.
type snap struct {
	p      Profile
	rep    checks.Report
	lastAt time.Time
}

// snapshot copies what the metrics need, under the lock.
func (m *Monitor) snapshot() (snaps []snap, watched int, ready bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, st := range m.profiles {
		if st.last != nil {
			snaps = append(snaps, snap{p: st.p, rep: *st.last, lastAt: st.lastAt})
		}
	}
	sort.Slice(snaps, func(i, j int) bool { return snaps[i].p.Name < snaps[j].p.Name })
	return snaps, len(m.profiles), m.ready
}
