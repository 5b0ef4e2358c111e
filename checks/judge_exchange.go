package checks

import (
	"errors"
	"fmt"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

func judgeStatus(f Facts) Result {
	r := Result{ID: "exchange_status"}
	if f.Status.Err != nil {
		if errors.Is(f.Status.Err, exchanges.ErrUnsupported) {
			r.Status, r.Cause = Warn, CauseStatusUnknown
			r.Summary = "status unknown: " + f.Info.Name + " publishes no status endpoint"
			r.Fix = "Look at " + statusPage(f.Info) + " if the bot misbehaves."
			return r
		}
		return f.unreachable(r, "its status", f.Status.Err)
	}
	s := f.Status.Value
	r.Detail = s.Message
	if s.Source != "" {
		r.Detail = joinDetail(s.Message, "from "+s.Source)
	}
	switch s.State {
	case exchanges.StatusNormal:
		r.Status = Pass
		r.Summary = f.Info.Name + " reports normal operation"
	case exchanges.StatusAnnounced:
		r.Status, r.Cause = Warn, CauseAnnounced
		r.Summary = "maintenance announced" + window(s)
		r.Fix = "Plan for the bot to pause" + window(s) + "; details on " + statusPage(f.Info) + "."
	case exchanges.StatusMaintenance:
		r.Status, r.Cause = Fail, CauseMaintenance
		r.Summary = f.Info.Name + " is in maintenance or down" + window(s)
		r.Fix = f.fix(exchanges.FixMaintenance, nil)
	case exchanges.StatusDegraded:
		r.Status, r.Cause = Warn, CauseDegraded
		r.Summary = f.Info.Name + " is partly restricted: " + s.Message
		r.Fix = "Orders may be refused until it clears; see " + statusPage(f.Info) + "."
	default:
		r.Status, r.Cause = Warn, CauseStatusUnknown
		r.Summary = "status unknown"
		r.Fix = "Look at " + statusPage(f.Info) + " if the bot misbehaves."
	}
	return r
}

func window(s exchanges.Status) string {
	switch {
	case !s.Since.IsZero() && !s.Until.IsZero():
		return fmt.Sprintf(" from %s to %s UTC", s.Since.UTC().Format("Jan 2 15:04"), s.Until.UTC().Format("Jan 2 15:04"))
	case !s.Until.IsZero():
		return fmt.Sprintf(" until %s UTC", s.Until.UTC().Format("Jan 2 15:04"))
	case !s.Since.IsZero():
		return fmt.Sprintf(" from %s UTC", s.Since.UTC().Format("Jan 2 15:04"))
	}
	return ""
}

// judgeClock judges the local clock against the exchange's own window. The
// exchange's clock is what decides whether requests are accepted, so it
// comes first; NTP is the fallback, and a cross-check.
func judgeClock(f Facts) Result {
	r := Result{ID: "clock"}
	w := f.Info.Clock
	ntpNote, ntpOK := ntpDetail(f)

	var skew, uncertainty time.Duration
	var source string
	switch {
	case f.Time.Err == nil:
		ts := f.Time.Value
		skew, uncertainty = ts.Offset(), ts.RTT()/2+ts.Resolution
		source = f.Info.Name + "'s clock"
		if ts.Source != "" {
			source += " (" + ts.Source + ")"
		}
	case ntpOK:
		skew, uncertainty = f.NTP.Value.Offset, f.NTP.Value.RTT/2
		source = "NTP server " + f.NTP.Value.Server + " (" + f.Info.Name + "'s time could not be read: " + errDetail(f.Time.Err) + ")"
	default:
		r.Status, r.Cause = Warn, CauseClockUnknown
		r.Summary = "clock not measured: neither " + f.Info.Name + " nor NTP answered"
		r.Detail = joinDetail(errDetail(f.Time.Err), ntpNote)
		r.Fix = "Check this machine's network; make sure time sync is on. " + f.fix(exchanges.FixClock, nil)
		return r
	}

	r.Detail = joinDetail(fmt.Sprintf("measured against %s, ±%s", source, round(uncertainty)), w.Rule, ntpNote)
	if ntpOK && f.Time.Err == nil {
		if d := f.Time.Value.Offset() - f.NTP.Value.Offset; d > time.Second || d < -time.Second {
			r.Detail = joinDetail(r.Detail, fmt.Sprintf("%s's clock differs from NTP by %s; %s's own clock is what counts", f.Info.Name, round(abs(d)), f.Info.Name))
		}
	}
	dir := describeSkew(skew)

	if w.Ahead == 0 && w.Behind == 0 {
		// No timestamp window (nonce-signed exchanges).
		if abs(skew) > time.Minute {
			r.Status, r.Cause = Warn, CauseClockSkew
			r.Summary = "clock " + dir + ": " + f.Info.Name + " signs with a nonce, not a timestamp, but logs and other tools will be off"
			if skew > 0 {
				r.Summary = "clock " + dir + ": " + f.Info.Name + " signs with a nonce, and a fast clock pushes the key's nonce ahead, locking out programs whose clock is right"
			}
			r.Fix = f.fix(exchanges.FixClock, nil)
			return r
		}
		r.Status = Pass
		r.Summary = "clock " + dir + "; " + f.Info.Name + " does not use a timestamp window"
		return finishClock(f, r, ntpOK)
	}
	limit := w.Ahead
	if skew < 0 {
		skew, limit = -skew, w.Behind
	}
	switch {
	case limit == exchanges.NoLimit:
		r.Status = Pass
		r.Summary = "clock " + dir + "; " + f.Info.Name + " accepts any lead in that direction"
		return finishClock(f, r, ntpOK)
	case skew > limit:
		r.Status, r.Cause = Fail, CauseClockSkew
		r.Summary = fmt.Sprintf("clock %s: outside %s's %s window, signed requests are rejected", dir, f.Info.Name, round(limit))
		r.Fix = f.fix(exchanges.FixClock, nil)
	case skew > limit/2:
		r.Status, r.Cause = Warn, CauseClockNearLimit
		r.Summary = fmt.Sprintf("clock %s: close to %s's limit", dir, f.Info.Name)
		r.Fix = f.fix(exchanges.FixClock, nil)
	default:
		r.Status = Pass
		r.Summary = "clock " + dir + ", well inside " + f.Info.Name + "'s window"
		return finishClock(f, r, ntpOK)
	}
	return r
}

// finishClock downgrades a pass to a warning when NTP was wanted but did
// not answer: the clock may be right by luck, with no sync behind it.
func finishClock(f Facts, r Result, ntpOK bool) Result {
	if !ntpOK && !f.NTP.Value.Disabled {
		r.Status, r.Cause = Warn, CauseNTPUnreachable
		r.Summary += "; NTP unreachable"
		r.Fix = "Allow UDP port 123 to the NTP server, or choose a reachable one with --ntp-server (off to skip). " + f.fix(exchanges.FixClock, nil)
	}
	return r
}

func ntpDetail(f Facts) (string, bool) {
	switch {
	case f.NTP.Value.Disabled:
		return "NTP check turned off", false
	case f.NTP.Err != nil:
		return "NTP: " + f.NTP.Err.Error(), false
	case !f.NTP.Done:
		return "", false
	}
	return fmt.Sprintf("NTP %s: clock %s", f.NTP.Value.Server, describeSkew(f.NTP.Value.Offset)), true
}

func describeSkew(d time.Duration) string {
	switch {
	case abs(d) < 5*time.Millisecond:
		return "in sync"
	case d > 0:
		return round(d).String() + " ahead"
	}
	return round(-d).String() + " behind"
}

func round(d time.Duration) time.Duration {
	switch {
	case abs(d) >= 10*time.Second:
		return d.Round(time.Second)
	case abs(d) >= time.Second:
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}

func abs(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func joinDetail(parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += "; "
		}
		out += p
	}
	return out
}
