package checks

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// Every verdict carries a cause code from the fixed list: none for a pass,
// "skipped" for a skip, a specific code for each warning and failure, so
// that serve's metrics and alerts never need the free-text summary.
func TestCauses(t *testing.T) {
	both := func(f *Facts, err error) {
		f.Key = Fact[exchanges.KeyInfo]{Err: err, Done: true}
		f.Balance = Fact[exchanges.Balance]{Err: err, Done: true}
	}
	cases := []struct {
		name   string
		mutate func(*Facts)
		want   map[string]string
	}{
		{"healthy", func(*Facts) {}, map[string]string{"exchange_status": "", "auth": "", "key_expiry": ""}},
		{"maintenance", func(f *Facts) { f.Status.Value.State = exchanges.StatusMaintenance },
			map[string]string{"exchange_status": CauseMaintenance}},
		{"announced", func(f *Facts) { f.Status.Value.State = exchanges.StatusAnnounced },
			map[string]string{"exchange_status": CauseAnnounced}},
		{"degraded", func(f *Facts) { f.Status.Value.State = exchanges.StatusDegraded },
			map[string]string{"exchange_status": CauseDegraded}},
		{"status unknown", func(f *Facts) { f.Status.Value.State = exchanges.StatusUnknown },
			map[string]string{"exchange_status": CauseStatusUnknown}},
		{"status unsupported", func(f *Facts) {
			f.Status = Fact[exchanges.Status]{Err: apiErr(exchanges.ErrUnsupported, "", "", ""), Done: true}
		}, map[string]string{"exchange_status": CauseStatusUnknown}},
		{"status timeout", func(f *Facts) {
			f.Status = Fact[exchanges.Status]{Err: apiErr(exchanges.ErrTimeout, "", "", ""), Done: true}
		}, map[string]string{"exchange_status": CauseTimeout}},
		{"status down", func(f *Facts) {
			f.Status = Fact[exchanges.Status]{Err: apiErr(exchanges.ErrUnavailable, "", "", ""), Done: true}
		}, map[string]string{"exchange_status": CauseUnreachable}},
		{"status malformed", func(f *Facts) {
			f.Status = Fact[exchanges.Status]{Err: apiErr(exchanges.ErrMalformed, "", "", ""), Done: true}
		}, map[string]string{"exchange_status": CauseUnreadable}},
		{"clock ahead", func(f *Facts) { f.Time.Value.Server = now.Add(-3 * time.Second) },
			map[string]string{"clock": CauseClockSkew}},
		{"clock near", func(f *Facts) { f.Time.Value.Server = now.Add(-680 * time.Millisecond) },
			map[string]string{"clock": CauseClockNearLimit}},
		{"ntp unreachable", func(f *Facts) { f.NTP = Fact[NTPSample]{Err: errors.New("x"), Done: true} },
			map[string]string{"clock": CauseNTPUnreachable}},
		{"clock unknown", func(f *Facts) {
			f.NTP = Fact[NTPSample]{Err: errors.New("x"), Done: true}
			f.Time = Fact[exchanges.TimeSample]{Err: apiErr(exchanges.ErrUnavailable, "", "", ""), Done: true}
		}, map[string]string{"clock": CauseClockUnknown}},
		{"ip not allowed", func(f *Facts) { both(f, apiErr(exchanges.ErrIPNotAllowed, "-2015", "x", "")) },
			map[string]string{"auth": CauseIPNotAllowed, "ip_whitelist": CauseIPNotAllowed, "read": CauseSkipped, "key_expiry": CauseSkipped}},
		{"wrong env", func(f *Facts) { both(f, apiErr(exchanges.ErrWrongEnvironment, "", "", "")) },
			map[string]string{"auth": CauseWrongEnv}},
		{"bad passphrase", func(f *Facts) { both(f, apiErr(exchanges.ErrBadPassphrase, "", "", "")) },
			map[string]string{"auth": CauseBadPassphrase}},
		{"bad signature", func(f *Facts) { both(f, apiErr(exchanges.ErrBadSignature, "-1022", "x", "")) },
			map[string]string{"auth": CauseBadSignature, "withdraw_disabled": CauseSkipped}},
		{"expired", func(f *Facts) { both(f, apiErr(exchanges.ErrExpired, "", "", "")) },
			map[string]string{"auth": CauseExpired, "key_expiry": CauseExpired}},
		{"bad key", func(f *Facts) { both(f, apiErr(exchanges.ErrBadKey, "", "", "")) },
			map[string]string{"auth": CauseBadKey}},
		{"clock rejected", func(f *Facts) { both(f, apiErr(exchanges.ErrClockSkew, "", "", "")) },
			map[string]string{"auth": CauseClockSkew}},
		{"timeout", func(f *Facts) { both(f, apiErr(exchanges.ErrTimeout, "", "", "")) },
			map[string]string{"auth": CauseTimeout}},
		{"rate limited", func(f *Facts) { both(f, apiErr(exchanges.ErrRateLimited, "", "", "")) },
			map[string]string{"auth": CauseRateLimited}},
		{"read off", func(f *Facts) { f.Key.Value.Read = exchanges.No }, map[string]string{"read": CauseReadMissing}},
		{"read unknown", func(f *Facts) {
			f.Key.Value.Read = exchanges.Unknown
			f.Balance = Fact[exchanges.Balance]{Err: apiErr(exchanges.ErrMalformed, "", "", ""), Done: true}
		}, map[string]string{"read": CauseReadUnknown, "balance": CauseUnreadable}},
		{"futures missing", func(f *Facts) { f.Profile.Markets = []exchanges.Market{exchanges.Spot, exchanges.Futures} },
			map[string]string{"trade": CauseTradeMissing}},
		{"trade unknown", func(f *Facts) { f.Key.Value.Trade = nil }, map[string]string{"trade": CauseTradeUnknown}},
		{"withdraw on", func(f *Facts) { f.Key.Value.Withdraw = exchanges.Yes },
			map[string]string{"withdraw_disabled": CauseWithdrawalsOn}},
		{"withdraw unknown", func(f *Facts) { f.Key.Value.Withdraw = exchanges.Unknown },
			map[string]string{"withdraw_disabled": CauseWithdrawUnkn}},
		{"unrestricted", func(f *Facts) { f.Key.Value.IPRestricted = exchanges.No },
			map[string]string{"ip_whitelist": CauseIPUnrestricted}},
		{"ip list hidden", func(f *Facts) { f.Profile.BotIPs = []string{"198.51.100.20"} },
			map[string]string{"ip_whitelist": CauseIPUnknown}},
		{"ip missing", func(f *Facts) {
			f.Key.Value.IPListKnown, f.Key.Value.IPs = true, []string{"198.51.100.0/24"}
			f.Profile.BotIPs = []string{"192.0.2.1"}
		}, map[string]string{"ip_whitelist": CauseIPMissing}},
		{"public ip unknown", func(f *Facts) { f.PublicIP = Fact[string]{Err: errors.New("x"), Done: true} },
			map[string]string{"ip_whitelist": CauseBotIPUnknown}},
		{"balance denied", func(f *Facts) {
			f.Balance = Fact[exchanges.Balance]{Err: apiErr(exchanges.ErrPermission, "", "", ""), Done: true}
		}, map[string]string{"balance": CauseReadMissing}},
		{"empty", func(f *Facts) { f.Balance.Value.Assets = nil }, map[string]string{"balance": CauseBalanceEmpty}},
		{"old key", func(f *Facts) { f.Key.Value.Created = now.Add(-200 * 24 * time.Hour) },
			map[string]string{"key_age": CauseKeyOld}},
		{"expiring", func(f *Facts) { f.Key.Value.Expires = now.Add(5 * 24 * time.Hour) },
			map[string]string{"key_expiry": CauseExpiring}},
		{"expired date", func(f *Facts) { f.Key.Value.Expires = now.Add(-time.Hour) },
			map[string]string{"key_expiry": CauseExpired}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := goodFacts()
			tc.mutate(&f)
			got := judgeAll(f)
			for id, r := range got {
				switch {
				case r.Status == Pass && r.Cause != CauseNone:
					t.Errorf("%s: pass with cause %q", id, r.Cause)
				case r.Status == Skip && r.Cause != CauseSkipped:
					t.Errorf("%s: skip with cause %q", id, r.Cause)
				case (r.Status == Warn || r.Status == Fail) && !slices.Contains(Causes(), r.Cause):
					t.Errorf("%s: %s (%s) with cause %q, not one of the list", id, r.Status, r.Summary, r.Cause)
				}
			}
			for id, want := range tc.want {
				if got[id].Cause != want {
					t.Errorf("%s: cause %q, want %q (%s: %s)", id, got[id].Cause, want, got[id].Status, got[id].Summary)
				}
			}
		})
	}
}
