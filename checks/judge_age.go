package checks

import (
	"errors"
	"fmt"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

func (f Facts) rotation() time.Duration {
	d := f.Profile.RotationDays
	if d <= 0 {
		d = DefaultRotationDays
	}
	return time.Duration(d) * 24 * time.Hour
}

func judgeAge(f Facts) Result {
	r := Result{ID: "key_age"}
	rot := f.rotation()
	vars := map[string]string{"days": fmt.Sprint(days(rot))}
	if f.Key.Err == nil && !f.Key.Value.Created.IsZero() {
		created := f.Key.Value.Created
		age := max(f.Now.Sub(created), 0)
		r.Detail = fmt.Sprintf("created %s; rotation every %s", date(created), dayWord(days(rot)))
		if age > rot {
			r.Status, r.Cause = Warn, CauseKeyOld
			r.Summary = fmt.Sprintf("the key is %s old, past the %s rotation period", dayWord(days(age)), dayWord(days(rot)))
			r.Fix = f.fix(exchanges.FixKeyOld, vars)
			return r
		}
		r.Status = Pass
		r.Summary = "created " + ago(age)
		return r
	}
	// The exchange does not tell: the time it was added to keywarden is a
	// lower bound of its age.
	if f.Profile.AddedAt.IsZero() {
		r.Status, r.Cause = Skip, CauseSkipped
		r.Summary = "skipped: " + f.Info.Name + " does not tell when the key was created"
		return r
	}
	added := max(f.Now.Sub(f.Profile.AddedAt), 0)
	r.Detail = f.Info.Name + " does not tell when the key was created; it was added to keywarden on " + date(f.Profile.AddedAt)
	if added > rot {
		r.Status, r.Cause = Warn, CauseKeyOld
		r.Summary = fmt.Sprintf("the key is at least %s old, past the %s rotation period", dayWord(days(added)), dayWord(days(rot)))
		r.Fix = f.fix(exchanges.FixKeyOld, vars)
		return r
	}
	r.Status, r.Cause = Skip, CauseSkipped
	r.Summary = "skipped: creation date unknown (added to keywarden " + ago(added) + ")"
	return r
}

func judgeExpiry(f Facts) Result {
	r := Result{ID: "key_expiry"}
	if _, err := authOutcome(f); errors.Is(err, exchanges.ErrExpired) {
		r.Status, r.Cause = Fail, CauseExpired
		r.Summary = "the key has expired"
		r.Detail = errDetail(err)
		r.Fix = f.fix(exchanges.FixExpired, nil)
		return r
	}
	if f.Key.Err != nil {
		r.Status, r.Cause = Skip, CauseSkipped
		r.Summary = "skipped: the key's details could not be read"
		if ok, _ := authOutcome(f); !ok {
			r.Summary = "skipped: the key was not accepted (see auth)"
		}
		return r
	}
	k := f.Key.Value
	what := k.ExpiryWhat
	if what == "" {
		what = "key"
	}
	if k.IdleExpiry > 0 && (!k.ExpiryKnown || k.Expires.IsZero()) {
		r.Status = Pass
		r.Summary = fmt.Sprintf("no date: %s deletes the key after %s without use", f.Info.Name, dayWord(days(k.IdleExpiry)))
		r.Detail = joinDetail(f.Info.UnrestrictedIP, f.evidence("expiry"))
		return r
	}
	if !k.ExpiryKnown {
		r.Status, r.Cause = Skip, CauseSkipped
		r.Summary = "skipped: " + f.Info.Name + " does not tell when the key expires"
		if k.IPRestricted == exchanges.No {
			r.Detail = f.Info.UnrestrictedIP
		}
		return r
	}
	if k.Expires.IsZero() {
		r.Status = Pass
		r.Summary = "the " + what + " does not expire"
		r.Detail = f.evidence("expiry")
		return r
	}
	left := k.Expires.Sub(f.Now)
	vars := map[string]string{"what": what, "date": date(k.Expires), "days": fmt.Sprint(daysLeft(left))}
	switch {
	case left <= 0:
		r.Status, r.Cause = Fail, CauseExpired
		r.Summary = fmt.Sprintf("the %s expired on %s", what, date(k.Expires))
		r.Fix = f.fix(exchanges.FixExpired, vars)
		if k.ExpiryWhat != "" {
			r.Fix = f.fix(exchanges.FixKeyExpiring, vars)
		}
	case left <= ExpiryWarning:
		r.Status, r.Cause = Warn, CauseExpiring
		r.Summary = fmt.Sprintf("the %s expires in %s, on %s", what, dayWord(daysLeft(left)), date(k.Expires))
		r.Fix = f.fix(exchanges.FixKeyExpiring, vars)
	default:
		r.Status = Pass
		r.Summary = fmt.Sprintf("the %s expires on %s, in %s", what, date(k.Expires), dayWord(daysLeft(left)))
	}
	return r
}

// ago says how long ago: "today", "1 day ago", "12 days ago".
func ago(d time.Duration) string {
	if days(d) == 0 {
		return "today"
	}
	return dayWord(days(d)) + " ago"
}
