package monitor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// The states of an alert item.
const (
	StateFiring   = "firing"   // the check became a problem (or its cause changed)
	StateRepeat   = "repeat"   // still a problem, RepeatInterval after the last message
	StateResolved = "resolved" // recovered to pass
	StateTest     = "test"     // serve --test-alert
)

// Alert is one message: the transitions of one profile in one check.
type Alert struct {
	Time         time.Time
	Profile      string
	Exchange     string // id
	ExchangeName string
	Environment  string
	Items        []AlertItem
}

// AlertItem is one check of the message, in the health screen's words.
type AlertItem struct {
	Check   string // check id
	Title   string
	State   string
	Status  string
	Cause   string
	Summary string
	Fix     string
}

// Target is one place alerts go. Send makes one attempt; its error never
// holds the target's URL or token.
type Target interface {
	// Kind is the target type, for logs and metrics: webhook, slack,
	// discord, telegram, ntfy.
	Kind() string
	// Name says which one, without any secret (type and host).
	Name() string
	Send(ctx context.Context, c *http.Client, a Alert) error
}

// AlerterOptions configure an Alerter.
type AlerterOptions struct {
	Targets []Target
	// Repeat is how often a problem that stays is announced again
	// (default 24 h).
	Repeat time.Duration
	// Attempts per message and target, the first included (default 6:
	// retries after 1, 2, 4, 8 and 16 s, or Retry-After).
	Attempts int
	// Backoff is the first retry's wait (default 1 s), doubled each time.
	Backoff time.Duration
	// Queue is how many messages wait per target (default 256); beyond
	// it the oldest is dropped, and logged.
	Queue int
	Log   *slog.Logger
}

// Alerter delivers alerts to every target, each from its own queue, so a
// slow or dead receiver delays nobody: Send never blocks.
type Alerter struct {
	repeat  time.Duration
	o       AlerterOptions
	log     *slog.Logger
	client  *http.Client
	queues  []*queue
	count   func(target, outcome string) // set by the metrics
	wg      sync.WaitGroup
	closeMu sync.Once
	stop    chan struct{}

	mu     sync.Mutex // guards closed and the sends on the queues
	closed bool
}

// queue is one target's waiting messages.
type queue struct {
	t  Target
	ch chan Alert
}

// errRedirect is the answer to a receiver that redirects: following it
// would carry the message (and a URL token) somewhere else.
var errRedirect = errors.New("the receiver answered with a redirect, which is not followed")

// NewAlerter starts one delivery worker per target.
func NewAlerter(o AlerterOptions) *Alerter {
	if o.Repeat <= 0 {
		o.Repeat = 24 * time.Hour
	}
	if o.Attempts <= 0 {
		o.Attempts = 6
	}
	if o.Backoff <= 0 {
		o.Backoff = time.Second
	}
	if o.Queue <= 0 {
		o.Queue = 256
	}
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &Alerter{repeat: o.Repeat, o: o, log: log, client: alertClient(), stop: make(chan struct{}),
		count: func(string, string) {}}
	for _, t := range o.Targets {
		q := &queue{t: t, ch: make(chan Alert, o.Queue)}
		a.queues = append(a.queues, q)
		a.wg.Add(1)
		go a.work(q)
	}
	return a
}

// alertClient never follows a redirect and never sends a Referer; every
// request has a deadline from its context.
func alertClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.ResponseHeaderTimeout = 10 * time.Second
	return &http.Client{Transport: tr, Timeout: 15 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return errRedirect }}
}

// Send queues al for every target and returns at once. After Close it
// does nothing.
func (a *Alerter) Send(al Alert) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return
	}
	for _, q := range a.queues {
		for !offer(q.ch, al) {
			// Full: drop the oldest, so the newest state gets through.
			select {
			case old := <-q.ch:
				a.count(q.t.Kind(), "dropped")
				a.log.Warn("alert queue full: the oldest message was dropped", "target", q.t.Name(), "profile", old.Profile)
			default:
			}
		}
	}
}

func offer(ch chan Alert, al Alert) bool {
	select {
	case ch <- al:
		return true
	default:
		return false
	}
}

// Close stops the workers after at most bound of delivering what is
// queued.
func (a *Alerter) Close(bound time.Duration) {
	a.closeMu.Do(func() {
		a.mu.Lock()
		a.closed = true
		for _, q := range a.queues {
			close(q.ch)
		}
		a.mu.Unlock()
		done := make(chan struct{})
		go func() { a.wg.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(bound):
			close(a.stop)
			<-done
		}
	})
}

func (a *Alerter) work(q *queue) {
	defer a.wg.Done()
	for al := range q.ch {
		a.deliver(q.t, al)
	}
}

// deliver tries one message on one target, retrying with backoff; a
// failure is logged and counted, never returned.
func (a *Alerter) deliver(t Target, al Alert) {
	wait := a.o.Backoff
	for attempt := 1; ; attempt++ {
		err := a.once(t, al)
		if err == nil {
			a.count(t.Kind(), "sent")
			if attempt > 1 {
				a.log.Info("alert delivered after retries", "target", t.Name(), "profile", al.Profile, "attempts", attempt)
			}
			return
		}
		var perm *permanentError
		if errors.As(err, &perm) || attempt >= a.o.Attempts {
			a.count(t.Kind(), "failed")
			a.log.Error("alert not delivered", "target", t.Name(), "profile", al.Profile, "attempts", attempt, "error", err.Error())
			return
		}
		if ra := retryAfterOf(err); ra > wait {
			wait = min(ra, 5*time.Minute)
		}
		a.log.Warn("alert delivery failed; retrying", "target", t.Name(), "profile", al.Profile,
			"attempt", attempt, "retry_in", wait.String(), "error", err.Error())
		select {
		case <-time.After(wait):
		case <-a.stop:
			a.count(t.Kind(), "failed")
			return
		}
		wait *= 2
	}
}

func (a *Alerter) once(t Target, al Alert) error {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return t.Send(ctx, a.client, al)
}

// Test sends one test message to every target, one attempt each, and
// returns what happened to each (nil: delivered).
func (a *Alerter) Test(ctx context.Context, al Alert) map[string]error {
	out := map[string]error{}
	for _, q := range a.queues {
		c, cancel := context.WithTimeout(ctx, 15*time.Second)
		out[q.t.Name()] = q.t.Send(c, a.client, al)
		cancel()
	}
	return out
}

// Targets lists the targets' names.
func (a *Alerter) Targets() []string {
	var out []string
	for _, q := range a.queues {
		out = append(out, q.t.Name())
	}
	return out
}

// permanentError is a refusal that retrying cannot fix (a 4xx other than
// 429, a redirect).
type permanentError struct{ msg string }

func (e *permanentError) Error() string { return e.msg }

// statusError is an HTTP answer that is not a success.
type statusError struct {
	status     int
	retryAfter time.Duration
}

func (e *statusError) Error() string { return fmt.Sprintf("the receiver answered HTTP %d", e.status) }

func retryAfterOf(err error) time.Duration {
	var se *statusError
	if errors.As(err, &se) {
		return se.retryAfter
	}
	return 0
}
