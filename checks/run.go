package checks

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/internal/textsafe"
)

// Reporter receives each result as soon as it is judged. Results of one
// profile arrive in any order; Done is called once per profile with the
// full report. Implementations must be safe for concurrent use when
// several profiles are checked at once.
type Reporter interface {
	Result(profile string, r Result)
	Done(report Report)
}

// Target is one key to check.
type Target struct {
	Exchange exchanges.Exchange
	Creds    exchanges.Credentials
	Profile  Profile
}

// grace is how long after the deadline the runner waits for a gatherer
// that ignores its context, before giving up on it.
const grace = 250 * time.Millisecond

// Run checks one key: it gathers every fact concurrently (about one round
// trip; two where an adapter needs follow-up evidence), judges each check
// as soon as its facts are in, and reports it. It never takes longer than
// the session's timeout (plus a short grace), whatever the exchange does.
func Run(ctx context.Context, s *Session, t Target, rep Reporter) Report {
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()

	f := Facts{Info: t.Exchange.Info(), Profile: t.Profile, Now: s.now(), Timeout: s.opts.Timeout}
	// Every fact and error is cleaned as it arrives (see clean.go).
	updates := make(chan func(*Facts), 6)
	gather := func(name string, run func() func(*Facts)) {
		go func() {
			defer func() {
				if p := recover(); p != nil {
					// The panic value is not shown: it could hold anything.
					err := errors.New("internal error while reading " + name + " (a keywarden bug; please report it)")
					updates <- failAll(name, err)
				}
			}()
			updates <- run()
		}()
	}
	gather("status", func() func(*Facts) {
		v, err := t.Exchange.Status(ctx)
		return func(f *Facts) { f.Status = Fact[exchanges.Status]{cleanStatus(v), cleanErr(err), true} }
	})
	gather("time", func() func(*Facts) {
		v, err := t.Exchange.ServerTime(ctx)
		return func(f *Facts) { f.Time = Fact[exchanges.TimeSample]{cleanTime(v), cleanErr(err), true} }
	})
	gather("ntp", func() func(*Facts) {
		v, err := s.NTP(ctx)
		return func(f *Facts) { f.NTP = Fact[NTPSample]{v, cleanErr(err), true} }
	})
	gather("ip", func() func(*Facts) {
		v, err := s.PublicIP(ctx)
		return func(f *Facts) { f.PublicIP = Fact[string]{v, cleanErr(err), true} }
	})
	gather("key", func() func(*Facts) {
		v, err := t.Exchange.KeyInfo(ctx, t.Creds)
		return func(f *Facts) { f.Key = Fact[exchanges.KeyInfo]{cleanKey(v), cleanErr(err), true} }
	})
	gather("balance", func() func(*Facts) {
		v, err := t.Exchange.Balance(ctx, t.Creds)
		return func(f *Facts) { f.Balance = Fact[exchanges.Balance]{cleanBalance(v), cleanErr(err), true} }
	})

	table := Table()
	results := make([]*Result, len(table))
	judged := 0
	var late <-chan time.Time
	deadline := ctx.Done()
	for judged < len(table) {
		select {
		case u := <-updates:
			u(&f)
		case <-deadline:
			// Adapters see the same deadline and should return at once;
			// give them a moment, then stop waiting.
			deadline, late = nil, time.After(grace)
			continue
		case <-late:
			timeoutMissing(&f)
		}
		done := f.done()
		for i, c := range table {
			if results[i] != nil || c.needs&done != c.needs {
				continue
			}
			r := scrub(c.Judge(f), t.Creds)
			r.ID, r.Title = c.ID, c.Title
			results[i] = &r
			judged++
			if rep != nil {
				rep.Result(t.Profile.Name, r)
			}
		}
	}
	rp := Report{Name: t.Profile.Name, Exchange: f.Info.ID, Environment: string(t.Profile.Environment), Measured: measure(f)}
	if f.Key.Done && f.Key.Err == nil {
		rp.KeyCreated, rp.KeyExpires = f.Key.Value.Created, f.Key.Value.Expires
	}
	for _, r := range results {
		rp.Checks = append(rp.Checks, *r)
		rp.Counts.Add(r.Status)
	}
	if rep != nil {
		rep.Done(rp)
	}
	return rp
}

// failAll records err for the fact a crashed gatherer was reading.
func failAll(name string, err error) func(*Facts) {
	return func(f *Facts) {
		switch name {
		case "status":
			f.Status = Fact[exchanges.Status]{Err: err, Done: true}
		case "time":
			f.Time = Fact[exchanges.TimeSample]{Err: err, Done: true}
		case "ntp":
			f.NTP = Fact[NTPSample]{Err: err, Done: true}
		case "ip":
			f.PublicIP = Fact[string]{Err: err, Done: true}
		case "key":
			f.Key = Fact[exchanges.KeyInfo]{Err: err, Done: true}
		case "balance":
			f.Balance = Fact[exchanges.Balance]{Err: err, Done: true}
		}
	}
}

// timeoutMissing marks every fact still outstanding as timed out.
func timeoutMissing(f *Facts) {
	err := &exchanges.Error{Class: exchanges.ErrTimeout, Op: "check", Cause: "no answer within " + f.Timeout.String()}
	if !f.Status.Done {
		f.Status = Fact[exchanges.Status]{Err: err, Done: true}
	}
	if !f.Time.Done {
		f.Time = Fact[exchanges.TimeSample]{Err: err, Done: true}
	}
	if !f.NTP.Done {
		f.NTP = Fact[NTPSample]{Err: errors.New("no NTP answer in time"), Done: true}
	}
	if !f.PublicIP.Done {
		f.PublicIP = Fact[string]{Err: errors.New("no answer from the IP echo service in time"), Done: true}
	}
	if !f.Key.Done {
		f.Key = Fact[exchanges.KeyInfo]{Err: err, Done: true}
	}
	if !f.Balance.Done {
		f.Balance = Fact[exchanges.Balance]{Err: err, Done: true}
	}
}

// RunAll checks several keys concurrently (at most parallel at once) and
// returns their reports in the order given.
func RunAll(ctx context.Context, s *Session, targets []Target, parallel int, rep Reporter) []Report {
	if parallel <= 0 {
		parallel = 16
	}
	out := make([]Report, len(targets))
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i] = Run(ctx, s, t, rep)
		}()
	}
	wg.Wait()
	return out
}

// scrub is a last line of defence: an exchange message quoting the whole
// API key shows its fingerprint instead, and a secret (which no adapter
// should ever put in an error) shows the mask. Outside text was clipped
// where it entered (textsafe), so a value the clip cut through survives
// as a prefix before the ellipsis: those are replaced too, longest first.
func scrub(r Result, c exchanges.Credentials) Result {
	repl := []string{}
	add := func(v, with string, least int) {
		if len(v) < least {
			return
		}
		repl = append(repl, v, with)
		for k := len(v) - 1; k >= least; k-- {
			repl = append(repl, v[:k]+textsafe.Ellipsis, with+textsafe.Ellipsis)
		}
	}
	add(c.Key, exchanges.Fingerprint(c.Key), 8)
	for _, s := range []exchanges.Secret{c.Secret, c.Passphrase} {
		add(s.Reveal(), exchanges.Mask, 4)
	}
	if len(repl) == 0 {
		return r
	}
	rp := strings.NewReplacer(repl...)
	r.Summary, r.Detail, r.Fix = rp.Replace(r.Summary), rp.Replace(r.Detail), rp.Replace(r.Fix)
	return r
}
