package monitor

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

const (
	testWebhookSecret = "whsec-TEST-9f8e7d6c5b4a"
	testTelegramToken = "123456:TEST-telegram-token-abcdef"
)

// Every target format gets the transitions — a check becoming fail, a
// repeat while it stays, the recovery, an expiry entering 14 days — each
// message naming the profile, the check, the cause and Binance's own fix;
// the webhook's signature verifies; no secret is in any message or log.
func TestAlertsEveryFormat(t *testing.T) {
	recv := map[string]*receiver{}
	for _, k := range []string{"webhook", "slack", "discord", "ntfy", "telegram"} {
		recv[k] = newReceiver(t)
	}
	sec := TargetSecrets{WebhookSecret: exchanges.NewSecret(testWebhookSecret), TelegramToken: exchanges.NewSecret(testTelegramToken),
		TelegramAPI: recv["telegram"].srv.URL}
	var targets []Target
	for _, spec := range []string{"webhook=" + recv["webhook"].srv.URL + "/hook", "slack=" + recv["slack"].srv.URL + "/services/T0/B0/XYZ",
		"discord=" + recv["discord"].srv.URL + "/api/webhooks/1/abc", "ntfy=" + recv["ntfy"].srv.URL + "/kw-topic", "telegram=-100123"} {
		tg, err := ParseTarget(spec, sec)
		if err != nil {
			t.Fatal(err)
		}
		targets = append(targets, tg)
	}
	logs := &syncBuffer{}
	al := NewAlerter(AlerterOptions{Targets: targets, Repeat: 700 * time.Millisecond, Backoff: 10 * time.Millisecond, Log: testLogger(logs)})
	fs := &fakeState{withdraw: exchanges.No}
	src := &fakeSource{names: []string{"main"}, fs: fs}
	m := newTestMonitor(t, src, 150*time.Millisecond, al, logs)

	eventually(t, 5*time.Second, "a first report", func() bool { return statusOf(m, "main", "withdraw_disabled") == "pass/" })
	time.Sleep(300 * time.Millisecond)
	for k, r := range recv {
		if r.count() != 0 {
			t.Errorf("%s: a healthy key alerted: %+v", k, r.all())
		}
	}

	phase := func(what string, n int, mutate func(*fakeState), want ...string) {
		t.Helper()
		if mutate != nil {
			fs.set(mutate)
		}
		for k, r := range recv {
			eventually(t, 5*time.Second, k+": "+what, func() bool { return r.count() >= n })
			msg := r.all()[n-1]
			for _, w := range want {
				if !strings.Contains(msg.Body, w) {
					t.Errorf("%s, %s: message does not say %q:\n%s", k, what, w, msg.Body)
				}
			}
		}
	}
	phase("withdrawals switched on", 1, func(s *fakeState) { s.withdraw = exchanges.Yes },
		"main", "withdraw_disabled", "withdrawals_on", "untick Enable Withdrawals")
	phase("still on: the repeat", 2, nil, "still", "withdraw_disabled")
	phase("switched off: recovered", 3, func(s *fakeState) { s.withdraw = exchanges.No }, "withdraw_disabled", "recovered")
	phase("expiry in 5 days", 4, func(s *fakeState) { s.expires = time.Now().Add(5 * 24 * time.Hour) },
		"key_expiry", "expiring", "Edit restrictions")

	// Each format, as its receiver expects it.
	for _, msg := range recv["webhook"].all() {
		ts := msg.Header.Get(HeaderTimestamp)
		if got, want := msg.Header.Get(HeaderSignature), Sign(exchanges.NewSecret(testWebhookSecret), ts, []byte(msg.Body)); ts == "" || got != want {
			t.Errorf("webhook signature %q, want %q", got, want)
		}
		var p WebhookPayload
		dec := json.NewDecoder(strings.NewReader(msg.Body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&p); err != nil || p.Profile != "main" || p.Exchange != "binance" || len(p.Alerts) == 0 {
			t.Errorf("webhook payload %v: %s", err, msg.Body)
		}
	}
	var p WebhookPayload
	_ = json.Unmarshal([]byte(recv["webhook"].all()[0].Body), &p)
	if a := p.Alerts[0]; a.State != StateFiring || a.Check != "withdraw_disabled" || a.Status != "fail" || a.Cause != "withdrawals_on" || a.Fix == "" {
		t.Errorf("webhook item %+v", a)
	}
	_ = json.Unmarshal([]byte(recv["webhook"].all()[2].Body), &p)
	if p.Alerts[0].State != StateResolved {
		t.Errorf("third message is not the recovery: %+v", p.Alerts)
	}
	checkJSON(t, "slack", recv["slack"].all()[0].Body, "text")
	checkJSON(t, "discord", recv["discord"].all()[0].Body, "content", "allowed_mentions")
	tg := recv["telegram"].all()[0]
	if tg.Path != "/bot"+testTelegramToken+"/sendMessage" {
		t.Errorf("telegram path %q", tg.Path)
	}
	checkJSON(t, "telegram", tg.Body, "chat_id", "text", "disable_web_page_preview")
	nt := recv["ntfy"].all()[0]
	if nt.Header.Get("Priority") != "high" || !strings.Contains(nt.Header.Get("Title"), "main") {
		t.Errorf("ntfy headers %v", nt.Header)
	}
	if recv["ntfy"].all()[2].Header.Get("Priority") != "default" {
		t.Errorf("ntfy recovery not at default priority")
	}

	// No secret anywhere: bodies, headers (the Telegram token is in its
	// URL path by the Bot API's design), logs.
	secrets := []string{testSecret, testKey, testWebhookSecret, testTelegramToken}
	for k, r := range recv {
		for _, msg := range r.all() {
			hdr, _ := json.Marshal(msg.Header)
			for _, s := range secrets {
				if strings.Contains(msg.Body, s) || strings.Contains(string(hdr), s) {
					t.Errorf("%s: a secret in the message: %s %s", k, msg.Body, hdr)
				}
			}
			if msg.Header.Get("Referer") != "" {
				t.Errorf("%s: Referer sent", k)
			}
		}
	}
	for _, s := range secrets {
		if strings.Contains(logs.String(), s) {
			t.Errorf("a secret in the log:\n%s", logs.String())
		}
	}
}

func checkJSON(t *testing.T, what, body string, fields ...string) {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Errorf("%s: not JSON: %v: %s", what, err, body)
		return
	}
	for _, f := range fields {
		if _, ok := m[f]; !ok {
			t.Errorf("%s: no %q in %s", what, f, body)
		}
	}
}

// A receiver that fails is retried with backoff until it takes the
// message; one that is down, or one that hangs, never holds up the checks.
func TestAlertDeliveryNeverBlocksChecks(t *testing.T) {
	flaky := newReceiver(t)
	flaky.failFirst = 2
	down := newReceiver(t)
	downURL := down.srv.URL
	down.srv.Close()
	hang := make(chan struct{})
	hung := newReceiver(t)
	hung.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-hang })
	defer close(hang)
	var targets []Target
	for _, u := range []string{flaky.srv.URL, downURL, hung.srv.URL} {
		tg, err := ParseTarget("webhook="+u, TargetSecrets{})
		if err != nil {
			t.Fatal(err)
		}
		targets = append(targets, tg)
	}
	logs := &syncBuffer{}
	// A repeat every round: the hanging receiver's queue of 2 overflows at once.
	al := NewAlerter(AlerterOptions{Targets: targets, Repeat: time.Millisecond, Attempts: 4, Backoff: 20 * time.Millisecond, Queue: 2, Log: testLogger(logs)})
	fs := &fakeState{withdraw: exchanges.Yes}
	src := &fakeSource{names: []string{"main"}, fs: fs}
	newTestMonitor(t, src, 100*time.Millisecond, al, logs)

	eventually(t, 5*time.Second, "the flaky receiver takes the message on its third try", func() bool { return flaky.count() >= 3 })
	eventually(t, 5*time.Second, "the down receiver's failure is logged", func() bool {
		return strings.Contains(logs.String(), "alert not delivered") && strings.Contains(logs.String(), "attempts=4")
	})
	if !strings.Contains(logs.String(), "alert delivery failed; retrying") || !strings.Contains(logs.String(), "alert delivered after retries") {
		t.Errorf("retries not logged:\n%s", logs.String())
	}
	// The checks went on meanwhile: a round every 100 ms, while one
	// receiver hangs for good.
	before := fs.key.Load()
	time.Sleep(600 * time.Millisecond)
	if after := fs.key.Load(); after-before < 3 {
		t.Errorf("only %d checks in 600 ms while alerts were failing", after-before)
	}
	if !strings.Contains(logs.String(), "alert queue full: the oldest message was dropped") {
		t.Errorf("the hanging receiver's queue never overflowed: the test proves nothing")
	}
}

// A redirecting receiver is not followed (the message and a URL token
// would go elsewhere) and not retried.
func TestAlertRedirectNotFollowed(t *testing.T) {
	elsewhere := newReceiver(t)
	redir := newReceiver(t)
	redir.redirect = elsewhere.srv.URL + "/stolen"
	tg, err := ParseTarget("slack="+redir.srv.URL+"/services/T/B/SECRETPATH", TargetSecrets{})
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	al := NewAlerter(AlerterOptions{Targets: []Target{tg}, Backoff: 10 * time.Millisecond, Log: testLogger(logs)})
	al.Send(Alert{Profile: "main", Items: []AlertItem{{Check: "auth", State: StateFiring, Status: "fail", Cause: "bad_key"}}})
	al.Close(2 * time.Second)
	if elsewhere.count() != 0 {
		t.Errorf("the redirect was followed: %+v", elsewhere.all())
	}
	if redir.count() != 1 {
		t.Errorf("%d attempts at a redirecting receiver, want 1 (not retried)", redir.count())
	}
	if !strings.Contains(logs.String(), "redirect") || strings.Contains(logs.String(), "SECRETPATH") {
		t.Errorf("log should say redirect and never the URL:\n%s", logs.String())
	}
	res := NewAlerter(AlerterOptions{Targets: []Target{tg}}).Test(context.Background(), TestAlert("host"))
	if err := res[tg.Name()]; err == nil || !strings.Contains(err.Error(), "redirect") {
		t.Errorf("test alert to a redirect: %v", err)
	}
}
