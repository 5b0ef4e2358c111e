// Package checks is keywarden's health check. It gathers facts about one
// key concurrently (the exchange's status and clock, NTP, this machine's
// public IP, what the exchange says about the key, the balance), then
// judges them with a table of pure functions, one per check id, in the
// order of the spec. Each result is reported as soon as the facts it needs
// are in, so a screen can resolve its rows one by one.
//
// Adapters report facts; this package decides what is good or bad and
// what to do about it. It never imports the store or any UI package: it
// works on the credentials and profile it is given, and talks to its
// caller through the Reporter interface.
package checks

import (
	"encoding/json"
	"fmt"
	"time"
)

// Status is a check's verdict. The order matters: the worst of several is
// their maximum.
type Status int

// The statuses, best first.
const (
	Pass Status = iota
	Skip
	Warn
	Fail
)

var statusNames = [...]string{"pass", "skip", "warn", "fail"}

func (s Status) String() string {
	if s < 0 || int(s) >= len(statusNames) {
		return fmt.Sprintf("status(%d)", int(s))
	}
	return statusNames[s]
}

// MarshalJSON writes the status name.
func (s Status) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// UnmarshalJSON reads a status name.
func (s *Status) UnmarshalJSON(b []byte) error {
	var v string
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	for i, n := range statusNames {
		if n == v {
			*s = Status(i)
			return nil
		}
	}
	return fmt.Errorf("unknown status %q", v)
}

// Result is one check's verdict, in words a person can act on.
type Result struct {
	ID      string `json:"id"`
	Title   string `json:"-"`
	Status  Status `json:"status"`
	Summary string `json:"summary"`
	Detail  string `json:"detail"`
	// Fix is what to do, in the exchange's own words; set for warn and
	// fail.
	Fix string `json:"fix"`
	// Cause is a short code from the fixed list in cause.go (never free
	// text), for metrics and alerts; not part of the spec's JSON document.
	Cause string `json:"-"`
}

// Counts tallies results by status.
type Counts struct {
	Pass int `json:"pass"`
	Warn int `json:"warn"`
	Fail int `json:"fail"`
	Skip int `json:"skip"`
}

// Add counts one status.
func (c *Counts) Add(s Status) {
	switch s {
	case Pass:
		c.Pass++
	case Warn:
		c.Warn++
	case Fail:
		c.Fail++
	case Skip:
		c.Skip++
	}
}

// Report is the outcome of checking one profile.
type Report struct {
	Name        string   `json:"name"`
	Exchange    string   `json:"exchange"`
	Environment string   `json:"environment"`
	Checks      []Result `json:"checks"`
	Counts      Counts   `json:"counts"`
	// KeyCreated and KeyExpires are what the exchange told about the key
	// (zero: unknown), for the profile's metadata.
	KeyCreated time.Time `json:"-"`
	KeyExpires time.Time `json:"-"`
	// Measured are the numbers behind the verdicts, for serve's metrics.
	Measured Measured `json:"-"`
}

// Worst is the worst status in the report (Pass if empty).
func (r Report) Worst() Status {
	w := Pass
	for _, c := range r.Checks {
		w = max(w, c.Status)
	}
	return w
}

// Summary is a one-line account of the report, e.g. "8 passed, 1 warning,
// 1 failed".
func (c Counts) Summary() string {
	s := plural(c.Pass, "passed", "passed")
	if c.Warn > 0 {
		s += ", " + plural(c.Warn, "warning", "warnings")
	}
	if c.Fail > 0 {
		s += ", " + plural(c.Fail, "failed", "failed")
	}
	if c.Skip > 0 {
		s += ", " + plural(c.Skip, "skipped", "skipped")
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
