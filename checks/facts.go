package checks

import (
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// Profile is what the checks need to know about the profile being checked.
type Profile struct {
	Name        string
	Environment exchanges.Environment
	Markets     []exchanges.Market
	// BotIPs are where the bot runs; empty means this machine.
	BotIPs []string
	// RotationDays is the rotation period (0: DefaultRotationDays).
	RotationDays int
	AddedAt      time.Time
}

// DefaultRotationDays is the rotation period when a profile sets none.
const DefaultRotationDays = 90

// ExpiryWarning is how close an expiry must be to warn about it.
const ExpiryWarning = 14 * 24 * time.Hour

// Fact is one gathered fact: its value, or the error that prevented it.
type Fact[T any] struct {
	Value T
	Err   error
	Done  bool
}

// NTPSample is one NTP reading.
type NTPSample struct {
	Server string
	// Offset is local time minus true time (positive: local ahead),
	// already corrected for the round trip by the NTP algorithm.
	Offset time.Duration
	RTT    time.Duration
	// Disabled is set when the user turned the NTP query off.
	Disabled bool
}

// Facts are everything the checks judge.
type Facts struct {
	Info    exchanges.Info
	Profile Profile
	Now     time.Time
	// Timeout is the run's deadline, for "timed out" messages.
	Timeout time.Duration

	Status   Fact[exchanges.Status]
	Time     Fact[exchanges.TimeSample]
	NTP      Fact[NTPSample]
	PublicIP Fact[string]
	Key      Fact[exchanges.KeyInfo]
	Balance  Fact[exchanges.Balance]
}

// need is a set of facts a check waits for.
type need uint8

const (
	needStatus need = 1 << iota
	needTime
	needNTP
	needIP
	needKey
	needBalance
)

func (f *Facts) done() need {
	var n need
	set := func(ok bool, b need) {
		if ok {
			n |= b
		}
	}
	set(f.Status.Done, needStatus)
	set(f.Time.Done, needTime)
	set(f.NTP.Done, needNTP)
	set(f.PublicIP.Done, needIP)
	set(f.Key.Done, needKey)
	set(f.Balance.Done, needBalance)
	return n
}
