package checks

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/binance"
)

var now = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// goodFacts is a healthy Binance spot key, every fact in.
func goodFacts() Facts {
	return Facts{
		Info:    binance.Info(),
		Profile: Profile{Name: "main", Environment: exchanges.Live, Markets: []exchanges.Market{exchanges.Spot}, AddedAt: now.Add(-10 * 24 * time.Hour)},
		Now:     now,
		Timeout: 10 * time.Second,
		Status:  Fact[exchanges.Status]{Value: exchanges.Status{State: exchanges.StatusNormal, Message: "normal"}, Done: true},
		Time: Fact[exchanges.TimeSample]{Value: exchanges.TimeSample{
			Sent: now, Recv: now.Add(40 * time.Millisecond), Server: now.Add(20 * time.Millisecond)}, Done: true},
		NTP:      Fact[NTPSample]{Value: NTPSample{Server: "ntp.test", Offset: 3 * time.Millisecond}, Done: true},
		PublicIP: Fact[string]{Value: "203.0.113.10", Done: true},
		Key: Fact[exchanges.KeyInfo]{Value: exchanges.KeyInfo{
			Read: exchanges.Yes, Withdraw: exchanges.No, IPRestricted: exchanges.Yes,
			Trade:       map[exchanges.Market]exchanges.Flag{exchanges.Spot: exchanges.Yes, exchanges.Futures: exchanges.No},
			Created:     now.Add(-30 * 24 * time.Hour),
			ExpiryKnown: true,
		}, Done: true},
		Balance: Fact[exchanges.Balance]{Value: exchanges.Balance{Assets: []exchanges.Asset{
			{Asset: "BTC", Total: "0.015", Account: "spot"}, {Asset: "USDT", Total: "1250.5", Account: "spot"}}}, Done: true},
	}
}

func judgeAll(f Facts) map[string]Result {
	out := map[string]Result{}
	for _, c := range Table() {
		out[c.ID] = c.Judge(f)
	}
	return out
}

func apiErr(class error, code, msg, cause string) error {
	return &exchanges.Error{Class: class, Op: "read", Code: code, Message: msg, Cause: cause}
}

func TestJudges(t *testing.T) {
	type want struct {
		status Status
		has    string // in summary, detail or fix
	}
	cases := []struct {
		name   string
		mutate func(*Facts)
		want   map[string]want
	}{
		{"healthy", func(f *Facts) {}, map[string]want{
			"exchange_status": {Pass, "normal"}, "clock": {Pass, "in sync"}, "auth": {Pass, "accepted"},
			"read": {Pass, ""}, "trade": {Pass, "spot"}, "withdraw_disabled": {Pass, "off"},
			"ip_whitelist": {Pass, "203.0.113.10"}, "balance": {Pass, "1250.5 USDT, 0.015 BTC"},
			"key_age": {Pass, "30 days"}, "key_expiry": {Pass, "does not expire"}}},
		{"maintenance", func(f *Facts) {
			f.Status.Value = exchanges.Status{State: exchanges.StatusMaintenance, Message: "system_maintenance"}
		},
			map[string]want{"exchange_status": {Fail, "system maintenance"}}},
		{"announced", func(f *Facts) { f.Status.Value = exchanges.Status{State: exchanges.StatusAnnounced} },
			map[string]want{"exchange_status": {Warn, "announced"}}},
		{"status unknown", func(f *Facts) { f.Status.Value = exchanges.Status{} },
			map[string]want{"exchange_status": {Warn, "unknown"}}},
		{"status timeout", func(f *Facts) {
			f.Status = Fact[exchanges.Status]{Err: apiErr(exchanges.ErrTimeout, "", "", ""), Done: true}
		},
			map[string]want{"exchange_status": {Fail, "timed out"}}},
		{"clock 3s ahead", func(f *Facts) { f.Time.Value.Server = now.Add(-3 * time.Second) },
			map[string]want{"clock": {Fail, "3s ahead"}}},
		{"clock 700ms ahead", func(f *Facts) { f.Time.Value.Server = now.Add(-680 * time.Millisecond) },
			map[string]want{"clock": {Warn, "close to"}}},
		{"clock 3s behind is inside recvWindow", func(f *Facts) { f.Time.Value.Server = now.Add(3 * time.Second) },
			map[string]want{"clock": {Warn, "behind"}}},
		{"clock 6s behind", func(f *Facts) { f.Time.Value.Server = now.Add(6 * time.Second) },
			map[string]want{"clock": {Fail, "behind"}}},
		{"ntp unreachable", func(f *Facts) { f.NTP = Fact[NTPSample]{Err: errors.New("timeout"), Done: true} },
			map[string]want{"clock": {Warn, "NTP unreachable"}}},
		{"ntp off", func(f *Facts) {
			f.NTP = Fact[NTPSample]{Value: NTPSample{Disabled: true}, Err: errors.New("off"), Done: true}
		},
			map[string]want{"clock": {Pass, "in sync"}}},
		{"exchange time down, ntp used", func(f *Facts) {
			f.Time = Fact[exchanges.TimeSample]{Err: apiErr(exchanges.ErrUnavailable, "", "", ""), Done: true}
			f.NTP.Value.Offset = 2 * time.Second
		}, map[string]want{"clock": {Fail, "NTP server"}}},
		{"ip not allowed", func(f *Facts) {
			err := apiErr(exchanges.ErrIPNotAllowed, "-2015", "Invalid API-key, IP, or permissions for action.", "probe")
			f.Key = Fact[exchanges.KeyInfo]{Err: err, Done: true}
			f.Balance = Fact[exchanges.Balance]{Err: err, Done: true}
		}, map[string]want{"auth": {Fail, "203.0.113.10"}, "ip_whitelist": {Fail, "Restrict access to trusted IPs only"},
			"read": {Skip, "see auth"}, "trade": {Skip, ""}, "balance": {Skip, ""}, "key_expiry": {Skip, ""}, "key_age": {Skip, "added"}}},
		{"bad signature", func(f *Facts) {
			err := apiErr(exchanges.ErrBadSignature, "-1022", "Signature for this request is not valid.", "")
			f.Key = Fact[exchanges.KeyInfo]{Err: err, Done: true}
			f.Balance = Fact[exchanges.Balance]{Err: err, Done: true}
		}, map[string]want{"auth": {Fail, "-1022"}, "withdraw_disabled": {Skip, ""}}},
		{"clock rejected", func(f *Facts) {
			err := apiErr(exchanges.ErrClockSkew, "-1021", "Timestamp for this request was 1000ms ahead of the server's time.", "")
			f.Key = Fact[exchanges.KeyInfo]{Err: err, Done: true}
			f.Balance = Fact[exchanges.Balance]{Err: err, Done: true}
		}, map[string]want{"auth": {Fail, "timedatectl"}}},
		{"expired key", func(f *Facts) {
			err := apiErr(exchanges.ErrExpired, "33004", "Your api key has expired", "")
			f.Key = Fact[exchanges.KeyInfo]{Err: err, Done: true}
			f.Balance = Fact[exchanges.Balance]{Err: err, Done: true}
		}, map[string]want{"auth": {Fail, "expired"}, "key_expiry": {Fail, "expired"}}},
		{"hung exchange", func(f *Facts) {
			err := apiErr(exchanges.ErrTimeout, "", "", "no answer")
			f.Key = Fact[exchanges.KeyInfo]{Err: err, Done: true}
			f.Balance = Fact[exchanges.Balance]{Err: err, Done: true}
		}, map[string]want{"auth": {Fail, "timed out"}}},
		{"permission error still authenticates", func(f *Facts) {
			f.Balance = Fact[exchanges.Balance]{Err: apiErr(exchanges.ErrPermission, "-2015", "x", ""), Done: true}
		}, map[string]want{"auth": {Pass, ""}, "balance": {Fail, "lacks permission"}}},
		{"read off", func(f *Facts) { f.Key.Value.Read = exchanges.No },
			map[string]want{"read": {Fail, "Enable Reading"}}},
		{"futures missing", func(f *Facts) { f.Profile.Markets = []exchanges.Market{exchanges.Spot, exchanges.Futures} },
			map[string]want{"trade": {Fail, "Enable Futures"}}},
		{"trade unknown", func(f *Facts) { f.Key.Value.Trade = nil },
			map[string]want{"trade": {Warn, "verify by hand"}}},
		{"withdraw on", func(f *Facts) { f.Key.Value.Withdraw = exchanges.Yes },
			map[string]want{"withdraw_disabled": {Fail, "untick Enable Withdrawals"}}},
		{"withdraw unknown", func(f *Facts) { f.Key.Value.Withdraw = exchanges.Unknown },
			map[string]want{"withdraw_disabled": {Warn, "verify"}}},
		{"unrestricted", func(f *Facts) { f.Key.Value.IPRestricted = exchanges.No },
			map[string]want{"ip_whitelist": {Warn, "expire"}}},
		{"hidden list, other bot ip", func(f *Facts) { f.Profile.BotIPs = []string{"198.51.100.20"} },
			map[string]want{"ip_whitelist": {Warn, "could not verify 198.51.100.20"}}},
		{"known list missing bot", func(f *Facts) {
			f.Key.Value.IPListKnown, f.Key.Value.IPs = true, []string{"198.51.100.0/24"}
			f.Profile.BotIPs = []string{"198.51.100.20", "192.0.2.1"}
		}, map[string]want{"ip_whitelist": {Fail, "192.0.2.1 is missing"}}},
		{"known list ok by cidr", func(f *Facts) {
			f.Key.Value.IPListKnown, f.Key.Value.IPs = true, []string{"198.51.100.0/24"}
			f.Profile.BotIPs = []string{"198.51.100.20"}
		}, map[string]want{"ip_whitelist": {Pass, "198.51.100.20"}}},
		{"public ip unknown", func(f *Facts) { f.PublicIP = Fact[string]{Err: errors.New("unreachable"), Done: true} },
			map[string]want{"ip_whitelist": {Warn, "could not be read"}}},
		{"empty account", func(f *Facts) { f.Balance.Value.Assets = nil },
			map[string]want{"balance": {Warn, "empty"}}},
		{"old key", func(f *Facts) { f.Key.Value.Created = now.Add(-200 * 24 * time.Hour) },
			map[string]want{"key_age": {Warn, "200 days"}}},
		{"custom rotation", func(f *Facts) { f.Profile.RotationDays = 20 },
			map[string]want{"key_age": {Warn, "20 days"}}},
		{"creation unknown, recently added", func(f *Facts) { f.Key.Value.Created = time.Time{} },
			map[string]want{"key_age": {Skip, "added to keywarden 10 days ago"}}},
		{"creation unknown, added long ago", func(f *Facts) {
			f.Key.Value.Created = time.Time{}
			f.Profile.AddedAt = now.Add(-120 * 24 * time.Hour)
		}, map[string]want{"key_age": {Warn, "at least 120 days"}}},
		{"expiry soon", func(f *Facts) {
			f.Key.Value.Expires, f.Key.Value.ExpiryWhat = now.Add(5*24*time.Hour), "Spot & Margin trading permission"
		}, map[string]want{"key_expiry": {Warn, "expires in 5 days"}}},
		{"expiry far", func(f *Facts) { f.Key.Value.Expires = now.Add(60 * 24 * time.Hour) },
			map[string]want{"key_expiry": {Pass, "60 days"}}},
		{"expired permission", func(f *Facts) {
			f.Key.Value.Expires, f.Key.Value.ExpiryWhat = now.Add(-time.Hour), "Spot & Margin trading permission"
		}, map[string]want{"key_expiry": {Fail, "expired on"}}},
		{"expiry unknown", func(f *Facts) { f.Key.Value.ExpiryKnown = false },
			map[string]want{"key_expiry": {Skip, "does not tell"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := goodFacts()
			tc.mutate(&f)
			got := judgeAll(f)
			for id, w := range tc.want {
				r := got[id]
				if r.Status != w.status {
					t.Errorf("%s: status %s, want %s (%s | %s | %s)", id, r.Status, w.status, r.Summary, r.Detail, r.Fix)
				}
				all := r.Summary + " | " + r.Detail + " | " + r.Fix
				if !strings.Contains(all, w.has) {
					t.Errorf("%s: %q does not mention %q", id, all, w.has)
				}
				if (r.Status == Warn || r.Status == Fail) && r.Fix == "" {
					t.Errorf("%s: %s without a fix", id, r.Status)
				}
			}
		})
	}
}

func TestEveryWarnAndFailHasAFix(t *testing.T) {
	// Every generic problem has words, so a fix is never empty even for
	// an exchange that brings none of its own.
	for _, p := range []exchanges.Problem{exchanges.FixMaintenance, exchanges.FixClock, exchanges.FixBadKey,
		exchanges.FixExpired, exchanges.FixBadSignature, exchanges.FixBadPassphrase, exchanges.FixIPNotAllowed,
		exchanges.FixWrongEnvironment, exchanges.FixReadMissing, exchanges.FixTradeMissing, exchanges.FixWithdrawOn,
		exchanges.FixWithdrawUnknown, exchanges.FixIPUnrestricted, exchanges.FixIPMissing, exchanges.FixBalanceEmpty,
		exchanges.FixKeyOld, exchanges.FixKeyExpiring, exchanges.FixRateLimited} {
		if genericFixes[p] == "" {
			t.Errorf("no generic fix for %s", p)
		}
	}
}

func TestStatusOrder(t *testing.T) {
	if !(Pass < Skip && Skip < Warn && Warn < Fail) {
		t.Fatal("status order broken: the worst must be the max")
	}
	r := Report{Checks: []Result{{Status: Pass}, {Status: Warn}, {Status: Skip}}}
	if r.Worst() != Warn {
		t.Errorf("worst = %s", r.Worst())
	}
}

func TestScrub(t *testing.T) {
	c := exchanges.Credentials{Key: "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A", Secret: exchanges.NewSecret("topsecretvalue")}
	r := scrub(Result{Summary: "key " + c.Key, Detail: "echo topsecretvalue", Fix: "ok"}, c)
	if strings.Contains(r.Summary+r.Detail, c.Key) || strings.Contains(r.Detail, "topsecretvalue") || !strings.Contains(r.Summary, "vmPU…Eh8A") {
		t.Errorf("%+v", r)
	}
}
